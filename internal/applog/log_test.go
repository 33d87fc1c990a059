package applog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func TestAppendAndReopen(t *testing.T) {
	path := tempLog(t)
	l, c := open(t, path)
	if err := appendAll(l, c, "one"); err != nil {
		t.Fatal(err)
	}
	if err := appendAll(l, c, "two", "three"); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Append([]byte("late")); !errors.Is(err, ErrClosed) {
		t.Fatalf("append after close: %v", err)
	}
	_, c2 := open(t, path)
	want := []string{"one", "two", "three"}
	if got := c2.all(); !slices.Equal(got, want) {
		t.Fatalf("reopened: %q, want %q", got, want)
	}
	if got := c.all(); !slices.Equal(got, want) {
		t.Fatalf("writer's own view: %q", got)
	}
}

func TestPermissions(t *testing.T) {
	path := tempLog(t)
	open(t, path)
	for _, p := range []string{filepath.Dir(path), path, path + ".lock"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %v is open to others", p, fi.Mode().Perm())
		}
	}
}

func TestRefreshSeesOtherWriter(t *testing.T) {
	path := tempLog(t)
	a, ca := open(t, path)
	b, cb := open(t, path)
	if changed, err := b.Refresh(); err != nil || changed {
		t.Fatalf("refresh with nothing new: %v, %v", changed, err)
	}
	if err := appendAll(a, ca, "from a"); err != nil {
		t.Fatal(err)
	}
	if changed, err := b.Refresh(); err != nil || !changed {
		t.Fatalf("refresh after another's append: %v, %v", changed, err)
	}
	if got := cb.all(); !slices.Equal(got, []string{"from a"}) {
		t.Fatalf("b sees %q", got)
	}
	// b's own append first catches up on nothing, then commits its record once.
	if err := appendAll(b, cb, "from b"); err != nil {
		t.Fatal(err)
	}
	if changed, _ := b.Refresh(); changed {
		t.Fatal("b re-read its own append")
	}
	if _, err := a.Refresh(); err != nil {
		t.Fatal(err)
	}
	want := []string{"from a", "from b"}
	if !slices.Equal(ca.all(), want) || !slices.Equal(cb.all(), want) {
		t.Fatalf("a %q, b %q", ca.all(), cb.all())
	}
}

func TestAppendFuncBuildsFromCurrentState(t *testing.T) {
	path := tempLog(t)
	a, ca := open(t, path)
	b, cb := open(t, path)
	if err := appendAll(a, ca, "1"); err != nil {
		t.Fatal(err)
	}
	// b has not refreshed, yet build must see a's record: that is what numbering relies on.
	var seen []string
	err := b.AppendFunc(func() ([][]byte, error) {
		seen = cb.all()
		return [][]byte{[]byte(fmt.Sprint(len(seen) + 1))}, nil
	}, func() { cb.add(fmt.Sprint(len(seen) + 1)) })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cb.all(), []string{"1", "2"}) {
		t.Fatalf("b: %q", cb.all())
	}
	// Building nothing writes nothing.
	size := b.Stats().Size
	if err := b.AppendFunc(func() ([][]byte, error) { return nil, nil }, func() { t.Error("commit without records") }); err != nil {
		t.Fatal(err)
	}
	if b.Stats().Size != size {
		t.Fatal("an empty append wrote")
	}
}

func TestTornTailIsSkippedAndNextAppendStartsFresh(t *testing.T) {
	path := tempLog(t)
	l, c := open(t, path)
	for i := range 3 {
		if err := appendAll(l, c, fmt.Sprintf("record %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	// A kill mid-write leaves part of the last line.
	data := readFile(t, path)
	writeFile(t, path, data[:len(data)-5])

	l2, c2 := open(t, path)
	if got := c2.all(); !slices.Equal(got, []string{"record 0", "record 1"}) {
		t.Fatalf("after the tear: %q", got)
	}
	if s := l2.Stats(); s.Skipped != 1 || s.Records != 2 {
		t.Fatalf("stats %+v", s)
	}
	if err := appendAll(l2, c2, "after"); err != nil {
		t.Fatal(err)
	}
	l2.Close()

	data = readFile(t, path)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if last := lines[len(lines)-1]; !strings.HasSuffix(last, " after") || len(last) != sumLen+1+len("after") {
		t.Fatalf("the new record did not land on its own line: %q", data)
	}
	l3, c3 := open(t, path)
	if got := c3.all(); !slices.Equal(got, []string{"record 0", "record 1", "after"}) {
		t.Fatalf("reread: %q", got)
	}
	if s := l3.Stats(); s.Skipped != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestGarbageInTheMiddleIsSkipped(t *testing.T) {
	path := tempLog(t)
	var buf []byte
	buf = appendLine(buf, []byte("first"))
	buf = append(buf, "this is not a record\n"...)
	bad := appendLine(nil, []byte("second"))
	bad[len(bad)-3] = 'X' // checksum no longer matches
	buf = append(buf, bad...)
	buf = append(buf, bytes.Repeat([]byte{0}, 100)...) // a zero-filled block, as after a power cut
	buf = append(buf, '\n')
	buf = appendLine(buf, []byte("third"))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, buf)

	l, c := open(t, path)
	if got := c.all(); !slices.Equal(got, []string{"first", "third"}) {
		t.Fatalf("got %q", got)
	}
	if s := l.Stats(); s.Skipped != 3 || s.Records != 2 || s.SetAside != "" {
		t.Fatalf("stats %+v", s)
	}
}

func TestApplyErrorCountsAsSkipped(t *testing.T) {
	path := tempLog(t)
	l, _ := open(t, path)
	if err := l.Append([]byte("good"), []byte("bad"), []byte("good")); err != nil {
		t.Fatal(err)
	}
	l.Close()
	var got []string
	l2, err := Open(path, Options{Apply: func(p []byte) error {
		if string(p) == "bad" {
			return errors.New("unknown record")
		}
		got = append(got, string(p))
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	if s := l2.Stats(); len(got) != 2 || s.Skipped != 1 || s.Records != 2 {
		t.Fatalf("got %q, stats %+v", got, s)
	}
}

func TestGarbageFileIsSetAside(t *testing.T) {
	path := tempLog(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	garbage := []byte("PK\x03\x04 definitely a zip file\nwith lines\n")
	writeFile(t, path, garbage)

	c := &collector{}
	opt := c.options()
	opt.SetAsideGarbage = true
	l, err := Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := l.Stats()
	if s.SetAside == "" || s.Skipped != 2 || s.Records != 0 {
		t.Fatalf("stats %+v", s)
	}
	if !bytes.Equal(readFile(t, s.SetAside), garbage) {
		t.Fatal("the set-aside file does not hold the garbage")
	}
	if !strings.HasPrefix(s.SetAside, path+".corrupt-") {
		t.Fatalf("set aside as %s", s.SetAside)
	}
	if err := appendAll(l, c, "fresh"); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path); !bytes.Equal(got, appendLine(nil, []byte("fresh"))) {
		t.Fatalf("fresh file holds %q", got)
	}

	// Without the option (the journal), the garbage stays where it is and appends follow it.
	path2 := tempLog(t)
	os.MkdirAll(filepath.Dir(path2), 0o700)
	writeFile(t, path2, garbage)
	l2, c2 := open(t, path2)
	if err := appendAll(l2, c2, "kept"); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, path2); !bytes.HasPrefix(got, garbage) {
		t.Fatal("garbage was moved without SetAsideGarbage")
	}
}

func TestCompactionIsSeenByOtherLogs(t *testing.T) {
	path := tempLog(t)
	a, ca := open(t, path)
	b, cb := open(t, path) // holds the pre-compaction file open
	for i := range 10 {
		if err := appendAll(a, ca, fmt.Sprintf("r%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	// Keep the even records only.
	err := a.Compact(func() ([][]byte, error) {
		var keep [][]byte
		for i, r := range ca.all() {
			if i%2 == 0 {
				keep = append(keep, []byte(r))
			}
		}
		ca.mu.Lock()
		ca.recs = nil
		ca.mu.Unlock()
		for _, k := range keep {
			ca.add(string(k))
		}
		return keep, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := a.Stats(); s.Records != 5 {
		t.Fatalf("after compaction: %+v", s)
	}
	// b's append must land in the new file, not the unlinked old one.
	if err := appendAll(b, cb, "from b"); err != nil {
		t.Fatal(err)
	}
	if cb.resets != 1 {
		t.Fatalf("b was reset %d times", cb.resets)
	}
	want := []string{"r0", "r2", "r4", "r6", "r8", "from b"}
	if got := cb.all(); !slices.Equal(got, want) {
		t.Fatalf("b sees %q", got)
	}
	if _, err := a.Refresh(); err != nil {
		t.Fatal(err)
	}
	if got := ca.all(); !slices.Equal(got, want) {
		t.Fatalf("a sees %q", got)
	}
	_, cc := open(t, path)
	if got := cc.all(); !slices.Equal(got, want) {
		t.Fatalf("the file holds %q", got)
	}
	if m, _ := filepath.Glob(path + ".compact-*"); len(m) != 0 {
		t.Fatalf("temporary files left: %v", m)
	}
}

func TestRemovedFileIsRecreated(t *testing.T) {
	path := tempLog(t)
	l, c := open(t, path)
	if err := appendAll(l, c, "old"); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := appendAll(l, c, "new"); err != nil {
		t.Fatal(err)
	}
	_, c2 := open(t, path)
	if got := c2.all(); !slices.Equal(got, []string{"new"}) {
		t.Fatalf("got %q", got)
	}
}

func TestFailedWriteLeavesNoTrace(t *testing.T) {
	path := tempLog(t)
	l, c := open(t, path)
	if err := appendAll(l, c, "before"); err != nil {
		t.Fatal(err)
	}
	size := l.Stats().Size
	// The disk fills after part of the batch went out.
	l.SetWriteFault(func(p []byte) (int, error) { return len(p) / 2, syscall.ENOSPC })
	err := appendAll(l, c, "lost one", "lost two", "lost three")
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), path) {
		t.Fatalf("append on a full disk: %v", err)
	}
	if got := c.all(); !slices.Equal(got, []string{"before"}) {
		t.Fatalf("a failed append was committed: %q", got)
	}
	if fi, _ := os.Stat(path); fi.Size() != size || l.Stats().Size != size {
		t.Fatalf("file is %d bytes, log thinks %d, want %d", fi.Size(), l.Stats().Size, size)
	}
	l.SetWriteFault(nil)
	if err := appendAll(l, c, "after"); err != nil {
		t.Fatal(err)
	}
	l2, c2 := open(t, path)
	if got := c2.all(); !slices.Equal(got, []string{"before", "after"}) || l2.Stats().Skipped != 0 {
		t.Fatalf("reread %q, %+v", got, l2.Stats())
	}
}

func TestReadOnlyLocation(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores permissions")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	if _, err := Open(filepath.Join(dir, "x.log"), Options{}); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("open in a read-only folder: %v", err)
	}
}

func TestConcurrentAppends(t *testing.T) {
	path := tempLog(t)
	l, c := open(t, path)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if err := appendAll(l, c, fmt.Sprintf("w%d-%d", w, i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	_, c2 := open(t, path)
	if got, mine := c2.all(), c.all(); len(got) != workers*each || !slices.Equal(got, mine) {
		t.Fatalf("file has %d records, in-memory order matches: %v", len(got), slices.Equal(got, mine))
	}
}

func TestStaleCompactionTempIsRemoved(t *testing.T) {
	path := tempLog(t)
	l, _ := open(t, path)
	l.Close()
	stale := path + ".compact-123456"
	writeFile(t, stale, []byte("half a compaction"))
	open(t, path)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("stale temp file still there: %v", err)
	}
}
