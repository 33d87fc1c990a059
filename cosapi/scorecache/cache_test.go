package scorecache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func TestPutGetReopen(t *testing.T) {
	path := tempPath(t)
	c := open(t, path)
	mustMiss(t, c, key(1, `"a"`))
	if err := c.Put(key(1, `"a"`), score(1)); err != nil {
		t.Fatal(err)
	}
	mustGet(t, c, key(1, `"a"`), score(1))
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Put(key(2, `"b"`), score(2)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Put after Close: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	c2 := open(t, path)
	mustGet(t, c2, key(1, `"a"`), score(1))
	if c2.Len() != 1 || c2.Skipped() != 0 || c2.SetAside() != "" {
		t.Fatalf("Len %d Skipped %d SetAside %q", c2.Len(), c2.Skipped(), c2.SetAside())
	}
}

func TestValuesRoundTripExactly(t *testing.T) {
	path := tempPath(t)
	c := open(t, path)
	values := [][]byte{
		[]byte(`{"a":1}`),
		[]byte(`{"a": 1}`),             // not compact: must not be compacted
		[]byte(`{"html":"<b>&</b>"}`),  // must not be HTML-escaped
		[]byte(`{"s":"caf\u00e9 \n"}`), // escapes stay as written
		[]byte("binary\x00\xff\nline"),
		[]byte(`"just a string"`),
		[]byte(" 42"),
		{},
	}
	for i, v := range values {
		if err := c.Put(key(i, `"e"`), v); err != nil {
			t.Fatal(err)
		}
	}
	check := func(c *Cache) {
		for i, v := range values {
			mustGet(t, c, key(i, `"e"`), v)
		}
	}
	check(c)
	c.Close()
	check(open(t, path))
	// The file itself is readable: scores appear as JSON, not base64.
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), `"v":{"a":1}`) {
		t.Fatalf("file: %s", data)
	}
}

func TestGetReturnsACopy(t *testing.T) {
	c := open(t, tempPath(t))
	v := score(1)
	if err := c.Put(key(1, `"a"`), v); err != nil {
		t.Fatal(err)
	}
	v[0] = 'X'
	got, _ := c.Get(key(1, `"a"`))
	got[1] = 'Y'
	mustGet(t, c, key(1, `"a"`), score(1))
}

func TestETagAndEndpointAreParted(t *testing.T) {
	c := open(t, tempPath(t))
	k := key(1, `"v1"`)
	if err := c.Put(k, score(1)); err != nil {
		t.Fatal(err)
	}
	changed := k
	changed.ETag = `"v2"`
	mustMiss(t, c, changed)
	other := k
	other.Endpoint = "https://cos.ap-guangzhou.myqcloud.com"
	mustMiss(t, c, other)
	slash := k
	slash.Endpoint += "/"
	mustGet(t, c, slash, score(1))

	// Scoring the new version replaces the old one: only the newest ETag is kept.
	if err := c.Put(changed, score(2)); err != nil {
		t.Fatal(err)
	}
	mustGet(t, c, changed, score(2))
	mustMiss(t, c, k)
	if c.Len() != 1 {
		t.Fatalf("Len %d", c.Len())
	}
}

func TestKeyChecks(t *testing.T) {
	c := open(t, tempPath(t))
	for _, k := range []Key{{Bucket: "b", Object: "o"}, {Bucket: "b", ETag: "e"}, {Object: "o", ETag: "e"}} {
		if err := c.Put(k, score(1)); err == nil {
			t.Errorf("Put(%+v) accepted", k)
		}
		mustMiss(t, c, k)
	}
}

func TestForget(t *testing.T) {
	path := tempPath(t)
	c := open(t, path)
	k := key(1, `"a"`)
	if err := c.Put(k, score(1)); err != nil {
		t.Fatal(err)
	}
	other := key(1, `"other"`)
	if err := c.Forget(other); err != nil {
		t.Fatal(err)
	}
	mustGet(t, c, k, score(1)) // forgetting another version leaves this one
	if err := c.Forget(k); err != nil {
		t.Fatal(err)
	}
	mustMiss(t, c, k)
	c.Close()
	c2 := open(t, path)
	mustMiss(t, c2, k)
	if c2.Len() != 0 {
		t.Fatalf("Len %d", c2.Len())
	}
}

func TestSecondCacheSeesPutWithoutReopening(t *testing.T) {
	path := tempPath(t)
	a := open(t, path)
	b := open(t, path) // as another process would
	mustMiss(t, b, key(1, `"a"`))
	if err := a.Put(key(1, `"a"`), score(1)); err != nil {
		t.Fatal(err)
	}
	mustGet(t, b, key(1, `"a"`), score(1))
	if err := b.Forget(key(1, `"a"`)); err != nil {
		t.Fatal(err)
	}
	// a still holds the value in memory; a hit answers from memory, which is the point of a
	// cache. A re-score after Forget goes through Put, which both then see.
	if err := b.Put(key(1, `"a"`), score(9)); err != nil {
		t.Fatal(err)
	}
	if err := a.Put(key(2, `"a"`), score(2)); err != nil { // an append catches up first
		t.Fatal(err)
	}
	mustGet(t, a, key(1, `"a"`), score(9))
}

func TestPutManyIsOneWrite(t *testing.T) {
	path := tempPath(t)
	c := open(t, path)
	m := map[Key][]byte{}
	for i := range 50 {
		m[key(i, `"m"`)] = score(i)
	}
	if err := c.PutMany(m); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	if err := c.PutMany(m); err != nil { // nothing new: nothing written
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if before.Size() != after.Size() {
		t.Fatal("re-putting the same values grew the file")
	}
	c.Close()
	c2 := open(t, path)
	for k, v := range m {
		mustGet(t, c2, k, v)
	}
	if c2.Len() != 50 {
		t.Fatalf("Len %d", c2.Len())
	}
}

func TestConcurrentPutsAndGets(t *testing.T) {
	path := tempPath(t)
	c := open(t, path)
	other := open(t, path)
	const workers, each = 6, 15
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				n := w*each + i
				if err := c.Put(key(n, `"c"`), score(n)); err != nil {
					t.Error(err)
					return
				}
				if v, ok := c.Get(key(n, `"c"`)); !ok || string(v) != string(score(n)) {
					t.Errorf("own put %d not visible", n)
				}
				other.Get(key(n, `"c"`))
				_ = c.Len()
			}
		})
	}
	wg.Wait()
	for n := range workers * each {
		mustGet(t, other, key(n, `"c"`), score(n))
	}
	c.Close()
	if c2 := open(t, path); c2.Len() != workers*each {
		t.Fatalf("reopened Len %d", c2.Len())
	}
}

func TestCompactionKeepsLiveDropsSuperseded(t *testing.T) {
	path := tempPath(t)
	a := open(t, path)
	b := open(t, path) // had the file open before the compaction
	for i := range 20 {
		if err := a.Put(key(i, `"old"`), score(i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		if err := a.Put(key(i, `"new"`), score(100+i)); err != nil {
			t.Fatal(err)
		}
	}
	mustGet(t, b, key(19, `"old"`), score(19)) // b now holds it in memory
	if err := a.Forget(key(19, `"old"`)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	if err := a.Compact(); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if after.Size() >= before.Size() {
		t.Fatalf("compaction did not shrink the file: %d -> %d", before.Size(), after.Size())
	}
	data, _ := os.ReadFile(path)
	if n := strings.Count(string(data), "\n"); n != 19 {
		t.Fatalf("compacted file has %d records, want 19", n)
	}
	if strings.Contains(string(data), `"f":true`) {
		t.Fatal("a forget record survived compaction")
	}
	if err := b.Put(key(50, `"b"`), score(50)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*Cache{a, b, open(t, path)} {
		for i := range 10 {
			mustGet(t, c, key(i, `"new"`), score(100+i))
			mustMiss(t, c, key(i, `"old"`))
		}
		for i := 10; i < 19; i++ {
			mustGet(t, c, key(i, `"old"`), score(i))
		}
		mustMiss(t, c, key(19, `"old"`))
		mustGet(t, c, key(50, `"b"`), score(50))
		if c.Len() != 20 {
			t.Fatalf("Len %d", c.Len())
		}
	}
}

func TestCloseCompactsWhenWorthwhile(t *testing.T) {
	path := tempPath(t)
	c := open(t, path)
	big := func(round, i int) []byte {
		return fmt.Appendf(nil, `{"round":%d,"pad":"%s"}`, round, strings.Repeat("x", 6000+i))
	}
	put := func(round int) {
		m := map[Key][]byte{}
		for i := range 100 {
			m[key(i, fmt.Sprintf(`"r%d"`, round))] = big(round, i)
		}
		if err := c.PutMany(m); err != nil {
			t.Fatal(err)
		}
	}
	put(1)
	put(2) // half dead: not yet worth it
	c.Close()
	before, _ := os.Stat(path)
	c = open(t, path)
	put(3) // two thirds dead and several MB
	mid, _ := os.Stat(path)
	c.Close()
	after, _ := os.Stat(path)
	if before.Size() <= 2*600_000 || mid.Size() <= before.Size() {
		t.Fatalf("sizes %d, %d", before.Size(), mid.Size())
	}
	if after.Size()*2 > mid.Size() {
		t.Fatalf("Close did not compact: %d -> %d bytes", mid.Size(), after.Size())
	}
	c = open(t, path)
	for i := range 100 {
		mustGet(t, c, key(i, `"r3"`), big(3, i))
	}
}

func TestTornTail(t *testing.T) {
	path := tempPath(t)
	c := open(t, path)
	for i := range 3 {
		if err := c.Put(key(i, `"t"`), score(i)); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, data[:len(data)-10], 0o600); err != nil { // killed mid-write
		t.Fatal(err)
	}
	c = open(t, path)
	if c.Len() != 2 || c.Skipped() != 1 {
		t.Fatalf("after the tear: Len %d Skipped %d", c.Len(), c.Skipped())
	}
	mustMiss(t, c, key(2, `"t"`))
	if err := c.Put(key(3, `"t"`), score(3)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c = open(t, path)
	mustGet(t, c, key(3, `"t"`), score(3))
	mustGet(t, c, key(1, `"t"`), score(1))
	if c.Len() != 3 || c.Skipped() != 1 {
		t.Fatalf("reopened: Len %d Skipped %d", c.Len(), c.Skipped())
	}
}

func TestGarbageInTheMiddle(t *testing.T) {
	path := tempPath(t)
	c := open(t, path)
	if err := c.Put(key(1, `"g"`), score(1)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("0badf00d {\"b\":\"x\"}\n\x00\x00\x00 noise\n00000000 {}\n")
	f.Close()
	c = open(t, path)
	if err := c.Put(key(2, `"g"`), score(2)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c = open(t, path)
	mustGet(t, c, key(1, `"g"`), score(1))
	mustGet(t, c, key(2, `"g"`), score(2))
	if c.Skipped() != 3 || c.SetAside() != "" {
		t.Fatalf("Skipped %d, SetAside %q", c.Skipped(), c.SetAside())
	}
}

func TestGarbageFileIsMovedAside(t *testing.T) {
	path := tempPath(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	junk := []byte("<html>\n<body>oops, a web page</body>\n</html>\n")
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	c := open(t, path)
	aside := c.SetAside()
	if aside == "" || !strings.HasPrefix(aside, path+".corrupt-") || c.Skipped() != 3 || c.Len() != 0 {
		t.Fatalf("SetAside %q Skipped %d Len %d", aside, c.Skipped(), c.Len())
	}
	if got, _ := os.ReadFile(aside); string(got) != string(junk) {
		t.Fatalf("set-aside file holds %q", got)
	}
	if err := c.Put(key(1, `"f"`), score(1)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c = open(t, path)
	mustGet(t, c, key(1, `"f"`), score(1))
	if c.SetAside() != "" || c.Skipped() != 0 {
		t.Fatal("the fresh file was taken for garbage")
	}
}

func TestFullDisk(t *testing.T) {
	path := tempPath(t)
	c := open(t, path)
	if err := c.Put(key(1, `"d"`), score(1)); err != nil {
		t.Fatal(err)
	}
	c.log.SetWriteFault(func(p []byte) (int, error) { return len(p) / 3, syscall.ENOSPC })
	err := c.Put(key(2, `"d"`), score(2))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Put on a full disk: %v", err)
	}
	if err := c.Put(key(1, `"d2"`), score(9)); err == nil {
		t.Fatal("replacing Put on a full disk succeeded")
	}
	if err := c.Forget(key(1, `"d"`)); err == nil {
		t.Fatal("Forget on a full disk succeeded")
	}
	// Memory still says exactly what the file says.
	mustMiss(t, c, key(2, `"d"`))
	mustGet(t, c, key(1, `"d"`), score(1))
	if c.Len() != 1 {
		t.Fatalf("Len %d", c.Len())
	}
	c.log.SetWriteFault(nil)
	if err := c.Put(key(3, `"d"`), score(3)); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c = open(t, path)
	if c.Len() != 2 || c.Skipped() != 0 {
		t.Fatalf("reopened: Len %d Skipped %d", c.Len(), c.Skipped())
	}
	mustGet(t, c, key(1, `"d"`), score(1))
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/tmp/xdg-cache")
	t.Setenv("HOME", "/tmp/home")
	p, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join("lightbox", "scores.log"); !strings.HasSuffix(p, want) || !filepath.IsAbs(p) {
		t.Fatalf("DefaultPath = %q", p)
	}
}
