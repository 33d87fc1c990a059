package quality

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"lightbox/quality/internal/features"
)

// The ClarityScore model, written by `go run ./quality/cmd/train` from a folder of photos
// with human ratings (see README.md). It is ridge regression on the standardised features of
// the groups it names, linear plus, when Kernel is set, a Gaussian-kernel term; its output
// is mapped to 0..100 so that the dataset's "acceptable" stays above 50.
//
//go:embed clarity_model.json
var clarityModelJSON []byte

// The kernel term's arrays, named by the model JSON (see KernelTerm).
//
//go:embed clarity_kernel.bin
var clarityKernelBin []byte

// ClarityModel is the serialised form; exported for the training command.
type ClarityModel struct {
	Version  int      `json:"version"`
	Groups   []string `json:"groups"`   // feature groups in order: "tech", "content", "cnn", "cnn2"
	Features []string `json:"features"` // every feature name, for a consistency check
	// Lo and Hi bound each raw feature to the range seen in training: a linear model must
	// not extrapolate (heavy synthetic noise would otherwise read as ever more detail).
	Lo      []float64 `json:"lo"`
	Hi      []float64 `json:"hi"`
	Mean    []float64 `json:"mean"`
	Scale   []float64 `json:"scale"`
	Weights []float64 `json:"weights"`
	Bias    float64   `json:"bias"`
	// Kernel, when present, adds a non-linear term to Bias + Weights·z.
	Kernel *KernelTerm `json:"kernel,omitempty"`
	// The regression predicts mean opinion scores; OutA + OutB*prediction spreads them to
	// the dataset's own range before clamping to 0..100.
	OutA float64 `json:"out_a"`
	OutB float64 `json:"out_b"`
	// Penalties keep the score monotone where the model alone might not be: each component
	// below its knee (0..100, higher = better) subtracts slope points per unit.
	Penalties []Penalty `json:"penalties"`
	Trained   TrainInfo `json:"trained"`
}

// Penalty subtracts Slope*(Knee-component) when the named component is below Knee.
type Penalty struct {
	Component string  `json:"component"` // blur, noise, exposure, compression
	Knee      float64 `json:"knee"`
	Slope     float64 `json:"slope"`
}

// TrainInfo records how the model was made and how well it did in cross-validation.
type TrainInfo struct {
	Dataset string  `json:"dataset"`
	Images  int     `json:"images"`
	Folds   int     `json:"folds"`
	Seed    uint64  `json:"seed"`
	Lambda  float64 `json:"lambda"`
	Model   string  `json:"model"`   // "rbf" or "linear"
	Setting string  `json:"setting"` // every chosen hyperparameter, readable
	PCAKept float64 `json:"pca_kept,omitempty"`
	// GroupWeights scale each group's standardised features before the ridge fit.
	GroupWeights []float64 `json:"group_weights"`
	CVSROCC      float64   `json:"cv_srocc"`
	CVPLCC       float64   `json:"cv_plcc"`
	CVRMSE       float64   `json:"cv_rmse"`
	Monotone     float64   `json:"ladder_order"` // share of ordered ladder pairs, measured at training
	Generated    string    `json:"generated_by"`
}

var (
	modelOnce sync.Once
	model     *ClarityModel
)

// clarity returns the embedded model. A model that does not match this build's features
// is a programming error caught by the tests, so it panics rather than scoring nonsense.
func clarity() *ClarityModel {
	modelOnce.Do(func() {
		m, err := ParseClarityModel(clarityModelJSON, clarityKernelBin)
		if err != nil {
			panic("quality: embedded clarity model: " + err.Error())
		}
		model = m
	})
	return model
}

// ParseClarityModel decodes and checks a model against this build's feature names;
// kernelArrays is the file its kernel term names (ignored when it has none).
func ParseClarityModel(b, kernelArrays []byte) (*ClarityModel, error) {
	var m ClarityModel
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	want := FeatureNames(m.Groups...)
	if strings.Join(want, ",") != strings.Join(m.Features, ",") {
		return nil, fmt.Errorf("model features (%d) differ from this build's (%d): retrain", len(m.Features), len(want))
	}
	n := len(want)
	if len(m.Mean) != n || len(m.Scale) != n || len(m.Weights) != n || len(m.Lo) != n || len(m.Hi) != n {
		return nil, fmt.Errorf("model has %d/%d/%d/%d/%d coefficients for %d features", len(m.Mean), len(m.Scale), len(m.Weights), len(m.Lo), len(m.Hi), n)
	}
	if m.Kernel != nil {
		if err := m.Kernel.decodeArrays(kernelArrays, n); err != nil {
			return nil, err
		}
	}
	for _, p := range m.Penalties {
		if _, ok := componentByName(p.Component); !ok {
			return nil, fmt.Errorf("unknown penalty component %q", p.Component)
		}
	}
	return &m, nil
}

func (m *ClarityModel) uses(group string) bool {
	for _, g := range m.Groups {
		if g == group {
			return true
		}
	}
	return false
}

// Predict returns the clarity on 0..100, not yet rounded or clamped.
func (m *ClarityModel) Predict(fs Measurement) float64 {
	return m.OutA + m.OutB*m.Raw(fs) - PenaltyTotal(m.Penalties, fs.Components)
}

// Raw is the regression's own output, on the ratings' scale, before stretching and penalties.
func (m *ClarityModel) Raw(fs Measurement) float64 {
	z := make([]float64, 0, len(m.Mean))
	i := 0
	for _, g := range m.Groups {
		for _, v := range fs.group(g) {
			v = min(max(v, m.Lo[i]), m.Hi[i])
			z = append(z, (v-m.Mean[i])/m.Scale[i])
			i++
		}
	}
	s := m.Bias
	for j, w := range m.Weights {
		s += w * z[j]
	}
	if m.Kernel != nil {
		s += m.Kernel.eval(z)
	}
	return s
}

// PenaltyTotal is what the penalties subtract for these components.
func PenaltyTotal(ps []Penalty, c features.Components) float64 {
	var t float64
	for _, p := range ps {
		get, _ := componentByName(p.Component)
		if v := get(c); v < p.Knee {
			t += p.Slope * (p.Knee - v)
		}
	}
	return t
}

func (fs Measurement) group(g string) []float64 {
	switch g {
	case "tech":
		return fs.Tech
	case "content":
		return fs.Content
	case "cnn":
		return fs.CNN
	case "cnn2":
		return fs.CNN2
	}
	return nil
}

func componentByName(name string) (func(features.Components) float64, bool) {
	switch name {
	case "blur":
		return func(c features.Components) float64 { return c.Blur }, true
	case "noise":
		return func(c features.Components) float64 { return c.Noise }, true
	case "exposure":
		return func(c features.Components) float64 { return c.Exposure }, true
	case "compression":
		return func(c features.Components) float64 { return c.Compression }, true
	}
	return nil, false
}
