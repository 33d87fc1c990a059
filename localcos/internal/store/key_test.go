package store

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckKey(t *testing.T) {
	long := strings.Repeat("a", 200) + "/"
	tests := []struct {
		key    string
		reason string // "" = accepted
	}{
		{"photo.jpg", ""},
		{"a/b/c.jpg", ""},
		{"a/", ""},
		{"a/b/", ""},
		{"照片/2019/猫.jpg", ""},
		{"emoji/🐈‍⬛.png", ""},
		{"with space.jpg", ""},
		{"a+b.jpg", ""},
		{"what?.jpg", ""},
		{"100%.jpg", ""},
		{"-/.x/..y/...", ""},
		{"a/.lightbox-cos/ok", ""},
		{".lightbox-cosx", ""},
		{"two\nlines.jpg", ""}, // legal file names: listed (escaped on screen), never dropped
		{"tab\there", ""},
		{"del\x7f", ""},
		{strings.Repeat("x", 255), ""},
		{strings.Repeat(long, 4) + strings.Repeat("b", MaxKeyBytes-4*len(long)), ""},

		{"", "empty"},
		{strings.Repeat("a/", 425) + "b", "limit"},
		{"bad\xffutf8", "UTF-8"},
		{"a\x00b", "control"},
		{"/etc/passwd", "starts with /"},
		{"/", "starts with /"},
		{"a//b", "empty segment"},
		{"a//", "empty segment"},
		{".", `"."`},
		{"..", `".."`},
		{"../x", `".."`},
		{"a/../../x", `".."`},
		{"a/./b", `"."`},
		{"a/..", `".."`},
		{"a/../", `".."`},
		{strings.Repeat("x", 256), "255"},
		{"a/" + strings.Repeat("x", 256) + "/b", "255"},
		{".lightbox-cos", "reserved"},
		{".lightbox-cos/", "reserved"},
		{".lightbox-cos/meta.db", "reserved"},
		{".LightBox-COS/meta.db", "reserved"},
	}
	for _, tt := range tests {
		err := CheckKey(tt.key)
		if tt.reason == "" {
			if err != nil {
				t.Errorf("CheckKey(%q) = %v, want nil", tt.key, err)
			}
			continue
		}
		var ke *KeyError
		if !errors.As(err, &ke) || !errors.Is(err, ErrInvalidKey) {
			t.Errorf("CheckKey(%q) = %v, want a *KeyError", tt.key, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("CheckKey(%q) = %q, want the reason to mention %q", tt.key, err, tt.reason)
		}
	}
}
