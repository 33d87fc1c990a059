package applog

import (
	"fmt"
	"testing"

	"lightbox/internal/testproc"
)

const helperRecs = 60

// TestHelperProcess is not a test: TestMultiProcess runs the test binary again (testproc)
// and this is the child's body. Child 0 also compacts now and then, so the others must
// follow the file across renames without losing an append.
func TestHelperProcess(t *testing.T) {
	id, path, ok := testproc.Child(t.Name())
	if !ok {
		t.Skip("child process body for TestMultiProcess")
	}
	c := &collector{}
	l, err := Open(path, c.options())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := 0; i < helperRecs; {
		var batch []string
		n := 1 + i%3 // single appends and small batches
		for ; n > 0 && i < helperRecs; n-- {
			batch = append(batch, fmt.Sprintf("child%d-%03d", id, i))
			i++
		}
		if err := appendAll(l, c, batch...); err != nil {
			t.Fatal(err)
		}
		if id == 0 && i%10 == 0 {
			if err := l.Compact(func() ([][]byte, error) { return c.payloads(), nil }); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestMultiProcess(t *testing.T) {
	if testproc.InChild() {
		t.Skip("in a child")
	}
	path := tempLog(t)
	const children = 3
	testproc.Run(t, "TestHelperProcess", children, path)
	l, c := open(t, path)
	seen := map[string]bool{}
	for _, r := range c.all() {
		if seen[r] {
			t.Errorf("duplicate %q", r)
		}
		seen[r] = true
	}
	for id := range children {
		for i := range helperRecs {
			if r := fmt.Sprintf("child%d-%03d", id, i); !seen[r] {
				t.Errorf("lost %q", r)
			}
		}
	}
	if s := l.Stats(); s.Skipped != 0 || s.Records != children*helperRecs {
		t.Errorf("stats %+v", s)
	}
}
