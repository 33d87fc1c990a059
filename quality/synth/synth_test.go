package synth

import (
	"bytes"
	"image/color"
	"image/png"
	"slices"
	"testing"
)

func TestSceneIsDeterministic(t *testing.T) {
	a, b := Scene(5, 64, 48), Scene(5, 64, 48)
	if !slices.Equal(a.R, b.R) || !slices.Equal(a.G, b.G) || !slices.Equal(a.B, b.B) {
		t.Fatal("same seed gave different pixels")
	}
	if c := Scene(6, 64, 48); slices.Equal(a.R, c.R) {
		t.Fatal("different seeds gave the same pixels")
	}
}

func TestDegradationsKeepSizeAndRange(t *testing.T) {
	s := Scene(1, 40, 30)
	outs := map[string][]float32{
		"blur": Blur(s, 2).R, "noise": Noise(s, 30, 1).R, "exp+": Exposure(s, 2).R,
		"exp-": Exposure(s, -2).R, "jpeg": JPEG(s, 10).R, "rot": Rotate(s, 10).R,
		"text": Text(40, 30, 8, color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}).R,
	}
	for name, ch := range outs {
		if len(ch) != 40*30 {
			t.Errorf("%s: %d samples, want %d", name, len(ch), 40*30)
		}
		for _, v := range ch {
			if v < 0 || v > 255 {
				t.Errorf("%s: sample %v out of 0..255", name, v)
				break
			}
		}
	}
}

// The re-saved JPEG ladder is PNG files whose pixels drift further from the scene at every
// rung: the blocks stay, the JPEG header does not.
func TestResavedJPEGLadder(t *testing.T) {
	s := Scene(5, 160, 120)
	l := ResavedJPEGLadder()
	rungs := l.Rungs(s)
	if len(rungs) != len(l.Steps) || len(rungs) != 10 {
		t.Fatalf("%d rungs, %d steps", len(rungs), len(l.Steps))
	}
	last := -1.0
	for i, b := range rungs {
		if !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Fatalf("rung %d is not a PNG", i)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		var sq float64
		for y := range 120 {
			for x := range 160 {
				r, _, _, _ := img.At(x, y).RGBA()
				d := float64(r>>8) - float64(s.R[y*160+x])
				sq += d * d
			}
		}
		if sq <= last {
			t.Errorf("rung %d (%s) is no further from the scene than the one before", i, l.Steps[i])
		}
		last = sq
	}
}

// Exactly the darkening and brightening ladders count as exposure ladders.
func TestExposureLadder(t *testing.T) {
	var names []string
	for _, l := range append(ClarityLadders(), ResavedJPEGLadder()) {
		if ExposureLadder(l.Name) {
			names = append(names, l.Name)
		}
	}
	if !slices.Equal(names, []string{"underexposure", "overexposure"}) {
		t.Fatalf("exposure ladders %v", names)
	}
}
