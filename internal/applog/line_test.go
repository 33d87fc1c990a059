package applog

import (
	"bytes"
	"testing"
)

func TestLineRoundTrip(t *testing.T) {
	for _, p := range []string{"", "x", `{"a":1,"b":"c d"}`, "tab\there"} {
		line := appendLine(nil, []byte(p))
		if line[len(line)-1] != '\n' {
			t.Fatalf("%q: no trailing newline", line)
		}
		got, ok := parseLine(line[:len(line)-1])
		if !ok || string(got) != p {
			t.Fatalf("%q: parsed %q, %v", p, got, ok)
		}
	}
}

func TestParseLineRejectsDamage(t *testing.T) {
	good := appendLine(nil, []byte(`{"k":"v"}`))
	good = good[:len(good)-1]
	flip := bytes.Clone(good)
	flip[len(flip)-2] ^= 1
	upper := bytes.ToUpper(good[:sumLen])
	for name, line := range map[string][]byte{
		"bit flip":    flip,
		"truncated":   good[:len(good)-3],
		"only sum":    good[:sumLen],
		"no space":    append(bytes.Clone(good[:sumLen]), good[sumLen+1:]...),
		"not hex":     append([]byte("zzzzzzzz "), good[sumLen+1:]...),
		"upper hex":   append(upper, good[sumLen:]...),
		"nul garbage": make([]byte, 40),
	} {
		if _, ok := parseLine(line); ok {
			t.Errorf("%s: %q accepted", name, line)
		}
	}
}

func TestEncodeRefusesNewline(t *testing.T) {
	if _, err := encode([][]byte{[]byte("a\nb")}, false); err == nil {
		t.Fatal("a payload with a newline was accepted")
	}
	buf, err := encode([][]byte{[]byte("a"), []byte("b")}, true)
	if err != nil || buf[0] != '\n' || bytes.Count(buf, []byte("\n")) != 3 {
		t.Fatalf("encode = %q, %v", buf, err)
	}
}
