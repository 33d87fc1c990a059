package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lightbox/cosapi"
	"lightbox/internal/testcos"
	"lightbox/model"
)

// TestEndToEndContactSheetCompareInTmux opens the demo, switches to the contact sheet,
// marks two images there, compares them, picks the second, and reads the verdicts back
// from the gallery folder's own store after the program has exited.
func TestEndToEndContactSheetCompareInTmux(t *testing.T) {
	bin := buildForTmux(t)
	home := t.TempDir()
	env := homeEnv(home, "TERM=xterm-256color", "COLORTERM=truecolor")
	gallery := filepath.Join(home, "cache", "lightbox", "demo-2")
	s := startTmux(t, 120, 34, env, bin, "demo", "--image", "blocks")

	openLandscapes(s)

	s.keys("C-g")
	s.waitFor("the contact sheet", 10*time.Second, contains("▶ landscape-1.jpg"))
	s.keys("Space", "Space") // mark the first two cells, as in the list
	s.waitFor("two marked", 5*time.Second, contains("2 marked"))
	if scr := s.screen(); !strings.Contains(scr, "●landscape-1.jpg") || !strings.Contains(scr, "●landscape-2.jpg") {
		t.Fatalf("the sheet does not show both marks:\n%s", scr)
	}

	s.keys("C")
	s.waitFor("compare", 10*time.Second, contains("compare 2 images"))
	s.keys("Right") // focus the second
	s.waitFor("the focus on the second", 5*time.Second, contains("▶ landscape-2.jpg"))
	s.keys("Enter")
	s.waitFor("the pick's confirmation", 5*time.Second, contains("reject the other 1?"))
	s.keys("y")
	scr := s.waitFor("both verdicts on the sheet", 30*time.Second, func(scr string) bool {
		return strings.Contains(scr, "PICK") && strings.Contains(scr, "REJECT") && !strings.Contains(scr, "compare 2 images")
	})
	t.Logf("the sheet after the pick:\n%s", scr)

	s.keys("q")
	s.waitFor("the program to exit", 15*time.Second, func(string) bool {
		return exec.Command("tmux", "has-session", "-t", s.name).Run() != nil
	})

	// The verdicts are tags on the objects: serve the folder again and read them.
	served := testcos.Serve(t, gallery, nil)
	c, err := cosapi.Open(cosapi.Options{Target: served.Target, Credentials: served.Credentials, Identity: served.Identity})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	want := map[string]model.Verdict{
		"landscapes/landscape-1.jpg": model.Reject,
		"landscapes/landscape-2.jpg": model.Pick,
		"landscapes/landscape-3.png": model.VerdictOf(nil), // not compared: untouched
	}
	for key, v := range want {
		tags, err := c.Tags(context.Background(), key)
		if err != nil {
			t.Fatalf("tags of %s: %v", key, err)
		}
		if got := model.VerdictOf(tags); got != v {
			t.Errorf("%s on disk: %v (tags %v), want %v", key, got, tags, v)
		}
	}
}
