package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"lightbox/cosapi"
)

// Issue 13: small defects where the screen said something other than the truth.

func TestInvalidFilterKeepsThePromptAndTheText(t *testing.T) {
	hs := newHarness(t, gallery(), 120, 30, nil)
	hs.keys("f")
	hs.typeText("clarity<40 blurr")
	hs.keys("enter")
	if hs.m.mode != modeQuality {
		t.Fatalf("an invalid filter closed the prompt (mode %v)", hs.m.mode)
	}
	if got := hs.m.input.Value(); got != "clarity<40 blurr" {
		t.Errorf("the typed text was lost: %q", got)
	}
	if s := hs.screen(); !strings.Contains(s, `unknown word "blurr"`) {
		t.Errorf("the error is not shown beside the prompt:\n%s", s)
	}
	// Fixing it applies it and closes the prompt.
	for range len(" blurr") {
		hs.keys("backspace")
	}
	hs.keys("enter")
	if hs.m.mode != modeNormal || hs.m.list.Filter().String() != "clarity<40" {
		t.Errorf("the fixed filter: mode %v filter %q", hs.m.mode, hs.m.list.Filter().String())
	}
}

func TestQuickTagWithNoneConfiguredSaysSo(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 120, 30, nil) // the harness sets no quick tags
	hs.cursorOn("tiny.jpg")
	hs.keys("3")
	if s := hs.screen(); !strings.Contains(s, "no quick tag on 3") || !strings.Contains(s, "[quick_tags]") {
		t.Errorf("3 with no quick tags is silent:\n%s", s)
	}
	hs.keys("?")
	if s := hs.screen(); !strings.Contains(s, "quick tags: none set") {
		t.Errorf("? does not say quick tags are unset:\n%s", s)
	}
}

func TestCorruptTruncatedAndEmptyFilesSayWhatIsWrong(t *testing.T) {
	b := gallery()
	b.add("broken.jpg", 5000, b.scores["tiny.jpg"])
	b.add("cut.jpg", 5001, b.scores["tiny.jpg"])
	b.add("zero.jpg", 0, b.scores["tiny.jpg"])
	b.fail["broken.jpg"] = &cosapi.Error{Kind: cosapi.KindUnsupported, Code: "CorruptImage", Message: "JPEG: bad Huffman code"}
	b.fail["cut.jpg"] = &cosapi.Error{Kind: cosapi.KindUnsupported, Code: "TruncatedImage", Message: "JPEG ends early"}
	b.fail["zero.jpg"] = &cosapi.Error{Kind: cosapi.KindUnsupported, Code: "EmptyImage", Message: "0 bytes"}
	hs := newHarness(t, b, 160, 30, nil)
	s := hs.screen()
	for _, want := range []string{"corrupt file", "truncated file", "empty file"} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q on screen:\n%s", want, s)
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "unsupported image") && !strings.Contains(line, "animation.gif") {
			t.Errorf("still says unsupported image: %s", line)
		}
	}
}

func TestResizeRerendersThePreviewWithoutMovingTheCursor(t *testing.T) {
	hs, _ := previewed(t, "blocks", "cold.jpg", map[string][]byte{"cold.jpg": red64x48})
	cursor := hs.m.cursor
	hs.send(tea.WindowSizeMsg{Width: 150, Height: 56})
	if hs.m.cursor != cursor {
		t.Fatalf("the resize moved the cursor from %d to %d", cursor, hs.m.cursor)
	}
	frame := hs.m.render()
	if strings.Contains(stripANSI(frame), "loading preview") || !strings.Contains(frame, "38;2;200;30;30") {
		t.Errorf("after a resize the preview is not drawn at the new size:\n%s", stripANSI(frame))
	}
}

func TestWarningsShowAtStartAndReadOnlyKeysSayWhy(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 140, 30, func(o *Options) {
		o.Warnings = []string{"config.toml:3: unknown key \"colour\""}
		o.ReadOnly = "/mnt/photos is not writable"
	})
	if s := hs.screen(); !strings.Contains(s, `unknown key "colour"`) {
		t.Errorf("the config warning is not shown:\n%s", s)
	}
	hs.cursorOn("tiny.jpg")
	for _, k := range []string{"P", "X", "D", "c", "u", "t"} {
		hs.keys(k)
		if hs.m.dialog != nil || hs.m.mode != modeNormal {
			t.Fatalf("%s opened a dialog or prompt on a read-only target", k)
		}
		if s := hs.screen(); !strings.Contains(s, "read-only: /mnt/photos is not writable") {
			t.Errorf("%s does not say why:\n%s", k, s)
		}
	}
	if len(b.batches) != 0 || len(b.tags["tiny.jpg"]) != 1 {
		t.Errorf("a read-only target was changed: %d batches", len(b.batches))
	}
}

// xdg-open hands the file to a viewer and returns at once: the file must outlive it, and
// go when the reviewer exits.
func TestExternalViewerFileOutlivesTheOpenerAndGoesAtExit(t *testing.T) {
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv("LIGHTBOX_VIEWER", "")
	hs := newHarness(t, gallery(), 120, 30, nil)
	file := filepath.Join(t.TempDir(), "lightbox-1.jpg")
	if err := os.WriteFile(file, []byte("jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	if cmd := hs.m.onExternalReady(externalReadyMsg{file: file}); cmd == nil {
		t.Fatal("no viewer started")
	}
	hs.send(externalDoneMsg{file: file, waits: false})
	if _, err := os.Stat(file); err != nil {
		t.Fatalf("the file went as soon as xdg-open returned: %v", err)
	}
	_, quit := hs.m.Update(keyPress("q"))
	if !quits(quit) { // expand ran the removal too
		t.Fatal("q did not quit")
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("the viewer's file is left after exit: %v", err)
	}
}

// $LIGHTBOX_VIEWER runs in the foreground: its file goes when it exits.
func TestExternalViewerInTheForegroundRemovesItsFileWhenDone(t *testing.T) {
	t.Setenv("LIGHTBOX_VIEWER", "true")
	hs := newHarness(t, gallery(), 120, 30, nil)
	file := filepath.Join(t.TempDir(), "lightbox-2.jpg")
	if err := os.WriteFile(file, []byte("jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	hs.m.onExternalReady(externalReadyMsg{file: file})
	hs.send(externalDoneMsg{file: file, waits: true})
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("the file is kept after the viewer exited: %v", err)
	}
}
