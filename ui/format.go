package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// humanSize is a size in at most 5 columns: 812B, 3.4K, 12M, 1.2G.
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	v, suffix := float64(n), "KMGTP"
	for i := range len(suffix) {
		v /= unit
		if v < unit || i == len(suffix)-1 {
			if v < 10 {
				return fmt.Sprintf("%.1f%c", v, suffix[i])
			}
			return fmt.Sprintf("%.0f%c", v, suffix[i])
		}
	}
	return fmt.Sprintf("%dB", n)
}

// age is how long ago, in at most 4 columns: 5s, 3m, 2h, 4d, 7w, 2y.
func age(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(0, int(d.Seconds())))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 14*24*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	case d < 365*24*time.Hour:
		return fmt.Sprintf("%dw", int(d.Hours()/24/7))
	}
	return fmt.Sprintf("%dy", int(d.Hours()/24/365))
}

// bar draws a score 0..100 in width cells with eighth blocks, so 100 items at different
// scores look different even at width 4.
func bar(score, width int) (filled, empty string) {
	if width <= 0 {
		return "", ""
	}
	eighths := (min(max(score, 0), 100)*width*8 + 50) / 100
	full, part := eighths/8, eighths%8
	var b strings.Builder
	b.WriteString(strings.Repeat("█", full))
	if part > 0 {
		b.WriteRune([]rune(" ▏▎▍▌▋▊▉")[part])
	}
	used := full
	if part > 0 {
		used++
	}
	return b.String(), strings.Repeat("░", width-used)
}

// fit cuts s to width display cells (wide runes count double) and pads it, so columns
// line up with CJK and emoji names.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) > width {
		s = ansi.Truncate(s, width, "…")
	}
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}

// fitLeft is fit, but keeps the end of s (the file name matters more than the path).
func fitLeft(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if w := ansi.StringWidth(s); w > width {
		s = "…" + ansi.TruncateLeft(s, w-width+1, "")
	}
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}
