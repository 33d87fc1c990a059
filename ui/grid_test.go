package ui

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"lightbox/model"
	"lightbox/score"
	"lightbox/ui/preview"
)

// sheet is a folder of twelve coloured images (img01..img12) and one sub-folder, each
// image with its own picture for the contact sheet and compare.
func sheet() *fakeBackend {
	f := newFake()
	f.images = map[string][]byte{}
	for i := 1; i <= 12; i++ {
		key := fmt.Sprintf("img%02d.jpg", i)
		f.add(key, int64(100_000+i*1000), score.Scores{ClarityScore: i * 8, AestheticScore: 100 - i*7, LowQualityScore: 40 + i*3, BigImage: i == 5})
		f.images[key] = pngOf(48, 32, color.RGBA{uint8(i * 20), uint8(255 - i*20), 128, 255})
	}
	f.add("more/inside.jpg", 5000, score.Scores{ClarityScore: 50})
	return f
}

func flagOf(f *fakeBackend, key string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.tags[key] {
		if t.Key == FlagTag {
			return t.Value
		}
	}
	return ""
}

// gridHarness opens the sheet on the sheet() folder, cursor on the first cell.
func gridHarness(t *testing.T, w, h int) *harness {
	hs := newHarness(t, sheet(), w, h, func(o *Options) { o.Image = "blocks" })
	hs.keys("ctrl+g")
	if hs.m.grid == nil {
		t.Fatal("ctrl+g did not open the contact sheet")
	}
	hs.keys("g")
	return hs
}

func TestGridMovesInTwoDimensions(t *testing.T) {
	hs := gridHarness(t, 80, 24)
	lay := hs.m.gridLayout(80, hs.m.listRows()+1)
	if lay.cols != 4 {
		t.Fatalf("80 columns hold %d cells across, want 4", lay.cols)
	}
	start := hs.m.cursor
	hs.keys("l")
	if hs.m.cursor != start+1 {
		t.Fatalf("l moved to %d, want %d", hs.m.cursor, start+1)
	}
	hs.keys("j")
	if hs.m.cursor != start+1+4 {
		t.Fatalf("j moved to %d, want one row down (%d)", hs.m.cursor, start+5)
	}
	hs.keys("k", "k") // already on the first row: k stays
	if hs.m.cursor != start+1 {
		t.Fatalf("k on the first row moved to %d", hs.m.cursor)
	}
	hs.keys("l", "l", "l") // from cell 1 to the end of the row and onto the next row's first
	if hs.m.cursor != start+4 {
		t.Fatalf("l at a row's end went to %d, want the next row's first cell %d", hs.m.cursor, start+4)
	}
	hs.keys("h") // and back onto the previous row's last cell
	if hs.m.cursor != start+3 {
		t.Fatalf("h at a row's start went to %d, want %d", hs.m.cursor, start+3)
	}
	hs.keys("g", "pgdown")
	if want := lay.cols * lay.rows; hs.m.cursor != want {
		t.Fatalf("page down went to %d, want %d (a screenful of cells)", hs.m.cursor, want)
	}
	hs.keys("G")
	if hs.m.cursor != hs.m.list.Len()-1 {
		t.Fatalf("G went to %d of %d", hs.m.cursor, hs.m.list.Len())
	}
	hs.keys("j") // on the last row: j stays
	if hs.m.cursor != hs.m.list.Len()-1 {
		t.Fatalf("j on the last row moved to %d", hs.m.cursor)
	}
	hs.keys("ctrl+g")
	if hs.m.grid != nil || hs.m.cursor != hs.m.list.Len()-1 {
		t.Fatal("ctrl+g did not return to the list on the same item")
	}
}

func TestGridMarksAndActsThroughTheList(t *testing.T) {
	hs := gridHarness(t, 80, 24)
	hs.cursorOn("img01.jpg")
	hs.keys("space", "l", "space") // mark img01, step to img02, skip to img03, mark it
	if got := hs.m.list.MarkedKeys(); !slices.Equal(got, []string{"img01.jpg", "img03.jpg"}) {
		t.Fatalf("marked %v", got)
	}
	if !strings.Contains(hs.screen(), "●img01") {
		t.Errorf("the sheet does not show the mark:\n%s", hs.screen())
	}
	b := hs.m.opt.Backend.(*fakeBackend)
	hs.keys("X", "y")
	for _, k := range []string{"img01.jpg", "img03.jpg"} {
		if flagOf(b, k) != "reject" {
			t.Errorf("%s: flag %q after X on the marks, want reject", k, flagOf(b, k))
		}
	}
	if !strings.Contains(hs.screen(), "REJECT") {
		t.Errorf("the cells do not show the verdict:\n%s", hs.screen())
	}
	hs.keys("ctrl+x")
	hs.cursorOn("img02.jpg")
	hs.keys("P") // the cursor's cell, no marks: at once, as in the list
	if flagOf(b, "img02.jpg") != "pick" {
		t.Errorf("P on the cursor's cell: flag %q", flagOf(b, "img02.jpg"))
	}
}

func TestGridEnterGoesIntoAFolderCell(t *testing.T) {
	hs := gridHarness(t, 80, 24)
	hs.cursorOn("more/")
	hs.keys("enter")
	if hs.m.list.Prefix() != "more/" || hs.m.grid == nil {
		t.Fatalf("enter on the folder cell: prefix %q, sheet %v", hs.m.list.Prefix(), hs.m.grid != nil)
	}
	if !strings.Contains(hs.screen(), "inside.jpg") {
		t.Errorf("the folder's sheet does not show its image:\n%s", hs.screen())
	}
}

func TestGridThumbnailsAreDrawnAndStaleOnesDropped(t *testing.T) {
	hs := gridHarness(t, 80, 24)
	hs.cursorOn("img01.jpg")
	hs.keys("l", "h")
	frame := hs.m.render()
	if !strings.Contains(frame, "▀") || !strings.Contains(frame, "38;2;20;235;128") {
		t.Fatalf("img01's thumbnail is not drawn:\n%s", stripANSI(frame))
	}
	lay := hs.m.gridLayout(80, hs.m.listRows()+1)
	it := hs.m.list.Item("img02.jpg")
	n := hs.m.grid.th.cache.Len()
	hs.send(thumbMsg{key: it.Key, etag: it.ETag, cols: lay.thumbCols + 1, rows: lay.thumbRows, mode: hs.m.img.use, text: "STALE", th: hs.m.grid.th})
	hs.send(thumbMsg{key: it.Key, etag: `"old"`, cols: lay.thumbCols, rows: lay.thumbRows, mode: hs.m.img.use, text: "STALE", th: hs.m.grid.th})
	hs.send(thumbMsg{key: it.Key, etag: it.ETag, cols: lay.thumbCols, rows: lay.thumbRows, mode: preview.ModeKitty, text: "STALE", th: hs.m.grid.th})
	if hs.m.grid.th.cache.Len() != n || strings.Contains(hs.m.render(), "STALE") {
		t.Fatal("a drawing for another cell size or an older version was kept")
	}
	if hs.m.grid.th.inflight != 0 {
		t.Errorf("%d drawings still counted in flight", hs.m.grid.th.inflight)
	}
}

func TestGridNarrowTerminalsDoNotBreak(t *testing.T) {
	for _, w := range []int{20, 12, 3} {
		hs := newHarness(t, sheet(), w, 10, func(o *Options) { o.Image = "blocks" })
		hs.keys("ctrl+g", "j", "l", "pgdown", "G", "h")
		for i, line := range strings.Split(hs.screen(), "\n") {
			if len([]rune(line)) > w && i > 0 {
				t.Errorf("width %d: line %d is %d wide: %q", w, i, len([]rune(line)), line)
			}
		}
	}
}

func TestComparePickRejectsTheOthers(t *testing.T) {
	hs := gridHarness(t, 80, 24)
	b := hs.m.opt.Backend.(*fakeBackend)
	for _, k := range []string{"img02.jpg", "img05.jpg", "img07.jpg"} {
		hs.cursorOn(k)
		hs.keys("space")
	}
	hs.keys("C")
	if hs.m.mode != modeCompare || len(hs.m.cmp.items) != 3 {
		t.Fatalf("C with three marks: mode %v", hs.m.mode)
	}
	hs.keys("l") // focus img05
	hs.keys("enter")
	if hs.m.dialog == nil {
		t.Fatal("the pick did not ask first, as every batch does")
	}
	hs.keys("y")
	want := map[string]string{"img02.jpg": "reject", "img05.jpg": "pick", "img07.jpg": "reject", "img01.jpg": ""}
	for k, v := range want {
		if got := flagOf(b, k); got != v {
			t.Errorf("%s: flag %q, want %q", k, got, v)
		}
	}
	if hs.m.mode == modeCompare {
		t.Error("compare stayed open after the pick")
	}
	if v := model.VerdictOf(hs.m.list.Item("img07.jpg").Tags); v != model.Reject {
		t.Errorf("the list shows %v for img07 after the pick", v)
	}
}

func TestCompareWithoutMarksTakesCursorAndNext(t *testing.T) {
	hs := gridHarness(t, 80, 24)
	hs.cursorOn("img03.jpg")
	hs.keys("C")
	if hs.m.mode != modeCompare {
		t.Fatal("C did not open compare")
	}
	if a, b := hs.m.cmp.items[0].Key, hs.m.cmp.items[1].Key; a != "img03.jpg" || b != "img04.jpg" {
		t.Fatalf("compare holds %s and %s", a, b)
	}
	hs.keys("h", "esc")
	if hs.m.mode != modeNormal || hs.m.grid == nil {
		t.Fatal("esc did not return to the sheet")
	}
}

func TestCompareRefusesOneOrFive(t *testing.T) {
	hs := newHarness(t, sheet(), 80, 24, nil)
	if hs.m.openCompare([]*model.Item{hs.m.list.Item("img01.jpg")}); hs.m.mode == modeCompare {
		t.Fatal("compare opened with one image")
	}
	hs.keys("ctrl+a")
	hs.keys("C")
	if hs.m.mode == modeCompare || !strings.Contains(hs.m.status, "2 to 4") {
		t.Fatalf("C with 13 marks: mode %v, status %q", hs.m.mode, hs.m.status)
	}
}

func TestCompareReadOnlyRefusesThePick(t *testing.T) {
	hs := newHarness(t, sheet(), 80, 24, func(o *Options) { o.ReadOnly = "a test" })
	b := hs.m.opt.Backend.(*fakeBackend)
	hs.cursorOn("img01.jpg")
	hs.keys("C", "enter", "y")
	if flagOf(b, "img01.jpg") != "" || flagOf(b, "img02.jpg") != "" {
		t.Fatal("a read-only target was tagged")
	}
}

// Golden frames: the sheet and compare at two sizes, colours stripped and mono.
// colour keeps the escape codes, so a colour that changes shows up.
func goldenGrid(t *testing.T, w, h int, mono, colour bool) {
	hs := newHarness(t, sheet(), w, h, func(o *Options) {
		o.Image = "blocks"
		if mono {
			o.Theme = ThemeMono
		}
	})
	hs.keys("ctrl+g")
	hs.cursorOn("img02.jpg")
	hs.keys("space", "l", "X", "l")
	frame := hs.screen()
	if mono || colour {
		frame = hs.m.render()
	}
	golden.RequireEqual(t, []byte(frame))
}

func TestGoldenGrid80x24(t *testing.T)      { goldenGrid(t, 80, 24, false, false) }
func TestGoldenGrid160x48(t *testing.T)     { goldenGrid(t, 160, 48, false, false) }
func TestGoldenGridMono80x24(t *testing.T)  { goldenGrid(t, 80, 24, true, false) }
func TestGoldenGridMono160x48(t *testing.T) { goldenGrid(t, 160, 48, true, false) }

// colour keeps the escape codes, so a colour that changes shows up.
func goldenCompare(t *testing.T, w, h int, mono, colour bool) {
	hs := newHarness(t, sheet(), w, h, func(o *Options) {
		o.Image = "blocks"
		if mono {
			o.Theme = ThemeMono
		}
	})
	for _, k := range []string{"img02.jpg", "img05.jpg", "img09.jpg"} {
		hs.cursorOn(k)
		hs.keys("space")
	}
	hs.keys("C", "l")
	frame := hs.screen()
	if mono || colour {
		frame = hs.m.render()
	}
	golden.RequireEqual(t, []byte(frame))
}

func TestGoldenCompare80x24(t *testing.T)      { goldenCompare(t, 80, 24, false, false) }
func TestGoldenCompare160x48(t *testing.T)     { goldenCompare(t, 160, 48, false, false) }
func TestGoldenCompareMono80x24(t *testing.T)  { goldenCompare(t, 80, 24, true, false) }
func TestGoldenCompareMono160x48(t *testing.T) { goldenCompare(t, 160, 48, true, false) }

func TestGridClickMovesToTheCell(t *testing.T) {
	hs := gridHarness(t, 80, 24)
	lay := hs.m.gridLayout(80, hs.m.listRows()+1)
	// The second row's third cell: below the header, breadcrumbs and one row of cells.
	hs.send(tea.MouseClickMsg{X: 2*lay.cellW + 3, Y: 2 + lay.cellH + 1, Button: tea.MouseLeft})
	if want := lay.cols + 2; hs.m.cursor != want {
		t.Fatalf("the click moved the cursor to %d, want %d", hs.m.cursor, want)
	}
}

// With kitty graphics a thumbnail is placeholders under an image id of its own, so the
// detail pane's picture of the same object (another size) is not replaced on the terminal.
func TestGridKittyThumbnailsHaveTheirOwnIDs(t *testing.T) {
	hs := newHarness(t, sheet(), 80, 24, func(o *Options) { o.Image = "kitty" })
	hs.keys("ctrl+g")
	hs.cursorOn("img01.jpg")
	hs.keys("l", "h")
	lay := hs.m.gridLayout(80, hs.m.listRows()+1)
	it := hs.m.list.Item("img01.jpg")
	text, ok := hs.m.grid.th.cache.Get(hs.m.thumbKey(it, lay.thumbCols, lay.thumbRows))
	if !ok || !strings.ContainsRune(text, '\U0010EEEE') {
		t.Fatalf("no kitty placeholder thumbnail for img01 (cached %v)", ok)
	}
	thumb, _, _ := hs.m.img.ids.Acquire(thumbID(it.Key), it.ETag)
	full, _, _ := hs.m.img.ids.Acquire(it.Key, it.ETag)
	if thumb == full {
		t.Fatalf("the thumbnail and the full preview share image id %d", thumb)
	}
}

func TestGridVisualMarksTheRangeTheCursorCrosses(t *testing.T) {
	hs := gridHarness(t, 80, 24)
	hs.cursorOn("img01.jpg")
	hs.keys("v", "j") // one row down: the four cells between are marked too
	got := hs.m.list.MarkedKeys()
	if want := []string{"img01.jpg", "img02.jpg", "img03.jpg", "img04.jpg", "img05.jpg"}; !slices.Equal(got, want) {
		t.Fatalf("visual over a row marked %v, want %v", got, want)
	}
	hs.keys("esc", "pgup")
	if hs.m.cursor != 0 || hs.m.mode != modeNormal {
		t.Fatalf("page up from the second row: cursor %d, mode %v", hs.m.cursor, hs.m.mode)
	}
}

func TestGoldenGridColour80x24(t *testing.T)     { goldenGrid(t, 80, 24, false, true) }
func TestGoldenGridColour160x48(t *testing.T)    { goldenGrid(t, 160, 48, false, true) }
func TestGoldenCompareColour80x24(t *testing.T)  { goldenCompare(t, 80, 24, false, true) }
func TestGoldenCompareColour160x48(t *testing.T) { goldenCompare(t, 160, 48, false, true) }
