package quality

import (
	"os"
	"testing"

	"lightbox/quality/internal/dataset"
	"lightbox/quality/internal/linfit"
)

// cliveDir finds the calibration photos, or skips.
func cliveDir(t *testing.T) string { return dataset.LocateOrSkip(t) }

// The embedded model must score, through Assess, the way it scored at training time: a
// wiring mistake (feature order, clamping, graded term) would show as a collapse here. The
// figure is in-sample, so it must clear the cross-validated one the model file records; the
// kernel term all but reproduces the ratings of the photos it was fitted on, so with it the
// bar is much higher (a mistake in the projection would drop it to the linear part's level).
// The graded term, fitted on ladders as well as ratings, moves some photos off their ratings:
// 0.966 on the 126 photos, 0.882 on the 21 of a -race run (a small, noisy sample), against
// 0.775 cross-validated, which is where a broken kernel term would land.
func TestEmbeddedModelAgreesWithRatings(t *testing.T) {
	dir := cliveDir(t)
	rated, err := dataset.ReadScores(dir)
	if err != nil {
		t.Fatal(err)
	}
	step := 5 // 126 photos
	if raceEnabled {
		step = 30
	}
	var scores, mos []float64
	for i, r := range rated {
		if i%step != 0 {
			continue
		}
		b, err := os.ReadFile(dataset.ImagePath(dir, r.File))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Assess(b)
		if err != nil {
			t.Fatalf("%s: %v", r.File, err)
		}
		scores = append(scores, float64(res.ClarityScore))
		mos = append(mos, r.MOS)
	}
	s := linfit.Spearman(scores, mos)
	t.Logf("SROCC %.3f on %d rated photos (model's cross-validated figure: %.3f)", s, len(mos), clarity().Trained.CVSROCC)
	if s < clarity().Trained.CVSROCC {
		t.Fatalf("SROCC %.3f below the model's cross-validated %.3f: the scorer does not use its model as trained", s, clarity().Trained.CVSROCC)
	}
	if clarity().Kernel != nil && s < 0.85 {
		t.Fatalf("in-sample SROCC %.3f: the kernel term does not reproduce its fit", s)
	}
}

func TestEmbeddedModelLoads(t *testing.T) {
	m := clarity()
	if m.Trained.Images < 100 || m.Trained.CVSROCC < 0.7 {
		t.Fatalf("embedded model trained on %d images with CV SROCC %.3f", m.Trained.Images, m.Trained.CVSROCC)
	}
	if !m.uses("crop") || !m.uses("cnn2") {
		t.Fatal("embedded model does not use both backbone passes (the centre crop and the long side 320)")
	}
	// As the training command measured it (nested cross-validation of the regression and
	// the graded term together): issue 16 asks for 0.77 with every out-of-fold ladder
	// target met, and this bar keeps the graded term's cost from growing unnoticed.
	if m.Kernel == nil || m.Trained.Model != "rbf" || m.Trained.CVSROCC < 0.77 {
		t.Fatalf("embedded model is %q with CV SROCC %.4f; the kernel model with its graded term reaches 0.77", m.Trained.Model, m.Trained.CVSROCC)
	}
	if m.Trained.LadderOrder < 0.95 {
		t.Fatalf("embedded model orders %.1f%% of out-of-fold ladder pairs, want >= 95%%", 100*m.Trained.LadderOrder)
	}
}
