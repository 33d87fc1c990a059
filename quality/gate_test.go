package quality

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lightbox/internal/testmem"
)

func TestMemoryGateBoundsBytes(t *testing.T) {
	g := NewMemoryGate(100)
	r1, _ := g.Acquire(context.Background(), 60)
	got := make(chan struct{})
	go func() {
		r2, _ := g.Acquire(context.Background(), 60)
		close(got)
		r2()
	}()
	select {
	case <-got:
		t.Fatal("120 bytes admitted under a 100-byte budget")
	case <-time.After(50 * time.Millisecond):
	}
	r1()
	<-got
	// Larger than the budget: runs alone.
	r3, err := g.Acquire(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := g.Acquire(ctx, 1); err == nil {
		t.Fatal("admitted beside work that takes the whole budget")
	}
	r3()
	if r, err := g.Acquire(context.Background(), 100); err != nil {
		t.Fatal(err)
	} else {
		r()
	}
}

// A 200 MB file that is not an image is refused from its first bytes, without reading it.
func TestLargeNonImageIsRefusedWithoutReadingIt(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 4 {
		p := filepath.Join(dir, "video"+string(rune('a'+i))+".jpg")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("\x00\x00\x00\x18ftypmp42") // an MP4 named .jpg
		if err := f.Truncate(200 << 20); err != nil {
			t.Fatal(err)
		}
		f.Close()
		paths = append(paths, p)
	}
	var codes []Code
	peak := testmem.PeakHeapDuring(func() {
		AssessFiles(context.Background(), paths, 4, Options{}, func(fr FileResult) {
			if fr.Err != nil {
				codes = append(codes, fr.Err.Code)
			}
		})
	})
	t.Logf("4 x 200 MB non-images: peak heap %.1f MB", float64(peak)/(1<<20))
	if len(codes) != 4 || codes[0] != CodeUnsupportedFormat {
		t.Errorf("codes %v", codes)
	}
	if peak > 16<<20 {
		t.Errorf("peak heap %.0f MB to refuse 4 non-images", float64(peak)/(1<<20))
	}
}
