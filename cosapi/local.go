package cosapi

import (
	"path/filepath"

	"lightbox/localcos"
)

// startLocal serves the target folder with an in-process localcos on a random loopback
// port, with credentials that exist only for this run.
func (c *Client) startLocal() (localcos.Credential, error) {
	cred, err := localcos.GenerateCredential()
	if err != nil {
		return cred, err
	}
	cfg := localcos.Config{
		Dir:         c.opt.Target.Local,
		Credentials: []localcos.Credential{cred},
		Limits:      c.opt.LocalLimits,
	}
	if c.opt.LocalConfig != nil {
		c.opt.LocalConfig(&cfg)
	}
	srv, err := localcos.New(cfg)
	if err != nil {
		return cred, err
	}
	endpoint, err := srv.Start("127.0.0.1:0")
	if err != nil {
		_ = srv.Close()
		return cred, err
	}
	u, err := parseEndpoint(endpoint)
	if err != nil {
		_ = srv.Close()
		return cred, err
	}
	abs, err := filepath.Abs(c.opt.Target.Local)
	if err != nil {
		abs = c.opt.Target.Local
	}
	c.local, c.base, c.bucket = srv, u, srv.Bucket()
	c.endpoint = "file://" + abs
	return cred, nil
}
