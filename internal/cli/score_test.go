package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"lightbox/curation/journal"
	"lightbox/quality/synth"
)

func isolate(t *testing.T) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir()) // no ~/.cos.yaml from the machine
	for _, v := range []string{"LIGHTBOX_CONFIG", "COS_SECRETID", "COS_SECRETKEY", "COS_SESSIONTOKEN",
		"TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN"} {
		t.Setenv(v, "")
	}
}

func TestScoreFolderJSONThenCached(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	files := map[string][]byte{
		"a.jpg":        synth.EncodeJPEG(synth.Scene(1, 320, 240), 90),
		"b.png":        synth.EncodePNG(synth.RGBA(synth.Scene(2, 240, 240))),
		"c/broken.jpg": []byte("\xFF\xD8\xFF not really"),
		"notes.txt":    []byte("not an image, not scored"),
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errb := runCLI("score", "--recursive", dir)
	if code != exitFailed {
		t.Errorf("exit %d with a broken image, want %d", code, exitFailed)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d rows:\n%s", len(lines), out)
	}
	var keys []string
	for _, l := range lines {
		var row map[string]any
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, row["key"].(string))
		if row["key"] == "c/broken.jpg" {
			if row["error"] == nil {
				t.Errorf("broken image without error: %s", l)
			}
			continue
		}
		for _, f := range []string{"size", "etag", "LongImage", "BlackAndWhite", "SmallImage", "BigImage", "PureImage", "ClarityScore", "AestheticScore", "LowQualityScore"} {
			if _, ok := row[f]; !ok {
				t.Errorf("%s lacks %s: %s", row["key"], f, l)
			}
		}
	}
	if strings.Join(keys, ",") != "a.jpg,b.png,c/broken.jpg" {
		t.Errorf("rows out of key order: %v", keys)
	}
	if !strings.Contains(errb, "scored 2 (0 from cache), failed 1") {
		t.Errorf("summary: %q", errb)
	}
	// The second run pays for nothing.
	_, out2, errb2 := runCLI("score", "--recursive", "--format", "csv", dir)
	if !strings.Contains(errb2, "scored 2 (3 from cache), failed 1; 0 calls") {
		t.Errorf("second run: %q", errb2)
	}
	recs, err := csv.NewReader(strings.NewReader(out2)).ReadAll()
	if err != nil || len(recs) != 4 || recs[0][0] != "key" || recs[0][10] != "LowQualityScore" || recs[1][11] != "true" {
		t.Errorf("csv: %v %q", err, recs)
	}
}

func TestScoreNeverPrintsTheSecret(t *testing.T) {
	isolate(t)
	const secret = "this-secret-must-never-show"
	code, out, errb := runCLI("score", "--endpoint", "http://127.0.0.1:1", "--bucket", "photos-1250000000",
		"--secret-id", "AKIDtest", "--secret-key", secret, "prefix/")
	if code == 0 {
		t.Error("an unreachable endpoint succeeded")
	}
	if strings.Contains(out+errb, secret) {
		t.Fatalf("secret printed:\n%s%s", out, errb)
	}
	if !strings.Contains(errb, "127.0.0.1:1") && !strings.Contains(strings.ToLower(errb), "connect") {
		t.Errorf("the error does not say what failed: %q", errb)
	}
}

func TestScoreNeedsCredentialsForCOS(t *testing.T) {
	isolate(t)
	code, _, errb := runCLI("score", "--region", "ap-guangzhou", "cos://photos-1250000000/x/")
	if code == 0 || !strings.Contains(errb, "COS_SECRETID") {
		t.Errorf("exit %d: %q", code, errb)
	}
	if code, _, _ := runCLI("score", "--format", "xml", t.TempDir()); code != exitUsage {
		t.Errorf("bad format: exit %d", code)
	}
}

// TestDamagedCacheIsReportedOnce: a score cache with a damaged line is said on stderr, with
// its path, once per run, and the run goes on.
func TestDamagedCacheIsReportedOnce(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	for i := range 3 {
		p := filepath.Join(dir, "img"+string(rune('a'+i))+".jpg")
		if err := os.WriteFile(p, synth.EncodeJPEG(synth.Scene(uint64(i+1), 96, 72), 90), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, errOut := runCLI("score", dir); code != 0 {
		t.Fatalf("first run: %d %s", code, errOut)
	}
	cachePath := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "lightbox", "scores.log")
	b, err := os.ReadFile(cachePath)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.IndexByte(string(b), '\n') + 5 // inside the second line
	b[i] ^= 0x20
	if err := os.WriteFile(cachePath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI("score", dir)
	if code != 0 {
		t.Fatalf("second run: %d %s", code, errOut)
	}
	if strings.Count(errOut, "warning:") != 1 || !strings.Contains(errOut, cachePath) || !strings.Contains(errOut, "damaged") {
		t.Errorf("stderr does not report the damage once with the path:\n%s", errOut)
	}
}

// TestDamagedJournalIsReported: `lightbox journal` says when the journal has a damaged
// line, with its path, instead of quietly leaving batches out.
func TestDamagedJournalIsReported(t *testing.T) {
	isolate(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	p, err := journal.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	j, err := journal.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a.jpg", "b.jpg"} {
		in, err := j.Append(journal.Record{Batch: "b1", Action: journal.ActionTag, Phase: journal.PhaseIntent, Endpoint: "file:///x", Bucket: "local-1250000000", Key: k})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := j.Append(in.Done()); err != nil {
			t.Fatal(err)
		}
	}
	_ = j.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.IndexByte(string(b), '\n') + 8
	b[i] ^= 0x01
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, errOut := runCLI("journal", "--all")
	if !strings.Contains(errOut, "warning:") || !strings.Contains(errOut, p) {
		t.Errorf("stderr does not report the damaged journal with its path:\n%s", errOut)
	}
}

// TestOddNamesAreScoredNotDropped: names with a newline or a tab are legal file names;
// `score` lists them (JSON escapes them) instead of leaving them out.
func TestOddNamesAreScoredNotDropped(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	names := []string{"two\nlines.jpg", "tab\there.jpg", "plain.jpg"}
	for i, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), synth.EncodeJPEG(synth.Scene(uint64(i+1), 96, 72), 90), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCLI("score", dir)
	if code != 0 {
		t.Fatalf("score: %d %s", code, errOut)
	}
	var keys []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var row struct{ Key string }
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		keys = append(keys, row.Key)
	}
	for _, n := range names {
		if !slices.Contains(keys, n) {
			t.Errorf("%q left out of %q", n, keys)
		}
	}
}
