//go:build race

package localcos

// raceEnabled skips the memory measurements, which the race detector's own bookkeeping
// would swamp and slow tenfold.
const raceEnabled = true
