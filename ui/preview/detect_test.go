package preview

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// teaMsgs turns raw terminal replies into the messages a Bubble Tea v2.1.1 model
// receives: ultraviolet's decoder, then Bubble Tea's translation, which renames
// TerminalVersionEvent and passes kitty graphics and DA1 events through unchanged.
func teaMsgs(t *testing.T, raw string) []any {
	t.Helper()
	var d uv.EventDecoder
	var out []any
	buf := []byte(raw)
	for len(buf) > 0 {
		n, ev := d.Decode(buf)
		if n == 0 {
			t.Fatalf("decoder stuck at %q", buf)
		}
		buf = buf[n:]
		switch e := ev.(type) {
		case uv.TerminalVersionEvent:
			out = append(out, tea.TerminalVersionMsg(e))
		case nil:
		default:
			out = append(out, e)
		}
	}
	return out
}

const (
	kittyOK   = "\x1b_Gi=31337;OK\x1b\\"
	kittyVer  = "\x1bP>|kitty(0.39.1)\x1b\\"
	kittyDA1  = "\x1b[?62;c"
	ghosttyV  = "\x1bP>|ghostty 1.1.3\x1b\\"
	ghosttyDA = "\x1b[?62;22c"
	weztermV  = "\x1bP>|WezTerm 20240203-110809-5046fc22\x1b\\"
	weztermDA = "\x1b[?65;4;6;18;22c"
	xtermDA   = "\x1b[?64;1;2;6;9;15;16;17;18;21;22;28c"
	tmuxVer   = "\x1bP>|tmux 3.4\x1b\\"
)

func TestDetectorScenarios(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tmux    bool
		replies string
		kitty   bool
		sixel   bool
		version string
	}{
		{"kitty", false, kittyOK + kittyVer + kittyDA1, true, false, "kitty(0.39.1)"},
		{"ghostty", false, kittyOK + ghosttyV + ghosttyDA, true, false, "ghostty 1.1.3"},
		{"wezterm answers a=q but has no placeholders", false, kittyOK + weztermV + weztermDA, false, true, "WezTerm 20240203-110809-5046fc22"},
		{"xterm answers only DA1", false, xtermDA, false, false, ""},
		{"kitty probe refused", false, "\x1b_Gi=31337;ENOTSUPPORTED:no graphics\x1b\\" + kittyVer + kittyDA1, false, false, "kitty(0.39.1)"},
		{"kitty inside tmux with passthrough", true, kittyOK + kittyVer + kittyDA1, true, false, "kitty(0.39.1)"},
		{"ghostty inside tmux with passthrough", true, kittyOK + ghosttyV + ghosttyDA, true, false, "ghostty 1.1.3"},
		{"tmux answering for itself", true, tmuxVer + "\x1b[?1;2;4c", false, true, "tmux 3.4"},
		{"probe OK but only tmux named", true, kittyOK + tmuxVer + kittyDA1, false, false, "tmux 3.4"},
	} {
		for _, form := range []string{"messages", "raw"} {
			t.Run(tc.name+"/"+form, func(t *testing.T) {
				d := NewDetector(tc.tmux)
				var msgs []any
				if form == "raw" {
					// Raw replies may arrive split anywhere between sequences.
					msgs = splitReplies(tc.replies)
				} else {
					msgs = teaMsgs(t, tc.replies)
				}
				for i, m := range msgs {
					done := d.Observe(m)
					if last := i == len(msgs)-1; done != last {
						t.Fatalf("Observe #%d (%T) done=%v, want %v", i, m, done, last)
					}
				}
				if !d.Done() || d.Kitty() != tc.kitty || d.Sixel() != tc.sixel || d.Version() != tc.version {
					t.Errorf("done=%v kitty=%v sixel=%v version=%q; want kitty=%v sixel=%v version=%q",
						d.Done(), d.Kitty(), d.Sixel(), d.Version(), tc.kitty, tc.sixel, tc.version)
				}
			})
		}
	}
}

// splitReplies cuts a reply stream after each string terminator, one reply per message.
func splitReplies(s string) []any {
	var out []any
	for _, part := range strings.SplitAfter(s, "\x1b\\") {
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func TestDetectorNotDoneWithoutDA1(t *testing.T) {
	// tmux with allow-passthrough off swallows every query: nothing answers, and the
	// caller's timeout decides. Nothing else may finish detection.
	d := NewDetector(true)
	for _, m := range []any{
		tea.KeyPressMsg{Code: 'q'},
		tea.WindowSizeMsg{Width: 80, Height: 24},
		uv.KittyGraphicsEvent{Payload: []byte("OK")}, // some other image's reply
		uv.SecondaryDeviceAttributesEvent{1, 2},
		"\x1b[?2026;2$y", // a DECRPM reply, not DA1
		[]byte("plain typing"),
	} {
		if d.Observe(m) {
			t.Fatalf("%T finished detection", m)
		}
	}
	if d.Kitty() || d.Done() {
		t.Error("nothing answered: no kitty, not done")
	}
	if ok, _ := d.KittyProbe(); ok {
		t.Error("a reply for another image id must not count as the probe")
	}
}

func TestDetectorProbeError(t *testing.T) {
	d := NewDetector(false)
	d.Observe("\x1b_Gi=31337;ENOTSUPPORTED:unicode placeholders\x1b\\" + kittyDA1)
	if ok, msg := d.KittyProbe(); ok || msg != "ENOTSUPPORTED:unicode placeholders" {
		t.Errorf("KittyProbe = %v %q", ok, msg)
	}
}

func TestDetectorQuery(t *testing.T) {
	q := NewDetector(false).Query()
	probe := strings.Index(q, "\x1b_G")
	xtver := strings.Index(q, "\x1b[>q")
	da1 := strings.Index(q, "\x1b[c")
	if probe != 0 || xtver <= probe || da1 <= xtver || !strings.HasSuffix(q, "\x1b[c") {
		t.Fatalf("want probe, XTVERSION, DA1 in that order: %q", q)
	}
	cmds := parseAPCs(t, q[:xtver])
	if len(cmds) != 1 {
		t.Fatalf("probe: %q", q[:xtver])
	}
	k := cmds[0].keys
	if k["a"] != "q" || k["i"] != "31337" || k["s"] != "1" || k["v"] != "1" || k["f"] != "24" || k["t"] != "d" || cmds[0].payload != "AAAA" {
		t.Errorf("probe keys %v payload %q", cmds[0].order, cmds[0].payload)
	}
	if _, quiet := k["q"]; quiet {
		t.Error("the probe must not be quiet: its answer is the point")
	}

	tq := NewDetector(true).Query()
	if n := strings.Count(tq, "\x1bPtmux;"); n != 3 {
		t.Errorf("tmux query has %d passthrough wrappers, want 3: %q", n, tq)
	}
	if got := unwrapTmux(t, tq); got != q {
		t.Errorf("unwrapped tmux query %q, want %q", got, q)
	}
}

func TestDetectorRawRepliesSplitAnywhere(t *testing.T) {
	// Fed one byte at a time, as a raw reader might deliver them, the answer is the same
	// and detection ends exactly on the DA1 reply's final byte.
	replies := "noise\x1b" + kittyOK + ghosttyV + ghosttyDA
	d := NewDetector(false)
	for i := range len(replies) {
		done := d.Observe(replies[i : i+1])
		if last := i == len(replies)-1; done != last {
			t.Fatalf("byte %d: done=%v, want %v", i, done, last)
		}
	}
	if !d.Kitty() || d.Version() != "ghostty 1.1.3" {
		t.Errorf("kitty=%v version=%q", d.Kitty(), d.Version())
	}
}

func TestDetectorBehindTmux(t *testing.T) {
	// tmux runs on the SSH client's side, so $TMUX is unset here: tmux answers the plain
	// queries itself. BehindTmux tells the caller to ask again through passthrough.
	d := NewDetector(false)
	for _, m := range teaMsgs(t, tmuxVer+"\x1b[?1;2c") {
		d.Observe(m)
	}
	if !d.Done() || d.Kitty() || !d.BehindTmux() {
		t.Errorf("done=%v kitty=%v behindTmux=%v", d.Done(), d.Kitty(), d.BehindTmux())
	}
	again := NewDetector(true)
	for _, m := range teaMsgs(t, kittyOK+kittyVer+kittyDA1) {
		again.Observe(m)
	}
	if !again.Kitty() || again.BehindTmux() {
		t.Errorf("second round: kitty=%v behindTmux=%v", again.Kitty(), again.BehindTmux())
	}
	if d := NewDetector(false); d.Observe(kittyVer+kittyDA1) && d.BehindTmux() {
		t.Error("kitty is not tmux")
	}
}
