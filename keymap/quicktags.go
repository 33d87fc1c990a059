package keymap

import (
	"fmt"
	"maps"
	"slices"

	"lightbox/internal/cosrules"
)

// QuickTags parses the config file's [quick_tags] table: slot "0".."9" ->
// "key=value". Bad entries are reported and left out; the rest are returned.
// The rules on the tag itself are cosrules.ParseTag's, so the config file's
// own validation and this agree.
func QuickTags(cfg map[string]string) (map[string]cosrules.Tag, []error) {
	out := map[string]cosrules.Tag{}
	var errs []error
	for _, slot := range slices.Sorted(maps.Keys(cfg)) {
		if len(slot) != 1 || slot[0] < '0' || slot[0] > '9' {
			errs = append(errs, fmt.Errorf("quick_tags.%s: quick tags are numbered \"0\"..\"9\"", slot))
			continue
		}
		t, err := cosrules.ParseTag(cfg[slot])
		if err != nil {
			errs = append(errs, fmt.Errorf("quick_tags.%s: %w; write \"key=value\", such as \"review=keep\"", slot, err))
			continue
		}
		out[slot] = t
	}
	return out, errs
}

// maxTagHelp keeps a long tag from widening the help overlay.
const maxTagHelp = 24

// WithQuickTags shows each quick tag's tag in its help, and disables the
// slots that have none, so that they neither match nor clutter the help.
func (m Map) WithQuickTags(tags map[string]cosrules.Tag) Map {
	for d := range 10 {
		a, _ := QuickTagAction(d)
		i := actionIndex[a]
		t, ok := tags[string(rune('0'+d))]
		if !ok {
			m.b[i].SetEnabled(false)
			continue
		}
		desc := []rune("tag " + t.String())
		if len(desc) > maxTagHelp {
			desc = append(desc[:maxTagHelp-1], '…')
		}
		m.b[i].SetEnabled(true)
		m.b[i].SetHelp(m.b[i].Help().Key, string(desc))
	}
	return m
}
