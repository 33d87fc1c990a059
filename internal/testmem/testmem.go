// Package testmem measures what code holds on the heap, for the tests and benchmarks that
// bound memory (decompression bombs, large non-images).
package testmem

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"
)

// PeakHeapDuring runs fn and reports the most heap it held above what was live before,
// sampled every millisecond.
func PeakHeapDuring(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > base && v-base > peak {
				peak = v - base
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	return peak
}
