package features

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

// TestDumpCLIVE writes name,mos,features as CSV (development aid; LIGHTBOX_DUMP=file).
func TestDumpCLIVE(t *testing.T) {
	out := os.Getenv("LIGHTBOX_DUMP")
	if out == "" {
		t.Skip("set LIGHTBOX_DUMP=path")
	}
	rows := cliveData(t)
	var sb strings.Builder
	sb.WriteString("name,mos," + strings.Join(Names, ",") + ",C.blur,C.noise,C.exposure,C.compression\n")
	for _, r := range rows {
		fmt.Fprintf(&sb, "%s,%g", r.name, r.mos)
		for _, x := range r.v {
			fmt.Fprintf(&sb, ",%g", x)
		}
		fmt.Fprintf(&sb, ",%g,%g,%g,%g\n", r.c.Blur, r.c.Noise, r.c.Exposure, r.c.Compression)
	}
	os.WriteFile(out, []byte(sb.String()), 0o644)
}

// TestDumpLadders writes base,ladder,level,features (development aid; LIGHTBOX_LADDERS=file).
func TestDumpLadders(t *testing.T) {
	out := os.Getenv("LIGHTBOX_LADDERS")
	if out == "" {
		t.Skip("set LIGHTBOX_LADDERS=path")
	}
	var sb strings.Builder
	sb.WriteString("base,ladder,level," + strings.Join(Names, ",") + "\n")
	type b struct {
		name string
		img  *raster.Image
	}
	var bases []b
	for _, s := range []uint64{1, 2, 3} {
		bases = append(bases, b{fmt.Sprintf("seed%d", s), synth.Scene(s, 500, 375)})
	}
	for _, n := range realLadderPhotos {
		bases = append(bases, b{n, loadCLIVEImage(t, n).Img})
	}
	for _, bb := range bases {
		for _, l := range ladders {
			for _, lv := range l.levels {
				v := Technical(l.make(bb.img, lv))
				fmt.Fprintf(&sb, "%s,%s,%g", bb.name, l.name, lv)
				for _, x := range v {
					fmt.Fprintf(&sb, ",%g", x)
				}
				sb.WriteString("\n")
			}
		}
	}
	os.WriteFile(out, []byte(sb.String()), 0o644)
}
