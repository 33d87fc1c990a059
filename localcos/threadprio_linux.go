package localcos

import "syscall"

// lowestNice is the nice value of a background thread: it runs when nothing else wants the
// CPU, and still gets a share under load.
const lowestNice = 19

// lowerThreadPriority makes the calling OS thread yield the CPU to every other thread. On
// Linux nice is per thread, so this touches neither the process nor other goroutines, as
// long as the caller is locked to its thread. Raising it back would need privileges, so a
// thread lowered here must never run anything else.
func lowerThreadPriority() error {
	return syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), lowestNice)
}
