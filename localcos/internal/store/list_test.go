package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// refPage is a listing computed by brute force over a sorted key list.
type refPage struct {
	keys, prefixes []string
	truncated      bool
	next           string
}

func referenceList(sorted []string, opt ListOptions) refPage {
	var p refPage
	lastCP := ""
	n := 0
	for _, k := range sorted {
		if !strings.HasPrefix(k, opt.Prefix) || k <= opt.Marker {
			continue
		}
		item, isCP := k, false
		if opt.Delimiter != "" {
			if j := strings.Index(k[len(opt.Prefix):], opt.Delimiter); j >= 0 {
				item, isCP = k[:len(opt.Prefix)+j+len(opt.Delimiter)], true
				if item <= opt.Marker || item == lastCP {
					continue
				}
				lastCP = item
			}
		}
		if n == opt.MaxKeys {
			p.truncated = true
			break
		}
		n++
		p.next = item
		if isCP {
			p.prefixes = append(p.prefixes, item)
		} else {
			p.keys = append(p.keys, item)
		}
	}
	if !p.truncated {
		p.next = ""
	}
	return p
}

func pageKeys(p ListPage) []string {
	var keys []string
	for _, o := range p.Objects {
		keys = append(keys, o.Key)
	}
	return keys
}

// randomTree fills a store with a seeded random tree, through Put and by
// writing files directly, plus things listings must leave out. It returns
// every key the store should list.
func randomTree(t *testing.T, s *Store, dir string, rng *rand.Rand, n int) []string {
	t.Helper()
	// Pieces chosen around '/' in byte order: '-' and '.' sort before it, '0' after.
	pieces := []string{"a", "b", "-", "0", ".x", "a-b", "z", "é", "日", " ", "+"}
	segment := func() string {
		s := pieces[rng.IntN(len(pieces))]
		if rng.IntN(2) == 0 {
			s += pieces[rng.IntN(len(pieces))]
		}
		return s
	}
	files := map[string]bool{}
	folders := map[string]bool{}
	var keys []string
	for len(files) < n {
		depth := 1 + rng.IntN(4)
		segs := make([]string, depth)
		for i := range segs {
			segs[i] = segment()
		}
		key := strings.Join(segs, "/")
		ok := !files[key] && !folders[key] && CheckKey(key) == nil
		for i := 1; i < depth && ok; i++ {
			ok = !files[strings.Join(segs[:i], "/")]
		}
		if !ok {
			continue
		}
		for i := 1; i < depth; i++ {
			folders[strings.Join(segs[:i], "/")] = true
		}
		files[key] = true
		keys = append(keys, key)
		data := []byte(key)
		if rng.IntN(2) == 0 {
			mustPut(t, s, key, data, PutOptions{})
		} else {
			p := filepath.Join(dir, key)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Markers on some folders, and on folders of their own.
	for f := range folders {
		if rng.IntN(4) == 0 {
			mustPut(t, s, f+"/", nil, PutOptions{})
			keys = append(keys, f+"/")
		}
	}
	for _, m := range []string{"marked-empty/", "a/marked-deep/"} {
		if !files["a"] {
			mustPut(t, s, m, nil, PutOptions{})
			keys = append(keys, m)
		}
	}
	// Things that are not objects.
	os.MkdirAll(filepath.Join(dir, "void/deeper/still"), 0o755)
	os.MkdirAll(filepath.Join(dir, "a-void"), 0o755)
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644)
	os.Symlink(outside, filepath.Join(dir, "link-out"))
	os.Symlink(filepath.Join(outside, "secret"), filepath.Join(dir, "link-out-file"))
	os.Symlink(".", filepath.Join(dir, "loop"))
	os.Symlink("loop2", filepath.Join(dir, "loop2"))
	mkfifo(filepath.Join(dir, "fifo"))
	// A control character is legal in a file name and in a key: listed, never dropped.
	os.WriteFile(filepath.Join(dir, "bad\x01name"), []byte("x"), 0o644)
	keys = append(keys, "bad\x01name")
	// A relative link to a file inside DIR is an object.
	if err := os.Symlink(keys[0], filepath.Join(dir, "link-in")); err != nil {
		t.Fatal(err)
	}
	keys = append(keys, "link-in")
	sort.Strings(keys)
	return keys
}

func randomQuery(rng *rand.Rand, keys []string) ListOptions {
	pick := func() string {
		k := keys[rng.IntN(len(keys))]
		switch rng.IntN(4) {
		case 0:
			return ""
		case 1:
			return k
		default:
			return k[:rng.IntN(len(k)+1)]
		}
	}
	opt := ListOptions{
		Prefix:    pick(),
		Marker:    pick(),
		Delimiter: []string{"", "/", "-"}[rng.IntN(3)],
		MaxKeys:   []int{1, 2, 3, 7, 50, 1000}[rng.IntN(6)],
	}
	if rng.IntN(3) == 0 {
		opt.Marker = ""
	}
	// Keep only whole UTF-8 characters so prefixes and markers are plausible.
	opt.Prefix = strings.ToValidUTF8(opt.Prefix, "")
	opt.Marker = strings.ToValidUTF8(opt.Marker, "")
	return opt
}

func checkPage(t *testing.T, s *Store, keys []string, opt ListOptions) ListPage {
	t.Helper()
	got, err := s.List(context.Background(), opt)
	if err != nil {
		t.Fatalf("List(%+v): %v", opt, err)
	}
	want := referenceList(keys, opt)
	if !slices.Equal(pageKeys(got), want.keys) || !slices.Equal(got.CommonPrefixes, want.prefixes) ||
		got.IsTruncated != want.truncated || got.NextMarker != want.next {
		t.Fatalf("List(%+v)\n got keys %q prefixes %q truncated %v next %q\nwant keys %q prefixes %q truncated %v next %q",
			opt, pageKeys(got), got.CommonPrefixes, got.IsTruncated, got.NextMarker,
			want.keys, want.prefixes, want.truncated, want.next)
	}
	return got
}

func TestListMatchesReference(t *testing.T) {
	s, dir := newTestStore(t)
	rng := rand.New(rand.NewPCG(1, 2))
	keys := randomTree(t, s, dir, rng, 300)
	for i := 0; i < 500; i++ {
		checkPage(t, s, keys, randomQuery(rng, keys))
	}
	// The tree is quiet now: trust cached folder listings from here on, and
	// let the store's own writes (which invalidate them) change the tree.
	s.racyWindow = 0
	linkTarget, _ := os.Readlink(filepath.Join(dir, "link-in"))
	for i := 0; i < 800; i++ {
		checkPage(t, s, keys, randomQuery(rng, keys))
		if i%8 != 0 {
			continue
		}
		if k := keys[rng.IntN(len(keys))]; rng.IntN(2) == 0 && k != linkTarget && k != "link-in" {
			if err := s.Delete(k); err != nil {
				t.Fatal(err)
			}
			keys = slices.DeleteFunc(keys, func(x string) bool { return x == k })
		} else if k := randomQuery(rng, keys).Marker + "n"; CheckKey(k) == nil && !slices.Contains(keys, k) {
			if _, err := s.Put(context.Background(), k, strings.NewReader("new"), PutOptions{}); err == nil {
				keys = append(keys, k)
				sort.Strings(keys)
			} else if !errors.Is(err, ErrConflict) {
				t.Fatal(err)
			}
		}
	}
	// Every listed object agrees with Head.
	page := checkPage(t, s, keys, ListOptions{MaxKeys: 1000})
	for _, o := range page.Objects {
		h, err := s.Head(o.Key)
		if err != nil {
			t.Fatal(err)
		}
		if h.ETag != o.ETag || h.Size != o.Size || !h.ModTime.Equal(o.ModTime) || h.StorageClass != o.StorageClass || h.IsFolderMarker != o.IsFolderMarker {
			t.Fatalf("List says %+v, Head says %+v", o, h)
		}
	}
}

func TestListPagesEveryKeyOnce(t *testing.T) {
	s, dir := newTestStore(t)
	rng := rand.New(rand.NewPCG(3, 4))
	keys := randomTree(t, s, dir, rng, 200)
	for _, delim := range []string{"", "/", "-"} {
		for _, prefix := range []string{"", "a", "a/", "b-", keys[len(keys)/2][:1]} {
			for _, max := range []int{1, 3, 17} {
				want := referenceList(keys, ListOptions{Prefix: prefix, Delimiter: delim, MaxKeys: len(keys) + 1})
				var gotKeys, gotPrefixes []string
				opt := ListOptions{Prefix: prefix, Delimiter: delim, MaxKeys: max}
				for pages := 0; ; pages++ {
					if pages > len(keys)+1 {
						t.Fatalf("paging %+v does not end", opt)
					}
					p := checkPage(t, s, keys, opt)
					gotKeys = append(gotKeys, pageKeys(p)...)
					gotPrefixes = append(gotPrefixes, p.CommonPrefixes...)
					if !p.IsTruncated {
						break
					}
					opt.Marker = p.NextMarker
				}
				if !slices.Equal(gotKeys, want.keys) || !slices.Equal(gotPrefixes, want.prefixes) {
					t.Fatalf("paging prefix %q delimiter %q by %d: got %q %q, want %q %q", prefix, delim, max, gotKeys, gotPrefixes, want.keys, want.prefixes)
				}
			}
		}
	}
}

func TestListLeavesOutStoreAndStrangers(t *testing.T) {
	s, dir := newTestStore(t)
	mustPut(t, s, "a.jpg", []byte("a"), PutOptions{})
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "f"), []byte("f"), 0o644)
	os.Symlink(outside, filepath.Join(dir, "out"))
	os.Symlink(filepath.Join(outside, "f"), filepath.Join(dir, "out-abs"))
	os.Symlink("../"+filepath.Base(outside)+"/f", filepath.Join(dir, "out-rel"))
	os.Symlink(".", filepath.Join(dir, "loop"))
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.Symlink("..", filepath.Join(dir, "sub/up"))
	done := make(chan struct{})
	var page ListPage
	var err error
	go func() {
		defer close(done)
		page, err = s.List(context.Background(), ListOptions{MaxKeys: 1000})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("List hangs on a symlink loop")
	}
	if err != nil {
		t.Fatal(err)
	}
	if got := pageKeys(page); !slices.Equal(got, []string{"a.jpg"}) || len(page.CommonPrefixes) != 0 {
		t.Fatalf("List = %q %q", got, page.CommonPrefixes)
	}
	for _, key := range []string{"out/f", "out-abs", "out-rel", "loop/a.jpg"} {
		if key == "loop/a.jpg" {
			continue // a link inside DIR may be followed by direct access; it is only never listed
		}
		if _, _, err := s.Open(key); !errorsIsNotFound(err) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", key, err)
		}
	}
	for _, prefix := range []string{".lightbox-cos", ".lightbox-cos/", ".", ""} {
		p, err := s.List(context.Background(), ListOptions{Prefix: prefix, Delimiter: "/", MaxKeys: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, cp := range p.CommonPrefixes {
			if strings.HasPrefix(cp, MetaDirName) {
				t.Fatalf("prefix %q lists %q", prefix, cp)
			}
		}
		for _, o := range p.Objects {
			if strings.HasPrefix(o.Key, MetaDirName) {
				t.Fatalf("prefix %q lists %q", prefix, o.Key)
			}
		}
	}
}

// TestListCacheSeesChanges lists folders whose cached entries are trusted
// (their mtimes are old) and checks that direct and store changes show.
func TestListCacheSeesChanges(t *testing.T) {
	s, dir := newTestStore(t)
	var keys []string
	for i := 0; i < 50; i++ {
		k := fmt.Sprintf("f/%02d.jpg", i)
		os.MkdirAll(filepath.Join(dir, "f"), 0o755)
		os.WriteFile(filepath.Join(dir, k), []byte("x"), 0o644)
		keys = append(keys, k)
	}
	old := time.Now().Add(-time.Hour)
	for _, d := range []string{dir, filepath.Join(dir, "f")} {
		if err := os.Chtimes(d, old, old); err != nil {
			t.Fatal(err)
		}
	}
	list := func() []string {
		p, err := s.List(context.Background(), ListOptions{MaxKeys: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return pageKeys(p)
	}
	if got := list(); !slices.Equal(got, keys) {
		t.Fatalf("first listing %q", got)
	}
	if s.listings.get("f/", idOfPath(t, filepath.Join(dir, "f"))) == nil {
		t.Fatal("a quiet folder was not cached")
	}
	// A direct change moves the folder's mtime away from the cached stamp.
	os.WriteFile(filepath.Join(dir, "f/50.jpg"), []byte("x"), 0o644)
	keys = append(keys, "f/50.jpg")
	if got := list(); !slices.Equal(got, keys) {
		t.Fatalf("after a direct write %q", got)
	}
	// The store's own writes invalidate even within one timestamp tick.
	os.Chtimes(filepath.Join(dir, "f"), old, old)
	list()
	mustPut(t, s, "f/51.jpg", []byte("x"), PutOptions{})
	os.Chtimes(filepath.Join(dir, "f"), old, old) // as if within the same tick
	keys = append(keys, "f/51.jpg")
	if got := list(); !slices.Equal(got, keys) {
		t.Fatalf("after Put %q", got)
	}
	s.Delete("f/00.jpg")
	os.Chtimes(filepath.Join(dir, "f"), old, old)
	keys = keys[1:]
	if got := list(); !slices.Equal(got, keys) {
		t.Fatalf("after Delete %q", got)
	}
}

func idOfPath(t *testing.T, p string) fileID {
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return idOf(fi)
}
