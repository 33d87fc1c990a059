// Package weightfile reads and writes the project's compact MobileNetV2 weight file.
//
// It is its own package so that the converter (quality/cmd/mobilenet-weights) and the
// inference package share one definition of the format without the converter having to
// compile the embedded weights it is about to produce.
//
// The file stores the weights in the layout the inference kernels run on, each array
// 64-byte aligned, so that a process can use the embedded bytes in place (View): no
// parsing, no copy, no transposition at start-up.
//
// Format, version 2, all integers and floats little-endian:
//
//	offset size  field
//	0      8     magic "LBMNV2W\x00"
//	8      4     uint32 version (2)
//	12     4     uint32 number of layers L
//	16     32    sha256 of the source weight shard (provenance only)
//	48     ...   L layer records:
//	               uint16 name length n, n bytes of name (the Keras layer name)
//	               uint8  kind: 1 full 3x3 convolution, 2 depthwise 3x3, 3 pointwise 1x1
//	               uint8  stride: 1 ('same' zero padding of 1 on every side for 3x3) or
//	                      2 (one row/column of zeros at the bottom/right, then 'valid')
//	               uint8  flags: bit0 ReLU6 after the layer; bit1 the layer starts a block
//	                      (its input is kept as the residual); bit2 the layer's output is
//	                      added to that residual (before any ReLU); bit3 the layer's output
//	                      (after ReLU) is a tap
//	               uint8  layout: 0 Keras order, 1 transposed (see below); always what
//	                      RunTransposed says for the layer
//	               uint32 input channels, uint32 output channels
//	       ...   zeros up to the next multiple of 64 bytes
//	       ...   per layer, in table order: weights, zeros to a multiple of 64 bytes, bias,
//	             zeros to a multiple of 64 bytes; float32. Batch norm is already folded in.
//	             Weight layouts (Keras is channels-last):
//	               full 3x3  [3][3][cin][cout]                     (Keras)
//	               depthwise [C][3][3]                             (transposed)
//	               pointwise [cin][cout]
//	             bias has cout values.
//	end-4  4     uint32 CRC-32 (IEEE) of every preceding byte
package weightfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"

	"lightbox/quality/internal/inplace"
)

// Magic opens every weight file.
const Magic = "LBMNV2W\x00"

// Version is the only format version this package reads and writes.
const Version = 2

// Kind says which operation a layer performs.
type Kind uint8

// Layer kinds.
const (
	Conv3x3   Kind = 1
	Depthwise Kind = 2
	Pointwise Kind = 3
)

// Flag bits of a layer record.
const (
	FlagReLU6      = 1 << 0
	FlagBlockStart = 1 << 1
	FlagResidual   = 1 << 2
	FlagTap        = 1 << 3
)

// Layer is one convolution with its folded batch norm.
type Layer struct {
	Name    string
	Kind    Kind
	Stride  int
	Flags   uint8
	Cin     int
	Cout    int
	Weights []float32
	Bias    []float32
}

// WeightCount is the number of weights the layer's kind and shape imply.
func (l *Layer) WeightCount() int {
	switch l.Kind {
	case Conv3x3:
		return 9 * l.Cin * l.Cout
	case Depthwise:
		return 9 * l.Cin
	case Pointwise:
		return l.Cin * l.Cout
	}
	return -1
}

// checkShape validates everything but the data, so a decoder can trust the shape
// before sizing its reads.
func (l *Layer) checkShape() error {
	if l.Kind != Conv3x3 && l.Kind != Depthwise && l.Kind != Pointwise {
		return fmt.Errorf("layer %q: unknown kind %d", l.Name, l.Kind)
	}
	if l.Stride != 1 && l.Stride != 2 {
		return fmt.Errorf("layer %q: stride %d", l.Name, l.Stride)
	}
	if l.Kind == Pointwise && l.Stride != 1 {
		return fmt.Errorf("layer %q: pointwise layer with stride %d", l.Name, l.Stride)
	}
	if l.Kind == Depthwise && l.Cin != l.Cout {
		return fmt.Errorf("layer %q: depthwise %d -> %d channels", l.Name, l.Cin, l.Cout)
	}
	if l.Cin <= 0 || l.Cout <= 0 || l.Cin > 1<<16 || l.Cout > 1<<16 {
		return fmt.Errorf("layer %q: channels %d -> %d", l.Name, l.Cin, l.Cout)
	}
	if len(l.Name) == 0 || len(l.Name) > math.MaxUint16 {
		return fmt.Errorf("layer name length %d", len(l.Name))
	}
	if l.Flags&^(FlagReLU6|FlagBlockStart|FlagResidual|FlagTap) != 0 {
		return fmt.Errorf("layer %q: unknown flags %#x", l.Name, l.Flags)
	}
	return nil
}

func (l *Layer) check() error {
	if err := l.checkShape(); err != nil {
		return err
	}
	if n := l.WeightCount(); len(l.Weights) != n {
		return fmt.Errorf("layer %q: %d weights, want %d", l.Name, len(l.Weights), n)
	}
	if len(l.Bias) != l.Cout {
		return fmt.Errorf("layer %q: %d biases, want %d", l.Name, len(l.Bias), l.Cout)
	}
	return nil
}

// RunTransposed says whether a layer's weights are stored transposed from Keras order:
// depthwise always ([C][3][3]: one stream per channel, see mobilenet/depthwise.go).
// Pointwise weights stay [cin][cout], the order mobilenet/pointwise.go's kernels stream.
func RunTransposed(kind Kind, cin, cout int) bool {
	return kind == Depthwise
}

// align is the alignment of every float array in the file, in bytes.
const align = 64

func padTo(n int) int { return (n + align - 1) / align * align }

// File is a decoded weight file, weights in Keras order.
type File struct {
	SourceSHA256 [32]byte
	Layers       []Layer
}

// Run is a weight file viewed in run layout: Layers' Weights and Bias are in the layout
// the file stores (Transposed[i] says which), and share the file's memory when InPlace.
// Shared arrays may live in read-only memory (an embedded file): never write to them.
type Run struct {
	Layers     []Layer
	Transposed []bool
	InPlace    bool
}

// Encode serialises f (weights in Keras order) in run layout. The output depends only on
// f, so conversions are reproducible.
func Encode(f *File) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(Magic)
	le := binary.LittleEndian
	b.Write(le.AppendUint32(nil, Version))
	b.Write(le.AppendUint32(nil, uint32(len(f.Layers))))
	b.Write(f.SourceSHA256[:])
	for i := range f.Layers {
		l := &f.Layers[i]
		if err := l.check(); err != nil {
			return nil, err
		}
		var layout byte
		if RunTransposed(l.Kind, l.Cin, l.Cout) {
			layout = 1
		}
		b.Write(le.AppendUint16(nil, uint16(len(l.Name))))
		b.WriteString(l.Name)
		b.Write([]byte{byte(l.Kind), byte(l.Stride), l.Flags, layout})
		b.Write(le.AppendUint32(nil, uint32(l.Cin)))
		b.Write(le.AppendUint32(nil, uint32(l.Cout)))
	}
	pad := func() { b.Write(make([]byte, padTo(b.Len())-b.Len())) }
	pad()
	for i := range f.Layers {
		l := &f.Layers[i]
		w := l.Weights
		if RunTransposed(l.Kind, l.Cin, l.Cout) {
			w = transpose(w, 9, l.Cin) // depthwise [ky][kx][c] to [c][ky][kx]
		}
		for _, a := range [][]float32{w, l.Bias} {
			for _, v := range a {
				b.Write(le.AppendUint32(nil, math.Float32bits(v)))
			}
			pad()
		}
	}
	b.Write(le.AppendUint32(nil, crc32.ChecksumIEEE(b.Bytes())))
	return b.Bytes(), nil
}

// transpose returns the cols x rows transpose of a rows x cols matrix.
func transpose(w []float32, rows, cols int) []float32 {
	t := make([]float32, len(w))
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			t[c*rows+r] = w[r*cols+c]
		}
	}
	return t
}

var errShort = errors.New("weightfile: truncated")

// reader walks the byte slice; every read checks bounds so corrupt input cannot panic.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) next(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b)-r.off < n {
		r.err = errShort
		return nil
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s
}

func (r *reader) u8() uint8 {
	if s := r.next(1); s != nil {
		return s[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if s := r.next(2); s != nil {
		return binary.LittleEndian.Uint16(s)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if s := r.next(4); s != nil {
		return binary.LittleEndian.Uint32(s)
	}
	return 0
}

// View checks a weight file and returns its layers in run layout. On a little-endian
// machine, with data 4-byte aligned (an embedded file is), the arrays are data itself;
// otherwise they are decoded into one fresh allocation.
func View(data []byte) (*Run, error) {
	if len(data) < len(Magic)+8+32+4 {
		return nil, errShort
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, errors.New("weightfile: checksum mismatch")
	}
	r := &reader{b: body}
	if string(r.next(len(Magic))) != Magic {
		return nil, errors.New("weightfile: bad magic")
	}
	if v := r.u32(); v != Version {
		return nil, fmt.Errorf("weightfile: version %d, want %d", v, Version)
	}
	n := int(r.u32())
	if n <= 0 || n > 4096 {
		return nil, fmt.Errorf("weightfile: %d layers", n)
	}
	run := &Run{Layers: make([]Layer, n), Transposed: make([]bool, n)}
	r.next(32) // provenance; Decode returns it
	for i := range run.Layers {
		l := &run.Layers[i]
		l.Name = string(r.next(int(r.u16())))
		l.Kind = Kind(r.u8())
		l.Stride = int(r.u8())
		l.Flags = r.u8()
		layout := r.u8()
		l.Cin = int(r.u32())
		l.Cout = int(r.u32())
		if r.err != nil {
			return nil, r.err
		}
		if err := l.checkShape(); err != nil {
			return nil, err
		}
		run.Transposed[i] = RunTransposed(l.Kind, l.Cin, l.Cout)
		if layout > 1 || (layout == 1) != run.Transposed[i] {
			return nil, fmt.Errorf("weightfile: layer %q: layout %d is not the run layout", l.Name, layout)
		}
	}
	// Sizes first, so that a corrupt count cannot make the view reach past the data.
	start := padTo(r.off)
	at := start
	for i := range run.Layers {
		l := &run.Layers[i]
		at += padTo(4*l.WeightCount()) + padTo(4*l.Cout)
		if at > len(body) {
			return nil, errShort
		}
	}
	if at != len(body) {
		return nil, fmt.Errorf("weightfile: %d trailing bytes", len(body)-at)
	}
	if bytes.ContainsFunc(body[r.off:start], func(c rune) bool { return c != 0 }) {
		return nil, errors.New("weightfile: padding is not zero")
	}
	floats, inPlace := inplace.Float32s(body[start:])
	run.InPlace = inPlace
	at = 0
	for i := range run.Layers {
		l := &run.Layers[i]
		nw := l.WeightCount()
		l.Weights = floats[at : at+nw : at+nw]
		at += padTo(4*nw) / 4
		l.Bias = floats[at : at+l.Cout : at+l.Cout]
		at += padTo(4*l.Cout) / 4
	}
	return run, nil
}

// Decode parses and validates a weight file and returns its weights in Keras order, in
// memory of their own (for the converter and for tests that compute layers by hand).
func Decode(data []byte) (*File, error) {
	run, err := View(data)
	if err != nil {
		return nil, err
	}
	f := &File{Layers: run.Layers}
	copy(f.SourceSHA256[:], data[len(Magic)+8:])
	for i := range f.Layers {
		l := &f.Layers[i]
		w := l.Weights
		if run.Transposed[i] {
			w = transpose(w, l.Cin, 9) // depthwise, stored [c][ky][kx]
		} else {
			w = append([]float32(nil), w...)
		}
		l.Weights, l.Bias = w, append([]float32(nil), l.Bias...)
	}
	return f, nil
}
