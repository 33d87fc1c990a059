package cosapi

import (
	"context"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

// Object is one listed object.
type Object struct {
	Key          string
	Size         int64
	ETag         string // quoted, as COS sends it
	LastModified time.Time
	StorageClass string
	ContentType  string // only from Head: listings do not carry it
}

// Page is one answer of a listing: objects and, unless recursive, sub-prefixes.
type Page struct {
	Objects    []Object
	Prefixes   []string
	NextMarker string // pass back to get the next page
	Truncated  bool   // more pages follow
}

// MaxPage is COS's largest page.
const MaxPage = 1000

// ListPage fetches one page under prefix after marker. Not recursive: keys are grouped by
// "/" into Prefixes, like folders. Keys come URL-encoded on the wire, so names with
// characters XML cannot carry still arrive intact.
func (c *Client) ListPage(ctx context.Context, prefix, marker string, recursive bool, maxKeys int) (Page, error) {
	if maxKeys <= 0 || maxKeys > MaxPage {
		maxKeys = MaxPage
	}
	opt := &cos.BucketGetOptions{Prefix: prefix, Marker: marker, MaxKeys: maxKeys, EncodingType: "url"}
	if !recursive {
		opt.Delimiter = "/"
	}
	var res *cos.BucketGetResult
	err := c.retry(ctx, "list", prefix, func(ctx context.Context) error {
		var err error
		res, _, err = c.sdk.Bucket.Get(ctx, opt)
		return err
	})
	if err != nil {
		return Page{}, err
	}
	var p Page
	for _, o := range res.Contents {
		key, err := cos.DecodeURIComponent(o.Key)
		if err != nil {
			key = o.Key
		}
		when, _ := time.Parse(time.RFC3339, o.LastModified) // COS's ISO 8601; zero if odd
		class := o.StorageClass
		if class == "" {
			class = "STANDARD"
		}
		p.Objects = append(p.Objects, Object{Key: key, Size: o.Size, ETag: o.ETag, LastModified: when, StorageClass: class})
	}
	for _, cp := range res.CommonPrefixes {
		if d, err := cos.DecodeURIComponent(cp); err == nil {
			cp = d
		}
		p.Prefixes = append(p.Prefixes, cp)
	}
	p.Truncated = res.IsTruncated
	if p.Truncated {
		p.NextMarker, _ = cos.DecodeURIComponent(res.NextMarker)
		if p.NextMarker == "" { // S3-style servers omit it without a delimiter
			switch {
			case len(p.Objects) > 0 && (len(p.Prefixes) == 0 || p.Objects[len(p.Objects)-1].Key > p.Prefixes[len(p.Prefixes)-1]):
				p.NextMarker = p.Objects[len(p.Objects)-1].Key
			case len(p.Prefixes) > 0:
				p.NextMarker = p.Prefixes[len(p.Prefixes)-1]
			}
		}
		if p.NextMarker == "" || p.NextMarker <= marker {
			return p, &Error{Kind: KindServer, Op: "list", Key: prefix, Message: "the server said there is more but gave no way to ask for it"}
		}
	}
	return p, nil
}

// List streams every page under prefix to fn, in key order, so the first page can be shown
// while a large prefix is still being listed. fn's error stops the listing and is returned.
func (c *Client) List(ctx context.Context, prefix string, recursive bool, fn func(Page) error) error {
	marker := ""
	for {
		p, err := c.ListPage(ctx, prefix, marker, recursive, MaxPage)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
		if !p.Truncated {
			return nil
		}
		marker = p.NextMarker
	}
}

// Head fetches one object's listing fields.
func (c *Client) Head(ctx context.Context, key string) (Object, error) {
	var o Object
	err := c.retry(ctx, "head", key, func(ctx context.Context) error {
		resp, err := c.sdk.Object.Head(ctx, key, nil)
		if err != nil {
			return err
		}
		o = Object{Key: key, Size: resp.ContentLength, ETag: resp.Header.Get("ETag"),
			StorageClass: resp.Header.Get("x-cos-storage-class"), ContentType: resp.Header.Get("Content-Type")}
		o.LastModified, _ = time.Parse(time.RFC1123, resp.Header.Get("Last-Modified"))
		if o.StorageClass == "" {
			o.StorageClass = "STANDARD"
		}
		return nil
	})
	return o, err
}
