package quality

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
)

// KernelTerm is the non-linear part of the clarity model: kernel ridge regression with a
// Gaussian kernel between the photo and each training photo, in the space of the training
// photos' top principal components. A linear model on 3,700 pooled CNN activations ranks
// photos at SROCC 0.74 against human ratings; with this term, 0.76 (see README.md).
//
// The large arrays live in a binary file beside the model JSON; the JSON names it and
// records its SHA-256 so that a model and another training's arrays never mix.
type KernelTerm struct {
	File       string    `json:"file"`
	SHA256     string    `json:"sha256"`
	Components int       `json:"components"`
	Width      float64   `json:"width"` // kernel is exp(−‖p − c‖²/Width)
	Alpha      []float64 `json:"alpha"` // one weight per training photo
	// Basis (Components × features, row-major) maps standardised features to component
	// coordinates; Centres (len(Alpha) × Components) are the training photos there.
	Basis   []float32 `json:"-"`
	Centres []float32 `json:"-"`
}

const kernelMagic = "LBK1"

// EncodeArrays serialises Basis and Centres: a magic, the three sizes, then little-endian
// float32s.
func (k *KernelTerm) EncodeArrays() []byte {
	b := make([]byte, 0, 16+4*(len(k.Basis)+len(k.Centres)))
	b = append(b, kernelMagic...)
	features := 0
	if k.Components > 0 {
		features = len(k.Basis) / k.Components
	}
	for _, v := range []int{k.Components, features, len(k.Alpha)} {
		b = binary.LittleEndian.AppendUint32(b, uint32(v))
	}
	for _, a := range [][]float32{k.Basis, k.Centres} {
		for _, v := range a {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
	}
	return b
}

// ArraysDigest is the hex SHA-256 the JSON records for the encoded arrays.
func ArraysDigest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// decodeArrays reads what EncodeArrays wrote, checking it against the JSON's sizes and digest.
func (k *KernelTerm) decodeArrays(b []byte, features int) error {
	if got := ArraysDigest(b); got != k.SHA256 {
		return fmt.Errorf("%s has SHA-256 %.12s…, the model expects %.12s…: retrain or restore both files", k.File, got, k.SHA256)
	}
	if len(b) < 16 || string(b[:4]) != kernelMagic {
		return fmt.Errorf("%s: not a kernel arrays file", k.File)
	}
	comp := int(binary.LittleEndian.Uint32(b[4:]))
	feat := int(binary.LittleEndian.Uint32(b[8:]))
	n := int(binary.LittleEndian.Uint32(b[12:]))
	if comp != k.Components || feat != features || n != len(k.Alpha) {
		return fmt.Errorf("%s holds %d components × %d features for %d photos; the model wants %d × %d for %d",
			k.File, comp, feat, n, k.Components, features, len(k.Alpha))
	}
	if k.Width <= 0 || comp < 1 {
		return errors.New("kernel term needs a positive width and at least one component")
	}
	vals := b[16:]
	if len(vals) != 4*(comp*feat+n*comp) {
		return fmt.Errorf("%s: %d bytes of values, want %d", k.File, len(vals), 4*(comp*feat+n*comp))
	}
	all := make([]float32, comp*feat+n*comp)
	for i := range all {
		all[i] = math.Float32frombits(binary.LittleEndian.Uint32(vals[4*i:]))
	}
	k.Basis, k.Centres = all[:comp*feat:comp*feat], all[comp*feat:]
	return nil
}

// eval returns Σ_i Alpha_i exp(−‖Basis·z − Centres_i‖²/Width) for standardised features z.
func (k *KernelTerm) eval(z []float64) float64 {
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
