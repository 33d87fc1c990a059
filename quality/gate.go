package quality

import (
	"context"
	"sync"
)

// SniffBytes is how many leading bytes CheckFormat needs.
const SniffBytes = 16

// CheckFormat looks at a file's first bytes (SniffBytes of them, or the whole file if
// shorter) and returns the error Assess would give for a file that is not PNG or JPEG,
// so that a caller need not read a 250 MB video to learn it is not an image. nil means
// the file may be an image: only decoding tells.
func CheckFormat(prefix []byte, size int64) error {
	if size == 0 {
		return errorf(CodeEmpty, nil, "the file is empty")
	}
	if int64(len(prefix)) >= size {
		return nil // the whole file: decoding it costs nothing and says more
	}
	switch f := sniff(prefix); f {
	case formatJPEG, formatPNG:
		return nil
	case formatUnknown:
		return errorf(CodeUnsupportedFormat, nil, "not a PNG or JPEG image (unrecognised content)")
	default:
		return errorf(CodeUnsupportedFormat, nil, "%s images are not supported: only PNG and JPEG", f)
	}
}

// DecodeOverhead is what one decode holds besides the file's bytes: the reduced image,
// the feature planes and the networks' activations (about 45 MB measured on a 7000x7000
// PNG; rounded up).
const DecodeOverhead = 64 << 20

// DefaultDecodeMemory is the memory all concurrent decodes of one process may hold.
const DefaultDecodeMemory = 1 << 30

// DecodeCost is what decoding a file of size bytes is expected to hold.
func DecodeCost(size int64) int64 { return size + DecodeOverhead }

// MemoryGate admits work by the memory it will hold, first come first served, so that
// concurrent decodes are bounded by bytes as well as by count. One piece of work larger
// than the whole budget runs alone.
type MemoryGate struct {
	mu      sync.Mutex
	limit   int64
	used    int64
	waiters []*gateWaiter
}

type gateWaiter struct {
	n     int64
	ready chan struct{}
}

// NewMemoryGate allows limit bytes in all.
func NewMemoryGate(limit int64) *MemoryGate { return &MemoryGate{limit: limit} }

// Acquire waits until n bytes fit (or ctx ends) and returns the function that gives
// them back.
func (g *MemoryGate) Acquire(ctx context.Context, n int64) (release func(), err error) {
	n = min(max(n, 1), g.limit)
	g.mu.Lock()
	if len(g.waiters) == 0 && g.used+n <= g.limit {
		g.used += n
		g.mu.Unlock()
		return g.releaser(n), nil
	}
	w := &gateWaiter{n: n, ready: make(chan struct{})}
	g.waiters = append(g.waiters, w)
	g.mu.Unlock()
	select {
	case <-w.ready:
		return g.releaser(n), nil
	case <-ctx.Done():
		g.mu.Lock()
		select {
		case <-w.ready: // admitted meanwhile: give it back
			g.used -= n
		default:
			for i, o := range g.waiters {
				if o == w {
					g.waiters = append(g.waiters[:i], g.waiters[i+1:]...)
					break
				}
			}
		}
		g.admitLocked()
		g.mu.Unlock()
		return nil, ctx.Err()
	}
}

func (g *MemoryGate) releaser(n int64) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			g.used -= n
			g.admitLocked()
			g.mu.Unlock()
		})
	}
}

func (g *MemoryGate) admitLocked() {
	for len(g.waiters) > 0 && g.used+g.waiters[0].n <= g.limit {
		w := g.waiters[0]
		g.waiters = g.waiters[1:]
		g.used += w.n
		close(w.ready)
	}
}

// decodeMemory bounds the decodes AssessFiles runs at once.
var decodeMemory = NewMemoryGate(DefaultDecodeMemory)
