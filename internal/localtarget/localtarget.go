// Package localtarget serves a folder through an embedded COS on a loopback port and says
// how to reach it: the endpoint, bucket, region and per-run credentials that the COS
// client is then opened with, exactly as for a real bucket. It is the one place that
// joins the server to the client side, so that cosapi never starts a server itself.
package localtarget

import (
	"context"
	"path/filepath"
	"time"

	"lightbox/config"
	"lightbox/localcos"
)

// Served is a folder being served, and the target and credentials that reach it.
type Served struct {
	srv         *localcos.Server
	Target      config.Target      // the folder (Local) with the server's Endpoint, Bucket and Region
	Credentials config.Credentials // made for this run only
	Identity    string             // file://<folder>: names it in caches and journals, unlike the port
}

// Start serves target's folder (target.Local) on a random loopback port with fresh random
// credentials. adjust, when not nil, may change the server's config (tests inject faults
// and fake scorers). Close stops it.
func Start(target config.Target, limits localcos.Limits, adjust func(*localcos.Config)) (*Served, error) {
	cred, err := localcos.GenerateCredential()
	if err != nil {
		return nil, err
	}
	cfg := localcos.Config{Dir: target.Local, Credentials: []localcos.Credential{cred}, Limits: limits}
	if adjust != nil {
		adjust(&cfg)
	}
	srv, err := localcos.New(cfg)
	if err != nil {
		return nil, err
	}
	endpoint, err := srv.Start("127.0.0.1:0")
	if err != nil {
		_ = srv.Close()
		return nil, err
	}
	abs, err := filepath.Abs(target.Local)
	if err != nil {
		abs = target.Local
	}
	target.Endpoint, target.Bucket, target.Region = endpoint, srv.Bucket(), srv.Region()
	return &Served{
		srv:         srv,
		Target:      target,
		Credentials: config.Credentials{SecretID: cred.SecretID, SecretKey: config.Secret(cred.SecretKey), Source: "generated for this run"},
		Identity:    "file://" + abs,
	}, nil
}

// Server is the embedded COS itself (tests look at what it stored).
func (s *Served) Server() *localcos.Server { return s.srv }

// Close stops the server, letting requests in flight finish for a few seconds.
func (s *Served) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}
