package exif

import (
	"encoding/binary"
	"testing"
)

// tiffWith is a minimal TIFF structure whose IFD0 holds one Orientation entry.
func tiffWith(bo binary.ByteOrder, o uint16) []byte {
	t := make([]byte, 8+2+12+4)
	if bo == binary.LittleEndian {
		copy(t, "II*\x00")
	} else {
		copy(t, "MM\x00*")
	}
	bo.PutUint32(t[4:], 8)
	bo.PutUint16(t[8:], 1)
	bo.PutUint16(t[10:], 0x0112)
	bo.PutUint16(t[12:], 3)
	bo.PutUint32(t[14:], 1)
	bo.PutUint16(t[18:], o)
	return t
}

func TestOrientationBothByteOrders(t *testing.T) {
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for o := uint16(1); o <= 8; o++ {
			if got, ok := Orientation(tiffWith(bo, o)); !ok || got != int(o) {
				t.Errorf("%v %d: got %d %v", bo, o, got, ok)
			}
		}
		if _, ok := Orientation(tiffWith(bo, 9)); ok {
			t.Errorf("%v: orientation 9 accepted", bo)
		}
	}
	for _, bad := range [][]byte{nil, []byte("II*\x00\xff\xff\xff\xff"), tiffWith(binary.LittleEndian, 6)[:15]} {
		if _, ok := Orientation(bad); ok {
			t.Errorf("malformed %x accepted", bad)
		}
	}
}

func TestJPEGOrientationWalksMarkers(t *testing.T) {
	seg := append([]byte("Exif\x00\x00"), tiffWith(binary.BigEndian, 6)...)
	app1 := append([]byte{0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
	app0 := []byte{0xFF, 0xE0, 0x00, 0x04, 'J', 'F'}
	jpeg := append(append(append([]byte{0xFF, 0xD8}, app0...), app1...), 0xFF, 0xDA, 0, 2, 0xFF, 0xD9)
	if got := JPEGOrientation(jpeg); got != 6 {
		t.Errorf("got %d, want 6", got)
	}
	if got := JPEGOrientation(jpeg[:20]); got != 1 {
		t.Errorf("cut short: got %d, want 1", got)
	}
	if got := JPEGOrientation([]byte("not a jpeg")); got != 1 {
		t.Errorf("not a JPEG: %d", got)
	}
}

// TestSourceTurnsACornerUpright follows the stored top-left pixel of a 3x2 picture to where
// each orientation shows it.
func TestSourceTurnsACornerUpright(t *testing.T) {
	const w, h = 3, 2
	want := map[int][2]int{1: {0, 0}, 2: {2, 0}, 3: {2, 1}, 4: {0, 1}, 5: {0, 0}, 6: {1, 0}, 7: {1, 2}, 8: {0, 2}}
	for o, at := range want {
		uw, uh := Upright(o, w, h)
		found := false
		for y := range uh {
			for x := range uw {
				if sx, sy := Source(o, w, h, x, y); sx == 0 && sy == 0 {
					found = x == at[0] && y == at[1]
				}
			}
		}
		if !found {
			t.Errorf("orientation %d: the top-left pixel is not at %v", o, at)
		}
	}
}
