//go:build race

package quality

// raceEnabled trims the image-heavy tests under the race detector, which slows the CNN about
// tenfold; .ci/run also runs them at full size without it.
const raceEnabled = true
