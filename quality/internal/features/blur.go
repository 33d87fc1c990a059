package features

import (
	"math"

	"lightbox/quality/internal/raster"
)

// tenengradTau is the Sobel magnitude (a 5-level step) below which gradients are ignored by
// Tenengrad: sensor noise alone should not count as sharpness.
const tenengradTau = 20

// blurFeatures turns the gradient pass into the global sharpness measures: variance of the
// Laplacian (Pech-Pacheco), its contrast-normalised form, Tenengrad (Krotkov), the
// Viqet/NTIA top-1% Laplacian over Sobel spread, the steepness of the strongest edges,
// Crété-Roffet's re-blur effect and the centre-versus-border sharpness ratio.
func blurFeatures(ws *workspace, luma *raster.Plane, v []float64) {
	n := float64(ws.w * ws.h)
	lm := ws.lapSum / n
	varLap := math.Max(ws.lapSq/n-lm*lm, 0)
	ls, lq := ws.lumSum, ws.lumSq
	varI := math.Max(lq/n-(ls/n)*(ls/n), 0)
	v[BlurVoL] = math.Log1p(varLap)
	// Dividing by the image's own variance separates "soft" from merely "low contrast".
	v[BlurVoLNorm] = math.Log((varLap + 1) / (varI + 1))

	v[BlurTenengrad] = math.Log1p(ws.ten / n)

	mm := ws.magSum / n
	magStd := math.Sqrt(math.Max(ws.magSq/n-mm*mm, 0))
	ws.hist.build(ws.mag, ws.magMax, false)
	v[BlurTopSobel] = math.Log1p(ws.hist.topMean(0.01))
	// The noise mask: the 10% strongest gradients are treated as edges (Tai & Yang).
	ws.edgeThr = ws.hist.quantile(0.90)
	ws.hist.build(ws.lap, ws.lapAbMax, true)
	v[BlurViqet] = math.Sqrt(ws.hist.topMean(0.01) / (magStd + 1))

	v[BlurCrete] = creteBlur(ws, luma)
	v[BlurCentre] = centreBorder(ws)
}

// creteBlur is Crété-Roffet's blur effect in 0..1: re-blur the image with a 9-tap box and
// measure how much of the neighbour-difference energy survives. A sharp image loses much
// (low value), an already blurred one loses little (high value). The larger of the
// horizontal and vertical values is returned, as in the paper.
func creteBlur(ws *workspace, luma *raster.Plane) float64 {
	w, h := ws.w, ws.h
	pix := luma.Pix
	const r = 4
	const inv = 1.0 / (2*r + 1)

	// Horizontal: running box sum along each row.
	var sI, sV float64
	for y := 0; y < h; y++ {
		row := pix[y*w : y*w+w]
		var acc float32
		for k := -r; k <= r; k++ {
			acc += row[min(max(k, 0), w-1)]
		}
		prevB := acc * inv
		for x := 1; x < w; x++ {
			acc += row[min(x+r, w-1)] - row[max(x-r-1, 0)]
			b := acc * inv
			dI := abs32(row[x] - row[x-1])
			dB := abs32(b - prevB)
			prevB = b
			sI += float64(dI)
			sV += float64(max(dI-dB, 0))
		}
	}
	bh := 1.0
	if sI > 0 {
		bh = (sI - sV) / sI
	}

	// Vertical: a running column sum in one row-sized buffer.
	col := ws.rows[:w]
	prev := ws.rows[w : 2*w]
	clear(col)
	for k := -r; k <= r; k++ {
		yy := min(max(k, 0), h-1)
		for x, p := range pix[yy*w : yy*w+w] {
			col[x] += p
		}
	}
	for x := range prev {
		prev[x] = col[x] * inv
	}
	sI, sV = 0, 0
	for y := 1; y < h; y++ {
		add := pix[min(y+r, h-1)*w:][:w]
		sub := pix[max(y-r-1, 0)*w:][:w]
		cur := pix[y*w:][:w]
		up := pix[(y-1)*w:][:w]
		for x := 0; x < w; x++ {
			col[x] += add[x] - sub[x]
			b := col[x] * inv
			dI := abs32(cur[x] - up[x])
			dB := abs32(b - prev[x])
			prev[x] = b
			sI += float64(dI)
			sV += float64(max(dI-dB, 0))
		}
	}
	bv := 1.0
	if sI > 0 {
		bv = (sI - sV) / sI
	}
	return math.Max(bh, bv)
}

// centreBorder compares the gradient energy of the central quarter of the frame (summed in
// the gradient pass) with the rest: a photo whose subject is in focus against a soft
// background scores high, a missed focus (sharp background, soft centre) low.
func centreBorder(ws *workspace) float64 {
	nc := ws.centreN
	nb := ws.w*ws.h - nc
	if nc == 0 || nb == 0 {
		return 0
	}
	eb := ws.magSq - ws.centreE
	return math.Log((ws.centreE/float64(nc) + 1) / (math.Max(eb, 0)/float64(nb) + 1))
}

// abs32 clears the sign bit: branch-free, which matters in loops over random-signed data.
func abs32(x float32) float32 {
	return math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
}

// negCount is 1 when x < 0 (strictly), else 0, without a branch.
func negCount(x float32) int {
	return int(1 - (uint64(math.Float32bits(x))-0x80000001)>>63)
}
