package mobilenet

// depthwise is the 3x3 depthwise convolution (one filter per channel), at stride 1
// ('same') or 2 (bottom/right padding), with bias and ReLU6. Activations are HWC, so
// the channel loop is innermost and contiguous.
//
// Every output row is made from three padded input rows (padRow): one zero position on each
// side of the image's w, so that every window lies inside its rows and one code path serves
// every column; rows above or below the image are a padded row of zeros (zero, at least
// (w+2)*c long). Here each input row is copied into scratch (pad, three padded rows); the
// streaming pass (stream.go) expands rows straight into padded form.
func depthwise(l *layer, in []float32, h, w int, out []float32, oh, ow int, zero, pad, taps []float32, st *tapStats) {
	c, s, before := l.cin, l.stride, padBefore(l.stride)
	rowLen, padLen := w*c, (w+2)*c
	zero = zero[:padLen]
	fused := dwFusedPrepare(l.w, c, taps)
	for oy := 0; oy < oh; oy++ {
		orow := out[oy*ow*c : (oy+1)*ow*c]
		var rows [3][]float32
		for ky := range rows {
			rows[ky] = zero
			if iy := oy*s + ky - before; iy >= 0 && iy < h {
				r := pad[ky*padLen : (ky+1)*padLen]
				clear(r[:c])
				copy(r[c:], in[iy*rowLen:(iy+1)*rowLen])
				clear(r[c+rowLen:])
				rows[ky] = r
			}
		}
		depthwiseRow(l, &rows, ow, orow, fused, taps)
		if st != nil {
			st.add(orow)
		}
	}
}

// depthwiseRow computes one output row of ow positions from the three padded input rows its
// windows cover. With fused, dwFused computes it from the weights in taps
// (dwFusedPrepare); otherwise adjacent outputs go in pairs, which share weight loads and,
// at stride 1, half their inputs.
//
// The portable code keeps its inner loop within the 14 general registers amd64 code has:
// weights are stored [c][9] (one stream, nine constant offsets) and each input row is one
// stream read at offsets 0, c, 2c, ...; a loop over nine row slices and nine weight
// slices spills its pointers to the stack every iteration. Measured on a 56x144 row: 2.1
// GMAC/s for the simple nine-slice loop, 4.7 for pairs.
func depthwiseRow(l *layer, rows *[3][]float32, ow int, orow []float32, fused bool, taps []float32) {
	c, s := l.cin, l.stride
	// In padded coordinates output ox's window starts at column ox*s - padBefore + 1.
	first := (1 - padBefore(s)) * c
	if fused {
		dwFused(orow[:ow*c], rows[0][first:], rows[1][first:], rows[2][first:], taps[:9*c], l.b, c, s)
		return
	}
	ox := 0
	for ; ox+1 < ow; ox += 2 {
		i := first + ox*s*c
		o0, o1 := orow[ox*c:(ox+1)*c], orow[(ox+1)*c:(ox+2)*c]
		if s == 1 {
			dwPairStride1(o0, o1, rows[0][i:], rows[1][i:], rows[2][i:], l.w, l.b)
		} else {
			dwPairStride2(o0, o1, rows[0][i:], rows[1][i:], rows[2][i:], l.w, l.b)
		}
	}
	for ; ox < ow; ox++ {
		i := first + ox*s*c
		dwOne(orow[ox*c:(ox+1)*c], rows[0][i:], rows[1][i:], rows[2][i:], l.w, l.b)
	}
}

// dwOne computes one output position; r0..r2 start at the window's left column and
// w9 holds the weights as [c][9].
func dwOne(o, r0, r1, r2, w9, b []float32) {
	c := len(o)
	c2 := 2 * c
	r0, r1, r2 = r0[:3*c], r1[:3*c], r2[:3*c]
	b, w9 = b[:c], w9[:9*c]
	for i := range o {
		k := w9[i*9 : i*9+9 : i*9+9]
		v := b[i] + r0[i]*k[0] + r0[i+c]*k[1] + r0[i+c2]*k[2]
		v += r1[i]*k[3] + r1[i+c]*k[4] + r1[i+c2]*k[5]
		v += r2[i]*k[6] + r2[i+c]*k[7] + r2[i+c2]*k[8]
		o[i] = clamp6(v)
	}
}

// dwPairStride1 computes two adjacent output positions at stride 1: their windows span
// four input columns.
func dwPairStride1(o0, o1, r0, r1, r2, w9, b []float32) {
	c := len(o0)
	c2, c3 := 2*c, 3*c
	r0, r1, r2 = r0[:4*c], r1[:4*c], r2[:4*c]
	o1, b, w9 = o1[:c], b[:c], w9[:9*c]
	for i := range o0 {
		k := w9[i*9 : i*9+9 : i*9+9]
		x0, x1, x2, x3 := r0[i], r0[i+c], r0[i+c2], r0[i+c3]
		u := b[i] + x0*k[0] + x1*k[1] + x2*k[2]
		v := b[i] + x1*k[0] + x2*k[1] + x3*k[2]
		x0, x1, x2, x3 = r1[i], r1[i+c], r1[i+c2], r1[i+c3]
		u += x0*k[3] + x1*k[4] + x2*k[5]
		v += x1*k[3] + x2*k[4] + x3*k[5]
		x0, x1, x2, x3 = r2[i], r2[i+c], r2[i+c2], r2[i+c3]
		u += x0*k[6] + x1*k[7] + x2*k[8]
		v += x1*k[6] + x2*k[7] + x3*k[8]
		o0[i], o1[i] = clamp6(u), clamp6(v)
	}
}

// dwPairStride2 computes two adjacent output positions at stride 2: their windows span
// five input columns, sharing the middle one.
func dwPairStride2(o0, o1, r0, r1, r2, w9, b []float32) {
	c := len(o0)
	c2, c3, c4 := 2*c, 3*c, 4*c
	r0, r1, r2 = r0[:5*c], r1[:5*c], r2[:5*c]
	o1, b, w9 = o1[:c], b[:c], w9[:9*c]
	for i := range o0 {
		k := w9[i*9 : i*9+9 : i*9+9]
		x0, x1, x2, x3, x4 := r0[i], r0[i+c], r0[i+c2], r0[i+c3], r0[i+c4]
		u := b[i] + x0*k[0] + x1*k[1] + x2*k[2]
		v := b[i] + x2*k[0] + x3*k[1] + x4*k[2]
		x0, x1, x2, x3, x4 = r1[i], r1[i+c], r1[i+c2], r1[i+c3], r1[i+c4]
		u += x0*k[3] + x1*k[4] + x2*k[5]
		v += x2*k[3] + x3*k[4] + x4*k[5]
		x0, x1, x2, x3, x4 = r2[i], r2[i+c], r2[i+c2], r2[i+c3], r2[i+c4]
		u += x0*k[6] + x1*k[7] + x2*k[8]
		v += x2*k[6] + x3*k[7] + x4*k[8]
		o0[i], o1[i] = clamp6(u), clamp6(v)
	}
}
