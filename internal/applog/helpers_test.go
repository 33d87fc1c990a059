package applog

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// collector is a Log owner that keeps every record it is given, the simplest state there is.
type collector struct {
	mu     sync.Mutex
	recs   []string
	resets int
}

func (c *collector) options() Options {
	return Options{
		Apply: func(p []byte) error {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.recs = append(c.recs, string(p))
			return nil
		},
		Reset: func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.recs = nil
			c.resets++
		},
	}
}

func (c *collector) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.recs)
}

// add records what this process appended, in commit order, as a Log owner must.
func (c *collector) add(ps ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recs = append(c.recs, ps...)
}

func (c *collector) payloads() [][]byte {
	var out [][]byte
	for _, r := range c.all() {
		out = append(out, []byte(r))
	}
	return out
}

// appendAll appends ps in one write and records them in c once durable.
func appendAll(l *Log, c *collector, ps ...string) error {
	return l.AppendFunc(func() ([][]byte, error) {
		var out [][]byte
		for _, p := range ps {
			out = append(out, []byte(p))
		}
		return out, nil
	}, func() { c.add(ps...) })
}

func open(t testing.TB, path string) (*Log, *collector) {
	t.Helper()
	c := &collector{}
	l, err := Open(path, c.options())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l, c
}

func tempLog(t testing.TB) string {
	return filepath.Join(t.TempDir(), "sub", "test.log")
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
