//go:build unix

package mobilenet

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used. Benchmarks report it beside wall
// time because the machines they run on are shared: wall time then includes waiting
// for a core, CPU time does not.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
