// Package features computes the hand-crafted technical-quality features (blur, noise,
// exposure, colour, compression, natural-scene statistics, geometry) that the ClarityScore
// regression consumes, and maps a few of them to four explainable 0..100 components.
//
// Every feature is measured on the working-scale image (long side <= 512) so that values
// mean the same thing whatever the file's resolution; the file's own size only enters
// through the geometry and bits-per-pixel features. One file per concern: blur.go and
// edges.go (sharpness), wavelet.go (Haar energies, FISH_bb), noise.go, exposure.go,
// colour.go, compression.go (JPEG quality, bpp, WSB blockiness), nss.go (BRISQUE-style
// MSCN statistics), components.go (the four explainable scores).
//
// To fit a model, `LIGHTBOX_DUMP=/tmp/clive.csv go test -run TestDumpCLIVE` writes
// name, mos, every feature (in Names order) and the components for the CLIVE photos.
package features

import (
	"math"

	"lightbox/quality/internal/raster"
)

// JPEGInfo is what the file's header says (nil for PNG and other formats).
type JPEGInfo struct {
	LumaQuant   [64]uint16 // natural (row-major) order
	ChromaQuant [64]uint16
	HasChroma   bool
	Progressive bool
}

// Input is one image at working scale plus what is known about its file.
type Input struct {
	Img          *raster.Image // working scale: long side <= 512
	Luma         *raster.Plane // Img.Luma(), computed once by the caller
	OrigW, OrigH int           // the file's pixel size
	FileBytes    int
	JPEG         *JPEGInfo
}

// Feature indices. The order is the order of Names and of Technical's result; append new
// features at the end of a group only if a fitted model's column order is also updated.
const (
	BlurVoL = iota
	BlurVoLNorm
	BlurTenengrad
	BlurViqet
	BlurTopSobel
	BlurCrete
	BlurHaar1
	BlurHaar2
	BlurHaar3
	BlurHaarR12
	BlurHaarR23
	BlurFishBB
	BlurEdgeWidth
	BlurEdgeP20
	BlurCPBD
	BlurCentre

	NoiseImmerkaer
	NoiseFlat
	NoiseWhite
	NoiseChroma

	ExpMean
	ExpStd
	ExpP01
	ExpP05
	ExpP50
	ExpP95
	ExpP99
	ExpClipLow
	ExpClipHigh
	ExpClipRGB
	ExpEntropy
	ExpKey

	ColColourfulness
	ColSatMean
	ColSatStd
	ColCast
	ColGrey

	CompQuality
	CompIsJPEG
	CompBPP
	CompBlockRatio
	CompZeroCross
	CompWSB

	NSSAlpha
	NSSSigma2
	NSSPairShape
	NSSHLeft
	NSSVLeft
	NSSDLeft
	NSSHVMean
	NSSDMean
	NSS2Alpha
	NSS2PairShape
	NSS2SigmaRatio

	GeoLogMP
	GeoAspect

	NumFeatures
)

var featureNames = [NumFeatures]string{
	BlurVoL:       "blur.vol_log",
	BlurVoLNorm:   "blur.vol_norm",
	BlurTenengrad: "blur.tenengrad_log",
	BlurViqet:     "blur.viqet",
	BlurTopSobel:  "blur.top_sobel_log",
	BlurCrete:     "blur.crete",
	BlurHaar1:     "blur.haar_e1",
	BlurHaar2:     "blur.haar_e2",
	BlurHaar3:     "blur.haar_e3",
	BlurHaarR12:   "blur.haar_r12",
	BlurHaarR23:   "blur.haar_r23",
	BlurFishBB:    "blur.fish_bb",
	BlurEdgeWidth: "blur.edge_width",
	BlurEdgeP20:   "blur.edge_p20",
	BlurCPBD:      "blur.cpbd",
	BlurCentre:    "blur.centre_border",

	NoiseImmerkaer: "noise.immerkaer",
	NoiseFlat:      "noise.flat",
	NoiseWhite:     "noise.white",
	NoiseChroma:    "noise.chroma",

	ExpMean:     "exp.mean",
	ExpStd:      "exp.std",
	ExpP01:      "exp.p01",
	ExpP05:      "exp.p05",
	ExpP50:      "exp.p50",
	ExpP95:      "exp.p95",
	ExpP99:      "exp.p99",
	ExpClipLow:  "exp.clip_low",
	ExpClipHigh: "exp.clip_high",
	ExpClipRGB:  "exp.clip_rgb",
	ExpEntropy:  "exp.entropy",
	ExpKey:      "exp.key_stops",

	ColColourfulness: "col.colourfulness",
	ColSatMean:       "col.sat_mean",
	ColSatStd:        "col.sat_std",
	ColCast:          "col.cast",
	ColGrey:          "col.grey",

	CompQuality:    "comp.jpeg_quality",
	CompIsJPEG:     "comp.is_jpeg",
	CompBPP:        "comp.bpp_log2",
	CompBlockRatio: "comp.block_ratio",
	CompZeroCross:  "comp.zero_cross",
	CompWSB:        "comp.wsb",

	NSSAlpha:       "nss.alpha",
	NSSSigma2:      "nss.sigma2",
	NSSPairShape:   "nss.pair_shape",
	NSSHLeft:       "nss.h_left",
	NSSVLeft:       "nss.v_left",
	NSSDLeft:       "nss.d_left",
	NSSHVMean:      "nss.hv_mean",
	NSSDMean:       "nss.d_mean",
	NSS2Alpha:      "nss2.alpha",
	NSS2PairShape:  "nss2.pair_shape",
	NSS2SigmaRatio: "nss2.sigma_ratio",

	GeoLogMP:  "geo.log_mp",
	GeoAspect: "geo.aspect_log",
}

// Names holds one stable name per feature, in the order Technical returns them.
var Names = featureNames[:]

// Technical computes every feature of in. The result has len(Names) entries and is always
// finite, even for a flat or 1x1 image. Safe for concurrent use; scratch memory comes from
// a pool, so steady-state calls allocate only the result.
func Technical(in Input) []float64 {
	v := make([]float64, NumFeatures)
	TechnicalInto(in, v)
	return v
}

// TechnicalInto is Technical writing into v (len(v) >= NumFeatures), for callers that keep
// their own result buffers.
func TechnicalInto(in Input, v []float64) {
	v = v[:NumFeatures]
	clear(v)
	img, luma := in.Img, in.Luma
	if img == nil || img.W <= 0 || img.H <= 0 {
		sanitize(v)
		return
	}
	if luma == nil || luma.W != img.W || luma.H != img.H {
		luma = img.Luma()
	}
	ws := getWorkspace(img.W, img.H)
	defer putWorkspace(ws)

	ws.pad(luma)
	ws.halve(luma)
	ws.gradients()
	blurFeatures(ws, luma, v)
	noiseFeatures(ws, img, luma, v)
	edgeWidthFeatures(ws, v) // reads blur's and noise's results; the last reader of p, gx, gy
	ws.reuseDead()
	haarFeatures(ws, luma, v)
	exposureFeatures(luma, v)
	colourFeatures(img, in.JPEG, v)
	compressionFeatures(ws, in, luma, v)
	ws.lumaPix = luma.Pix
	nssFeatures(ws, v)
	geometryFeatures(in, v)
	sanitize(v)
}

func geometryFeatures(in Input, v []float64) {
	w, h := in.OrigW, in.OrigH
	if w <= 0 || h <= 0 {
		w, h = in.Img.W, in.Img.H
	}
	// Log megapixels lets a model learn a preference for resolution that the working scale hides.
	v[GeoLogMP] = math.Log(float64(w) * float64(h) / 1e6)
	v[GeoAspect] = math.Abs(math.Log(float64(w) / float64(h)))
}

// sanitize replaces any NaN or Inf (a degenerate image can still produce one in a ratio) by 0
// so that a model never sees a non-finite value.
func sanitize(v []float64) {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			v[i] = 0
		}
	}
}
