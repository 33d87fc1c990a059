package cosapi

import (
	"strings"
	"testing"
)

// TestSwitches checks that every word the registry knows for a score asks the API for that
// score alone, and that a word it does not know is refused before any call.
func TestSwitches(t *testing.T) {
	for only, want := range map[string]string{
		"":                   "ci-process=AssessQuality",
		"clarity":            "ci-process=AssessQuality&enable_clarity=true",
		"Aesthetics":         "ci-process=AssessQuality&enable_aesthetics=true",
		"aesthetic":          "ci-process=AssessQuality&enable_aesthetics=true",
		"content":            "ci-process=AssessQuality&enable_lowquality=true",
		"low-quality":        "ci-process=AssessQuality&enable_lowquality=true",
		"clarity,LOWQUALITY": "ci-process=AssessQuality&enable_clarity=true&enable_lowquality=true",
	} {
		var words []string
		if only != "" {
			words = strings.Split(only, ",")
		}
		got, err := switches(words)
		if err != nil || got != want {
			t.Errorf("switches(%q) = %q, %v; want %q", only, got, err, want)
		}
	}
	_, err := switches([]string{"sharpness"})
	if err == nil || !strings.Contains(err.Error(), `"sharpness"`) || !strings.Contains(err.Error(), "clarity, aesthetic, content") {
		t.Errorf("switches(sharpness) error = %v", err)
	}
}
