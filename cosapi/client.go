// Package cosapi is the wire client: everything lightbox asks of a bucket, identical for
// real COS and for an embedded COS serving a folder (whoever serves the folder hands the
// client its endpoint): streaming lists, HEAD, AssessQuality with every field, tags, copies,
// batch deletes and preview bytes. It retries what is worth retrying, caps concurrency and
// QPS, and caches scores across runs (every real call costs money). Journaled changes are
// the curation package's; the client knows no journal and no screen.
package cosapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	cos "github.com/tencentyun/cos-go-sdk-v5"
	"golang.org/x/time/rate"

	"lightbox/config"
	"lightbox/cosapi/scorecache"
	"lightbox/score"
)

// Options configure a Client. Zero values take the defaults of config.Default().
type Options struct {
	Target      config.Target // a folder target must come with the Endpoint it is served at
	Credentials config.Credentials
	// Identity names the service in the score cache and the journal; "" = the endpoint's
	// scheme and host. A served folder passes file://<folder>, which, unlike its loopback
	// port, is the same in every run.
	Identity string
	Scoring  config.Scoring

	Cache *scorecache.Cache // nil: no persistent cache

	// LocalScore, when set, scores on this machine instead of asking AssessQuality: each
	// image is downloaded (at most MaxLocalBytes) and handed to it. Scores are cached per
	// object version and scorer, apart from the API's; no AssessQuality call is made.
	// An error it returns that is not a *Error is taken for an image it cannot score
	// (KindUnsupported), and cached like the API's.
	LocalScore    func(ctx context.Context, data []byte) (score.Scores, error)
	MaxLocalBytes int64 // 0 = DefaultMaxLocalBytes; a larger image is KindUnsupported, not downloaded
	// Transport is the HTTP transport under the signing layer; nil = a tuned default.
	Transport http.RoundTripper
	// Sleep waits between retries; nil = a timer that honours ctx. Tests make it instant.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client talks to one bucket.
type Client struct {
	opt       Options
	sdk       *cos.Client
	http      *http.Client // signs every request, for the calls the SDK cannot shape
	transport http.RoundTripper
	base      *url.URL
	bucket    string
	endpoint  string // identity for the score cache and journal: stable across runs

	limiter *rate.Limiter
	slots   chan struct{}
	budget  atomic.Int64 // paid calls left; negative = unlimited

	stats counters
}

type counters struct {
	calls, cacheHits, retries, failures atomic.Int64
}

// Stats are the client's counters, for the status line and the summary.
type Stats struct {
	Calls     int64  // AssessQuality requests sent (each retry counts: each may be billed)
	CacheHits int64  // scores answered from the persistent cache
	Retries   int64  // requests sent again after a retryable failure
	Failures  int64  // operations that failed for good
	Scorer    string // "cos" (AssessQuality calls) or "local" (this CPU): see Client.Scorer
}

// Open connects to the target. For a folder it starts localcos on a random loopback port
// with per-run random credentials; Close stops it.
func Open(opt Options) (*Client, error) {
	def := config.Default()
	if opt.Scoring.Concurrency <= 0 {
		opt.Scoring.Concurrency = def.Scoring.Concurrency
	}
	if opt.Scoring.QPS <= 0 {
		opt.Scoring.QPS = def.Scoring.QPS
	}
	if opt.Scoring.Timeout <= 0 {
		opt.Scoring.Timeout = def.Scoring.Timeout
	}
	if opt.Scoring.Retries < 0 {
		opt.Scoring.Retries = 0
	}
	if opt.Sleep == nil {
		opt.Sleep = sleepCtx
	}
	c := &Client{
		opt:     opt,
		limiter: rate.NewLimiter(rate.Limit(opt.Scoring.QPS), max(1, int(opt.Scoring.QPS))),
		slots:   make(chan struct{}, opt.Scoring.Concurrency),
	}
	if opt.Scoring.MaxCalls > 0 {
		c.budget.Store(int64(opt.Scoring.MaxCalls))
	} else {
		c.budget.Store(-1)
	}
	cred := opt.Credentials
	t := opt.Target
	if t.Bucket == "" {
		return nil, errors.New("no bucket: a target is cos://BUCKET-APPID/prefix or a folder")
	}
	raw := t.Endpoint
	if raw == "" {
		if t.IsLocal() {
			return nil, fmt.Errorf("folder %s is not being served: start an embedded COS on it and pass its endpoint", t.Local)
		}
		if t.Region == "" {
			return nil, fmt.Errorf("cos://%s needs a region: --region, [cos].region in the config, or COSCLI's bucket entry", t.Bucket)
		}
		raw = "https://" + t.Bucket + ".cos." + t.Region + ".myqcloud.com"
	}
	u, err := parseEndpoint(raw)
	if err != nil {
		return nil, err
	}
	c.base, c.bucket = u, t.Bucket
	c.endpoint = cmp.Or(opt.Identity, u.Scheme+"://"+u.Host)
	if cred.SecretID == "" {
		return nil, &Error{Kind: KindAuth, Op: "connect", Message: "no credentials"}
	}
	base := opt.Transport
	if base == nil {
		base = defaultTransport()
	}
	c.transport = base
	sign := &cos.AuthorizationTransport{
		SecretID: cred.SecretID, SecretKey: cred.SecretKey.Reveal(), SessionToken: cred.SessionToken.Reveal(),
		Transport: base,
	}
	// No client-wide timeout: each attempt gets its own deadline (retry.go), and a large
	// preview download must not be cut by a limit meant for a score.
	c.http = &http.Client{Transport: sign}
	// Keep no copy of the secret beyond the signer: fmt prints unexported fields raw,
	// bypassing Secret's masking, so a debug print of the client must find nothing.
	c.opt.Credentials = config.Credentials{SecretID: cred.SecretID, Source: cred.Source}
	c.sdk = cos.NewClient(&cos.BaseURL{BucketURL: c.base, ServiceURL: c.base, CIURL: c.base}, c.http)
	// Retries are ours (backoff, jitter, 429 and CI calls included); the SDK would retry
	// 5xx at once, three times, under our retries.
	c.sdk.Conf.RetryOpt.Count = 1
	if host := c.base.Hostname(); net.ParseIP(host) != nil || host == "localhost" {
		// An endpoint by address, such as `lightbox serve`: send the bucket's virtual host,
		// so that naming the wrong bucket is NoSuchBucket rather than someone else's objects.
		c.sdk.Host = t.Bucket + ".cos." + cmp.Or(t.Region, DefaultLocalRegion) + ".myqcloud.com"
	}
	return c, nil
}

func defaultTransport() http.RoundTripper {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		ExpectContinueTimeout: time.Second,
		// COS never needs gzip here and the SDK reads lengths; keep bodies as sent.
		DisableCompression: true,
	}
}

// Host is the endpoint's host[:port], for messages.
func (c *Client) Host() string { return c.base.Host }

// Bucket is the bucket's NAME-APPID.
func (c *Client) Bucket() string { return c.bucket }

// Endpoint identifies the service for caches and journals: the endpoint URL for COS, or
// file://<folder> for a folder (stable across runs, unlike the loopback port).
func (c *Client) Endpoint() string { return c.endpoint }

// Target is what the client was opened on.
func (c *Client) Target() config.Target { return c.opt.Target }

// Stats returns the counters so far.
func (c *Client) Stats() Stats {
	return Stats{Calls: c.stats.calls.Load(), CacheHits: c.stats.cacheHits.Load(),
		Retries: c.stats.retries.Load(), Failures: c.stats.failures.Load(), Scorer: c.Scorer()}
}

// Close drops the client's idle connections: parallel batches leave keep-alive
// connections open, and a server shutting down (an embedded COS) waits for those.
func (c *Client) Close() error {
	if t, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
	return nil
}

// Concurrency is how many requests the client runs at once ([scoring] concurrency), the
// width batches of per-key requests are run at.
func (c *Client) Concurrency() int { return c.opt.Scoring.Concurrency }

// DefaultLocalRegion is the region an endpoint by address (an embedded COS) answers for
// when the target names none: localcos's default.
const DefaultLocalRegion = "ap-guangzhou"

// CheckKey turns away what cannot be an object key (and could not be journaled: the
// journal keeps keys as UTF-8) before it can reach a bucket-level request.
func CheckKey(op, key string) error {
	if key == "" || strings.HasPrefix(key, "/") || !utf8.ValidString(key) {
		return &Error{Kind: KindInvalid, Op: op, Key: key, Message: "not an object key"}
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func parseEndpoint(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("endpoint %q: want http(s)://host[:port]", raw)
	}
	u.Path, u.RawQuery = "", ""
	return u, nil
}
