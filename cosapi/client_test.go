package cosapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lightbox/config"
	"lightbox/internal/testcos"
	"lightbox/localcos"
)

func TestListStreamsPagesInKeyOrder(t *testing.T) {
	files := map[string][]byte{}
	for i := range 2100 {
		files[fmt.Sprintf("big/%05d.jpg", i)] = testcos.JPEGish(10)
	}
	files["big/sub/x.jpg"] = testcos.JPEGish(10)
	files["big/sub/deeper/y.jpg"] = testcos.JPEGish(10)
	files["top.jpg"] = testcos.JPEGish(10)
	f := newFixture(t, files, nil)

	var pages, objects int
	var prefixes []string
	last := ""
	err := f.client.List(t.Context(), "big/", false, func(p Page) error {
		pages++
		for _, o := range p.Objects {
			if o.Key <= last {
				t.Fatalf("out of order: %q after %q", o.Key, last)
			}
			last = o.Key
			objects++
			if o.Size != 10 || o.ETag == "" || o.LastModified.IsZero() || o.StorageClass != "STANDARD" {
				t.Fatalf("object %+v", o)
			}
		}
		prefixes = append(prefixes, p.Prefixes...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages != 3 || objects != 2100 || len(prefixes) != 1 || prefixes[0] != "big/sub/" {
		t.Errorf("pages %d objects %d prefixes %q", pages, objects, prefixes)
	}
	var all int
	if err := f.client.List(t.Context(), "big/sub/", true, func(p Page) error { all += len(p.Objects); return nil }); err != nil {
		t.Fatal(err)
	}
	if all != 2 {
		t.Errorf("recursive listing found %d", all)
	}
	// The caller can stop a listing.
	stop := errors.New("enough")
	if err := f.client.List(t.Context(), "", true, func(Page) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("stopping: %v", err)
	}
}

func TestAssessEveryFieldAndTheCache(t *testing.T) {
	files := map[string][]byte{"a.jpg": testcos.JPEGish(1234), "b.jpg": testcos.JPEGish(77), "odd.gif": []byte("GIF89a")}
	f := newFixture(t, files, nil)
	obj, err := f.client.Head(t.Context(), "a.jpg")
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.client.Assess(t.Context(), obj, AssessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := fakeScore(testcos.JPEGish(1234))
	if res.ClarityScore != want.ClarityScore || res.LowQualityScore != want.LowQualityScore || res.AestheticScore != want.AestheticScore ||
		res.PureImage != want.PureImage || res.Cached || res.RequestID == "" {
		t.Errorf("got %+v, want %+v", res, want)
	}
	again, err := f.client.Assess(t.Context(), obj, AssessOptions{})
	if err != nil || !again.Cached || again.Scores != res.Scores {
		t.Errorf("repeat: %+v %v", again, err)
	}
	if st := f.client.Stats(); st.Calls != 1 || st.CacheHits != 1 {
		t.Errorf("stats %+v", st)
	}
	// An object given without its ETag is looked up first, then hits the cache.
	if r, err := f.client.Assess(t.Context(), Object{Key: "a.jpg"}, AssessOptions{}); err != nil || !r.Cached {
		t.Errorf("without ETag: %+v %v", r, err)
	}
	// Refresh pays again; a partial answer is never cached.
	if r, err := f.client.Assess(t.Context(), obj, AssessOptions{Refresh: true}); err != nil || r.Cached {
		t.Errorf("refresh: %+v %v", r, err)
	}
	part, err := f.client.Assess(t.Context(), obj, AssessOptions{Only: []string{"clarity"}})
	if err != nil || part.Cached || part.ClarityScore != want.ClarityScore || part.AestheticScore != 0 {
		t.Errorf("clarity only: %+v %v", part, err)
	}
	if _, err := f.client.Assess(t.Context(), obj, AssessOptions{Only: []string{"sharpness"}}); KindOf(err) != KindInvalid {
		t.Errorf("unknown switch: %v", err)
	}

	// A permanent image error is cached too: the bytes will not change by asking again.
	gif, _ := f.client.Head(t.Context(), "odd.gif")
	for range 2 {
		_, err := f.client.Assess(t.Context(), gif, AssessOptions{})
		var e *Error
		if !errors.As(err, &e) || e.Kind != KindUnsupported || e.Code != "UnsupportedFormat" {
			t.Fatalf("gif: %v", err)
		}
	}
	calls := f.client.Stats().Calls
	if calls != 4 {
		t.Errorf("calls %d, want 4 (first, refresh, partial, gif once)", calls)
	}

	// A new version of the object is a new score; the cache survives a new client.
	if err := os.WriteFile(filepath.Join(f.dir, "a.jpg"), testcos.JPEGish(999), 0o644); err != nil {
		t.Fatal(err)
	}
	newObj, _ := f.client.Head(t.Context(), "a.jpg")
	if newObj.ETag == obj.ETag {
		t.Fatal("a rewritten file kept its ETag")
	}
	if r, err := f.client.Assess(t.Context(), newObj, AssessOptions{}); err != nil || r.Cached || r.ClarityScore != 999%101 {
		t.Errorf("new version: %+v %v", r, err)
	}
}

func TestAssessErrorsAreClassified(t *testing.T) {
	f := newFixture(t, map[string][]byte{"a.jpg": testcos.JPEGish(10)}, nil)
	_, err := f.client.Assess(t.Context(), Object{Key: "missing.jpg", ETag: `"x"`}, AssessOptions{})
	if KindOf(err) != KindNotFound {
		t.Errorf("missing: %v", err)
	}
	_, err = f.client.Assess(t.Context(), Object{Key: "missing.jpg"}, AssessOptions{})
	if KindOf(err) != KindNotFound {
		t.Errorf("missing, via HEAD: %v", err)
	}
	// Archived objects are refused until restored.
	remove := f.server().AddFault(localcos.FaultRule{Op: localcos.OpAssessQuality, Status: 403, Code: "InvalidObjectState"})
	_, err = f.client.Assess(t.Context(), Object{Key: "a.jpg", ETag: `"y"`}, AssessOptions{})
	remove()
	if KindOf(err) != KindArchived {
		t.Errorf("archived: %v", err)
	}
	// Throttling is retried, then reported as such.
	remove = f.server().AddFault(localcos.FaultRule{Op: localcos.OpAssessQuality, Status: 429, Code: "TooManyRequests"})
	_, err = f.client.Assess(t.Context(), Object{Key: "a.jpg", ETag: `"z"`}, AssessOptions{})
	remove()
	if KindOf(err) != KindThrottled || f.client.Stats().Retries < 6 {
		t.Errorf("throttled: %v, %d retries", err, f.client.Stats().Retries)
	}
}

func TestWrongCredentialsAreAuthErrorsAndNeverPrinted(t *testing.T) {
	dir := t.TempDir()
	srv, err := localcos.New(localcos.Config{Dir: dir, Credentials: []localcos.Credential{{SecretID: "AKIDright", SecretKey: "right-key"}}})
	if err != nil {
		t.Fatal(err)
	}
	endpoint, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	const secret = "wrong-key-that-must-not-leak"
	c, err := Open(Options{
		Target:      config.Target{Bucket: localcos.DefaultBucket, Endpoint: endpoint},
		Credentials: config.Credentials{SecretID: "AKIDright", SecretKey: config.Secret(secret)},
		Sleep:       func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListPage(t.Context(), "", "", false, 10)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindAuth || e.Code != "SignatureDoesNotMatch" {
		t.Fatalf("wrong key: %v", err)
	}
	for _, shown := range []string{err.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e), fmt.Sprintf("%+v", c.opt), fmt.Sprintf("%+v", c.Target())} {
		if strings.Contains(shown, secret) {
			t.Fatalf("the secret key appears in: %s", shown)
		}
	}
	// The right key works against the same endpoint by address.
	ok, _ := Open(Options{Target: config.Target{Bucket: localcos.DefaultBucket, Endpoint: endpoint},
		Credentials: config.Credentials{SecretID: "AKIDright", SecretKey: "right-key"}})
	if _, err := ok.ListPage(t.Context(), "", "", false, 10); err != nil {
		t.Errorf("right key: %v", err)
	}
	// Another bucket on the same address is not this one.
	other, _ := Open(Options{Target: config.Target{Bucket: "other-1250000000", Endpoint: endpoint},
		Credentials: config.Credentials{SecretID: "AKIDright", SecretKey: "right-key"}})
	if _, err := other.ListPage(t.Context(), "", "", false, 10); KindOf(err) != KindNotFound {
		t.Errorf("other bucket: %v", err)
	}
}

func TestNetworkFailuresAreRetriedThenClassified(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:1") // nothing listens on port 1
	c, err := Open(Options{
		Target:      config.Target{Bucket: localcos.DefaultBucket, Endpoint: u.String()},
		Credentials: config.Credentials{SecretID: "AKIDx", SecretKey: "k"},
		Scoring:     config.Scoring{Retries: 2, Timeout: time.Second},
		Sleep:       func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListPage(t.Context(), "", "", false, 10)
	if KindOf(err) != KindNetwork || c.Stats().Retries != 2 {
		t.Errorf("refused connection: %v (%d retries)", err, c.Stats().Retries)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.ListPage(ctx, "", "", false, 10); KindOf(err) != KindCanceled {
		t.Errorf("cancelled: %v", err)
	}
}

// TestScoringUnderFaults is the client's promise: with latency, 503s, throttling and cut
// connections, every object is scored exactly once, and a second run pays for nothing.
func TestScoringUnderFaults(t *testing.T) {
	files := map[string][]byte{}
	for i := range 120 {
		files[fmt.Sprintf("f/%03d.jpg", i)] = testcos.JPEGish(100 + i)
	}
	faults := localcos.Faults{Latency: time.Millisecond, LatencyJitter: 2 * time.Millisecond, FailRate: 0.2, DropRate: 0.1, ThrottleQPS: 300, Seed: 5}
	f := newFixture(t, files, withFaults(faults))
	scoreAllOnce := func() (ok, failed int) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		err := f.client.List(t.Context(), "f/", false, func(p Page) error {
			for _, o := range p.Objects {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, err := f.client.Assess(t.Context(), o, AssessOptions{})
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						failed++
						t.Errorf("%s: %v", o.Key, err)
						return
					}
					if want := (100 + keyIndex(o.Key)) % 101; res.ClarityScore != want {
						t.Errorf("%s: clarity %d, want %d", o.Key, res.ClarityScore, want)
					}
					ok++
				}()
			}
			return nil
		})
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		return ok, failed
	}
	if ok, failed := scoreAllOnce(); ok != 120 || failed != 0 {
		t.Fatalf("first run: %d ok, %d failed", ok, failed)
	}
	if n := f.scored.Load(); n != 120 {
		t.Errorf("the server scored %d times for 120 objects", n)
	}
	if f.cache.Len() != 120 {
		t.Errorf("cache holds %d", f.cache.Len())
	}
	st := f.client.Stats()
	if st.Retries == 0 {
		t.Error("no retries under 20% failures: the faults were not on")
	}
	if ok, _ := scoreAllOnce(); ok != 120 || f.client.Stats().Calls != st.Calls {
		t.Errorf("second run made %d calls", f.client.Stats().Calls-st.Calls)
	}
}

func keyIndex(key string) int {
	var i int
	fmt.Sscanf(strings.TrimSuffix(strings.TrimPrefix(key, "f/"), ".jpg"), "%d", &i)
	return i
}

func TestMaxCallsBudget(t *testing.T) {
	files := map[string][]byte{}
	for i := range 8 {
		files[fmt.Sprintf("%d.jpg", i)] = testcos.JPEGish(10 + i)
	}
	f := newFixture(t, files, func(o *fixtureOptions) { o.Scoring.MaxCalls = 5; o.Scoring.Concurrency = 1 })
	var ok, budget int
	_ = f.client.List(t.Context(), "", false, func(p Page) error {
		for _, o := range p.Objects {
			_, err := f.client.Assess(t.Context(), o, AssessOptions{})
			switch {
			case err == nil:
				ok++
			case KindOf(err) == KindBudget && errors.Is(err, ErrBudget):
				budget++
			default:
				t.Errorf("%v", err)
			}
		}
		return nil
	})
	if ok != 5 || budget != 3 || f.client.Stats().Calls != 5 {
		t.Errorf("ok %d, over budget %d, calls %d", ok, budget, f.client.Stats().Calls)
	}
}

func TestPreviewIsCapped(t *testing.T) {
	f := newFixture(t, map[string][]byte{"p.jpg": testcos.JPEGish(5000)}, nil)
	b, err := f.client.Preview(t.Context(), "p.jpg", 512, 1<<20)
	if err != nil || len(b) != 5000 {
		t.Fatalf("preview: %d bytes, %v", len(b), err)
	}
	if _, err := f.client.Preview(t.Context(), "p.jpg", 512, 1000); KindOf(err) != KindInvalid {
		t.Errorf("over the cap: %v", err)
	}
	if _, err := f.client.Preview(t.Context(), "none.jpg", 512, 1000); KindOf(err) != KindNotFound {
		t.Errorf("missing: %v", err)
	}
}
