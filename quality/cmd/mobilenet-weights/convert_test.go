package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestConvertReproducesCommittedWeights runs the whole conversion when the npm tarball
// is at hand (MOBILENET_TGZ=/path/to/nsfwjs-4.4.0.tgz; the tests otherwise stay
// offline) and checks the output and notice match the committed files byte for byte.
func TestConvertReproducesCommittedWeights(t *testing.T) {
	tgz := os.Getenv("MOBILENET_TGZ")
	if tgz == "" {
		t.Skip("set MOBILENET_TGZ to the nsfwjs-4.4.0.tgz path to run the conversion")
	}
	dir := t.TempDir()
	out, notice := filepath.Join(dir, "weights.bin"), filepath.Join(dir, "NOTICE.md")
	if err := run(tgz, out, notice, "mobilenet_v2", "block_13_expand_relu",
		[]string{"block_3_expand_relu", "block_6_expand_relu", "block_13_expand_relu"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"weights.bin", "NOTICE.md"} {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "internal", "mobilenet", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the committed one", f)
		}
	}
}
