package cosapi

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/config"
	"lightbox/curation/journal"
	"lightbox/localcos"
)

// Promote copies each object to [curation] promote_to (a prefix in this bucket, or
// cos://BUCKET/prefix/ for another), checks the copy (size and ETag equal the original's),
// and in promote_mode = "move" then deletes the original. The original is deleted only once
// its copy is verified: a failure at any step leaves it where it was.
func (c *Client) Promote(ctx context.Context, keys []string) (Report, error) {
	const op = journal.ActionPromote
	keys = distinct(keys)
	if err := c.needJournal(op); err != nil {
		return refuseAll(op, keys, err), err
	}
	bucket, prefix, move, err := c.promoteConfig()
	if err != nil {
		return refuseAll(op, keys, err), err
	}
	dest := c.home()
	if bucket != c.bucket {
		dest = c.otherBucket(bucket)
		if err := c.checkBucket(ctx, dest); err != nil {
			return refuseAll(op, keys, err), err
		}
	}
	heads, err := c.headAll(ctx, op, keys, func(k string) error {
		if dest.name == c.bucket && strings.HasPrefix(k, prefix) {
			return &Error{Kind: KindInvalid, Op: op, Key: k, Message: "already under the promote destination " + prefix}
		}
		return nil
	})
	if err != nil {
		return refuseAll(op, keys, err), err
	}
	b := c.newBatch(op)
	b.refs[dest.name] = dest
	for i, k := range keys {
		r := c.intent(op, k)
		r.DestBucket, r.DestKey, r.Moved = dest.name, prefix+k, move
		r.Note = objectNote(heads[i].obj)
		b.add(r, heads[i].err)
	}
	return c.runBatch(ctx, b)
}

// promoteConfig reads [curation] promote_to and promote_mode.
func (c *Client) promoteConfig() (bucket, prefix string, move bool, err error) {
	bad := func(msg string) (string, string, bool, error) {
		return "", "", false, &Error{Kind: KindInvalid, Op: journal.ActionPromote, Message: msg}
	}
	to := c.opt.Curation.PromoteTo
	if to == "" {
		return bad(`promotion is not configured: set [curation] promote_to to a prefix such as "best/" or to "cos://BUCKET-APPID/prefix/"`)
	}
	bucket, prefix, err = config.ParsePromoteTo(to)
	if err != nil {
		return bad("[curation] promote_to: " + err.Error())
	}
	if bucket == "" {
		bucket = c.bucket
	}
	if bucket == c.bucket && prefix == "" {
		return bad("[curation] promote_to names this bucket without a prefix: objects would be copied onto themselves")
	}
	switch strings.ToLower(c.opt.Curation.PromoteMode) {
	case "", "copy":
	case "move":
		move = true
	default:
		return bad(fmt.Sprintf("[curation] promote_mode is %q: want copy or move", c.opt.Curation.PromoteMode))
	}
	return bucket, prefix, move, nil
}

// bucketRef is one bucket on the client's endpoint, with the same credentials.
type bucketRef struct {
	name string
	sdk  *cos.Client
	base *url.URL
	host string // Host header to send, "" = base's
}

// sourceHost is the bucket as x-cos-copy-source names it.
func (b *bucketRef) sourceHost() string {
	if b.host != "" {
		return b.host
	}
	return b.base.Host
}

func (c *Client) home() *bucketRef {
	return &bucketRef{name: c.bucket, sdk: c.sdk, base: c.base, host: c.sdk.Host}
}

// otherBucket addresses another bucket on the same service. On COS the bucket is the first
// label of the host, so it is swapped (same scheme and region). An endpoint by address
// (localcos, `lightbox serve`, a proxy) gets the bucket's virtual host in the Host header,
// which such a server answers with NoSuchBucket unless it serves that bucket.
func (c *Client) otherBucket(name string) *bucketRef {
	u := *c.base
	host := ""
	if rest, ok := strings.CutPrefix(u.Hostname(), c.bucket+"."); ok && c.sdk.Host == "" {
		u.Host = name + "." + rest
		if p := u.Port(); p != "" {
			u.Host = net.JoinHostPort(u.Host, p)
		}
	} else {
		region := c.opt.Target.Region
		if c.local != nil {
			region = c.local.Region()
		}
		if region == "" {
			region = localcos.DefaultRegion
		}
		host = name + ".cos." + region + ".myqcloud.com"
	}
	sdk := cos.NewClient(&cos.BaseURL{BucketURL: &u, ServiceURL: &u, CIURL: &u}, c.http)
	sdk.Conf.RetryOpt.Count = 1 // as for the main client: the retries are ours
	sdk.Host = host
	return &bucketRef{name: name, sdk: sdk, base: &u, host: host}
}

// checkBucket makes sure a destination bucket exists before anything is journaled, so that
// a typo in promote_to is one clear error rather than a failure per key. Other answers (no
// permission to HEAD the bucket, say) are left to the copies to report.
func (c *Client) checkBucket(ctx context.Context, ref *bucketRef) error {
	err := c.retry(ctx, "promote", "", func(ctx context.Context) error {
		_, err := ref.sdk.Bucket.Head(ctx)
		return err
	})
	switch KindOf(err) {
	case KindNotFound:
		return &Error{Kind: KindNotFound, Op: journal.ActionPromote, Status: http.StatusNotFound, Code: "NoSuchBucket",
			Message: fmt.Sprintf("the destination bucket %s does not exist at %s; nothing was changed", ref.name, c.base.Host)}
	case KindCanceled:
		return err
	}
	return nil
}

// stat is HEAD: the object's size and ETag.
func (c *Client) stat(ctx context.Context, ref *bucketRef, key string) (Object, error) {
	var o Object
	err := c.retry(ctx, "head", key, func(ctx context.Context) error {
		resp, err := ref.sdk.Object.Head(ctx, key, nil)
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

// copyObject is PUT Object - Copy of from/fromKey onto to/toKey, metadata included, and only
// if the source still has the ETag ifMatch. It builds the request itself: cos-go-sdk-v5
// v0.7.70 cuts a source key at its first '?' and sends the rest unescaped, and
// XOptionHeader cannot replace its header, only add a second one.
func (c *Client) copyObject(ctx context.Context, to *bucketRef, toKey string, from *bucketRef, fromKey, ifMatch string) error {
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

// where names the other object of a step for a report.
func (c *Client) where(bucket, key string) string {
	if key == "" || bucket == "" || bucket == c.bucket {
		return key
	}
	return "cos://" + bucket + "/" + key
}

// A step that copies records the original's ETag and size in its intent's Note
// ("etag=\"…\" size=123"): what the copy is verified against, and what Resume and Undo
// compare with to tell whether the object is still the one this batch handled.
func objectNote(o Object) string {
	if o.ETag == "" {
		return ""
	}
	return "etag=" + o.ETag + " size=" + strconv.FormatInt(o.Size, 10)
}

func objectFromNote(note string) (etag string, size int64, ok bool) {
	etag = noteField(note, "etag")
	size, err := strconv.ParseInt(noteField(note, "size"), 10, 64)
	return etag, size, etag != "" && err == nil
}

// noteField reads name=value from a note of space-separated fields (values hold no spaces).
func noteField(note, name string) string {
	for _, f := range strings.Fields(note) {
		if k, v, ok := strings.Cut(f, "="); ok && k == name {
			return v
		}
	}
	return ""
}

// withNoteField sets name=value in a note, replacing an earlier value.
func withNoteField(note, name, value string) string {
	var out []string
	for _, f := range strings.Fields(note) {
		if k, _, _ := strings.Cut(f, "="); k != name {
			out = append(out, f)
		}
	}
	return strings.Join(append(out, name+"="+value), " ")
}
