package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The model file is minified JavaScript: the topology and manifest are an object literal
// with unquoted keys, !0/!1 for booleans and numbers such as .5 or 123e-20, so it is not
// JSON. This is a small parser for exactly that subset of JavaScript literals. Objects
// become map[string]any, arrays []any, numbers float64, strings string, booleans bool
// and null/undefined nil.

type jsParser struct {
	s   string
	pos int
}

// parseJSLiteralAt parses the literal that starts at s[start] and returns it.
func parseJSLiteralAt(s string, start int) (any, error) {
	p := &jsParser{s: s, pos: start}
	return p.value()
}

// findObjectWithKey returns the offset of the '{' opening the object literal that has
// key as its first key, e.g. "modelTopology" in `a.exports={modelTopology:{...`.
func findObjectWithKey(s, key string) (int, error) {
	for from := 0; ; {
		i := strings.Index(s[from:], key)
		if i < 0 {
			return 0, fmt.Errorf("no object with key %q", key)
		}
		i += from
		j := i - 1
		if j >= 0 && (s[j] == '"' || s[j] == '\'') {
			j--
		}
		for j >= 0 && isSpace(s[j]) {
			j--
		}
		if j >= 0 && s[j] == '{' {
			return j, nil
		}
		from = i + len(key)
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *jsParser) errorf(format string, args ...any) error {
	return fmt.Errorf("js literal at offset %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *jsParser) skipSpace() {
	for p.pos < len(p.s) && isSpace(p.s[p.pos]) {
		p.pos++
	}
}

func (p *jsParser) peek() byte {
	p.skipSpace()
	if p.pos >= len(p.s) {
		return 0
	}
	return p.s[p.pos]
}

func (p *jsParser) consumeWord(w string) bool {
	if strings.HasPrefix(p.s[p.pos:], w) {
		end := p.pos + len(w)
		if end == len(p.s) || !isIdentByte(p.s[end]) {
			p.pos = end
			return true
		}
	}
	return false
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *jsParser) value() (any, error) {
	c := p.peek()
	switch {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"' || c == '\'':
		return p.str()
	case c == '!':
		// Minifiers write true as !0 and false as !1.
		p.pos++
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		return !truthy(v), nil
	case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
		return p.number()
	}
	for _, w := range []struct {
		word string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}, {"undefined", nil}} {
		if p.consumeWord(w.word) {
			return w.v, nil
		}
	}
	if p.consumeWord("void") {
		if _, err := p.value(); err != nil {
			return nil, err
		}
		return nil, nil
	}
	return nil, p.errorf("unexpected %q", c)
}

func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case float64:
		return v != 0 && v == v
	case string:
		return v != ""
	}
	return true
}

func (p *jsParser) object() (any, error) {
	p.pos++ // '{'
	m := map[string]any{}
	for {
		c := p.peek()
		if c == '}' {
			p.pos++
			return m, nil
		}
		var key string
		switch {
		case c == '"' || c == '\'':
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			key = k
		case isIdentByte(c):
			start := p.pos
			for p.pos < len(p.s) && isIdentByte(p.s[p.pos]) {
				p.pos++
			}
			key = p.s[start:p.pos]
		default:
			return nil, p.errorf("bad object key start %q", c)
		}
		if p.peek() != ':' {
			return nil, p.errorf("expected ':' after key %q", key)
		}
		p.pos++
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if _, dup := m[key]; dup {
			return nil, p.errorf("duplicate key %q", key)
		}
		m[key] = v
		if err := p.separator('}', "object"); err != nil {
			return nil, err
		}
	}
}

// separator consumes the ',' after an element of an object or array, or leaves its
// closing bracket for the caller's loop.
func (p *jsParser) separator(closing byte, in string) error {
	switch p.peek() {
	case ',':
		p.pos++
	case closing:
	default:
		return p.errorf("expected ',' or '%c' in %s", closing, in)
	}
	return nil
}

func (p *jsParser) array() (any, error) {
	p.pos++ // '['
	a := []any{}
	for {
		if p.peek() == ']' {
			p.pos++
			return a, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		if err := p.separator(']', "array"); err != nil {
			return nil, err
		}
	}
}

func (p *jsParser) number() (any, error) {
	start := p.pos
	neg := false
	for p.pos < len(p.s) && (p.s[p.pos] == '-' || p.s[p.pos] == '+') {
		if p.s[p.pos] == '-' {
			neg = !neg
		}
		p.pos++
	}
	p.skipSpace()
	numStart := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' ||
			(c == '-' || c == '+') && p.pos > numStart && (p.s[p.pos-1] == 'e' || p.s[p.pos-1] == 'E') {
			p.pos++
			continue
		}
		break
	}
	lit := p.s[numStart:p.pos]
	if lit == "" {
		p.pos = start
		return nil, p.errorf("bad number")
	}
	// strconv accepts the JavaScript decimal forms used here (".5", "5.", "1e-20") and,
	// like JavaScript, rounds to the nearest float64.
	v, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return nil, p.errorf("bad number %q", lit)
	}
	if neg {
		v = -v
	}
	return v, nil
}

func (p *jsParser) str() (string, error) {
	q := p.s[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == q:
			p.pos++
			return b.String(), nil
		case c == '\\':
			if p.pos+1 >= len(p.s) {
				return "", p.errorf("unterminated escape")
			}
			e := p.s[p.pos+1]
			p.pos += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'v':
				b.WriteByte('\v')
			case '0':
				b.WriteByte(0)
			case 'u', 'x':
				r, err := p.hexEscape(e)
				if err != nil {
					return "", err
				}
				b.WriteRune(r)
			default:
				b.WriteByte(e)
			}
		default:
			r, n := utf8.DecodeRuneInString(p.s[p.pos:])
			b.WriteRune(r)
			p.pos += n
		}
	}
	return "", p.errorf("unterminated string")
}

// hexEscape reads the hex digits of a \u (four) or \x (two) escape, kind being 'u' or 'x'.
func (p *jsParser) hexEscape(kind byte) (rune, error) {
	n := 4
	if kind == 'x' {
		n = 2
	}
	if p.pos+n > len(p.s) {
		return 0, p.errorf("short \\%c escape", kind)
	}
	r, err := strconv.ParseUint(p.s[p.pos:p.pos+n], 16, 32)
	if err != nil {
		return 0, p.errorf("bad \\%c escape", kind)
	}
	p.pos += n
	return rune(r), nil
}
