// Package testproc runs the other processes tests need. Run starts a test binary's own
// tests as children, for the tests that need several processes on one file (the score
// cache, the journal and the log under them are shared through file locks); a child is the
// same binary running one test, the "body", which learns from Child that it is one. Serve
// starts a built lightbox's embedded COS, as a user does.
package testproc

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const (
	envBody = "LIGHTBOX_TESTPROC_BODY"
	envID   = "LIGHTBOX_TESTPROC_ID"
	envArg  = "LIGHTBOX_TESTPROC_ARG"
)

// Child reports whether this process is a child started to run the test named body, and
// with which id and argument. A body test that is not a child should skip.
func Child(body string) (id int, arg string, ok bool) {
	if os.Getenv(envBody) != body {
		return 0, "", false
	}
	id, _ = strconv.Atoi(os.Getenv(envID))
	return id, os.Getenv(envArg), true
}

// InChild reports whether this process is any child: the test that starts children must
// not start more from inside one.
func InChild() bool { return os.Getenv(envBody) != "" }

// Run starts n children, each running only the test body with its id (0..n-1) and arg,
// waits for all of them and fails t, with the child's output, for each that failed.
func Run(t testing.TB, body string, n int, arg string) {
	t.Helper()
	type child struct {
		cmd *exec.Cmd
		out *strings.Builder
	}
	var children []child
	for id := range n {
		cmd := exec.Command(os.Args[0], "-test.run=^"+body+"$", "-test.count=1")
		cmd.Env = append(os.Environ(), envBody+"="+body, envID+"="+strconv.Itoa(id), envArg+"="+arg)
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children = append(children, child{cmd, out})
	}
	for id, c := range children {
		if err := c.cmd.Wait(); err != nil {
			t.Errorf("child %d: %v\n%s", id, err, c.out)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// StartChild starts this test binary again, running no test, with env added: the child's
// TestMain sees env and does the child's work. It returns the first line the child prints
// (say, its endpoint) and kill, which ends the child with SIGKILL, as a crash would, and
// waits for it; the test's end kills it too.
func StartChild(t testing.TB, env ...string) (firstLine string, kill func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	kill = func() {
		once.Do(func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		})
	}
	t.Cleanup(kill)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		kill()
		t.Fatalf("the child did not start: %v", err)
	}
	return strings.TrimSpace(line), kill
}
