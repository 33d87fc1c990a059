package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

const (
	benchFiles   = 100_000
	benchVersion = "v1" // bump when the fixture's layout changes
)

func benchKey(i int) string { return fmt.Sprintf("photos/IMG_%06d.jpg", i) }

// benchFixture returns a folder holding photos/ with 100,000 tiny files (plus
// a few others), built once and reused by later runs from os.TempDir().
func benchFixture(b *testing.B) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "lightbox-store-bench-"+benchVersion)
	if _, err := os.Stat(filepath.Join(dir, "photos")); err == nil {
		return dir
	}
	b.Logf("building %s (once)", dir)
	build, err := os.MkdirTemp(os.TempDir(), "lightbox-store-bench-build-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(build)
	for _, d := range []string{"photos", "other/deeper"} {
		if err := os.MkdirAll(filepath.Join(build, d), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	for i := range benchFiles {
		if err := os.WriteFile(filepath.Join(build, benchKey(i)), []byte("jpg"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for _, k := range []string{"README.txt", "other/a.jpg", "other/deeper/b.jpg", "photos.txt", "zebra.jpg"} {
		os.WriteFile(filepath.Join(build, k), []byte("x"), 0o644)
	}
	s, err := Open(build, Options{})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	// Old mtimes let the folder-entry cache trust these folders at once.
	old := time.Now().Add(-time.Hour)
	for _, d := range []string{".", "photos", "other", "other/deeper"} {
		os.Chtimes(filepath.Join(build, d), old, old)
	}
	// Rename last, so an interrupted build is never mistaken for a fixture.
	if err := os.Rename(build, dir); err != nil {
		b.Fatal(err)
	}
	return dir
}

func BenchmarkList1000Of100k(b *testing.B) {
	dir := benchFixture(b)
	s, err := Open(dir, Options{LockTimeout: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	run := func(b *testing.B, opt ListOptions, cold bool) {
		rng := rand.New(rand.NewPCG(1, 1))
		if _, err := s.List(ctx, opt); err != nil { // fill the cache outside the timing
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			opt.Marker = benchKey(rng.IntN(benchFiles - 1000))
			if cold {
				s.listings.reset()
			}
			page, err := s.List(ctx, opt)
			if err != nil {
				b.Fatal(err)
			}
			if len(page.Objects) != 1000 || !page.IsTruncated {
				b.Fatalf("listed %d objects, truncated %v", len(page.Objects), page.IsTruncated)
			}
		}
	}
	b.Run("delimiter", func(b *testing.B) {
		run(b, ListOptions{Prefix: "photos/", Delimiter: "/", MaxKeys: 1000}, false)
	})
	b.Run("no-delimiter", func(b *testing.B) {
		run(b, ListOptions{MaxKeys: 1000}, false)
	})
	b.Run("cold-cache", func(b *testing.B) {
		run(b, ListOptions{Prefix: "photos/", Delimiter: "/", MaxKeys: 1000}, true)
	})
}
