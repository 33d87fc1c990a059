package inplace

import (
	"encoding/binary"
	"math"
	"testing"
)

// TestViewsShareAlignedBytesAndCopyOthers: an aligned buffer is viewed in place (a write to
// the bytes shows through), a misaligned one is decoded into a copy with the same values.
func TestViewsShareAlignedBytesAndCopyOthers(t *testing.T) {
	vals := []float64{1.5, -2.25, math.Pi}
	buf := make([]byte, 8*len(vals)+8) // make's memory is 8-byte aligned
	for i, v := range vals {
		binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(v))
	}
	got, same := Float64s(buf[:8*len(vals)])
	if !same || got[2] != math.Pi {
		t.Fatalf("aligned: %v, in place %v", got, same)
	}
	binary.LittleEndian.PutUint64(buf, math.Float64bits(7))
	if got[0] != 7 {
		t.Fatal("an in-place view does not see its bytes")
	}
	shifted := buf[1 : 1+8]
	copy(shifted, buf[8:16])
	moved, same := Float64s(shifted)
	if same || moved[0] != -2.25 {
		t.Fatalf("misaligned: %v, in place %v", moved, same)
	}
	f32 := make([]byte, 8)
	binary.LittleEndian.PutUint32(f32[4:], math.Float32bits(0.5))
	if v, _ := Float32s(f32); len(v) != 2 || v[1] != 0.5 {
		t.Fatalf("float32s: %v", v)
	}
	if v, same := Float32s(nil); v != nil || !same {
		t.Fatal("empty input")
	}
}
