//go:build race

package content

// raceEnabled lets the slow dataset test sample fewer images under the race detector.
const raceEnabled = true
