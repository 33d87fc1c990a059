package main

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/localcos"
)

// scene draws a generated picture: a gradient sky, a horizon and a few discs placed by seed,
// with fine texture so the scorer sees detail.
func scene(seed, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	discs := [][3]int{{(seed*97)%w/2 + w/4, h / 3, h / 6}, {(seed * 53) % w, 2 * h / 3, h / 5}, {w - (seed*31)%w, h / 2, h / 8}}
	for y := range h {
		for x := range w {
			fx, fy := x*320/w, y*240/h // in 320x240 units: a resized copy is the same picture
			r, g, b := uint8(60+fy/2), uint8(90+fy/3), uint8(200-fy/2)
			if fy > 140+(seed%3)*20 {
				r, g, b = uint8(40+fx/8), uint8(120-fy/4), uint8(30+(fx*fy)%40)
			}
			if (fx/8+fy/8)%2 == seed%2 && fy > 180 {
				r += 25
			}
			for i, d := range discs {
				dx, dy := fx-d[0]*320/w, fy-d[1]*240/h
				if dx*dx+dy*dy < d[2]*d[2]*240*240/(h*h) {
					r, g, b = uint8(220-i*70), uint8(180-seed*20), uint8(40+i*60)
				}
			}
			img.Set(x, y, color.RGBA{r, g, b, 255})
		}
	}
	return img
}

func writeJPEG(t *testing.T, path string, img image.Image, quality int, mtime time.Time) {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// Hours apart: no two images are one burst by time, only the copies are one picture.
	if err := os.Chtimes(path, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

// folderTags reads key's tags from the folder through the embedded COS, as any client
// would, once lightbox has let go of it.
func folderTags(t *testing.T, dir, key string) map[string]string {
	t.Helper()
	cred := localcos.Credential{SecretID: "AKIDe2egroups", SecretKey: "e2e-groups-secret"}
	srv, err := localcos.New(localcos.Config{Dir: dir, Credentials: []localcos.Credential{cred}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer func() {
		ts.Close()
		_ = srv.Close()
	}()
	u, _ := url.Parse(ts.URL)
	c := cos.NewClient(&cos.BaseURL{BucketURL: u}, &http.Client{
		Transport: &cos.AuthorizationTransport{SecretID: cred.SecretID, SecretKey: cred.SecretKey}, Timeout: 30 * time.Second,
	})
	res, _, err := c.Object.GetTagging(t.Context(), key)
	if err != nil {
		t.Fatalf("tags of %s: %v", key, err)
	}
	out := map[string]string{}
	for _, tg := range res.TagSet {
		out[tg.Key] = tg.Value
	}
	return out
}

// bestRow finds the collapsed group's row, "▸3 near NAME", and returns NAME.
var bestRow = regexp.MustCompile(`▸3 near (\S+\.jpg)`)

// TestEndToEndGroupsInTmux groups a folder of re-encoded and resized copies of one
// generated scene among unrelated ones: = collapses the copies under their best, e
// expands the group, ctrl+k rejects the rest after a confirmation; the tags are checked on
// disk, then u in a new session undoes the batch, checked on disk again.
func TestEndToEndGroupsInTmux(t *testing.T) {
	bin := buildForTmux(t)
	home := t.TempDir()
	dir := filepath.Join(t.TempDir(), "shots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	harbour := scene(1, 320, 240)
	small := image.NewRGBA(image.Rect(0, 0, 200, 150))
	for y := range 150 { // a box-filtered downscale: a resized copy
		for x := range 200 {
			var r, g, b int
			for dy := range 2 {
				for dx := range 2 {
					c := harbour.RGBAAt(x*320/200+dx, y*240/150+dy)
					r, g, b = r+int(c.R), g+int(c.G), b+int(c.B)
				}
			}
			small.Set(x, y, color.RGBA{uint8(r / 4), uint8(g / 4), uint8(b / 4), 255})
		}
	}
	copies := []string{"harbour_q92.jpg", "harbour_q55.jpg", "harbour_small.jpg"}
	writeJPEG(t, filepath.Join(dir, copies[0]), harbour, 92, base)
	writeJPEG(t, filepath.Join(dir, copies[1]), harbour, 55, base.Add(time.Hour))
	writeJPEG(t, filepath.Join(dir, copies[2]), small, 85, base.Add(2*time.Hour))
	writeJPEG(t, filepath.Join(dir, "field.jpg"), scene(4, 320, 240), 90, base.Add(3*time.Hour))
	stripes := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := range 240 {
		for x := range 320 {
			v := uint8(40 + (x/20%2)*150 + y/6)
			stripes.Set(x, y, color.RGBA{v, 255 - v, uint8(x * 255 / 320), 255})
		}
	}
	writeJPEG(t, filepath.Join(dir, "stripes.jpg"), stripes, 90, base.Add(4*time.Hour))

	env := homeEnv(home, "TERM=xterm-256color")
	s := startTmux(t, 120, 30, env, bin, dir)
	s.waitFor("the folder scored", 60*time.Second, func(scr string) bool { return strings.Contains(scr, "stripes.jpg") && allAnswered(scr) })

	// =: the three copies collapse under their best, with the group's size and kind.
	s.keys("=")
	scr := s.waitFor("the grouping", 60*time.Second, func(scr string) bool {
		return strings.Contains(scr, "collapsed under their best") || strings.Contains(scr, "no near-duplicates")
	})
	if !strings.Contains(scr, "1 group of 3 images") {
		t.Fatalf("want one group of the three copies:\n%s", scr)
	}
	m := bestRow.FindStringSubmatch(scr)
	if m == nil {
		t.Fatalf("no collapsed row of 3:\n%s", scr)
	}
	best := m[1]
	var rest []string
	for _, c := range copies {
		if c != best {
			rest = append(rest, c)
			if strings.Contains(scr, c) {
				t.Errorf("%s shows while its group is collapsed:\n%s", c, scr)
			}
		}
	}
	if len(rest) != 2 {
		t.Fatalf("best %q is not one of the copies", best)
	}

	// e on the group's row (the last: harbour_ sorts after field.jpg, before stripes.jpg).
	s.keys("g", "j")
	s.keys("e")
	scr = s.waitFor("the group expanded", 10*time.Second, contains("▾3 near "+best))
	for _, c := range rest {
		if !strings.Contains(scr, "└ "+c) {
			t.Errorf("expanded group lacks member %s:\n%s", c, scr)
		}
	}

	// ctrl+k asks, Enter cancels, y rejects the two others in one batch.
	s.keys("C-k")
	s.waitFor("the dialog", 5*time.Second, contains("Reject 2 image(s), keeping the best of 1 group(s)?"))
	s.keys("Enter")
	s.waitFor("cancelled", 5*time.Second, func(scr string) bool { return !strings.Contains(scr, "Reject 2 image(s)") })
	s.keys("C-k")
	s.waitFor("the dialog", 5*time.Second, contains("Reject 2 image(s)"))
	s.keys("y")
	s.waitFor("tagged", 30*time.Second, contains("tagged 2"))
	s.waitFor("the verdicts on screen", 10*time.Second, func(scr string) bool { return strings.Count(scr, "REJECT") == 2 })
	s.keys("q")
	s.waitFor("the program to exit", 10*time.Second, func(string) bool {
		return exec.Command("tmux", "has-session", "-t", s.name).Run() != nil
	})

	// On disk: the two others carry flag=reject, the best and the unrelated ones nothing.
	for _, c := range rest {
		if got := folderTags(t, dir, c)["flag"]; got != "reject" {
			t.Errorf("%s: flag=%q on disk, want reject", c, got)
		}
	}
	for _, k := range []string{best, "field.jpg", "stripes.jpg"} {
		if got := folderTags(t, dir, k); len(got) != 0 {
			t.Errorf("%s tagged on disk: %v", k, got)
		}
	}

	// A new session undoes the batch (the journal outlives the process).
	s = startTmux(t, 120, 30, env, bin, dir)
	s.waitFor("the folder listed", 60*time.Second, func(scr string) bool { return strings.Contains(scr, "stripes.jpg") && allAnswered(scr) })
	s.keys("u")
	s.waitFor("the undo dialog", 5*time.Second, contains("Undo the last change"))
	s.keys("y")
	s.waitFor("undone", 30*time.Second, contains("undone 2"))
	s.keys("q")
	s.waitFor("the program to exit", 10*time.Second, func(string) bool {
		return exec.Command("tmux", "has-session", "-t", s.name).Run() != nil
	})
	for _, c := range rest {
		if got := folderTags(t, dir, c); len(got) != 0 {
			t.Errorf("%s still tagged on disk after undo: %v", c, got)
		}
	}
}
