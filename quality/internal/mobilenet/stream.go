package mobilenet

import "lightbox/quality/internal/mobilenet/weightfile"

// Streaming forward pass. Run layer by layer (forward), an inverted-residual block writes its
// expanded activations in full before the depthwise layer reads them: at 320x240 block 1's
// are 7.4 MB, and a workspace of about 13 MB is mostly such buffers, every page of which a
// fresh process must fault in. Here each block runs row by row instead: the expansion of an
// input row goes into a ring of three rows, the depthwise layer makes one output row from
// the ring, and the projection writes it (adding the residual in place) at once. Only
// block inputs and outputs exist in full; the workspace at 320x240 is about 3 MB.
//
// Every output is the same sum in the same order as forward computes it, and tap statistics
// are added in the same pixel order, so the taps are bit for bit the same
// (TestStreamingMatchesLayerByLayer).

// stage is a unit of the streaming pass: one layer run in full, or a block of an optional
// expansion, a depthwise layer and a projection run row by row.
type stage struct {
	single        int // layer index, or -1 for a block
	exp, dw, proj int // layer indices of a block
}

// planStages groups the layers into stages: an expansion, the depthwise layer after it and
// the projection after that form a block. The first convolution counts as block 0's
// expansion: it too makes the depthwise layer's input a row at a time. Only a block's expansion may
// be a tap (the taps here are all expansions); other layers run alone.
func planStages(ls []layer) []stage {
	var st []stage
	for i := 0; i < len(ls); {
		switch {
		case (ls[i].kind == weightfile.Pointwise || ls[i].kind == weightfile.Conv3x3) && i+2 < len(ls) &&
			ls[i+1].kind == weightfile.Depthwise && ls[i+2].kind == weightfile.Pointwise &&
			!ls[i+1].tap && !ls[i+2].tap:
			st = append(st, stage{single: -1, exp: i, dw: i + 1, proj: i + 2})
			i += 3
		default:
			st = append(st, stage{single: i})
			i++
		}
	}
	return st
}

// streamSizes returns, for an h x w input, the floats each of the two block-boundary
// buffers, the expansion ring and the depthwise row need. A block with a residual writes
// its output over its input; any other stage writes to the other buffer.
func (n *Net) streamSizes(h, w int) (bufs [2]int, ring, row int) {
	cur := -1 // the buffer holding the current activation; -1 is the caller's input
	for _, s := range n.stages {
		var oh, ow, c int
		if s.single >= 0 {
			l := &n.layers[s.single]
			oh, ow, c = outSize(h, l.stride), outSize(w, l.stride), l.cout
		} else {
			dw, proj := &n.layers[s.dw], &n.layers[s.proj]
			mh, mw := h, w // the depthwise layer's input
			e := &n.layers[s.exp]
			mh, mw = outSize(h, e.stride), outSize(w, e.stride)
			ring = max(ring, 3*(mw+2)*dw.cin)
			oh, ow, c = outSize(mh, dw.stride), outSize(mw, dw.stride), proj.cout
			row = max(row, ow*dw.cin)
		}
		if s.single >= 0 || !n.layers[s.proj].residual || cur < 0 {
			cur = nextBuffer(cur)
		}
		bufs[cur] = max(bufs[cur], oh*ow*c)
		h, w = oh, ow
	}
	return bufs, ring, row
}

// nextBuffer is the buffer a stage that does not write in place writes to.
func nextBuffer(cur int) int {
	if cur == 0 {
		return 1
	}
	return 0
}

// stream runs every stage on the HWC input and writes the tap statistics into dst.
func (n *Net) stream(ws *workspace, hwc []float32, h, w int, dst []float32) {
	in, cur := hwc, -1
	tapOff := 0
	finish := func(l *layer, st *tapStats, positions int) {
		if st != nil {
			st.finish(dst[tapOff:tapOff+l.cout], dst[tapOff+l.cout:tapOff+2*l.cout], positions)
			tapOff += 2 * l.cout
		}
	}
	for _, s := range n.stages {
		if s.single >= 0 {
			l := &n.layers[s.single]
			oh, ow := outSize(h, l.stride), outSize(w, l.stride)
			cur = nextBuffer(cur)
			out := ws.act[cur][:oh*ow*l.cout]
			st := ws.tapStats(l)
			runLayer(ws, l, in, h, w, out, oh, ow, st)
			finish(l, st, oh*ow)
			in, h, w = out, oh, ow
			continue
		}
		exp := &n.layers[s.exp]
		dw, proj := &n.layers[s.dw], &n.layers[s.proj]
		mh, mw := outSize(h, exp.stride), outSize(w, exp.stride) // the depthwise layer's input
		oh, ow := outSize(mh, dw.stride), outSize(mw, dw.stride)
		out := in // a residual block adds its projection into its input
		if !proj.residual || cur < 0 {
			cur = nextBuffer(cur)
			out = ws.act[cur][:oh*ow*proj.cout]
			if proj.residual {
				copy(out, in) // never the caller's input: the first layer is a convolution
			}
		}
		expSt := ws.tapStats(exp)
		n.block(ws, exp, dw, proj, in, h, w, out[:oh*ow*proj.cout], expSt)
		finish(exp, expSt, mh*mw)
		in, h, w = out[:oh*ow*proj.cout], oh, ow
	}
}

// block runs an inverted-residual block row by row (see the top of this file). in is h x w;
// out is the projection's output, which may be in itself when the projection adds a residual.
// The expansion is a pointwise layer, or the first convolution.
func (n *Net) block(ws *workspace, exp, dw, proj *layer, in []float32, h, w int, out []float32, expSt *tapStats) {
	c := dw.cin
	inH, inW := h, w
	h, w = outSize(h, exp.stride), outSize(w, exp.stride) // from here, the depthwise input
	s, before := dw.stride, padBefore(dw.stride)
	oh, ow := outSize(h, s), outSize(w, s)
	padLen := (w + 2) * c // a padded row (see depthwise)
	zero := ws.zero[:padLen]
	dwOut := ws.row[:ow*c]
	fused := dwFusedPrepare(dw.w, c, ws.taps)
	ring := ws.ring[:3*padLen]
	for k := range 3 { // the pads: the ring last held another block's rows
		clear(ring[k*padLen : k*padLen+c])
		clear(ring[(k+1)*padLen-c : (k+1)*padLen])
	}
	expanded := 0 // input rows expanded so far
	row := func(iy int) []float32 {
		if iy < 0 || iy >= h {
			return zero
		}
		for ; expanded <= iy; expanded++ {
			r := ring[(expanded%3)*padLen+c : (expanded%3+1)*padLen-c]
			if exp.kind == weightfile.Conv3x3 {
				for x0 := 0; x0 < w; x0 += stripPixels {
					k := min(stripPixels, w-x0)
					conv3x3Strip(exp, in, inH, inW, w, expanded*w+x0, k, r[x0*c:(x0+k)*c], ws.patch, expSt)
				}
				continue
			}
			pointwise(exp, in[expanded*w*exp.cin:(expanded+1)*w*exp.cin], w, r, expSt)
		}
		return ring[(iy%3)*padLen : (iy%3+1)*padLen]
	}
	for oy := 0; oy < oh; oy++ {
		top := oy*s - before
		// Rows in increasing order, so that each is expanded once and the ring's oldest
		// row is the one no longer needed.
		rows := [3][]float32{row(top), row(top + 1), row(top + 2)}
		depthwiseRow(dw, &rows, ow, dwOut, fused, ws.taps)
		pointwise(proj, dwOut, ow, out[oy*ow*proj.cout:(oy+1)*ow*proj.cout], nil)
	}
}
