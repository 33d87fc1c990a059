package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/cosapi/scorecache"
	"lightbox/internal/localtarget"
	"lightbox/localcos"
)

// scoringFlags are the command-line overrides of [scoring] that score and the reviewer share.
type scoringFlags struct {
	concurrency int
	qps         float64
	maxCalls    int
	noCache     bool
}

func (f *scoringFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVarP(&f.concurrency, "concurrency", "c", 0, "parallel AssessQuality calls (default from the config: 4)")
	fl.Float64Var(&f.qps, "qps", 0, "at most this many AssessQuality calls per second (default from the config: 10)")
	fl.IntVar(&f.maxCalls, "max-calls", -1, "stop paying after this many calls; 0 = no cap (default from the config)")
	fl.BoolVar(&f.noCache, "no-cache", false, "neither read nor write the score cache")
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
	return s
}

// openScoreCache opens the persistent score cache, or returns nil with --no-cache; close
// it with closeCache.
func (f scoringFlags) openScoreCache(s config.Scoring) (*scorecache.Cache, error) {
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
	return c, nil
}

func closeCache(c *scorecache.Cache) {
	if c != nil {
		_ = c.Close() // compaction is an optimisation; the log is already durable
	}
}

// openClient opens the COS client on r's target. A folder is first served by an embedded
// COS on a loopback port (limits apply to its AssessQuality; assessJobs bounds how many
// images it scores at once, 0 for one per CPU; background scores them on threads of the
// lowest priority), and the client is opened on that endpoint like on any bucket. The
// returned func closes the client, then the server.
func openClient(r resolved, scoring config.Scoring, cache *scorecache.Cache, limits localcos.Limits, assessJobs int, background bool) (*cosapi.Client, func(), error) {
	opt := cosapi.Options{Target: r.target, Credentials: r.creds, Scoring: scoring, Cache: cache}
	var served *localtarget.Served
	if r.target.IsLocal() {
		var err error
		jobs := func(c *localcos.Config) { c.AssessJobs, c.AssessBackground = assessJobs, background }
		if served, err = localtarget.Start(r.target, limits, jobs); err != nil {
			return nil, nil, err
		}
		opt.Target, opt.Credentials, opt.Identity = served.Target, served.Credentials, served.Identity
	}
	client, err := cosapi.Open(opt)
	if err != nil {
		if served != nil {
			_ = served.Close()
		}
		return nil, nil, err
	}
	return client, func() {
		_ = client.Close()
		if served != nil {
			_ = served.Close()
		}
	}, nil
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
