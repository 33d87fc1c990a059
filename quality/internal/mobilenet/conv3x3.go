package mobilenet

// padBefore is the zero padding above and left of the input of a 3x3 layer: 'same' at
// stride 1 pads one on every side; the stride-2 layers of this model pad only the
// bottom and right (Keras ZeroPadding2D((0, 1), (0, 1)) then 'valid').
func padBefore(stride int) int {
	if stride == 1 {
		return 1
	}
	return 0
}

// conv3x3 is the full 3x3 convolution of the first layer, run as a matrix product: each
// strip of output positions gathers its 3x3xcin input patches (zeros outside the image)
// into rows of patch, in the [ky][kx][cin] order of the weight rows, then one GEMM with
// the [27][cout] weights.
func conv3x3(l *layer, in []float32, h, w int, out []float32, oh, ow int, patch []float32, st *tapStats) {
	total := oh * ow
	for p0 := 0; p0 < total; p0 += stripPixels {
		rows := min(stripPixels, total-p0)
		conv3x3Strip(l, in, h, w, ow, p0, rows, out[p0*l.cout:(p0+rows)*l.cout], patch, st)
	}
}

// conv3x3Strip computes output positions [p0, p0+rows) (rows <= stripPixels; ow positions
// a row) into dst.
func conv3x3Strip(l *layer, in []float32, h, w, ow, p0, rows int, dst, patch []float32, st *tapStats) {
	cin, s, pad := l.cin, l.stride, padBefore(l.stride)
	kdim := 9 * cin
	pm := patch[:rows*kdim]
	for r := 0; r < rows; r++ {
		oy, ox := (p0+r)/ow, (p0+r)%ow
		row := pm[r*kdim : (r+1)*kdim]
		ix0 := ox*s - pad
		for ky := 0; ky < 3; ky++ {
			iy := oy*s + ky - pad
			d := row[ky*3*cin : (ky+1)*3*cin]
			if iy >= 0 && iy < h && ix0 >= 0 && ix0+2 < w {
				// The window's three columns are contiguous in the input: one run.
				// An explicit loop: copy would call memmove for so few values.
				src := in[(iy*w+ix0)*cin : (iy*w+ix0+3)*cin]
				for c := range d {
					d[c] = src[c]
				}
				continue
			}
			for kx := 0; kx < 3; kx++ {
				ix := ix0 + kx
				dk := d[kx*cin : (kx+1)*cin]
				if iy < 0 || iy >= h || ix < 0 || ix >= w {
					clear(dk)
					continue
				}
				copy(dk, in[(iy*w+ix)*cin:(iy*w+ix+1)*cin])
			}
		}
	}
	product(l, pm, rows, kdim, dst, st)
}
