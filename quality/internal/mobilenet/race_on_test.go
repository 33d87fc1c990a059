//go:build race

package mobilenet

// raceEnabled: under the race detector sync.Pool deliberately drops some Puts, so
// allocation counts mean nothing.
const raceEnabled = true
