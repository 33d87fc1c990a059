//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package applog

import (
	"errors"
	"os"
	"runtime"
)

// Without flock, two lightbox processes could interleave appends; refusing is safer than that.
var errNoLocking = errors.New("applog: file locking is not supported on " + runtime.GOOS)

func flock(*os.File, bool) error { return errNoLocking }

func funlock(*os.File) error { return errNoLocking }
