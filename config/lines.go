package config

import (
	"strings"

	"github.com/BurntSushi/toml"
)

// lineIndex maps TOML keys to the line defining them. BurntSushi/toml keeps
// key positions private, yet a warning about an unknown key is only useful
// with its line, so this is a small scanner of its own. It understands table
// headers, dotted and quoted keys, and skips multi-line strings and arrays; a
// key it cannot place gets line 0.
type lineIndex map[string]int

func joinKey(k []string) string { return strings.Join(k, "\x00") }

// find returns the line of key k, else of the first key under it (an implicit
// table such as foo in [foo.bar] has no line of its own), else of the nearest
// key above it (a key inside an inline table), else 0.
func (ix lineIndex) find(k toml.Key) int {
	if n, ok := ix[joinKey(k)]; ok {
		return n
	}
	prefix := joinKey(k) + "\x00"
	best := 0
	for key, n := range ix {
		if strings.HasPrefix(key, prefix) && (best == 0 || n < best) {
			best = n
		}
	}
	for i := len(k) - 1; best == 0 && i > 0; i-- {
		best = ix[joinKey(k[:i])]
	}
	return best
}

func keyLines(src string) lineIndex {
	ix := lineIndex{}
	var table []string
	sc := valueScanner{}
	for i, line := range strings.Split(src, "\n") {
		n := i + 1
		if sc.open() {
			sc.scan(line)
			continue
		}
		t := strings.TrimSpace(line)
		switch {
		case t == "" || t[0] == '#':
		case t[0] == '[':
			inner := strings.TrimPrefix(t, "[")
			inner = strings.TrimPrefix(inner, "[")
			end := closingBracket(inner)
			if end < 0 {
				continue
			}
			if key, ok := splitKey(inner[:end]); ok {
				table = key
				if _, seen := ix[joinKey(key)]; !seen {
					ix[joinKey(key)] = n
				}
			}
		default:
			eq := keyEnd(t)
			if eq < 0 {
				continue
			}
			key, ok := splitKey(t[:eq])
			if !ok {
				continue
			}
			full := append(append([]string{}, table...), key...)
			if _, seen := ix[joinKey(full)]; !seen {
				ix[joinKey(full)] = n
			}
			sc.scan(t[eq+1:])
		}
	}
	return ix
}

// closingBracket finds the "]" ending a table header, skipping quoted parts.
func closingBracket(s string) int { return unquotedIndex(s, ']') }

// keyEnd finds the "=" after a key, skipping quoted parts.
func keyEnd(s string) int { return unquotedIndex(s, '=') }

// unquotedIndex finds the first target byte outside TOML quotes ("..." with escapes, or
// '...' literal), or -1.
func unquotedIndex(s string, target byte) int {
	var q byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case q != 0:
			if c == '\\' && q == '"' {
				i++
			} else if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == target:
			return i
		}
	}
	return -1
}

// splitKey splits a dotted key into its parts, unquoting quoted parts.
func splitKey(s string) ([]string, bool) {
	var parts []string
	s = strings.TrimSpace(s)
	for {
		if s == "" {
			return nil, false
		}
		var part string
		switch s[0] {
		case '"', '\'':
			q := s[0]
			i := 1
			var b strings.Builder
			for ; i < len(s) && s[i] != q; i++ {
				if q == '"' && s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, false
			}
			part, s = b.String(), s[i+1:]
		default:
			i := strings.IndexAny(s, ". \t")
			if i < 0 {
				i = len(s)
			}
			part, s = s[:i], s[i:]
		}
		parts = append(parts, part)
		s = strings.TrimSpace(s)
		if s == "" {
			return parts, true
		}
		if s[0] != '.' {
			return nil, false
		}
		s = strings.TrimSpace(s[1:])
	}
}

// valueScanner follows a value across lines: multi-line strings and arrays
// (and TOML 1.1 multi-line inline tables) whose lines must not be read as keys.
type valueScanner struct {
	str   string // the open multi-line string's delimiter, """ or '''
	depth int    // open [ and { brackets
}

func (v *valueScanner) open() bool { return v.str != "" || v.depth > 0 }

func (v *valueScanner) scan(s string) {
	for i := 0; i < len(s); i++ {
		if v.str != "" {
			if v.str == `"""` && s[i] == '\\' {
				i++
				continue
			}
			if strings.HasPrefix(s[i:], v.str) {
				i += 2
				v.str = ""
			}
			continue
		}
		switch c := s[i]; c {
		case '#':
			return
		case '[', '{':
			v.depth++
		case ']', '}':
			if v.depth > 0 {
				v.depth--
			}
		case '"', '\'':
			if strings.HasPrefix(s[i:], strings.Repeat(string(c), 3)) {
				v.str = strings.Repeat(string(c), 3)
				i += 2
				continue
			}
			// A single-line string: skip to its end.
			for i++; i < len(s) && s[i] != c; i++ {
				if c == '"' && s[i] == '\\' {
					i++
				}
			}
		}
	}
}
