package config

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"lightbox/internal/cosrules"
)

// Limits enforced by Validate.
const (
	MaxConcurrency = 64
	MaxRetries     = 50
)

// Validate checks every setting's range and form, the words of [review] through words'
// judges. The error joins one FieldError per bad setting (errors.As finds them), so a
// user fixes all at once.
func (c Config) Validate(words Words) error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, FieldError{Key: key, Message: fmt.Sprintf(format, args...)})
	}

	if c.COS.Region != "" {
		if err := checkRegion(c.COS.Region); err != nil {
			bad("cos.region", "%v", err)
		}
	}
	if c.COS.Endpoint != "" {
		if _, err := NormalizeEndpoint(c.COS.Endpoint); err != nil {
			bad("cos.endpoint", "%v", err)
		}
	}

	s := c.Scoring
	if s.Concurrency < 1 || s.Concurrency > MaxConcurrency {
		bad("scoring.concurrency", "must be 1..%d (got %d)", MaxConcurrency, s.Concurrency)
	}
	if !(s.QPS > 0) || math.IsInf(s.QPS, 0) {
		bad("scoring.qps", "must be a number above 0 (got %v)", s.QPS)
	}
	if s.MaxCalls < 0 {
		bad("scoring.max_calls", "must be 0 (no cap) or more (got %d)", s.MaxCalls)
	}
	if s.Timeout <= 0 {
		bad("scoring.timeout", "must be above 0, such as \"30s\" (got %v)", s.Timeout)
	}
	if s.Scorer != "cos" && s.Scorer != "local" {
		bad("scoring.scorer", "must be cos or local (got %q)", s.Scorer)
	}
	if s.AskAbove < 0 {
		bad("scoring.ask_above", "must be 0 (never ask) or more (got %d)", s.AskAbove)
	}
	if !(s.PricePer1000 >= 0) || math.IsInf(s.PricePer1000, 0) {
		bad("scoring.price_per_1000", "must be 0 (unknown) or a price above 0 (got %v)", s.PricePer1000)
	}
	if s.Retries < 0 || s.Retries > MaxRetries {
		bad("scoring.retries", "must be 0..%d (got %d)", MaxRetries, s.Retries)
	}

	cu := c.Curation
	switch {
	case cu.TrashPrefix == "" && !cu.HardDelete:
		bad("curation.trash_prefix", "must be set (such as \".trash/\") unless hard_delete = true")
	case cu.TrashPrefix == "":
	case strings.HasPrefix(cu.TrashPrefix, "/"):
		bad("curation.trash_prefix", "must not start with / (got %q): COS keys have no leading slash", cu.TrashPrefix)
	case !strings.HasSuffix(cu.TrashPrefix, "/"):
		bad("curation.trash_prefix", "must end with / (got %q)", cu.TrashPrefix)
	}
	if _, _, err := ParsePromoteTo(cu.PromoteTo); err != nil {
		bad("curation.promote_to", "%v; write \"prefix/\" for this bucket or \"cos://bucket-appid/prefix/\"", err)
	}
	if cu.PromoteMode != "copy" && cu.PromoteMode != "move" {
		bad("curation.promote_mode", "must be copy or move (got %q)", cu.PromoteMode)
	}

	r := c.Review
	if r.Threshold < 0 || r.Threshold > 100 {
		bad("review.threshold", "must be 0..100 (got %d)", r.Threshold)
	}
	if r.Columns != nil && len(r.Columns) == 0 {
		bad("review.columns", "must list at least one column, or be left out for all of them")
	}
	var seen []string
	for _, col := range r.Columns {
		canon := col
		if words.Column != nil {
			var err error
			if canon, err = words.Column(col); err != nil {
				bad("review.columns", "%v", err)
				continue
			}
		}
		if slices.Contains(seen, canon) {
			bad("review.columns", "column %q is listed twice", col)
		}
		seen = append(seen, canon)
	}
	for _, w := range []struct {
		key, value string
		judge      func(string) error
	}{{"review.sort", r.Sort, words.Sort}, {"review.theme", r.Theme, words.Theme}, {"review.image", r.Image, words.Image}} {
		if w.judge == nil {
			continue
		}
		if err := w.judge(w.value); err != nil {
			bad(w.key, "%v", err)
		}
	}

	g := c.Groups
	if g.NearThreshold < 0 || g.NearThreshold > 32 {
		bad("groups.near_threshold", "must be 0..32 bits (got %d)", g.NearThreshold)
	}
	if g.BurstThreshold < 0 || g.BurstThreshold > 32 {
		bad("groups.burst_threshold", "must be 0..32 bits (got %d)", g.BurstThreshold)
	}
	if g.BurstWindow < 0 {
		bad("groups.burst_window", "must be 0 (no bursts) or more, such as \"10s\" (got %v)", g.BurstWindow)
	}

	for _, action := range slices.Sorted(maps.Keys(c.Keys)) {
		for _, k := range c.Keys[action] {
			if strings.TrimSpace(k) == "" {
				bad("keys."+action, "has an empty key name")
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(c.QuickTags)) {
		if len(k) != 1 || k[0] < '0' || k[0] > '9' {
			bad("quick_tags."+k, "quick tag keys are \"0\"..\"9\" (got %q)", k)
		}
		if _, err := cosrules.ParseTag(c.QuickTags[k]); err != nil {
			bad("quick_tags."+k, "%v; write \"key=value\", such as \"review=keep\"", err)
		}
	}
	return errors.Join(errs...)
}
