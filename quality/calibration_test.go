package quality

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"lightbox/quality/internal/linfit"
)

// cliveDir finds the calibration photos: $LIGHTBOX_CLIVE, or ../shared/datasets/clive-calib
// beside the repository.
func cliveDir(t *testing.T) string {
	dir := os.Getenv("LIGHTBOX_CLIVE")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "datasets", "clive-calib")
	}
	if _, err := os.Stat(filepath.Join(dir, "scores.csv")); err != nil {
		t.Skipf("calibration photos not found at %s (set LIGHTBOX_CLIVE)", dir)
	}
	return dir
}

// The embedded model must score, through Assess, the way it scored at training time: a
// wiring mistake (feature order, clamping, penalties) would show as a collapse here. The
// figure is in-sample, so it must clear the cross-validated one the model file records.
func TestEmbeddedModelAgreesWithRatings(t *testing.T) {
	dir := cliveDir(t)
	f, err := os.Open(filepath.Join(dir, "scores.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	step := 5 // 126 photos
	if raceEnabled {
		step = 30
	}
	var scores, mos []float64
	for i, r := range rows[1:] {
		if i%step != 0 {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "images", r[0]))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Assess(b)
		if err != nil {
			t.Fatalf("%s: %v", r[0], err)
		}
		m, _ := strconv.ParseFloat(r[1], 64)
		scores = append(scores, float64(res.ClarityScore))
		mos = append(mos, m)
	}
	s := linfit.Spearman(scores, mos)
	t.Logf("SROCC %.3f on %d rated photos (model's cross-validated figure: %.3f)", s, len(mos), clarity().Trained.CVSROCC)
	if s < clarity().Trained.CVSROCC {
		t.Fatalf("SROCC %.3f below the model's cross-validated %.3f: the scorer does not use its model as trained", s, clarity().Trained.CVSROCC)
	}
}

func TestEmbeddedModelLoads(t *testing.T) {
	m := clarity()
	if m.Trained.Images < 100 || m.Trained.CVSROCC < 0.7 {
		t.Fatalf("embedded model trained on %d images with CV SROCC %.3f", m.Trained.Images, m.Trained.CVSROCC)
	}
	if !m.uses("cnn") {
		t.Fatal("embedded model does not use the CNN features")
	}
}
