package preview

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi/kitty"
)

// maxSpan is how many rows or columns the placeholder diacritics can address.
const maxSpan = 297

// Placeholders returns rows lines of cols cells that show image id (transmitted with the
// same cols and rows) wherever they are drawn: U+10EEEE with the row and column
// diacritics, foreground 38;5;id. Every cell carries both diacritics rather than relying
// on kitty's "inherit from the left neighbour" rule, because Bubble Tea's renderer
// redraws only changed cells, and a lone bare placeholder would lose its position.
// Each line is exactly cols cells wide and ends with an SGR reset. Cells beyond what the
// diacritics can address (297) are blank.
func Placeholders(id, cols, rows int) string {
	if cols <= 0 || rows <= 0 {
		return ""
	}
	sgr := "\x1b[38;5;" + strconv.Itoa(id) + "m"
	var sb strings.Builder
	sb.Grow(rows * (len(sgr) + cols*8 + 4))
	for r := range rows {
		if r > 0 {
			sb.WriteByte('\n')
		}
		if r >= maxSpan {
			sb.WriteString(strings.Repeat(" ", cols))
			sb.WriteString("\x1b[m")
			continue
		}
		sb.WriteString(sgr)
		for c := range cols {
			if c >= maxSpan {
				sb.WriteByte(' ')
				continue
			}
			sb.WriteRune(kitty.Placeholder)
			sb.WriteRune(kitty.Diacritic(r))
			sb.WriteRune(kitty.Diacritic(c))
		}
		sb.WriteString("\x1b[m")
	}
	return sb.String()
}
