package store

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// fillTravellers stores 50 objects: 40 uploaded with type, user metadata and tags, and 10
// placed in the folder directly and then tagged (the reviewer's verdicts on a folder of
// photos), and returns what Head says of each.
func fillTravellers(t *testing.T, dir string) map[string]Object {
	t.Helper()
	s := openTestStore(t, dir)
	for i := range 40 {
		mustPut(t, s, fmt.Sprintf("up/%02d.jpg", i), []byte(fmt.Sprintf("uploaded %d", i)), PutOptions{
			ContentType: "image/x-test", UserMeta: map[string]string{"who": fmt.Sprint(i)},
			Tags: []Tag{{"verdict", "pick"}, {"n", fmt.Sprint(i)}},
		})
	}
	if err := os.MkdirAll(filepath.Join(dir, "placed"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		key := fmt.Sprintf("placed/%02d.jpg", i)
		if err := os.WriteFile(filepath.Join(dir, key), []byte(fmt.Sprintf("placed %d", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Update(key, func(o *Object) error { o.Tags = []Tag{{"verdict", "reject"}}; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]Object{}
	page, err := s.List(context.Background(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range page.Objects {
		h, err := s.Head(o.Key)
		if err != nil {
			t.Fatal(err)
		}
		want[o.Key] = h
	}
	if len(want) != 50 {
		t.Fatalf("%d objects", len(want))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return want
}

// checkTravelled opens the store at dir and checks every object kept its metadata and
// ETag, in listings and in Head.
func checkTravelled(t *testing.T, dir string, want map[string]Object) {
	t.Helper()
	s := openTestStore(t, dir)
	page, err := s.List(context.Background(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lost := 0
	for _, o := range page.Objects {
		w := want[o.Key]
		if o.ETag != w.ETag {
			t.Errorf("%s: listed ETag %s, was %s", o.Key, o.ETag, w.ETag)
		}
	}
	for key, w := range want {
		h, err := s.Head(key)
		if err != nil {
			t.Fatal(err)
		}
		if h.ETag != w.ETag || h.ContentType != w.ContentType || !slices.Equal(h.Tags, w.Tags) ||
			fmt.Sprint(h.UserMeta) != fmt.Sprint(w.UserMeta) || h.Placed != w.Placed {
			lost++
			if lost <= 3 {
				t.Errorf("%s: now %+v\nwas %+v", key, h, w)
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d objects lost metadata", lost, len(want))
	}
	s.Close()
}

func TestMetadataSurvivesCpA(t *testing.T) {
	if _, err := exec.LookPath("cp"); err != nil {
		t.Skip("no cp")
	}
	src := t.TempDir()
	want := fillTravellers(t, src)
	dst := filepath.Join(t.TempDir(), "copy")
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v %s", err, out)
	}
	checkTravelled(t, dst, want)
	checkTravelled(t, dst, want) // and again, now relinked
}

func TestMetadataSurvivesTarRestore(t *testing.T) {
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("no tar")
	}
	src := t.TempDir()
	want := fillTravellers(t, src)
	archive := filepath.Join(t.TempDir(), "backup.tar")
	// The ustar format keeps whole seconds only: every mtime changes on restore.
	if out, err := exec.Command("tar", "--format=ustar", "-cf", archive, "-C", src, ".").CombinedOutput(); err != nil {
		t.Fatalf("tar: %v %s", err, out)
	}
	dst := t.TempDir()
	if out, err := exec.Command("tar", "-xf", archive, "-C", dst).CombinedOutput(); err != nil {
		t.Fatalf("untar: %v %s", err, out)
	}
	checkTravelled(t, dst, want)
}

// Another filesystem: new inodes and, as with a plain copy, new mtimes.
func TestMetadataSurvivesCopyToAnotherFilesystem(t *testing.T) {
	src := t.TempDir()
	want := fillTravellers(t, src)
	dst := t.TempDir()
	later := time.Now().Add(time.Hour)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, in); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		return os.Chtimes(out, later, later)
	})
	if err != nil {
		t.Fatal(err)
	}
	checkTravelled(t, dst, want)
}

// A file whose bytes changed (same size) while away does not get the old metadata.
func TestChangedContentDoesNotInheritMetadata(t *testing.T) {
	src := t.TempDir()
	want := fillTravellers(t, src)
	dst := filepath.Join(t.TempDir(), "copy")
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v %s", err, out)
	}
	for _, key := range []string{"up/07.jpg", "placed/03.jpg"} {
		p := filepath.Join(dst, key)
		b, _ := os.ReadFile(p)
		b[0] ^= 0xff
		fi, _ := os.Stat(p)
		if err := os.WriteFile(p+".new", b, 0o644); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p+".new", fi.ModTime(), fi.ModTime())
		if err := os.Rename(p+".new", p); err != nil {
			t.Fatal(err)
		}
	}
	s := openTestStore(t, dst)
	for _, key := range []string{"up/07.jpg", "placed/03.jpg"} {
		h, err := s.Head(key)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Tags) != 0 || h.ETag == want[key].ETag {
			t.Errorf("%s changed but kept %+v", key, h)
		}
	}
}
