package weightfile

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"reflect"
	"testing"
)

func sample() *File {
	f := &File{}
	f.SourceSHA256[0], f.SourceSHA256[31] = 0xab, 0xcd
	f.Layers = []Layer{
		{Name: "stem", Kind: Conv3x3, Stride: 2, Flags: FlagReLU6, Cin: 3, Cout: 2,
			Weights: make([]float32, 54), Bias: []float32{0.5, -1}},
		{Name: "dw", Kind: Depthwise, Stride: 1, Flags: FlagReLU6 | FlagBlockStart, Cin: 2, Cout: 2,
			Weights: make([]float32, 18), Bias: []float32{1, 2}},
		{Name: "pw", Kind: Pointwise, Stride: 1, Flags: FlagResidual | FlagTap, Cin: 2, Cout: 2,
			Weights: []float32{1, 2, 3, 4}, Bias: []float32{-3, 7}},
	}
	for i := range f.Layers[0].Weights {
		f.Layers[0].Weights[i] = float32(i) / 7
	}
	return f
}

func TestRoundTrip(t *testing.T) {
	f := sample()
	b, err := Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f, g) {
		t.Errorf("decoded %+v, want %+v", g, f)
	}
	b2, _ := Encode(g)
	if !bytes.Equal(b, b2) {
		t.Error("re-encoding changed the bytes")
	}
}

func TestEncodeRejectsInconsistentLayers(t *testing.T) {
	for name, mod := range map[string]func(*Layer){
		"weights":     func(l *Layer) { l.Weights = l.Weights[1:] },
		"bias":        func(l *Layer) { l.Bias = nil },
		"kind":        func(l *Layer) { l.Kind = 9 },
		"stride":      func(l *Layer) { l.Stride = 3 },
		"flags":       func(l *Layer) { l.Flags = 0x80 },
		"name":        func(l *Layer) { l.Name = "" },
		"channels":    func(l *Layer) { l.Cin = 0 },
		"depthwise":   func(l *Layer) { l.Kind, l.Cin = Depthwise, 1 },
		"pointwise/2": func(l *Layer) { l.Kind, l.Stride = Pointwise, 2 },
	} {
		f := sample()
		mod(&f.Layers[0])
		if _, err := Encode(f); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestDecodeRejectsDamage: every truncation and every single-byte change is an error,
// never a panic.
func TestDecodeRejectsDamage(t *testing.T) {
	b, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(b); n++ {
		if _, err := Decode(b[:n]); err == nil {
			t.Errorf("truncated to %d bytes: no error", n)
		}
	}
	for i := range b {
		c := bytes.Clone(b)
		c[i] ^= 0x41
		if _, err := Decode(c); err == nil {
			t.Errorf("byte %d changed: no error", i)
		}
	}
}

// TestDecodeValidatesBehindTheChecksum: a file with a valid checksum but impossible
// contents (as a buggy writer could produce) is rejected without panicking.
func TestDecodeValidatesBehindTheChecksum(t *testing.T) {
	b, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	body := b[:len(b)-4]
	reseal := func(body []byte) []byte {
		return binary.LittleEndian.AppendUint32(bytes.Clone(body), crc32.ChecksumIEEE(body))
	}
	nameEnd := 48 + 2 + len("stem")
	for name, mod := range map[string]func([]byte){
		"version":     func(c []byte) { c[8] = 3 },
		"no layers":   func(c []byte) { binary.LittleEndian.PutUint32(c[12:], 0) },
		"many layers": func(c []byte) { binary.LittleEndian.PutUint32(c[12:], 1<<30) },
		"kind":        func(c []byte) { c[nameEnd] = 0 },
		"reserved":    func(c []byte) { c[nameEnd+3] = 1 },
		"huge cout":   func(c []byte) { binary.LittleEndian.PutUint32(c[nameEnd+8:], 1<<31) },
	} {
		c := bytes.Clone(body)
		mod(c)
		if _, err := Decode(reseal(c)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Decode(reseal(append(bytes.Clone(body), 0))); err == nil {
		t.Error("trailing byte: no error")
	}
}
