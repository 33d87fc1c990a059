package cosapi

import (
	"path/filepath"
	"sync/atomic"
	"testing"

	"lightbox/cosapi/scorecache"
	"lightbox/internal/localtarget"
	"lightbox/internal/testcos"
	"lightbox/localcos"
	"lightbox/quality"
)

// fixture is a folder served by an in-process localcos, a client on it, and the client's
// cache in a temp dir.
type fixture struct {
	t      testing.TB
	dir    string
	client *Client
	cache  *scorecache.Cache
	scored *atomic.Int64 // how many times the server really scored an image
	served *localtarget.Served
}

func (f *fixture) server() *localcos.Server { return f.served.Server() }

// fixtureOptions are the client's options and the embedded COS's (faults, fake scorer).
type fixtureOptions struct {
	Options
	LocalConfig func(*localcos.Config)
}

// newFixture writes files (key -> bytes) into a fresh folder and opens a client on it.
// edit may change the client options (faults go in opt.LocalConfig).
func newFixture(t testing.TB, files map[string][]byte, edit func(*fixtureOptions)) *fixture {
	t.Helper()
	return openFixture(t, testcos.Folder(t, files), edit)
}

func openFixture(t testing.TB, dir string, edit func(*fixtureOptions)) *fixture {
	t.Helper()
	state := t.TempDir()
	cache, err := scorecache.Open(filepath.Join(state, "scores.log"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, dir: dir, cache: cache, scored: new(atomic.Int64)}
	opt := fixtureOptions{Options: Options{
		Scoring: testcos.Scoring,
		Cache:   cache,
		Sleep:   testcos.NoWait,
	},
		LocalConfig: func(c *localcos.Config) {
			c.Assess = func(data []byte, o quality.Options) (quality.Result, error) {
				f.scored.Add(1)
				return fakeScore(data)
			}
		},
	}
	if edit != nil {
		edit(&opt)
	}
	served := testcos.Serve(t, dir, opt.LocalConfig)
	opt.Target, opt.Credentials, opt.Identity = served.Target, served.Credentials, served.Identity
	c, err := Open(opt.Options)
	if err != nil {
		t.Fatal(err)
	}
	f.client, f.served = c, served
	t.Cleanup(func() {
		_ = c.Close()
		_ = cache.Close()
	})
	return f
}

// fakeScore stands in for the real scorer, fast and deterministic: a "JPEG" is any data
// starting with 0xFF; the score is derived from the length.
func fakeScore(data []byte) (quality.Result, error) {
	if len(data) == 0 || data[0] != 0xFF {
		return quality.Result{}, &quality.Error{Code: quality.CodeUnsupportedFormat, Message: "not a JPEG"}
	}
	return quality.Result{ClarityScore: len(data) % 101, AestheticScore: 50, LowQualityScore: 70, PureImage: len(data)%2 == 0}, nil
}

// withFaults makes the folder's embedded COS misbehave, keeping the fake scorer.
func withFaults(fs localcos.Faults) func(*fixtureOptions) {
	return func(o *fixtureOptions) { o.LocalConfig = testcos.WithFaults(o.LocalConfig, fs) }
}

func TestDefaultLocalRegionIsTheEmbeddedCOSs(t *testing.T) {
	if DefaultLocalRegion != localcos.DefaultRegion {
		t.Errorf("cosapi assumes %q, localcos serves %q", DefaultLocalRegion, localcos.DefaultRegion)
	}
}
