package pctenc

import "testing"

func TestEncodeKeepsWhatTheRuleKeeps(t *testing.T) {
	keepSlash := func(c byte) bool { return Unreserved(c) || c == '/' }
	for _, tc := range []struct {
		in   string
		keep func(byte) bool
		want string
	}{
		{"a b/+~", Unreserved, "a%20b%2F%2B~"},
		{"a b/+", keepSlash, "a%20b/%2B"},
		{"AZaz09-_.~", Unreserved, "AZaz09-_.~"},
		{"图", Unreserved, "%E5%9B%BE"},
		{"AZaz09", Unreserved, "AZaz09"},
		{"", Unreserved, ""},
		{"\x00\xff", Unreserved, "%00%FF"},
		// What COS signing needs and url.QueryEscape gets wrong: sub-delims and ':' encoded.
		{"!'()*", Unreserved, "%21%27%28%29%2A"},
		{"a b+c/?.txt", Unreserved, "a%20b%2Bc%2F%3F.txt"},
		{"127.0.0.1:80", Unreserved, "127.0.0.1%3A80"},
	} {
		if got := Encode(tc.in, tc.keep); got != tc.want {
			t.Errorf("Encode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
