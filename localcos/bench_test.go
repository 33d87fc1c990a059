package localcos

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

// benchFolder builds, once per machine, a folder of 100,000 small files placed directly
// (as a photographer's folder would be), and reuses it across runs.
func benchFolder(b *testing.B) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "lightbox-localcos-bench-100k-v1")
	done := filepath.Join(dir, ".complete")
	if _, err := os.Stat(done); err == nil {
		return dir
	}
	if err := os.MkdirAll(filepath.Join(dir, "photos"), 0o755); err != nil {
		b.Fatal(err)
	}
	for i := range 100_000 {
		name := filepath.Join(dir, "photos", fmt.Sprintf("IMG_%06d.jpg", i))
		if err := os.WriteFile(name, []byte("x"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkListObjects1000Of100k lists one page of 1000 keys, after a random marker, out
// of a 100,000-file folder, through the SDK over HTTP: what the reviewer does per page.
func BenchmarkListObjects1000Of100k(b *testing.B) {
	dir := benchFolder(b)
	e := newEnvDir(b, dir, nil)
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		marker := fmt.Sprintf("photos/IMG_%06d.jpg", rng.IntN(99_000))
		res, _, err := e.cos.Bucket.Get(ctx, &cos.BucketGetOptions{Prefix: "photos/", Delimiter: "/", Marker: marker, MaxKeys: 1000})
		if err != nil || len(res.Contents) != 1000 {
			b.Fatalf("%v %d", err, len(res.Contents))
		}
	}
}

// BenchmarkAssessQualityCached is a repeat AssessQuality on an unchanged object.
func BenchmarkAssessQualityCached(b *testing.B) {
	e := newEnvDir(b, b.TempDir(), nil)
	if _, err := e.cos.Object.Put(ctx, "scene.jpg", bytes.NewReader(sceneJPEG(3)), nil); err != nil {
		b.Fatal(err)
	}
	if _, _, err := e.cos.CI.ImageQuality(ctx, "scene.jpg"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := e.cos.CI.ImageQuality(ctx, "scene.jpg"); err != nil {
			b.Fatal(err)
		}
	}
	if n := e.assessN.Load(); n != 1 {
		b.Fatalf("scored %d times", n)
	}
}
