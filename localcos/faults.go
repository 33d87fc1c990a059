package localcos

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Faults makes the server misbehave on purpose, for testing clients. Every random decision
// is a function of Seed, the request (method, operation, key) and how many times that same
// request has been seen, so a run is reproducible whatever the interleaving, and a client's
// retry of one request meets the same sequence of faults every time.
type Faults struct {
	Latency       time.Duration // added before every answer
	LatencyJitter time.Duration // plus a uniform extra in [0, LatencyJitter)
	FailRate      float64       // share of requests answered 500 InternalError or 503 SlowDown
	DropRate      float64       // share of requests whose connection is cut mid-response, after the work is done
	ThrottleQPS   float64       // AssessQuality calls per second before answering SlowDown; 0 = no cap
	Seed          int64
}

// Enabled reports whether any fault is configured.
func (f Faults) Enabled() bool {
	return f.Latency > 0 || f.LatencyJitter > 0 || f.FailRate > 0 || f.DropRate > 0 || f.ThrottleQPS > 0
}

// ParseLatency reads "50ms" (fixed) or "20ms-80ms" (uniform in that range).
func ParseLatency(s string) (base, jitter time.Duration, err error) {
	lo, hi, isRange := strings.Cut(s, "-")
	if base, err = time.ParseDuration(lo); err != nil || base < 0 {
		return 0, 0, fmt.Errorf("latency %q: want a duration like 50ms or a range like 20ms-80ms", s)
	}
	if !isRange {
		return base, 0, nil
	}
	top, err := time.ParseDuration(hi)
	if err != nil || top < base {
		return 0, 0, fmt.Errorf("latency %q: want a range low-high with low <= high, like 20ms-80ms", s)
	}
	return base, top - base, nil
}

// FaultRule fails specific requests, for tests that need a fault exactly where they want it.
// Empty fields match anything.
type FaultRule struct {
	Op        string // an operation name such as OpCopyObject or OpDeleteObject
	KeyPrefix string
	Times     int // how many matching requests to affect; 0 = all of them

	Status  int    // answer with this status and Code without doing the work...
	Code    string // ...(Status 200 with a Code is the "error inside a 200" of a failed copy)
	Drop    bool   // ...or do the work and cut the connection mid-response
	Latency time.Duration
}

// Operation names, used by FaultRule and in the request log.
const (
	OpListObjects    = "ListObjects"
	OpHeadBucket     = "HeadBucket"
	OpGetObject      = "GetObject"
	OpHeadObject     = "HeadObject"
	OpPutObject      = "PutObject"
	OpCopyObject     = "CopyObject"
	OpDeleteObject   = "DeleteObject" // also matches each key of a DeleteMultiple request
	OpDeleteMultiple = "DeleteMultiple"
	OpGetTagging     = "GetObjectTagging"
	OpPutTagging     = "PutObjectTagging"
	OpDeleteTagging  = "DeleteObjectTagging"
	OpRestoreObject  = "RestoreObject"
	OpAssessQuality  = "AssessQuality"
)

type ruleState struct {
	FaultRule
	used int
}

type faultInjector struct {
	cfg Faults
	now func() time.Time

	mu     sync.Mutex
	seen   map[string]uint64
	rules  []*ruleState
	tokens float64
	refill time.Time
}

func newFaultInjector(cfg Faults, now func() time.Time) (*faultInjector, error) {
	for _, r := range []float64{cfg.FailRate, cfg.DropRate} {
		if r < 0 || r > 1 || math.IsNaN(r) {
			return nil, errors.New("fail and drop rates are shares between 0 and 1")
		}
	}
	if cfg.ThrottleQPS < 0 || cfg.Latency < 0 || cfg.LatencyJitter < 0 {
		return nil, errors.New("latency and throttle must not be negative")
	}
	return &faultInjector{cfg: cfg, now: now, seen: map[string]uint64{}, tokens: burst(cfg.ThrottleQPS)}, nil
}

// burst lets a client start at full speed, as a token bucket allowing one second's worth.
func burst(qps float64) float64 { return max(1, qps) }

// AddFault installs a rule; the returned function removes it.
func (s *Server) AddFault(rule FaultRule) (remove func()) {
	f := s.faults
	st := &ruleState{FaultRule: rule}
	f.mu.Lock()
	f.rules = append(f.rules, st)
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for i, r := range f.rules {
			if r == st {
				f.rules = append(f.rules[:i], f.rules[i+1:]...)
				return
			}
		}
	}
}

// verdict is what to do to one request.
type verdict struct {
	delay time.Duration
	fail  *apiError
	drop  bool
}

func (f *faultInjector) decide(method, op, key string) verdict {
	f.mu.Lock()
	defer f.mu.Unlock()
	var v verdict
	if r := f.matchRule(op, key); r != nil {
		v.delay = r.Latency
		if r.Code != "" || r.Status != 0 {
			v.fail = ruleError(r.FaultRule)
		}
		v.drop = r.Drop
		return v
	}
	if !f.cfg.Enabled() {
		return v
	}
	id := method + " " + op + " " + key
	n := f.seen[id]
	f.seen[id] = n + 1
	v.delay = f.cfg.Latency
	if f.cfg.LatencyJitter > 0 {
		v.delay += time.Duration(f.uniform(id, n, 1) * float64(f.cfg.LatencyJitter))
	}
	if f.uniform(id, n, 2) < f.cfg.FailRate {
		if f.uniform(id, n, 3) < 0.5 {
			v.fail = errInternal
		} else {
			v.fail = errSlowDown
		}
	} else if f.uniform(id, n, 4) < f.cfg.DropRate {
		v.drop = true
	}
	return v
}

// failsKey reports whether a rule fails this key inside a DeleteMultiple request.
func (f *faultInjector) failsKey(op, key string) *apiError {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r := f.matchRule(op, key); r != nil && (r.Code != "" || r.Status != 0) {
		return ruleError(r.FaultRule)
	}
	return nil
}

func (f *faultInjector) matchRule(op, key string) *ruleState {
	for _, r := range f.rules {
		if (r.Op == "" || r.Op == op) && strings.HasPrefix(key, r.KeyPrefix) && (r.Times == 0 || r.used < r.Times) {
			r.used++
			return r
		}
	}
	return nil
}

func ruleError(r FaultRule) *apiError {
	status, code := r.Status, r.Code
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if code == "" {
		code = "InternalError"
	}
	return errorf(status, code, "Injected fault.")
}

// uniform is a reproducible number in [0,1) for (request, occurrence, purpose).
func (f *faultInjector) uniform(id string, n uint64, purpose byte) float64 {
	h := fnv.New64a()
	var b [17]byte
	binary.LittleEndian.PutUint64(b[:8], uint64(f.cfg.Seed))
	binary.LittleEndian.PutUint64(b[8:16], n)
	b[16] = purpose
	_, _ = h.Write(b[:]) // hashes never fail
	_, _ = h.Write([]byte(id))
	x := h.Sum64()
	// fnv's low bits mix poorly for near-identical inputs; finish with a splitmix64 step.
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}

// admitAssess takes a token from the AssessQuality rate limit, as Cloud Infinite answers
// SlowDown when a bucket's QPS cap is hit.
func (f *faultInjector) admitAssess() bool {
	qps := f.cfg.ThrottleQPS
	if qps <= 0 {
		return true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	if !f.refill.IsZero() {
		f.tokens = min(burst(qps), f.tokens+now.Sub(f.refill).Seconds()*qps)
	}
	f.refill = now
	if f.tokens < 1 {
		return false
	}
	f.tokens--
	return true
}

// sleep waits d unless the client goes away first.
func sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
