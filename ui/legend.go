package ui

import (
	"fmt"
	"strings"

	"lightbox/model"
	"lightbox/score"
)

// legendLines explain what the screen's colours, bars, badges and glyphs mean, each
// drawn as it appears, in words that hold without colour. threshold is the operator's.
func legendLines(st Styles, threshold, width int) []string {
	const symW = 9
	descW := max(4, width-symW-1)
	row := func(sym, desc string) string {
		return fit(sym, symW) + " " + st.Value.Render(fit(desc, descW))
	}
	lo := max(0, threshold-model.MidWidth)
	lines := []string{st.HelpGroup.Render("Scores") + st.Hint.Render(fit(fmt.Sprintf("  0-100, higher is better; threshold %d ([review] threshold)", threshold), max(4, width-6)))}
	for _, f := range score.Fields {
		desc := f.APIName
		if f.ID == score.LowQuality {
			desc += " (content quality: higher is better too)"
		}
		lines = append(lines, row(st.Label.Render(f.Label), desc))
	}
	lines = append(lines,
		row(st.ScoreHigh.Render(fmt.Sprintf("≥%d", threshold)), "at or above the threshold: good; bars fill to the score"),
		row(st.ScoreMid.Render(fmt.Sprintf("%d-%d", lo, threshold-1)), "just under it: borderline"),
		row(st.ScoreLow.Render(fmt.Sprintf("<%d", lo)), "low"),
		st.HelpGroup.Render("Badges and marks")+st.Hint.Render(fit("  AssessQuality's flags, then yours", max(4, width-16))),
	)
	var flags []string
	for _, f := range score.Flags {
		flags = append(flags, st.Badge.Render(f.Badge)+" "+st.Value.Render(f.APIName))
	}
	// The flags two to a line or more: they are names, not sentences.
	half := (len(flags) + 1) / 2
	lines = append(lines, fit(strings.Join(flags[:half], st.Hint.Render(" · ")), width), fit(strings.Join(flags[half:], st.Hint.Render(" · ")), width))
	lines = append(lines,
		row(st.Badge.Render("PICK"), "your verdict: tag "+FlagTag+"=pick (P; ✓ PICK in the loupe)"),
		row(st.Badge.Render("REJECT"), "your verdict: tag "+FlagTag+"=reject (X; ✗ REJECT in the loupe)"),
		row(st.Badge.Render(moreTags(2)), "other tags on the image (the detail pane lists them)"),
		row(st.Failed.Render("✗"), "not scored, and why"),
		row(st.Mark.Render("●"), "marked (space): what bulk actions act on"),
		row(st.Mark.Render("▸"), "the cursor; the loupe's counter counts images only"),
		row(st.Dim.Render("▲ ▼"), "the sort column, ascending or descending"),
		row(st.Dim.Render("┼ ▲"), "histogram: the threshold, the cursor's image"),
	)
	return lines
}
