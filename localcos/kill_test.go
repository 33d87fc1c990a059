package localcos

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lightbox/internal/testproc"
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
		endpoint, kill := testproc.StartChild(t, "LOCALCOS_KILL_DIR="+dir)
		c := sdkFor(endpoint, time.Minute)
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
			if got := readBody(resp.Response); string(got) != previous {
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
