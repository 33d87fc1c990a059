package store

import (
	"bytes"
	"context"
	"crypto/md5"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

func TestPutHeadOpenDelete(t *testing.T) {
	s, dir := newTestStore(t)
	data := []byte("abc")
	put := mustPut(t, s, "photos/2019/cat.jpg", data, PutOptions{
		ContentType:  "image/jpeg",
		StorageClass: "STANDARD_IA",
		UserMeta:     map[string]string{"Camera": "X100"},
		Tags:         []Tag{{"z", "1"}, {"a", "2"}},
	})
	if put.ETag != `"900150983cd24fb0d6963f7d28e17f72"` || put.Size != 3 || !put.HasCRC || put.CRC64 != crcOf(data) || put.Placed {
		t.Fatalf("Put returned %+v", put)
	}
	head, err := s.Head("photos/2019/cat.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if head.ETag != put.ETag || head.Size != 3 || head.ContentType != "image/jpeg" || head.StorageClass != "STANDARD_IA" ||
		head.UserMeta["camera"] != "X100" || !slices.Equal(head.Tags, []Tag{{"z", "1"}, {"a", "2"}}) ||
		!head.ModTime.Equal(put.ModTime) || head.CRC64 != put.CRC64 {
		t.Fatalf("Head = %+v, Put = %+v", head, put)
	}
	got, o := readObject(t, s, "photos/2019/cat.jpg")
	if !bytes.Equal(got, data) || o.ETag != put.ETag {
		t.Fatalf("Open read %q with %+v", got, o)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "photos/2019/cat.jpg")); err != nil || !bytes.Equal(b, data) {
		t.Fatalf("file on disk: %q, %v", b, err)
	}

	if err := s.Delete("photos/2019/cat.jpg"); err != nil {
		t.Fatal(err)
	}
	_, err = s.Head("photos/2019/cat.jpg")
	wantErr(t, err, ErrNotFound)
	_, _, err = s.Open("photos/2019/cat.jpg")
	wantErr(t, err, ErrNotFound)
	if _, err := os.Stat(filepath.Join(dir, "photos")); !os.IsNotExist(err) {
		t.Fatalf("folders left empty by Delete remain: %v", err)
	}
	if err := s.Delete("photos/2019/cat.jpg"); err != nil {
		t.Fatalf("deleting a missing key: %v", err)
	}
	if tmp := tmpEntries(t, dir); len(tmp) != 0 {
		t.Fatalf("tmp holds %v", tmp)
	}
}

func TestPutReplacesAndDropsMetadata(t *testing.T) {
	s, _ := newTestStore(t)
	mustPut(t, s, "k", []byte("one"), PutOptions{ContentType: "text/plain", Tags: []Tag{{"a", "b"}}})
	o := mustPut(t, s, "k", []byte("two!"), PutOptions{})
	h, err := s.Head("k")
	if err != nil {
		t.Fatal(err)
	}
	if h.ETag != md5ETag([]byte("two!")) || h.ContentType != "" || h.Tags != nil || h.Size != 4 || h.ETag != o.ETag {
		t.Fatalf("after overwrite Head = %+v", h)
	}
}

func TestPutContentMD5(t *testing.T) {
	s, dir := newTestStore(t)
	data := []byte("hello")
	sum := md5.Sum(data)
	bad := md5.Sum([]byte("other"))
	_, err := s.Put(context.Background(), "k", bytes.NewReader(data), PutOptions{WantMD5: bad[:]})
	wantErr(t, err, ErrBadDigest)
	_, err = s.Head("k")
	wantErr(t, err, ErrNotFound)
	if _, err := s.Put(context.Background(), "k", bytes.NewReader(data), PutOptions{WantMD5: sum[:]}); err != nil {
		t.Fatal(err)
	}
	if tmp := tmpEntries(t, dir); len(tmp) != 0 {
		t.Fatalf("tmp holds %v", tmp)
	}
}

func TestPutMaxSize(t *testing.T) {
	s, dir := newTestStore(t)
	mustPut(t, s, "k", []byte("old"), PutOptions{})
	_, err := s.Put(context.Background(), "k", bytes.NewReader(make([]byte, 11)), PutOptions{MaxSize: 10})
	wantErr(t, err, ErrTooLarge)
	if got, _ := readObject(t, s, "k"); string(got) != "old" {
		t.Fatalf("previous version damaged: %q", got)
	}
	if _, err := s.Put(context.Background(), "k", bytes.NewReader(make([]byte, 10)), PutOptions{MaxSize: 10}); err != nil {
		t.Fatalf("a body of exactly MaxSize: %v", err)
	}
	if tmp := tmpEntries(t, dir); len(tmp) != 0 {
		t.Fatalf("tmp holds %v", tmp)
	}
}

// chunkReader yields chunks, calling hook before each read.
type chunkReader struct {
	chunks int
	hook   func(n int) error
	n      int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if err := r.hook(r.n); err != nil {
		return 0, err
	}
	if r.n == r.chunks {
		return 0, io.EOF
	}
	r.n++
	return copy(p, bytes.Repeat([]byte{'x'}, min(len(p), 1000))), nil
}

func TestPutFailuresKeepPreviousVersion(t *testing.T) {
	readErr := errors.New("connection reset")
	tests := []struct {
		name string
		run  func(s *Store) error
		want error
	}{
		{"ctx cancelled mid-body", func(s *Store) error {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			r := &chunkReader{chunks: 10, hook: func(n int) error {
				if n == 3 {
					cancel()
				}
				return nil
			}}
			_, err := s.Put(ctx, "k", r, PutOptions{})
			return err
		}, context.Canceled},
		{"reader error mid-body", func(s *Store) error {
			r := &chunkReader{chunks: 10, hook: func(n int) error {
				if n == 3 {
					return readErr
				}
				return nil
			}}
			_, err := s.Put(context.Background(), "k", r, PutOptions{})
			return err
		}, readErr},
		{"disk full", func(s *Store) error {
			s.wrapTemp = func(w io.Writer) io.Writer { return &fullDisk{w: w, room: 1500} }
			defer func() { s.wrapTemp = nil }()
			_, err := s.Put(context.Background(), "k", &chunkReader{chunks: 10, hook: func(int) error { return nil }}, PutOptions{})
			return err
		}, syscall.ENOSPC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, dir := newTestStore(t)
			old := mustPut(t, s, "k", []byte("previous"), PutOptions{Tags: []Tag{{"keep", "me"}}})
			wantErr(t, tt.run(s), tt.want)
			got, o := readObject(t, s, "k")
			if string(got) != "previous" || o.ETag != old.ETag || len(o.Tags) != 1 {
				t.Fatalf("previous version damaged: %q %+v", got, o)
			}
			if tmp := tmpEntries(t, dir); len(tmp) != 0 {
				t.Fatalf("tmp holds %v", tmp)
			}
		})
	}
}

// fullDisk fails like a full filesystem once room bytes are written.
type fullDisk struct {
	w    io.Writer
	room int
}

func (f *fullDisk) Write(p []byte) (int, error) {
	if len(p) > f.room {
		n, _ := f.w.Write(p[:f.room])
		f.room = 0
		return n, &os.PathError{Op: "write", Path: "tmp", Err: syscall.ENOSPC}
	}
	f.room -= len(p)
	return f.w.Write(p)
}

func TestFolderMarkers(t *testing.T) {
	s, dir := newTestStore(t)
	m := mustPut(t, s, "albums/", nil, PutOptions{Tags: []Tag{{"t", "v"}}})
	if !m.IsFolderMarker || m.ETag != `"d41d8cd98f00b204e9800998ecf8427e"` || m.Size != 0 {
		t.Fatalf("marker = %+v", m)
	}
	if fi, err := os.Stat(filepath.Join(dir, "albums")); err != nil || !fi.IsDir() {
		t.Fatalf("marker folder: %v", err)
	}
	h, err := s.Head("albums/")
	if err != nil || !h.IsFolderMarker || len(h.Tags) != 1 {
		t.Fatalf("Head(marker) = %+v, %v", h, err)
	}
	f, o, err := s.Open("albums/")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(f); len(b) != 0 || !o.IsFolderMarker {
		t.Fatalf("marker content %q, %+v", b, o)
	}
	f.Close()

	_, err = s.Put(context.Background(), "albums/", bytes.NewReader([]byte("x")), PutOptions{})
	wantErr(t, err, ErrInvalidKey)
	_, err = s.Put(context.Background(), "albums", bytes.NewReader([]byte("x")), PutOptions{})
	wantErr(t, err, ErrConflict)

	// A marked folder survives losing its last file.
	mustPut(t, s, "albums/a.jpg", []byte("a"), PutOptions{})
	if err := s.Delete("albums/a.jpg"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Head("albums/"); err != nil {
		t.Fatalf("marker lost with the folder's last file: %v", err)
	}
	// An implicit folder has no marker.
	mustPut(t, s, "implicit/x", []byte("x"), PutOptions{})
	_, err = s.Head("implicit/")
	wantErr(t, err, ErrNotFound)

	// Deleting a marker removes its folder once empty.
	mustPut(t, s, "albums/b.jpg", []byte("b"), PutOptions{})
	if err := s.Delete("albums/"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "albums/b.jpg")); err != nil {
		t.Fatalf("deleting the marker removed content: %v", err)
	}
	_, err = s.Head("albums/")
	wantErr(t, err, ErrNotFound)
	if err := s.Delete("albums/b.jpg"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "albums")); !os.IsNotExist(err) {
		t.Fatalf("unmarked empty folder remains: %v", err)
	}
	mustPut(t, s, "solo/", nil, PutOptions{})
	if err := s.Delete("solo/"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "solo")); !os.IsNotExist(err) {
		t.Fatalf("empty marked folder remains after deleting its marker: %v", err)
	}
}

func TestConflicts(t *testing.T) {
	s, dir := newTestStore(t)
	mustPut(t, s, "a", []byte("file"), PutOptions{})
	mustPut(t, s, "d/e", []byte("inner"), PutOptions{})
	for _, key := range []string{"a/b", "a/b/c", "a/", "d", "d/e/f"} {
		_, err := s.Put(context.Background(), key, bytes.NewReader([]byte("x")), PutOptions{})
		if isFolderKey(key) {
			_, err = s.Put(context.Background(), key, bytes.NewReader(nil), PutOptions{})
		}
		wantErr(t, err, ErrConflict)
	}
	_, err := s.Copy(context.Background(), "a", "d", CopyOptions{})
	wantErr(t, err, ErrConflict)
	if b, _ := os.ReadFile(filepath.Join(dir, "a")); string(b) != "file" {
		t.Fatalf("a changed: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "d/e")); string(b) != "inner" {
		t.Fatalf("d/e changed: %q", b)
	}
	if tmp := tmpEntries(t, dir); len(tmp) != 0 {
		t.Fatalf("tmp holds %v", tmp)
	}
}
