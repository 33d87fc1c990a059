package quality

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"lightbox/quality/internal/features"
)

// The ClarityScore model, written by `go run ./quality/cmd/train` from a folder of photos
// with human ratings (see README.md). It is ridge regression on the standardised features of
// the groups it names, linear plus, when Kernel is set, a Gaussian-kernel term, and a graded
// term that turns it and the four components into the score (see GradedTerm).
//
//go:embed clarity_model.json
var clarityModelJSON []byte

// The model's large arrays, named by the model JSON and used in place (see arraysMagic).
//
//go:embed clarity_model.bin
var clarityModelBin []byte

// ClarityModel is the serialised form; exported for the training command.
type ClarityModel struct {
	Version int      `json:"version"`
	Groups  []string `json:"groups"` // feature groups in order: "tech", "content", then backbone passes ("crop", "cnn2"; "cnn" in older models)
	// FeaturesSHA256 is the digest of every feature name in order, joined by commas: a
	// build whose features differ must not use the model.
	FeaturesSHA256 string `json:"features_sha256"`
	// Arrays names the file of large arrays, with its size and CRC-32C.
	Arrays      string `json:"arrays"`
	ArraysBytes int    `json:"arrays_bytes"`
	ArraysCRC   uint32 `json:"arrays_crc32c"`
	// Lo and Hi bound each raw feature to the range seen in training: a linear model must
	// not extrapolate (heavy synthetic noise would otherwise read as ever more detail).
	// Mean and Scale standardise; Weights is the linear part. All in the arrays file.
	Lo      []float64 `json:"-"`
	Hi      []float64 `json:"-"`
	Mean    []float64 `json:"-"`
	Scale   []float64 `json:"-"`
	Weights []float64 `json:"-"`
	Bias    float64   `json:"bias"`
	// Kernel, when present, adds a non-linear term to Bias + Weights·z.
	Kernel *KernelTerm `json:"kernel,omitempty"`
	// Graded turns the regression's output and the four components into the score, so
	// that it falls along every degradation (see GradedTerm).
	Graded  GradedTerm `json:"graded"`
	Trained TrainInfo  `json:"trained"`
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
	// LadderOrder is the share of strictly ordered rung pairs on ladders of photos the
	// scoring model was not fitted on (out of fold), measured at training.
	LadderOrder float64 `json:"ladder_order"`
	// JointWeight is the weight of the ladders' order in the regression's own fit (0: fitted
	// on the ratings alone); RungCentres counts the ladder rungs among the kernel's centres.
	JointWeight float64 `json:"joint_weight,omitempty"`
	RungCentres int     `json:"rung_centres,omitempty"`
	Generated   string  `json:"generated_by"`
}

var (
	modelOnce sync.Once
	model     *ClarityModel
)

// clarity returns the embedded model. A model that does not match this build's features
// is a programming error caught by the tests, so it panics rather than scoring nonsense.
func clarity() *ClarityModel {
	modelOnce.Do(func() {
		m, err := ParseClarityModel(clarityModelJSON, clarityModelBin)
		if err != nil {
			panic("quality: embedded clarity model: " + err.Error())
		}
		model = m
	})
	return model
}

// ParseClarityModel decodes and checks a model against this build's feature names; arrays
// is the file its JSON names, used in place.
func ParseClarityModel(b, arrays []byte) (*ClarityModel, error) {
	var m ClarityModel
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	names := FeatureNames(m.Groups...)
	if FeaturesDigest(names) != m.FeaturesSHA256 {
		return nil, fmt.Errorf("model features differ from this build's %d: retrain", len(names))
	}
	if err := m.viewArrays(arrays, len(names)); err != nil {
		return nil, err
	}
	if err := m.Graded.check(); err != nil {
		return nil, err
	}
	if len(m.Graded.Tech) > 0 && (len(m.Groups) == 0 || m.Groups[0] != "tech" || len(m.Graded.Tech) != len(features.Names)) {
		return nil, fmt.Errorf("graded term weighs %d hand-crafted features; the model's first group must be the %d of \"tech\"", len(m.Graded.Tech), len(features.Names))
	}
	if len(m.Graded.Coords) > 0 && (m.Kernel == nil || len(m.Graded.Coords) != m.Kernel.Components) {
		return nil, fmt.Errorf("graded term weighs %d component coordinates; the kernel has none or another number", len(m.Graded.Coords))
	}
	return &m, nil
}

// FeaturesDigest is the hex SHA-256 of the feature names joined by commas.
func FeaturesDigest(names []string) string {
	s := sha256.Sum256([]byte(strings.Join(names, ",")))
	return hex.EncodeToString(s[:])
}

func (m *ClarityModel) uses(group string) bool {
	for _, g := range m.Groups {
		if g == group {
			return true
		}
	}
	return false
}

// Predict returns the clarity on 0..100, not yet rounded.
func (m *ClarityModel) Predict(fs Measurement) float64 {
	z, p := m.inputs(fs)
	return Squash(m.Graded.Value(m.raw(z, p), z, p, fs.Components, fs.Tech), m.Graded.Tail)
}

// inputs returns the standardised features and, with a kernel term, their coordinates.
func (m *ClarityModel) inputs(fs Measurement) (z, p []float64) {
	z = m.Standardized(fs)
	if m.Kernel != nil {
		p = m.Kernel.Project(z)
	}
	return z, p
}

// Standardized returns the model's inputs: every feature clamped to its training range and
// standardised.
func (m *ClarityModel) Standardized(fs Measurement) []float64 {
	z := make([]float64, 0, len(m.Mean))
	i := 0
	for _, g := range m.Groups {
		for _, v := range fs.group(g) {
			v = min(max(v, m.Lo[i]), m.Hi[i])
			z = append(z, (v-m.Mean[i])/m.Scale[i])
			i++
		}
	}
	return z
}

// Raw is the regression's own output, on the ratings' scale, before the graded term.
func (m *ClarityModel) Raw(fs Measurement) float64 {
	return m.raw(m.inputs(fs))
}

// raw is Raw from the standardised features z and, with a kernel term, their coordinates p.
func (m *ClarityModel) raw(z, p []float64) float64 {
	s := m.Bias
	for j, w := range m.Weights {
		s += w * z[j]
	}
	if m.Kernel != nil {
		s += m.Kernel.eval(p)
	}
	return s
}

func (fs Measurement) group(g string) []float64 {
	switch g {
	case "tech":
		return fs.Tech
	case "content":
		return fs.Content
	case "cnn":
		return fs.CNN
	case "crop":
		return fs.Crop
	case "cnn2":
		return fs.CNN2
	}
	return nil
}
