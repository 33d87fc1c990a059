package cli

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"lightbox/quality/synth"
)

// fakeBucket is the least of COS that groups needs: a listing with the ETags the test
// chooses, and GET of an object (a thumbnail request gets the object itself). It counts
// whole-object reads and thumbnail reads per key.
type fakeBucket struct {
	objects map[string][]byte
	etags   map[string]string
	mu      sync.Mutex
	whole   map[string]int
	thumbs  map[string]int
}

func (f *fakeBucket) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/")
	if key == "" {
		var b strings.Builder
		b.WriteString("<ListBucketResult><Name>fake-1250000000</Name><IsTruncated>false</IsTruncated>")
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range f.objects {
				if !yield(k) {
					return
				}
			}
		}) {
			fmt.Fprintf(&b, "<Contents><Key>%s</Key><Size>%d</Size><ETag>&quot;%s&quot;</ETag><LastModified>2025-01-01T00:00:00.000Z</LastModified></Contents>",
				k, len(f.objects[k]), f.etags[k])
		}
		b.WriteString("</ListBucketResult>")
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte(b.String()))
		return
	}
	data, ok := f.objects[key]
	if !ok || r.Method != http.MethodGet {
		http.Error(w, "<Error><Code>NoSuchKey</Code></Error>", http.StatusNotFound)
		return
	}
	f.mu.Lock()
	if strings.Contains(r.URL.RawQuery, "imageMogr2") {
		f.thumbs[key]++
	} else {
		f.whole[key]++
	}
	f.mu.Unlock()
	_, _ = w.Write(data)
}

// TestGroupsConfirmsOtherETagsByBytes: objects whose ETags are MD5s are duplicates by their
// listing alone (one thumbnail for both, no whole read); objects sharing an ETag that is no
// MD5 are read whole and grouped only if their bytes agree.
func TestGroupsConfirmsOtherETagsByBytes(t *testing.T) {
	isolate(t)
	pad := func(b []byte, n int) []byte { return append(b, make([]byte, n-len(b))...) } // after EOI: decoders stop before
	a, b := synth.EncodeJPEG(synth.Scene(31, 320, 240), 85), synth.EncodeJPEG(synth.Scene(32, 320, 240), 85)
	n := max(len(a), len(b))
	c := synth.EncodeJPEG(synth.Scene(33, 320, 240), 85)
	e := synth.EncodeJPEG(synth.Scene(34, 320, 240), 85)
	sum := md5.Sum(e)
	f := &fakeBucket{
		objects: map[string][]byte{"a.jpg": pad(a, n), "b.jpg": pad(b, n), "c.jpg": c, "c-copy.jpg": c, "e.jpg": e, "e-copy.jpg": e},
		etags: map[string]string{"a.jpg": "sse-1", "b.jpg": "sse-1", "c.jpg": "sse-2", "c-copy.jpg": "sse-2",
			"e.jpg": hex.EncodeToString(sum[:]), "e-copy.jpg": hex.EncodeToString(sum[:])},
		whole: map[string]int{}, thumbs: map[string]int{},
	}
	srv := httptest.NewServer(f)
	defer srv.Close()
	t.Setenv("COS_SECRETID", "AKIDfake")
	t.Setenv("COS_SECRETKEY", "fakekey")
	code, out, errb := runCLI("groups", "--no-scores", "--no-cache", "--endpoint", srv.URL, "--bucket", "fake-1250000000", "")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	gs := parseGroups(t, out)
	if len(gs) != 2 || gs[0].Kind != "duplicate" || !slices.Equal(gs[0].Members, []string{"c-copy.jpg", "c.jpg"}) ||
		gs[1].Kind != "duplicate" || !slices.Equal(gs[1].Members, []string{"e-copy.jpg", "e.jpg"}) {
		t.Errorf("groups:\n%s", out)
	}
	for _, k := range []string{"a.jpg", "b.jpg", "c.jpg", "c-copy.jpg"} {
		if f.whole[k] != 1 {
			t.Errorf("%s read whole %d times, want once: its ETag is no MD5", k, f.whole[k])
		}
	}
	if f.whole["e.jpg"]+f.whole["e-copy.jpg"] != 0 || f.thumbs["e.jpg"]+f.thumbs["e-copy.jpg"] != 1 {
		t.Errorf("MD5-ETag duplicates: %d whole reads, %d thumbnails; want 0 and 1",
			f.whole["e.jpg"]+f.whole["e-copy.jpg"], f.thumbs["e.jpg"]+f.thumbs["e-copy.jpg"])
	}
	if !bytes.Contains([]byte(errb), []byte("6 images, 2 groups (2 duplicate, 0 near, 0 burst)")) {
		t.Errorf("summary %q", errb)
	}
}
