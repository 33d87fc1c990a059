package quality

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"

	"lightbox/quality/internal/inplace"
)

// KernelTerm is the non-linear part of the clarity model: kernel ridge regression with a
// Gaussian kernel between the photo and each training photo, in the space of the training
// photos' top principal components. A linear model on 3,700 pooled CNN activations ranks
// photos at SROCC 0.74 against human ratings; with this term, 0.76 (see README.md).
type KernelTerm struct {
	Components int     `json:"components"`
	Width      float64 `json:"width"` // kernel is exp(−‖p − c‖²/Width)
	// Alpha has one weight per centre; Basis (Components × features, row-major) maps
	// standardised features to component coordinates; Centres (len(Alpha) × Components)
	// are the training photos there (and, for a model trained with -rung-centres, their
	// degraded copies). All three live in the arrays file.
	Alpha   []float64 `json:"-"`
	Basis   []float32 `json:"-"`
	Centres []float32 `json:"-"`
}

// The arrays file holds every large array of the model in the form Raw reads, so that a
// process uses the embedded bytes in place: no parse, no copy at start-up.
//
//	offset size  field
//	0      4     magic "LBC3"
//	4      4     uint32 features F
//	8      4     uint32 kernel components C (0: no kernel term)
//	12     4     uint32 kernel centres N
//	16     48    zeros
//	64     ...   float64 arrays Lo, Hi, Mean, Scale, Weights (F each), Alpha (N); then
//	             float32 arrays Basis (C×F), Centres (N×C); each starts at a multiple of
//	             64 bytes (zeros between), all little-endian
//
// The model JSON records the file's length and CRC-32C, so that a model and another
// training's arrays never mix.
const arraysMagic = "LBC3"

const arraysAlign = 64

func padArrays(n int) int { return (n + arraysAlign - 1) / arraysAlign * arraysAlign }

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ArraysChecksum is the CRC-32C the model JSON records for its arrays file.
func ArraysChecksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// EncodeArrays serialises the model's large arrays (see arraysMagic).
func (m *ClarityModel) EncodeArrays() []byte {
	f := len(m.Weights)
	var c, n int
	if m.Kernel != nil {
		c, n = m.Kernel.Components, len(m.Kernel.Alpha)
	}
	b := make([]byte, 0, arraysAlign+8*(5*f+n)+4*(c*f+n*c)+8*arraysAlign)
	b = append(b, arraysMagic...)
	for _, v := range []int{f, c, n} {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	pad := func() { b = append(b, make([]byte, padArrays(len(b))-len(b))...) }
	pad()
	f64 := [][]float64{m.Lo, m.Hi, m.Mean, m.Scale, m.Weights}
	var f32 [][]float32
	if m.Kernel != nil {
		f64 = append(f64, m.Kernel.Alpha)
		f32 = [][]float32{m.Kernel.Basis, m.Kernel.Centres}
	}
	for _, a := range f64 {
		for _, v := range a {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		pad()
	}
	for _, a := range f32 {
		for _, v := range a {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
		pad()
	}
	return b
}

// viewArrays points the model's arrays into b (or, where b cannot be used in place, into a
// decoded copy), checking b against the JSON's record and this build's feature count.
func (m *ClarityModel) viewArrays(b []byte, features int) error {
	if len(b) != m.ArraysBytes || ArraysChecksum(b) != m.ArraysCRC {
		return fmt.Errorf("%s (%d bytes, CRC-32C %08x) is not the file the model was trained with (%d bytes, %08x): retrain or restore both files",
			m.Arrays, len(b), ArraysChecksum(b), m.ArraysBytes, m.ArraysCRC)
	}
	if len(b) < arraysAlign || string(b[:4]) != arraysMagic {
		return fmt.Errorf("%s: not a clarity model arrays file", m.Arrays)
	}
	f := int(binary.LittleEndian.Uint32(b[4:]))
	c := int(binary.LittleEndian.Uint32(b[8:]))
	n := int(binary.LittleEndian.Uint32(b[12:]))
	if f != features {
		return fmt.Errorf("%s holds %d features, this build measures %d: retrain", m.Arrays, f, features)
	}
	if (m.Kernel == nil) != (c == 0) || (m.Kernel != nil && (c != m.Kernel.Components || m.Kernel.Width <= 0 || n < 1)) {
		return fmt.Errorf("%s holds a kernel of %d components over %d photos; the model JSON disagrees", m.Arrays, c, n)
	}
	at := arraysAlign
	take64 := func(k int) ([]float64, error) {
		end := at + 8*k
		if end > len(b) {
			return nil, errors.New("truncated")
		}
		v := viewFloat64s(b[at:end])
		at = padArrays(end)
		return v, nil
	}
	take32 := func(k int) ([]float32, error) {
		end := at + 4*k
		if end > len(b) {
			return nil, errors.New("truncated")
		}
		v := viewFloat32s(b[at:end])
		at = padArrays(end)
		return v, nil
	}
	var errs []error
	get64 := func(k int) []float64 { v, err := take64(k); errs = append(errs, err); return v }
	get32 := func(k int) []float32 { v, err := take32(k); errs = append(errs, err); return v }
	m.Lo, m.Hi, m.Mean, m.Scale, m.Weights = get64(f), get64(f), get64(f), get64(f), get64(f)
	if m.Kernel != nil {
		m.Kernel.Alpha = get64(n)
		m.Kernel.Basis = get32(c * f)
		m.Kernel.Centres = get32(n * c)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%s: %w", m.Arrays, err)
	}
	if at != len(b) {
		return fmt.Errorf("%s: %d bytes past the arrays", m.Arrays, len(b)-at)
	}
	return nil
}

// Project returns the coordinates Basis·z of standardised features z on the components.
func (k *KernelTerm) Project(z []float64) []float64 {
	p := make([]float64, k.Components)
	nf := len(z)
	for c := range p {
		row := k.Basis[c*nf : (c+1)*nf]
		var s float64
		for j, w := range row {
			s += float64(w) * z[j]
		}
		p[c] = s
	}
	return p
}

// eval returns Σ_i Alpha_i exp(−‖p − Centres_i‖²/Width) for the coordinates p = Project(z).
func (k *KernelTerm) eval(p []float64) float64 {
	var out float64
	for i, a := range k.Alpha {
		centre := k.Centres[i*k.Components : (i+1)*k.Components]
		var d2 float64
		for c, v := range centre {
			d := p[c] - float64(v)
			d2 += d * d
		}
		out += a * math.Exp(-d2/k.Width)
	}
	return out
}

// viewFloat64s and viewFloat32s view an array of the file in place (see inplace).
func viewFloat64s(b []byte) []float64 { v, _ := inplace.Float64s(b); return v }

func viewFloat32s(b []byte) []float32 { v, _ := inplace.Float32s(b); return v }
