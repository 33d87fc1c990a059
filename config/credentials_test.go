package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// credFixture is a home with every kind of source available to switch on.
type credFixture struct {
	home, cfgPath, cliPath string
	env                    map[string]string
}

func newCredFixture(t *testing.T) *credFixture {
	home := t.TempDir()
	return &credFixture{
		home:    home,
		cfgPath: filepath.Join(home, ".config", "lightbox", "config.toml"),
		cliPath: filepath.Join(home, ".cos.yaml"),
		env:     map[string]string{"HOME": home},
	}
}

func (f *credFixture) getenv(k string) string { return f.env[k] }

func (f *credFixture) config(id, key, token string) Config {
	c := Default()
	c.Path, c.FileFound = f.cfgPath, true
	c.COS.SecretID, c.COS.SecretKey, c.COS.SessionToken = id, Secret(key), Secret(token)
	return c
}

func (f *credFixture) writeCOSCLI(t *testing.T, id, key, token string) {
	src := fmt.Sprintf("cos:\n  base:\n    secretid: %s\n    secretkey: %s\n    sessiontoken: %s\n    protocol: https\n    mode: SecretKey\n",
		EncryptCOSCLISecret(id), EncryptCOSCLISecret(key), EncryptCOSCLISecret(token))
	writeFile(t, f.home, ".cos.yaml", src, 0o600)
}

// secrets used across the tests; none may appear in an error or a Source.
var allSecrets = []string{"KEYflag", "KEYcosenv", "KEYtcenv", "KEYfile", "KEYcoscli", "TOKflag", "TOKcos", "TOKtc", "TOKfile", "TOKcli", "KEY with space", "KEYnl\nx"}

func assertNoSecret(t *testing.T, texts ...string) {
	t.Helper()
	for _, s := range texts {
		for _, secret := range allSecrets {
			if strings.Contains(s, secret) {
				t.Errorf("secret %q leaked in %q", secret, s)
			}
		}
	}
}

func TestResolveCredentialsOrder(t *testing.T) {
	type layer int
	const (
		flags layer = iota
		cosEnv
		tcEnv
		file
		coscli
	)
	sources := func(f *credFixture, t *testing.T, from layer) Sources {
		s := Sources{Getenv: f.getenv, Config: Default()}
		if from <= coscli {
			f.writeCOSCLI(t, "AKIDcoscli", "KEYcoscli", "TOKcli")
		}
		if from <= file {
			s.Config = f.config("AKIDfile", "KEYfile", "TOKfile")
		}
		if from <= tcEnv {
			f.env[EnvTencentSecretID], f.env[EnvTencentSecretKey], f.env[EnvTencentSessionToken] = "AKIDtcenv", "KEYtcenv", "TOKtc"
		}
		if from <= cosEnv {
			f.env[EnvCOSSecretID], f.env[EnvCOSSecretKey], f.env[EnvCOSSessionToken] = "AKIDcosenv", "KEYcosenv", "TOKcos"
		}
		if from <= flags {
			s.FlagID, s.FlagKey, s.FlagToken = "AKIDflag", "KEYflag", "TOKflag"
		}
		return s
	}
	cases := []struct {
		from           layer
		id, key, token string
		source         func(f *credFixture) string
	}{
		{flags, "AKIDflag", "KEYflag", "TOKflag", func(*credFixture) string { return "--secret-id/--secret-key" }},
		{cosEnv, "AKIDcosenv", "KEYcosenv", "TOKcos", func(*credFixture) string { return "$COS_SECRETID/$COS_SECRETKEY" }},
		{tcEnv, "AKIDtcenv", "KEYtcenv", "TOKtc", func(*credFixture) string { return "$TENCENTCLOUD_SECRET_ID/$TENCENTCLOUD_SECRET_KEY" }},
		{file, "AKIDfile", "KEYfile", "TOKfile", func(f *credFixture) string { return f.cfgPath }},
		{coscli, "AKIDcoscli", "KEYcoscli", "TOKcli", func(f *credFixture) string { return f.cliPath + " (COSCLI)" }},
	}
	for _, c := range cases {
		t.Run(c.source(newCredFixture(t)), func(t *testing.T) {
			f := newCredFixture(t)
			creds, err := ResolveCredentials(sources(f, t, c.from))
			if err != nil {
				t.Fatal(err)
			}
			if creds.SecretID != c.id || creds.SecretKey.Reveal() != c.key || creds.SessionToken.Reveal() != c.token || creds.Source != c.source(f) {
				t.Errorf("got %+v (key %q token %q)", creds, creds.SecretKey.Reveal(), creds.SessionToken.Reveal())
			}
			assertNoSecret(t, creds.Source, fmt.Sprintf("%v %+v %#v %s %q", creds, creds, creds, creds, creds))
		})
	}
}

func TestResolveCredentialsTokenOptional(t *testing.T) {
	f := newCredFixture(t)
	f.env[EnvTencentSecretID], f.env[EnvTencentSecretKey] = "AKIDtcenv", "KEYtcenv"
	creds, err := ResolveCredentials(Sources{Getenv: f.getenv, FlagToken: ""})
	if err != nil || creds.SessionToken.IsSet() || creds.SecretID != "AKIDtcenv" {
		t.Errorf("%+v %v", creds, err)
	}
}

func TestResolveCredentialsHalfPairs(t *testing.T) {
	cases := []struct {
		name  string
		setup func(f *credFixture, t *testing.T, s *Sources)
		want  []string // substrings of the error
	}{
		{"flag id only", func(_ *credFixture, _ *testing.T, s *Sources) { s.FlagID = "AKIDflag" },
			[]string{"flags", "--secret-id is set but --secret-key is not"}},
		{"flag key only", func(_ *credFixture, _ *testing.T, s *Sources) { s.FlagKey = "KEYflag" },
			[]string{"flags", "--secret-key is set but --secret-id is not"}},
		{"flag token only", func(_ *credFixture, _ *testing.T, s *Sources) { s.FlagToken = "TOKflag" },
			[]string{"--session-token is set without"}},
		{"COS id only", func(f *credFixture, _ *testing.T, _ *Sources) { f.env[EnvCOSSecretID] = "AKIDcosenv" },
			[]string{"$COS_SECRETID is set but $COS_SECRETKEY is not"}},
		{"COS key only", func(f *credFixture, _ *testing.T, _ *Sources) { f.env[EnvCOSSecretKey] = "KEYcosenv" },
			[]string{"$COS_SECRETKEY is set but $COS_SECRETID is not"}},
		{"COS token only", func(f *credFixture, _ *testing.T, _ *Sources) { f.env[EnvCOSSessionToken] = "TOKcos" },
			[]string{"$COS_SESSIONTOKEN is set without"}},
		{"TC key only", func(f *credFixture, _ *testing.T, _ *Sources) { f.env[EnvTencentSecretKey] = "KEYtcenv" },
			[]string{"$TENCENTCLOUD_SECRET_KEY is set but $TENCENTCLOUD_SECRET_ID is not"}},
		{"half pair stops the search", func(f *credFixture, t *testing.T, s *Sources) {
			f.env[EnvCOSSecretID] = "AKIDcosenv"
			f.env[EnvTencentSecretID], f.env[EnvTencentSecretKey] = "AKIDtcenv", "KEYtcenv"
		}, []string{"$COS_SECRETID is set but $COS_SECRETKEY is not"}},
		{"config id only", func(f *credFixture, _ *testing.T, s *Sources) { s.Config = f.config("AKIDfile", "", "") },
			[]string{"config.toml [cos]: secret_id is set but secret_key is not"}},
		{"config key only", func(f *credFixture, _ *testing.T, s *Sources) { s.Config = f.config("", "KEYfile", "TOKfile") },
			[]string{"config.toml [cos]: secret_key is set but secret_id is not"}},
		{"coscli key only", func(f *credFixture, t *testing.T, _ *Sources) { f.writeCOSCLI(t, "", "KEYcoscli", "") },
			[]string{".cos.yaml (COSCLI): cos.base.secretkey is set but cos.base.secretid is not"}},
		{"broken coscli", func(f *credFixture, t *testing.T, _ *Sources) { writeFile(t, f.home, ".cos.yaml", "cos: [", 0o600) },
			[]string{".cos.yaml (COSCLI config)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newCredFixture(t)
			s := Sources{Getenv: f.getenv, Config: Default()}
			c.setup(f, t, &s)
			_, err := ResolveCredentials(s)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if errors.Is(err, ErrNoCredentials) {
				t.Error("a half pair is not 'none found'")
			}
			assertNoSecret(t, err.Error())
		})
	}
}

func TestResolveCredentialsWhitespace(t *testing.T) {
	cases := []struct {
		name, id, key, token string
		ok                   bool
	}{
		{"surrounding trimmed", "  AKIDflag\n", "\tKEYflag  ", " TOKflag\r\n", true},
		{"space in key", "AKIDflag", "KEY with space", "", false},
		{"newline in key", "AKIDflag", "KEYnl\nx", "", false},
		{"tab in id", "AKID\tflag", "KEYflag", "", false},
		{"nbsp in id", "AKID\u00a0flag", "KEYflag", "", false},
		{"zero width in key", "AKIDflag", "KEY\u200bflag", "", false},
		{"control in token", "AKIDflag", "KEYflag", "TOK\x01flag", false},
		{"whitespace only is unset", " ", " ", " ", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newCredFixture(t)
			creds, err := ResolveCredentials(Sources{Getenv: f.getenv, FlagID: c.id, FlagKey: c.key, FlagToken: c.token})
			if c.ok {
				if err != nil || creds.SecretID != "AKIDflag" || creds.SecretKey.Reveal() != "KEYflag" || creds.SessionToken.Reveal() != "TOKflag" {
					t.Errorf("%+v %v", creds, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted %q/%q", c.id, c.key)
			}
			assertNoSecret(t, err.Error(), strings.ReplaceAll(err.Error(), "\n", ""))
		})
	}
	// Whitespace inside a value from the environment names the variable.
	f := newCredFixture(t)
	f.env[EnvCOSSecretID], f.env[EnvCOSSecretKey] = "AKIDcosenv", "KEY with space"
	_, err := ResolveCredentials(Sources{Getenv: f.getenv})
	if err == nil || !strings.Contains(err.Error(), "$COS_SECRETKEY contains a space") {
		t.Errorf("got %v", err)
	}
	assertNoSecret(t, fmt.Sprint(err))
}

func TestResolveCredentialsNoneFound(t *testing.T) {
	f := newCredFixture(t)
	cfg := Default()
	cfg.Path = f.cfgPath // not FileFound
	_, err := ResolveCredentials(Sources{Getenv: f.getenv, Config: cfg})
	if !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("want ErrNoCredentials, got %v", err)
	}
	msg := err.Error()
	places := []string{
		"1. flags --secret-id/--secret-key: not given",
		"2. $COS_SECRETID/$COS_SECRETKEY: not set",
		"3. $TENCENTCLOUD_SECRET_ID/$TENCENTCLOUD_SECRET_KEY: not set",
		"4. " + f.cfgPath + ": no such file",
		"5. " + f.cliPath + " (COSCLI): no such file",
		"--secret-id AKID", "COS_SECRETID=", "under [cos] in " + f.cfgPath, "coscli config init",
	}
	last := -1
	for _, p := range places {
		i := strings.Index(msg, p)
		if i < 0 {
			t.Errorf("message lacks %q:\n%s", p, msg)
			continue
		}
		if i < last {
			t.Errorf("%q out of order:\n%s", p, msg)
		}
		last = i
	}

	// An existing config without keys, and a COSCLI file in CVM role mode.
	cfg.FileFound = true
	writeFile(t, f.home, ".cos.yaml", "cos:\n  base:\n    mode: CvmRole\n    cvmrolename: r\n", 0o600)
	_, err = ResolveCredentials(Sources{Getenv: f.getenv, Config: cfg})
	for _, p := range []string{"4. " + f.cfgPath + " [cos] secret_id/secret_key: not set", "5. " + f.cliPath + " (COSCLI): mode CvmRole"} {
		if !strings.Contains(fmt.Sprint(err), p) {
			t.Errorf("message lacks %q:\n%v", p, err)
		}
	}
}

func TestResolveCredentialsCOSCLIPath(t *testing.T) {
	f := newCredFixture(t)
	other := filepath.Join(f.home, "elsewhere", "cos.yaml")
	src := "cos:\n  base:\n    secretid: AKIDelsewhere\n    secretkey: " + EncryptCOSCLISecret("KEYcoscli") + "\n"
	writeFile(t, f.home, "elsewhere/cos.yaml", src, 0o600)
	f.writeCOSCLI(t, "AKIDhome", "KEYcoscli", "")

	cfg := Default()
	cfg.COS.COSCLIConfig = "~/elsewhere/cos.yaml"
	for name, s := range map[string]Sources{
		"Sources.COSCLI":        {Getenv: f.getenv, COSCLI: other},
		"[cos] coscli_config":   {Getenv: f.getenv, Config: cfg},
		"Sources.COSCLI with ~": {Getenv: f.getenv, COSCLI: "~/elsewhere/cos.yaml"},
	} {
		creds, err := ResolveCredentials(s)
		if err != nil || creds.SecretID != "AKIDelsewhere" || creds.Source != other+" (COSCLI)" {
			t.Errorf("%s: %+v %v", name, creds, err)
		}
	}
	creds, err := ResolveCredentials(Sources{Getenv: f.getenv})
	if err != nil || creds.SecretID != "AKIDhome" {
		t.Errorf("$HOME/.cos.yaml: %+v %v", creds, err)
	}
}
