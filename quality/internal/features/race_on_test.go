//go:build race

package features

// raceEnabled lets the slow whole-dataset tests skip under the race detector, which makes
// them ten times slower without testing any concurrency.
const raceEnabled = true
