// Package synth generates deterministic test images: photo-like scenes, text pages, solid
// fills, and the degradations (blur, noise, compression, exposure, colour, geometry) that the
// quality ladders apply to them. Tests never need image files from disk.
package synth

import (
	"math"
	"math/rand/v2"

	"lightbox/quality/internal/raster"
)

// Scene draws a photo-like image: a sky gradient, a horizon with textured ground, shaded
// objects with hard and soft edges, fine texture and a little sensor noise. Different
// seeds give different layouts; the same seed always gives the same pixels.
func Scene(seed uint64, w, h int) *raster.Image {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	m := raster.New(w, h)
	horizon := 0.45 + 0.2*rng.Float64()
	skyTop := [3]float64{40 + 60*rng.Float64(), 90 + 60*rng.Float64(), 170 + 60*rng.Float64()}
	skyLow := [3]float64{170 + 60*rng.Float64(), 190 + 50*rng.Float64(), 210 + 40*rng.Float64()}
	ground := [3]float64{60 + 80*rng.Float64(), 80 + 70*rng.Float64(), 30 + 50*rng.Float64()}
	tex := fractalNoise(rng, w, h)
	fine := fractalNoiseOctaves(rng, w, h, 2, 6)
	for y := 0; y < h; y++ {
		fy := float64(y) / float64(h)
		for x := 0; x < w; x++ {
			i := y*w + x
			var c [3]float64
			if fy < horizon {
				t := fy / horizon
				for k := range c {
					c[k] = skyTop[k]*(1-t) + skyLow[k]*t + 12*tex[i]
				}
			} else {
				t := (fy - horizon) / (1 - horizon)
				shade := 0.7 + 0.5*t
				for k := range c {
					c[k] = ground[k]*shade + 40*tex[i] + 35*fine[i]
				}
			}
			m.R[i], m.G[i], m.B[i] = float32(c[0]), float32(c[1]), float32(c[2])
		}
	}
	// Objects: shaded discs and boxes, the subject-like content with sharp edges.
	n := 3 + rng.IntN(4)
	for range n {
		cx := (0.15 + 0.7*rng.Float64()) * float64(w)
		cy := (horizon + (1-horizon)*0.5*rng.Float64()) * float64(h)
		r := (0.05 + 0.12*rng.Float64()) * float64(min(w, h))
		col := [3]float64{255 * rng.Float64(), 255 * rng.Float64(), 255 * rng.Float64()}
		box := rng.IntN(2) == 0
		drawObject(m, cx, cy-r*0.6, r, col, box, fine)
	}
	// Sensor noise floor: real photos are never perfectly clean.
	for i := range m.R {
		m.R[i] += float32(1.2 * rng.NormFloat64())
		m.G[i] += float32(1.2 * rng.NormFloat64())
		m.B[i] += float32(1.2 * rng.NormFloat64())
	}
	Clamp(m)
	return m
}

func drawObject(m *raster.Image, cx, cy, r float64, col [3]float64, box bool, fine []float64) {
	x0, x1 := max(int(cx-r)-1, 0), min(int(cx+r)+2, m.W)
	y0, y1 := max(int(cy-r)-1, 0), min(int(cy+r)+2, m.H)
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			dx, dy := (float64(x)-cx)/r, (float64(y)-cy)/r
			var inside float64
			if box {
				inside = coverage(1 - math.Max(math.Abs(dx), math.Abs(dy)))
			} else {
				inside = coverage(1 - math.Hypot(dx, dy))
			}
			if inside <= 0 {
				continue
			}
			// Lambert-like shading from the top left gives the object volume.
			light := 0.6 + 0.4*(-0.5*dx-0.7*dy)
			i := y*m.W + x
			t := 25 * fine[i]
			blend := func(dst *float32, c float64) {
				v := c*light + t
				*dst = float32(float64(*dst)*(1-inside) + v*inside)
			}
			blend(&m.R[i], col[0])
			blend(&m.G[i], col[1])
			blend(&m.B[i], col[2])
		}
	}
}

// coverage turns a signed distance (in radius units) into an antialiased 0..1 edge.
func coverage(d float64) float64 {
	return math.Max(0, math.Min(1, d*40))
}

// fractalNoise is value noise summed over octaves, in about -1..1: natural-looking texture.
func fractalNoise(rng *rand.Rand, w, h int) []float64 {
	return fractalNoiseOctaves(rng, w, h, 4, 6)
}

func fractalNoiseOctaves(rng *rand.Rand, w, h, cell, octaves int) []float64 {
	out := make([]float64, w*h)
	amp := 1.0
	c := float64(max(w, h)) / float64(cell)
	for range octaves {
		gw, gh := int(float64(w)/c)+2, int(float64(h)/c)+2
		grid := make([]float64, gw*gh)
		for i := range grid {
			grid[i] = rng.Float64()*2 - 1
		}
		for y := 0; y < h; y++ {
			gy := float64(y) / c
			iy := int(gy)
			fy := smooth(gy - float64(iy))
			for x := 0; x < w; x++ {
				gx := float64(x) / c
				ix := int(gx)
				fx := smooth(gx - float64(ix))
				a := grid[iy*gw+ix]*(1-fx) + grid[iy*gw+ix+1]*fx
				b := grid[(iy+1)*gw+ix]*(1-fx) + grid[(iy+1)*gw+ix+1]*fx
				out[y*w+x] += amp * (a*(1-fy) + b*fy)
			}
		}
		amp *= 0.55
		c /= 2
		if c < 1 {
			break
		}
	}
	return out
}

func smooth(t float64) float64 { return t * t * (3 - 2*t) }

// Clamp limits every sample to 0..255, as an 8-bit file would.
func Clamp(m *raster.Image) {
	for _, ch := range [][]float32{m.R, m.G, m.B} {
		for i, v := range ch {
			if v < 0 {
				ch[i] = 0
			} else if v > 255 {
				ch[i] = 255
			}
		}
	}
}

// Solid returns an image of one colour.
func Solid(w, h int, r, g, b uint8) *raster.Image {
	m := raster.New(w, h)
	for i := range m.R {
		m.R[i], m.G[i], m.B[i] = float32(r), float32(g), float32(b)
	}
	return m
}

// Gradient returns a smooth two-colour vertical gradient.
func Gradient(w, h int, top, bottom [3]uint8) *raster.Image {
	m := raster.New(w, h)
	for y := 0; y < h; y++ {
		t := float32(y) / float32(max(h-1, 1))
		for x := 0; x < w; x++ {
			i := y*w + x
			m.R[i] = float32(top[0])*(1-t) + float32(bottom[0])*t
			m.G[i] = float32(top[1])*(1-t) + float32(bottom[1])*t
			m.B[i] = float32(top[2])*(1-t) + float32(bottom[2])*t
		}
	}
	return m
}

// Wall is a photo of a plain white wall: nearly uniform, but with plaster texture, uneven
// light and sensor noise, which is what separates it from a flat fill.
func Wall(seed uint64, w, h int) *raster.Image {
	rng := rand.New(rand.NewPCG(seed, 7))
	tex := fractalNoiseOctaves(rng, w, h, 8, 7)
	m := raster.New(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			light := 215 + 25*float64(x)/float64(w) - 15*float64(y)/float64(h)
			v := light + 10*tex[i] + 3*rng.NormFloat64()
			m.R[i], m.G[i], m.B[i] = float32(v), float32(v-2), float32(v-6)
		}
	}
	Clamp(m)
	return m
}

// Sparse is a sparse photo: mostly empty sky with one small subject, the kind of image that is
// plain but still a photograph.
func Sparse(seed uint64, w, h int) *raster.Image {
	rng := rand.New(rand.NewPCG(seed, 11))
	m := Gradient(w, h, [3]uint8{70, 130, 200}, [3]uint8{180, 210, 235})
	tex := fractalNoiseOctaves(rng, w, h, 3, 6)
	for i := range m.R {
		d := float32(6 * tex[i])
		m.R[i] += d + float32(1.5*rng.NormFloat64())
		m.G[i] += d + float32(1.5*rng.NormFloat64())
		m.B[i] += d + float32(1.5*rng.NormFloat64())
	}
	drawObject(m, 0.62*float64(w), 0.4*float64(h), 0.06*float64(min(w, h)), [3]float64{240, 240, 235}, false, tex)
	Clamp(m)
	return m
}
