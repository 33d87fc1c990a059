//go:build !race

package localcos

const raceEnabled = false
