package quality

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"unsafe"

	"lightbox/quality/internal/features"
)

// tinyKernelModel is a model on the tech features alone with a two-component kernel term
// whose answer can be worked out by hand.
func tinyKernelModel(t *testing.T) (*ClarityModel, []byte) {
	t.Helper()
	n := len(features.Names)
	m := &ClarityModel{Version: 3, Groups: []string{"tech"}, FeaturesSHA256: FeaturesDigest(FeatureNames("tech")),
		Graded: GradedTerm{Base: 1, Width: 1, Drop: [4][]float64{{0}, {0}, {0}, {0}}}}
	for i := 0; i < n; i++ {
		m.Lo = append(m.Lo, -10)
		m.Hi = append(m.Hi, 10)
		m.Mean = append(m.Mean, 1)
		m.Scale = append(m.Scale, 2)
		m.Weights = append(m.Weights, 0)
	}
	m.Weights[0] = 3
	m.Bias = 50
	basis := make([]float32, 2*n)
	basis[0] = 1     // component 0 = z[0]
	basis[n+1] = 0.5 // component 1 = z[1]/2
	m.Kernel = &KernelTerm{Components: 2, Width: 2, Alpha: []float64{10, -4},
		Basis: basis, Centres: []float32{0, 0, 1, 1}}
	arrays := m.EncodeArrays()
	m.Arrays, m.ArraysBytes, m.ArraysCRC = "k.bin", len(arrays), ArraysChecksum(arrays)
	js, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseClarityModel(js, arrays)
	if err != nil {
		t.Fatal(err)
	}
	return parsed, arrays
}

func TestKernelTermPredictsByHand(t *testing.T) {
	m, _ := tinyKernelModel(t)
	tech := make([]float64, len(features.Names))
	tech[0], tech[1] = 3, 5 // z = (1, 2): components (1, 1)
	got := m.Raw(Measurement{Tech: tech})
	// 50 + 3·1 + 10·exp(−(1+1)/2) − 4·exp(0)
	want := 50 + 3 + 10*math.Exp(-1) - 4
	if math.Abs(got-want) > 1e-6 {
		t.Fatalf("Raw = %v, want %v", got, want)
	}
	// Clamping to the training range happens before the kernel, as before the linear part.
	tech[0] = 1e9
	far := m.Raw(Measurement{Tech: tech})
	tech[0] = 10
	if edge := m.Raw(Measurement{Tech: tech}); far != edge {
		t.Fatalf("an out-of-range feature scored %v, the range's edge %v", far, edge)
	}
}

func TestKernelArraysMustMatchTheModel(t *testing.T) {
	m, arrays := tinyKernelModel(t)
	js, _ := json.Marshal(m)
	cases := map[string][]byte{
		"missing":   nil,
		"truncated": arrays[:len(arrays)-4],
		"other":     append(append([]byte(nil), arrays...), 0, 0, 0, 0),
	}
	for name, b := range cases {
		if _, err := ParseClarityModel(js, b); err == nil || !strings.Contains(err.Error(), "k.bin") {
			t.Errorf("%s arrays: error %v, want one naming k.bin", name, err)
		}
	}
	// Right file, but a JSON that describes another kernel.
	var other ClarityModel
	_ = json.Unmarshal(js, &other)
	other.Kernel.Components = 3
	js2, _ := json.Marshal(&other)
	if _, err := ParseClarityModel(js2, arrays); err == nil || !strings.Contains(err.Error(), "disagrees") {
		t.Errorf("kernel mismatch: error %v", err)
	}
}

// TestArraysAreUsedInPlace: aligned arrays are the file's bytes; unaligned ones a copy that
// scores the same.
func TestArraysAreUsedInPlace(t *testing.T) {
	m, arrays := tinyKernelModel(t)
	js, _ := json.Marshal(m)
	aligned := make([]float64, len(arrays)/8+1) // 8-byte aligned backing, one spare word
	buf := unsafe.Slice((*byte)(unsafe.Pointer(&aligned[0])), len(arrays)+1)
	copy(buf, arrays)
	inPlace, err := ParseClarityModel(js, buf[:len(arrays)])
	if err != nil {
		t.Fatal(err)
	}
	if binary.NativeEndian.Uint16([]byte{1, 0}) == 1 { // little-endian: views, not copies
		p := uintptr(unsafe.Pointer(&inPlace.Kernel.Basis[0]))
		if lo := uintptr(unsafe.Pointer(&buf[0])); p < lo || p >= lo+uintptr(len(arrays)) {
			t.Fatal("aligned arrays were copied")
		}
	}
	shifted := append([]byte{0}, arrays...)
	copied, err := ParseClarityModel(js, shifted[1:])
	if err != nil {
		t.Fatal(err)
	}
	tech := make([]float64, len(features.Names))
	tech[0], tech[1] = 3, 5
	if a, b := inPlace.Raw(Measurement{Tech: tech}), copied.Raw(Measurement{Tech: tech}); a != b {
		t.Fatalf("in place %v, copied %v", a, b)
	}
}
