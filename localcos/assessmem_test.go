package localcos

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// peakHeapDuring reports the most heap held above the starting level while fn runs.
func peakHeapDuring(fn func()) uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	base := s[0].Value.Uint64()
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

// Eight large non-images scored at once are refused from their first bytes: no file is
// read whole (issue 14: 4.3 GB and 20 s for eight 250 MB files).
func TestAssessLargeNonImagesHoldsNoMemory(t *testing.T) {
	e := newEnv(t, nil) // --limits local
	const n, size = 8, 200 << 20
	for i := range n {
		f, err := os.Create(filepath.Join(e.dir, fmt.Sprintf("clip%d.jpg", i)))
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("\x00\x00\x00\x18ftypmp42")
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	errs := make([]error, n)
	peak := peakHeapDuring(func() {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, _, errs[i] = e.cos.CI.ImageQuality(context.Background(), fmt.Sprintf("clip%d.jpg", i))
			})
		}
		wg.Wait()
	})
	t.Logf("%d x %d MB non-images through AssessQuality: peak heap %.1f MB", n, size>>20, float64(peak)/(1<<20))
	for i, err := range errs {
		if s, c := cosCode(err); s != 400 || c != "UnsupportedFormat" {
			t.Errorf("clip%d: %d %q (%v)", i, s, c, err)
		}
	}
	if e.assessN.Load() != 0 {
		t.Errorf("the scorer ran %d times on non-images", e.assessN.Load())
	}
	if peak > 32<<20 {
		t.Errorf("peak heap %.0f MB to refuse %d non-images", float64(peak)/(1<<20), n)
	}
}
