// Command jpegdecode only decodes a JPEG with Go's image/jpeg and exits: the yardstick
// the cold-start bench (quality/bench/coldstart.sh) times `lightbox assess` against.
package main

import (
	"fmt"
	"image/jpeg"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: jpegdecode FILE.jpg")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Print the size so the decode cannot be skipped and the run is checkable.
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy())
}
