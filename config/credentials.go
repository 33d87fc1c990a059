package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"
)

// Credentials are a COS key pair, with an optional STS session token.
// Source says where they were found, for messages; it never holds a secret.
type Credentials struct {
	SecretID     string
	SecretKey    Secret
	SessionToken Secret
	Source       string
}

// Sources are the places ResolveCredentials looks in.
type Sources struct {
	FlagID, FlagKey, FlagToken string
	Getenv                     func(string) string // nil = os.Getenv
	Config                     Config              // the loaded lightbox config
	COSCLI                     string              // COSCLI's config; "" = Config.COS.COSCLIConfig or $HOME/.cos.yaml
}

// Environment variables read for credentials, in the order they are tried.
const (
	EnvCOSSecretID         = "COS_SECRETID"
	EnvCOSSecretKey        = "COS_SECRETKEY"
	EnvCOSSessionToken     = "COS_SESSIONTOKEN"
	EnvTencentSecretID     = "TENCENTCLOUD_SECRET_ID"
	EnvTencentSecretKey    = "TENCENTCLOUD_SECRET_KEY"
	EnvTencentSessionToken = "TENCENTCLOUD_SESSION_TOKEN"
)

// ErrNoCredentials is matched (errors.Is) by the error ResolveCredentials
// returns when no place holds credentials.
var ErrNoCredentials = errors.New("no COS credentials found")

// place is one source's raw values, the names to blame them by, and what to
// say about it when it holds nothing.
type place struct {
	source                   string // Credentials.Source
	where                    string // prefix of its error messages
	id, key, token           string
	idName, keyName, tokName string
	empty                    string // the "looked in" line when it holds nothing
}

// ResolveCredentials returns the first credentials found, in this order:
// flags; $COS_SECRETID/$COS_SECRETKEY(/$COS_SESSIONTOKEN);
// $TENCENTCLOUD_SECRET_ID/$TENCENTCLOUD_SECRET_KEY(/$TENCENTCLOUD_SESSION_TOKEN);
// [cos] in lightbox's config; COSCLI's cos.base. A place holding half a pair
// (or a token alone) is an error rather than a reason to look further, since
// quietly using other keys would hide the mistake. Errors never include a
// secret.
func ResolveCredentials(s Sources) (Credentials, error) {
	getenv := s.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	places := []place{
		{source: "--secret-id/--secret-key", where: "flags", id: s.FlagID, key: s.FlagKey, token: s.FlagToken,
			idName: "--secret-id", keyName: "--secret-key", tokName: "--session-token",
			empty: "flags --secret-id/--secret-key: not given"},
		envPlace(getenv, EnvCOSSecretID, EnvCOSSecretKey, EnvCOSSessionToken),
		envPlace(getenv, EnvTencentSecretID, EnvTencentSecretKey, EnvTencentSessionToken),
		configPlace(s.Config),
	}
	var looked []string
	for _, p := range places {
		creds, found, err := p.resolve()
		if err != nil || found {
			return creds, err
		}
		looked = append(looked, p.empty)
	}

	home := getenv("HOME")
	path := expandHome(s.COSCLI, home)
	if path == "" {
		p, err := coscliPath(s.Config, home)
		if err != nil {
			looked = append(looked, "COSCLI's ~/.cos.yaml: no home directory to find it in")
			return Credentials{}, noCredentials(looked, s.Config.Path)
		}
		path = p
	}
	cli, err := LoadCOSCLI(path)
	if err != nil {
		return Credentials{}, err
	}
	name := path + " (COSCLI)"
	if cli == nil {
		looked = append(looked, name+": no such file")
		return Credentials{}, noCredentials(looked, s.Config.Path)
	}
	p := place{source: name, where: name, id: cli.Base.SecretID.Reveal(), key: cli.Base.SecretKey.Reveal(),
		token: cli.Base.SessionToken.Reveal(), idName: "cos.base.secretid", keyName: "cos.base.secretkey",
		tokName: "cos.base.sessiontoken", empty: name + " cos.base.secretid/secretkey: not set"}
	if strings.EqualFold(cli.Base.Mode, "CvmRole") {
		p.empty = name + ": mode CvmRole (CVM instance role), which lightbox does not support"
	}
	creds, found, err := p.resolve()
	if err != nil || found {
		return creds, err
	}
	looked = append(looked, p.empty)
	return Credentials{}, noCredentials(looked, s.Config.Path)
}

func envPlace(getenv func(string) string, id, key, token string) place {
	return place{source: "$" + id + "/$" + key, where: "environment", id: getenv(id), key: getenv(key), token: getenv(token),
		idName: "$" + id, keyName: "$" + key, tokName: "$" + token,
		empty: "$" + id + "/$" + key + ": not set"}
}

func configPlace(c Config) place {
	name := c.Path
	if name == "" {
		name = "lightbox config"
	}
	p := place{source: name, where: name + " [cos]", id: c.COS.SecretID, key: c.COS.SecretKey.Reveal(),
		token: c.COS.SessionToken.Reveal(), idName: "secret_id", keyName: "secret_key", tokName: "session_token",
		empty: name + " [cos] secret_id/secret_key: not set"}
	if c.Path != "" && !c.FileFound {
		p.empty = name + ": no such file"
	}
	return p
}

// resolve checks one place: found is false when it holds nothing at all.
func (p place) resolve() (Credentials, bool, error) {
	id, key, token := strings.TrimSpace(p.id), strings.TrimSpace(p.key), strings.TrimSpace(p.token)
	switch {
	case id == "" && key == "" && token == "":
		return Credentials{}, false, nil
	case id == "" && key == "":
		return Credentials{}, false, fmt.Errorf("%s: %s is set without a secret id and key; set them too, or drop the token", p.where, p.tokName)
	case id == "":
		return Credentials{}, false, fmt.Errorf("%s: %s is set but %s is not; give both or neither", p.where, p.keyName, p.idName)
	case key == "":
		return Credentials{}, false, fmt.Errorf("%s: %s is set but %s is not; give both or neither", p.where, p.idName, p.keyName)
	}
	for _, v := range []struct{ name, value string }{{p.idName, id}, {p.keyName, key}, {p.tokName, token}} {
		if err := checkCredentialText(v.value); err != nil {
			return Credentials{}, false, fmt.Errorf("%s: %s %v", p.where, v.name, err)
		}
	}
	return Credentials{SecretID: id, SecretKey: Secret(key), SessionToken: Secret(token), Source: p.source}, true, nil
}

// checkCredentialText rejects characters that the SDK would put into the
// Authorization header and fail on with a cryptic error, typically a stray
// newline or a non-breaking space pasted from a web console. The message
// gives the position, never the text.
func checkCredentialText(s string) error {
	for i, r := range []rune(s) {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar {
			return fmt.Errorf("contains a space, control or invisible character (U+%04X) at character %d; re-copy it", r, i+1)
		}
	}
	return nil
}

// noCredentials explains every place looked in and how to fill one.
func noCredentials(looked []string, cfgPath string) error {
	var b strings.Builder
	b.WriteString("looked in, in this order:\n")
	for i, l := range looked {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, l)
	}
	if cfgPath == "" {
		cfgPath = "config.toml"
	}
	b.WriteString("Give credentials in any one of these ways:\n")
	b.WriteString("  - flags: --secret-id AKID... --secret-key ...\n")
	b.WriteString("  - environment: export COS_SECRETID=AKID... COS_SECRETKEY=...\n")
	fmt.Fprintf(&b, "  - lightbox config: secret_id and secret_key under [cos] in %s (then chmod 600 it)\n", cfgPath)
	b.WriteString("  - COSCLI: run `coscli config init`; lightbox reads its ~/.cos.yaml")
	return &noCredentialsError{detail: b.String()}
}

type noCredentialsError struct{ detail string }

func (e *noCredentialsError) Error() string        { return ErrNoCredentials.Error() + "; " + e.detail }
func (e *noCredentialsError) Is(target error) bool { return target == ErrNoCredentials }
