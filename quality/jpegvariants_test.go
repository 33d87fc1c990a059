package quality

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The decoder's fixtures (made by cjpeg, jpegtran and ImageMagick; see
// internal/jpegdec/testdata/README.md) through the public entry point: progressive, restart
// markers, every sampling layout, grey, YCCK and EXIF orientation are assessed;
// arithmetic coding is refused as unsupported.
func TestJPEGVariantsThroughAssess(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("internal", "jpegdec", "testdata", "*.jpg"))
	if err != nil || len(files) < 10 {
		t.Fatalf("decoder fixtures missing: %v %d", err, len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		if strings.HasPrefix(name, "arith") {
			wantCode(t, data, CodeUnsupportedFormat)
			continue
		}
		r, err := Assess(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if r.Details.Width == 0 || r.Details.Format != "JPEG" {
			t.Errorf("%s: %+v", name, r)
		}
		if strings.Contains(name, "gray") && !r.BlackAndWhite && !r.SmallImage {
			t.Errorf("%s: a grey JPEG not flagged BlackAndWhite", name)
		}
	}
}

// Full-size progressive and CMYK photos score like the same scene saved as a baseline JPEG.
func TestProgressiveAndCMYKScoreLikeBaseline(t *testing.T) {
	base := mustAssess(t, sceneJPEG(77, 320, 240, 88))
	for _, name := range []string{"progressive_scene.jpg", "cmyk_scene.jpg"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		r := mustAssess(t, data)
		if r.Details.Width != 320 || r.Details.Height != 240 || r.SmallImage || r.BlackAndWhite {
			t.Errorf("%s: %+v", name, r)
		}
		if d := r.ClarityScore - base.ClarityScore; d < -15 || d > 15 {
			t.Errorf("%s: ClarityScore %d, baseline JPEG of the same scene %d", name, r.ClarityScore, base.ClarityScore)
		}
	}
}
