package ui

import (
	"fmt"
	"strings"

	"lightbox/model"
	"lightbox/score"
)

// A score histogram of the current prefix: where the scores lie, where the threshold cuts
// them and where the cursor's image stands, for a person who would rather look than read.

// histEighths are the bar heights in eighths of a cell, as block characters.
var histEighths = []rune(" ▁▂▃▄▅▆▇█")

// histogram draws scores (0..100) as columns of block characters: bins across width
// columns (at most 50, one column per bin), height rows of bars scaled to the fullest
// bin, an axis with ┼ at the threshold's bin, and a row with ▲ under the bin of mark (-1
// for none) between the range's ends. It is plain text: the caller colours it. Nothing
// is drawn below 4 columns or 1 row.
func histogram(scores []int, width, height, threshold, mark int) []string {
	bins := min(width, 50)
	if bins < 4 || height < 1 {
		return nil
	}
	bin := func(v int) int { return min(max(v, 0), 100) * bins / 101 }
	counts := make([]int, bins)
	peak := 0
	for _, v := range scores {
		b := bin(v)
		counts[b]++
		peak = max(peak, counts[b])
	}
	var lines []string
	for row := height - 1; row >= 0; row-- {
		var b strings.Builder
		for _, c := range counts {
			eighths := 0
			if peak > 0 {
				// Ceiling, so a bin with one image still shows: none is lost to rounding.
				eighths = (c*height*8 + peak - 1) / peak
			}
			fill := min(max(eighths-row*8, 0), 8)
			b.WriteRune(histEighths[fill])
		}
		lines = append(lines, b.String())
	}
	axis := []rune(strings.Repeat("─", bins))
	axis[bin(threshold)] = '┼'
	lines = append(lines, string(axis))
	under := []rune(strings.Repeat(" ", bins))
	copy(under, []rune("0"))
	if bins >= 8 {
		copy(under[bins-3:], []rune("100"))
	}
	if mark >= 0 {
		under[bin(mark)] = '▲'
	}
	return append(lines, string(under))
}

// histogramField is the score the histogram shows: the sort's score, else ClarityScore.
func (m *Model) histogramField() score.ID {
	if id, ok := func() (score.ID, bool) { f, _ := m.list.Sort(); return f.Score() }(); ok {
		return id
	}
	return score.Clarity
}

// histMemo keeps the prefix's scores between frames: collecting them walks every row,
// which at 100,000 images costs more than the rest of a frame. Scores only change with a
// state change (Counts), the rows with the filter and the list, the score with the sort.
type histMemo struct {
	list      *model.List
	counts    model.Counts
	rows      int
	filter    string
	id        score.ID
	threshold int
	scores    []int
	below     int
}

func (m *Model) histogramScores(id score.ID) ([]int, int) {
	c := m.list.Counts()
	c.Marked = 0
	key := histMemo{list: m.list, counts: c, rows: m.list.Len(), filter: m.list.Filter().String(), id: id, threshold: m.opt.Threshold}
	h := &m.hist
	if h.list == key.list && h.counts == key.counts && h.rows == key.rows && h.filter == key.filter && h.id == key.id && h.threshold == key.threshold {
		return h.scores, h.below
	}
	for i := 0; i < m.list.Len(); i++ {
		if it := m.list.At(i); it != nil && !it.IsPrefix && it.State == model.Scored {
			v := id.Get(it.Scores)
			key.scores = append(key.scores, v)
			if v < m.opt.Threshold {
				key.below++
			}
		}
	}
	*h = key
	return h.scores, h.below
}

// histogramView is the histogram of the list's scored images under a caption naming the
// score, how many images it counts and how many are under the threshold.
func (m *Model) histogramView(width, height int) []string {
	id := m.histogramField()
	scores, below := m.histogramScores(id)
	if len(scores) == 0 {
		return nil
	}
	mark := -1
	if it := m.list.At(m.cursor); it != nil && !it.IsPrefix && it.State == model.Scored {
		mark = id.Get(it.Scores)
	}
	f := score.Fields[id]
	caption := fmt.Sprintf("%s here: %d scored, %d under %d", f.Label, len(scores), below, m.opt.Threshold)
	out := []string{m.st.Label.Render(fit(caption, width))}
	for i, l := range histogram(scores, width, height, m.opt.Threshold, mark) {
		if i < height {
			out = append(out, m.st.Scoring.Render(l))
		} else {
			out = append(out, m.st.Dim.Render(l))
		}
	}
	return out
}
