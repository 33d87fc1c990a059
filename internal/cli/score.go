package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"lightbox/cosapi"
	"lightbox/internal/names"
	"lightbox/score"
)

type scoreFlags struct {
	scoredTargetFlags
	refresh, all bool
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
	}
	f.wire(cmd, func(cmd *cobra.Command, arg string) error {
		return runScore(cmd.Context(), cmd, arg, f)
	}, "score under every sub-prefix too", "output: json (JSON Lines) or csv")
	fl := cmd.Flags()
	fl.BoolVar(&f.refresh, "refresh", false, "ask again even for cached scores (writes the new ones)")
	fl.BoolVar(&f.all, "all", false, "score every object, not only names ending .jpg, .jpeg or .png")
	return cmd
}

func runScore(ctx context.Context, cmd *cobra.Command, arg string, f scoreFlags) error {
	sess, err := openScoring(cmd, arg, &f.scoredTargetFlags, "json", "csv")
	if err != nil {
		return err
	}
	defer sess.close()
	r, scoring, cache, client := sess.r, sess.scoring, sess.cache, sess.client
	if cache != nil {
		// Another run scoring the same prefix pays for it once: wait for it, then take its
		// scores from the cache.
		release, err := cache.Lease(ctx, client.Endpoint()+"/"+client.Bucket()+"/"+r.target.Prefix)
		if err != nil {
			return err
		}
		defer release()
	}

	out := newScoreWriter(cmd.OutOrStdout(), f.format)
	progress := newProgress(cmd.ErrOrStderr())
	tally, err := client.ScoreAll(ctx, r.target.Prefix, cosapi.ScoreAllOptions{
		Recursive: f.recursive, Refresh: f.refresh, All: f.all, Workers: scoring.Concurrency,
	}, func(row cosapi.Scored) {
		out.write(row)
		progress.update(row)
	})
	out.flush()
	progress.done()
	st := client.Stats()
	fmt.Fprintf(cmd.ErrOrStderr(), "scored %d (%d from cache), failed %d; %d calls, %d retries\n",
		tally.Scored, st.CacheHits, tally.Failed, st.Calls, st.Retries)
	if err != nil {
		return err
	}
	if tally.Failed > 0 {
		return quietError{fmt.Errorf("%d objects failed", tally.Failed)}
	}
	return nil
}

// scoreWriter prints rows as JSON Lines (the API's field names plus key) or CSV.
type scoreWriter struct {
	format string
	w      io.Writer
	csv    *csv.Writer
}

// csvHeader names the columns: the object, the API's eight fields under its names and in
// its order (package score's), then where the answer came from or why there is none.
var csvHeader = func() []string {
	h := []string{"key", "size", "etag"}
	for _, f := range score.Flags {
		h = append(h, f.APIName)
	}
	for _, f := range score.Fields {
		h = append(h, f.APIName)
	}
	return append(h, "cached", "error_kind", "error_code", "error")
}()

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

func (s *scoreWriter) write(r cosapi.Scored) {
	etag := strings.Trim(r.Object.ETag, `"`)
	if s.format == "json" {
		row := jsonRow{Key: r.Object.Key, Size: r.Object.Size, ETag: etag, Cached: r.Assessment.Cached}
		if r.Err != nil {
			row.Error = errorJSON(r.Err)
		} else {
			sc := r.Assessment.Scores
			row.apiFields = newAPIFields(sc.LongImage, sc.BlackAndWhite, sc.SmallImage, sc.BigImage, sc.PureImage,
				sc.ClarityScore, sc.AestheticScore, sc.LowQualityScore)
		}
		b, _ := json.Marshal(row) // plain values always marshal
		_, _ = s.w.Write(append(b, '\n'))
		return
	}
	rec := []string{r.Object.Key, strconv.FormatInt(r.Object.Size, 10), etag}
	if r.Err != nil {
		e := errorJSON(r.Err)
		rec = append(rec, make([]string, len(score.Flags)+len(score.Fields))...)
		rec = append(rec, strconv.FormatBool(r.Assessment.Cached), e.Kind, e.Code, e.Message)
	} else {
		sc := r.Assessment.Scores
		for _, f := range score.Flags {
			rec = append(rec, word(f.Get(sc)))
		}
		for _, f := range score.Fields {
			rec = append(rec, strconv.Itoa(f.Get(sc)))
		}
		rec = append(rec, strconv.FormatBool(r.Assessment.Cached), "", "", "")
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
	f, ok := w.(*os.File)
	return &progress{w: w, on: ok && isTerminal(f)}
}

func (p *progress) update(r cosapi.Scored) {
	p.n++
	if r.Err != nil {
		p.failed++
	}
	if p.on && time.Since(p.lastUpdate) > 100*time.Millisecond {
		p.lastUpdate = time.Now()
		fmt.Fprintf(p.w, "\r\x1b[Kscored %d, failed %d  %s", p.n, p.failed, names.Shorten(names.Printable(r.Object.Key), 60))
	}
}

func (p *progress) done() {
	if p.on {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
