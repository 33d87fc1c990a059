package parallel

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestForRunsEachIndexOnceWithinWidth(t *testing.T) {
	var seen [100]atomic.Int32
	var inflight, peak atomic.Int32
	For(context.Background(), 3, len(seen), func(_ context.Context, i int) {
		n := inflight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		seen[i].Add(1)
		inflight.Add(-1)
	})
	for i := range seen {
		if seen[i].Load() != 1 {
			t.Fatalf("index %d ran %d times", i, seen[i].Load())
		}
	}
	if peak.Load() > 3 {
		t.Errorf("%d at once, width 3", peak.Load())
	}
}

func TestForStopsStartingOnceCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int32
	For(ctx, 1, 10, func(_ context.Context, i int) {
		ran.Add(1)
		if i == 2 {
			cancel()
		}
	})
	if ran.Load() != 3 {
		t.Errorf("ran %d, want 3 (0, 1, 2)", ran.Load())
	}
}
