package mobilenet

import "lightbox/quality/internal/mobilenet/weightfile"

// workspace holds every buffer one forward pass needs. Workspaces live in the Net's
// pool: a call borrows one, grows it if the input is larger than any it has seen, and
// returns it, so repeated calls at a given size allocate nothing, and concurrent calls
// never share buffers.
type workspace struct {
	act   [3][]float32 // activations; see forward for how they rotate
	patch []float32    // im2col patches of the first convolution, one strip at a time
	zero  []float32    // a padded row of zeros: depthwise rows above and below the image
	pad   []float32    // depthwise: three padded input rows (layer by layer)
	taps  []float32    // one depthwise layer's weights in tap-major order (dwFused)
	ring  []float32    // stream: three expanded rows
	row   []float32    // stream: one depthwise output row
	sum   []float64    // per-channel sums for tap statistics
	sumSq []float64
}

// stripPixels is how many output positions the pointwise and first layers handle at
// once, so that bias, product, ReLU6 and tap statistics all pass over a strip while
// it is still in cache.
const stripPixels = 64

// outSize is the spatial output size of a 3x3 layer: 'same' at stride 1; at stride 2,
// one zero row/column at the bottom/right, then 'valid'.
func outSize(in, stride int) int {
	if stride == 1 {
		return in
	}
	return (in-2)/2 + 1
}

func (n *Net) getWorkspace(h, w int) *workspace {
	ws, _ := n.pool.Get().(*workspace)
	if ws == nil {
		ws = &workspace{}
	}
	ws.sizeScratch(n, h, w)
	var need [3]int
	r := newRotation()
	for i := range n.layers {
		l := &n.layers[i]
		h, w = outSize(h, l.stride), outSize(w, l.stride)
		b := r.next(l)
		need[b] = max(need[b], h*w*l.cout)
	}
	for i := range ws.act {
		ws.act[i] = grow(ws.act[i], need[i])
	}
	return ws
}

// getStreamWorkspace is getWorkspace for stream: two block-boundary buffers (act[0] and
// act[1]; act[2] is not used), the expansion ring and a depthwise row.
func (n *Net) getStreamWorkspace(h, w int) *workspace {
	ws, _ := n.pool.Get().(*workspace)
	if ws == nil {
		ws = &workspace{}
	}
	ws.sizeScratch(n, h, w)
	bufs, ring, row := n.streamSizes(h, w)
	ws.act[0], ws.act[1] = grow(ws.act[0], bufs[0]), grow(ws.act[1], bufs[1])
	ws.ring, ws.row = grow(ws.ring, ring), grow(ws.row, row)
	return ws
}

// sizeScratch sizes what both passes use besides activations: the zero row, the first
// layer's patches, the tap-major depthwise weights and the tap sums.
func (ws *workspace) sizeScratch(n *Net, h, w int) {
	maxC, maxRow := 0, 0
	for i := range n.layers {
		l := &n.layers[i]
		if l.kind == weightfile.Depthwise {
			maxRow = max(maxRow, (w+2)*l.cin)
		}
		h, w = outSize(h, l.stride), outSize(w, l.stride)
		maxC = max(maxC, l.cout)
	}
	if len(ws.zero) < maxRow {
		ws.zero = make([]float32, maxRow) // never written, so always zero
	}
	ws.pad = grow(ws.pad, 3*maxRow)
	ws.patch = grow(ws.patch, stripPixels*9*n.layers[0].cin)
	ws.taps = grow(ws.taps, 9*maxC)
	if len(ws.sum) < maxC {
		ws.sum = make([]float64, maxC)
		ws.sumSq = make([]float64, maxC)
	}
}

func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}
