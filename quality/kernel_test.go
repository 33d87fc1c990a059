package quality

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"lightbox/quality/internal/features"
)

// tinyKernelModel is a model on the tech features alone with a two-component kernel term
// whose answer can be worked out by hand.
func tinyKernelModel(t *testing.T) (*ClarityModel, []byte) {
	t.Helper()
	n := len(features.Names)
	m := &ClarityModel{Version: 2, Groups: []string{"tech"}, Features: FeatureNames("tech"), OutB: 1}
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
	m.Kernel = &KernelTerm{File: "k.bin", Components: 2, Width: 2, Alpha: []float64{10, -4},
		Basis: basis, Centres: []float32{0, 0, 1, 1}}
	arrays := m.Kernel.EncodeArrays()
	m.Kernel.SHA256 = ArraysDigest(arrays)
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
	// Right digest, wrong sizes: a model whose JSON says three photos.
	var other ClarityModel
	_ = json.Unmarshal(js, &other)
	other.Kernel.Alpha = append(other.Kernel.Alpha, 1)
	js2, _ := json.Marshal(&other)
	if _, err := ParseClarityModel(js2, arrays); err == nil || !strings.Contains(err.Error(), "for 2") {
		t.Errorf("size mismatch: error %v", err)
	}
}
