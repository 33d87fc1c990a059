//go:build !race

package mobilenet

const raceEnabled = false
