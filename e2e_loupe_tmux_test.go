package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestEndToEndLoupeInTmux opens the loupe in the demo gallery, turns auto-advance on,
// picks one image and rejects the next, then reads the tags back from the bucket (ctrl+r
// forgets the cached ones) through the verdict filter in the list.
func TestEndToEndLoupeInTmux(t *testing.T) {
	bin := buildForTmux(t)
	home := t.TempDir()
	env := homeEnv(home, "TERM=xterm-256color")
	s := startTmux(t, 100, 30, env, bin, "demo", "--image", "blocks")

	openLandscapes(s)

	counter := regexp.MustCompile(`^▸ (\d+)/(\d+)  (\S+)`)
	shown := func(scr string) []string {
		return counter.FindStringSubmatch(strings.SplitN(scr, "\n", 2)[0])
	}
	s.keys("o")
	scr := s.waitFor("the loupe", 10*time.Second, func(scr string) bool { return shown(scr) != nil })
	first := shown(scr)
	if first[1] != "1" || !strings.Contains(scr, "Clarity ") || !strings.Contains(scr, "Content ") {
		t.Fatalf("the loupe opens on the first image with its scores:\n%s", scr)
	}
	s.keys("A")
	s.waitFor("auto-advance on", 5*time.Second, contains("auto-advance on"))
	s.keys("P")
	scr = s.waitFor("the next image after P", 30*time.Second, func(scr string) bool { m := shown(scr); return m != nil && m[1] == "2" })
	second := shown(scr)
	s.keys("X")
	s.waitFor("the next image after X", 30*time.Second, func(scr string) bool { m := shown(scr); return m != nil && m[1] == "3" })
	s.keys("p", "p")
	s.waitFor("back on the first, its verdict shown", 10*time.Second, func(scr string) bool {
		m := shown(scr)
		return m != nil && m[1] == "1" && strings.Contains(strings.SplitN(scr, "\n", 2)[0], "✓ PICK")
	})

	// Back in the list, the tags are read again from the bucket, not from the session.
	s.keys("Escape")
	time.Sleep(200 * time.Millisecond) // a lone ESC followed at once by a key reads as alt+key
	s.keys("C-r")
	time.Sleep(time.Second)
	filterShows(t, s, "pick", first[3], second[3])
	filterShows(t, s, "reject", second[3], first[3])
	s.keys("q")
}

// filterShows filters the list by a verdict word and checks that it lists want and not
// other, then clears the filter.
func filterShows(t *testing.T, s *tmuxSession, verdict, want, other string) {
	t.Helper()
	s.keys("f")
	s.waitFor("the filter prompt", 5*time.Second, contains("filter:"))
	s.keys("C-u", verdict, "Enter")
	scr := s.waitFor("the "+verdict+" filter", 30*time.Second, func(scr string) bool {
		return strings.Contains(scr, "filter "+verdict) && strings.Contains(scr, want)
	})
	if strings.Contains(scr, other) {
		t.Errorf("%s passed the %s filter:\n%s", other, verdict, scr)
	}
	time.Sleep(200 * time.Millisecond)
	s.keys("Escape")
	time.Sleep(200 * time.Millisecond) // a lone ESC followed at once by a key reads as alt+key
}
