package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"image"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/quality/synth"
	"lightbox/similar"
)

// withCaptureTime puts an Exif segment holding DateTimeOriginal right after a JPEG's SOI.
func withCaptureTime(jpg []byte, when string) []byte {
	bo := binary.BigEndian
	tiff := []byte("MM\x00*\x00\x00\x00\x08")
	tiff = bo.AppendUint16(tiff, 1) // IFD0: the Exif IFD pointer
	tiff = bo.AppendUint16(tiff, 0x8769)
	tiff = bo.AppendUint16(tiff, 4)
	tiff = bo.AppendUint32(tiff, 1)
	tiff = bo.AppendUint32(tiff, 26)
	tiff = bo.AppendUint32(tiff, 0)
	tiff = bo.AppendUint16(tiff, 1) // Exif IFD at 26: DateTimeOriginal, its value at 44
	tiff = bo.AppendUint16(tiff, 0x9003)
	tiff = bo.AppendUint16(tiff, 2)
	tiff = bo.AppendUint32(tiff, uint32(len(when)+1))
	tiff = bo.AppendUint32(tiff, 44)
	tiff = bo.AppendUint32(tiff, 0)
	tiff = append(tiff, when+"\x00"...)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1}
	out = bo.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// groupsFolder writes a folder with one of each kind of group and unrelated images, every
// file's time hours from the others so only EXIF times make a burst.
func groupsFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	a := synth.Scene(11, 400, 300)
	e := synth.EncodeJPEG(synth.Scene(12, 320, 240), 88)
	// Burst frames: the view moved along a wider scene until the frames are too far apart
	// for a near-duplicate yet close enough for a burst.
	wide := synth.Scene(13, 480, 300)
	b1 := synth.EncodeJPEG(synth.Crop(wide, image.Rect(0, 0, 400, 300)), 90)
	fp1, _ := similar.Decode(b1)
	var b2 []byte
	for shift := 8; shift <= 80 && b2 == nil; shift += 2 {
		b := synth.EncodeJPEG(synth.Crop(wide, image.Rect(shift, 0, shift+400, 300)), 90)
		fp2, _ := similar.Decode(b)
		if d := similar.Distance(fp1, fp2); d > similar.DefaultOptions.Near && d <= similar.DefaultOptions.Burst {
			b2 = b
		}
	}
	if b2 == nil {
		t.Fatal("no shift makes a burst frame")
	}
	files := []struct {
		name string
		data []byte
	}{
		{"a.jpg", synth.EncodeJPEG(a, 92)},
		{"a-q40.jpg", synth.EncodeJPEG(a, 40)},
		{"a-small.jpg", synth.EncodeJPEG(a.Resize(160, 120), 85)},
		{"b1.jpg", withCaptureTime(b1, "2025:08:01 10:00:00")},
		{"b2.jpg", withCaptureTime(b2, "2025:08:01 10:00:02")},
		{"c.jpg", synth.EncodeJPEG(synth.Scene(14, 320, 240), 85)},
		{"d.png", synth.EncodePNG(synth.RGBA(synth.Scene(15, 200, 150)))},
		{"e.jpg", e},
		{"sub/e-copy.jpg", e},
		{"notes.txt", []byte("not an image")},
	}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range files {
		p := filepath.Join(dir, f.name)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
		when := at.Add(time.Duration(i) * 3 * time.Hour)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type groupLine struct {
	Kind    string   `json:"kind"`
	Best    string   `json:"best"`
	Members []string `json:"members"`
	Why     string   `json:"why"`
}

func parseGroups(t *testing.T, out string) []groupLine {
	t.Helper()
	var gs []groupLine
	for l := range strings.Lines(out) {
		var g groupLine
		if err := json.Unmarshal([]byte(l), &g); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		gs = append(gs, g)
	}
	return gs
}

func TestGroupsFolder(t *testing.T) {
	isolate(t)
	dir := groupsFolder(t)
	code, out, errb := runCLI("groups", "--recursive", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	gs := parseGroups(t, out)
	want := map[string][]string{
		"duplicate": {"e.jpg", "sub/e-copy.jpg"},
		"near":      {"a-q40.jpg", "a-small.jpg", "a.jpg"},
		"burst":     {"b1.jpg", "b2.jpg"},
	}
	if len(gs) != len(want) {
		t.Fatalf("%d groups, want %d:\n%s", len(gs), len(want), out)
	}
	// The best must be the member `lightbox score` rates highest: ClarityScore, then
	// AestheticScore, then the larger file.
	_, scored, _ := runCLI("score", "--recursive", dir)
	type row struct {
		Key                          string
		Size                         int64
		ClarityScore, AestheticScore int
	}
	rows := map[string]row{}
	for l := range strings.Lines(scored) {
		var r row
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		rows[r.Key] = r
	}
	for _, g := range gs {
		members := slices.Sorted(slices.Values(g.Members))
		if !slices.Equal(members, want[g.Kind]) {
			t.Errorf("%s group %v, want %v", g.Kind, members, want[g.Kind])
		}
		if g.Best != g.Members[0] || g.Why == "" {
			t.Errorf("%s group: best %q not first of %v, or no why %q", g.Kind, g.Best, g.Members, g.Why)
		}
		best := slices.MaxFunc(g.Members, func(x, y string) int {
			a, b := rows[x], rows[y]
			switch {
			case a.ClarityScore != b.ClarityScore:
				return a.ClarityScore - b.ClarityScore
			case a.AestheticScore != b.AestheticScore:
				return a.AestheticScore - b.AestheticScore
			}
			return int(a.Size - b.Size)
		})
		if g.Kind != "duplicate" && g.Best != best {
			t.Errorf("%s group: best %s, but score rates %s highest (%+v)", g.Kind, g.Best, best, rows)
		}
		t.Logf("%s %v best %s: %s", g.Kind, g.Members, g.Best, g.Why)
	}
	if !strings.Contains(errb, "9 images, 3 groups (1 duplicate, 1 near, 1 burst); fingerprints: 0 from cache, 9 read; 9 AssessQuality calls; failed 0") {
		t.Errorf("summary: %q", errb)
	}

	// Again: every fingerprint and score comes from the cache; keys are relative to a
	// sub-prefix target; without --recursive the copy in sub/ is not seen.
	code, out, errb = runCLI("groups", "--format", "csv", dir)
	if code != 0 || !strings.Contains(errb, "8 images, 2 groups (0 duplicate, 1 near, 1 burst); fingerprints: 8 from cache, 0 read; 0 AssessQuality calls") {
		t.Errorf("second run: exit %d, %q", code, errb)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 6 || recs[0][2] != "key" || recs[1][3] != "true" || recs[1][6] == "" {
		t.Errorf("csv %v %v", recs, err)
	}
	_, out, _ = runCLI("groups", "--format", "text", dir)
	if !regexp.MustCompile(`(?m)^near, 3 images: keep a\S*\.jpg \(.+\)\n  a\S*\.jpg\n  a\S*\.jpg\n`).MatchString(out) ||
		!strings.Contains(out, "burst, 2 images: keep ") {
		t.Errorf("text:\n%s", out)
	}
}

// TestGroupsOverCOS runs groups on a prefix of a served bucket, as on real COS: keys come
// relative to the prefix, objects uploaded with the same bytes (same MD5 ETag) are
// duplicates without a second read, and --no-scores makes no AssessQuality call.
func TestGroupsOverCOS(t *testing.T) {
	isolate(t)
	out, _, stop := startServe(t, "--addr", "127.0.0.1:0", "--bucket", "photos-1250000000", "-q", t.TempDir())
	defer stop()
	env, _ := os.ReadFile(filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "lightbox", "serve", "photos-1250000000.env"))
	id := regexp.MustCompile(`COS_SECRETID=(\S+)`).FindStringSubmatch(string(env))[1]
	key := regexp.MustCompile(`COS_SECRETKEY=(\S+)`).FindStringSubmatch(string(env))[1]
	endpoint := regexp.MustCompile(`Endpoint:\s+(\S+)`).FindStringSubmatch(out.String())[1]
	u, _ := url.Parse(endpoint)
	c := cos.NewClient(&cos.BaseURL{BucketURL: u}, &http.Client{Transport: &cos.AuthorizationTransport{SecretID: id, SecretKey: key}})
	a := synth.Scene(21, 400, 300)
	e := synth.EncodeJPEG(synth.Scene(22, 320, 240), 88)
	for name, data := range map[string][]byte{
		"shoot/e.jpg": e, "shoot/e-again.jpg": e, "elsewhere.jpg": e,
		"shoot/a.jpg": synth.EncodeJPEG(a, 92), "shoot/a-q30.jpg": synth.EncodeJPEG(a, 30),
	} {
		if _, err := c.Object.Put(context.Background(), name, bytes.NewReader(data), nil); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("COS_SECRETID", id)
	t.Setenv("COS_SECRETKEY", key)
	code, got, errb := runCLI("groups", "--no-scores", "--endpoint", endpoint, "--bucket", "photos-1250000000", "shoot/")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	gs := parseGroups(t, got)
	if len(gs) != 2 || gs[0].Kind != "near" || gs[1].Kind != "duplicate" ||
		!slices.Equal(slices.Sorted(slices.Values(gs[0].Members)), []string{"a-q30.jpg", "a.jpg"}) ||
		!slices.Equal(gs[1].Members, []string{"e-again.jpg", "e.jpg"}) || gs[1].Best != "e-again.jpg" {
		t.Errorf("groups under shoot/:\n%s", got)
	}
	if !strings.Contains(errb, "4 images, 2 groups (1 duplicate, 1 near, 0 burst); fingerprints: 0 from cache, 3 read; 0 AssessQuality calls") {
		t.Errorf("summary: %q", errb)
	}
}

func TestGroupsErrors(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	if code, _, errb := runCLI("groups", "--format", "xml", dir); code != exitUsage || !strings.Contains(errb, "--format") {
		t.Errorf("bad format: exit %d %q", code, errb)
	}
	if code, _, _ := runCLI("groups", dir, dir); code != exitUsage {
		t.Errorf("two targets: exit %d", code)
	}
	_ = os.WriteFile(filepath.Join(dir, "broken.jpg"), []byte("\xFF\xD8\xFF not really"), 0o644)
	_ = os.WriteFile(filepath.Join(dir, "ok.png"), synth.EncodePNG(synth.RGBA(synth.Scene(1, 64, 64))), 0o644)
	code, out, errb := runCLI("groups", "--no-scores", dir)
	if code != exitFailed || out != "" || !strings.Contains(errb, "broken.jpg: cannot fingerprint") || !strings.Contains(errb, "failed 1") {
		t.Errorf("broken image: exit %d, out %q, err %q", code, out, errb)
	}
	cfg := filepath.Join(t.TempDir(), "c.toml")
	_ = os.WriteFile(cfg, []byte("[groups]\nnear_threshold = 99\n"), 0o600)
	if code, _, errb := runCLI("groups", "--config", cfg, dir); code == 0 || !strings.Contains(errb, "groups.near_threshold") {
		t.Errorf("bad config: exit %d %q", code, errb)
	}
}
