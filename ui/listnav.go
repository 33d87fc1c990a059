package ui

// moveInList applies a list-movement key (j/k, arrows, page keys, g/G, home/end) to the
// position *pos of a list showing rows lines, whose last position is last, and reports
// whether the key was one; the caller clamps. The journal, its steps and the trash use it.
func moveInList(key string, pos *int, rows, last int) bool {
	switch key {
	case "j", "down":
		*pos++
	case "k", "up":
		*pos--
	case "pgdown", "ctrl+f", "ctrl+d":
		*pos += rows
	case "pgup", "ctrl+b", "ctrl+u":
		*pos -= rows
	case "g", "home":
		*pos = 0
	case "G", "end":
		*pos = last
	default:
		return false
	}
	return true
}
