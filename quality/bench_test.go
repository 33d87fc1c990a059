package quality

import (
	"bytes"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"lightbox/quality/synth"
)

var (
	photo12Once sync.Once
	photo12     []byte
)

// photo12MP is a 4000x3000 photo-like JPEG at quality 92, the size a phone writes.
func photo12MP(b *testing.B) []byte {
	photo12Once.Do(func() {
		// Grain sigma 6 makes it about 3 MB, what a phone writes at this quality.
		s := synth.Noise(synth.Scene(42, 4000, 3000), 6, 42)
		photo12 = synth.EncodeJPEG(s, 92)
	})
	b.SetBytes(int64(len(photo12)))
	return photo12
}

// BenchmarkStdDecode12MP is the yardstick: Go's image/jpeg merely decoding the file.
func BenchmarkStdDecode12MP(b *testing.B) {
	data := photo12MP(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssess12MP is the whole assessment, from bytes to every field.
func BenchmarkAssess12MP(b *testing.B) {
	data := photo12MP(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Assess(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssessVsDecode12MP alternates the two and reports their ratio, the number the
// speed requirement is about (< 1 means assessing is faster than image/jpeg decoding).
// Run with -cpu 1 for the one-core figure.
func BenchmarkAssessVsDecode12MP(b *testing.B) {
	data := photo12MP(b)
	if _, err := Assess(data); err != nil { // warm the model and weights outside the timing
		b.Fatal(err)
	}
	var dec, ass time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := Assess(data); err != nil {
			b.Fatal(err)
		}
		dec += t1.Sub(t0)
		ass += time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(dec.Milliseconds())/n, "decode-ms")
	b.ReportMetric(float64(ass.Milliseconds())/n, "assess-ms")
	b.ReportMetric(float64(ass)/float64(dec), "assess/decode")
}

// BenchmarkAssessCLIVESize is a typical web photo, 500x500 at quality 90.
func BenchmarkAssessCLIVESize(b *testing.B) {
	data := sceneJPEG(43, 500, 500, 90)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Assess(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClarityModel is the model alone (linear part, projection on 128 components and
// the Gaussian kernel against every rated photo), on one measured image.
func BenchmarkClarityModel(b *testing.B) {
	meas, err := Measure(synth.EncodeJPEG(synth.Scene(7, 500, 375), 90), Options{})
	if err != nil {
		b.Fatal(err)
	}
	m := clarity()
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(meas)
	}
}

// BenchmarkAssess800x600 is the steady-state cost of the cold-start bench's small file
// (quality/bench/coldstart.sh): what a fresh process should pay, plus only process start.
func BenchmarkAssess800x600(b *testing.B) {
	data := sceneJPEG(7, 800, 600, 90)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Assess(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadModels is what a fresh process pays before its first score: checking the
// embedded clarity model and viewing its arrays in place. The backbone's weights are viewed
// in place too (BenchmarkLoad in quality/internal/mobilenet).
func BenchmarkLoadModels(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseClarityModel(clarityModelJSON, clarityModelBin); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstAssessInFreshProcess runs, per iteration, a new process (this test binary)
// that assesses one 800x600 JPEG and exits: start-up, loading and the first score. Compare
// with BenchmarkAssess800x600, the same score in a warm process. quality/bench/coldstart.sh
// measures the real lightbox binary the same way.
func BenchmarkFirstAssessInFreshProcess(b *testing.B) {
	path := filepath.Join(b.TempDir(), "800x600.jpg")
	if err := os.WriteFile(path, sceneJPEG(7, 800, 600, 90), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAssessOneFileForColdStart$", "-test.count=1")
		cmd.Env = append(os.Environ(), coldStartEnv+"="+path)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}

const coldStartEnv = "LIGHTBOX_COLDSTART_FILE"

// TestAssessOneFileForColdStart is BenchmarkFirstAssessInFreshProcess's child process; it
// does nothing unless that benchmark runs it.
func TestAssessOneFileForColdStart(t *testing.T) {
	path := os.Getenv(coldStartEnv)
	if path == "" {
		t.Skip("run by BenchmarkFirstAssessInFreshProcess")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mustAssess(t, b)
}
