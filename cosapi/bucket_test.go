package cosapi

import (
	"testing"

	"lightbox/config"
)

func TestOtherBucketAddressing(t *testing.T) {
	cred := config.Credentials{SecretID: "id", SecretKey: config.Secret("key")}
	c, err := Open(Options{Target: config.Target{Bucket: "src-1250000000", Region: "ap-shanghai"}, Credentials: cred})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Other("dst-1250000000"); r.base.String() != "https://dst-1250000000.cos.ap-shanghai.myqcloud.com" || r.host != "" ||
		r.sourceHost() != "dst-1250000000.cos.ap-shanghai.myqcloud.com" {
		t.Errorf("COS: %s host %q", r.base, r.host)
	}
	if h := c.Home().sourceHost(); h != "src-1250000000.cos.ap-shanghai.myqcloud.com" {
		t.Errorf("copy source host %q", h)
	}
	c, err = Open(Options{Target: config.Target{Bucket: "src-1250000000", Endpoint: "http://127.0.0.1:7070"}, Credentials: cred})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Other("dst-1250000000"); r.base.Host != "127.0.0.1:7070" || r.host != "dst-1250000000.cos.ap-guangzhou.myqcloud.com" {
		t.Errorf("by address: %s host %q", r.base, r.host)
	}
}
