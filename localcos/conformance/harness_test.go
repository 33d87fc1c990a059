package conformance

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"hash/crc64"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/internal/testproc"
	"lightbox/localcos"
)

const (
	bucket    = "conform-1250000000"
	region    = "ap-guangzhou"
	secretID  = "AKIDconformance00000000000000000"
	secretKey = "conformance-secret-key-000000000"
)

// server is one embedded COS on a loopback port, serving a fresh folder.
type server struct {
	dir  string
	host string      // 127.0.0.1:PORT
	sdk  *cos.Client // an independent reader, to check what a client under test stored
}

func startServer(t *testing.T) *server {
	t.Helper()
	if os.Getenv("LIGHTBOX_CONFORMANCE") != "1" {
		t.Skip("conformance tests drive external clients; run them with LIGHTBOX_CONFORMANCE=1 (see .ci/conformance.sh)")
	}
	dir := t.TempDir()
	var endpoint string
	if bin := os.Getenv("LIGHTBOX_BINARY"); bin != "" {
		endpoint = startServeCommand(t, bin, dir)
	} else {
		srv, err := localcos.New(localcos.Config{Dir: dir, Bucket: bucket, Region: region,
			Credentials: []localcos.Credential{{SecretID: secretID, SecretKey: secretKey}}, Limits: localcos.LimitsLocal})
		if err != nil {
			t.Fatal(err)
		}
		if endpoint, err = srv.Start("127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
	}
	u, _ := url.Parse(endpoint)
	sdk := cos.NewClient(&cos.BaseURL{BucketURL: u}, &http.Client{
		Transport: &cos.AuthorizationTransport{SecretID: secretID, SecretKey: secretKey}, Timeout: time.Minute})
	return &server{dir: dir, host: u.Host, sdk: sdk}
}

// startServeCommand runs `lightbox serve` from the binary at bin (LIGHTBOX_BINARY, which
// .ci/conformance.sh builds), so the clients meet exactly what a user starts, and returns
// the endpoint it prints. Ctrl-C (SIGINT) stops it at the end of the test.
func startServeCommand(t *testing.T, bin, dir string) string {
	t.Helper()
	return testproc.Serve(t, bin, nil, "--addr", "127.0.0.1:0", "--bucket", bucket, "--region", region,
		"--limits", "local", "--secret-id", secretID, "--secret-key", secretKey, "-q", dir)
}

// stored reads what the served folder holds for key.
func (s *server) stored(key string) ([]byte, error) {
	return os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(key)))
}

func (s *server) head(key string) (http.Header, error) {
	resp, err := s.sdk.Object.Head(context.Background(), key, nil)
	if err != nil {
		return nil, err
	}
	return resp.Header, nil
}

// exists reports whether key is an object, as a client would see it.
func (s *server) exists(key string) bool {
	ok, err := s.sdk.Object.IsExist(context.Background(), key)
	return err == nil && ok
}

// report collects which operations of one client passed.
type report struct {
	t              *testing.T
	client         string
	passed, failed []string
}

func newReport(t *testing.T, client string) *report {
	r := &report{t: t, client: client}
	t.Cleanup(func() {
		t.Logf("%s: %d of %d operations passed: %s", r.client, len(r.passed), len(r.passed)+len(r.failed), strings.Join(r.passed, ", "))
		if len(r.failed) > 0 {
			t.Logf("%s: FAILED: %s", r.client, strings.Join(r.failed, ", "))
		}
	})
	return r
}

// op runs one operation; a failure is reported and the next operation still runs.
func (r *report) op(name string, fn func() error) {
	r.t.Helper()
	if err := fn(); err != nil {
		r.failed = append(r.failed, name)
		r.t.Errorf("%s %s: %v", r.client, name, err)
		return
	}
	r.passed = append(r.passed, name)
}

// tool finds a client's executable or skips the test saying how to get it.
func tool(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (%s); skipping its conformance test", name, install)
	}
	return p
}

// run executes a client command with a timeout and a controlled environment, returning
// its combined output; a non-zero exit is an error carrying the output's tail.
func run(dir string, env []string, timeout time.Duration, name string, args ...string) (string, error) {
	return runInput("", dir, env, timeout, name, args...)
}

// runInput is run with input on the command's standard input (answers to prompts).
func runInput(input, dir string, env []string, timeout time.Duration, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Stdin = strings.NewReader(input)
	err := cmd.Run()
	if err != nil {
		tail := out.String()
		if len(tail) > 1500 {
			tail = "..." + tail[len(tail)-1500:]
		}
		return out.String(), fmt.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, tail)
	}
	return out.String(), nil
}

// cleanEnv is the environment for a client: a private HOME, none of the machine's CA
// bundle or proxy settings (all traffic is to loopback), plus extra.
func cleanEnv(home string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "HOME", strings.HasSuffix(name, "_CA_BUNDLE"), strings.HasPrefix(name, "AWS_"),
			strings.EqualFold(name, "http_proxy"), strings.EqualFold(name, "https_proxy"),
			strings.EqualFold(name, "no_proxy"), strings.HasPrefix(name, "RCLONE_"):
			continue
		}
		env = append(env, kv)
	}
	return append(append(env, "HOME="+home), extra...)
}

// writeRandom writes n deterministic pseudo-random bytes to path.
func writeRandom(t *testing.T, path string, n int, seed uint64) []byte {
	t.Helper()
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	r.Read(b)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return b
}

// tree makes a small folder of files to sync: name → content.
func tree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sameFile compares a local file with want.
func sameFile(path string, want []byte) error {
	got, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("%s: %d bytes differ from the %d expected", path, len(got), len(want))
	}
	return nil
}

// sameStored compares what the server holds for key with want.
func (s *server) sameStored(key string, want []byte) error {
	got, err := s.stored(key)
	if err != nil {
		return fmt.Errorf("stored %s: %w", key, err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("stored %s: %d bytes differ from the %d sent", key, len(got), len(want))
	}
	return nil
}

// sameTree checks that every file of files is at root (locally), and nothing else.
func sameTree(root string, files map[string]string) error {
	seen := 0
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		want, ok := files[filepath.ToSlash(rel)]
		if !ok {
			return fmt.Errorf("unexpected file %s", rel)
		}
		got, _ := os.ReadFile(p)
		if string(got) != want {
			return fmt.Errorf("%s holds %q, want %q", rel, got, want)
		}
		seen++
		return nil
	})
	if err == nil && seen != len(files) {
		err = fmt.Errorf("%d of %d files present", seen, len(files))
	}
	return err
}

// storedTree checks that the objects under prefix are exactly files.
func (s *server) storedTree(prefix string, files map[string]string) error {
	res, _, err := s.sdk.Bucket.Get(context.Background(), &cos.BucketGetOptions{Prefix: prefix, MaxKeys: 1000})
	if err != nil {
		return err
	}
	var keys []string
	for _, c := range res.Contents {
		if !strings.HasSuffix(c.Key, "/") { // folder markers, which COSCLI makes, are not files
			keys = append(keys, c.Key)
		}
	}
	if len(keys) != len(files) {
		return fmt.Errorf("objects under %s: %v, want %d", prefix, keys, len(files))
	}
	for name, content := range files {
		if err := s.sameStored(prefix+name, []byte(content)); err != nil {
			return err
		}
	}
	return nil
}

func md5Hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

func crc64ECMA(b []byte) uint64 { return crc64.Checksum(b, crc64.MakeTable(crc64.ECMA)) }

// fetch GETs a URL (a presigned one) and returns the body.
func fetch(u string) ([]byte, error) {
	resp, err := http.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	return b, err
}
