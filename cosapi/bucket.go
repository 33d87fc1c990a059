package cosapi

import (
	"cmp"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/internal/parallel"
)

// BucketRef is one bucket on the client's endpoint, with the same credentials: what
// copies, verifications and batch deletes address (curation moves objects between buckets).
type BucketRef struct {
	c    *Client
	name string
	sdk  *cos.Client
	base *url.URL
	host string // Host header to send, "" = base's
}

// sourceHost is the bucket as x-cos-copy-source names it.
func (b *BucketRef) sourceHost() string {
	if b.host != "" {
		return b.host
	}
	return b.base.Host
}

// Name is the bucket's NAME-APPID.
func (b *BucketRef) Name() string { return b.name }

// Home is the bucket the client was opened on.
func (c *Client) Home() *BucketRef {
	return &BucketRef{c: c, name: c.bucket, sdk: c.sdk, base: c.base, host: c.sdk.Host}
}

// Other addresses another bucket on the same service. On COS the bucket is the first
// label of the host, so it is swapped (same scheme and region). An endpoint by address
// (localcos, `lightbox serve`, a proxy) gets the bucket's virtual host in the Host header,
// which such a server answers with NoSuchBucket unless it serves that bucket.
func (c *Client) Other(name string) *BucketRef {
	u := *c.base
	host := ""
	if rest, ok := strings.CutPrefix(u.Hostname(), c.bucket+"."); ok && c.sdk.Host == "" {
		u.Host = name + "." + rest
		if p := u.Port(); p != "" {
			u.Host = net.JoinHostPort(u.Host, p)
		}
	} else {
		region := cmp.Or(c.opt.Target.Region, DefaultLocalRegion)
		host = name + ".cos." + region + ".myqcloud.com"
	}
	sdk := cos.NewClient(&cos.BaseURL{BucketURL: &u, ServiceURL: &u, CIURL: &u}, c.http)
	sdk.Conf.RetryOpt.Count = 1 // as for the main client: the retries are ours
	sdk.Host = host
	return &BucketRef{c: c, name: name, sdk: sdk, base: &u, host: host}
}

// Check asks whether the bucket exists (HEAD Bucket): an error of KindNotFound with code
// NoSuchBucket when it does not. Other answers (no permission to HEAD a bucket, say) are
// not errors here: the operations that follow report them.
func (b *BucketRef) Check(ctx context.Context) error {
	err := b.c.retry(ctx, "head bucket", "", func(ctx context.Context) error {
		_, err := b.sdk.Bucket.Head(ctx)
		return err
	})
	switch KindOf(err) {
	case KindNotFound:
		return &Error{Kind: KindNotFound, Op: "head bucket", Status: http.StatusNotFound, Code: "NoSuchBucket",
			Message: fmt.Sprintf("bucket %s does not exist at %s", b.name, b.c.base.Host)}
	case KindCanceled:
		return err
	}
	return nil
}

// Stat is HEAD: the object's size and ETag, what a copy is verified against.
func (b *BucketRef) Stat(ctx context.Context, key string) (Object, error) {
	var o Object
	err := b.c.retry(ctx, "head", key, func(ctx context.Context) error {
		resp, err := b.sdk.Object.Head(ctx, key, nil)
		if err != nil {
			return err
		}
		o = Object{Key: key, Size: resp.ContentLength, ETag: resp.Header.Get("ETag")}
		return nil
	})
	return o, err
}

type copyAnswer struct {
	XMLName xml.Name `xml:"CopyObjectResult"`
	ETag    string   `xml:"ETag"`
}

// Copy is PUT Object - Copy of from/fromKey onto toKey in this bucket, metadata included,
// and only if the source still has the ETag ifMatch. It builds the request itself: cos-go-sdk-v5
// v0.7.70 cuts a source key at its first '?' and sends the rest unescaped, and
// XOptionHeader cannot replace its header, only add a second one.
func (to *BucketRef) Copy(ctx context.Context, toKey string, from *BucketRef, fromKey, ifMatch string) error {
	c := to.c
	source := from.sourceHost() + "/" + escapeKey(fromKey)
	return c.retry(ctx, "copy", fromKey, func(ctx context.Context) error {
		u := *to.base
		u.Path, u.RawPath = "/"+toKey, "/"+cos.EncodeURIComponent(toKey)
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.String(), nil)
		if err != nil {
			return &Error{Kind: KindInvalid, Op: "copy", Key: fromKey, Err: err}
		}
		if to.host != "" {
			req.Host = to.host
		}
		req.Header.Set("x-cos-copy-source", source)
		req.Header.Set("x-cos-metadata-directive", "Copy")
		if ifMatch != "" {
			req.Header.Set("x-cos-copy-source-If-Match", ifMatch)
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
		if err != nil {
			return err // an answer cut short: retried, as copying again is harmless
		}
		if resp.StatusCode/100 != 2 {
			e := httpError("copy", fromKey, resp, body)
			if e.Status == http.StatusPreconditionFailed {
				e.Message = "the object changed since it was read; not copied"
			}
			return e
		}
		// COS may fail a copy after answering 200: the <Error> then comes in the body.
		var eb errorBody
		if xml.Unmarshal(body, &eb) == nil && eb.Code != "" {
			return &Error{Kind: codeKind(eb.Code), Op: "copy", Key: fromKey, Status: resp.StatusCode, Code: eb.Code,
				Message: eb.Message, RequestID: eb.RequestID}
		}
		var ok copyAnswer
		if err := xml.Unmarshal(body, &ok); err != nil {
			return &Error{Kind: KindServer, Op: "copy", Key: fromKey, Message: "unreadable answer: " + err.Error()}
		}
		return nil
	})
}

// escapeKey percent-encodes a key for x-cos-copy-source, keeping its slashes, so that '?',
// '%', '+', spaces and non-ASCII all arrive as they are.
func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = cos.EncodeURIComponent(s)
	}
	return strings.Join(segs, "/")
}

// Delete Multiple Objects: COS takes at most 1000 keys a request; a few requests at once
// keep a 10,000-key delete quick without hammering the bucket.
const (
	deleteChunk    = 1000
	deleteParallel = 4
)

// DeleteKeys deletes keys with Delete Multiple Objects and says, per key, nil (deleted, or
// already absent) or why not. op names the operation in errors.
func (ref *BucketRef) DeleteKeys(ctx context.Context, op string, keys []string) []error {
	c := ref.c
	out := make([]error, len(keys))
	chunks := (len(keys) + deleteChunk - 1) / deleteChunk
	parallel.For(context.WithoutCancel(ctx), deleteParallel, chunks, func(_ context.Context, n int) {
		lo, hi := n*deleteChunk, min((n+1)*deleteChunk, len(keys))
		copy(out[lo:hi], c.deleteChunk(ctx, ref, op, keys[lo:hi]))
	})
	return out
}

// deleteChunk sends one Delete Multiple request (retried: deleting is idempotent) and
// retries the keys that failed inside it for a reason worth retrying.
func (c *Client) deleteChunk(ctx context.Context, ref *BucketRef, op string, keys []string) []error {
	out := make([]error, len(keys))
	todo := make([]int, len(keys))
	for i := range todo {
		todo[i] = i
	}
	for round := 0; ; round++ {
		if ctx.Err() != nil {
			break
		}
		if round > 0 {
			if err := c.opt.Sleep(ctx, backoff(round, false)); err != nil {
				break
			}
		}
		batch := make([]string, len(todo))
		for j, i := range todo {
			batch[j] = keys[i]
		}
		perKey, err := c.deleteMultiOnce(ctx, ref, op, batch)
		if err != nil {
			for j, i := range todo {
				out[i] = err
				if perKey != nil {
					out[i] = perKey[j] // confirmed one by one after an unclear failure
				}
			}
			return out
		}
		var again []int
		for j, i := range todo {
			out[i] = perKey[j]
			var e *Error
			if errors.As(perKey[j], &e) && e.retryable() && round < c.opt.Scoring.Retries {
				again = append(again, i)
			}
		}
		if len(again) == 0 {
			return out
		}
		todo = again
	}
	for _, i := range todo {
		out[i] = &Error{Kind: KindCanceled, Op: op, Key: keys[i], Message: "not deleted: canceled", Err: ctx.Err()}
	}
	return out
}

// deleteMultiOnce is one Delete Multiple request with our retries. On success it returns a
// per-key error (nil = deleted). When the request failed for good after an attempt whose
// answer was lost (the server may have done the work), it checks each key with HEAD, so that
// a key reported failed is really still there.
func (c *Client) deleteMultiOnce(ctx context.Context, ref *BucketRef, op string, keys []string) ([]error, error) {
	opt := &cos.ObjectDeleteMultiOptions{Quiet: true, Objects: make([]cos.Object, len(keys))}
	for i, k := range keys {
		opt.Objects[i] = cos.Object{Key: k}
	}
	var res *cos.ObjectDeleteMultiResult
	var unclear atomic.Bool
	label := fmt.Sprintf("(%d keys)", len(keys))
	err := c.retry(ctx, op, label, func(ctx context.Context) error {
		r, _, err := ref.sdk.Object.DeleteMulti(ctx, opt)
		if err != nil && KindOf(wrap(op, label, err)) == KindNetwork {
			unclear.Store(true)
		}
		res = r
		return err
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			err = &Error{Kind: e.Kind, Op: op, Status: e.Status, Code: e.Code, RequestID: e.RequestID,
				Message: "the batch delete request failed: " + cmp.Or(e.Message, e.Kind.String()), Err: e.Err}
		}
		if !unclear.Load() || ctx.Err() != nil {
			return nil, err
		}
		perKey := make([]error, len(keys))
		for i, k := range keys {
			perKey[i] = keyErr(err, k) // unless a HEAD shows it gone
		}
		parallel.For(ctx, c.opt.Scoring.Concurrency, len(keys), func(ctx context.Context, i int) {
			if _, herr := ref.Stat(ctx, keys[i]); KindOf(herr) == KindNotFound {
				perKey[i] = nil
			}
		})
		return perKey, err
	}
	failed := map[string]error{}
	for _, e := range res.Errors {
		key := e.Key
		if !slices.Contains(keys, key) {
			if d, derr := cos.DecodeURIComponent(key); derr == nil {
				key = d
			}
		}
		if e.Code == "NoSuchKey" { // gone is what we wanted
			continue
		}
		failed[key] = &Error{Kind: codeKind(e.Code), Op: op, Key: key, Code: e.Code, Message: e.Message}
	}
	perKey := make([]error, len(keys))
	for i, k := range keys {
		perKey[i] = failed[k]
	}
	return perKey, nil
}

// keyErr is a batch-wide failure told for one key.
func keyErr(err error, key string) error {
	var e *Error
	if errors.As(err, &e) {
		k := *e
		k.Key = key
		return &k
	}
	return err
}

// codeKind classifies a COS error code that came without an HTTP status (inside a Delete
// Multiple answer or a copy's 200).
func codeKind(code string) Kind {
	status := map[string]int{
		"AccessDenied": http.StatusForbidden, "InvalidAccessKeyId": http.StatusForbidden,
		"SignatureDoesNotMatch": http.StatusForbidden, "NoSuchKey": http.StatusNotFound,
		"NoSuchBucket": http.StatusNotFound, "InternalError": http.StatusInternalServerError,
		"ServiceUnavailable": http.StatusServiceUnavailable, "SlowDown": http.StatusServiceUnavailable,
	}[code]
	if status == 0 {
		status = http.StatusBadRequest
	}
	return classify(status, code)
}
