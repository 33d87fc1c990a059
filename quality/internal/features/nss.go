package features

import (
	"math"
	"sort"
	"sync"
)

// BRISQUE-style natural-scene statistics (Mittal, Moorthy & Bovik 2012). The luma is
// normalised by its local mean and contrast (MSCN, 7x7 Gaussian, sigma 7/6, C = 1); for
// undistorted photos the result is close to a unit Gaussian, and each distortion bends its
// distribution in its own way: blur makes it peaky (low GGD shape), noise Gaussian-like and
// wide, blocking skews the neighbour products. Fits are by moment matching, inverted through
// a precomputed table instead of the usual linear scan.

var gauss7 = func() [7]float32 {
	var k [7]float32
	var s float64
	for i := range k {
		d := float64(i - 3)
		x := math.Exp(-d * d / (2 * (7.0 / 6) * (7.0 / 6)))
		k[i] = float32(x)
		s += x
	}
	for i := range k {
		k[i] = float32(float64(k[i]) / s)
	}
	return k
}()

// rhoTable maps the GGD shape alpha to rho(alpha) = Gamma(2/a)^2 / (Gamma(1/a) Gamma(3/a)),
// which is strictly increasing (0 at a->0, 2/pi at 2, 3/4 at a->inf); it is the ratio
// (E|x|)^2 / E[x^2] that the moments give.
const (
	rhoN         = 4096
	alphaMin     = 0.2
	alphaMax     = 10.0
	alphaLogSpan = 3.912023005428146 // ln(alphaMax/alphaMin)
)

// rhoTables builds the table on first use: 12,288 log-gamma calls are a millisecond that
// every lightbox process paid at start-up, scoring or not.
var rhoTables = sync.OnceValue(func() *[2][rhoN]float64 {
	var t [2][rhoN]float64
	a, r := &t[0], &t[1]
	for i := range a {
		al := alphaMin * math.Exp(alphaLogSpan*float64(i)/(rhoN-1))
		l2, _ := math.Lgamma(2 / al)
		l1, _ := math.Lgamma(1 / al)
		l3, _ := math.Lgamma(3 / al)
		a[i] = al
		r[i] = math.Exp(2*l2 - l1 - l3)
	}
	return &t
})

// shapeFromRho inverts rho by binary search and linear interpolation, clamped to the table.
func shapeFromRho(r float64) float64 {
	t := rhoTables()
	rhoAlpha, rhoVal := &t[0], &t[1]
	if !(r > rhoVal[0]) {
		return rhoAlpha[0]
	}
	if r >= rhoVal[rhoN-1] {
		return rhoAlpha[rhoN-1]
	}
	i := sort.SearchFloat64s(rhoVal[:], r) // rhoVal[i-1] < r <= rhoVal[i]
	f := (r - rhoVal[i-1]) / (rhoVal[i] - rhoVal[i-1])
	return rhoAlpha[i-1] + f*(rhoAlpha[i]-rhoAlpha[i-1])
}

// rhoOf evaluates rho at alpha by interpolating the table.
func rhoOf(alpha float64) float64 {
	rhoVal := &rhoTables()[1]
	f := math.Log(alpha/alphaMin) / alphaLogSpan * (rhoN - 1)
	if f <= 0 {
		return rhoVal[0]
	}
	if f >= rhoN-1 {
		return rhoVal[rhoN-1]
	}
	i := int(f)
	t := f - float64(i)
	return rhoVal[i] + t*(rhoVal[i+1]-rhoVal[i])
}

type aggd struct{ shape, mean, left, right float64 }

// aggdAcc accumulates the moments an AGGD fit needs. The one-sided sums are recovered from
// signed ones (sum x^2, sum x|x|, count of negatives) so that the hot loop has no branch on
// the sign, which is random.
type aggdAcc struct {
	sq, sqSigned, abs float64
	nNeg, n           int
}

// addProducts accumulates the products a[i]*b[i]. The row sums stay in registers (float32 for
// at most 512 terms) and are flushed once per row.
func (acc *aggdAcc) addProducts(a, b []float32) {
	b = b[:len(a)]
	var sq, sqs, ab float32
	var neg int
	for i, x := range a {
		p := x * b[i]
		ap := abs32(p)
		sq += p * p
		sqs += p * ap
		ab += ap
		neg += negCount(p)
	}
	acc.sq += float64(sq)
	acc.sqSigned += float64(sqs)
	acc.abs += float64(ab)
	acc.nNeg += neg
	acc.n += len(a)
}

// fit: sigma_l, sigma_r from the one-sided second moments, then the shape from the
// gamma-corrected rho, and the mean eta = (sigma_r - sigma_l) * sqrt(rho(nu)).
func (acc *aggdAcc) fit() aggd {
	if acc.n == 0 {
		return aggd{shape: 2}
	}
	sqNeg := math.Max((acc.sq-acc.sqSigned)/2, 0)
	sqPos := math.Max((acc.sq+acc.sqSigned)/2, 0)
	nPos := acc.n - acc.nNeg
	var l2, r2 float64
	if acc.nNeg > 0 {
		l2 = sqNeg / float64(acc.nNeg)
	}
	if nPos > 0 {
		r2 = sqPos / float64(nPos)
	}
	m2 := acc.sq / float64(acc.n)
	if m2 <= 0 {
		return aggd{shape: 2}
	}
	sl, sr := math.Sqrt(l2), math.Sqrt(r2)
	m1 := acc.abs / float64(acc.n)
	rhat := m1 * m1 / m2
	g := 1.0
	if sr > 0 {
		g = sl / sr
	}
	R := rhat * (g*g*g + 1) * (g + 1) / ((g*g + 1) * (g*g + 1))
	nu := shapeFromRho(R)
	return aggd{shape: nu, mean: (sr - sl) * math.Sqrt(rhoOf(nu)), left: l2, right: r2}
}

type nssResult struct {
	alpha, sigma2 float64
	pair          [4]aggd // horizontal, vertical, main diagonal, anti-diagonal
}

// nssFeatures keeps a compact, decorrelated subset of BRISQUE's 36 numbers: on photographs
// the four neighbour directions' shapes are nearly identical (rank correlation > 0.99), the
// right-side variances duplicate the MSCN variance and the diagonals duplicate each other,
// so those are averaged or dropped. The horizontal and vertical left-side variances stay
// separate because directional blur (camera shake) separates them.
func nssFeatures(ws *workspace, v []float64) {
	w, h := ws.w, ws.h
	r := nssAt(ws.lumaPix, w, h, ws.t0, ws.t1, ws.t2)
	v[NSSAlpha], v[NSSSigma2] = r.alpha, r.sigma2
	p := r.pair
	v[NSSPairShape] = (p[0].shape + p[1].shape + p[2].shape + p[3].shape) / 4
	v[NSSHLeft], v[NSSVLeft] = p[0].left, p[1].left
	v[NSSDLeft] = (p[2].left + p[3].left) / 2
	v[NSSHVMean] = (p[0].mean + p[1].mean) / 2
	v[NSSDMean] = (p[2].mean + p[3].mean) / 2
	// Second scale: 2x2 averages (ws.t3), where sensor noise has shrunk and structure dominates.
	w2, h2 := w/2, h/2
	if w2 < 1 || h2 < 1 {
		v[NSS2Alpha], v[NSS2PairShape] = r.alpha, v[NSSPairShape]
		return
	}
	r2 := nssAt(ws.t3[:w2*h2], w2, h2, ws.t0, ws.t1, ws.t4)
	v[NSS2Alpha] = r2.alpha
	p = r2.pair
	v[NSS2PairShape] = (p[0].shape + p[1].shape + p[2].shape + p[3].shape) / 4
	// How the normalised variance changes across the octave: blur lowers the fine scale only.
	v[NSS2SigmaRatio] = math.Log((r2.sigma2 + 1e-3) / (r.sigma2 + 1e-3))
}

// nssAt computes the MSCN map of src (w x h) into out, using ta and tb as scratch, and fits
// the GGD and the four neighbour-product AGGDs.
func nssAt(src []float32, w, h int, ta, tb, out []float32) nssResult {
	k := gauss7
	// Horizontal pass of I and I^2 with clamped borders.
	for y := 0; y < h; y++ {
		row := src[y*w : y*w+w]
		oa := ta[y*w : y*w+w]
		ob := tb[y*w : y*w+w]
		for x := 0; x < w; x++ {
			var sa, sb float32
			if x >= 3 && x+3 < w {
				r := row[x-3 : x+4 : x+4]
				p0, p1, p2, p3, p4, p5, p6 := r[0], r[1], r[2], r[3], r[4], r[5], r[6]
				sa = k[0]*(p0+p6) + k[1]*(p1+p5) + k[2]*(p2+p4) + k[3]*p3
				sb = k[0]*(p0*p0+p6*p6) + k[1]*(p1*p1+p5*p5) + k[2]*(p2*p2+p4*p4) + k[3]*p3*p3
			} else {
				for j, c := range k {
					p := row[min(max(x+j-3, 0), w-1)]
					sa += c * p
					sb += c * p * p
				}
			}
			oa[x], ob[x] = sa, sb
		}
	}
	// Vertical pass, then normalise.
	var rows [7][]float32
	var rows2 [7][]float32
	for y := 0; y < h; y++ {
		for j := range rows {
			yy := min(max(y+j-3, 0), h-1)
			rows[j] = ta[yy*w : yy*w+w]
			rows2[j] = tb[yy*w : yy*w+w]
		}
		row := src[y*w : y*w+w]
		o := out[y*w : y*w+w]
		r0, r1, r2, r3, r4, r5, r6 := rows[0][:w], rows[1][:w], rows[2][:w], rows[3][:w], rows[4][:w], rows[5][:w], rows[6][:w]
		q0, q1, q2, q3, q4, q5, q6 := rows2[0][:w], rows2[1][:w], rows2[2][:w], rows2[3][:w], rows2[4][:w], rows2[5][:w], rows2[6][:w]
		for x := 0; x < w; x++ {
			// The kernel is symmetric: pair the taps.
			mu := k[0]*(r0[x]+r6[x]) + k[1]*(r1[x]+r5[x]) + k[2]*(r2[x]+r4[x]) + k[3]*r3[x]
			m2 := k[0]*(q0[x]+q6[x]) + k[1]*(q1[x]+q5[x]) + k[2]*(q2[x]+q4[x]) + k[3]*q3[x]
			vr := m2 - mu*mu
			if vr < 0 {
				vr = 0
			}
			o[x] = (row[x] - mu) / (float32(math.Sqrt(float64(vr))) + 1)
		}
	}

	var res nssResult
	var s1, s2 float64
	var acc [4]aggdAcc
	for y := 0; y < h; y++ {
		cur := out[y*w : y*w+w]
		var r1, r2 float32
		for _, c := range cur {
			r1 += abs32(c)
			r2 += c * c
		}
		s1 += float64(r1)
		s2 += float64(r2)
		acc[0].addProducts(cur[:w-1], cur[1:])
		if y+1 < h {
			nxt := out[(y+1)*w : (y+1)*w+w]
			acc[1].addProducts(cur, nxt)
			acc[2].addProducts(cur[:w-1], nxt[1:])
			acc[3].addProducts(cur[1:], nxt[:w-1])
		}
	}
	n := float64(w * h)
	m1, m2 := s1/n, s2/n
	res.alpha = 2
	if m2 > 0 {
		res.alpha = shapeFromRho(m1 * m1 / m2)
	}
	res.sigma2 = m2
	for i := range acc {
		res.pair[i] = acc[i].fit()
	}
	return res
}
