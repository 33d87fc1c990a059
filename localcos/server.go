// Package localcos serves a folder as one Tencent COS bucket over the COS XML API:
// signatures checked, AssessQuality answered by lightbox's own scorer. It is what makes
// lightbox work with no cloud account, and the ground truth the client is tested against.
// Code written for real COS (cos-go-sdk-v5, COSCLI) works against it unchanged.
package localcos

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"lightbox/internal/cosrules"
	"lightbox/localcos/internal/cossign"
	"lightbox/localcos/internal/sigv4"
	"lightbox/localcos/internal/store"
	"lightbox/quality"
)

// Limits chooses which AssessQuality input limits apply.
type Limits int

const (
	// LimitsCOS enforces Cloud Infinite's limits (4 MB after base64), so that what works
	// here works on the cloud.
	LimitsCOS Limits = iota
	// LimitsLocal scores any size: the user's own folder, where no bill or quota applies.
	LimitsLocal
)

// ParseLimits reads the --limits flag.
func ParseLimits(s string) (Limits, error) {
	switch s {
	case "cos":
		return LimitsCOS, nil
	case "local":
		return LimitsLocal, nil
	}
	return 0, fmt.Errorf("limits must be cos or local, not %q", s)
}

func (l Limits) String() string {
	if l == LimitsLocal {
		return "local"
	}
	return "cos"
}

// Credential is one accepted key pair. A non-empty Token makes it an STS-style temporary
// credential: requests must carry exactly that x-cos-security-token.
type Credential struct {
	SecretID, SecretKey, Token string
}

// MetaDirName is the folder inside a served DIR where the metadata store lives (never an
// object); a read-only folder keeps its metadata elsewhere (Config.MetaDir).
const MetaDirName = store.MetaDirName

// Config describes one served bucket.
type Config struct {
	Dir         string       // the folder served as the bucket
	Bucket      string       // NAME-APPID; DefaultBucket when empty
	Region      string       // DefaultRegion when empty
	Credentials []Credential // at least one
	Limits      Limits
	Faults      Faults

	// ReadOnly serves a folder that must not be written: every request that would change
	// an object (PUT, POST, DELETE) is refused with 403 AccessDenied, and the metadata
	// store (ETags, cached assessments) lives in MetaDir, outside the folder.
	ReadOnly bool
	MetaDir  string

	// MaxObjectSize caps one PUT (COS's own cap for a simple upload is 5 GB).
	MaxObjectSize int64
	// AssessJobs bounds concurrent scoring (CPU-bound); 0 means one per CPU.
	AssessJobs int
	// AssessMemory bounds the bytes concurrent scoring may hold (files read whole plus
	// quality.DecodeOverhead each); 0 means quality.DefaultDecodeMemory.
	AssessMemory int64
	// Timeouts bounds slow clients and open connections; zero fields take DefaultTimeouts.
	Timeouts Timeouts
	// AssessBackground scores each image on an OS thread of the lowest priority (Linux;
	// elsewhere it changes nothing), for a process that also draws a screen: its own
	// threads then get the CPU first whenever they want it.
	AssessBackground bool
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// Now is the clock for signatures and timestamps; nil means time.Now.
	Now func() time.Time
	// Assess scores image bytes; nil means quality.AssessWithOptions. Tests count calls with it.
	Assess func(data []byte, opt quality.Options) (quality.Result, error)
	// CheckFormat refuses a file from its first bytes, before it is read whole; nil means
	// quality.CheckFormat when Assess is nil, and no early check for another scorer.
	CheckFormat func(prefix []byte, size int64) error
}

// Defaults used when Config leaves them empty.
const (
	DefaultBucket        = "local-1250000000"
	DefaultRegion        = "ap-guangzhou"
	DefaultMaxObjectSize = 5 << 30
)

// Server is one folder served as one bucket. It is an http.Handler.
type Server struct {
	cfg      Config
	store    *store.Store
	verifier cossign.Verifier
	v4       *sigv4.Verifier
	faults   *faultInjector
	assessor *assessor
	log      *slog.Logger
	now      func() time.Time
	timeouts Timeouts

	mu   sync.Mutex
	http *http.Server
	addr string
}

// New opens Dir (creating its hidden metadata store) and prepares to serve it.
func New(cfg Config) (*Server, error) {
	if cfg.Bucket == "" {
		cfg.Bucket = DefaultBucket
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if !cosrules.ValidBucket(cfg.Bucket) {
		return nil, fmt.Errorf("bucket %q: a bucket is named NAME-APPID, lower-case letters, digits and dashes, ending in the numeric APPID (for example photos-1250000000)", cfg.Bucket)
	}
	if !validRegion(cfg.Region) {
		return nil, fmt.Errorf("region %q: expected a COS region such as ap-guangzhou", cfg.Region)
	}
	if len(cfg.Credentials) == 0 {
		return nil, errors.New("no credentials: every request is signature-checked, so at least one key pair is needed")
	}
	creds := map[string]Credential{}
	for _, c := range cfg.Credentials {
		if c.SecretID == "" || c.SecretKey == "" {
			return nil, errors.New("a credential needs both a secret id and a secret key")
		}
		creds[c.SecretID] = c
	}
	if cfg.MaxObjectSize <= 0 {
		cfg.MaxObjectSize = DefaultMaxObjectSize
	}
	if cfg.AssessJobs <= 0 {
		cfg.AssessJobs = runtime.NumCPU()
	}
	if cfg.AssessMemory <= 0 {
		cfg.AssessMemory = quality.DefaultDecodeMemory
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Assess == nil {
		cfg.Assess = quality.AssessWithOptions
		if cfg.CheckFormat == nil {
			cfg.CheckFormat = quality.CheckFormat
		}
	}
	if cfg.CheckFormat == nil {
		cfg.CheckFormat = func([]byte, int64) error { return nil }
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	faults, err := newFaultInjector(cfg.Faults, cfg.Now)
	if err != nil {
		return nil, err
	}
	var sopt store.Options
	if cfg.ReadOnly {
		if cfg.MetaDir == "" {
			return nil, errors.New("localcos: a read-only folder needs a MetaDir for its metadata")
		}
		sopt.MetaDir = cfg.MetaDir
	}
	st, err := store.Open(cfg.Dir, sopt)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:   cfg,
		store: st,
		verifier: cossign.Verifier{
			Lookup: func(id string) (cossign.Credential, bool) {
				c, ok := creds[id]
				return cossign.Credential{SecretID: c.SecretID, SecretKey: c.SecretKey, Token: c.Token}, ok
			},
			Now: cfg.Now,
		},
		faults:   faults,
		log:      log,
		now:      cfg.Now,
		timeouts: cfg.Timeouts.withDefaults(),
	}
	s.v4 = s.newV4Verifier(creds)
	s.assessor = newAssessor(s)
	return s, nil
}

// Bucket is the served bucket's NAME-APPID.
func (s *Server) Bucket() string { return s.cfg.Bucket }

// Region is the region the bucket claims to be in.
func (s *Server) Region() string { return s.cfg.Region }

// Dir is the served folder.
func (s *Server) Dir() string { return s.store.Dir() }

// VirtualHost is the bucket's COS host name, which clients may send as Host
// (cos-go-sdk-v5's Client.Host) to address the bucket the way real COS is addressed.
func (s *Server) VirtualHost() string {
	return s.cfg.Bucket + ".cos." + s.cfg.Region + ".myqcloud.com"
}

// Start listens on addr (host:port; port 0 picks a free one) and serves in the background.
// It returns the endpoint URL, e.g. http://127.0.0.1:7070.
func (s *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	go func() { _ = s.Serve(ln) }() // Serve's only error after a successful listen is ErrServerClosed
	return "http://" + ln.Addr().String(), nil
}

// Serve answers requests on ln until Shutdown or Close, with at most Timeouts.MaxConns
// connections open.
func (s *Server) Serve(ln net.Listener) error {
	ln = newConnLimiter(ln, s.timeouts)
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.timeouts.Header,
		IdleTimeout:       s.timeouts.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	s.mu.Lock()
	s.http = hs
	s.addr = ln.Addr().String()
	s.mu.Unlock()
	err := hs.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Addr is the listening address once Serve has started.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Shutdown stops accepting requests, lets in-flight ones finish (or ctx expire), then
// closes the metadata store. Writes are atomic, so even an expired ctx leaves nothing
// half-written.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	hs := s.http
	s.mu.Unlock()
	var err error
	if hs != nil {
		err = hs.Shutdown(ctx)
	}
	s.assessor.persisting.Wait()
	return errors.Join(err, s.store.Close())
}

// Close stops at once and closes the store. In-flight writes are abandoned before their
// rename, so the previous version of each object stays.
func (s *Server) Close() error {
	s.mu.Lock()
	hs := s.http
	s.mu.Unlock()
	var err error
	if hs != nil {
		err = hs.Close()
	}
	s.assessor.persisting.Wait()
	return errors.Join(err, s.store.Close())
}

// Size limits on what a request may carry.
const (
	maxHeaderBytes = 64 << 10
	maxXMLBody     = 4 << 20 // Delete Multiple Objects with 1000 keys of 850 bytes fits
	maxTaggingBody = 64 << 10
)

func validRegion(r string) bool {
	if r == "" || len(r) > 40 {
		return false
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
