package mobilenet

import (
	"encoding/binary"
	"math"
	"slices"
	"sync"
	"testing"
	"unsafe"
)

func mustLoad(t testing.TB) *Net {
	t.Helper()
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLoadOnce(t *testing.T) {
	a, b := mustLoad(t), mustLoad(t)
	if a != b {
		t.Error("Load returned two different networks")
	}
	if len(a.layers) != 40 {
		t.Errorf("%d layers, want 40 (stem, block 0, blocks 1-12, block 13 expand)", len(a.layers))
	}
}

func TestTapsShapeAndRange(t *testing.T) {
	n := mustLoad(t)
	got, err := n.Taps(patternImage("smooth", 40, 56), 40, 56)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != NumTaps {
		t.Fatalf("%d values", len(got))
	}
	for i, v := range got {
		// ReLU6 outputs: means and standard deviations both lie in [0, 6] (std <= 3).
		if !(v >= 0 && v <= 6) {
			t.Fatalf("value %d = %v, outside [0, 6]", i, v)
		}
	}
}

func TestTapsIntoMatchesTapsAndIsDeterministic(t *testing.T) {
	n := mustLoad(t)
	img := patternImage("texture", 48, 40)
	want, err := n.Taps(img, 48, 40)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]float32, NumTaps)
	for i := 0; i < 3; i++ {
		// A call at another size in between must not leave anything behind in the
		// pooled workspace.
		if _, err := n.Taps(patternImage("smooth", 37, 61), 37, 61); err != nil {
			t.Fatal(err)
		}
		if err := n.TapsInto(dst, img, 48, 40); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(dst, want) {
			t.Fatalf("call %d differs from the first", i)
		}
	}
}

// TestConcurrentTapsMatchSerial runs several goroutines at once (run with -race) on
// different inputs and checks each result bit for bit against a serial run.
func TestConcurrentTapsMatchSerial(t *testing.T) {
	n := mustLoad(t)
	type job struct {
		kind string
		h, w int
	}
	jobs := []job{{"texture", 32, 32}, {"smooth", 40, 33}, {"texture", 33, 47}, {"smooth", 64, 48}}
	want := make([][]float32, len(jobs))
	for i, j := range jobs {
		v, err := n.Taps(patternImage(j.kind, j.h, j.w), j.h, j.w)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = v
	}
	const goroutines, rounds = 6, 3
	var wg sync.WaitGroup
	errs := make(chan string, goroutines*rounds)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			dst := make([]float32, NumTaps)
			for r := 0; r < rounds; r++ {
				k := (g + r) % len(jobs)
				j := jobs[k]
				if err := n.TapsInto(dst, patternImage(j.kind, j.h, j.w), j.h, j.w); err != nil {
					errs <- err.Error()
					return
				}
				if !slices.Equal(dst, want[k]) {
					errs <- "concurrent result differs from serial"
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestInputErrors(t *testing.T) {
	n := mustLoad(t)
	ok := patternImage("smooth", 32, 32)
	dst := make([]float32, NumTaps)
	for _, tc := range []struct {
		name string
		dst  []float32
		img  []float32
		h, w int
	}{
		{"height below minimum", dst, make([]float32, 31*32*3), 31, 32},
		{"width below minimum", dst, make([]float32, 32*31*3), 32, 31},
		{"zero size", dst, nil, 0, 0},
		{"negative size", dst, ok, -32, -32},
		{"short image", dst, ok[:len(ok)-1], 32, 32},
		{"long image", dst, append(slices.Clone(ok), 0), 32, 32},
		{"nil image", dst, nil, 32, 32},
		{"short destination", dst[:NumTaps-1], ok, 32, 32},
		{"long destination", make([]float32, NumTaps+1), ok, 32, 32},
		{"nil destination", nil, ok, 32, 32},
		{"huge", dst, ok, 1 << 20, 1 << 20},
	} {
		if err := n.TapsInto(tc.dst, tc.img, tc.h, tc.w); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if _, err := n.Taps(ok[:10], 32, 32); err == nil {
		t.Error("Taps with a short image: no error")
	}
}

// TestNonFiniteInputDoesNotPanic: garbage in is the caller's problem, but must not crash.
func TestNonFiniteInputDoesNotPanic(t *testing.T) {
	n := mustLoad(t)
	img := patternImage("smooth", 32, 32)
	img[5] = float32(math.NaN())
	img[100] = float32(math.Inf(1))
	img[200] = float32(math.Inf(-1))
	img[300] = 1e30
	if _, err := n.Taps(img, 32, 32); err != nil {
		t.Fatal(err)
	}
}

func TestTapsIntoAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	n := mustLoad(t)
	img := patternImage("smooth", 32, 40)
	dst := make([]float32, NumTaps)
	if err := n.TapsInto(dst, img, 32, 40); err != nil {
		t.Fatal(err)
	}
	// A GC can empty the pool, so allow the odd re-allocation but not one per call.
	if a := testing.AllocsPerRun(20, func() { _ = n.TapsInto(dst, img, 32, 40) }); a >= 1 {
		t.Errorf("%v allocations per call", a)
	}
}

func TestCorruptWeightsAreRejected(t *testing.T) {
	if _, err := parse(embedded); err != nil {
		t.Fatalf("embedded weights: %v", err)
	}
	for _, cut := range []int{0, 10, 47, 100, len(embedded) / 2, len(embedded) - 1} {
		if _, err := parse(embedded[:cut]); err == nil {
			t.Errorf("truncated to %d bytes: no error", cut)
		}
	}
	bad := slices.Clone(embedded)
	bad[len(bad)/2] ^= 1
	if _, err := parse(bad); err == nil {
		t.Error("flipped bit: no error")
	}
}

func TestNumTapsMatchesTapChannels(t *testing.T) {
	sum := 0
	for _, c := range tapChannels {
		sum += 2 * c
	}
	if sum != NumTaps {
		t.Errorf("tap channels give %d values, NumTaps is %d", sum, NumTaps)
	}
}

// TestEmbeddedWeightsAreUsedInPlace: on a little-endian machine the embedded file is
// aligned, so loading points into it and copies nothing; the first call then costs what
// every later one does.
func TestEmbeddedWeightsAreUsedInPlace(t *testing.T) {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		t.Skip("big-endian: the weights are decoded into a copy")
	}
	n := mustLoad(t)
	if !n.inPlace {
		t.Fatal("embedded weights were copied")
	}
	lo, hi := uintptr(unsafe.Pointer(&embedded[0])), uintptr(unsafe.Pointer(&embedded[len(embedded)-1]))
	for _, l := range n.layers {
		if p := uintptr(unsafe.Pointer(&l.w[0])); p < lo || p > hi {
			t.Fatalf("layer %s: weights are not in the embedded file", l.name)
		}
	}
	// A copy (unaligned bytes) must answer exactly as the in-place weights do.
	shifted := make([]byte, len(embedded)+1)
	copy(shifted[1:], embedded)
	m, err := parse(shifted[1:])
	if err != nil {
		t.Fatal(err)
	}
	if m.inPlace {
		t.Fatal("unaligned bytes were viewed in place")
	}
	img := patternImage("texture", 40, 48)
	a, _ := n.Taps(img, 40, 48)
	b, _ := m.Taps(img, 40, 48)
	if !slices.Equal(a, b) {
		t.Error("the copied weights give different taps")
	}
}
