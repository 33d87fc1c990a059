package main

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
)

// tensor is one dequantised weight array as the original model sees it.
type tensor struct {
	shape []int
	data  []float32
}

// weightSpec is one entry of the tfjs weights manifest.
type weightSpec struct {
	name  string
	shape []int
	dtype string
	// Quantisation, when present: value = min + scale*q with q stored as qdtype.
	quantized  bool
	qdtype     string
	min, scale float64
}

func (s *weightSpec) count() int {
	n := 1
	for _, d := range s.shape {
		n *= d
	}
	return n
}

func (s *weightSpec) byteSize() (int, error) {
	n := s.count()
	if s.quantized {
		switch s.qdtype {
		case "uint8":
			return n, nil
		case "uint16":
			return 2 * n, nil
		}
		return 0, fmt.Errorf("weight %s: unsupported quantisation dtype %q", s.name, s.qdtype)
	}
	if s.dtype == "float32" {
		return 4 * n, nil
	}
	return 0, fmt.Errorf("weight %s: unsupported dtype %q", s.name, s.dtype)
}

// manifestGroup is one group of the manifest: its shard paths and weights in order.
type manifestGroup struct {
	paths   []string
	weights []weightSpec
}

func parseManifest(v any) ([]manifestGroup, error) {
	groups, ok := v.([]any)
	if !ok || len(groups) == 0 {
		return nil, fmt.Errorf("weightsManifest is not a non-empty array")
	}
	var out []manifestGroup
	for gi, g := range groups {
		gm, ok := g.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("manifest group %d is not an object", gi)
		}
		var mg manifestGroup
		paths, _ := gm["paths"].([]any)
		for _, p := range paths {
			s, ok := p.(string)
			if !ok {
				return nil, fmt.Errorf("manifest group %d: non-string path", gi)
			}
			mg.paths = append(mg.paths, s)
		}
		if len(mg.paths) == 0 {
			return nil, fmt.Errorf("manifest group %d has no paths", gi)
		}
		ws, _ := gm["weights"].([]any)
		for wi, w := range ws {
			wm, ok := w.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("manifest group %d weight %d is not an object", gi, wi)
			}
			var s weightSpec
			s.name, _ = wm["name"].(string)
			s.dtype, _ = wm["dtype"].(string)
			shape, err := intList(wm["shape"])
			if err != nil || s.name == "" {
				return nil, fmt.Errorf("manifest group %d weight %d (%q): bad name or shape", gi, wi, s.name)
			}
			s.shape = shape
			if q, ok := wm["quantization"].(map[string]any); ok {
				s.quantized = true
				s.qdtype, _ = q["dtype"].(string)
				min, ok1 := q["min"].(float64)
				scale, ok2 := q["scale"].(float64)
				if !ok1 || !ok2 {
					return nil, fmt.Errorf("weight %s: quantisation without numeric min and scale", s.name)
				}
				s.min, s.scale = min, scale
			}
			mg.weights = append(mg.weights, s)
		}
		out = append(out, mg)
	}
	return out, nil
}

func intList(v any) ([]int, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("not an array")
	}
	out := make([]int, len(a))
	for i, x := range a {
		f, ok := x.(float64)
		if !ok || f != math.Trunc(f) || f < 0 || f > 1<<30 {
			return nil, fmt.Errorf("not a list of sizes")
		}
		out[i] = int(f)
	}
	return out, nil
}

// shardPayload extracts the binary weights from a shard wrapped as a JavaScript module
// that exports one base64 string. The payload is taken to be the longest run of base64
// characters in the file, which must be a complete quoted string literal.
func shardPayload(js []byte) ([]byte, error) {
	bestStart, bestLen := 0, 0
	for i := 0; i < len(js); {
		if !isBase64Byte(js[i]) {
			i++
			continue
		}
		j := i
		for j < len(js) && isBase64Byte(js[j]) {
			j++
		}
		if j-i > bestLen {
			bestStart, bestLen = i, j-i
		}
		i = j
	}
	if bestLen == 0 {
		return nil, fmt.Errorf("shard has no base64 payload")
	}
	before, after := bestStart-1, bestStart+bestLen
	if before < 0 || after >= len(js) || js[before] != js[after] || (js[before] != '"' && js[before] != '\'') {
		return nil, fmt.Errorf("shard's longest base64 run is not a whole string literal")
	}
	return base64.StdEncoding.DecodeString(string(js[bestStart:after]))
}

func isBase64Byte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
}

// dequantize splits a group's concatenated shard bytes into named float32 tensors.
// tfjs computes q*scale + min in float64 and stores the result as float32; so does this,
// so the converter starts from exactly the weights the original model runs with. (The
// explicit float64 conversion forbids fusing the multiply-add, which JavaScript never does.)
func dequantize(g manifestGroup, data []byte, into map[string]tensor) error {
	off := 0
	for i := range g.weights {
		s := &g.weights[i]
		size, err := s.byteSize()
		if err != nil {
			return err
		}
		if off+size > len(data) {
			return fmt.Errorf("weight %s runs past the end of the shards (%d > %d bytes)", s.name, off+size, len(data))
		}
		b := data[off : off+size]
		off += size
		n := s.count()
		t := tensor{shape: s.shape, data: make([]float32, n)}
		switch {
		case !s.quantized:
			for k := range t.data {
				t.data[k] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*k:]))
			}
		case s.qdtype == "uint8":
			for k := range t.data {
				t.data[k] = float32(float64(float64(b[k])*s.scale) + s.min)
			}
		default: // uint16
			for k := range t.data {
				t.data[k] = float32(float64(float64(binary.LittleEndian.Uint16(b[2*k:]))*s.scale) + s.min)
			}
		}
		if _, dup := into[s.name]; dup {
			return fmt.Errorf("weight %s appears twice in the manifest", s.name)
		}
		into[s.name] = t
	}
	if off != len(data) {
		return fmt.Errorf("manifest describes %d bytes but the shards hold %d", off, len(data))
	}
	return nil
}
