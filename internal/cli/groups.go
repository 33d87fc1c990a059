package cli

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/cosapi/scorecache"
	"lightbox/internal/exif"
	"lightbox/internal/names"
	"lightbox/internal/parallel"
	"lightbox/localcos"
	"lightbox/similar"
)

type groupsFlags struct {
	targetFlags
	scoringFlags
	recursive, noScores bool
	format              string
}

func newGroupsCmd() *cobra.Command {
	var f groupsFlags
	cmd := &cobra.Command{
		Use:   "groups [flags] TARGET",
		Short: "Find exact duplicates, near-duplicates and bursts, and the best image of each",
		Long: "Group the PNG and JPEG images under TARGET (cos://BUCKET-APPID/prefix/, or a folder) that\n" +
			"are the same picture: exact duplicates (same size and content digest: found from the\n" +
			"listing alone when the ETag is an MD5), near-duplicates (re-encoded, resized, lightly\n" +
			"cropped or re-exposed copies: perceptual fingerprints within [groups] near_threshold) and\n" +
			"bursts (within burst_threshold and taken within burst_window, by EXIF capture time or\n" +
			"else the object's time). Each group names its best member: the highest ClarityScore,\n" +
			"then AestheticScore (scored through AssessQuality, cached), and why.\n" +
			"Fingerprints come from a small thumbnail on COS (imageMogr2) or the file on a folder,\n" +
			"and are cached per object version beside the scores. Exit status 1 if any image could\n" +
			"not be read or scored (the groups found are still printed).",
		Example: "  lightbox groups ~/Pictures/trip\n" +
			"  lightbox groups --recursive --format csv cos://photos-1250000000/2024/ > groups.csv\n" +
			"  lightbox groups --no-scores --format text cos://photos-1250000000/inbox/",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return errorfUsage("groups takes one TARGET")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			} else if f.bucket == "" {
				return errorfUsage("groups needs a TARGET (or --bucket with --endpoint)")
			}
			return runGroups(cmd.Context(), cmd, arg, f)
		},
	}
	f.targetFlags.register(cmd)
	f.scoringFlags.register(cmd)
	fl := cmd.Flags()
	fl.BoolVarP(&f.recursive, "recursive", "r", false, "group across every sub-prefix too")
	fl.StringVar(&f.format, "format", "json", "output: json (JSON Lines, one group a line), csv (one member a row) or text")
	fl.BoolVar(&f.noScores, "no-scores", false, "call no AssessQuality: pick the best by file size (cached scores are not used either)")
	return cmd
}

func runGroups(ctx context.Context, cmd *cobra.Command, arg string, f groupsFlags) error {
	if err := f.scoringFlags.check(cmd); err != nil {
		return err
	}
	switch f.format {
	case "json", "csv", "text":
	default:
		return errorfUsage("--format must be json, csv or text, not %q", f.format)
	}
	limits, err := localcos.ParseLimits(f.limits)
	if err != nil {
		return usageError{err}
	}
	r, err := f.resolve(arg, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	scoring := f.apply(r.cfg.Scoring)
	cache, err := f.openScoreCache(scoring)
	if err != nil {
		return err
	}
	defer closeCache(cache)
	client, closeClient, err := openClient(r, scoring, cache, limits)
	if err != nil {
		return err
	}
	defer closeClient()

	prefix := r.target.Prefix
	var objs []cosapi.Object
	err = client.List(ctx, prefix, f.recursive, func(p cosapi.Page) error {
		for _, o := range p.Objects {
			if !strings.HasSuffix(o.Key, "/") && names.IsImageName(o.Key) {
				objs = append(objs, o)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	g := grouper{client: client, cache: cache, local: r.target.IsLocal(), scores: !f.noScores}
	items, failures := g.collect(ctx, objs, scoring.Concurrency)
	if err := ctx.Err(); err != nil {
		return err
	}
	groups := similar.Find(items, groupOptions(r.cfg.Groups))

	out := newGroupWriter(cmd.OutOrStdout(), f.format, prefix)
	for _, gr := range groups {
		out.write(items, gr)
	}
	if err := out.flush(); err != nil {
		return err
	}
	for _, fl := range failures {
		fmt.Fprintf(cmd.ErrOrStderr(), "%s: %v\n", names.Printable(fl.key), fl.err)
	}
	kinds := map[similar.Kind]int{}
	for _, gr := range groups {
		kinds[gr.Kind]++
	}
	st := client.Stats()
	fmt.Fprintf(cmd.ErrOrStderr(), "%d images, %d groups (%d duplicate, %d near, %d burst); fingerprints: %d from cache, %d read; %d AssessQuality calls; failed %d\n",
		len(objs), len(groups), kinds[similar.Duplicate], kinds[similar.Near], kinds[similar.Burst],
		g.cachedPrints.Load(), g.readPrints.Load(), st.Calls, len(failures))
	if len(failures) > 0 {
		return quietError{fmt.Errorf("%d images failed", len(failures))}
	}
	return nil
}

// groupOptions turns [groups] into thresholds. The difference-hash threshold that confirms
// a near match moves with near_threshold, by the same number of bits.
func groupOptions(g config.Groups) similar.Options {
	d := similar.DefaultOptions
	return similar.Options{
		Near:   g.NearThreshold,
		NearD:  min(max(d.NearD+g.NearThreshold-d.Near, 0), 64),
		Burst:  g.BurstThreshold,
		Window: g.BurstWindow,
	}
}

// Fingerprints are read from a thumbnail this size on COS; the embedded COS sends the file.
const (
	thumbSide     = 256
	thumbMaxBytes = 8 << 20
	fileMaxBytes  = 256 << 20 // a folder's file, read whole to fingerprint and digest it
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

type failure struct {
	key string
	err error
}

type grouper struct {
	client *cosapi.Client
	cache  *scorecache.Cache
	local  bool // the bytes come whole from an embedded COS
	scores bool

	cachedPrints, readPrints atomic.Int64
}

// collect fingerprints and scores every object, width at a time, in listing order.
func (g *grouper) collect(ctx context.Context, objs []cosapi.Object, width int) ([]similar.Item, []failure) {
	items := make([]similar.Item, len(objs))
	errs := make([]error, len(objs))
	// Objects whose ETag is a digest share one fingerprint per (size, ETag): a duplicate's
	// thumbnail is never fetched twice.
	first := map[string]int{}
	var later [][2]int
	var todo []int
	for i, o := range objs {
		items[i] = similar.Item{Key: o.Key, Size: o.Size, Taken: o.LastModified, Uploaded: true}
		if d, ok := etagDigest(o.ETag); ok {
			items[i].Content = d
			k := strconv.FormatInt(o.Size, 10) + " " + d
			if j, seen := first[k]; seen && !g.local {
				later = append(later, [2]int{i, j})
				continue
			}
			first[k] = i
		}
		todo = append(todo, i)
	}
	parallel.For(ctx, width, len(todo), func(ctx context.Context, n int) {
		i := todo[n]
		errs[i] = g.fingerprint(ctx, objs[i], &items[i])
		if g.scores {
			a, err := g.client.Assess(ctx, objs[i], cosapi.AssessOptions{})
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
	var failures []failure
	for i, err := range errs {
		if err != nil {
			failures = append(failures, failure{objs[i].Key, err})
		}
	}
	return items, failures
}

// fingerprint fills it's FP, Taken and (for bytes read whole) Content, from the cache or by
// reading the image.
func (g *grouper) fingerprint(ctx context.Context, o cosapi.Object, it *similar.Item) error {
	ck := scorecache.Key{Endpoint: g.client.Endpoint() + fingerprintNamespace, Bucket: g.client.Bucket(), Object: o.Key, ETag: o.ETag}
	var cp cachedPrint
	cached := false
	if g.cache != nil && o.ETag != "" {
		if raw, ok := g.cache.Get(ck); ok && json.Unmarshal(raw, &cp) == nil && (cp.FP != "" || cp.Err != "") {
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
		if g.cache != nil && o.ETag != "" {
			if raw, err := json.Marshal(cp); err == nil {
				_ = g.cache.Put(ck, raw) // a cache that cannot be written costs a re-read next run
			}
		}
	}
	if cp.Err != "" {
		return errors.New(cp.Err)
	}
	fp, err := similar.ParseFingerprint(cp.FP)
	if err != nil {
		return err
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

// read fetches the image (a thumbnail on COS, the file on a folder) and fingerprints it. An
// image that cannot be decoded is a lasting answer for this version, kept in cp.Err; only a
// failed fetch is an error.
func (g *grouper) read(ctx context.Context, o cosapi.Object) (cachedPrint, error) {
	side, limit := thumbSide, int64(thumbMaxBytes)
	if g.local {
		side, limit = 0, fileMaxBytes
	}
	data, err := g.client.Preview(ctx, o.Key, side, limit)
	if err != nil {
		return cachedPrint{}, err
	}
	var cp cachedPrint
	if g.local && int64(len(data)) == o.Size {
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
func (g *grouper) confirmByBytes(ctx context.Context, objs []cosapi.Object, items []similar.Item, errs []error) {
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
	parallel.For(ctx, g.client.Concurrency(), len(todo), func(ctx context.Context, n int) {
		i := todo[n]
		if objs[i].Size > fileMaxBytes {
			return // too big to read for this; left unconfirmed
		}
		data, err := g.client.Preview(ctx, objs[i].Key, 0, fileMaxBytes)
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

// groupWriter prints groups as JSON Lines, CSV (one member a row) or text, keys relative
// to the target's prefix.
type groupWriter struct {
	format, prefix string
	w              io.Writer
	csv            *csv.Writer
	n              int
	err            error
}

// groupJSON is one line of --format json.
type groupJSON struct {
	Kind    string   `json:"kind"`
	Best    string   `json:"best"`
	Members []string `json:"members"` // best first, then in the order the best was chosen by
	Why     string   `json:"why"`
}

func newGroupWriter(w io.Writer, format, prefix string) *groupWriter {
	gw := &groupWriter{format: format, prefix: prefix, w: w}
	if format == "csv" {
		gw.csv = csv.NewWriter(w)
		_ = gw.csv.Write([]string{"group", "kind", "key", "best", "ClarityScore", "AestheticScore", "why"})
	}
	return gw
}

func (gw *groupWriter) rel(key string) string { return strings.TrimPrefix(key, gw.prefix) }

func (gw *groupWriter) write(items []similar.Item, g similar.Group) {
	gw.n++
	switch gw.format {
	case "json":
		row := groupJSON{Kind: g.Kind.String(), Best: gw.rel(items[g.Best()].Key), Why: g.Why}
		for _, m := range g.Members {
			row.Members = append(row.Members, gw.rel(items[m].Key))
		}
		b, _ := json.Marshal(row) // strings only
		gw.put(append(b, '\n'))
	case "csv":
		for k, m := range g.Members {
			it := items[m]
			clarity, aesthetic, why := "", "", ""
			if it.Scored {
				clarity, aesthetic = strconv.Itoa(it.Clarity), strconv.Itoa(it.Aesthetic)
			}
			if k == 0 {
				why = g.Why
			}
			_ = gw.csv.Write([]string{strconv.Itoa(gw.n), g.Kind.String(), gw.rel(it.Key), strconv.FormatBool(k == 0), clarity, aesthetic, why})
		}
	default:
		var b strings.Builder
		fmt.Fprintf(&b, "%s, %d images: keep %s (%s)\n", g.Kind, len(g.Members), names.Printable(gw.rel(items[g.Best()].Key)), g.Why)
		for _, m := range g.Members[1:] {
			fmt.Fprintf(&b, "  %s\n", names.Printable(gw.rel(items[m].Key)))
		}
		gw.put([]byte(b.String()))
	}
}

func (gw *groupWriter) put(b []byte) {
	if gw.err == nil {
		_, gw.err = gw.w.Write(b)
	}
}

func (gw *groupWriter) flush() error {
	if gw.csv != nil {
		gw.csv.Flush()
		return gw.csv.Error()
	}
	return gw.err
}
