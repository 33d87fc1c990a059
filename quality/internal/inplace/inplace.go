// Package inplace views arrays of little-endian floats stored in bytes (the embedded weight
// and model files) as Go slices. Where the machine is little-endian and the bytes are
// aligned, as embedded files are, the slice is the bytes themselves: a fresh process uses
// them without parsing or copying. A view may be read-only memory: never write to it.
package inplace

import (
	"encoding/binary"
	"math"
	"unsafe"
)

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// Float32s returns b as float32s, and whether it is b itself rather than a decoded copy.
func Float32s(b []byte) ([]float32, bool) {
	return view(b, func(p []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(p)) })
}

// Float64s returns b as float64s, and whether it is b itself rather than a decoded copy.
func Float64s(b []byte) ([]float64, bool) {
	return view(b, func(p []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(p)) })
}

func view[T float32 | float64](b []byte, decode func([]byte) T) ([]T, bool) {
	size := int(unsafe.Sizeof(T(0)))
	n := len(b) / size
	if n == 0 {
		return nil, true
	}
	if littleEndian && uintptr(unsafe.Pointer(&b[0]))%uintptr(size) == 0 {
		return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), n), true
	}
	out := make([]T, n)
	for i := range out {
		out[i] = decode(b[size*i:])
	}
	return out, false
}
