package cossign

import (
	"net/http"
	"net/url"
	"testing"
)

// RequireCovered is shared with the SigV4 verifier, which passes plain lower-case names.
func TestRequireCovered(t *testing.T) {
	h := http.Header{"X-Amz-Date": {"x"}, "X-Amz-Content-Sha256": {"y"}, "Content-Type": {"a"}, "X-Amz-Security-Token": {"t"}}
	q := url.Values{"X-Amz-Signature": {"s"}, "tagging": {""}}
	if err := RequireCovered(h, q, []string{"host", "x-amz-date", "x-amz-content-sha256"}, []string{"tagging"}); err != nil {
		t.Fatal(err)
	}
	wantProblem(t, RequireCovered(h, q, []string{"x-amz-date"}, []string{"tagging"}), CodeHeaderNotSigned, "x-amz-content-sha256")
	wantProblem(t, RequireCovered(h, q, []string{"x-amz-date", "x-amz-content-sha256"}, nil), CodeParameterNotSigned, "tagging")
	// COS lists hold encoded names.
	q = url.Values{"a b": {"1"}}
	if err := RequireCovered(nil, q, nil, []string{"a%20b"}); err != nil {
		t.Fatal(err)
	}
}
