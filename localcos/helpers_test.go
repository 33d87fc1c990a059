package localcos

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/localcos/internal/cossign"
	"lightbox/quality"
)

var testCred = Credential{SecretID: "AKIDlightboxtest0000000000000000", SecretKey: "lightbox-test-secret-key-0000000"}

// testEnv is a server on an httptest listener and an SDK client for it.
type testEnv struct {
	t       testing.TB
	srv     *Server
	ts      *httptest.Server
	url     *url.URL
	cos     *cos.Client
	assessN *atomic.Int64 // how many times the scorer actually ran
	dir     string
}

func newEnv(t *testing.T, edit func(*Config)) *testEnv {
	t.Helper()
	dir := t.TempDir()
	return newEnvDir(t, dir, edit)
}

func newEnvDir(t testing.TB, dir string, edit func(*Config)) *testEnv {
	t.Helper()
	var n atomic.Int64
	cfg := Config{
		Dir: dir, Credentials: []Credential{testCred}, Limits: LimitsLocal,
		Assess: func(data []byte, opt quality.Options) (quality.Result, error) {
			n.Add(1)
			return quality.AssessWithOptions(data, opt)
		},
		CheckFormat: quality.CheckFormat, // the real scorer's early check
	}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	u, _ := url.Parse(ts.URL)
	e := &testEnv{t: t, srv: srv, ts: ts, url: u, assessN: &n, dir: dir}
	e.cos = e.client(testCred)
	return e
}

// sdkFor is an SDK client with the test credential for a server at endpoint, giving up on
// a request after timeout.
func sdkFor(endpoint string, timeout time.Duration) *cos.Client {
	u, _ := url.Parse(endpoint)
	return cos.NewClient(&cos.BaseURL{BucketURL: u}, &http.Client{
		Transport: &cos.AuthorizationTransport{SecretID: testCred.SecretID, SecretKey: testCred.SecretKey},
		Timeout:   timeout,
	})
}

// client builds an SDK client for this server with the given credential.
func (e *testEnv) client(c Credential) *cos.Client {
	return cos.NewClient(&cos.BaseURL{BucketURL: e.url}, &http.Client{
		Transport: &cos.AuthorizationTransport{SecretID: c.SecretID, SecretKey: c.SecretKey, SessionToken: c.Token},
		Timeout:   30 * time.Second,
	})
}

func (e *testEnv) put(key string, data []byte, opt *cos.ObjectPutOptions) {
	e.t.Helper()
	if _, err := e.cos.Object.Put(context.Background(), key, bytes.NewReader(data), opt); err != nil {
		e.t.Fatalf("put %q: %v", key, err)
	}
}

func (e *testEnv) get(key string) []byte {
	e.t.Helper()
	resp, err := e.cos.Object.Get(context.Background(), key, nil)
	if err != nil {
		e.t.Fatalf("get %q: %v", key, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

// raw sends a request signed (or not) by hand, for what the SDK refuses to send.
func (e *testEnv) raw(method, target string, body io.Reader, header http.Header, sign bool) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+target, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if sign {
		now := time.Now()
		req.Header.Set("Authorization", cossign.Sign(req, cossign.Credential{SecretID: testCred.SecretID, SecretKey: testCred.SecretKey},
			now.Add(-time.Minute), now.Add(time.Hour), nil, nil))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// cosCode extracts the COS error code and HTTP status from an SDK error.
func cosCode(err error) (int, string) {
	var er *cos.ErrorResponse
	if errors.As(err, &er) {
		return er.Response.StatusCode, er.Code
	}
	return 0, ""
}

func wantCode(t *testing.T, err error, status int, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %d %s, got success", status, code)
	}
	s, c := cosCode(err)
	if s != status || c != code {
		t.Fatalf("want %d %s, got %d %q (%v)", status, code, s, c, err)
	}
}

// errorCode reads the Code of a raw <Error> answer.
func errorCode(t *testing.T, resp *http.Response) string {
	t.Helper()
	_, rest, ok := strings.Cut(string(readBody(resp)), "<Code>")
	if !ok {
		return ""
	}
	code, _, _ := strings.Cut(rest, "</Code>")
	return code
}

// onDisk reports whether the served folder holds a file at key.
func onDisk(dir, key string) bool {
	_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(key)))
	return err == nil
}

// placeFile writes a file into the served folder behind the server's back, as a user or
// another program would.
func placeFile(t testing.TB, dir, key string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// readBody reads a response's body whole and closes it.
func readBody(resp *http.Response) []byte {
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return b
}
