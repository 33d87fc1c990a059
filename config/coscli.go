package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// COSCLIConfig is what lightbox uses of COSCLI's ~/.cos.yaml (tencentyun/coscli).
type COSCLIConfig struct {
	Path    string
	Base    COSCLIBase
	Buckets []COSCLIBucket
}

// COSCLIBase is cos.base, with the secrets already decrypted.
type COSCLIBase struct {
	SecretID          Secret
	SecretKey         Secret
	SessionToken      Secret
	Protocol          string // "https" when unset, as in COSCLI
	Mode              string // "SecretKey" or "CvmRole"; lightbox supports only the first
	CVMRoleName       string
	DisableEncryption bool // secrets are stored in plain text
}

// COSCLIBucket is one entry of cos.buckets.
type COSCLIBucket struct {
	Name     string // NAME-APPID
	Alias    string // name used in cos://ALIAS/; the Name when unset, as in COSCLI
	Region   string
	Endpoint string // host such as cos.ap-guangzhou.myqcloud.com; "" = the region's default
	OFS      bool
}

// Bucket finds a bucket by alias, then by name, in COSCLI's order.
func (c *COSCLIConfig) Bucket(aliasOrName string) (COSCLIBucket, bool) {
	if c == nil {
		return COSCLIBucket{}, false
	}
	for _, b := range c.Buckets {
		if b.Alias == aliasOrName {
			return b, true
		}
	}
	for _, b := range c.Buckets {
		if b.Name == aliasOrName {
			return b, true
		}
	}
	return COSCLIBucket{}, false
}

// COSCLIPath is where COSCLI's config is read from: [cos].coscli_config, else
// ~/.cos.yaml.
func COSCLIPath(cfg Config) (string, error) {
	return coscliPath(cfg, "")
}

// coscliPath is COSCLIPath with the home directory given ("" = the user's).
func coscliPath(cfg Config, home string) (string, error) {
	if p := cfg.COS.COSCLIConfig; p != "" {
		return expandHome(p, home), nil
	}
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		home = h
	}
	return filepath.Join(home, ".cos.yaml"), nil
}

// LoadCOSCLI reads COSCLI's config file. A missing file is not an error: it
// returns nil, nil, and a nil *COSCLIConfig is valid (it has no buckets).
// Secrets are decrypted unless disableencryption is "true"; a value that does
// not decrypt to printable text is taken as plain text, which is what a
// hand-written file usually holds. Keys are matched case-insensitively, as
// COSCLI's viper does.
func LoadCOSCLI(path string) (*COSCLIConfig, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("COSCLI config: %w", err)
	}
	var root any
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s (COSCLI config): %w", path, err)
	}
	c := &COSCLIConfig{Path: path}
	cos := field(root, "cos")
	base := field(cos, "base")

	str := func(where string, v any) (string, error) {
		s, ok := scalar(v)
		if !ok {
			return "", fmt.Errorf("%s (COSCLI config): %s must be a single value", path, where)
		}
		return strings.TrimSpace(s), nil
	}
	var raw [3]string
	for i, k := range []string{"secretid", "secretkey", "sessiontoken"} {
		if raw[i], err = str("cos.base."+k, field(base, k)); err != nil {
			return nil, err
		}
	}
	var disable string
	if disable, err = str("cos.base.disableencryption", field(base, "disableencryption")); err != nil {
		return nil, err
	}
	c.Base.DisableEncryption = strings.EqualFold(disable, "true")
	c.Base.SecretID = Secret(decodeCOSCLISecret(raw[0], c.Base.DisableEncryption))
	c.Base.SecretKey = Secret(decodeCOSCLISecret(raw[1], c.Base.DisableEncryption))
	c.Base.SessionToken = Secret(decodeCOSCLISecret(raw[2], c.Base.DisableEncryption))
	for _, f := range []struct {
		key string
		dst *string
	}{{"protocol", &c.Base.Protocol}, {"mode", &c.Base.Mode}, {"cvmrolename", &c.Base.CVMRoleName}} {
		if *f.dst, err = str("cos.base."+f.key, field(base, f.key)); err != nil {
			return nil, err
		}
	}
	if c.Base.Protocol == "" {
		c.Base.Protocol = "https"
	}

	list := field(cos, "buckets")
	if list == nil {
		return c, nil
	}
	items, ok := list.([]any)
	if !ok {
		return nil, fmt.Errorf("%s (COSCLI config): cos.buckets must be a list", path)
	}
	for i, it := range items {
		var b COSCLIBucket
		for _, f := range []struct {
			key string
			dst *string
		}{{"name", &b.Name}, {"alias", &b.Alias}, {"region", &b.Region}, {"endpoint", &b.Endpoint}} {
			if *f.dst, err = str(fmt.Sprintf("cos.buckets[%d].%s", i, f.key), field(it, f.key)); err != nil {
				return nil, err
			}
		}
		ofs, err := str(fmt.Sprintf("cos.buckets[%d].ofs", i), field(it, "ofs"))
		if err != nil {
			return nil, err
		}
		b.OFS = strings.EqualFold(ofs, "true")
		if b.Alias == "" {
			b.Alias = b.Name
		}
		c.Buckets = append(c.Buckets, b)
	}
	return c, nil
}

// decodeCOSCLISecret turns a stored secret into its value. A printable result
// is required because decrypting a plain-text value that happens to be valid
// base64 of whole blocks yields binary garbage; COSCLI would use the garbage,
// lightbox takes the text as written.
func decodeCOSCLISecret(raw string, plain bool) string {
	if plain || raw == "" {
		return raw
	}
	s, err := DecryptCOSCLISecret(raw)
	if err != nil {
		return raw
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return raw
		}
	}
	return s
}

// field looks up key in a YAML mapping, ignoring case; nil when absent.
func field(m any, key string) any {
	mm, ok := m.(map[string]any)
	if !ok {
		return nil
	}
	if v, ok := mm[key]; ok {
		return v
	}
	for k, v := range mm {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// scalar renders a YAML scalar as text; YAML may type `true` or a numeric
// APPID as non-strings, which COSCLI's loose decoding also accepts.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case bool, int, int64, uint64, float64:
		return fmt.Sprint(v), true
	}
	return "", false
}
