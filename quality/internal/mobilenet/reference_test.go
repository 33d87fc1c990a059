package mobilenet

import (
	"fmt"
	"math"
	"testing"

	"lightbox/quality/internal/mobilenet/weightfile"
)

// refLayer is a direct, loop-by-loop float64 evaluation of one layer from the weight
// file's own (Keras) layouts, written for clarity, not speed. Comparing each layer's
// output with it, given the same input, checks the fast kernels' indexing, padding,
// pairing and strip edges on sizes the golden files do not cover.
func refLayer(l *weightfile.Layer, in []float32, h, w int, skip []float32) ([]float64, int, int) {
	oh, ow := outSize(h, l.Stride), outSize(w, l.Stride)
	pad := padBefore(l.Stride)
	out := make([]float64, oh*ow*l.Cout)
	at := func(y, x, c int) float64 {
		if y < 0 || y >= h || x < 0 || x >= w {
			return 0
		}
		return float64(in[(y*w+x)*l.Cin+c])
	}
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			for co := 0; co < l.Cout; co++ {
				s := float64(l.Bias[co])
				switch l.Kind {
				case weightfile.Conv3x3:
					for ky := 0; ky < 3; ky++ {
						for kx := 0; kx < 3; kx++ {
							for ci := 0; ci < l.Cin; ci++ {
								s += at(oy*l.Stride+ky-pad, ox*l.Stride+kx-pad, ci) * float64(l.Weights[((ky*3+kx)*l.Cin+ci)*l.Cout+co])
							}
						}
					}
				case weightfile.Depthwise:
					for ky := 0; ky < 3; ky++ {
						for kx := 0; kx < 3; kx++ {
							s += at(oy*l.Stride+ky-pad, ox*l.Stride+kx-pad, co) * float64(l.Weights[(ky*3+kx)*l.Cin+co])
						}
					}
				case weightfile.Pointwise:
					for ci := 0; ci < l.Cin; ci++ {
						s += at(oy, ox, ci) * float64(l.Weights[ci*l.Cout+co])
					}
				}
				i := (oy*ow+ox)*l.Cout + co
				if l.Flags&weightfile.FlagResidual != 0 {
					s += float64(skip[i])
				}
				if l.Flags&weightfile.FlagReLU6 != 0 {
					s = math.Min(math.Max(s, 0), 6)
				}
				out[i] = s
			}
		}
	}
	return out, oh, ow
}

func TestLayersMatchReference(t *testing.T) {
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	f, err := weightfile.Decode(embedded)
	if err != nil {
		t.Fatal(err)
	}
	sizes := [][2]int{{32, 32}, {35, 64}, {37, 33}}
	if testing.Short() {
		sizes = sizes[:1]
	}
	for _, hw := range sizes {
		h, w := hw[0], hw[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			img := patternImage("texture", h, w)
			ws := n.getWorkspace(h, w)
			dst := make([]float32, NumTaps)
			in, ih, iw := img, h, w
			var skip []float32
			worst := 0.0
			n.forward(ws, img, h, w, dst, func(i int, name string, act []float32, oh, ow, c int) {
				l := &f.Layers[i]
				if l.Flags&weightfile.FlagBlockStart != 0 {
					skip = append(skip[:0], in...)
				}
				want, rh, rw := refLayer(l, in, ih, iw, skip)
				if rh != oh || rw != ow || len(act) != len(want) {
					t.Fatalf("%s: %dx%dx%d, want %dx%dx%d", name, ow, oh, c, rw, rh, l.Cout)
				}
				for k, v := range want {
					d := math.Abs(float64(act[k]) - v)
					worst = max(worst, d/(1+math.Abs(v)))
					if d > 1e-4*(1+math.Abs(v)) {
						t.Fatalf("%s: value %d (y=%d x=%d c=%d) = %g, want %g", name, k, k/c/ow, k/c%ow, k%c, act[k], v)
					}
				}
				// The next layer's input is this layer's actual output.
				in, ih, iw = append([]float32(nil), act...), oh, ow
			})
			t.Logf("worst relative difference from the float64 reference: %.3g", worst)
		})
	}
}
