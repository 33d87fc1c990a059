// Command coldstart times whole processes, start to exit: `lightbox assess FILE` on a small
// and a 12 MP JPEG, against a program that only decodes the 12 MP file with image/jpeg.
// Every run is a fresh process, so the figures include loading the embedded model.
// quality/bench/coldstart.sh builds the binaries and pins everything to one core.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"lightbox/quality/synth"
)

func main() {
	var (
		lightbox = flag.String("lightbox", "", "the lightbox binary")
		decoder  = flag.String("decoder", "", "the jpegdecode binary (quality/cmd/coldstart/jpegdecode)")
		runs     = flag.Int("runs", 21, "runs of each command; medians are reported")
		dir      = flag.String("dir", os.TempDir(), "where the test JPEGs are written")
	)
	flag.Parse()
	if *lightbox == "" || *decoder == "" || *runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: coldstart -lightbox BIN -decoder BIN [-runs N] [-dir DIR]")
		os.Exit(2)
	}
	small := filepath.Join(*dir, "coldstart-800x600.jpg")
	big := filepath.Join(*dir, "coldstart-4000x3000-q92.jpg")
	// The same pictures as the in-process benchmarks: a generated scene, and for 12 MP the
	// scene with grain, which makes the file about 3 MB as a phone's would be.
	write(small, synth.EncodeJPEG(synth.Scene(7, 800, 600), 90))
	write(big, synth.EncodeJPEG(synth.Noise(synth.Scene(42, 4000, 3000), 6, 42), 92))

	// Alternate the commands run by run so that load from other work on the machine falls
	// on all of them alike.
	cmds := [][]string{
		{*lightbox, "assess", small},
		{*lightbox, "assess", big},
		{*decoder, big},
	}
	times := make([][]time.Duration, len(cmds))
	for range *runs {
		for i, c := range cmds {
			times[i] = append(times[i], timeRun(c))
		}
	}
	med := make([]time.Duration, len(cmds))
	for i := range cmds {
		slices.Sort(times[i])
		med[i] = times[i][len(times[i])/2]
	}
	fmt.Printf("whole process, median of %d runs, GOMAXPROCS=%s\n", *runs, os.Getenv("GOMAXPROCS"))
	fmt.Printf("  lightbox assess 800x600 JPEG:          %6.1f ms (min %.1f, max %.1f)\n", ms(med[0]), ms(times[0][0]), ms(times[0][*runs-1]))
	fmt.Printf("  lightbox assess 4000x3000 q92 JPEG:    %6.1f ms (min %.1f, max %.1f)\n", ms(med[1]), ms(times[1][0]), ms(times[1][*runs-1]))
	fmt.Printf("  image/jpeg decode only, same file:     %6.1f ms (min %.1f, max %.1f)\n", ms(med[2]), ms(times[2][0]), ms(times[2][*runs-1]))
	fmt.Printf("  ratio assess/decode (12 MP):           %6.2f\n", float64(med[1])/float64(med[2]))
}

func timeRun(args []string) time.Duration {
	c := exec.Command(args[0], args[1:]...)
	c.Stderr = os.Stderr
	start := time.Now()
	if err := c.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "coldstart: %v: %v\n", args, err)
		os.Exit(1)
	}
	return time.Since(start)
}

func write(path string, b []byte) {
	if err := os.WriteFile(path, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }
