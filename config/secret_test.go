package config

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

const testSecret = "s3cr3tKEYvalue0123456789abcdefXY"

type holder struct {
	ID    string
	Key   Secret
	Token Secret `json:"token" yaml:"token" toml:"token" xml:"token"`
}

func TestSecretFormatting(t *testing.T) {
	s := Secret(testSecret)
	h := holder{ID: "AKIDpublic", Key: s, Token: s}
	hp := &h
	cases := map[string]string{
		"%v":        fmt.Sprintf("%v", s),
		"%+v":       fmt.Sprintf("%+v", s),
		"%#v":       fmt.Sprintf("%#v", s),
		"%s":        fmt.Sprintf("%s", s),
		"%q":        fmt.Sprintf("%q", s),
		"%x":        fmt.Sprintf("%x", s),
		"%X":        fmt.Sprintf("%X", s),
		"%d":        fmt.Sprintf("%d", s),
		"%10s":      fmt.Sprintf("%10s", s),
		"%-8v|":     fmt.Sprintf("%-8v|", s),
		"Sprint":    fmt.Sprint(s),
		"Sprintln":  fmt.Sprintln(s),
		"String":    s.String(),
		"GoString":  s.GoString(),
		"struct %v": fmt.Sprintf("%v", h),
		"struct+v":  fmt.Sprintf("%+v", h),
		"struct#v":  fmt.Sprintf("%#v", h),
		"ptr+v":     fmt.Sprintf("%+v", hp),
		"slice":     fmt.Sprintf("%v %q", []Secret{s}, []Secret{s}),
		"map":       fmt.Sprintf("%v", map[string]Secret{"k": s}),
		"any":       fmt.Sprintf("%v", any(s)),
	}
	for name, out := range cases {
		if strings.Contains(out, testSecret) || strings.Contains(out, "s3cr3t") {
			t.Errorf("%s leaks the secret: %s", name, out)
		}
		if !strings.Contains(out, "****") {
			t.Errorf("%s = %q, want it masked as ****", name, out)
		}
	}
	// Exact forms, so that a change of mind is deliberate.
	exact := []struct{ got, want string }{
		{fmt.Sprintf("%s", s), "****"},
		{fmt.Sprintf("%q", s), `"****"`},
		{fmt.Sprintf("%#v", s), `"****"`},
		{fmt.Sprintf("%6s|", s), "  ****|"},
		{fmt.Sprintf("%+v", h), "{ID:AKIDpublic Key:**** Token:****}"},
		{fmt.Sprintf("[%s][%q][%#v]", Secret(""), Secret(""), Secret("")), `[][""][""]`},
	}
	for _, e := range exact {
		if e.got != e.want {
			t.Errorf("got %q, want %q", e.got, e.want)
		}
	}
	if s.Reveal() != testSecret {
		t.Errorf("Reveal = %q", s.Reveal())
	}
}

func TestSecretMarshalling(t *testing.T) {
	h := holder{ID: "AKIDpublic", Key: testSecret, Token: testSecret}
	j, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"ID":"AKIDpublic","Key":"****","token":"****"}`; string(j) != want {
		t.Errorf("json = %s, want %s", j, want)
	}
	j, _ = json.Marshal(holder{})
	if want := `{"ID":"","Key":"","token":""}`; string(j) != want {
		t.Errorf("json of empty = %s, want %s", j, want)
	}
	txt, _ := Secret(testSecret).MarshalText()
	y, err := yaml.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	x, err := xml.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var tb bytes.Buffer
	if err := toml.NewEncoder(&tb).Encode(h); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": string(txt), "yaml": string(y), "xml": string(x), "toml": tb.String()} {
		if strings.Contains(out, testSecret) || !strings.Contains(out, "****") {
			t.Errorf("%s output not masked: %s", name, out)
		}
	}
}

func TestSecretSlog(t *testing.T) {
	s := Secret(testSecret)
	h := holder{ID: "AKIDpublic", Key: s, Token: s}
	creds := Credentials{SecretID: "AKIDpublic", SecretKey: s, SessionToken: s, Source: "test"}
	for _, name := range []string{"text", "json"} {
		var buf bytes.Buffer
		var handler slog.Handler = slog.NewTextHandler(&buf, nil)
		if name == "json" {
			handler = slog.NewJSONHandler(&buf, nil)
		}
		log := slog.New(handler)
		log.Info("x", "key", s, slog.Any("holder", h), slog.Any("ptr", &h), "creds", creds, slog.Group("g", "k", s))
		out := buf.String()
		if strings.Contains(out, testSecret) {
			t.Errorf("%s handler leaks the secret: %s", name, out)
		}
		if strings.Count(out, "****") < 8 {
			t.Errorf("%s handler: expected every secret masked: %s", name, out)
		}
	}
	if v := s.LogValue(); v.String() != "****" {
		t.Errorf("LogValue = %v", v)
	}
}
