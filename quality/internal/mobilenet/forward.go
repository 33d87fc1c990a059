package mobilenet

import "lightbox/quality/internal/mobilenet/weightfile"

// activationHook, when not nil, sees every layer's output (after ReLU and residual add)
// as an HWC slice valid only during the call. Tests use it to compare raw activations.
type activationHook func(index int, name string, act []float32, h, w, c int)

// forward runs every layer on the HWC input and writes the tap statistics into dst.
//
// Activations rotate through three buffers. A block's input stays in its buffer until
// the block's projection adds into it in place, so every layer writes to a buffer that
// holds neither its input nor a pending residual.
func (n *Net) forward(ws *workspace, hwc []float32, h, w int, dst []float32, hook activationHook) {
	r := newRotation()
	in := hwc
	tapOff := 0
	for i := range n.layers {
		l := &n.layers[i]
		next := r.next(l)
		oh, ow := outSize(h, l.stride), outSize(w, l.stride)
		out := ws.act[next][:oh*ow*l.cout]
		st := ws.tapStats(l)
		runLayer(ws, l, in, h, w, out, oh, ow, st)
		if st != nil {
			m := l.cout
			st.finish(dst[tapOff:tapOff+m], dst[tapOff+m:tapOff+2*m], oh*ow)
			tapOff += 2 * m
		}
		if hook != nil {
			hook(i, l.name, out, oh, ow, l.cout)
		}
		in, h, w = out, oh, ow
	}
}

// runLayer runs one layer on the whole h x w input into out.
func runLayer(ws *workspace, l *layer, in []float32, h, w int, out []float32, oh, ow int, st *tapStats) {
	switch l.kind {
	case weightfile.Conv3x3:
		conv3x3(l, in, h, w, out, oh, ow, ws.patch, st)
	case weightfile.Depthwise:
		depthwise(l, in, h, w, out, oh, ow, ws.zero, ws.pad, ws.taps, st)
	case weightfile.Pointwise:
		pointwise(l, in, h*w, out, st)
	}
}

// tapStats returns fresh statistics for a tap layer (in the workspace's sums), or nil.
func (ws *workspace) tapStats(l *layer) *tapStats {
	if !l.tap {
		return nil
	}
	st := &tapStats{sum: ws.sum[:l.cout], sumSq: ws.sumSq[:l.cout]}
	st.reset()
	return st
}

// rotation assigns each layer's output to one of the three activation buffers.
// getWorkspace replays it to size each buffer for what it will actually hold.
type rotation struct {
	cur, keep int // buffer of the latest output and of a pending residual
}

// newRotation starts from the caller's input (-1) with nothing kept (-1).
func newRotation() rotation { return rotation{cur: -1, keep: -1} }

// next returns the buffer for l's output.
func (r *rotation) next(l *layer) int {
	if l.start {
		r.keep = r.cur
	}
	next := r.keep
	if !l.residual {
		next = 0
		for next == r.cur || next == r.keep {
			next++
		}
	}
	if l.residual {
		r.keep = -1
	}
	r.cur = next
	return next
}
