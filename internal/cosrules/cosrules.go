// Package cosrules holds COS's naming rules for tags and buckets: one leaf that the embedded
// server, the client, the config file and the key bindings all check against, so that they
// can never disagree about what COS accepts.
package cosrules

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// COS's limits on object tags.
const (
	MaxTags          = 10
	MaxTagKeyChars   = 127
	MaxTagValueChars = 255
)

// Tag is one object tag. The JSON names are the journal's on-disk form.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

func (t Tag) String() string { return t.Key + "=" + t.Value }

// ValidTagText reports whether s uses only what COS allows in tags: letters (any script),
// digits, spaces and + - = . _ : / @.
func ValidTagText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune(" +-=._:/@", c) {
			return false
		}
	}
	return true
}

// CheckTag applies COS's rules to one tag.
func CheckTag(t Tag) error {
	switch n := utf8.RuneCountInString(t.Key); {
	case n == 0:
		return fmt.Errorf("a tag key is empty (value %q)", t.Value)
	case n > MaxTagKeyChars:
		return fmt.Errorf("tag key %q is %d characters; COS allows at most %d", t.Key, n, MaxTagKeyChars)
	}
	if n := utf8.RuneCountInString(t.Value); n > MaxTagValueChars {
		return fmt.Errorf("the value of tag %q is %d characters; COS allows at most %d", t.Key, n, MaxTagValueChars)
	}
	if !ValidTagText(t.Key) || !ValidTagText(t.Value) {
		return fmt.Errorf("tag %q=%q: COS allows letters, digits, spaces and + - = . _ : / @ only", t.Key, t.Value)
	}
	return nil
}

// CheckTags applies COS's rules to an object's whole tag set.
func CheckTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return fmt.Errorf("would have %d tags; COS allows at most %d per object", len(tags), MaxTags)
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if err := CheckTag(t); err != nil {
			return err
		}
		if seen[t.Key] {
			return fmt.Errorf("tag key %q appears twice", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// ParseTag splits "key=value" into a checked, trimmed tag (a quick tag, a tag typed in the
// reviewer).
func ParseTag(s string) (Tag, error) {
	k, v, ok := strings.Cut(s, "=")
	t := Tag{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v)}
	switch {
	case !ok:
		return Tag{}, fmt.Errorf("tag %q is not key=value", s)
	case t.Key == "":
		return Tag{}, fmt.Errorf("tag %q has an empty key", s)
	}
	if err := CheckTag(t); err != nil {
		return Tag{}, err
	}
	return t, nil
}

// ValidBucket reports whether name is a COS bucket name, NAME-APPID: lower-case letters,
// digits and hyphens, then a hyphen and the numeric APPID, 60 characters at most.
func ValidBucket(name string) bool {
	i := strings.LastIndexByte(name, '-')
	if i <= 0 || i == len(name)-1 || len(name) > 60 {
		return false
	}
	for _, c := range name[:i] {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
