package cosrules

import (
	"strings"
	"testing"
)

func TestParseTagTrimsAndKeepsLaterEquals(t *testing.T) {
	tag, err := ParseTag(" review = keep=yes ")
	if err != nil || tag != (Tag{"review", "keep=yes"}) {
		t.Errorf("ParseTag = %+v, %v", tag, err)
	}
	for _, bad := range []string{"novalue", "=x", "k=<b>", strings.Repeat("k", MaxTagKeyChars+1) + "=v"} {
		if _, err := ParseTag(bad); err == nil {
			t.Errorf("ParseTag(%q) accepted", bad)
		}
	}
}

func TestCheckTags(t *testing.T) {
	if err := CheckTags([]Tag{{"a", "1"}, {"a", "2"}}); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate keys: %v", err)
	}
	many := make([]Tag, MaxTags+1)
	for i := range many {
		many[i] = Tag{Key: string(rune('a' + i)), Value: "v"}
	}
	if err := CheckTags(many); err == nil {
		t.Error("11 tags accepted")
	}
	if err := CheckTags([]Tag{{"flag", "pick"}, {"中文", "值 +-=._:/@"}}); err != nil {
		t.Errorf("valid tags refused: %v", err)
	}
}

func TestValidBucket(t *testing.T) {
	for name, want := range map[string]bool{
		"photos-1250000000": true, "a-b-1": true, "Photos-1": false, "photos": false,
		"photos-": false, "-1": false, "photos-12a": false, strings.Repeat("a", 58) + "-12": false,
	} {
		if got := ValidBucket(name); got != want {
			t.Errorf("ValidBucket(%q) = %v", name, got)
		}
	}
}
