package ui

import (
	"image/color"
	"testing"

	tea "charm.land/bubbletea/v2"

	"lightbox/ui/preview"
)

// BenchmarkGridKeyAndFrame100k is BenchmarkKeyAndFrame100k on the contact sheet at
// 160x48: one key and the frame with every visible cell's half-block thumbnail drawn.
func BenchmarkGridKeyAndFrame100k(b *testing.B) {
	m := bigModel(b)
	m.img.use = preview.ModeBlocks
	m.Update(tea.KeyPressMsg{Code: 'g', Mod: tea.ModCtrl})
	if m.grid == nil {
		b.Fatal("no sheet")
	}
	lay := m.gridLayout(m.width, m.listRows()+1)
	img, err := preview.DecodeFit(pngOf(64, 48, color.RGBA{90, 140, 200, 255}), previewMaxPixels, lay.thumbCols, lay.thumbRows*2)
	if err != nil {
		b.Fatal(err)
	}
	text := preview.Blocks(img, lay.thumbCols, lay.thumbRows)
	for i := range 2000 { // every cell the loop below passes over has its thumbnail
		it := m.list.At(i)
		m.grid.th.cache.Put(m.thumbKey(it, lay.thumbCols, lay.thumbRows), text)
	}
	pressAndDraw(b, m)
}
