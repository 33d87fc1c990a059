//go:build unix

package jpegdec

// TestCPUTimes prints best-of-5 process CPU time per decode of the benchmark
// image (or of JPEGDEC_BENCH_FILE). CPU time stays meaningful when other
// work loads the machine, unlike benchmark wall time. Opt-in:
//
//	GOMAXPROCS=1 go test -run CPUTimes -v ./quality/internal/jpegdec/ -args -benchsize

import (
	"bytes"
	"image/jpeg"
	"os"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestCPUTimes(t *testing.T) {
	if !*benchSizeFlag {
		t.Skip()
	}
	data := benchData(&testing.B{})
	if f := os.Getenv("JPEGDEC_BENCH_FILE"); f != "" {
		data, _ = os.ReadFile(f)
	}
	measure := func(name string, f func()) {
		f()
		best := time.Hour
		for i := 0; i < 5; i++ {
			c0 := cpuNow()
			f()
			if d := cpuNow() - c0; d < best {
				best = d
			}
		}
		t.Logf("%-10s %6.1f ms CPU", name, float64(best.Microseconds())/1000)
	}
	measure("stdlib", func() { jpeg.Decode(bytes.NewReader(data)) })
	for _, k := range []int{1, 2, 4, 8} {
		measure("denom"+string(rune('0'+k)), func() { Decode(data, Options{Denom: k}) })
	}
	var blk [64]int32
	for i := range blk {
		blk[i] = int32((i*37)%23 - 11)
	}
	dst := make([]byte, 64*8)
	measure("idct8x1M", func() {
		for i := 0; i < 1000000; i++ {
			idct8(&blk, dst, 64)
		}
	})
}
