//go:build race

package jpegdec

// The race detector slows the exhaustive robustness loops ~20x; they sample
// fewer cases under it.
const raceEnabled = true
