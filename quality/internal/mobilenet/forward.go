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
	cur, keep := -1, -1 // buffer indexes; -1 is the caller's input / nothing kept
	in := hwc
	tapOff := 0
	for i := range n.layers {
		l := &n.layers[i]
		if l.start {
			keep = cur
		}
		next := keep
		if !l.residual {
			next = 0
			for next == cur || next == keep {
				next++
			}
		}
		oh, ow := outSize(h, l.stride), outSize(w, l.stride)
		out := ws.act[next][:oh*ow*l.cout]
		var st *tapStats
		if l.tap {
			st = &tapStats{sum: ws.sum[:l.cout], sumSq: ws.sumSq[:l.cout]}
			st.reset()
		}
		switch l.kind {
		case weightfile.Conv3x3:
			conv3x3(l, in, h, w, out, oh, ow, ws.patch, st)
		case weightfile.Depthwise:
			depthwise(l, in, h, w, out, oh, ow, ws.zero, st)
		case weightfile.Pointwise:
			pointwise(l, in, h*w, out, st)
		}
		if st != nil {
			m := l.cout
			st.finish(dst[tapOff:tapOff+m], dst[tapOff+m:tapOff+2*m], oh*ow)
			tapOff += 2 * m
		}
		if hook != nil {
			hook(i, l.name, out, oh, ow, l.cout)
		}
		if l.residual {
			keep = -1
		}
		cur, in, h, w = next, out, oh, ow
	}
}
