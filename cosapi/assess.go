package cosapi

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/cosapi/scorecache"
	"lightbox/score"
)

// Assessment is one answer: the scores, and where they came from.
type Assessment struct {
	score.Scores
	RequestID string
	Cached    bool // answered from the persistent cache: no call was made
}

// AssessOptions are the API's switches. The zero value asks for every score and uses the
// cache.
type AssessOptions struct {
	// Only lists the scores wanted, by any word score.Lookup knows ("clarity", "aesthetics",
	// "content"): each becomes its enable_* switch.
	// A partial answer is never cached.
	Only []string
	// Refresh ignores a cached score and pays for a new one (re-score on demand).
	Refresh bool
}

// response is the API's XML answer.
type response struct {
	XMLName xml.Name `xml:"Response"`
	score.Scores
	RequestID string `xml:"RequestId"`
}

// cachedScore is what the score cache keeps: scores, or a lasting reason there are none.
type cachedScore struct {
	Scores  *score.Scores `json:"s,omitempty"`
	Code    string        `json:"code,omitempty"`
	Message string        `json:"msg,omitempty"`
}

// ErrBudget is matched (errors.Is) when --max-calls has been spent.
var ErrBudget = errors.New("the call budget (--max-calls) is spent")

// Assess scores one object through GET <key>?ci-process=AssessQuality. A score for the same
// object version (ETag) is asked for once and then read from the cache, across runs. With
// Options.LocalScore it is scored on this machine instead (localscore.go).
func (c *Client) Assess(ctx context.Context, obj Object, opt AssessOptions) (Assessment, error) {
	if obj.ETag == "" {
		head, err := c.Head(ctx, obj.Key)
		if err != nil {
			return Assessment{}, err
		}
		obj = head
	}
	if c.opt.LocalScore != nil {
		return c.assessLocal(ctx, obj, opt)
	}
	full := len(opt.Only) == 0
	ck := scorecache.Key{Endpoint: c.endpoint, Bucket: c.bucket, Object: obj.Key, ETag: obj.ETag}
	if c.opt.Cache != nil && full && !opt.Refresh {
		if raw, ok := c.opt.Cache.Get(ck); ok {
			var cs cachedScore
			if json.Unmarshal(raw, &cs) == nil && (cs.Scores != nil || cs.Code != "") {
				c.stats.cacheHits.Add(1)
				if cs.Scores == nil {
					return Assessment{Cached: true}, &Error{Kind: KindUnsupported, Op: "assess", Key: obj.Key, Code: cs.Code, Message: cs.Message + " (cached)"}
				}
				return Assessment{Scores: *cs.Scores, Cached: true}, nil
			}
		}
	}
	query, err := switches(opt.Only)
	if err != nil {
		return Assessment{}, &Error{Kind: KindInvalid, Op: "assess", Key: obj.Key, Message: err.Error()}
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return Assessment{}, &Error{Kind: KindCanceled, Op: "assess", Key: obj.Key, Err: ctx.Err()}
	}
	defer func() { <-c.slots }()

	var res response
	err = c.retry(ctx, "assess", obj.Key, func(ctx context.Context) error {
		if !c.spend() {
			return &Error{Kind: KindBudget, Op: "assess", Key: obj.Key, Message: ErrBudget.Error(), Err: ErrBudget}
		}
		if err := c.limiter.Wait(ctx); err != nil {
			return err
		}
		c.stats.calls.Add(1)
		return c.getXML(ctx, "assess", obj.Key, query, &res)
	})
	if err != nil {
		var e *Error
		if c.opt.Cache != nil && full && errors.As(err, &e) && e.Kind == KindUnsupported {
			c.store(ck, cachedScore{Code: e.Code, Message: e.Message})
		}
		return Assessment{}, err
	}
	if c.opt.Cache != nil && full {
		c.store(ck, cachedScore{Scores: &res.Scores})
	}
	return Assessment{Scores: res.Scores, RequestID: res.RequestID}, nil
}

// spend takes one paid call from the budget; false when it is spent.
func (c *Client) spend() bool {
	for {
		left := c.budget.Load()
		if left < 0 {
			return true
		}
		if left == 0 {
			return false
		}
		if c.budget.CompareAndSwap(left, left-1) {
			return true
		}
	}
}

func (c *Client) store(k scorecache.Key, v cachedScore) {
	raw, err := json.Marshal(v)
	if err == nil {
		err = c.opt.Cache.Put(k, raw)
	}
	_ = err // a cache that cannot be written costs a repeat call next run, nothing more
}

// switches is the query asking for the scores only names, all of them when it is empty.
func switches(only []string) (string, error) {
	q := "ci-process=AssessQuality"
	for _, w := range only {
		f, ok := score.Lookup(w)
		if !ok {
			return "", fmt.Errorf("unknown score %q: want %s", w, strings.Join(score.Words(nil), ", "))
		}
		q += "&" + f.Switch + "=true"
	}
	return q, nil
}

// getXML sends a signed GET <key>?<query> through the same signing transport as the SDK
// (the SDK has no way to add the enable_* switches) and decodes a 2xx XML answer into v.
func (c *Client) getXML(ctx context.Context, op, key, rawQuery string, v any) error {
	body, err := c.get(ctx, op, key, rawQuery, 1<<20)
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(body, v); err != nil {
		return &Error{Kind: KindServer, Op: op, Key: key, Message: "unreadable answer: " + err.Error()}
	}
	return nil
}

// get sends a signed GET and returns at most limit bytes of a 2xx body.
func (c *Client) get(ctx context.Context, op, key, rawQuery string, limit int64) ([]byte, error) {
	u := *c.base
	u.Path = "/" + key
	u.RawPath = "/" + cos.EncodeURIComponent(key)
	u.RawQuery = rawQuery
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{Kind: KindInvalid, Op: op, Key: key, Err: err}
	}
	if c.sdk.Host != "" {
		req.Host = c.sdk.Host
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, httpError(op, key, resp, body)
	}
	if int64(len(body)) > limit {
		return nil, &Error{Kind: KindInvalid, Op: op, Key: key, Message: "larger than " + byteSize(limit)}
	}
	return body, nil
}
