package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tmuxSession runs the real binary in a detached tmux session of a fixed size.
type tmuxSession struct {
	t    *testing.T
	name string
}

func startTmux(t *testing.T, width, height int, env []string, argv ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (.ci/run installs it)")
	}
	name := "lightbox-e2e-" + strings.ReplaceAll(t.Name(), "/", "-")
	_ = exec.Command("tmux", "kill-session", "-t", name).Run()
	shell := strings.Join(append(env, argv...), " ") + " 2>" + filepath.Join(t.TempDir(), "stderr")
	args := []string{"new-session", "-d", "-s", name, "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), shell}
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	s := &tmuxSession{t: t, name: name}
	t.Cleanup(func() { _ = exec.Command("tmux", "kill-session", "-t", name).Run() })
	return s
}

func (s *tmuxSession) screen() string {
	out, err := exec.Command("tmux", "capture-pane", "-p", "-t", s.name).Output()
	if err != nil {
		return ""
	}
	return string(out)
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	args := append([]string{"send-keys", "-t", s.name}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v %s", err, out)
	}
}

// waitFor polls the screen until cond holds.
func (s *tmuxSession) waitFor(what string, timeout time.Duration, cond func(string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		scr := s.screen()
		if cond(scr) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s; screen:\n%s", what, scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func contains(sub string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, sub) }
}

// buildForTmux builds the real binary for a terminal test, skipping in -short runs.
// homeEnv is the env(1) prefix that runs lightbox with home as its HOME and every XDG
// folder under it, so a test never reads or writes the real user's config, cache or state.
func homeEnv(home string, extra ...string) []string {
	return append([]string{"env", "HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_STATE_HOME=" + filepath.Join(home, "state")}, extra...)
}

// writeConfig writes lightbox's config file where homeEnv(home) points it.
func writeConfig(t *testing.T, home, text string) {
	t.Helper()
	dir := filepath.Join(home, "config", "lightbox")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// openLandscapes waits for the demo gallery, enters landscapes/ and waits until every
// image there has its answer.
func openLandscapes(s *tmuxSession) {
	s.waitFor("the gallery", 60*time.Second, contains("landscapes/"))
	s.keys("g", "j", "Enter") // landscapes/
	s.waitFor("landscapes/ scored", 120*time.Second, func(scr string) bool {
		return strings.Contains(scr, "› landscapes/") && allAnswered(scr)
	})
}

func buildForTmux(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and runs it in tmux")
	}
	bin := filepath.Join(t.TempDir(), "lightbox")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v %s", err, out)
	}
	return bin
}

// TestEndToEndDemoInTmux runs `lightbox demo` in a real terminal: it waits for the scores,
// sorts, filters, opens the help, and reads the screen each time.
func TestEndToEndDemoInTmux(t *testing.T) {
	bin := buildForTmux(t)
	home := t.TempDir()
	env := homeEnv(home, "TERM=xterm-256color", "COLORTERM=truecolor")
	s := startTmux(t, 110, 32, env, bin, "demo")

	// The root of the gallery lists its prefixes, then scores the images at the top.
	s.waitFor("the gallery's prefixes", 60*time.Second, contains("landscapes/"))
	s.keys("j") // onto landscapes/ (flags/ comes first)
	scr := s.waitFor("the cursor to move", 10*time.Second, contains("landscapes/"))
	_ = scr
	// Go into problems/ and wait until every image there has an answer.
	s.keys("g")
	for range 3 {
		s.keys("j")
	}
	s.keys("Enter")
	scr = s.waitFor("every image in problems/ scored", 120*time.Second, func(scr string) bool {
		return strings.Contains(scr, "› problems/") && allAnswered(scr)
	})
	if !strings.Contains(scr, "problems/") {
		t.Fatalf("not in problems/:\n%s", scr)
	}

	// Sort by clarity: the header says so, and the worst image comes first.
	s.keys("s")
	scr = s.waitFor("sorted by clarity", 10*time.Second, contains("sort clarity"))
	rows := scoreRows(scr)
	if len(rows) < 3 {
		t.Fatalf("no scored rows after sorting:\n%s", scr)
	}
	for i := 1; i < len(rows); i++ {
		if rows[i] < rows[i-1] {
			t.Errorf("clarity not ascending: %v\n%s", rows, scr)
			break
		}
	}

	// Filter by quality: only the images under 60 stay, and the status line says so.
	s.keys("f")
	s.waitFor("the filter prompt", 5*time.Second, contains("filter:"))
	s.keys("clarity<60", "Enter")
	scr = s.waitFor("the filter applied", 10*time.Second, contains("filter clarity<60"))
	for _, v := range scoreRows(scr) {
		if v >= 60 {
			t.Errorf("a row with clarity %d passed clarity<60:\n%s", v, scr)
		}
	}
	time.Sleep(200 * time.Millisecond)
	s.keys("Escape")
	s.waitFor("the filter cleared", 5*time.Second, func(scr string) bool { return !strings.Contains(scr, "filter clarity") })

	// The help overlay lists the bindings by group.
	s.keys("?")
	scr = s.waitFor("the help overlay", 5*time.Second, contains("Keys"))
	for _, want := range []string{"Navigate", "View", "Mark", "sort field", "quit"} {
		if !strings.Contains(scr, want) {
			t.Errorf("help lacks %q:\n%s", want, scr)
		}
	}
	s.keys("Escape")
	scr = s.waitFor("the help closed", 5*time.Second, func(scr string) bool { return !strings.Contains(scr, "Navigate") }) // the help's first group
	if !strings.HasPrefix(scr, "lightbox ") || !strings.Contains(scr, "\n  ") {
		t.Errorf("the screen after the help overlay is not the list:\n%s", scr)
	}
	time.Sleep(200 * time.Millisecond) // a lone ESC followed at once by q reads as alt+q
	s.keys("q")
	s.waitFor("the program to exit", 10*time.Second, func(scr string) bool {
		return exec.Command("tmux", "has-session", "-t", s.name).Run() != nil || !strings.Contains(scr, "lightbox")
	})
	_ = os.Remove(bin)
}

// scoreRows reads the clarity column of scored rows: the first number after a bar.
func scoreRows(screen string) []int {
	re := regexp.MustCompile(`[█▏▎▍▌▋▊▉░]+\s+(\d{1,3})\s`)
	var out []int
	for _, line := range strings.Split(screen, "\n") {
		if i := strings.Index(line, "│"); i >= 0 {
			line = line[:i] // the list, not the detail pane
		}
		if m := re.FindStringSubmatch(line); m != nil {
			n := 0
			for _, c := range m[1] {
				n = n*10 + int(c-'0')
			}
			out = append(out, n)
		}
	}
	return out
}

// TestEndToEndCurationInTmux marks images in the demo gallery, promotes some, deletes one,
// tags one and undoes the tag, checking both the screen and the bucket's folder.
func TestEndToEndCurationInTmux(t *testing.T) {
	bin := buildForTmux(t)
	home := t.TempDir()
	writeConfig(t, home, "[curation]\npromote_to = \"picked/\"\n\n[quick_tags]\n1 = \"review=keep\"\n")
	env := homeEnv(home, "TERM=xterm-256color")
	gallery := filepath.Join(home, "cache", "lightbox", "demo-2")
	s := startTmux(t, 120, 34, env, bin, "demo")

	openLandscapes(s)

	// Mark the first two and promote them (a copy to picked/).
	s.keys("Space", "Space")
	s.waitFor("two marked", 5*time.Second, contains("2 marked"))
	s.keys("c")
	s.waitFor("the promote dialog", 5*time.Second, contains("Copy 2 image(s) to picked/?"))
	s.keys("Enter") // Enter never confirms
	s.waitFor("cancelled", 5*time.Second, contains("cancelled"))
	s.keys("c")
	s.waitFor("the promote dialog", 5*time.Second, contains("Copy 2 image(s)"))
	s.keys("y")
	s.waitFor("promoted", 30*time.Second, contains("promoted 2"))
	for _, name := range []string{"landscape-1.jpg", "landscape-2.jpg"} {
		if _, err := os.Stat(filepath.Join(gallery, "picked", "landscapes", name)); err != nil {
			t.Errorf("promoted copy missing: %v", err)
		}
		if _, err := os.Stat(filepath.Join(gallery, "landscapes", name)); err != nil {
			t.Errorf("a copy must keep the original: %v", err)
		}
	}

	// Delete the image under the cursor (the third): soft, to the trash prefix.
	s.keys("D")
	s.waitFor("the delete dialog", 5*time.Second, contains("They move to .trash/"))
	s.keys("y")
	s.waitFor("trashed", 30*time.Second, contains("trashed 1"))
	if _, err := os.Stat(filepath.Join(gallery, ".trash", "landscapes", "landscape-3.png")); err != nil {
		t.Errorf("the deleted image is not in the trash: %v", err)
	}
	if _, err := os.Stat(filepath.Join(gallery, "landscapes", "landscape-3.png")); err == nil {
		t.Error("the deleted image is still in place")
	}

	// Quick tag 1 on the image under the cursor; the detail pane shows it; u undoes it.
	s.keys("1")
	s.waitFor("tagged", 30*time.Second, contains("tagged 1"))
	s.keys("j", "k") // let the detail pane fetch the tags afresh
	s.waitFor("the tag in the detail pane", 10*time.Second, contains("review=keep"))
	s.keys("u")
	s.waitFor("the undo dialog", 5*time.Second, contains("Undo the last change"))
	s.keys("y")
	s.waitFor("undone", 30*time.Second, contains("undone 1"))
	s.waitFor("no tags any more", 15*time.Second, func(scr string) bool { return !strings.Contains(scr, "review=keep") })

	// The journal records all of it.
	s.keys("J")
	scr := s.waitFor("the journal", 5*time.Second, contains("Journal"))
	for _, want := range []string{"promote", "trash", "tag", "undo"} {
		if !strings.Contains(scr, want) {
			t.Errorf("journal view lacks %q:\n%s", want, scr)
		}
	}
	s.keys("Escape")
	time.Sleep(200 * time.Millisecond)
	s.keys("q")
	s.waitFor("the program to exit", 10*time.Second, func(scr string) bool {
		return exec.Command("tmux", "has-session", "-t", s.name).Run() != nil
	})
	journal, err := os.ReadFile(filepath.Join(home, "state", "lightbox", "journal.log"))
	if err != nil || !strings.Contains(string(journal), `"undo"`) {
		t.Errorf("journal file: %v", err)
	}
}

// answered reads the status line's "here: scored S/N · F failed".
var answered = regexp.MustCompile(`here: scored (\d+)/(\d+)(?: · (\d+) failed)?`)

// allAnswered reports whether every image of the prefix on screen has a score or a failure.
func allAnswered(scr string) bool {
	m := answered.FindStringSubmatch(scr)
	if m == nil {
		return false
	}
	scored, _ := strconv.Atoi(m[1])
	total, _ := strconv.Atoi(m[2])
	failed, _ := strconv.Atoi(m[3])
	return total > 0 && scored+failed == total
}

// writePNG writes a small generated picture.
func writePNG(t *testing.T, path string, shade uint8) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 32))
	for y := range 32 {
		for x := range 48 {
			img.Set(x, y, color.RGBA{shade, uint8(x * 5), uint8(y * 7), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestEndToEndRefreshTrashJournalInTmux runs the reviewer on a folder: a file added from
// outside appears on ctrl+r; a soft delete goes to the trash, the trash view (T) restores
// it, and the journal view (J) shows both batches and their steps. Checked on disk.
func TestEndToEndRefreshTrashJournalInTmux(t *testing.T) {
	bin := buildForTmux(t)
	home := t.TempDir()
	dir := filepath.Join(t.TempDir(), "photos")
	for i, name := range []string{"alpha.png", "bravo.png", "charlie.png"} {
		writePNG(t, filepath.Join(dir, name), uint8(40*i))
	}
	env := homeEnv(home, "TERM=xterm-256color")
	s := startTmux(t, 120, 30, env, bin, dir)
	s.waitFor("the folder scored", 60*time.Second, func(scr string) bool { return strings.Contains(scr, "charlie.png") && allAnswered(scr) })

	// A file dropped in from outside appears on ctrl+r, the cursor staying on its image.
	s.keys("j") // bravo.png
	writePNG(t, filepath.Join(dir, "added.png"), 200)
	s.keys("C-r")
	s.waitFor("the added file", 15*time.Second, contains("added.png"))

	// Soft delete bravo.png: it moves to .trash/ on disk.
	s.keys("D")
	scr := s.waitFor("the delete dialog", 5*time.Second, contains("They move to .trash/"))
	if !strings.Contains(scr, "  bravo.png") { // the dialog names the cursor's image
		t.Fatalf("after ctrl+r the cursor is not on bravo.png:\n%s", scr)
	}
	s.keys("y")
	s.waitFor("trashed", 30*time.Second, contains("trashed 1"))
	if _, err := os.Stat(filepath.Join(dir, ".trash", "bravo.png")); err != nil {
		t.Fatalf("bravo.png is not in the trash: %v", err)
	}

	// The trash view lists it and restores it.
	s.keys("T")
	s.waitFor("the trash view", 10*time.Second, func(scr string) bool {
		return strings.Contains(scr, "bravo.png") && strings.Contains(scr, "Trash")
	})
	s.keys("r")
	s.waitFor("the restore dialog", 5*time.Second, contains("Restore 1 image(s) from the trash?"))
	s.keys("y")
	s.waitFor("the trash emptied of it", 30*time.Second, contains("the trash is empty"))
	if _, err := os.Stat(filepath.Join(dir, "bravo.png")); err != nil {
		t.Errorf("bravo.png is not back: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".trash", "bravo.png")); err == nil {
		t.Error("bravo.png is still in the trash")
	}
	s.keys("Escape")
	time.Sleep(200 * time.Millisecond) // an Escape followed at once by J reads as alt+J

	// The journal shows both batches; enter shows the restore's step.
	s.keys("J")
	scr = s.waitFor("the journal", 10*time.Second, contains("newest first")) // "Journal" is in this test's folder name
	for _, want := range []string{"trash", "restore"} {
		if !strings.Contains(scr, want) {
			t.Errorf("the journal lacks %q:\n%s", want, scr)
		}
	}
	s.keys("Enter")
	s.waitFor("the restore's steps", 10*time.Second, func(scr string) bool {
		return strings.Contains(scr, "Batch ") && strings.Contains(scr, "bravo.png")
	})
	for range 2 { // the steps, then the journal; apart, so that two Escapes are not one alt+Escape
		s.keys("Escape")
		time.Sleep(200 * time.Millisecond)
	}
	s.keys("q")
	s.waitFor("the program to exit", 10*time.Second, func(scr string) bool { return !strings.Contains(scr, "lightbox") })
}
