//go:build !linux

package localcos

import "errors"

// lowerThreadPriority is Linux-only: elsewhere nice applies to the whole process (or has
// no per-thread form in the standard library), so scoring keeps its normal priority.
func lowerThreadPriority() error { return errors.New("per-thread priority is Linux-only") }
