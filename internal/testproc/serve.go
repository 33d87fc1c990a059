package testproc

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Serve starts `BIN serve ARGS...` (a built lightbox; ARGS name a free port, such as
// --addr 127.0.0.1:0) with env added to this process's environment, and returns the
// endpoint it prints. When the test ends the server gets SIGINT, as from a user's Ctrl-C,
// and is killed if it has not stopped 40 s later.
func Serve(t testing.TB, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(40 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	found := make(chan string, 1)
	go func() {
		// Read to the end: a server whose stdout pipe is full would block.
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), "Endpoint:"); ok && !sent {
				found <- strings.TrimSpace(rest)
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case ep, ok := <-found:
		if ok {
			return ep
		}
	case <-time.After(30 * time.Second):
	}
	t.Fatalf("%s serve printed no endpoint; stderr:\n%s", bin, stderr.String())
	return ""
}
