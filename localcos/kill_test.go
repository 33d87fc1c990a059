package localcos

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

// The child half of TestKillDuringPut: serve LOCALCOS_KILL_DIR until killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("LOCALCOS_KILL_DIR"); dir != "" {
		srv, err := New(Config{Dir: dir, Credentials: []Credential{testCred}})
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(3)
		}
		endpoint, err := srv.Start("127.0.0.1:0")
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString(endpoint + "\n")
		select {} // until SIGKILL
	}
	os.Exit(m.Run())
}

// TestKillDuringPut kills the server process while an upload is half sent, then restarts
// on the same folder: the object must be either absent or its previous version, never a
// torn mix, and the store must open cleanly.
func TestKillDuringPut(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	for _, previous := range []string{"", "the previous version"} {
		endpoint, kill := startChild(t, dir)
		u, _ := url.Parse(endpoint)
		c := cos.NewClient(&cos.BaseURL{BucketURL: u}, &http.Client{Transport: &cos.AuthorizationTransport{SecretID: testCred.SecretID, SecretKey: testCred.SecretKey}})
		if previous != "" {
			if _, err := c.Object.Put(ctx, "photo.jpg", strings.NewReader(previous), nil); err != nil {
				t.Fatal(err)
			}
		}
		pr, pw := io.Pipe()
		done := make(chan error, 1)
		go func() {
			_, err := c.Object.Put(ctx, "photo.jpg", pr, nil)
			done <- err
		}()
		if _, err := pw.Write(bytes.Repeat([]byte("new bytes "), 100_000)); err != nil {
			t.Fatal(err)
		}
		waitForTempFile(t, dir)
		kill()
		pw.CloseWithError(io.ErrClosedPipe) // the client side gives up too
		if err := <-done; err == nil {
			t.Fatal("the upload claims success though the server died")
		}

		e := newEnvDir(t, dir, nil)
		resp, err := e.cos.Object.Get(ctx, "photo.jpg", nil)
		switch {
		case previous == "":
			wantCode(t, err, 404, "NoSuchKey")
		case err != nil:
			t.Fatalf("the previous version is gone: %v", err)
		default:
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(got) != previous {
				t.Fatalf("after the kill: %d bytes, want the previous version", len(got))
			}
		}
		left, _ := os.ReadDir(filepath.Join(dir, ".lightbox-cos", "tmp"))
		if len(left) != 0 {
			t.Errorf("temp files left after restart: %d", len(left))
		}
		e.ts.Close()
		if err := e.srv.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func startChild(t *testing.T, dir string) (endpoint string, kill func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LOCALCOS_KILL_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		t.Fatalf("child did not start: %v", err)
	}
	return strings.TrimSpace(line), func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

// waitForTempFile returns once the server has started writing the upload.
func waitForTempFile(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(filepath.Join(dir, ".lightbox-cos", "tmp"))
		for _, en := range entries {
			if info, err := en.Info(); err == nil && info.Size() > 0 {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the upload never reached the server")
}
