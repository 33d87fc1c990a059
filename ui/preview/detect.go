package preview

import (
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
)

// probeID is the image id of the a=q probe. a=q stores nothing, and the id only tells its
// reply apart; it is outside 1..MaxID so it cannot be confused with a real preview.
const probeID = 31337

// Detector finds out in-band, by asking the terminal, whether kitty graphics with Unicode
// placeholders will work. Environment variables cannot say: they do not survive SSH, and
// inside tmux they describe tmux.
//
// Send Query once (tea.Raw), feed every message to Observe until it returns true, then
// read Kitty. Terminals answer in order, so by the time the DA1 reply (which every
// terminal sends) arrives, a kitty reply would have arrived too. A Detector is meant for
// the UI goroutine and is not safe for concurrent use.
type Detector struct {
	tmux     bool
	probeOK  bool
	probeErr string
	versions []string
	da1      []int
	done     bool
	pending  string // an incomplete raw reply, completed by the next Observe
}

// NewDetector returns a detector; tmux (known from $TMUX, which is set on the host tmux
// runs on) wraps the queries for passthrough so the outer terminal answers them.
func NewDetector(tmux bool) *Detector {
	return &Detector{tmux: tmux}
}

// Query returns the sequences to write once at start: the kitty a=q probe with a 1x1 RGB
// image (not quiet, we want its answer), XTVERSION, then DA1 last.
//
// Under tmux all three go through passthrough: tmux would otherwise answer XTVERSION and
// DA1 itself ("tmux 3.4"), and answer DA1 at once, before the outer terminal had replied
// to the probe. If allow-passthrough is off nothing answers at all, so callers must give
// up after a timeout and treat that as "no kitty".
func (d *Detector) Query() string {
	probe := ansi.KittyGraphics([]byte("AAAA"),
		"i="+strconv.Itoa(probeID), "s=1", "v=1", "a=q", "t=d", "f=24")
	return passthrough(probe, d.tmux) +
		passthrough(ansi.RequestNameVersion, d.tmux) +
		passthrough(ansi.RequestPrimaryDeviceAttributes, d.tmux)
}

// Observe takes any message; it uses the replies to Query, as Bubble Tea v2 delivers them
// (uv.KittyGraphicsEvent, tea.TerminalVersionMsg, uv.PrimaryDeviceAttributesEvent, which
// Bubble Tea passes through untranslated) or as raw reply bytes (string or []byte), and
// ignores everything else. It returns true once DA1 has answered: detection is over, and
// later calls keep returning true.
func (d *Detector) Observe(msg any) (done bool) {
	switch m := msg.(type) {
	case uv.KittyGraphicsEvent:
		d.kittyReply(m.Options.ID, string(m.Payload))
	case tea.TerminalVersionMsg:
		d.addVersion(m.Name)
	case uv.TerminalVersionEvent:
		d.addVersion(m.Name)
	case uv.PrimaryDeviceAttributesEvent:
		d.da1, d.done = slices.Clone(m), true
	case string:
		d.observeRaw(m)
	case []byte:
		d.observeRaw(string(m))
	}
	return d.done
}

func (d *Detector) kittyReply(id int, payload string) {
	if id != probeID {
		return
	}
	d.probeOK = payload == "OK"
	if !d.probeOK {
		d.probeErr = payload
	}
}

func (d *Detector) addVersion(name string) {
	if name = strings.TrimSpace(name); name != "" {
		d.versions = append(d.versions, name)
	}
}

// maxPending bounds how much of an unterminated raw reply is kept for the next call, so
// stray bytes (an ESC typed by hand) cannot grow it without end.
const maxPending = 4096

// observeRaw scans raw terminal input for the three replies, in the order they appear:
// ESC _ G <keys> ; <msg> ESC \ (kitty), ESC P > | <name> ESC \ (XTVERSION), and
// ESC [ ? <params> c (DA1). A reply cut off at the end waits for the next call, since
// reads may split the input anywhere.
func (d *Detector) observeRaw(s string) {
	s, d.pending = d.pending+s, ""
	for {
		i := strings.IndexByte(s, ansi.ESC)
		if i < 0 {
			return
		}
		s = s[i:]
		var rest string
		var complete bool
		switch {
		case introPrefix(s):
			// Too short to tell yet.
		case strings.HasPrefix(s, "\x1b_G"):
			var body string
			if body, rest, complete = strings.Cut(s[3:], "\x1b\\"); complete {
				keys, payload, _ := strings.Cut(body, ";")
				d.kittyReply(rawKittyID(keys), payload)
			}
		case strings.HasPrefix(s, "\x1bP>|"):
			var name string
			if name, rest, complete = strings.Cut(s[4:], "\x1b\\"); complete {
				d.addVersion(name)
			}
		case strings.HasPrefix(s, "\x1b[?"):
			end := strings.IndexFunc(s[3:], func(r rune) bool { return (r < '0' || r > '9') && r != ';' })
			if complete = end >= 0; complete {
				if s[3+end] == 'c' {
					d.da1, d.done = parseParams(s[3:3+end]), true
				}
				rest = s[3+end+1:]
			}
		default:
			rest, complete = s[1:], true
		}
		if !complete {
			if len(s) <= maxPending {
				d.pending = s
			}
			return
		}
		s = rest
	}
}

// introPrefix reports whether s is the start of a reply's introducer, cut short.
func introPrefix(s string) bool {
	for _, intro := range []string{"\x1b_G", "\x1bP>|", "\x1b[?"} {
		if len(s) < len(intro) && strings.HasPrefix(intro, s) {
			return true
		}
	}
	return false
}

func rawKittyID(keys string) int {
	for kv := range strings.SplitSeq(keys, ",") {
		if v, ok := strings.CutPrefix(kv, "i="); ok {
			id, _ := strconv.Atoi(v)
			return id
		}
	}
	return 0
}

func parseParams(s string) []int {
	var out []int
	for p := range strings.SplitSeq(s, ";") {
		n, _ := strconv.Atoi(p)
		out = append(out, n)
	}
	return out
}

// Done reports whether DA1 has answered.
func (d *Detector) Done() bool { return d.done }

// Kitty reports whether kitty graphics with Unicode placeholders are usable: the a=q
// probe answered OK and the terminal calls itself kitty or Ghostty. The name matters
// because WezTerm and Konsole also answer the probe OK but cannot show placeholders.
func (d *Detector) Kitty() bool {
	if !d.probeOK {
		return false
	}
	for _, v := range d.versions {
		v = strings.ToLower(v)
		if strings.HasPrefix(v, "kitty") || strings.HasPrefix(v, "ghostty") {
			return true
		}
	}
	return false
}

// Version is the terminal's XTVERSION answer ("kitty(0.39.1)", "ghostty 1.1.3",
// "WezTerm 20240203-…", "tmux 3.4"), or "" if none came; for status lines and bug reports.
func (d *Detector) Version() string {
	if len(d.versions) == 0 {
		return ""
	}
	return d.versions[len(d.versions)-1]
}

// BehindTmux reports whether tmux itself answered XTVERSION. Without passthrough that
// means tmux sits between the program and the terminal even though $TMUX was not set: it
// runs on the SSH client's side. Asking again through NewDetector(true), and wrapping
// Transmit and Delete for tmux, can then still reach a kitty terminal outside.
func (d *Detector) BehindTmux() bool {
	for _, v := range d.versions {
		if strings.HasPrefix(strings.ToLower(v), "tmux") {
			return true
		}
	}
	return false
}

// KittyProbe reports whether the a=q probe answered OK, and the terminal's error text if
// it answered with one (e.g. "ENOTSUPPORTED:..." from zellij).
func (d *Detector) KittyProbe() (ok bool, errText string) { return d.probeOK, d.probeErr }

// Sixel reports whether DA1 listed attribute 4 (sixel graphics); informational, this
// package does not draw sixels.
func (d *Detector) Sixel() bool { return slices.Contains(d.da1, 4) }
