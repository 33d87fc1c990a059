package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"lightbox/config"
	"lightbox/internal/testcos"
	"lightbox/localcos"
	"lightbox/quality"
	"lightbox/quality/synth"
	"lightbox/ui"
)

// TestScorerLocalScoresABucketHere scores a bucket (an embedded COS reached by endpoint and
// bucket, as a real one is) with --scorer local: every row is scored, and AssessQuality is
// never asked. With --scorer cos it is.
func TestScorerLocalScoresABucketHere(t *testing.T) {
	isolate(t)
	dir := testcos.Folder(t, map[string][]byte{
		"a.jpg": synth.EncodeJPEG(synth.Scene(1, 320, 240), 90),
		"b.png": synth.EncodePNG(synth.RGBA(synth.Scene(2, 200, 200))),
	})
	var asked atomic.Int64
	served := testcos.Serve(t, dir, func(c *localcos.Config) {
		c.Assess = func(data []byte, o quality.Options) (quality.Result, error) {
			asked.Add(1)
			return quality.AssessWithOptions(data, o)
		}
	})
	bucket := []string{"--endpoint", served.Target.Endpoint, "--bucket", served.Target.Bucket,
		"--secret-id", served.Credentials.SecretID, "--secret-key", string(served.Credentials.SecretKey), "--no-cache"}
	code, local, errb := runCLI(append([]string{"score", "--scorer", "local"}, bucket...)...)
	if code != 0 || strings.Count(local, `"ClarityScore"`) != 2 || asked.Load() != 0 {
		t.Fatalf("--scorer local: exit %d, %d AssessQuality calls\n%s%s", code, asked.Load(), local, errb)
	}
	code, api, errb := runCLI(append([]string{"score", "--scorer", "cos"}, bucket...)...)
	if code != 0 || asked.Load() != 2 {
		t.Fatalf("--scorer cos: exit %d, %d calls\n%s%s", code, asked.Load(), api, errb)
	}
	if local != api {
		t.Errorf("the local scorer is quality/, as the embedded COS's AssessQuality is:\n%s\n%s", local, api)
	}
}

func TestReviewOptionsCostGuardAndWarnings(t *testing.T) {
	isolate(t)
	bucket := config.Target{Bucket: "photos-1250000000", Region: "ap-guangzhou"}
	scoring := config.Default().Scoring
	scoring.PricePer1000 = 1.6
	o := reviewOptions(resolved{target: bucket}, scoring, ui.Options{})
	if o.Cost == nil || o.Cost.AskAbove != 300 || o.Cost.PricePer1000 != 1.6 {
		t.Errorf("a bucket scored by AssessQuality: %+v", o.Cost)
	}
	scoring.Scorer = "local"
	if o := reviewOptions(resolved{target: bucket}, scoring, ui.Options{}); o.Cost != nil {
		t.Errorf("the local scorer costs nothing per call: %+v", o.Cost)
	}
	scoring.Scorer = "cos"
	if o := reviewOptions(resolved{target: config.Target{Local: t.TempDir()}}, scoring, ui.Options{}); o.Cost != nil || o.AutoRefresh <= 0 {
		t.Errorf("a folder costs nothing per call and is polled for changes: %+v, every %v", o.Cost, o.AutoRefresh)
	}
	if o.AutoRefresh != 0 {
		t.Errorf("a bucket's listing is paid for: polled every %v", o.AutoRefresh)
	}

	// Config warnings are kept for the reviewer's screen, not printed under it.
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte("[review]\nthreshhold = 40\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := targetFlags{credentialFlags: credentialFlags{configPath: p}}
	r, err := f.resolve(t.TempDir(), nil)
	if err != nil || len(r.warnings) == 0 || !strings.Contains(strings.Join(r.warnings, "\n"), "threshhold") {
		t.Fatalf("%v %q", err, r.warnings)
	}
	var printed bytes.Buffer
	if _, err := f.resolve(t.TempDir(), &printed); err != nil || !strings.Contains(printed.String(), "threshhold") {
		t.Errorf("commands without a screen still print them: %v %q", err, printed.String())
	}
}
