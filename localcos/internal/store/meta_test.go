package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestMetadataSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	put := mustPut(t, s, "a/b.jpg", []byte("bytes"), PutOptions{ContentType: "image/jpeg", UserMeta: map[string]string{"k": "v"}, Tags: []Tag{{"x", "y"}}})
	mustPut(t, s, "m/", nil, PutOptions{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTestStore(t, dir)
	h, err := s.Head("a/b.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if h.ETag != put.ETag || h.ContentType != "image/jpeg" || h.UserMeta["k"] != "v" || len(h.Tags) != 1 || h.Placed || h.CRC64 != put.CRC64 {
		t.Fatalf("after reopen Head = %+v", h)
	}
	if m, err := s.Head("m/"); err != nil || !m.IsFolderMarker {
		t.Fatalf("marker after reopen: %+v %v", m, err)
	}
}

func TestStaleMetadataAfterDirectRewrite(t *testing.T) {
	s, dir := newTestStore(t)
	put := mustPut(t, s, "k.jpg", []byte("uploaded"), PutOptions{ContentType: "image/jpeg", StorageClass: "ARCHIVE", Tags: []Tag{{"a", "b"}}})
	if err := os.WriteFile(filepath.Join(dir, "k.jpg"), []byte("edited by hand!"), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := s.Head("k.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if !h.Placed || h.ContentType != "" || h.StorageClass != "STANDARD" || h.Tags != nil || h.HasCRC || h.Size != 15 || h.ETag == put.ETag {
		t.Fatalf("stale metadata used: %+v", h)
	}
	if _, ok := s.Assessment(h); ok {
		t.Fatal("assessment of the old version returned for the new one")
	}
}

func TestPlacedETag(t *testing.T) {
	s, dir := newTestStore(t)
	p := filepath.Join(dir, "placed.jpg")
	data := []byte("dropped in by hand")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	h1, err := s.Head("placed.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if !h1.Placed || h1.HasCRC || h1.ETag == md5ETag(data) || len(h1.ETag) != 34 || h1.ETag[0] != '"' {
		t.Fatalf("placed Head = %+v", h1)
	}
	h2, _ := s.Head("placed.jpg")
	_, o := readObject(t, s, "placed.jpg")
	page, err := s.List(context.Background(), ListOptions{MaxKeys: 10})
	if err != nil || len(page.Objects) != 1 {
		t.Fatalf("List = %+v, %v", page, err)
	}
	if h2.ETag != h1.ETag || o.ETag != h1.ETag || page.Objects[0].ETag != h1.ETag {
		t.Fatalf("placed ETag not stable: %s %s %s %s", h1.ETag, h2.ETag, o.ETag, page.Objects[0].ETag)
	}

	if err := s.LearnDigests(o, crcOf(data)); err != nil {
		t.Fatal(err)
	}
	h3, _ := s.Head("placed.jpg")
	if h3.ETag != h1.ETag || !h3.HasCRC || h3.CRC64 != crcOf(data) || !h3.Placed {
		t.Fatalf("after LearnDigests Head = %+v", h3)
	}

	// A changed file gets a new ETag, and a stale Object teaches nothing.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	h4, _ := s.Head("placed.jpg")
	if h4.ETag == h1.ETag || h4.HasCRC {
		t.Fatalf("touched file kept its identity: %+v", h4)
	}
	if err := s.LearnDigests(h1, 42); err != nil {
		t.Fatal(err)
	}
	if h5, _ := s.Head("placed.jpg"); h5.HasCRC {
		t.Fatalf("LearnDigests with a stale Object recorded %+v", h5)
	}
}

func TestCopy(t *testing.T) {
	s, dir := newTestStore(t)
	ctx := context.Background()
	src := mustPut(t, s, "src.jpg", []byte("source bytes"), PutOptions{
		ContentType: "image/jpeg", StorageClass: "STANDARD_IA", UserMeta: map[string]string{"a": "1"}, Tags: []Tag{{"t", "1"}},
	})
	c, err := s.Copy(ctx, "src.jpg", "dst/copy.jpg", CopyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := s.Head("dst/copy.jpg")
	for _, o := range []Object{c, h} {
		if o.ETag != src.ETag || o.CRC64 != src.CRC64 || !o.HasCRC || o.ContentType != "image/jpeg" || o.StorageClass != "STANDARD_IA" ||
			o.UserMeta["a"] != "1" || !slices.Equal(o.Tags, src.Tags) || o.Placed {
			t.Fatalf("copy = %+v, source %+v", o, src)
		}
	}

	r, err := s.Copy(ctx, "src.jpg", "src.jpg", CopyOptions{ReplaceMeta: true, ContentType: "image/png", UserMeta: map[string]string{"B": "2"}, StorageClass: "ARCHIVE"})
	if err != nil {
		t.Fatal(err)
	}
	h, _ = s.Head("src.jpg")
	if h.ETag != src.ETag || h.ContentType != "image/png" || h.UserMeta["b"] != "2" || h.UserMeta["a"] != "" || h.StorageClass != "ARCHIVE" || !slices.Equal(h.Tags, src.Tags) || r.ETag != h.ETag {
		t.Fatalf("copy with replaced metadata = %+v", h)
	}

	// A placed source's identity ETag carries over, and its CRC is learned.
	data := []byte("placed")
	if err := os.WriteFile(filepath.Join(dir, "placed.jpg"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	ps, _ := s.Head("placed.jpg")
	pc, err := s.Copy(ctx, "placed.jpg", "placed-copy.jpg", CopyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if pc.ETag != ps.ETag || pc.Size != ps.Size || !pc.HasCRC || pc.CRC64 != crcOf(data) {
		t.Fatalf("copy of a placed file = %+v, source %+v", pc, ps)
	}
	if h, _ := s.Head("placed-copy.jpg"); h.ETag != ps.ETag {
		t.Fatalf("Head of the copy = %+v", h)
	}

	_, err = s.Copy(ctx, "missing", "x", CopyOptions{})
	wantErr(t, err, ErrNotFound)
}

func TestUpdate(t *testing.T) {
	s, dir := newTestStore(t)
	put := mustPut(t, s, "k", []byte("data"), PutOptions{ContentType: "text/plain", Tags: []Tag{{"a", "1"}}})
	expiry := time.Unix(1700000000, 0)
	o, err := s.Update("k", func(o *Object) error {
		o.Tags = append(o.Tags, Tag{"b", "2"})
		o.StorageClass = "ARCHIVE"
		o.RestoreExpiry = expiry
		o.UserMeta = map[string]string{"Note": "hi"}
		o.ETag, o.Size = "ignored", 99
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := s.Head("k")
	for _, got := range []Object{o, h} {
		if got.ETag != put.ETag || got.Size != 4 || got.StorageClass != "ARCHIVE" || !got.RestoreExpiry.Equal(expiry) ||
			len(got.Tags) != 2 || got.UserMeta["note"] != "hi" || got.ContentType != "text/plain" {
			t.Fatalf("after Update = %+v", got)
		}
	}
	abort := errors.New("no")
	_, err = s.Update("k", func(o *Object) error { o.Tags = nil; return abort })
	wantErr(t, err, abort)
	if h, _ := s.Head("k"); len(h.Tags) != 2 {
		t.Fatalf("aborted Update changed tags: %+v", h)
	}
	_, err = s.Update("missing", func(*Object) error { return nil })
	wantErr(t, err, ErrNotFound)

	// Tagging a placed file keeps its identity ETag.
	if err := os.WriteFile(filepath.Join(dir, "placed"), []byte("p"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Head("placed")
	after, err := s.Update("placed", func(o *Object) error { o.Tags = []Tag{{"x", "y"}}; return nil })
	if err != nil || after.ETag != before.ETag || !after.Placed || len(after.Tags) != 1 {
		t.Fatalf("Update of a placed file = %+v, %v", after, err)
	}
	mustPut(t, s, "m/", nil, PutOptions{})
	if o, err := s.Update("m/", func(o *Object) error { o.Tags = []Tag{{"m", "1"}}; return nil }); err != nil || !o.IsFolderMarker || len(o.Tags) != 1 {
		t.Fatalf("Update of a marker = %+v, %v", o, err)
	}
}

func TestAssessmentCache(t *testing.T) {
	s, dir := newTestStore(t)
	o := mustPut(t, s, "k.jpg", []byte("v1"), PutOptions{})
	if _, ok := s.Assessment(o); ok {
		t.Fatal("assessment before any was set")
	}
	if err := s.SetAssessment(o, []byte("score-1")); err != nil {
		t.Fatal(err)
	}
	h, _ := s.Head("k.jpg")
	if b, ok := s.Assessment(h); !ok || string(b) != "score-1" {
		t.Fatalf("Assessment = %q, %v", b, ok)
	}
	o2 := mustPut(t, s, "k.jpg", []byte("v2"), PutOptions{})
	if _, ok := s.Assessment(o2); ok {
		t.Fatal("new bytes got the old assessment")
	}
	// Placed files: the blob follows the identity.
	p := filepath.Join(dir, "p.jpg")
	os.WriteFile(p, []byte("x"), 0o644)
	ph, _ := s.Head("p.jpg")
	s.SetAssessment(ph, []byte("p-score"))
	if b, ok := s.Assessment(ph); !ok || !bytes.Equal(b, []byte("p-score")) {
		t.Fatalf("placed Assessment = %q, %v", b, ok)
	}
	os.WriteFile(p, []byte("yy"), 0o644)
	ph2, _ := s.Head("p.jpg")
	if _, ok := s.Assessment(ph2); ok {
		t.Fatal("rewritten placed file got the old assessment")
	}
	if err := s.Delete("p.jpg"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Assessment(ph); ok {
		t.Fatal("assessment survived Delete")
	}
}
