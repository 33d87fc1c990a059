//go:build race

package similar

// raceEnabled: the race detector slows image generation tenfold; the measurement set
// shrinks to its -short size (the test tests no concurrency).
const raceEnabled = true
