package config

import (
	"crypto/aes"
	"encoding/base64"
	"strings"
	"testing"
)

func TestCOSCLISecretVectors(t *testing.T) {
	// Produced independently with:
	//   printf 'AKIDexample\0\0\0\0\0' | openssl enc -aes-128-ecb -K 636f73636c692d736563726574000000 -nopad | base64
	// The second plaintext is exactly two blocks, so COSCLI appends a third
	// block of zeros; its two equal blocks encrypt equally, which is ECB.
	vectors := []struct{ plain, enc string }{
		{"AKIDexample", "iSqM1i668daCu88kpflwhA=="},
		{"0123456789abcdef0123456789abcdef", "j/eGYTSyC4e/36rOn+Igto/3hmE0sguHv9+qzp/iILbeQ1lHjB+NSA6psd9+JBIz"},
	}
	for _, v := range vectors {
		if got := EncryptCOSCLISecret(v.plain); got != v.enc {
			t.Errorf("Encrypt(%q) = %s, want %s", v.plain, got, v.enc)
		}
		if got, err := DecryptCOSCLISecret(v.enc); err != nil || got != v.plain {
			t.Errorf("Decrypt(%s) = %q, %v, want %q", v.enc, got, err, v.plain)
		}
	}
}

func TestCOSCLISecretByHand(t *testing.T) {
	// The same construction spelled out with crypto/aes alone.
	key := []byte("coscli-secret\x00\x00\x00")
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	plain := "IKIDsecretkeyXYZ-more" // 21 bytes -> two blocks, 11 zeros
	buf := make([]byte, 32)
	copy(buf, plain)
	block.Encrypt(buf[:16], buf[:16])
	block.Encrypt(buf[16:], buf[16:])
	want := base64.StdEncoding.EncodeToString(buf)
	if got := EncryptCOSCLISecret(plain); got != want {
		t.Errorf("Encrypt = %s, want %s", got, want)
	}
}

func TestCOSCLISecretRoundTrip(t *testing.T) {
	for _, p := range []string{"", "a", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", strings.Repeat("x", 16), strings.Repeat("y", 100)} {
		enc := EncryptCOSCLISecret(p)
		if len(enc) == 0 || strings.Contains(enc, p) && p != "" {
			t.Errorf("Encrypt(%q) = %q", p, enc)
		}
		got, err := DecryptCOSCLISecret(enc)
		if err != nil || got != p {
			t.Errorf("round trip %q -> %q, %v", p, got, err)
		}
	}
	for _, bad := range []string{"not base64!", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE" /* 27 bytes */} {
		if _, err := DecryptCOSCLISecret(bad); err == nil {
			t.Errorf("Decrypt(%q) should fail", bad)
		}
	}
}

func TestDecodeCOSCLISecret(t *testing.T) {
	plain64 := strings.Repeat("Ab", 32) // valid base64 of 48 bytes: decrypts to garbage
	cases := []struct {
		name, raw string
		disabled  bool
		want      string
	}{
		{"encrypted", EncryptCOSCLISecret("AKIDreal"), false, "AKIDreal"},
		{"encrypted empty", EncryptCOSCLISecret(""), false, ""},
		{"plain, not base64", "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", false, "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"},
		{"plain, base64 of whole blocks", plain64, false, plain64},
		{"disabled keeps ciphertext", EncryptCOSCLISecret("AKIDreal"), true, EncryptCOSCLISecret("AKIDreal")},
		{"empty", "", false, ""},
	}
	for _, c := range cases {
		if got := decodeCOSCLISecret(c.raw, c.disabled); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestLoadCOSCLI(t *testing.T) {
	dir := t.TempDir()
	yaml := `cos:
  base:
    secretid: ` + EncryptCOSCLISecret("AKIDfromcoscli") + `
    secretkey: ` + EncryptCOSCLISecret("coscliKEY") + `
    sessiontoken: ""
    protocol: ""
    mode: SecretKey
    cvmrolename: ""
    closeautoswitchhost: ""
    disableencryption: ""
  buckets:
  - name: photos-1250000000
    alias: pics
    region: ap-guangzhou
    endpoint: cos.ap-guangzhou.myqcloud.com
    ofs: false
  - name: pics-1250000001
    alias: ""
    region: ap-beijing
    endpoint: ""
    ofs: true
`
	p := writeFile(t, dir, ".cos.yaml", yaml, 0o600)
	c, err := LoadCOSCLI(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Base.SecretID.Reveal() != "AKIDfromcoscli" || c.Base.SecretKey.Reveal() != "coscliKEY" || c.Base.SessionToken.IsSet() {
		t.Errorf("secrets not decrypted: id %q", c.Base.SecretID.Reveal())
	}
	if c.Base.Protocol != "https" || c.Base.Mode != "SecretKey" || c.Base.DisableEncryption || c.Path != p {
		t.Errorf("base = %+v", c.Base)
	}
	if len(c.Buckets) != 2 || c.Buckets[1].Alias != "pics-1250000001" || !c.Buckets[1].OFS {
		t.Errorf("buckets = %+v", c.Buckets)
	}
	for _, lk := range []struct{ q, name string }{
		{"pics", "photos-1250000000"},              // alias
		{"photos-1250000000", "photos-1250000000"}, // name
		{"pics-1250000001", "pics-1250000001"},     // name, via the defaulted alias
	} {
		if b, ok := c.Bucket(lk.q); !ok || b.Name != lk.name {
			t.Errorf("Bucket(%q) = %+v, %v", lk.q, b, ok)
		}
	}
	if _, ok := c.Bucket("nope"); ok {
		t.Error("Bucket(nope) found")
	}
	var nilCfg *COSCLIConfig
	if _, ok := nilCfg.Bucket("pics"); ok {
		t.Error("nil config found a bucket")
	}
}

func TestLoadCOSCLIAliasBeforeName(t *testing.T) {
	// One bucket's alias equals another's name: the alias wins, as in COSCLI.
	src := "cos:\n  buckets:\n  - name: a-1\n    alias: b-2\n  - name: b-2\n"
	c, err := LoadCOSCLI(writeFile(t, t.TempDir(), "c.yaml", src, 0o600))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := c.Bucket("b-2"); b.Name != "a-1" {
		t.Errorf("Bucket(b-2) = %+v, want the aliased a-1", b)
	}
}

func TestLoadCOSCLIPlainAndCase(t *testing.T) {
	cases := []struct{ name, src, id, key string }{
		{"disableencryption", "cos:\n  base:\n    secretid: AKIDplain\n    secretkey: " + EncryptCOSCLISecret("x") + "\n    disableencryption: \"true\"\n",
			"AKIDplain", EncryptCOSCLISecret("x")},
		{"unquoted true", "cos:\n  base:\n    secretid: QUtJRHBsYWlu\n    secretkey: k\n    disableencryption: true\n", "QUtJRHBsYWlu", "k"},
		{"plain without flag", "cos:\n  base:\n    secretid: AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE\n    secretkey: Gu5t9xGARNpq86cd98joQYCN3EXAMPLE\n",
			"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"},
		{"mixed case keys", "COS:\n  Base:\n    SecretId: " + EncryptCOSCLISecret("AKIDcase") + "\n    SecretKey: ' " + EncryptCOSCLISecret("k2") + " '\n", "AKIDcase", "k2"},
	}
	for _, c := range cases {
		cfg, err := LoadCOSCLI(writeFile(t, t.TempDir(), "c.yaml", c.src, 0o600))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if cfg.Base.SecretID.Reveal() != c.id || cfg.Base.SecretKey.Reveal() != c.key {
			t.Errorf("%s: id %q key %q", c.name, cfg.Base.SecretID.Reveal(), cfg.Base.SecretKey.Reveal())
		}
	}
}

func TestLoadCOSCLIMissingAndBroken(t *testing.T) {
	dir := t.TempDir()
	c, err := LoadCOSCLI(dir + "/none.yaml")
	if c != nil || err != nil {
		t.Errorf("missing file: %v, %v; want nil, nil", c, err)
	}
	for name, src := range map[string]string{
		"syntax":           "cos:\n  base: [\n",
		"buckets not list": "cos:\n  buckets: x\n",
		"secret is a map":  "cos:\n  base:\n    secretkey:\n      a: b\n",
	} {
		p := writeFile(t, dir, name+".yaml", src, 0o600)
		if _, err := LoadCOSCLI(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v should name the file", name, err)
		}
	}
	c, err = LoadCOSCLI(writeFile(t, dir, "empty.yaml", "", 0o600))
	if err != nil || c == nil || c.Base.SecretID.IsSet() || len(c.Buckets) != 0 {
		t.Errorf("empty file: %+v, %v", c, err)
	}
}
