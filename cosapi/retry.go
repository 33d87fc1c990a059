package cosapi

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Backoff between attempts: exponential from retryBase, capped, with jitter so that many
// workers throttled at once do not come back in step. Throttling waits longer.
const (
	retryBase     = 100 * time.Millisecond
	throttledBase = 500 * time.Millisecond
	retryCap      = 8 * time.Second
)

// retry runs fn until it succeeds, fails for good, runs out of attempts, or ctx ends.
// Each attempt gets the per-operation timeout.
func (c *Client) retry(ctx context.Context, op, key string, fn func(ctx context.Context) error) error {
	attempts := 1 + c.opt.Scoring.Retries
	var last *Error
	for i := range attempts {
		if i > 0 {
			c.stats.retries.Add(1)
			if err := c.opt.Sleep(ctx, backoff(i, last.Kind == KindThrottled)); err != nil {
				break
			}
		}
		actx, cancel := context.WithTimeout(ctx, c.opt.Scoring.Timeout)
		err := fn(actx)
		timedOut := actx.Err() != nil && ctx.Err() == nil
		cancel()
		if err == nil {
			return nil
		}
		if !errors.As(wrap(op, key, err), &last) {
			return err
		}
		if timedOut {
			last.Kind = KindNetwork
			last.Message = "no answer within " + c.opt.Scoring.Timeout.String()
		}
		if ctx.Err() != nil || !last.retryable() {
			break
		}
	}
	if ctx.Err() != nil {
		last = &Error{Kind: KindCanceled, Op: op, Key: key, Err: ctx.Err()}
	}
	c.stats.failures.Add(1)
	return last
}

func backoff(attempt int, throttled bool) time.Duration {
	base := retryBase
	if throttled {
		base = throttledBase
	}
	d := min(base<<min(attempt-1, 10), retryCap)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}
