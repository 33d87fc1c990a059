package quality

import (
	"image"
	"image/color"
)

type colorT = color.Color

var black = color.Gray{0}

func paletteOf(n int) color.Palette {
	p := make(color.Palette, 0, n)
	for i := 0; i < n; i++ {
		p = append(p, color.RGBA{uint8(i * 37 % 256), uint8(i * 91 % 256), uint8(i * 53 % 256), 255})
	}
	return p
}

func rgba64(src *image.RGBA) *image.RGBA64 {
	out := image.NewRGBA64(src.Bounds())
	for y := src.Rect.Min.Y; y < src.Rect.Max.Y; y++ {
		for x := src.Rect.Min.X; x < src.Rect.Max.X; x++ {
			out.Set(x, y, src.At(x, y))
		}
	}
	return out
}

func nrgba(src *image.RGBA) *image.NRGBA {
	out := image.NewNRGBA(src.Bounds())
	for y := src.Rect.Min.Y; y < src.Rect.Max.Y; y++ {
		for x := src.Rect.Min.X; x < src.Rect.Max.X; x++ {
			c := src.RGBAAt(x, y)
			out.SetNRGBA(x, y, color.NRGBA{c.R, c.G, c.B, uint8(128 + x%128)})
		}
	}
	return out
}
