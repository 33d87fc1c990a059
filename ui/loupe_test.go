package ui

import (
	"image/color"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"lightbox/internal/cosrules"
	"lightbox/score"
)

// strip: a folder first, then five images, so the loupe's counter and steps can be told
// apart from the list's rows.
func strip() *fakeBackend {
	b := newFake()
	b.add("sub/inside.jpg", 1000, score.Scores{ClarityScore: 60})
	for i, c := range []int{30, 45, 55, 70, 90} {
		b.add("img_"+itoa(i+1)+".jpg", int64(100_000+i), score.Scores{ClarityScore: c, AestheticScore: c - 10, LowQualityScore: c + 5})
	}
	b.images = map[string][]byte{}
	for k := range b.objects {
		b.images[k] = pngOf(30, 20, color.RGBA{0, 200, 0, 255})
	}
	return b
}

func loupeHarness(t *testing.T, b *fakeBackend, w, h int, edit func(*Options)) *harness {
	t.Helper()
	hs := newHarness(t, b, w, h, func(o *Options) {
		o.Image = "blocks"
		o.QuickTags = map[string]cosrules.Tag{"1": {Key: "rating", Value: "1"}}
		o.Keys = o.Keys.WithQuickTags(o.QuickTags)
		if edit != nil {
			edit(o)
		}
	})
	hs.cursorOn("img_1.jpg")
	hs.keys("o")
	if !hs.m.lp.open || hs.m.mode != modeImage {
		t.Fatalf("o did not open the loupe:\n%s", hs.screen())
	}
	return hs
}

func TestLoupeCountsImagesOnly(t *testing.T) {
	hs := loupeHarness(t, strip(), 80, 24, nil)
	hs.keys("n")
	if first := strings.Split(hs.screen(), "\n")[0]; !strings.Contains(first, "2/5") || !strings.Contains(first, "img_2.jpg") {
		t.Errorf("counter of images only, want 2/5 on img_2: %q", first)
	}
	hs.keys("G")
	if hs.m.cursorKey() != "img_5.jpg" || !strings.Contains(hs.screen(), "5/5") {
		t.Errorf("G: %q", hs.m.cursorKey())
	}
	hs.keys("g") // the folder before the first image is not shown
	if hs.m.cursorKey() != "img_1.jpg" || !strings.Contains(hs.screen(), "1/5") {
		t.Errorf("g: %q", hs.m.cursorKey())
	}
}

// Every action key acts on the image the loupe shows, which is not where the cursor was
// when the loupe opened, and the loupe stays open afterwards.
func TestLoupeActionsActOnTheShownImage(t *testing.T) {
	b := strip()
	hs := loupeHarness(t, b, 100, 30, nil)
	stillOpen := func(after string) {
		t.Helper()
		if !hs.m.lp.open || hs.m.mode != modeImage {
			t.Fatalf("%s closed the loupe (mode %v):\n%s", after, hs.m.mode, hs.screen())
		}
	}
	hs.keys("n", "n") // img_3
	hs.keys("P")
	stillOpen("P")
	if !hasTag(b.tags["img_3.jpg"], "flag", "pick") || len(b.tags["img_1.jpg"]) != 0 {
		t.Fatalf("P: img_3 %v img_1 %v", b.tags["img_3.jpg"], b.tags["img_1.jpg"])
	}
	hs.settle("img_3.jpg")
	if !strings.Contains(hs.screen(), "✓ PICK") {
		t.Errorf("the verdict is not drawn:\n%s", hs.screen())
	}
	hs.keys("X")
	if !hasTag(b.tags["img_3.jpg"], "flag", "reject") {
		t.Fatalf("X: %v", b.tags["img_3.jpg"])
	}
	hs.keys("U")
	if hasTag(b.tags["img_3.jpg"], "flag", "reject") {
		t.Fatalf("U: %v", b.tags["img_3.jpg"])
	}
	hs.keys("1")
	stillOpen("1")
	if !hasTag(b.tags["img_3.jpg"], "rating", "1") {
		t.Fatalf("quick tag 1: %v", b.tags["img_3.jpg"])
	}
	hs.keys("t")
	if !strings.Contains(hs.screen(), "tag 1:") {
		t.Fatalf("t shows no prompt in the loupe:\n%s", hs.screen())
	}
	hs.typeText("review=keep")
	hs.keys("enter")
	stillOpen("t")
	if !hasTag(b.tags["img_3.jpg"], "review", "keep") {
		t.Fatalf("t: %v", b.tags["img_3.jpg"])
	}
	hs.keys("c", "y")
	if last := b.batches[len(b.batches)-1]; last.action != "promote" || strings.Join(last.keys, ",") != "img_3.jpg" {
		t.Fatalf("c did not promote the shown image: %s %v", last.action, last.keys)
	}
	stillOpen("c")
	hs.keys("?")
	if !strings.Contains(hs.screen(), "Keys") {
		t.Fatalf("? shows no help over the loupe:\n%s", hs.screen())
	}
	hs.keys("x") // any key closes help: back to the loupe
	stillOpen("?")
	hs.keys("D")
	if hs.m.dialog == nil || !strings.Contains(hs.screen(), "Delete 1 image(s)?") {
		t.Fatalf("D asks over the loupe:\n%s", hs.screen())
	}
	hs.keys("y")
	if _, ok := b.objects["img_3.jpg"]; ok {
		t.Fatal("D y did not delete the shown image")
	}
	for _, k := range []string{"img_1.jpg", "img_2.jpg", "img_4.jpg", "img_5.jpg"} {
		if _, ok := b.objects[k]; !ok {
			t.Fatalf("D deleted %s", k)
		}
	}
	stillOpen("D")
	if it := hs.m.list.At(hs.m.cursor); it == nil || it.IsPrefix {
		t.Fatalf("after the delete the loupe shows no image: %v", it)
	}
	// space marks the shown image and moves on, as in the list.
	shown := hs.m.cursorKey()
	hs.keys("space")
	if it := hs.m.list.Item(shown); it == nil || !it.Marked || hs.m.cursorKey() == shown {
		t.Fatalf("space: marked %v, now on %q", it != nil && it.Marked, hs.m.cursorKey())
	}
	stillOpen("space")
	hs.keys("esc")
	if hs.m.lp.open || hs.m.mode != modeNormal {
		t.Error("esc leaves the loupe")
	}
}

func TestLoupeAutoAdvance(t *testing.T) {
	b := strip()
	hs := loupeHarness(t, b, 80, 24, nil)
	hs.keys("P")
	if hs.m.cursorKey() != "img_1.jpg" {
		t.Fatalf("auto-advance is off by default, but P moved to %q", hs.m.cursorKey())
	}
	hs.keys("A")
	if !strings.Contains(hs.screen(), "auto-advance on") {
		t.Errorf("A says nothing:\n%s", hs.screen())
	}
	for _, k := range []string{"X", "P", "1", "U"} {
		before := hs.m.cursorKey()
		hs.keys(k)
		if hs.m.cursorKey() == before {
			t.Fatalf("%s did not advance from %s", k, before)
		}
		if !strings.Contains(strings.Join(tagStrings(b.tags[before]), ","), map[string]string{"X": "flag=reject", "P": "flag=pick", "1": "rating=1", "U": ""}[k]) {
			t.Fatalf("%s did not act on %s before advancing: %v", k, before, b.tags[before])
		}
	}
	// The last image stays where it is; the verdict still lands.
	hs.keys("G", "X")
	if hs.m.cursorKey() != "img_5.jpg" || !hasTag(b.tags["img_5.jpg"], "flag", "reject") {
		t.Errorf("at the end: %q %v", hs.m.cursorKey(), b.tags["img_5.jpg"])
	}
	// Marks are for the list: a verdict in the loupe is about the shown image alone.
	hs.keys("g", "space")
	before := hs.m.cursorKey()
	hs.keys("A", "P")
	if hs.m.dialog != nil || hs.m.cursorKey() != before || !hasTag(b.tags[before], "flag", "pick") || !hasTag(b.tags["img_1.jpg"], "flag", "reject") {
		t.Errorf("with img_1 marked, P on %s: dialog %v, now on %q, tags %v / img_1 %v", before, hs.m.dialog != nil, hs.m.cursorKey(), b.tags[before], b.tags["img_1.jpg"])
	}
}

func TestLoupeAutoAdvanceFromConfig(t *testing.T) {
	hs := loupeHarness(t, strip(), 80, 24, func(o *Options) { o.AutoAdvance = true })
	hs.keys("P")
	if hs.m.cursorKey() != "img_2.jpg" {
		t.Errorf("[review] auto_advance: P left the cursor on %q", hs.m.cursorKey())
	}
}

func tagStrings(tags []cosrules.Tag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, t.Key+"="+t.Value)
	}
	return out
}

// A narrow or short terminal gets a loupe that fits, never one wider than the screen.
func TestLoupeNarrow(t *testing.T) {
	for _, size := range [][2]int{{20, 24}, {20, 6}, {20, 3}, {12, 2}, {1, 1}} {
		hs := loupeHarness(t, strip(), size[0], size[1], nil)
		hs.keys("P", "A", "n")
		for i, line := range strings.Split(hs.m.render(), "\n") {
			if w := ansi.StringWidth(line); w > size[0] {
				t.Errorf("%dx%d line %d is %d cells: %q", size[0], size[1], i, w, ansi.Strip(line))
			}
		}
	}
}

func TestGoldenLoupe80x24(t *testing.T) {
	hs := loupeHarness(t, strip(), 80, 24, nil)
	hs.keys("n", "P")
	hs.settle("img_2.jpg")
	golden.RequireEqual(t, []byte(hs.screen()))
}

func TestGoldenLoupe160x48(t *testing.T) {
	hs := loupeHarness(t, strip(), 160, 48, nil)
	hs.keys("G", "A")
	golden.RequireEqual(t, []byte(hs.screen()))
}

func TestGoldenLoupeMono80x24(t *testing.T) {
	hs := loupeHarness(t, strip(), 80, 24, func(o *Options) { o.Theme = ThemeMono })
	hs.keys("X")
	golden.RequireEqual(t, []byte(hs.m.render()))
}

func TestGoldenLoupeMono160x48(t *testing.T) {
	hs := loupeHarness(t, strip(), 160, 48, func(o *Options) { o.Theme = ThemeMono })
	hs.keys("n", "n", "space")
	golden.RequireEqual(t, []byte(hs.m.render()))
}

// The journal and the trash open over the loupe and close back to it.
func TestLoupeOverlaysComeBack(t *testing.T) {
	hs := loupeHarness(t, strip(), 100, 30, nil)
	hs.keys("n")
	for _, k := range []string{"J", "T"} {
		hs.keys(k)
		if hs.m.mode == modeImage {
			t.Fatalf("%s opened nothing over the loupe", k)
		}
		if first := strings.Split(hs.screen(), "\n")[0]; !strings.HasPrefix(first, "▸ 2/5") {
			t.Errorf("%s: the loupe is not under the overlay: %q", k, first)
		}
		hs.keys("esc")
		if hs.m.mode != modeImage || hs.m.cursorKey() != "img_2.jpg" {
			t.Fatalf("esc after %s: mode %v on %q", k, hs.m.mode, hs.m.cursorKey())
		}
	}
}

// A licence or README beside the photos is neither counted nor stepped to.
func TestLoupeCountsAndStepsOverOtherFiles(t *testing.T) {
	b := strip()
	b.add("zz_LICENSE.txt", 500, score.Scores{})
	hs := loupeHarness(t, b, 80, 24, nil)
	hs.keys("G")
	if hs.m.cursorKey() != "img_5.jpg" || !strings.Contains(hs.screen(), "5/5") {
		t.Errorf("G in the loupe: on %s, want img_5.jpg and 5/5:\n%s", hs.m.cursorKey(), hs.screen())
	}
	hs.keys("n")
	if hs.m.cursorKey() != "img_5.jpg" {
		t.Errorf("n stepped onto %s, not an image", hs.m.cursorKey())
	}
}
