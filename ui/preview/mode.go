package preview

import (
	"fmt"
	"strings"
)

// Mode is how previews are drawn: chosen by the operator or, for ModeAuto, by what the
// terminal answered to Detector's queries.
type Mode int

const (
	ModeAuto   Mode = iota // kitty when detected, otherwise half-blocks
	ModeKitty              // kitty graphics with Unicode placeholders
	ModeBlocks             // "▀" half-blocks in 24-bit colour
	ModeNone               // no picture at all
)

var modeNames = [...]string{ModeAuto: "auto", ModeKitty: "kitty", ModeBlocks: "blocks", ModeNone: "none"}

// ParseMode reads a flag or config value; matching ignores case and surrounding blanks.
func ParseMode(s string) (Mode, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	for m, name := range modeNames {
		if v == name {
			return Mode(m), nil
		}
	}
	return ModeAuto, fmt.Errorf("unknown image mode %q: want auto, kitty, blocks or none", s)
}

func (m Mode) String() string {
	if m >= 0 && int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Resolve settles ModeAuto once detection is over: kitty if the terminal can show kitty
// placeholders, half-blocks otherwise. Explicit choices are kept as they are, so an
// operator can force kitty where detection is impossible (e.g. replies eaten by a proxy).
func (m Mode) Resolve(kittyOK bool) Mode {
	if m != ModeAuto {
		return m
	}
	if kittyOK {
		return ModeKitty
	}
	return ModeBlocks
}
