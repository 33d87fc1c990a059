package config

import (
	"errors"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestDefault(t *testing.T) {
	home := isolate(t)
	d := Default()
	if err := d.Validate(testWords); err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	want := Config{
		Scoring:  Scoring{Concurrency: 4, QPS: 10, MaxCalls: 0, Timeout: 30 * time.Second, Retries: 5, Scorer: "cos", AskAbove: 300, Cache: filepath.Join(home, "cache", "lightbox", "scores.log")},
		Curation: Curation{TrashPrefix: ".trash/", PromoteMode: "copy", Journal: filepath.Join(home, "state", "lightbox", "journal.log")},
		Review:   Review{Threshold: 50, Sort: "name", Theme: "auto", Image: "auto"},
		Groups:   Groups{NearThreshold: 10, BurstThreshold: 20, BurstWindow: 10 * time.Second},
		Keys:     map[string][]string{}, QuickTags: map[string]string{},
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("Default() =\n%+v\nwant\n%+v", d, want)
	}

	t.Setenv("XDG_STATE_HOME", "relative/ignored")
	if got := Default().Curation.Journal; got != filepath.Join(home, ".local", "state", "lightbox", "journal.log") {
		t.Errorf("journal without XDG_STATE_HOME = %s", got)
	}
}

func TestDefaultPath(t *testing.T) {
	home := isolate(t)
	if runtime.GOOS != "linux" {
		t.Skip("XDG_CONFIG_HOME is Linux's")
	}
	p, err := DefaultPath()
	if err != nil || p != filepath.Join(home, "cfg", "lightbox", "config.toml") {
		t.Errorf("DefaultPath = %q, %v", p, err)
	}
	t.Setenv(EnvConfig, "/etc/lightbox.toml")
	if p, _ := DefaultPath(); p != "/etc/lightbox.toml" {
		t.Errorf("with $LIGHTBOX_CONFIG, DefaultPath = %q", p)
	}
	t.Setenv(EnvConfig, "~/lb.toml")
	if p, _ := DefaultPath(); p != filepath.Join(home, "lb.toml") {
		t.Errorf("~ not expanded: %q", p)
	}
}

func TestLoadMissing(t *testing.T) {
	home := isolate(t)
	// The default location: silently defaults.
	cfg, warns, err := Load("", testWords)
	if err != nil || len(warns) != 0 {
		t.Fatalf("Load(\"\", testWords) without a file: %v %v", warns, err)
	}
	if cfg.FileFound || cfg.Path != filepath.Join(home, "cfg", "lightbox", "config.toml") || cfg.Scoring.Concurrency != 4 {
		t.Errorf("got %+v", cfg)
	}
	// A file asked for by name: defaults, plus a warning about the likely typo.
	for _, viaEnv := range []bool{false, true} {
		p := filepath.Join(home, "nope.toml")
		arg := p
		if viaEnv {
			t.Setenv(EnvConfig, p)
			arg = ""
		}
		cfg, warns, err := Load(arg, testWords)
		if err != nil || len(warns) != 1 || !strings.Contains(warns[0].String(), "does not exist") || cfg.Path != p {
			t.Errorf("viaEnv=%v: %+v %v %v", viaEnv, cfg.Path, warns, err)
		}
	}
}

const fullConfig = `# every setting
[cos]
secret_id = "AKIDfile"
secret_key = "filekey"
session_token = "filetoken"
region = "ap-shanghai"
endpoint = "http://127.0.0.1:7070"
coscli_config = "~/other.yaml"

[scoring]
concurrency = 16
qps = 2.5
max_calls = 1000
timeout = "1m30s"
retries = 0
cache = "/var/cache/scores.log"

[curation]
trash_prefix = "bin/"
hard_delete = true
promote_to = "cos://best-1250000000/picked/"
promote_mode = "move"
journal = "~/journal.log"

[review]
threshold = 70
columns = [
  "name",   # multi-line arrays are fine
  "clarity",
]
sort = "-clarity"
theme = "mono"
image = "blocks"

[groups]
near_threshold = 8
burst_threshold = 16
burst_window = "3s"

[keys]
mark = ["space"]
up = ["k", "up"]

[quick_tags]
1 = "review=keep"
"2" = "review = drop"
`

func TestLoadFull(t *testing.T) {
	home := isolate(t)
	p := writeFile(t, home, "config.toml", fullConfig, 0o600)
	cfg, warns, err := Load(p, testWords)
	if err != nil || len(warns) != 0 {
		t.Fatalf("Load: %v %v", warns, err)
	}
	want := Config{
		COS: COS{SecretID: "AKIDfile", SecretKey: "filekey", SessionToken: "filetoken", Region: "ap-shanghai",
			Endpoint: "http://127.0.0.1:7070", COSCLIConfig: filepath.Join(home, "other.yaml")},
		Scoring:   Scoring{Concurrency: 16, QPS: 2.5, MaxCalls: 1000, Timeout: 90 * time.Second, Retries: 0, Scorer: "cos", AskAbove: 300, Cache: "/var/cache/scores.log"},
		Curation:  Curation{TrashPrefix: "bin/", HardDelete: true, PromoteTo: "cos://best-1250000000/picked/", PromoteMode: "move", Journal: filepath.Join(home, "journal.log")},
		Review:    Review{Threshold: 70, Columns: []string{"name", "clarity"}, Sort: "-clarity", Theme: "mono", Image: "blocks"},
		Groups:    Groups{NearThreshold: 8, BurstThreshold: 16, BurstWindow: 3 * time.Second},
		Keys:      map[string][]string{"mark": {"space"}, "up": {"k", "up"}},
		QuickTags: map[string]string{"1": "review=keep", "2": "review = drop"},
		Path:      p, FileFound: true,
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("Load =\n%+v\nwant\n%+v", cfg, want)
	}
	if cfg.COS.SecretKey.Reveal() != "filekey" {
		t.Error("secret not read")
	}
}

func TestLoadEmptyPathsMeanDefault(t *testing.T) {
	home := isolate(t)
	p := writeFile(t, home, "c.toml", "[scoring]\ncache = \"\"\n[curation]\njournal = \"\"\n", 0o600)
	cfg, _, err := Load(p, testWords)
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	if cfg.Scoring.Cache != d.Scoring.Cache || cfg.Curation.Journal != d.Curation.Journal || cfg.Scoring.Cache == "" {
		t.Errorf("cache %q journal %q", cfg.Scoring.Cache, cfg.Curation.Journal)
	}
}

func TestLoadUnknownKeys(t *testing.T) {
	home := isolate(t)
	src := `[cos]
regoin = "ap-beijing"
region = "ap-beijing"

[scoring]
concurrency = 2
notes = """
looks = "like a key"
"""
"quoted key" = 1

[colours]
bg = "black"
fg = "white"

[review.extra]
x = 1

[review]
theme = "dark"
`
	p := writeFile(t, home, "c.toml", src, 0o600)
	cfg, warns, err := Load(p, testWords)
	if err != nil {
		t.Fatalf("unknown keys must not be errors: %v", err)
	}
	if cfg.COS.Region != "ap-beijing" || cfg.Scoring.Concurrency != 2 {
		t.Errorf("known keys not applied: %+v", cfg)
	}
	want := []struct {
		key  string
		line int
	}{{"cos.regoin", 2}, {"scoring.notes", 7}, {`scoring."quoted key"`, 10}, {"colours", 12}, {"review.extra", 16}}
	if len(warns) < len(want) {
		t.Fatalf("warnings = %v", warns)
	}
	for i, w := range want {
		if warns[i].Key != w.key || warns[i].Line != w.line {
			t.Errorf("warning %d = %+v, want key %s line %d", i, warns[i], w.key, w.line)
		}
		if s := warns[i].String(); !strings.HasPrefix(s, p+":") || !strings.Contains(s, "unknown setting") {
			t.Errorf("warning text %q", s)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // all must appear in the error
	}{
		{"syntax", "[cos]\nregion = \"ap-beijing\nx = 1\n", []string{":2: cos.region: strings cannot contain newlines"}},
		{"bad type", "[scoring]\n\nconcurrency = \"eight\"\n", []string{":3: scoring.concurrency: incompatible types"}},
		{"table for a string", "[review]\ntheme.dark = true\n", []string{":2: review.theme: incompatible types"}},
		{"keys not a list", "[keys]\nmark = \"space\"\n", []string{":2: keys.mark: incompatible types"}},
		{"bad duration", "[scoring]\ntimeout = \"30 seconds\"\n", []string{":2: scoring.timeout: invalid duration"}},
		{"integer duration", "[scoring]\ntimeout = 30\n", []string{":2:", "scoring.timeout", `"30s"`}},
		{"range", "[scoring]\nconcurrency = 0\n\nqps = -1\n", []string{":2: scoring.concurrency: must be 1..64 (got 0)", ":4: scoring.qps"}},
		{"groups", "[groups]\nnear_threshold = 40\nburst_threshold = -1\nburst_window = 10\n", []string{":2: groups.near_threshold: must be 0..32", ":3: groups.burst_threshold", ":4:", "groups.burst_window", `"10s"`}},
		{"quick tag", "[quick_tags]\n1 = \"keep\"\nx = \"a=b\"\n", []string{":2: quick_tags.1", ":3: quick_tags.x"}},
		{"promote", "[curation]\npromote_to = \"cos://Bad_Bucket/x/\"\n", []string{":2: curation.promote_to", "NAME-APPID"}},
		{"unquoted secret", "[cos]\nsecret_key = s3cr3tKEYvalue\n", []string{":2: cos.secret_key:", "quoted"}},
		{"broken secret string", "[cos]\nsession_token = \"s3cr3tKEYvalue\n", []string{":2: cos.session_token:"}},
		{"junk after secret", "[cos]\nsecret_key = 's3cr3tKEYvalue' s3cr3tKEYvalue\n", []string{":2:", "not shown"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			home := isolate(t)
			p := writeFile(t, home, "c.toml", c.src, 0o600)
			cfg, _, err := Load(p, testWords)
			if err == nil {
				t.Fatalf("no error for %q", c.src)
			}
			msg := err.Error()
			if !strings.Contains(msg, p) {
				t.Errorf("error does not name the file: %s", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			if strings.Contains(msg, "s3cr3t") {
				t.Errorf("error leaks a secret: %s", msg)
			}
			if cfg.Path != p || cfg.Scoring.Concurrency != 4 {
				t.Errorf("on error Load should give defaults with the path, got %+v", cfg)
			}
		})
	}
}

func TestLoadFieldErrorsAreReachable(t *testing.T) {
	home := isolate(t)
	p := writeFile(t, home, "c.toml", "[review]\ntheme = \"pink\"\n", 0o600)
	_, _, err := Load(p, testWords)
	var fe FieldError
	if !errors.As(err, &fe) || fe.Key != "review.theme" {
		t.Errorf("errors.As FieldError: %v %+v", err, fe)
	}
}

func TestLoadPermissionWarning(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix file modes")
	}
	cases := []struct {
		name   string
		src    string
		mode   uint32
		expect bool
	}{
		{"key, 0644", "[cos]\nsecret_id = \"AKID\"\nsecret_key = \"k\"\n", 0o644, true},
		{"key, 0640", "[cos]\nsecret_id = \"AKID\"\nsecret_key = \"k\"\n", 0o640, true},
		{"key, 0604", "[cos]\nsecret_id = \"AKID\"\nsecret_key = \"k\"\n", 0o604, true},
		{"token only, 0644", "[cos]\nsession_token = \"t\"\n", 0o644, true},
		{"key, 0600", "[cos]\nsecret_id = \"AKID\"\nsecret_key = \"k\"\n", 0o600, false},
		{"key, 0400", "[cos]\nsecret_id = \"AKID\"\nsecret_key = \"k\"\n", 0o400, false},
		{"id only, 0644", "[cos]\nsecret_id = \"AKID\"\n", 0o644, false},
		{"no secrets, 0666", "[scoring]\nqps = 3\n", 0o666, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			home := isolate(t)
			p := writeFile(t, home, "config.toml", c.src, 0o600)
			chmod(t, p, c.mode)
			_, warns, err := Load(p, testWords)
			if err != nil {
				t.Fatal(err)
			}
			want := "config.toml is readable by other users and holds a secret key; run chmod 600 " + p
			got := false
			for _, w := range warns {
				got = got || w.Message == want
			}
			if got != c.expect {
				t.Errorf("warning present = %v, want %v (%v)", got, c.expect, warns)
			}
		})
	}
}

func TestKeyLines(t *testing.T) {
	src := `top = 1
a.b = 2 # dotted at top level
[t]
'lit.key' = 3
arr = [
  "x = 1",
  { y = 2 },
]
next = 4
s = '''
fake = 5
'''
[[aot]]
k = 6
[ "q t" . sub ]
z = 7
`
	ix := keyLines(src)
	for key, line := range map[string]int{
		"top": 1, "a\x00b": 2, "t": 3, "t\x00lit.key": 4, "t\x00arr": 5, "t\x00next": 9, "t\x00s": 10,
		"aot": 13, "aot\x00k": 14, "q t\x00sub": 15, "q t\x00sub\x00z": 16,
	} {
		if ix[key] != line {
			t.Errorf("line of %q = %d, want %d", key, ix[key], line)
		}
	}
	for _, bad := range []string{"t\x00fake", "t\x00y", "t\x00\"x"} {
		if n, ok := ix[bad]; ok {
			t.Errorf("%q found at %d but is inside a value", bad, n)
		}
	}
	if got := ix.find([]string{"a"}); got != 2 {
		t.Errorf("implicit table a at %d, want 2", got)
	}
	if got := ix.find([]string{"t", "arr", "inner"}); got != 5 {
		t.Errorf("key inside a value at %d, want its parent's 5", got)
	}
}
