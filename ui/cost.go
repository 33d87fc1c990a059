package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"lightbox/model"
)

// The cost guard (Options.Cost, a real COS bucket scored by AssessQuality, billed per
// call): only the rows on screen and those the operator asks for (r) are scored; R scores
// the whole prefix, asking first, with the number of paid calls, above Cost.AskAbove.
// Folder targets and --scorer local have no guard and score everything in the background.

// nextToScore hands out up to n images to score in l.
func (m *Model) nextToScore(l *model.List, n int) []*model.Item {
	from, to := m.offset, m.offset+m.listRows()
	if m.opt.Cost == nil || m.scoreAll[l] {
		return l.Next(from, to, n)
	}
	return l.NextWindow(from, to, n, m.wanted[l])
}

// askScoreAll scores every image of the prefix, asking first when that is many paid calls.
func (m *Model) askScoreAll() tea.Cmd {
	l := m.list
	waiting := l.Counts().Waiting
	if m.opt.Cost == nil || m.scoreAll[l] {
		return m.setStatus(false, "every image here is being scored in the background")
	}
	if waiting == 0 {
		return m.setStatus(false, "nothing left to score in %s", displayPrefix(l.Prefix()))
	}
	run := func() tea.Cmd {
		m.scoreAll[l] = true
		return tea.Batch(m.setStatus(false, "scoring %d image(s) in %s", waiting, displayPrefix(l.Prefix())), m.pump())
	}
	if ask := m.opt.Cost.AskAbove; ask > 0 && waiting > ask {
		lines := []string{fmt.Sprintf("That is up to %d AssessQuality calls, each billed (scores already in the cache cost nothing).", waiting)}
		if p := m.opt.Cost.PricePer1000; p > 0 {
			lines = append(lines, fmt.Sprintf("At %.2f per 1,000 calls: about %.2f.", p, float64(waiting)*p/1000))
		}
		lines = append(lines, fmt.Sprintf("[scoring] ask_above = %d asks above this many; p pauses scoring at any time.", ask))
		if l.Complete() {
			lines = append(lines, "")
		} else {
			lines = append(lines, "The listing is not complete yet: images listed later are scored too.")
		}
		m.dialog = &dialog{title: fmt.Sprintf("Score all %d unscored images in %s?", waiting, displayPrefix(l.Prefix())), lines: lines, confirm: run}
		return nil
	}
	return run()
}

// costText is the session's spending for the status line, "" when unguarded.
func (m *Model) costText(calls int64) string {
	if m.opt.Cost == nil || m.opt.Cost.PricePer1000 <= 0 {
		return ""
	}
	return fmt.Sprintf("cost ≈%.2f", float64(calls)*m.opt.Cost.PricePer1000/1000)
}
