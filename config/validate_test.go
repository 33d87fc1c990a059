package config

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	cases := []struct {
		name    string
		mutate  func(*Config)
		wantKey string // "" = valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"region ok", func(c *Config) { c.COS.Region = "ap-beijing-1" }, ""},
		{"region bad", func(c *Config) { c.COS.Region = "guangzhou" }, "cos.region"},
		{"region host", func(c *Config) { c.COS.Region = "cos.ap-guangzhou.myqcloud.com" }, "cos.region"},
		{"endpoint ok", func(c *Config) { c.COS.Endpoint = "http://127.0.0.1:7070/" }, ""},
		{"endpoint no scheme", func(c *Config) { c.COS.Endpoint = "127.0.0.1:7070" }, "cos.endpoint"},
		{"endpoint path", func(c *Config) { c.COS.Endpoint = "http://h/x" }, "cos.endpoint"},
		{"concurrency 1", func(c *Config) { c.Scoring.Concurrency = 1 }, ""},
		{"concurrency 64", func(c *Config) { c.Scoring.Concurrency = 64 }, ""},
		{"concurrency 0", func(c *Config) { c.Scoring.Concurrency = 0 }, "scoring.concurrency"},
		{"concurrency 65", func(c *Config) { c.Scoring.Concurrency = 65 }, "scoring.concurrency"},
		{"qps small", func(c *Config) { c.Scoring.QPS = 0.1 }, ""},
		{"qps 0", func(c *Config) { c.Scoring.QPS = 0 }, "scoring.qps"},
		{"qps nan", func(c *Config) { c.Scoring.QPS = math.NaN() }, "scoring.qps"},
		{"qps inf", func(c *Config) { c.Scoring.QPS = math.Inf(1) }, "scoring.qps"},
		{"max_calls -1", func(c *Config) { c.Scoring.MaxCalls = -1 }, "scoring.max_calls"},
		{"timeout 0", func(c *Config) { c.Scoring.Timeout = 0 }, "scoring.timeout"},
		{"retries 0", func(c *Config) { c.Scoring.Retries = 0 }, ""},
		{"retries -1", func(c *Config) { c.Scoring.Retries = -1 }, "scoring.retries"},
		{"retries 51", func(c *Config) { c.Scoring.Retries = 51 }, "scoring.retries"},
		{"trash empty", func(c *Config) { c.Curation.TrashPrefix = "" }, "curation.trash_prefix"},
		{"trash empty hard", func(c *Config) { c.Curation.TrashPrefix = ""; c.Curation.HardDelete = true }, ""},
		{"trash no slash", func(c *Config) { c.Curation.TrashPrefix = ".trash" }, "curation.trash_prefix"},
		{"trash leading slash", func(c *Config) { c.Curation.TrashPrefix = "/trash/" }, "curation.trash_prefix"},
		{"promote prefix", func(c *Config) { c.Curation.PromoteTo = "best/" }, ""},
		{"promote bucket", func(c *Config) { c.Curation.PromoteTo = "COS://best-1250000000/a/b/" }, ""},
		{"promote bucket root", func(c *Config) { c.Curation.PromoteTo = "cos://best-1250000000/" }, ""},
		{"promote no slash", func(c *Config) { c.Curation.PromoteTo = "best" }, "curation.promote_to"},
		{"promote bad bucket", func(c *Config) { c.Curation.PromoteTo = "cos://best/a/" }, "curation.promote_to"},
		{"promote leading slash", func(c *Config) { c.Curation.PromoteTo = "/best/" }, "curation.promote_to"},
		{"mode move", func(c *Config) { c.Curation.PromoteMode = "move" }, ""},
		{"mode bad", func(c *Config) { c.Curation.PromoteMode = "link" }, "curation.promote_mode"},
		{"threshold 0", func(c *Config) { c.Review.Threshold = 0 }, ""},
		{"threshold 100", func(c *Config) { c.Review.Threshold = 100 }, ""},
		{"threshold 101", func(c *Config) { c.Review.Threshold = 101 }, "review.threshold"},
		{"threshold -1", func(c *Config) { c.Review.Threshold = -1 }, "review.threshold"},
		{"columns left out", func(c *Config) { c.Review.Columns = nil }, ""},
		{"columns none", func(c *Config) { c.Review.Columns = []string{} }, "review.columns"},
		{"columns alias", func(c *Config) { c.Review.Columns = []string{"name", "Speed"} }, ""},
		{"columns twice as alias", func(c *Config) { c.Review.Columns = []string{"speed", "Speed"} }, "review.columns"},
		{"columns unknown", func(c *Config) { c.Review.Columns = []string{"name", "colour"} }, "review.columns"},
		{"columns twice", func(c *Config) { c.Review.Columns = []string{"name", "name"} }, "review.columns"},
		{"sort desc", func(c *Config) { c.Review.Sort = "-time" }, ""},
		{"sort bad", func(c *Config) { c.Review.Sort = "date" }, "review.sort"},
		{"sort double dash", func(c *Config) { c.Review.Sort = "--name" }, "review.sort"},
		{"theme bad", func(c *Config) { c.Review.Theme = "pink" }, "review.theme"},
		{"image kitty", func(c *Config) { c.Review.Image = "kitty" }, ""},
		{"image bad", func(c *Config) { c.Review.Image = "sixel" }, "review.image"},
		{"keys ok", func(c *Config) { c.Keys = map[string][]string{"up": {"k", "up"}, "unbound": {}} }, ""},
		{"keys empty name", func(c *Config) { c.Keys = map[string][]string{"up": {"k", " "}} }, "keys.up"},
		{"quick tag ok", func(c *Config) { c.QuickTags = map[string]string{"0": "a=", "9": "review=keep"} }, ""},
		{"quick tag key", func(c *Config) { c.QuickTags = map[string]string{"10": "a=b"} }, "quick_tags.10"},
		{"quick tag letter", func(c *Config) { c.QuickTags = map[string]string{"a": "a=b"} }, "quick_tags.a"},
		{"quick tag no =", func(c *Config) { c.QuickTags = map[string]string{"1": "keep"} }, "quick_tags.1"},
		{"quick tag empty key", func(c *Config) { c.QuickTags = map[string]string{"1": " =keep"} }, "quick_tags.1"},
		{"quick tag long", func(c *Config) { c.QuickTags = map[string]string{"1": strings.Repeat("k", 129) + "=v"} }, "quick_tags.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := Default()
			c.mutate(&cfg)
			err := cfg.Validate(testWords)
			if c.wantKey == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var fe FieldError
			if !errors.As(err, &fe) || fe.Key != c.wantKey {
				t.Fatalf("error %v, want one for %s", err, c.wantKey)
			}
			if len(unjoin(err)) != 1 {
				t.Errorf("want exactly one error, got %v", err)
			}
		})
	}
}

func TestValidateReportsAll(t *testing.T) {
	cfg := Default()
	cfg.Scoring.Concurrency = 0
	cfg.Review.Theme = "x"
	cfg.Curation.PromoteMode = "x"
	if n := len(unjoin(cfg.Validate(testWords))); n != 3 {
		t.Errorf("got %d errors, want 3", n)
	}
}

func TestParsePromoteTo(t *testing.T) {
	cases := []struct{ in, bucket, prefix string }{
		{"", "", ""},
		{"best/", "", "best/"},
		{"a/b/", "", "a/b/"},
		{"cos://best-1250000000/picked/", "best-1250000000", "picked/"},
		{"Cos://best-1250000000", "best-1250000000", ""},
	}
	for _, c := range cases {
		b, p, err := ParsePromoteTo(c.in)
		if err != nil || b != c.bucket || p != c.prefix {
			t.Errorf("ParsePromoteTo(%q) = %q, %q, %v", c.in, b, p, err)
		}
	}
}
