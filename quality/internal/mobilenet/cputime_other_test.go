//go:build !unix

package mobilenet

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
