package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/internal/cosrules"
	"lightbox/localcos"
)

// targetFlags are how every bucket-facing command names its bucket and credentials.
type targetFlags struct {
	configPath                 string
	endpoint, bucket, region   string
	secretID, secretKey, token string
	limits                     string
}

func (f *targetFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.configPath, "config", "", "config file (default $LIGHTBOX_CONFIG or <config dir>/lightbox/config.toml)")
	fl.StringVar(&f.endpoint, "endpoint", "", "COS endpoint URL, e.g. http://127.0.0.1:7070 for a lightbox serve")
	fl.StringVar(&f.bucket, "bucket", "", "bucket NAME-APPID (with --endpoint, TARGET may then be just a prefix)")
	fl.StringVar(&f.region, "region", "", "COS region of a cos:// target (default from the config or COSCLI)")
	fl.StringVar(&f.secretID, "secret-id", "", "SecretId (default: $COS_SECRETID, $TENCENTCLOUD_SECRET_ID, the config, ~/.cos.yaml)")
	fl.StringVar(&f.secretKey, "secret-key", "", "SecretKey (prefer the environment: flags show in ps)")
	fl.StringVar(&f.token, "session-token", "", "STS session token, with temporary keys")
	fl.StringVar(&f.limits, "limits", "local", "for a folder TARGET: AssessQuality limits, local (none) or cos (like the cloud)")
}

// resolved is everything needed to open a client.
type resolved struct {
	cfg    config.Config
	target config.Target
	creds  config.Credentials
}

// resolve reads the config, parses TARGET and finds credentials, printing config warnings.
func (f *targetFlags) resolve(arg string, warn io.Writer) (resolved, error) {
	cfg, warnings, err := config.Load(f.configPath)
	if err != nil {
		return resolved{}, err
	}
	for _, w := range warnings {
		fmt.Fprintln(warn, "warning:", w)
	}
	cliPath, _ := config.COSCLIPath(cfg)
	cli, err := config.LoadCOSCLI(cliPath)
	if err != nil {
		fmt.Fprintln(warn, "warning: ignoring COSCLI's config:", err)
		cli = nil
	}
	var t config.Target
	switch {
	case f.bucket != "" && !strings.HasPrefix(strings.ToLower(arg), "cos://"):
		if !cosrules.ValidBucket(f.bucket) {
			return resolved{}, usageError{fmt.Errorf("--bucket %q: want NAME-APPID, e.g. photos-1250000000", f.bucket)}
		}
		t = config.Target{Bucket: f.bucket, Prefix: arg, Region: f.region, Endpoint: f.endpoint}
		if t.Endpoint == "" {
			t.Endpoint = cfg.COS.Endpoint
		}
		if t.Region == "" {
			t.Region = cfg.COS.Region
		}
		if t.Endpoint == "" && t.Region == "" {
			return resolved{}, usageError{errors.New("--bucket needs --endpoint or --region")}
		}
	default:
		if t, err = config.ParseTarget(arg, cfg, cli, f.region, f.endpoint); err != nil {
			return resolved{}, err
		}
	}
	r := resolved{cfg: cfg, target: t}
	if !t.IsLocal() {
		r.creds, err = config.ResolveCredentials(config.Sources{
			FlagID: f.secretID, FlagKey: f.secretKey, FlagToken: f.token, Config: cfg, COSCLI: cliPath,
		})
		if err != nil {
			return resolved{}, err
		}
	}
	return r, nil
}

type scoreFlags struct {
	targetFlags
	scoringFlags
	recursive, refresh, all bool
	format                  string
}

func newScoreCmd() *cobra.Command {
	var f scoreFlags
	cmd := &cobra.Command{
		Use:   "score [flags] TARGET",
		Short: "Score every image under a bucket prefix or folder through AssessQuality",
		Long: "Score every PNG and JPEG under TARGET (cos://BUCKET-APPID/prefix/, or a folder, served by an\n" +
			"embedded COS) through the AssessQuality API and print one row per object, in key order.\n" +
			"Scores are cached per object version (ETag) across runs: each is paid for once.\n" +
			"Progress goes to stderr when it is a terminal; the summary always does. Exit status 1 if\n" +
			"any object failed.",
		Example: "  lightbox score ~/Pictures\n" +
			"  lightbox score --recursive --format csv cos://photos-1250000000/2024/ > scores.csv\n" +
			"  lightbox score --endpoint http://127.0.0.1:7070 --bucket local-1250000000 shoots/",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return errorfUsage("score takes one TARGET")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			} else if f.bucket == "" {
				return errorfUsage("score needs a TARGET (or --bucket with --endpoint)")
			}
			return runScore(cmd.Context(), cmd, arg, f)
		},
	}
	f.targetFlags.register(cmd)
	f.scoringFlags.register(cmd)
	fl := cmd.Flags()
	fl.BoolVarP(&f.recursive, "recursive", "r", false, "score under every sub-prefix too")
	fl.StringVar(&f.format, "format", "json", "output: json (JSON Lines) or csv")
	fl.BoolVar(&f.refresh, "refresh", false, "ask again even for cached scores (writes the new ones)")
	fl.BoolVar(&f.all, "all", false, "score every object, not only names ending .jpg, .jpeg or .png")
	return cmd
}

func runScore(ctx context.Context, cmd *cobra.Command, arg string, f scoreFlags) error {
	if f.format != "json" && f.format != "csv" {
		return errorfUsage("--format must be json or csv, not %q", f.format)
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
	client, err := cosapi.Open(cosapi.Options{
		Target: r.target, Credentials: r.creds, Scoring: scoring, Curation: r.cfg.Curation,
		Cache: cache, LocalLimits: limits,
	})
	if err != nil {
		return err
	}
	defer client.Close()

	out := newScoreWriter(cmd.OutOrStdout(), f.format)
	progress := newProgress(cmd.ErrOrStderr())
	tally, err := scoreAll(ctx, client, r.target.Prefix, f, scoring.Concurrency, func(row scoreRow) {
		out.write(row)
		progress.update(row)
	})
	out.flush()
	progress.done()
	st := client.Stats()
	fmt.Fprintf(cmd.ErrOrStderr(), "scored %d (%d from cache), failed %d; %d calls, %d retries\n",
		tally.scored, st.CacheHits, tally.failed, st.Calls, st.Retries)
	if err != nil {
		return err
	}
	if tally.failed > 0 {
		return quietError{fmt.Errorf("%d objects failed", tally.failed)}
	}
	return nil
}

// scoreRow is one printed line.
type scoreRow struct {
	obj cosapi.Object
	res cosapi.Assessment
	err error
}

type tally struct{ scored, failed int }

// scoreAll lists under prefix and scores with `workers` in parallel, handing rows to emit
// in listing order. A bounded window keeps memory flat however large the prefix.
func scoreAll(ctx context.Context, c *cosapi.Client, prefix string, f scoreFlags, workers int, emit func(scoreRow)) (tally, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		row  scoreRow
		done chan struct{}
	}
	window := make(chan *job, workers*4)
	work := make(chan *job)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				j.row.res, j.row.err = c.Assess(ctx, j.row.obj, cosapi.AssessOptions{Refresh: f.refresh})
				close(j.done)
			}
		}()
	}
	listErr := make(chan error, 1)
	go func() {
		defer close(window)
		defer close(work)
		listErr <- c.List(ctx, prefix, f.recursive, func(p cosapi.Page) error {
			for _, o := range p.Objects {
				if strings.HasSuffix(o.Key, "/") || (!f.all && !looksLikeImage(o.Key)) {
					continue
				}
				j := &job{row: scoreRow{obj: o}, done: make(chan struct{})}
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
	var t tally
	for j := range window {
		<-j.done
		if j.row.err != nil {
			t.failed++
		} else {
			t.scored++
		}
		emit(j.row)
	}
	wg.Wait()
	return t, <-listErr
}

func looksLikeImage(key string) bool {
	switch strings.ToLower(path.Ext(key)) {
	case ".jpg", ".jpeg", ".png":
		return true
	}
	return false
}

// scoreWriter prints rows as JSON Lines (the API's field names plus key) or CSV.
type scoreWriter struct {
	format string
	w      io.Writer
	csv    *csv.Writer
}

var csvHeader = []string{"key", "size", "etag", "LongImage", "BlackAndWhite", "SmallImage", "BigImage", "PureImage",
	"ClarityScore", "AestheticScore", "LowQualityScore", "cached", "error_kind", "error_code", "error"}

func newScoreWriter(w io.Writer, format string) *scoreWriter {
	s := &scoreWriter{format: format, w: w}
	if format == "csv" {
		s.csv = csv.NewWriter(w)
		_ = s.csv.Write(csvHeader) // errors surface at Flush
	}
	return s
}

type jsonRow struct {
	Key  string `json:"key"`
	Size int64  `json:"size"`
	ETag string `json:"etag"`
	apiFields
	Cached bool        `json:"cached,omitempty"`
	Error  *scoreError `json:"error,omitempty"`
}

type scoreError struct {
	Kind    string `json:"kind"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
}

func (s *scoreWriter) write(r scoreRow) {
	etag := strings.Trim(r.obj.ETag, `"`)
	if s.format == "json" {
		row := jsonRow{Key: r.obj.Key, Size: r.obj.Size, ETag: etag, Cached: r.res.Cached}
		if r.err != nil {
			row.Error = errorJSON(r.err)
		} else {
			sc := r.res.Scores
			row.apiFields = newAPIFields(sc.LongImage, sc.BlackAndWhite, sc.SmallImage, sc.BigImage, sc.PureImage,
				sc.ClarityScore, sc.AestheticScore, sc.LowQualityScore)
		}
		b, _ := json.Marshal(row) // plain values always marshal
		_, _ = s.w.Write(append(b, '\n'))
		return
	}
	rec := []string{r.obj.Key, strconv.FormatInt(r.obj.Size, 10), etag}
	if r.err != nil {
		e := errorJSON(r.err)
		rec = append(rec, "", "", "", "", "", "", "", "", strconv.FormatBool(r.res.Cached), e.Kind, e.Code, e.Message)
	} else {
		sc := r.res.Scores
		rec = append(rec, word(sc.LongImage), word(sc.BlackAndWhite), word(sc.SmallImage), word(sc.BigImage), word(sc.PureImage),
			strconv.Itoa(sc.ClarityScore), strconv.Itoa(sc.AestheticScore), strconv.Itoa(sc.LowQualityScore),
			strconv.FormatBool(r.res.Cached), "", "", "")
	}
	_ = s.csv.Write(rec)
}

func (s *scoreWriter) flush() {
	if s.csv != nil {
		s.csv.Flush()
	}
}

func word(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

func errorJSON(err error) *scoreError {
	var e *cosapi.Error
	if errors.As(err, &e) {
		return &scoreError{Kind: e.Kind.String(), Code: e.Code, Message: err.Error()}
	}
	return &scoreError{Kind: "error", Message: err.Error()}
}

// progress shows "scored n/..." on stderr while it is a terminal.
type progress struct {
	w          io.Writer
	on         bool
	n, failed  int
	lastUpdate time.Time
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.on = true
		}
	}
	return p
}

func (p *progress) update(r scoreRow) {
	p.n++
	if r.err != nil {
		p.failed++
	}
	if p.on && time.Since(p.lastUpdate) > 100*time.Millisecond {
		p.lastUpdate = time.Now()
		fmt.Fprintf(p.w, "\r\x1b[Kscored %d, failed %d  %s", p.n, p.failed, printable(r.obj.Key, 60))
	}
}

func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// printable keeps a key from steering the terminal: control characters go, and long
// names are cut.
func printable(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
