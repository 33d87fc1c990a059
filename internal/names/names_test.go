package names

import "testing"

func TestIsImageName(t *testing.T) {
	for key, want := range map[string]bool{"a.jpg": true, "B.JPEG": true, "c.Png": true, "d.gif": false, "jpg": false, "e.jpg/": false} {
		if IsImageName(key) != want {
			t.Errorf("IsImageName(%q) = %v", key, !want)
		}
	}
}

func TestPrintableEscapesControlsAndKeepsTheRest(t *testing.T) {
	for in, want := range map[string]string{
		"plain 照片.jpg":   "plain 照片.jpg",
		"two\nlines.jpg": `two\nlines.jpg`,
		"tab\there":      `tab\there`,
		"\x1b[31mred":    `\x1b[31mred`,
		"nel\u0085x":     `nel\u0085x`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShorten(t *testing.T) {
	if got := Shorten("abcdef", 4); got != "abc…" {
		t.Errorf("%q", got)
	}
	if got := Shorten("abc", 4); got != "abc" {
		t.Errorf("%q", got)
	}
}
