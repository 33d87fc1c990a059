package synth

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"

	"lightbox/quality/internal/raster"
)

// Blur applies a separable Gaussian blur of standard deviation sigma pixels.
func Blur(m *raster.Image, sigma float64) *raster.Image {
	if sigma <= 0 {
		return copyImage(m)
	}
	radius := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*radius+1)
	var sum float64
	for i := range k {
		d := float64(i - radius)
		v := math.Exp(-d * d / (2 * sigma * sigma))
		k[i] = float32(v)
		sum += v
	}
	for i := range k {
		k[i] /= float32(sum)
	}
	out := raster.New(m.W, m.H)
	tmp := make([]float32, m.W*m.H)
	for c, src := range [][]float32{m.R, m.G, m.B} {
		dst := [][]float32{out.R, out.G, out.B}[c]
		convolveLines(src, tmp, m.W, m.H, k, true)
		convolveLines(tmp, dst, m.W, m.H, k, false)
	}
	return out
}

// Noise adds zero-mean Gaussian noise of standard deviation sigma to every channel
// independently (colour noise, as a small sensor in low light produces).
func Noise(m *raster.Image, sigma float64, seed uint64) *raster.Image {
	rng := rand.New(rand.NewPCG(seed, 3))
	out := copyImage(m)
	for _, ch := range [][]float32{out.R, out.G, out.B} {
		for i := range ch {
			ch[i] += float32(sigma * rng.NormFloat64())
		}
	}
	Clamp(out)
	return out
}

// Exposure multiplies linear light by 2^stops (approximated with gamma 2.2), the way a
// camera over- or under-exposes: highlights clip, shadows crush.
func Exposure(m *raster.Image, stops float64) *raster.Image {
	gain := math.Pow(2, stops)
	out := copyImage(m)
	for _, ch := range [][]float32{out.R, out.G, out.B} {
		for i, v := range ch {
			lin := math.Pow(float64(v)/255, 2.2) * gain
			ch[i] = float32(255 * math.Pow(math.Min(lin, 1), 1/2.2))
		}
	}
	// Round to 8 bits: crushed shadows lose their levels, as in a file.
	for _, ch := range [][]float32{out.R, out.G, out.B} {
		for i, v := range ch {
			ch[i] = float32(math.Round(float64(v)))
		}
	}
	return out
}

// Desaturate moves every pixel toward its luma by amount (0 = unchanged, 1 = grey), and
// flattens contrast toward mid-grey by the same amount times flatten: "mush".
func Desaturate(m *raster.Image, amount, flatten float64) *raster.Image {
	out := copyImage(m)
	a := float32(amount)
	f := float32(amount * flatten)
	for i := range out.R {
		y := 0.299*out.R[i] + 0.587*out.G[i] + 0.114*out.B[i]
		for _, p := range []*float32{&out.R[i], &out.G[i], &out.B[i]} {
			v := *p*(1-a) + y*a
			*p = v*(1-f) + 128*f
		}
	}
	return out
}

// Rotate turns the image by deg degrees about its centre and crops to the largest
// axis-aligned rectangle of the same aspect ratio that holds no empty corner, as a tilted
// shot straightened by nobody looks: the horizon is simply not level.
func Rotate(m *raster.Image, deg float64) *raster.Image {
	th := deg * math.Pi / 180
	c, s := math.Cos(th), math.Sin(th)
	// Scale so that the rotated frame still covers the output completely.
	w, h := float64(m.W), float64(m.H)
	scale := math.Abs(c) + math.Abs(s)*math.Max(w/h, h/w)
	out := raster.New(m.W, m.H)
	cx, cy := w/2, h/2
	for y := 0; y < m.H; y++ {
		for x := 0; x < m.W; x++ {
			dx, dy := (float64(x)+0.5-cx)/scale, (float64(y)+0.5-cy)/scale
			sx := c*dx - s*dy + cx - 0.5
			sy := s*dx + c*dy + cy - 0.5
			i := y*m.W + x
			out.R[i] = bilinear(m.R, m.W, m.H, sx, sy)
			out.G[i] = bilinear(m.G, m.W, m.H, sx, sy)
			out.B[i] = bilinear(m.B, m.W, m.H, sx, sy)
		}
	}
	return out
}

func bilinear(p []float32, w, h int, x, y float64) float32 {
	x = math.Max(0, math.Min(x, float64(w-1)))
	y = math.Max(0, math.Min(y, float64(h-1)))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := float32(x-float64(x0)), float32(y-float64(y0))
	a := p[y0*w+x0]*(1-fx) + p[y0*w+x1]*fx
	b := p[y1*w+x0]*(1-fx) + p[y1*w+x1]*fx
	return a*(1-fy) + b*fy
}

// Crop returns the sub-image r (clipped to the image), then scaled back to the original
// size so that only the framing changes.
func Crop(m *raster.Image, r image.Rectangle) *raster.Image {
	r = r.Intersect(image.Rect(0, 0, m.W, m.H))
	sub := raster.New(r.Dx(), r.Dy())
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			i, j := y*r.Dx()+x, (y+r.Min.Y)*m.W+x+r.Min.X
			sub.R[i], sub.G[i], sub.B[i] = m.R[j], m.G[j], m.B[j]
		}
	}
	return sub.Resize(m.W, m.H)
}

// Letterbox paints bars of colour v over the top and bottom fraction frac of the image.
func Letterbox(m *raster.Image, frac float64, v float32) *raster.Image {
	out := copyImage(m)
	bar := int(frac * float64(m.H))
	for y := 0; y < m.H; y++ {
		if y >= bar && y < m.H-bar {
			continue
		}
		for x := 0; x < m.W; x++ {
			i := y*m.W + x
			out.R[i], out.G[i], out.B[i] = v, v, v
		}
	}
	return out
}

// JPEG round-trips the image through the standard encoder at the given quality.
func JPEG(m *raster.Image, quality int) *raster.Image {
	img, err := jpeg.Decode(bytes.NewReader(EncodeJPEG(m, quality)))
	if err != nil {
		panic(err) // our own encoder's output: cannot fail
	}
	return raster.FromImage(img)
}

func copyImage(m *raster.Image) *raster.Image {
	out := raster.New(m.W, m.H)
	copy(out.R, m.R)
	copy(out.G, m.G)
	copy(out.B, m.B)
	return out
}

// convolveLines convolves every row (across) or every column of a w x h plane with the
// odd-length kernel k, repeating the edge pixels.
func convolveLines(src, dst []float32, w, h int, k []float32, across bool) {
	radius := len(k) / 2
	n, lines, step, next := w, h, 1, w
	if !across {
		n, lines, step, next = h, w, w, 1
	}
	for l := 0; l < lines; l++ {
		base := l * next
		for i := 0; i < n; i++ {
			var s float32
			for j, wt := range k {
				s += src[base+min(max(i+j-radius, 0), n-1)*step] * wt
			}
			dst[base+i*step] = s
		}
	}
}
