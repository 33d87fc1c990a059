package cosapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"lightbox/cosapi/scorecache"
)

// DefaultMaxLocalBytes caps what the local scorer downloads per image when
// Options.MaxLocalBytes is 0.
const DefaultMaxLocalBytes = 64 << 20

// Scorer names who scores: "local" when this machine does (Options.LocalScore, or a folder
// target, which the embedded COS scores here), "cos" when Cloud Infinite's AssessQuality
// does, billed per call.
func (c *Client) Scorer() string {
	if c.opt.LocalScore != nil || c.opt.Target.IsLocal() {
		return "local"
	}
	return "cos"
}

// localCacheKey keeps the local scorer's answers apart from AssessQuality's for the same
// object version: the two scorers do not give the same numbers.
func (c *Client) localCacheKey(obj Object) scorecache.Key {
	return scorecache.Key{Endpoint: c.endpoint + "#scorer=local", Bucket: c.bucket, Object: obj.Key, ETag: obj.ETag}
}

// assessLocal downloads obj (at most MaxLocalBytes) and scores it with Options.LocalScore.
// No AssessQuality call is made, so none is counted or taken from the budget.
func (c *Client) assessLocal(ctx context.Context, obj Object, opt AssessOptions) (Assessment, error) {
	const op = "assess"
	if _, err := switches(opt.Only); err != nil {
		return Assessment{}, &Error{Kind: KindInvalid, Op: op, Key: obj.Key, Message: err.Error()}
	}
	ck := c.localCacheKey(obj)
	if c.opt.Cache != nil && !opt.Refresh {
		if raw, ok := c.opt.Cache.Get(ck); ok {
			var cs cachedScore
			if json.Unmarshal(raw, &cs) == nil && (cs.Scores != nil || cs.Code != "") {
				c.stats.cacheHits.Add(1)
				if cs.Scores == nil {
					return Assessment{Cached: true}, &Error{Kind: KindUnsupported, Op: op, Key: obj.Key, Code: cs.Code, Message: cs.Message + " (cached)"}
				}
				return Assessment{Scores: *cs.Scores, Cached: true}, nil
			}
		}
	}
	limit := c.opt.MaxLocalBytes
	if limit <= 0 {
		limit = DefaultMaxLocalBytes
	}
	tooLarge := func() error {
		return &Error{Kind: KindUnsupported, Op: op, Key: obj.Key, Code: "ImageTooLarge",
			Message: fmt.Sprintf("larger than the local scorer's limit of %s; not downloaded", byteSize(limit))}
	}
	if obj.Size > limit {
		return Assessment{}, tooLarge()
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return Assessment{}, &Error{Kind: KindCanceled, Op: op, Key: obj.Key, Err: ctx.Err()}
	}
	defer func() { <-c.slots }()
	var data []byte
	err := c.retry(ctx, op, obj.Key, func(ctx context.Context) error {
		if err := c.limiter.Wait(ctx); err != nil {
			return err
		}
		var err error
		data, err = c.get(ctx, op, obj.Key, "", limit)
		return err
	})
	if KindOf(err) == KindInvalid { // the object grew past the limit since it was listed
		return Assessment{}, tooLarge()
	}
	if err != nil {
		return Assessment{}, err
	}
	scores, err := c.opt.LocalScore(ctx, data)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			cp := *e // the scorer's own error is left as it was
			e = &cp
		} else {
			e = &Error{Kind: KindUnsupported, Op: op, Key: obj.Key, Message: err.Error(), Err: err}
		}
		if e.Key == "" {
			e.Key = obj.Key
		}
		if e.Kind == KindUnsupported && e.Code == "" {
			e.Code = "Unscorable" // the cache keeps a lasting failure by its code
		}
		if c.opt.Cache != nil && e.Kind == KindUnsupported {
			c.store(ck, cachedScore{Code: e.Code, Message: e.Message})
		}
		return Assessment{}, e
	}
	if c.opt.Cache != nil {
		c.store(ck, cachedScore{Scores: &scores})
	}
	return Assessment{Scores: scores}, nil
}
