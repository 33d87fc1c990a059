package features

import (
	"fmt"
	"lightbox/quality/internal/linfit"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The tests in this file use the CLIVE calibration photos (skipped when the folder is
// absent, under -short and under the race detector, which would make them take minutes).

type cliveRow struct {
	mos  float64
	v    []float64
	c    Components
	name string
}

var (
	cliveOnce sync.Once
	cliveRows []cliveRow
)

func cliveData(t *testing.T) []cliveRow {
	if testing.Short() || raceEnabled {
		t.Skip("whole-dataset test: skipped under -short and -race")
	}
	names, mos := loadCLIVE(t)
	cliveOnce.Do(func() {
		rows := make([]cliveRow, len(names))
		var wg sync.WaitGroup
		next := make(chan int)
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					in := loadCLIVEImage(t, names[i])
					v := Technical(in)
					rows[i] = cliveRow{mos: mos[i], v: v, c: ComponentsOf(in, v), name: names[i]}
				}
			}()
		}
		for i := range names {
			next <- i
		}
		close(next)
		wg.Wait()
		cliveRows = rows
	})
	return cliveRows
}

// TestCLIVECorrelations prints (under -v) each feature's and each component's Spearman
// correlation with the human mean opinion scores.
func TestCLIVECorrelations(t *testing.T) {
	rows := cliveData(t)
	mos := make([]float64, len(rows))
	for i, r := range rows {
		mos[i] = r.mos
	}
	type fc struct {
		name string
		rho  float64
	}
	var fcs []fc
	col := make([]float64, len(rows))
	for f := range Names {
		for i, r := range rows {
			col[i] = r.v[f]
		}
		fcs = append(fcs, fc{Names[f], linfit.Spearman(col, mos)})
	}
	sort.SliceStable(fcs, func(i, j int) bool { return math.Abs(fcs[i].rho) > math.Abs(fcs[j].rho) })
	var sb strings.Builder
	fmt.Fprintf(&sb, "feature SROCC vs MOS over %d CLIVE photos:\n", len(rows))
	strong := 0
	for _, f := range fcs {
		fmt.Fprintf(&sb, "  %-22s %+.3f\n", f.name, f.rho)
		if math.Abs(f.rho) >= 0.3 {
			strong++
		}
	}
	comps := []struct {
		name string
		get  func(Components) float64
	}{
		{"Blur", func(c Components) float64 { return c.Blur }},
		{"Noise", func(c Components) float64 { return c.Noise }},
		{"Exposure", func(c Components) float64 { return c.Exposure }},
		{"Compression", func(c Components) float64 { return c.Compression }},
		{"min(components)", func(c Components) float64 { return min(c.Blur, c.Noise, c.Exposure, c.Compression) }},
	}
	sb.WriteString("component SROCC vs MOS:\n")
	for _, c := range comps {
		for i, r := range rows {
			col[i] = c.get(r.c)
		}
		fmt.Fprintf(&sb, "  %-22s %+.3f\n", c.name, linfit.Spearman(col, mos))
	}
	t.Log(sb.String())
	if strong < 3 {
		t.Errorf("only %d features reach |SROCC| >= 0.3 on CLIVE", strong)
	}
}
