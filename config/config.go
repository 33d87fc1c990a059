package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"lightbox/similar"
)

// Config is lightbox's configuration file, config.toml.
type Config struct {
	COS       COS                 `toml:"cos"`
	Scoring   Scoring             `toml:"scoring"`
	Curation  Curation            `toml:"curation"`
	Review    Review              `toml:"review"`
	Groups    Groups              `toml:"groups"`
	Keys      map[string][]string `toml:"keys"`       // action name -> keys; the keymap package checks the names
	QuickTags map[string]string   `toml:"quick_tags"` // "0".."9" -> "key=value"

	Path      string `toml:"-"` // the file read, or that would have been read
	FileFound bool   `toml:"-"` // whether Path existed
}

// COS is the [cos] section.
type COS struct {
	SecretID     string `toml:"secret_id"`
	SecretKey    Secret `toml:"secret_key"`
	SessionToken Secret `toml:"session_token"`
	Region       string `toml:"region"`        // default region for cos:// targets
	Endpoint     string `toml:"endpoint"`      // custom endpoint URL, e.g. http://127.0.0.1:7070
	COSCLIConfig string `toml:"coscli_config"` // COSCLI's config; "" = ~/.cos.yaml
}

// Scoring is the [scoring] section: how AssessQuality is called.
type Scoring struct {
	Concurrency int           `toml:"concurrency"` // parallel calls, 1..64
	QPS         float64       `toml:"qps"`         // calls per second, > 0
	MaxCalls    int           `toml:"max_calls"`   // paid calls per run, 0 = no cap
	Timeout     time.Duration `toml:"timeout"`     // per operation
	Retries     int           `toml:"retries"`     // attempts after the first
	Cache       string        `toml:"cache"`       // score cache file
	// Scorer is who scores a real COS bucket's images: "cos" (Cloud Infinite's
	// AssessQuality, billed per call) or "local" (each image downloaded once, capped in
	// size, and scored on this CPU). Folder targets are always scored locally.
	Scorer string `toml:"scorer"`
	// AskAbove: on a real COS target, scoring more than this many images at once (a whole
	// prefix, a bucket) asks first, naming the number of paid calls. 0 = never ask.
	AskAbove int `toml:"ask_above"`
	// PricePer1000 is what 1,000 AssessQuality calls cost, to show the session's cost
	// beside its calls; 0 = unknown, not shown.
	PricePer1000 float64 `toml:"price_per_1000"`
}

// Curation is the [curation] section: what delete and promote do.
type Curation struct {
	TrashPrefix string `toml:"trash_prefix"` // soft delete moves objects here
	HardDelete  bool   `toml:"hard_delete"`  // deletes are permanent
	PromoteTo   string `toml:"promote_to"`   // "prefix/" or "cos://bucket-appid/prefix/"; see ParsePromoteTo
	PromoteMode string `toml:"promote_mode"` // copy | move
	Journal     string `toml:"journal"`      // journal of every change made
}

// Review is the [review] section: the reviewer's looks.
type Review struct {
	Threshold int      `toml:"threshold"` // score cut-off for colouring, 0..100
	Columns   []string `toml:"columns"`   // the reviewer's columns (Words.Column); nil = all
	Sort      string   `toml:"sort"`      // a sort key (Words.Sort); "-" prefix = descending
	Theme     string   `toml:"theme"`     // the reviewer's theme (Words.Theme)
	Image     string   `toml:"image"`     // how images are drawn (Words.Image)
	// AutoAdvance moves the full-screen loupe to the next image after a verdict (P, X,
	// U, a quick tag), as Photo Mechanic and Lightroom can; A toggles it while reviewing.
	AutoAdvance bool `toml:"auto_advance"`
}

// Groups is the [groups] section: when two images count as the same picture or one burst
// (lightbox groups). Thresholds are bits of the 64-bit perceptual hash (package similar).
type Groups struct {
	NearThreshold  int           `toml:"near_threshold"`  // same picture at this distance or less, 0..32
	BurstThreshold int           `toml:"burst_threshold"` // one burst at this distance or less, 0..32
	BurstWindow    time.Duration `toml:"burst_window"`    // and taken this close in time; 0 = no bursts
}

// Default is the configuration used when there is no file, and the base a
// file's values are laid over. Cache and Journal are filled in when the user
// cache and state directories are known, else left empty.
func Default() Config {
	c := Config{
		Scoring: Scoring{
			Concurrency: 4,
			QPS:         10,
			Timeout:     30 * time.Second,
			Retries:     5,
			Scorer:      "cos",
			AskAbove:    300,
		},
		Curation: Curation{
			TrashPrefix: ".trash/",
			PromoteMode: "copy",
		},
		Review: Review{
			Threshold: 50,
			Sort:      "name",
			Theme:     "auto",
			Image:     "auto",
		},
		// Measured in package similar's tests (README "Groups").
		Groups: Groups{
			NearThreshold:  similar.DefaultOptions.Near,
			BurstThreshold: similar.DefaultOptions.Burst,
			BurstWindow:    similar.DefaultOptions.Window,
		},
		Keys:      map[string][]string{},
		QuickTags: map[string]string{},
	}
	c.fillPaths()
	return c
}

// fillPaths puts the derived default paths into empty path settings, and
// expands "~/" in the ones given.
func (c *Config) fillPaths() {
	if c.Scoring.Cache == "" {
		c.Scoring.Cache, _ = DefaultCachePath()
	}
	if c.Curation.Journal == "" {
		c.Curation.Journal, _ = DefaultJournalPath()
	}
	c.Scoring.Cache = expandHome(c.Scoring.Cache, "")
	c.Curation.Journal = expandHome(c.Curation.Journal, "")
	c.COS.COSCLIConfig = expandHome(c.COS.COSCLIConfig, "")
}

// Warning is a problem in the config file that does not stop lightbox, such
// as an unknown key. Line is 0 when unknown.
type Warning struct {
	Path    string
	Line    int
	Key     string
	Message string
}

func (w Warning) String() string {
	switch {
	case w.Path == "":
		return w.Message
	case w.Line > 0:
		return fmt.Sprintf("%s:%d: %s", w.Path, w.Line, w.Message)
	}
	return w.Path + ": " + w.Message
}

// Load reads the config file at path; "" means DefaultPath. A missing file
// gives Default() and no error; a missing file that was asked for by name
// (path or $LIGHTBOX_CONFIG) also gives a warning, as it is likely a typo.
// Unknown keys are warnings. Syntax errors, wrong types and values failing
// Validate (with words' judges) are errors naming the file and line. Config.Path is always
// set.
func Load(path string, words Words) (Config, []Warning, error) {
	named := path != "" || os.Getenv(EnvConfig) != ""
	if path == "" {
		p, err := DefaultPath()
		if err != nil {
			// Without a config dir there is nowhere to look; defaults still work.
			return Default(), []Warning{{Message: "no user config directory (" + err.Error() + "); using default settings"}}, nil
		}
		path = p
	}
	path = expandHome(path, "")

	cfg := Default()
	cfg.Path = path
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		var warns []Warning
		if named {
			warns = append(warns, Warning{Path: path, Message: "config file does not exist; using default settings"})
		}
		return cfg, warns, nil
	}
	if err != nil {
		return cfg, nil, fmt.Errorf("config file: %w", err) // *PathError names the file
	}
	cfg.FileFound = true

	src := string(data)
	lines := keyLines(src)
	// Decode over empty paths so that `cache = ""` means "the default" too.
	cfg.Scoring.Cache, cfg.Curation.Journal = "", ""
	md, err := toml.Decode(src, &cfg)
	if err != nil {
		return failed(path), nil, decodeError(path, src, lines, err)
	}
	cfg.fillPaths()

	var warns []Warning
	for _, k := range topUndecoded(md.Undecoded()) {
		warns = append(warns, Warning{Path: path, Line: lines.find(k), Key: k.String(),
			Message: fmt.Sprintf("unknown setting %q, ignored", k.String())})
	}
	if warn, ok := permissionWarning(path, cfg.COS); ok {
		warns = append(warns, warn)
	}

	var errs []error
	// TOML decodes an integer into a Duration as nanoseconds: timeout = 30
	// would silently mean 30ns, so insist on a string.
	if md.Type("scoring", "timeout") == "Integer" {
		errs = append(errs, FieldError{Key: "scoring.timeout", Message: `write a duration string such as "30s" or "2m"`})
	}
	if md.Type("groups", "burst_window") == "Integer" {
		errs = append(errs, FieldError{Key: "groups.burst_window", Message: `write a duration string such as "10s" or "1m"`})
	}
	if err := cfg.Validate(words); err != nil {
		errs = append(errs, unjoin(err)...)
	}
	if len(errs) > 0 {
		for i, e := range errs {
			errs[i] = placeError(path, lines, e)
		}
		return failed(path), warns, errors.Join(errs...)
	}
	return cfg, warns, nil
}

// failed is what Load returns with an error: defaults, so that a caller
// ignoring the error still gets sane values, and the path for messages.
func failed(path string) Config {
	c := Default()
	c.Path = path
	return c
}

// topUndecoded drops keys below an undecoded key: an unknown [section] is
// reported once, not once per key in it.
func topUndecoded(keys []toml.Key) []toml.Key {
	var out []toml.Key
	for _, k := range keys {
		if len(out) > 0 && isPrefix(out[len(out)-1], k) {
			continue
		}
		out = append(out, k)
	}
	return out
}

func isPrefix(p, k toml.Key) bool {
	if len(p) > len(k) {
		return false
	}
	for i := range p {
		if p[i] != k[i] {
			return false
		}
	}
	return true
}

// permissionWarning flags a config file holding a secret that other users can read.
func permissionWarning(path string, c COS) (Warning, bool) {
	if runtime.GOOS == "windows" || (!c.SecretKey.IsSet() && !c.SessionToken.IsSet()) {
		return Warning{}, false // Windows file modes say nothing about other users.
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o044 == 0 {
		return Warning{}, false
	}
	return Warning{Path: path, Message: fmt.Sprintf(
		"%s is readable by other users and holds a secret key; run chmod 600 %s", filepath.Base(path), path)}, true
}

// fileError puts the file name in front of a TOML error.
type fileError struct {
	path string
	msg  string
	err  error
}

func (e *fileError) Error() string { return e.path + ": " + e.msg }
func (e *fileError) Unwrap() error { return e.err }

// decodeError turns a TOML error into "path:line: key: message". Parser
// messages quote the text they choke on, which for an unquoted secret_key is
// the secret itself, so an error on a secret's line gets a message of our own.
func decodeError(path, src string, lines lineIndex, err error) error {
	line, key, msg := 0, "", strings.TrimPrefix(err.Error(), "toml: ")
	var pe toml.ParseError
	if errors.As(err, &pe) {
		line, key, msg = pe.Position.Line, pe.LastKey, pe.Message
		if isSecretKey(key) || secretLine(src, line) {
			msg = "cannot read the value of a secret setting (not shown); write it as a quoted string: secret_key = \"...\""
		}
	} else if m := typeErrorRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		key, msg = m[2], m[3]
	}
	// Keys the library kept no position for (dotted keys) come without a
	// line; take it from our own index.
	if line == 0 && key != "" {
		line = lines.find(strings.Split(key, "."))
	}
	where := path
	if line > 0 {
		where = fmt.Sprintf("%s:%d", path, line)
	}
	if key != "" {
		msg = key + ": " + msg
	}
	return &fileError{path: where, msg: msg, err: err}
}

// typeErrorRE reads BurntSushi/toml's unstructured type errors:
// `line 3 (last key "scoring.qps"): incompatible types: ...`, line optional.
var typeErrorRE = regexp.MustCompile(`^(?:line (\d+) )?\(last key "([^"]*)"\): (.*)$`)

func isSecretKey(k string) bool {
	return strings.HasSuffix(k, "secret_key") || strings.HasSuffix(k, "session_token")
}

func secretLine(src string, n int) bool {
	lines := strings.Split(src, "\n")
	if n < 1 || n > len(lines) {
		return false
	}
	return strings.Contains(lines[n-1], "secret_key") || strings.Contains(lines[n-1], "session_token")
}

// FieldError is a setting with a bad value. Key is the dotted TOML key.
type FieldError struct {
	Key     string
	Message string
}

func (e FieldError) Error() string { return e.Key + ": " + e.Message }

// placeError adds the file and the line of the offending key to a FieldError.
func placeError(path string, lines lineIndex, err error) error {
	var fe FieldError
	if !errors.As(err, &fe) {
		return &fileError{path: path, msg: err.Error(), err: err}
	}
	if n := lines.find(strings.Split(fe.Key, ".")); n > 0 {
		return &fileError{path: fmt.Sprintf("%s:%d", path, n), msg: err.Error(), err: err}
	}
	return &fileError{path: path, msg: err.Error(), err: err}
}

// unjoin undoes errors.Join so each error can be placed on its own line.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
