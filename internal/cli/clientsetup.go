package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/cosapi/scorecache"
	"lightbox/internal/localtarget"
	"lightbox/localcos"
	"lightbox/quality"
	"lightbox/score"
)

// scoringFlags are the command-line overrides of [scoring] that score and the reviewer share.
type scoringFlags struct {
	concurrency int
	qps         float64
	maxCalls    int
	noCache     bool
	scorer      string
}

func (f *scoringFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVarP(&f.concurrency, "concurrency", "c", 0, "parallel AssessQuality calls (default from the config: 4)")
	fl.Float64Var(&f.qps, "qps", 0, "at most this many AssessQuality calls per second (default from the config: 10)")
	fl.IntVar(&f.maxCalls, "max-calls", -1, "stop paying after this many calls; 0 = no cap (default from the config)")
	fl.BoolVar(&f.noCache, "no-cache", false, "neither read nor write the score cache")
	fl.StringVar(&f.scorer, "scorer", "", "who scores a COS bucket: cos (AssessQuality, billed per call) or local (download each image once and score it on this CPU); folders are always scored locally (default from the config: cos)")
}

// apply lays the flags that were given over the config's [scoring].
func (f scoringFlags) apply(s config.Scoring) config.Scoring {
	if f.concurrency > 0 {
		s.Concurrency = f.concurrency
	}
	if f.qps > 0 {
		s.QPS = f.qps
	}
	if f.maxCalls >= 0 {
		s.MaxCalls = f.maxCalls
	}
	if f.scorer != "" {
		s.Scorer = f.scorer
	}
	return s
}

// openScoreCache opens the persistent score cache, or returns nil with --no-cache; close
// it with closeCache. Damage found on opening (lines skipped, a file cut short, one set
// aside) is told to warn once, with the paths.
func (f scoringFlags) openScoreCache(s config.Scoring, warn func(string)) (*scorecache.Cache, error) {
	if f.noCache {
		return nil, nil
	}
	p := s.Cache
	if p == "" {
		var err error
		if p, err = scorecache.DefaultPath(); err != nil {
			return nil, err
		}
	}
	c, err := scorecache.Open(p)
	if err != nil {
		return nil, fmt.Errorf("score cache: %w (run with --no-cache to go without)", err)
	}
	if d := c.Damage(); d != "" {
		warn(d)
	}
	return c, nil
}

func closeCache(c *scorecache.Cache) {
	if c != nil {
		_ = c.Close() // compaction is an optimisation; the log is already durable
	}
}

// localScore is the local scorer for a COS bucket (--scorer local): quality/, which answers
// like AssessQuality, run on the downloaded bytes. Image errors are unsupported images,
// with the same codes the embedded COS gives.
func localScore(_ context.Context, data []byte) (score.Scores, error) {
	res, err := quality.Assess(data)
	if err != nil {
		var qe *quality.Error
		if errors.As(err, &qe) {
			return score.Scores{}, &cosapi.Error{Kind: cosapi.KindUnsupported, Op: "assess", Code: string(qe.Code), Message: qe.Message, Err: err}
		}
		return score.Scores{}, err
	}
	return score.Scores{
		LongImage: res.LongImage, BlackAndWhite: res.BlackAndWhite, SmallImage: res.SmallImage, BigImage: res.BigImage, PureImage: res.PureImage,
		ClarityScore: res.ClarityScore, AestheticScore: res.AestheticScore, LowQualityScore: res.LowQualityScore,
	}, nil
}

// openClient opens the COS client on r's target. A folder is first served by an embedded
// COS on a loopback port (limits apply to its AssessQuality), and the client is opened on
// that endpoint like on any bucket. The returned func closes the client, then the server.
func openClient(r resolved, scoring config.Scoring, cache *scorecache.Cache, limits localcos.Limits) (*cosapi.Client, func(), error) {
	c, closer, _, err := openTarget(r, scoring, cache, limits, false)
	return c, closer, err
}

// openTarget is openClient that also says why the target cannot be changed ("" when it
// can): a folder nobody may write is served read-only. forScreen is for the reviewer, which
// draws a screen in the same process: a folder's embedded COS then scores on one CPU fewer
// (headroomJobs) and on threads of the lowest priority (localcos AssessBackground).
func openTarget(r resolved, scoring config.Scoring, cache *scorecache.Cache, limits localcos.Limits, forScreen bool) (*cosapi.Client, func(), string, error) {
	opt := cosapi.Options{Target: r.target, Credentials: r.creds, Scoring: scoring, Cache: cache}
	if !r.target.IsLocal() && scoring.Scorer == "local" {
		opt.LocalScore = localScore // a folder's embedded COS scores locally already
	}
	var served *localtarget.Served
	if r.target.IsLocal() {
		var err error
		var adjust func(*localcos.Config)
		if forScreen {
			adjust = func(c *localcos.Config) { c.AssessJobs, c.AssessBackground = headroomJobs(processCPUs()), true }
		}
		if served, err = localtarget.Start(r.target, limits, adjust); err != nil {
			return nil, nil, "", err
		}
		opt.Target, opt.Credentials, opt.Identity = served.Target, served.Credentials, served.Identity
	}
	client, err := cosapi.Open(opt)
	if err != nil {
		if served != nil {
			_ = served.Close()
		}
		return nil, nil, "", err
	}
	readOnly := ""
	if served != nil {
		readOnly = served.ReadOnly
	}
	return client, func() {
		_ = client.Close()
		if served != nil {
			_ = served.Close()
		}
	}, readOnly, nil
}

// warnTo prints warnings to w, each once, as commands do on stderr.
func warnTo(w io.Writer) func(string) {
	return func(msg string) { fmt.Fprintln(w, "warning:", msg) }
}

// scoringSession is what score and groups work with: the target resolved, the client
// opened on it and the score cache.
type scoringSession struct {
	r       resolved
	scoring config.Scoring
	cache   *scorecache.Cache
	client  *cosapi.Client
	close   func() // the client (and a folder's server), then the cache
}

// scoredTargetFlags are the flags of the commands that list one TARGET and score what they
// find (score, groups): the target, the scoring overrides, --recursive and --format.
type scoredTargetFlags struct {
	targetFlags
	scoringFlags
	recursive bool
	format    string
}

// wire makes cmd take one TARGET, handed to run, and registers the shared flags with the
// command's own help for --recursive and --format (whose default is json).
func (f *scoredTargetFlags) wire(cmd *cobra.Command, run func(cmd *cobra.Command, arg string) error, recursiveHelp, formatHelp string) {
	cmd.Args, cmd.RunE = oneTarget(&f.targetFlags, run)
	f.targetFlags.register(cmd)
	f.scoringFlags.register(cmd)
	fl := cmd.Flags()
	fl.BoolVarP(&f.recursive, "recursive", "r", false, recursiveHelp)
	fl.StringVar(&f.format, "format", "json", formatHelp)
}

// openScoring checks the flags (--format must be one of formats) before anything is
// opened, so a usage mistake costs no connection; then it resolves TARGET, opens the score
// cache (damage said on stderr) and the client: the start every scoring command shares.
func openScoring(cmd *cobra.Command, arg string, f *scoredTargetFlags, formats ...string) (*scoringSession, error) {
	if err := f.scoringFlags.check(cmd); err != nil {
		return nil, err
	}
	if !slices.Contains(formats, f.format) {
		last := len(formats) - 1
		return nil, errorfUsage("--format must be %s or %s, not %q", strings.Join(formats[:last], ", "), formats[last], f.format)
	}
	tf, sf := &f.targetFlags, f.scoringFlags
	limits, err := localcos.ParseLimits(tf.limits)
	if err != nil {
		return nil, usageError{err}
	}
	r, err := tf.resolve(arg, cmd.ErrOrStderr())
	if err != nil {
		return nil, err
	}
	scoring := sf.apply(r.cfg.Scoring)
	cache, err := sf.openScoreCache(scoring, warnTo(cmd.ErrOrStderr()))
	if err != nil {
		return nil, err
	}
	client, closeClient, err := openClient(r, scoring, cache, limits)
	if err != nil {
		closeCache(cache)
		return nil, err
	}
	return &scoringSession{r: r, scoring: scoring, cache: cache, client: client, close: func() {
		closeClient()
		closeCache(cache)
	}}, nil
}

// headroomJobs is how many images the embedded COS scores at once under the reviewer,
// which runs in the same process: one fewer than the CPUs (at least one), so a key press
// finds a core free. Scoring on every core of a 2-core machine doubled the time from key
// to frame (issue 17). The reviewer also asks for background threads (localcos
// AssessBackground), which yield the core it keeps to other processes too.
func headroomJobs(cpus int) int { return max(1, cpus-1) }

// processCPUs is the CPUs this process may run on at once: the scheduler's GOMAXPROCS,
// which since Go 1.25 also honours a container's CPU limit.
func processCPUs() int { return min(runtime.NumCPU(), runtime.GOMAXPROCS(0)) }
