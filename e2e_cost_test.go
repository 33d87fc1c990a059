package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"lightbox/internal/testproc"
)

// TestEndToEndCostGuardAgainstServe opens a bucket served by a real `lightbox serve` (a
// billed target as far as the reviewer knows): only the rows on screen are scored, the
// status line counts the calls, and scoring the whole prefix asks first, naming the paid
// calls and the cost.
func TestEndToEndCostGuardAgainstServe(t *testing.T) {
	bin := buildForTmux(t)
	home := t.TempDir()
	dir := filepath.Join(t.TempDir(), "bucket")
	const images = 60
	for i := range images {
		writePNG(t, filepath.Join(dir, "shoot", fmt.Sprintf("img%02d.png", i)), uint8(i*4))
	}
	const id, key = "AKIDcostguardtest", "cost-guard-secret-key"
	endpoint := testproc.Serve(t, bin, []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, "config")},
		"--addr", "127.0.0.1:0", "--bucket", "photos-1250000000", "--secret-id", id, "--secret-key", key, dir)
	writeConfig(t, home, "[scoring]\nask_above = 20\nprice_per_1000 = 2.5\n")
	env := homeEnv(home, "COS_SECRETID="+id, "COS_SECRETKEY="+key, "TERM=xterm-256color")
	s := startTmux(t, 120, 24, env, bin, "--endpoint", endpoint, "--bucket", "photos-1250000000", "shoot/")

	// The rows on screen get scored, and no more: fewer calls than images.
	callsRE := regexp.MustCompile(`session: (\d+) calls`)
	calls := func(scr string) int {
		m := callsRE.FindStringSubmatch(scr)
		if m == nil {
			return -1
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	s.waitFor("the rows on screen scored", 60*time.Second, func(scr string) bool {
		return strings.Contains(scr, "img00.png") && calls(scr) > 0 && !strings.Contains(scr, "scoring…")
	})
	time.Sleep(2 * time.Second) // nothing else may be scored behind the screen's back
	scr := s.screen()
	if n := calls(scr); n <= 0 || n >= images {
		t.Fatalf("%d calls for %d images, of which a screenful is shown:\n%s", n, images, scr)
	}
	if !strings.Contains(scr, "scorer cos") || !strings.Contains(scr, "cost ≈") {
		t.Errorf("the status line names neither the scorer nor the cost:\n%s", scr)
	}

	// Scoring the whole prefix asks first, with the number of paid calls and their cost.
	s.keys("R")
	scr = s.waitFor("the paid-calls question", 10*time.Second, contains("AssessQuality calls, each billed"))
	if !strings.Contains(scr, "At 2.50 per 1,000 calls") {
		t.Errorf("the question does not price the calls:\n%s", scr)
	}
	s.keys("y")
	s.waitFor("every image scored", 90*time.Second, func(scr string) bool { return calls(scr) >= images })
	s.keys("q")
}
