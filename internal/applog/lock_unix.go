//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package applog

import (
	"os"
	"syscall"
)

// flock takes an advisory lock on f. flock locks belong to the open file description, so two
// *Log values in one process exclude each other just as two processes do.
func flock(f *os.File, exclusive bool) error {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			return err
		}
	}
}

func funlock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
