package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"lightbox/config"
)

// TestBadFlagsAreUsageErrors checks that a bad word or number on the command line stops
// the command before it starts, with exit status 2 and a message naming the value and what
// is allowed.
func TestBadFlagsAreUsageErrors(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want []string // in the message
	}{
		{[]string{"--sort", "date", dir}, []string{`"date"`, "name, size, time, clarity, aesthetic, content"}},
		{[]string{"--sort", "--clarity", dir}, []string{`"--clarity"`, "clarity"}},
		{[]string{"--theme", "pink", dir}, []string{`"pink"`, "auto, dark, light, mono"}},
		{[]string{"--image", "sixel", dir}, []string{`"sixel"`, "auto, kitty, blocks or none"}},
		{[]string{"--threshold", "0", dir}, []string{"--threshold 0", "1 to 100"}},
		{[]string{"--threshold", "101", dir}, []string{"--threshold 101", "1 to 100"}},
		{[]string{"-c", "0", dir}, []string{"--concurrency 0", "1 to 64"}},
		{[]string{"--concurrency", "65", dir}, []string{"--concurrency 65", "1 to 64"}},
		{[]string{"--qps", "0", dir}, []string{"--qps 0", "above 0"}},
		{[]string{"--qps", "-2", dir}, []string{"--qps -2", "above 0"}},
		{[]string{"--max-calls", "-1", dir}, []string{"--max-calls -1", "0 (no cap) or more"}},
		{[]string{"demo", "--sort", "colour"}, []string{`"colour"`, "content"}},
		{[]string{"score", "-c", "100", dir}, []string{"--concurrency 100"}},
		{[]string{"score", "--qps", "0", dir}, []string{"--qps 0"}},
		{[]string{"score", "--max-calls", "-5", dir}, []string{"--max-calls -5"}},
		{[]string{"--scorer", "gpu", dir}, []string{`--scorer "gpu"`, "cos or local"}},
		{[]string{"score", "--scorer", "Local", dir}, []string{`--scorer "Local"`, "cos or local"}},
	} {
		code, out, errb := runCLI(c.args...)
		errb = strings.Join(strings.Fields(errb), " ") // the error printer wraps lines
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", c.args, code, exitUsage, errb)
		}
		for _, w := range c.want {
			if !strings.Contains(errb, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, errb)
			}
		}
		if out != "" || strings.Contains(errb, "demo gallery") {
			t.Errorf("%v: the command started: stdout %q stderr %q", c.args, out, errb)
		}
	}
}

// TestGoodFlagsPass checks the other side: every spelling the config file accepts passes
// as a flag too.
func TestGoodFlagsPass(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--sort", "-Aesthetics", "--theme", "MONO", "--image", "kitty", "--threshold", "1"},
		{"--sort", "content", "--threshold", "100", "-c", "1", "--qps", "0.5", "--max-calls", "0"},
		{"--sort", "-time", "-c", "64"},
		{"--sort", "", "--theme", "", "--image", ""}, // empty: as the config says
	} {
		cmd := &cobra.Command{}
		var f reviewFlags
		f.register(cmd)
		if err := cmd.ParseFlags(args); err != nil {
			t.Fatal(err)
		}
		if err := f.check(cmd); err != nil {
			t.Errorf("%v refused: %v", args, err)
		}
	}
}

// TestConfigAndFlagsShareJudges checks that the config file's words are judged by the
// owners' parsers: a word is refused in the file, at its line, with the very message the
// flag gets, and the spellings the flags accept are accepted in the file.
func TestConfigAndFlagsShareJudges(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	for _, c := range []struct {
		setting, flag, value string
	}{
		{"sort", "--sort", "date"},
		{"theme", "--theme", "pink"},
		{"image", "--image", "sixel"},
	} {
		p := filepath.Join(t.TempDir(), "config.toml")
		if err := os.WriteFile(p, []byte("[review]\nthreshold = 40\n"+c.setting+" = \""+c.value+"\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, fileErr := config.Load(p, reviewWords)
		cmd := &cobra.Command{}
		var f reviewFlags
		f.register(cmd)
		if err := cmd.ParseFlags([]string{c.flag, c.value}); err != nil {
			t.Fatal(err)
		}
		flagErr := f.check(cmd)
		if fileErr == nil || flagErr == nil {
			t.Fatalf("%s %q: file error %v, flag error %v", c.setting, c.value, fileErr, flagErr)
		}
		fromFile, ok1 := strings.CutPrefix(fileErr.Error(), p+":3: review."+c.setting+": ")
		fromFlag, ok2 := strings.CutPrefix(flagErr.Error(), "flag "+c.flag+": ")
		if !ok1 || !ok2 || fromFile != fromFlag || !strings.Contains(fromFile, c.value) {
			t.Errorf("%s: file says %q, flag says %q", c.setting, fileErr, flagErr)
		}
	}
	// And through the command: a bad word in the file stops it, naming file and line.
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte("[review]\nsort = \"date\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errb := runCLI("score", "--config", p, dir)
	if errb = strings.Join(strings.Fields(errb), " "); code == 0 || out != "" || !strings.Contains(errb, `.toml:2: review.sort: unknown sort "date"`) {
		t.Errorf("score with a bad sort in the config: exit %d, stdout %q, stderr %s", code, out, errb)
	}

	good := "[review]\nsort = \"-Aesthetics\"\ncolumns = [\"name\", \"Content\", \"time\", \"flags\"]\ntheme = \"Mono\"\nimage = \"Kitty\"\n"
	if err := os.WriteFile(p, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := config.Load(p, reviewWords)
	if err != nil || !slices.Equal(cfg.Review.Columns, []string{"name", "Content", "time", "flags"}) {
		t.Errorf("Load(good words) = %v, %v", cfg.Review, err)
	}
	bad := "[review]\ncolumns = [\"name\", \"colour\", \"aesthetic\", \"aesthetics\"]\n"
	if err := os.WriteFile(p, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = config.Load(p, reviewWords)
	for _, want := range []string{p + `:2: review.columns: unknown column "colour"; columns are name, size, age, clarity, aesthetic, content, flags`,
		`column "aesthetics" is listed twice`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load(bad columns) = %v; want %q", err, want)
		}
	}
}
