package localcos

import (
	"bytes"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

func TestParseLatency(t *testing.T) {
	for in, want := range map[string][2]time.Duration{
		"50ms":      {50 * time.Millisecond, 0},
		"20ms-80ms": {20 * time.Millisecond, 60 * time.Millisecond},
		"0s":        {0, 0},
	} {
		b, j, err := ParseLatency(in)
		if err != nil || b != want[0] || j != want[1] {
			t.Errorf("%s: %v %v %v", in, b, j, err)
		}
	}
	for _, bad := range []string{"", "fast", "80ms-20ms", "-5ms", "10ms-x"} {
		if _, _, err := ParseLatency(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// statuses sends the same sequence of plain requests and records the answers.
func statuses(t *testing.T, seed int64) []int {
	e := newEnv(t, func(c *Config) { c.Faults = Faults{FailRate: 0.5, Seed: seed} })
	var out []int
	for i := range 40 {
		key := []string{"/a", "/b", "/c"}[i%3]
		resp := e.raw(http.MethodGet, key, nil, nil, true)
		out = append(out, resp.StatusCode)
	}
	return out
}

func TestFailRateIsReproducible(t *testing.T) {
	a, b, c := statuses(t, 7), statuses(t, 7), statuses(t, 8)
	if !equalInts(a, b) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	if equalInts(a, c) {
		t.Errorf("different seeds gave identical faults: %v", a)
	}
	fails := 0
	for _, s := range a {
		switch s {
		case 500, 503:
			fails++
		case 404: // the keys do not exist: the request got through
		default:
			t.Errorf("unexpected status %d", s)
		}
	}
	if fails < 10 || fails > 30 {
		t.Errorf("%d of 40 failed at a 50%% rate", fails)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSDKRetriesThroughInjectedFailures(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Faults = Faults{FailRate: 0.3, Seed: 3} })
	ok, failed := 0, 0
	for i := range 30 {
		key := "k" + string(rune('a'+i%26))
		_, err := e.cos.Object.Put(ctx, key, bytes.NewReader([]byte("v")), nil)
		if err == nil {
			ok++
			continue
		}
		failed++
		if s, _ := cosCode(err); s != 500 && s != 503 {
			t.Errorf("a failure that is not an injected 5xx: %v", err)
		}
	}
	if ok < 25 {
		t.Errorf("only %d of 30 puts got through three SDK attempts at a 30%% fail rate", ok)
	}
}

func TestDroppedConnections(t *testing.T) {
	e := newEnv(t, nil)
	e.put("d.bin", bytes.Repeat([]byte("z"), 10000), nil)
	remove := e.srv.AddFault(FaultRule{Op: OpGetObject, Drop: true})
	resp, err := e.cos.Object.Get(ctx, "d.bin", nil)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatal("a cut connection went unnoticed")
	}
	remove()
	// A PUT whose answer is cut was still stored: the client cannot tell, and must retry.
	remove = e.srv.AddFault(FaultRule{Op: OpPutObject, Drop: true, Times: 1})
	_, err = e.cos.Object.Put(ctx, "p.txt", bytes.NewReader([]byte("stored")), nil)
	remove()
	if err != nil {
		t.Errorf("the SDK retries a seekable PUT after a cut: %v", err)
	}
	if got := e.get("p.txt"); string(got) != "stored" {
		t.Errorf("after a cut PUT: %q", got)
	}
	// Random drops are reproducible like failures.
	d := newEnv(t, func(c *Config) { c.Faults = Faults{DropRate: 1, Seed: 1} })
	if _, _, err := d.cos.Bucket.Get(ctx, nil); err == nil {
		t.Error("drop rate 1 let a listing through")
	}
}

func TestThrottleAndLatency(t *testing.T) {
	var calls atomic.Int64
	e := newEnv(t, func(c *Config) {
		c.Assess = fakeScorer(&calls)
		c.Faults = Faults{ThrottleQPS: 1, Latency: 30 * time.Millisecond}
	})
	e.put("q.jpg", []byte("\xFFq"), nil)
	slow := 0
	start := time.Now()
	for range 5 {
		_, _, err := e.cos.CI.ImageQuality(ctx, "q.jpg")
		if s, c := cosCode(err); s == 503 && c == "SlowDown" {
			slow++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if slow < 3 {
		t.Errorf("5 calls in a burst at 1 QPS: only %d throttled", slow)
	}
	// Latency is a lower bound on every answer (6 requests, 30 ms each).
	if d := time.Since(start); d < 5*30*time.Millisecond {
		t.Errorf("5 requests with 30 ms latency took %v", d)
	}
	// Other operations are not throttled.
	for range 5 {
		if _, err := e.cos.Object.Head(ctx, "q.jpg", &cos.ObjectHeadOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}
