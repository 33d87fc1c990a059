package preview

import (
	"strings"
	"testing"
)

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{
		"auto": ModeAuto, "kitty": ModeKitty, "blocks": ModeBlocks, "none": ModeNone,
		" Kitty ": ModeKitty, "BLOCKS": ModeBlocks,
	} {
		got, err := ParseMode(in)
		if err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "sixel", "kitty,blocks"} {
		_, err := ParseMode(in)
		if err == nil || !strings.Contains(err.Error(), "auto, kitty, blocks or none") {
			t.Errorf("ParseMode(%q) error %v should list the choices", in, err)
		}
	}
	for _, m := range []Mode{ModeAuto, ModeKitty, ModeBlocks, ModeNone} {
		if back, err := ParseMode(m.String()); err != nil || back != m {
			t.Errorf("%v does not round-trip", m)
		}
	}
	if s := Mode(9).String(); s != "Mode(9)" {
		t.Errorf("unknown mode prints %q", s)
	}
}

func TestModeResolve(t *testing.T) {
	for _, tc := range []struct {
		m       Mode
		kittyOK bool
		want    Mode
	}{
		{ModeAuto, true, ModeKitty},
		{ModeAuto, false, ModeBlocks},
		{ModeKitty, false, ModeKitty}, // an explicit choice wins over detection
		{ModeBlocks, true, ModeBlocks},
		{ModeNone, true, ModeNone},
	} {
		if got := tc.m.Resolve(tc.kittyOK); got != tc.want {
			t.Errorf("%v.Resolve(%v) = %v, want %v", tc.m, tc.kittyOK, got, tc.want)
		}
	}
}
