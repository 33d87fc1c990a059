//go:build race

package demo

// raceEnabled trims the scoring test under the race detector, which slows the scorer about
// tenfold; without it every image is assessed.
const raceEnabled = true
