// Package localtarget serves a folder through an embedded COS on a loopback port and says
// how to reach it: the endpoint, bucket, region and per-run credentials that the COS
// client is then opened with, exactly as for a real bucket. It is the one place that
// joins the server to the client side, so that cosapi never starts a server itself.
package localtarget

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"lightbox/config"
	"lightbox/localcos"
)

// checkWritable is unwritable, replaceable in tests (root may write anywhere, so a test
// cannot make a folder it cannot write).
var checkWritable = unwritable

// Served is a folder being served, and the target and credentials that reach it.
type Served struct {
	srv         *localcos.Server
	Target      config.Target      // the folder (Local) with the server's Endpoint, Bucket and Region
	Credentials config.Credentials // made for this run only
	Identity    string             // file://<folder>: names it in caches and journals, unlike the port
	// ReadOnly says why the folder is served read-only ("" when it is writable): nothing in
	// it can be changed, and its metadata and scores are kept in the user cache directory.
	ReadOnly string
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
	abs, err := filepath.Abs(target.Local)
	if err != nil {
		abs = target.Local
	}
	readOnly := ""
	if why := checkWritable(abs); why != "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("%s: %s, and there is no user cache directory to keep its metadata in: %w", abs, why, err)
		}
		sum := sha256.Sum256([]byte(abs))
		cfg.ReadOnly, cfg.MetaDir = true, filepath.Join(cache, "lightbox", "read-only", hex.EncodeToString(sum[:8]))
		readOnly = fmt.Sprintf("%s %s: it is open read-only (browse and score; nothing can be tagged, moved or deleted); its metadata is kept in %s", abs, why, cfg.MetaDir)
	}
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
	target.Endpoint, target.Bucket, target.Region = endpoint, srv.Bucket(), srv.Region()
	return &Served{
		srv:         srv,
		Target:      target,
		Credentials: config.Credentials{SecretID: cred.SecretID, SecretKey: config.Secret(cred.SecretKey), Source: "generated for this run"},
		Identity:    "file://" + abs,
		ReadOnly:    readOnly,
	}, nil
}
