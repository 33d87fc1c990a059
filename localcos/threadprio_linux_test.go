package localcos

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"lightbox/quality"
)

// niceOfThisThread is the calling thread's nice value (the raw syscall answers 20 - nice).
func niceOfThisThread(t *testing.T) int {
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Error(err)
	}
	return 20 - prio
}

// With AssessBackground the scorer runs on a thread of the lowest priority, and the
// handler's threads keep theirs; a panicking scorer is an InternalError, not a crash.
func TestAssessBackgroundRunsOnALowPriorityThread(t *testing.T) {
	for _, background := range []bool{false, true} {
		var nice atomic.Int64 // written by the server's goroutines, read here
		var panics atomic.Bool
		e := newEnv(t, func(c *Config) {
			c.AssessBackground = background
			c.Assess = func(data []byte, opt quality.Options) (quality.Result, error) {
				nice.Store(int64(niceOfThisThread(t)))
				if panics.Load() {
					panic("scorer bug")
				}
				return quality.Result{ClarityScore: 42}, nil
			}
		})
		before := niceOfThisThread(t)
		e.put("a.jpg", []byte("\xFFa"), nil)
		resp := e.raw(http.MethodGet, "/a.jpg?ci-process=AssessQuality", nil, nil, true)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "<ClarityScore>42<") {
			t.Fatalf("background %v: %d %s", background, resp.StatusCode, body)
		}
		want := before
		if background {
			want = lowestNice
		}
		if got := int(nice.Load()); got != want {
			t.Errorf("background %v: the scorer ran at nice %d, want %d", background, got, want)
		}
		if after := niceOfThisThread(t); after != before {
			t.Errorf("background %v: the test's own thread went from nice %d to %d", background, before, after)
		}

		panics.Store(true)
		e.put("b.jpg", []byte("\xFFb"), nil)
		resp = e.raw(http.MethodGet, "/b.jpg?ci-process=AssessQuality", nil, nil, true)
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 500 {
			t.Errorf("background %v: a panicking scorer answered %d %s, want 500", background, resp.StatusCode, body)
		}
	}
}
