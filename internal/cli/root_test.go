package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lightbox/quality/synth"
)

func writeFiles(t *testing.T) (dir string) {
	dir = t.TempDir()
	files := map[string][]byte{
		"a.jpg":      synth.EncodeJPEG(synth.Scene(1, 400, 300), 90),
		"b.png":      synth.EncodePNG(synth.RGBA(synth.Scene(2, 300, 300))),
		"x.gif":      []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
		"photo.gif":  synth.EncodeJPEG(synth.Scene(3, 300, 200), 85), // a JPEG with the wrong name
		"empty.jpg":  nil,
		"broken.png": synth.EncodePNG(synth.RGBA(synth.Scene(4, 300, 200)))[:500],
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestAssessJSONLinesInArgumentOrder(t *testing.T) {
	dir := writeFiles(t)
	names := []string{"b.png", "x.gif", "a.jpg", "photo.gif", "empty.jpg", "broken.png", "missing.jpg"}
	var args []string
	for _, n := range names {
		args = append(args, filepath.Join(dir, n))
	}
	code, out, _ := runCLI(append([]string{"assess", "--format", "json", "-j", "3"}, args...)...)
	if code != exitFailed {
		t.Fatalf("exit %d, want 1 (some files fail)", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(names) {
		t.Fatalf("%d lines for %d files:\n%s", len(lines), len(names), out)
	}
	wantErr := map[string]string{
		"x.gif": "UnsupportedFormat", "empty.jpg": "EmptyImage", "broken.png": "TruncatedImage",
		"missing.jpg": "FileUnreadable",
	}
	for i, line := range lines {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("line %d is not JSON: %s", i, line)
		}
		if obj["file"] != args[i] {
			t.Fatalf("line %d is for %v, want %s", i, obj["file"], args[i])
		}
		if code, bad := wantErr[names[i]]; bad {
			e, _ := obj["error"].(map[string]any)
			if e == nil || e["code"] != code || e["message"] == "" {
				t.Errorf("%s: %s, want error code %s", names[i], line, code)
			}
			continue
		}
		for _, k := range []string{"LongImage", "BlackAndWhite", "SmallImage", "BigImage", "PureImage", "ClarityScore", "AestheticScore", "LowQualityScore"} {
			if _, ok := obj[k]; !ok {
				t.Errorf("%s: missing %s in %s", names[i], k, line)
			}
		}
		if _, ok := obj["Details"]; ok {
			t.Errorf("%s: Details without --details", names[i])
		}
	}
	// Field order follows the API's documentation.
	if !strings.HasPrefix(lines[0], `{"file":`) || !strings.Contains(lines[0], `"LongImage":false,"BlackAndWhite":`) {
		t.Errorf("field order: %s", lines[0])
	}
}

func TestAssessDetailsAndXML(t *testing.T) {
	dir := writeFiles(t)
	code, out, _ := runCLI("assess", "--format", "json", "--details", filepath.Join(dir, "a.jpg"))
	if code != 0 || !strings.Contains(out, `"Details":{"Blur":`) {
		t.Fatalf("exit %d, output %s", code, out)
	}
	code, out, _ = runCLI("assess", filepath.Join(dir, "a.jpg"), filepath.Join(dir, "x.gif"))
	if code != exitFailed {
		t.Fatalf("exit %d, want 1", code)
	}
	if strings.Count(out, "<Response>") != 1 || strings.Count(out, "<Error>") != 1 || !strings.Contains(out, "<RequestId>") {
		t.Fatalf("XML output:\n%s", out)
	}
	if strings.Contains(out, "Blur") {
		t.Fatal("details leaked into the API's XML")
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"assess"},
		{"assess", "--format", "yaml", "a.jpg"},
		{"assess", "--no-such-flag", "a.jpg"},
		{"assess", "-j", "-1", "a.jpg"},
		{"no-such-command"},
		{"demo", "extra"},
		{"serve", "a", "b"},
		{"score", "a", "b"},
		{"a", "b"},
		{"score", "--format=yaml", "x"},
		{"--no-such-flag"},
	} {
		if code, _, _ := runCLI(args...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, _ := runCLI("--help"); code != 0 {
		t.Errorf("--help: exit %d", code)
	}
}

// TestMessagesKeepTheirCase: paths, flags and product names are never recased, in errors
// or in help.
func TestMessagesKeepTheirCase(t *testing.T) {
	_, _, errOut := runCLI("/nonexistent/Dir")
	if !strings.Contains(errOut, `"/nonexistent/Dir"`) {
		t.Errorf("error recased: %q", errOut)
	}
	_, _, errOut = runCLI("score", "--format", "yaml", "x")
	if !strings.Contains(errOut, "--format must be json or csv") {
		t.Errorf("error recased: %q", errOut)
	}
	_, help, _ := runCLI("--help")
	for _, want := range []string{"SecretId", "AssessQuality calls", "COS endpoint", "STS session"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lost %q", want)
		}
	}
}

func TestVersionComesFromBuildInfo(t *testing.T) {
	code, out, _ := runCLI("--version")
	if code != 0 || strings.Contains(out, "unknown") || !strings.Contains(out, "go1.") {
		t.Errorf("--version: %d %q", code, out)
	}
}
