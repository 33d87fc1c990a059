package cosapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"lightbox/cosapi/scorecache"
	"lightbox/internal/exif"
	"lightbox/internal/parallel"
	"lightbox/similar"
)

// Fingerprints are read from a thumbnail this size on COS; the embedded COS sends the file.
const (
	thumbSide     = 256
	thumbMaxBytes = 8 << 20
	fileMaxBytes  = 256 << 20 // a whole object, read to fingerprint and digest it
)

// fingerprintNamespace keeps fingerprints apart from scores in the score cache: the same
// object version has one record of each. Bump the version when the fingerprint changes.
const fingerprintNamespace = "#fingerprint/1"

// cachedPrint is what the cache keeps per object version.
type cachedPrint struct {
	FP     string `json:"fp,omitempty"`
	Taken  string `json:"taken,omitempty"`  // EXIF DateTimeOriginal, RFC 3339
	SHA256 string `json:"sha256,omitempty"` // of the whole object, when it was read whole
	Err    string `json:"err,omitempty"`    // why this version cannot be fingerprinted
}

// GroupItemsOptions shape GroupItems.
type GroupItemsOptions struct {
	Scores  bool // fill ClarityScore and AestheticScore through Assess (cached; may be paid)
	Workers int  // objects in flight; 0 = the client's concurrency
}

// ItemError is why one object has no fingerprint or no scores.
type ItemError struct {
	Key string
	Err error
}

// GroupStats counts where GroupItems' fingerprints came from.
type GroupStats struct{ CachedPrints, ReadPrints int }

// GroupItems prepares objs for similar.Find: each gets a fingerprint (from the cache, or a
// 256 px imageMogr2 thumbnail on COS, or the file from a served folder), its capture time
// (EXIF DateTimeOriginal, else LastModified marked as an upload time), a content digest
// where one is known for sure, and with opt.Scores its scores. An MD5 ETag is a digest, and
// objects sharing one with their size share one thumbnail; a served folder's files are read
// whole and digested with SHA-256; objects sharing an ETag of another form are read whole
// and compared. items[i] is objs[i]; failed lists, in order, the objects that could not be
// read, fingerprinted or scored (their items lack what failed).
func (c *Client) GroupItems(ctx context.Context, objs []Object, opt GroupItemsOptions) (items []similar.Item, failed []ItemError, st GroupStats) {
	g := grouper{c: c, whole: c.ServesFolder()}
	items = make([]similar.Item, len(objs))
	errs := make([]error, len(objs))
	// Objects whose ETag is a digest share one fingerprint per (size, ETag): a duplicate's
	// thumbnail is never fetched twice. A folder's files are read whole anyway (their SHA-256
	// is what finds copies there: a placed file's ETag says nothing of its bytes).
	first := map[string]int{}
	var later [][2]int
	var todo []int
	for i, o := range objs {
		items[i] = similar.Item{Key: o.Key, Size: o.Size, Taken: o.LastModified, Uploaded: true}
		if d, ok := etagDigest(o.ETag); ok {
			items[i].Content = d
			k := strconv.FormatInt(o.Size, 10) + " " + d
			if j, seen := first[k]; seen && !g.whole {
				later = append(later, [2]int{i, j})
				continue
			}
			first[k] = i
		}
		todo = append(todo, i)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = c.Concurrency()
	}
	parallel.For(ctx, workers, len(todo), func(ctx context.Context, n int) {
		i := todo[n]
		errs[i] = g.fingerprint(ctx, objs[i], &items[i])
		if opt.Scores {
			a, err := c.Assess(ctx, objs[i], AssessOptions{})
			if err == nil {
				items[i].Scored, items[i].Clarity, items[i].Aesthetic = true, a.ClarityScore, a.AestheticScore
			} else if errs[i] == nil {
				errs[i] = err
			}
		}
	})
	for _, p := range later {
		i, j := p[0], p[1]
		items[i].FP, items[i].HasFP, items[i].Scored, items[i].Clarity, items[i].Aesthetic =
			items[j].FP, items[j].HasFP, items[j].Scored, items[j].Clarity, items[j].Aesthetic
		if !items[j].Uploaded { // the same bytes: the same capture time
			items[i].Taken, items[i].Uploaded = items[j].Taken, false
		}
	}
	g.confirmByBytes(ctx, objs, items, errs)
	for i, err := range errs {
		if err != nil {
			failed = append(failed, ItemError{objs[i].Key, err})
		}
	}
	return items, failed, GroupStats{CachedPrints: int(g.cachedPrints.Load()), ReadPrints: int(g.readPrints.Load())}
}

// ServesFolder says the client talks to an embedded COS serving a folder (its Identity is
// file://<folder>): there a preview is the whole file, whatever size is asked for.
func (c *Client) ServesFolder() bool { return strings.HasPrefix(c.endpoint, "file://") }

type grouper struct {
	c     *Client
	whole bool // previews are the whole object

	cachedPrints, readPrints atomic.Int64
}

// fingerprint fills it.FP, it.Taken and (for bytes read whole) it.Content, from the cache
// or by reading the image.
func (g *grouper) fingerprint(ctx context.Context, o Object, it *similar.Item) error {
	cache := g.c.opt.Cache
	ck := scorecache.Key{Endpoint: g.c.endpoint + fingerprintNamespace, Bucket: g.c.bucket, Object: o.Key, ETag: o.ETag}
	var cp cachedPrint
	cached := false
	if cache != nil && o.ETag != "" {
		if raw, ok := cache.Get(ck); ok && json.Unmarshal(raw, &cp) == nil && (cp.FP != "" || cp.Err != "") {
			cached = true
			g.cachedPrints.Add(1)
		}
	}
	if !cached {
		var err error
		if cp, err = g.read(ctx, o); err != nil {
			return err
		}
		g.readPrints.Add(1)
		if cache != nil && o.ETag != "" {
			if raw, err := json.Marshal(cp); err == nil {
				_ = cache.Put(ck, raw) // a cache that cannot be written costs a re-read next run
			}
		}
	}
	if cp.Err != "" {
		return &Error{Kind: KindUnsupported, Op: "fingerprint", Key: o.Key, Message: cp.Err}
	}
	fp, err := similar.ParseFingerprint(cp.FP)
	if err != nil {
		return &Error{Kind: KindInvalid, Op: "fingerprint", Key: o.Key, Message: "cached: " + err.Error()}
	}
	it.FP, it.HasFP = fp, true
	if t, err := time.Parse(time.RFC3339, cp.Taken); err == nil {
		it.Taken, it.Uploaded = t, false
	}
	if cp.SHA256 != "" {
		it.Content = "sha256:" + cp.SHA256
	}
	return nil
}

// read fetches the image (a thumbnail on COS, the file from a served folder) and
// fingerprints it. An image that cannot be decoded is a lasting answer for this version,
// kept in cp.Err; only a failed fetch is an error.
func (g *grouper) read(ctx context.Context, o Object) (cachedPrint, error) {
	side, limit := thumbSide, int64(thumbMaxBytes)
	if g.whole {
		side, limit = 0, fileMaxBytes
	}
	data, err := g.c.Preview(ctx, o.Key, side, limit)
	if err != nil {
		return cachedPrint{}, err
	}
	var cp cachedPrint
	if g.whole && int64(len(data)) == o.Size {
		sum := sha256.Sum256(data)
		cp.SHA256 = hex.EncodeToString(sum[:])
	}
	if t, ok := exif.JPEGDateTimeOriginal(data); ok {
		cp.Taken = t.Format(time.RFC3339)
	}
	fp, err := similar.Decode(data)
	if err != nil {
		cp.Err = "cannot fingerprint: " + err.Error()
		return cp, nil
	}
	cp.FP = fp.String()
	return cp, nil
}

// md5ETag is how COS (and S3) write the ETag of a simple upload, the MD5 of the bytes, or
// of a multipart upload, an MD5 of the parts' MD5s and the part count: either is a digest of
// the content. Other ETags (server-side encryption, other stores) may not be.
var md5ETag = regexp.MustCompile(`^[0-9a-fA-F]{32}(-[0-9]+)?$`)

func etagDigest(etag string) (string, bool) {
	e := strings.Trim(etag, `"`)
	if !md5ETag.MatchString(e) {
		return "", false
	}
	return "etag:" + strings.ToLower(e), true
}

// confirmByBytes settles the objects whose ETag is no digest but which share size and ETag
// with another: their bytes are read and hashed, and only equal hashes make duplicates.
func (g *grouper) confirmByBytes(ctx context.Context, objs []Object, items []similar.Item, errs []error) {
	bySame := map[string][]int{}
	for i, o := range objs {
		if items[i].Content == "" && o.ETag != "" {
			k := strconv.FormatInt(o.Size, 10) + " " + o.ETag
			bySame[k] = append(bySame[k], i)
		}
	}
	var todo []int
	for _, m := range bySame {
		if len(m) > 1 {
			todo = append(todo, m...)
		}
	}
	parallel.For(ctx, g.c.Concurrency(), len(todo), func(ctx context.Context, n int) {
		i := todo[n]
		if objs[i].Size > fileMaxBytes {
			return // too big to read for this; left unconfirmed
		}
		data, err := g.c.Preview(ctx, objs[i].Key, 0, fileMaxBytes)
		if err != nil {
			if errs[i] == nil {
				errs[i] = err
			}
			return
		}
		sum := sha256.Sum256(data)
		items[i].Content = "sha256:" + hex.EncodeToString(sum[:])
	})
}
