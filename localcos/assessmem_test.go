package localcos

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"lightbox/internal/testmem"
	"lightbox/quality/synth"
)

// Eight large non-images scored at once are refused from their first bytes: no file is
// read whole (issue 14: 4.3 GB and 20 s for eight 250 MB files).
func TestAssessLargeNonImagesHoldsNoMemory(t *testing.T) {
	e := newEnv(t, nil) // --limits local
	const n, size = 8, 200 << 20
	for i := range n {
		f, err := os.Create(filepath.Join(e.dir, fmt.Sprintf("clip%d.jpg", i)))
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("\x00\x00\x00\x18ftypmp42")
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	errs := make([]error, n)
	peak := testmem.PeakHeapDuring(func() {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, _, errs[i] = e.cos.CI.ImageQuality(context.Background(), fmt.Sprintf("clip%d.jpg", i))
			})
		}
		wg.Wait()
	})
	t.Logf("%d x %d MB non-images through AssessQuality: peak heap %.1f MB", n, size>>20, float64(peak)/(1<<20))
	for i, err := range errs {
		if s, c := cosCode(err); s != 400 || c != "UnsupportedFormat" {
			t.Errorf("clip%d: %d %q (%v)", i, s, c, err)
		}
	}
	if e.assessN.Load() != 0 {
		t.Errorf("the scorer ran %d times on non-images", e.assessN.Load())
	}
	if peak > 32<<20 {
		t.Errorf("peak heap %.0f MB to refuse %d non-images", float64(peak)/(1<<20), n)
	}
}

// Nine PNG bombs at once through the server (1.98 GB in issue 14, two unanswered after
// 20 s) are all answered, within a bounded heap.
func TestAssessPNGBombsHoldBoundedMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("inflates 9 x 392 MB")
	}
	e := newEnv(t, nil)
	bomb := synth.PNGBomb()
	const n = 9
	for i := range n {
		// Distinct bytes, so that nine computations run rather than one shared.
		b := bytes.Clone(bomb)
		b = append(b[:len(b)-12], append([]byte{0, 0, 0, 1, 't', 'E', 'X', 't', byte(i)}, b[len(b)-12:]...)...)
		e.put(fmt.Sprintf("bomb%d.png", i), fixTextCRC(b, len(bomb)-12), nil)
	}
	errs := make([]error, n)
	peak := testmem.PeakHeapDuring(func() {
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, _, errs[i] = e.cos.CI.ImageQuality(context.Background(), fmt.Sprintf("bomb%d.png", i))
			})
		}
		wg.Wait()
	})
	t.Logf("%d PNG bombs at once through AssessQuality: peak heap %.1f MB", n, float64(peak)/(1<<20))
	for i, err := range errs {
		if err != nil {
			t.Errorf("bomb%d: %v", i, err)
		}
	}
	if peak > 256<<20 {
		t.Errorf("peak heap %.0f MB for %d bombs", float64(peak)/(1<<20), n)
	}
}

// fixTextCRC writes the CRC of the one-byte tEXt chunk spliced in at off.
func fixTextCRC(b []byte, off int) []byte {
	chunk := b[off+4 : off+9] // "tEXt" + 1 byte
	crc := crc32.ChecksumIEEE(chunk)
	out := append([]byte{}, b[:off+9]...)
	out = binary.BigEndian.AppendUint32(out, crc)
	return append(out, b[off+9:]...)
}
