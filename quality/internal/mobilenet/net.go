// Package mobilenet runs the front of a pretrained MobileNetV2 (alpha 1.0, from the
// nsfwjs npm package; see NOTICE.md) in Go, with AVX2+FMA assembly kernels for its two
// layer kinds where the CPU has them (gemm_amd64.s, depthwise_amd64.s), up to
// block_13_expand_relu, and
// summarises three intermediate activations as per-channel means and standard deviations:
// features that track perceived image quality far better than hand-crafted ones.
//
// The weights are embedded (weights.bin, produced by quality/cmd/mobilenet-weights with
// batch norm already folded in) in the layout the kernels run on, and used in place: loading
// checks the file and points each layer into it, so a fresh process's first call costs what
// every later one does. A Net is immutable once loaded and safe for concurrent
// use; each call borrows a workspace from a pool, so steady-state calls do not allocate.
package mobilenet

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"sync"

	"lightbox/quality/internal/mobilenet/weightfile"
)

// NumTaps is the length of the feature vector: mean and standard deviation of every
// channel of block_3_expand_relu (144), block_6_expand_relu (192) and
// block_13_expand_relu (576).
const NumTaps = 2 * (144 + 192 + 576)

// tapChannels are the channel counts of the taps, in output order.
var tapChannels = []int{144, 192, 576}

// MinSize is the smallest input height and width accepted: it leaves block 13 a 2x2 map.
const MinSize = 32

// MaxPixels bounds h*w. A workspace takes about 170 bytes per input pixel, mostly
// for block 1's expanded activations: 8.5 MB at 224x224, 700 MB at this limit.
const MaxPixels = 1 << 22

//go:embed weights.bin
var embedded []byte

// layer is one convolution with batch norm folded in.
type layer struct {
	name     string
	kind     weightfile.Kind
	stride   int
	relu6    bool
	start    bool // input is kept for a later residual add
	residual bool // output is added to the kept input
	tap      bool
	cin      int
	cout     int
	// w is in the layout its kernel wants, as the weight file stores it: full 3x3
	// [ky][kx][cin][cout]; depthwise [c][ky][kx]; pointwise [cin][cout]. It may be
	// read-only memory: never written.
	w []float32
	b []float32
}

// Net is the loaded network. It is never modified after Load.
type Net struct {
	layers  []layer
	stages  []stage   // how stream runs the layers
	inPlace bool      // the weights are the embedded bytes themselves, not a copy
	pool    sync.Pool // *workspace
}

var (
	loadOnce sync.Once
	loaded   *Net
	loadErr  error
)

// Load returns the embedded network, parsed once.
func Load() (*Net, error) {
	loadOnce.Do(func() { loaded, loadErr = parse(embedded) })
	return loaded, loadErr
}

// parse checks a weight file describes a network this package can run, with the taps Taps
// documents, and views its weights in place (see weightfile.View).
func parse(data []byte) (*Net, error) {
	f, err := weightfile.View(data)
	if err != nil {
		return nil, fmt.Errorf("mobilenet: %w", err)
	}
	n := &Net{inPlace: f.InPlace}
	var taps []int
	keeping := false
	for i := range f.Layers {
		src := &f.Layers[i]
		l := layer{
			name:     src.Name,
			kind:     src.Kind,
			stride:   src.Stride,
			relu6:    src.Flags&weightfile.FlagReLU6 != 0,
			start:    src.Flags&weightfile.FlagBlockStart != 0,
			residual: src.Flags&weightfile.FlagResidual != 0,
			tap:      src.Flags&weightfile.FlagTap != 0,
			cin:      src.Cin,
			cout:     src.Cout,
			w:        src.Weights,
			b:        src.Bias,
		}
		switch {
		case i == 0 && (l.kind != weightfile.Conv3x3 || l.cin != 3 || l.stride != 2 || l.start):
			return nil, errors.New("mobilenet: first layer must be a stride-2 3x3 convolution of RGB")
		case i > 0 && l.kind == weightfile.Conv3x3:
			return nil, fmt.Errorf("mobilenet: layer %s: full 3x3 convolution only supported first", l.name)
		case i > 0 && l.cin != n.layers[i-1].cout:
			return nil, fmt.Errorf("mobilenet: layer %s: %d input channels after %d", l.name, l.cin, n.layers[i-1].cout)
		case l.start && keeping:
			return nil, fmt.Errorf("mobilenet: layer %s: nested residual blocks", l.name)
		case l.kind == weightfile.Depthwise && !l.relu6:
			return nil, fmt.Errorf("mobilenet: layer %s: depthwise layers must end in ReLU6", l.name)
		case l.residual && (!keeping || l.kind != weightfile.Pointwise || l.relu6):
			return nil, fmt.Errorf("mobilenet: layer %s: residual add without a block start", l.name)
		}
		if l.start {
			keeping = true
			if l.cin != blockInputChannels(f.Layers[i:]) {
				return nil, fmt.Errorf("mobilenet: layer %s: residual channel mismatch", l.name)
			}
		}
		if l.residual {
			keeping = false
		}
		if l.tap {
			taps = append(taps, l.cout)
		}
		n.layers = append(n.layers, l)
	}
	if keeping {
		return nil, errors.New("mobilenet: residual block never closed")
	}
	n.stages = planStages(n.layers)
	if !slices.Equal(taps, tapChannels) {
		return nil, fmt.Errorf("mobilenet: taps of %v channels, want %v", taps, tapChannels)
	}
	return n, nil
}

// blockInputChannels returns the output channels of the residual layer that closes the
// block starting at ls[0], or -1.
func blockInputChannels(ls []weightfile.Layer) int {
	for i := range ls {
		if ls[i].Flags&weightfile.FlagResidual != 0 {
			return ls[i].Cout
		}
	}
	return -1
}

// Taps runs the network on an HWC float32 RGB image with values in [0,1] and returns, for each
// of block_3_expand_relu (144 ch), block_6_expand_relu (192 ch) and block_13_expand_relu (576 ch),
// the per-channel mean and standard deviation over spatial positions, concatenated:
// [mean3(144), std3(144), mean6(192), std6(192), mean13(576), std13(576)] = 1824 values.
// The standard deviation is the population one (divided by the number of positions).
func (n *Net) Taps(hwc []float32, h, w int) ([]float32, error) {
	dst := make([]float32, NumTaps)
	if err := n.TapsInto(dst, hwc, h, w); err != nil {
		return nil, err
	}
	return dst, nil
}

// TapsInto is the allocation-free form of Taps (dst len 1824).
func (n *Net) TapsInto(dst, hwc []float32, h, w int) error {
	if err := checkInput(dst, hwc, h, w); err != nil {
		return err
	}
	ws := n.getStreamWorkspace(h, w)
	n.stream(ws, hwc, h, w, dst)
	n.pool.Put(ws)
	return nil
}

func checkInput(dst, hwc []float32, h, w int) error {
	if h < MinSize || w < MinSize {
		return fmt.Errorf("mobilenet: input %dx%d is smaller than %dx%d", w, h, MinSize, MinSize)
	}
	if h > MaxPixels/w {
		return fmt.Errorf("mobilenet: input %dx%d is larger than %d pixels", w, h, MaxPixels)
	}
	if len(hwc) != h*w*3 {
		return fmt.Errorf("mobilenet: input has %d values, want %d for %dx%d RGB", len(hwc), h*w*3, w, h)
	}
	if len(dst) != NumTaps {
		return fmt.Errorf("mobilenet: destination has %d values, want %d", len(dst), NumTaps)
	}
	return nil
}
