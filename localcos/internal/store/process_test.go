package store

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The kill test re-runs this test binary as a child that opens the store and
// is SIGKILLed in the middle of a Put.
const killChildEnv = "STORE_KILL_CHILD"

// TestKillChild is the child's side; it does nothing in a normal run.
func TestKillChild(t *testing.T) {
	dir := os.Getenv(killChildEnv)
	if dir == "" {
		t.Skip("helper process for TestKillDuringPut")
	}
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Put(context.Background(), "photo.jpg", &stallingReader{left: 1 << 20}, PutOptions{})
	t.Fatal("the stalling Put returned")
}

// stallingReader yields left bytes, then blocks until the process is killed.
type stallingReader struct{ left int }

func (r *stallingReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		for {
			time.Sleep(time.Hour)
		}
	}
	n := min(len(p), r.left, 64<<10)
	r.left -= n
	return copy(p, bytes.Repeat([]byte{'k'}, n)), nil
}

func TestKillDuringPut(t *testing.T) {
	for _, previous := range []bool{false, true} {
		name := "new key"
		if previous {
			name = "overwrite"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			var old Object
			if previous {
				s, err := Open(dir, Options{})
				if err != nil {
					t.Fatal(err)
				}
				old = mustPut(t, s, "photo.jpg", []byte("previous"), PutOptions{Tags: []Tag{{"k", "v"}}})
				s.Close()
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$")
			cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitForTempData(t, dir, cmd, &out)
			cmd.Process.Kill()
			cmd.Wait()

			s, err := Open(dir, Options{LockTimeout: 5 * time.Second})
			if err != nil {
				t.Fatalf("reopening after the kill: %v", err)
			}
			defer s.Close()
			if tmp := tmpEntries(t, dir); len(tmp) != 0 {
				t.Fatalf("tmp holds %v after reopening", tmp)
			}
			page, err := s.List(context.Background(), ListOptions{MaxKeys: 10})
			if err != nil {
				t.Fatal(err)
			}
			if !previous {
				_, err := s.Head("photo.jpg")
				wantErr(t, err, ErrNotFound)
				if len(page.Objects) != 0 {
					t.Fatalf("List shows %v", pageKeys(page))
				}
				return
			}
			data, o := readObject(t, s, "photo.jpg")
			if string(data) != "previous" || o.ETag != old.ETag || len(o.Tags) != 1 || o.Placed {
				t.Fatalf("previous version after the kill: %q %+v", data, o)
			}
			if len(page.Objects) != 1 || page.Objects[0].ETag != old.ETag {
				t.Fatalf("List shows %+v", page.Objects)
			}
		})
	}
}

// waitForTempData waits until the child has written part of the body.
func waitForTempData(t *testing.T, dir string, cmd *exec.Cmd, out *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ents, _ := os.ReadDir(filepath.Join(dir, tmpPath))
		for _, e := range ents {
			if fi, err := e.Info(); err == nil && fi.Size() > 0 {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatalf("the child never started writing; its output:\n%s", out)
}

func TestSecondOpenIsLocked(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, dir)
	start := time.Now()
	_, err := Open(dir, Options{LockTimeout: 150 * time.Millisecond})
	wantErr(t, err, ErrLocked)
	if waited := time.Since(start); waited < 50*time.Millisecond || waited > 3*time.Second {
		t.Fatalf("gave up after %v", waited)
	}
	t.Log(err)
	mustPut(t, s, "k", []byte("still works"), PutOptions{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open after the holder closed: %v", err)
	}
	s2.Close()
}
