package jpegdec

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func isTruncOrFormat(err error) bool {
	var fe *FormatError
	return errors.Is(err, ErrTruncated) || errors.As(err, &fe)
}

func allFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "*.jpg"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	m := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		m[filepath.Base(n)] = b
	}
	return m
}

func TestNotJPEG(t *testing.T) {
	for _, in := range [][]byte{nil, {}, {0xFF}, []byte("GIF89a...."), {0xFF, 0xD9, 0, 0}, {0x89, 'P', 'N', 'G'}} {
		if _, _, err := Decode(in, Options{Denom: 1}); !errors.Is(err, ErrNotJPEG) {
			t.Errorf("Decode(%q) = %v, want ErrNotJPEG", in, err)
		}
		if _, err := DecodeHeader(in); !errors.Is(err, ErrNotJPEG) {
			t.Errorf("DecodeHeader(%q) = %v, want ErrNotJPEG", in, err)
		}
	}
}

func TestBadDenom(t *testing.T) {
	data := readFixture(t, "seq444.jpg")
	for _, d := range []int{0, 3, 5, 16, -1} {
		if _, _, err := Decode(data, Options{Denom: d}); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("Denom %d accepted", d)
		}
	}
}

// TestTruncated cuts files at every position: everything short of the
// complete scan data must fail with ErrTruncated or a FormatError; only the
// EOI marker may be missing.
func TestTruncated(t *testing.T) {
	files := []string{"seq420.jpg", "prog420.jpg", "restart3b.jpg", "prog422_restart.jpg", "proggray.jpg", "prog_custom.jpg"}
	gen := encodeTest(baseSpec(30, 20, [][2]int{{2, 2}, {1, 1}, {1, 1}}, 1))
	for _, name := range files {
		var data []byte
		if name == "seq420.jpg" {
			data = gen.data
		} else {
			data = readFixture(t, name)
		}
		step := 1
		if testing.Short() || raceEnabled {
			step = 11
		}
		for cut := 0; cut < len(data); cut += step {
			for _, k := range []int{1, 8} {
				_, _, err := Decode(data[:cut], Options{Denom: k})
				switch {
				case cut < 2:
					if !errors.Is(err, ErrNotJPEG) {
						t.Fatalf("%s cut %d: %v", name, cut, err)
					}
				case cut >= len(data)-2:
					if err != nil {
						t.Fatalf("%s cut %d (EOI missing): %v", name, cut, err)
					}
				default:
					if !isTruncOrFormat(err) {
						t.Fatalf("%s cut %d/%d 1/%d: err = %v", name, cut, len(data), k, err)
					}
				}
			}
		}
	}
}

// TestCorrupted flips bytes all over the files: decoding may fail or
// succeed but must not panic, and failures must be typed.
func TestCorrupted(t *testing.T) {
	rng := uint32(1)
	for name, data := range allFixtures(t) {
		buf := make([]byte, len(data))
		rounds := 150
		if testing.Short() || raceEnabled {
			rounds = 15
		}
		for i := 0; i < rounds; i++ {
			copy(buf, data)
			for j := 0; j < 1+i%4; j++ {
				rng = rng*1664525 + 1013904223
				pos := int(rng>>8) % len(buf)
				buf[pos] ^= byte(rng>>3) | 1
			}
			for _, k := range []int{1, 2, 4, 8} {
				_, _, err := Decode(buf, Options{Denom: k, MaxPixels: 1 << 22})
				if err != nil && !isTruncOrFormat(err) && !errors.Is(err, ErrUnsupported) &&
					!errors.Is(err, ErrNotJPEG) && !errors.Is(err, ErrTooLarge) {
					t.Fatalf("%s: untyped error %v", name, err)
				}
			}
			DecodeHeader(buf)
		}
	}
}

// sofOffset finds the SOFn marker segment.
func sofOffset(t *testing.T, data []byte) int {
	t.Helper()
	for i := 2; i+3 < len(data); {
		if data[i] != 0xFF {
			t.Fatal("lost marker sync")
		}
		m := data[i+1]
		if m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC {
			return i
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
	t.Fatal("no SOF")
	return 0
}

func patched(t *testing.T, data []byte, f func(b []byte, sof int)) []byte {
	b := append([]byte(nil), data...)
	f(b, sofOffset(t, b))
	return b
}

func TestHugeDimensions(t *testing.T) {
	data := readFixture(t, "seq444.jpg")
	huge := patched(t, data, func(b []byte, s int) {
		binary.BigEndian.PutUint16(b[s+5:], 65535) // height
		binary.BigEndian.PutUint16(b[s+7:], 65535) // width
	})
	hdr, err := DecodeHeader(huge)
	if err != nil || hdr.Width != 65535 || hdr.Height != 65535 {
		t.Fatalf("DecodeHeader: %+v %v", hdr, err)
	}
	measure := func(opt Options) (uint64, error) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, _, err := Decode(huge, opt)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc, err
	}
	n, err := measure(Options{Denom: 1, MaxPixels: 1 << 24})
	if !errors.Is(err, ErrTooLarge) || n > 1<<20 {
		t.Fatalf("MaxPixels: err %v, allocated %d bytes", err, n)
	}
	// Without a limit the data is far too short for 4G pixels: refused
	// before allocating planes.
	n, err = measure(Options{Denom: 1})
	if !errors.Is(err, ErrTruncated) || n > 1<<20 {
		t.Fatalf("no limit: err %v, allocated %d bytes", err, n)
	}
	allocs := testing.AllocsPerRun(20, func() { Decode(huge, Options{Denom: 8, MaxPixels: 1 << 24}) })
	if allocs > 8 {
		t.Fatalf("%v allocations before refusing", allocs)
	}
	// Exactly at the limit is allowed.
	if _, _, err := Decode(data, Options{Denom: 1, MaxPixels: 97 * 61}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Decode(data, Options{Denom: 1, MaxPixels: 97*61 - 1}); !errors.Is(err, ErrTooLarge) {
		t.Fatal(err)
	}
}

func TestUnsupportedAndFormat(t *testing.T) {
	seq := readFixture(t, "seq444.jpg")
	gray := readFixture(t, "gray_opt.jpg")
	unsup := map[string][]byte{
		"lossless":     patched(t, seq, func(b []byte, s int) { b[s+1] = 0xC3 }),
		"hierarchical": patched(t, seq, func(b []byte, s int) { b[s+1] = 0xC5 }),
		"arith-sof9":   patched(t, seq, func(b []byte, s int) { b[s+1] = 0xC9 }),
		"12-bit":       patched(t, seq, func(b []byte, s int) { b[s+4] = 12 }),
		"2-comp":       patched(t, seq, func(b []byte, s int) { b[s+9] = 2 }),
		"5-comp":       patched(t, seq, func(b []byte, s int) { b[s+9] = 5 }),
	}
	for name, data := range unsup {
		_, err := DecodeHeader(data)
		_, _, err2 := Decode(data, Options{Denom: 2})
		if !errors.Is(err, ErrUnsupported) || !errors.Is(err2, ErrUnsupported) {
			t.Errorf("%s: %v / %v, want ErrUnsupported", name, err, err2)
		}
	}
	// Frame component 1 sampling byte is at s+11 (after id).
	bad := map[string][]byte{
		"zero-width":  patched(t, seq, func(b []byte, s int) { b[s+7], b[s+8] = 0, 0 }),
		"zero-height": patched(t, seq, func(b []byte, s int) { b[s+5], b[s+6] = 0, 0 }),
		"sampling-0":  patched(t, seq, func(b []byte, s int) { b[s+11] = 0x01 }),
		"sampling-5":  patched(t, seq, func(b []byte, s int) { b[s+11] = 0x51 }),
		"quant-idx":   patched(t, seq, func(b []byte, s int) { b[s+12] = 7 }),
		"dup-id":      patched(t, seq, func(b []byte, s int) { b[s+13] = b[s+10] }),
		"precision":   patched(t, seq, func(b []byte, s int) { b[s+4] = 9 }),
		"missing-dht": dropSegments(t, gray, 0xC4),
		"missing-dqt": dropSegments(t, gray, 0xDB),
		"sos-only":    {0xFF, 0xD8, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0xFF, 0xD9},
		"eoi-only":    {0xFF, 0xD8, 0xFF, 0xD9},
		"bad-length":  {0xFF, 0xD8, 0xFF, 0xE0, 0, 1, 0xFF, 0xD9},
	}
	for name, data := range bad {
		_, _, err := Decode(data, Options{Denom: 1})
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v, want FormatError", name, err)
		}
	}
}

// dropSegments removes every marker segment of kind m.
func dropSegments(t *testing.T, data []byte, m byte) []byte {
	out := append([]byte(nil), data[:2]...)
	for i := 2; i+3 < len(data); {
		n := 2 + int(binary.BigEndian.Uint16(data[i+2:]))
		if data[i+1] == 0xDA {
			return append(out, data[i:]...)
		}
		if data[i+1] != m {
			out = append(out, data[i:i+n]...)
		}
		i += n
	}
	t.Fatal("no SOS")
	return nil
}

// exifSegment builds an APP1 Exif segment with IFD0 holding one entry.
func exifSegment(bigEndian bool, tag, typ uint16, count uint32, val uint16) []byte {
	var bo binary.AppendByteOrder = binary.LittleEndian
	tiff := []byte("II*\x00")
	if bigEndian {
		bo, tiff = binary.BigEndian, []byte("MM\x00*")
	}
	tiff = bo.AppendUint32(tiff, 8)
	tiff = bo.AppendUint16(tiff, 2)
	// an unrelated entry first, then the interesting one
	tiff = bo.AppendUint16(tiff, 0x010F)
	tiff = bo.AppendUint16(tiff, 2)
	tiff = bo.AppendUint32(tiff, 4)
	tiff = append(tiff, 'A', 'B', 'C', 0)
	tiff = bo.AppendUint16(tiff, tag)
	tiff = bo.AppendUint16(tiff, typ)
	tiff = bo.AppendUint32(tiff, count)
	tiff = bo.AppendUint16(tiff, val)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	return append(seg, payload...)
}

func TestEXIFSpliced(t *testing.T) {
	base := readFixture(t, "seq444.jpg")
	splice := func(seg []byte) []byte {
		return append(append(append([]byte(nil), base[:2]...), seg...), base[2:]...)
	}
	for _, be := range []bool{false, true} {
		for o := uint16(0); o <= 9; o++ {
			hdr, err := DecodeHeader(splice(exifSegment(be, 0x0112, 3, 1, o)))
			if err != nil {
				t.Fatal(err)
			}
			want := int(o)
			if o < 1 || o > 8 {
				want = 1
			}
			if !hdr.HasEXIF || hdr.Orientation != want {
				t.Errorf("be=%v o=%d: HasEXIF=%v Orientation=%d", be, o, hdr.HasEXIF, hdr.Orientation)
			}
		}
		// wrong type, or no orientation tag: 1
		for _, seg := range [][]byte{exifSegment(be, 0x0112, 4, 1, 6), exifSegment(be, 0x0110, 3, 1, 6)} {
			img, hdr, err := Decode(splice(seg), Options{Denom: 4})
			if err != nil || img == nil || !hdr.HasEXIF || hdr.Orientation != 1 {
				t.Errorf("be=%v: %+v %v", be, hdr, err)
			}
		}
	}
	// Garbage EXIF must not break decoding.
	junk := []byte{0xFF, 0xE1, 0, 14, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, '*', 0xFF, 0xFF}
	if _, hdr, err := Decode(splice(junk), Options{Denom: 8}); err != nil || hdr.Orientation != 1 {
		t.Fatal(hdr, err)
	}
}

func TestHeaderFields(t *testing.T) {
	hdr, err := DecodeHeader(readFixture(t, "seq422.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if hdr.Components != 3 || hdr.HSamp[0] != 2 || hdr.VSamp[0] != 1 || hdr.HSamp[1] != 1 ||
		hdr.ComponentQuant[0] != 0 || hdr.ComponentQuant[1] != 1 || !hdr.QuantPresent[0] || !hdr.QuantPresent[1] ||
		hdr.QuantPresent[2] || hdr.Adobe {
		t.Fatalf("%+v", hdr)
	}
	// cjpeg -quality 85: luminance DC quantizer 5, natural order check via
	// the (0,1) and (1,0) entries of the standard table scaled to q85
	// (11*30/100=3.3 -> 3 and 12*30/100 -> 4).
	if q := hdr.QuantTables[0]; q[0] != 5 || q[1] != 3 || q[8] != 4 {
		t.Fatalf("quant table not in natural order: %v", q[:16])
	}
	sp := baseSpec(20, 20, [][2]int{{1, 1}}, 1)
	sp.quant16[0] = true
	sp.quant[0][1] = 700
	hdr, err = DecodeHeader(encodeTest(sp).data)
	if err != nil || hdr.QuantTables[0][1] != 700 || hdr.QuantTables[0][8] != sp.quant[0][8] {
		t.Fatalf("16-bit DQT: %v %v", hdr.QuantTables[0][:10], err)
	}
	if !strings.Contains(unsupported("arithmetic coding").Error(), "arithmetic") {
		t.Fatal("unsupported message lost")
	}
}
