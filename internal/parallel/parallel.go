// Package parallel runs indexed work on a bounded number of goroutines: the one worker pool
// that scoring, curation batches and batch deletes share.
package parallel

import (
	"context"
	"sync"
	"sync/atomic"
)

// For calls fn for 0..n-1 on at most width goroutines (at least one) and returns when all
// calls have. Once ctx ends, indexes not yet started are skipped; fn sees ctx and should
// give up early too.
func For(ctx context.Context, width, n int, fn func(ctx context.Context, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(max(width, 1), n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				fn(ctx, i)
			}
		})
	}
	wg.Wait()
}
