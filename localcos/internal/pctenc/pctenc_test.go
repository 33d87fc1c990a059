package pctenc

import "testing"

func TestEncodeKeepsWhatTheRuleKeeps(t *testing.T) {
	keepSlash := func(c byte) bool { return Alnum(c) || c == '/' }
	for _, tc := range []struct {
		in   string
		keep func(byte) bool
		want string
	}{
		{"a b/+", Alnum, "a%20b%2F%2B"},
		{"a b/+", keepSlash, "a%20b/%2B"},
		{"图", Alnum, "%E5%9B%BE"},
		{"AZaz09", Alnum, "AZaz09"},
		{"", Alnum, ""},
		{"\x00\xff", Alnum, "%00%FF"},
	} {
		if got := Encode(tc.in, tc.keep); got != tc.want {
			t.Errorf("Encode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
