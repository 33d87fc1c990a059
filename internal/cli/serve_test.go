package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

// lockedBuffer lets the test read what a running command has printed so far.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs `lightbox serve` until the returned stop function is called.
func startServe(t *testing.T, args ...string) (out, errOut *lockedBuffer, stop func() int) {
	t.Helper()
	out, errOut = &lockedBuffer{}, &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	go func() { code <- Run(ctx, append([]string{"serve"}, args...), out, errOut) }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "Serving until interrupted") {
		select {
		case c := <-code:
			t.Fatalf("serve exited %d: %s%s", c, out, errOut)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start: %s%s", out, errOut)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return out, errOut, func() int { cancel(); return <-code }
}

func TestServeGeneratesAKeyAndNeverPrintsIt(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("COS_SECRETID", "")
	t.Setenv("COS_SECRETKEY", "")
	dir := t.TempDir()
	out, errOut, stop := startServe(t, "--addr", "127.0.0.1:0", "--bucket", "photos-1250000000", dir)

	keyFile := filepath.Join(config, "lightbox", "serve", "photos-1250000000.env")
	info, err := os.Stat(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", info.Mode().Perm())
	}
	content, _ := os.ReadFile(keyFile)
	id := regexp.MustCompile(`COS_SECRETID=(\S+)`).FindStringSubmatch(string(content))[1]
	key := regexp.MustCompile(`COS_SECRETKEY=(\S+)`).FindStringSubmatch(string(content))[1]
	endpoint := regexp.MustCompile(`Endpoint:\s+(\S+)`).FindStringSubmatch(out.String())[1]

	u, _ := url.Parse(endpoint)
	c := cos.NewClient(&cos.BaseURL{BucketURL: u}, &http.Client{Transport: &cos.AuthorizationTransport{SecretID: id, SecretKey: key}})
	if _, err := c.Object.Put(context.Background(), "hello.txt", strings.NewReader("hi"), nil); err != nil {
		t.Fatalf("the printed configuration does not work: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "hello.txt")); string(got) != "hi" {
		t.Errorf("stored %q", got)
	}
	if code := stop(); code != 0 {
		t.Errorf("graceful stop exited %d: %s", code, errOut)
	}
	for _, s := range []string{out.String(), errOut.String()} {
		if strings.Contains(s, key) {
			t.Fatal("the secret key was printed")
		}
	}
	if !strings.Contains(out.String(), id) || !strings.Contains(out.String(), keyFile) {
		t.Errorf("banner lacks the id or the key file:\n%s", out)
	}
	// A restart keeps the same credentials, so pasted configuration keeps working.
	out2, _, stop2 := startServe(t, "--addr", "127.0.0.1:0", "--bucket", "photos-1250000000", "-q", dir)
	defer stop2()
	if !strings.Contains(out2.String(), id) {
		t.Error("a restart generated new credentials")
	}
}

func TestServeWarnsWhenNotLoopback(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	_, errOut, stop := startServe(t, "--addr", "0.0.0.0:0", "-q", "--secret-id", "AKIDx", "--secret-key", "k", t.TempDir())
	defer stop()
	if !strings.Contains(errOut.String(), "reachable from other machines") {
		t.Errorf("no warning for a non-loopback address: %q", errOut)
	}
}

func TestServeUsageErrors(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, args := range [][]string{
		{"serve"},
		{"serve", "--limits", "cloud", "."},
		{"serve", "--latency", "soon", "."},
		{"serve", "--secret-id", "AKIDonly", "."},
	} {
		if code, _, errb := runCLI(args...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d (%s)", args, code, exitUsage, errb)
		}
	}
	code, _, errb := runCLI("serve", "--addr", "127.0.0.1:0", filepath.Join(t.TempDir(), "missing"))
	if code != exitFailed || !strings.Contains(errb, "missing") {
		t.Errorf("missing folder: exit %d %q", code, errb)
	}
	code, _, errb = runCLI("serve", "--addr", "127.0.0.1:0", "--bucket", "NoAppID", t.TempDir())
	if code != exitFailed || !strings.Contains(errb, "NAME-APPID") {
		t.Errorf("bad bucket: exit %d %q", code, errb)
	}
}

// Issue 14: after chmod 644 on the key file the banner still said "(mode 0600)".
func TestServeWarnsAboutAReadableKeyFile(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("COS_SECRETID", "")
	t.Setenv("COS_SECRETKEY", "")
	keyFile := filepath.Join(config, "lightbox", "serve", "photos-1250000000.env")
	_, _, stop := startServe(t, "--addr", "127.0.0.1:0", "--bucket", "photos-1250000000", t.TempDir())
	stop()
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, stop := startServe(t, "--addr", "127.0.0.1:0", "--bucket", "photos-1250000000", t.TempDir())
	stop()
	if strings.Contains(out.String(), "(mode 0600)") || !strings.Contains(out.String(), "(mode 0644)") {
		t.Errorf("banner:\n%s", out)
	}
	if !strings.Contains(errOut.String(), "chmod 600") {
		t.Errorf("no warning:\n%s", errOut)
	}
}
