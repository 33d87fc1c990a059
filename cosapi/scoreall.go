package cosapi

import (
	"context"
	"strings"
	"sync"

	"lightbox/internal/names"
)

// ScoreAllOptions shape ScoreAll.
type ScoreAllOptions struct {
	Recursive bool // under every sub-prefix too
	Refresh   bool // ask again even for cached scores
	All       bool // every object, not only .jpg, .jpeg and .png names
	Workers   int  // assessments in flight; 0 = the client's concurrency
}

// Scored is one object's assessment, or why it has none.
type Scored struct {
	Object     Object
	Assessment Assessment
	Err        error
}

// Tally counts ScoreAll's objects.
type Tally struct{ Scored, Failed int }

// ScoreAll lists under prefix and assesses each image with Workers in parallel, handing
// results to emit in listing order, from one goroutine. A bounded window keeps memory flat
// however large the prefix. The error is the listing's; per-object failures are in Err.
func (c *Client) ScoreAll(ctx context.Context, prefix string, opt ScoreAllOptions, emit func(Scored)) (Tally, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = c.Concurrency()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		row  Scored
		done chan struct{}
	}
	window := make(chan *job, workers*4)
	work := make(chan *job)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range work {
				j.row.Assessment, j.row.Err = c.Assess(ctx, j.row.Object, AssessOptions{Refresh: opt.Refresh})
				close(j.done)
			}
		})
	}
	listErr := make(chan error, 1)
	go func() {
		defer close(window)
		defer close(work)
		listErr <- c.List(ctx, prefix, opt.Recursive, func(p Page) error {
			for _, o := range p.Objects {
				if strings.HasSuffix(o.Key, "/") || (!opt.All && !names.IsImageName(o.Key)) {
					continue
				}
				j := &job{row: Scored{Object: o}, done: make(chan struct{})}
				select {
				case window <- j: // waits while the oldest rows are unfinished
				case <-ctx.Done():
					return ctx.Err()
				}
				select {
				case work <- j:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		})
	}()
	var t Tally
	for j := range window {
		<-j.done
		if j.row.Err != nil {
			t.Failed++
		} else {
			t.Scored++
		}
		emit(j.row)
	}
	wg.Wait()
	return t, <-listErr
}
