package main

import (
	"math"
	"strings"
	"testing"

	"lightbox/quality/internal/mobilenet/weightfile"
)

// miniModel is a stem and one inverted residual block, shaped like MobileNetV2's.
func miniModel() ([]kerasLayer, map[string]tensor) {
	cfg := func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	nums := func(v ...float64) []any {
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = x
		}
		return out
	}
	conv := func(k, s float64, pad string, filters float64) map[string]any {
		return cfg("kernel_size", nums(k, k), "strides", nums(s, s), "dilation_rate", nums(1, 1),
			"padding", pad, "activation", "linear", "use_bias", false, "filters", filters, "data_format", "channels_last")
	}
	bn := cfg("axis", -1.0, "epsilon", 0.001, "center", true, "scale", true)
	relu := cfg("max_value", 6.0, "negative_slope", 0.0, "threshold", 0.0)
	dw := conv(3, 1, "same", 0)
	dw["depth_multiplier"] = 1.0
	layers := []kerasLayer{
		{"input_1", "InputLayer", cfg("batch_input_shape", []any{nil, nil, nil, 3.0}), nil},
		{"Conv1_pad", "ZeroPadding2D", cfg("padding", []any{nums(0, 1), nums(0, 1)}), []string{"input_1"}},
		{"Conv1", "Conv2D", conv(3, 2, "valid", 4), []string{"Conv1_pad"}},
		{"bn_Conv1", "BatchNormalization", bn, []string{"Conv1"}},
		{"Conv1_relu", "ReLU", relu, []string{"bn_Conv1"}},
		{"b_expand", "Conv2D", conv(1, 1, "same", 8), []string{"Conv1_relu"}},
		{"b_expand_BN", "BatchNormalization", bn, []string{"b_expand"}},
		{"b_expand_relu", "ReLU", relu, []string{"b_expand_BN"}},
		{"b_dw", "DepthwiseConv2D", dw, []string{"b_expand_relu"}},
		{"b_dw_BN", "BatchNormalization", bn, []string{"b_dw"}},
		{"b_dw_relu", "ReLU", relu, []string{"b_dw_BN"}},
		{"b_project", "Conv2D", conv(1, 1, "same", 4), []string{"b_dw_relu"}},
		{"b_project_BN", "BatchNormalization", bn, []string{"b_project"}},
		{"b_add", "Add", cfg(), []string{"Conv1_relu", "b_project_BN"}},
		{"head", "Dense", cfg(), []string{"b_add"}},
	}
	w := map[string]tensor{}
	fill := func(name string, v float32, shape ...int) {
		n := 1
		for _, d := range shape {
			n *= d
		}
		t := tensor{shape: shape, data: make([]float32, n)}
		for i := range t.data {
			t.data[i] = v + float32(i%5)
		}
		w[name] = t
	}
	fill("Conv1/kernel", 1, 3, 3, 3, 4)
	fill("b_expand/kernel", 1, 1, 1, 4, 8)
	fill("b_dw/depthwise_kernel", 1, 3, 3, 8, 1)
	fill("b_project/kernel", 1, 1, 1, 8, 4)
	for _, bnName := range []string{"bn_Conv1", "b_expand_BN", "b_dw_BN", "b_project_BN"} {
		c := 4
		if strings.HasPrefix(bnName, "b_expand") || strings.HasPrefix(bnName, "b_dw") {
			c = 8
		}
		fill(bnName+"/gamma", 2, c)
		fill(bnName+"/beta", 1, c)
		fill(bnName+"/moving_mean", 0.5, c)
		fill(bnName+"/moving_variance", 3, c)
	}
	return layers, w
}

func TestBuildOpsMini(t *testing.T) {
	layers, w := miniModel()
	ops, err := buildOps(layers, w, "b_add", []string{"b_expand_relu"})
	if err != nil {
		t.Fatal(err)
	}
	wantFlags := []uint8{
		weightfile.FlagReLU6,
		weightfile.FlagReLU6 | weightfile.FlagBlockStart | weightfile.FlagTap,
		weightfile.FlagReLU6,
		weightfile.FlagResidual,
	}
	wantKinds := []weightfile.Kind{weightfile.Conv3x3, weightfile.Pointwise, weightfile.Depthwise, weightfile.Pointwise}
	if len(ops) != 4 {
		t.Fatalf("%d ops", len(ops))
	}
	for i, o := range ops {
		if o.Flags != wantFlags[i] || o.Kind != wantKinds[i] {
			t.Errorf("%s: kind %d flags %04b, want %d %04b", o.Name, o.Kind, o.Flags, wantKinds[i], wantFlags[i])
		}
	}
	if ops[0].Stride != 2 || ops[2].Stride != 1 || ops[2].Cout != 8 {
		t.Errorf("stem stride %d, depthwise stride %d, channels %d", ops[0].Stride, ops[2].Stride, ops[2].Cout)
	}
	// Batch norm folding, channel 1 of the stem: gamma 3, beta 2, mean 1.5, variance 4.
	s := 3 / math.Sqrt(4+0.001)
	if got, want := float64(ops[0].Weights[1]), 2*s; math.Abs(got-want) > 1e-6 {
		t.Errorf("folded weight %v, want %v", got, want)
	}
	if got, want := float64(ops[0].Bias[1]), -1.5*s+2; math.Abs(got-want) > 1e-6 {
		t.Errorf("folded bias %v, want %v", got, want)
	}
}

func TestBuildOpsRejectsUnsupported(t *testing.T) {
	for name, mod := range map[string]func([]kerasLayer, map[string]tensor){
		"top-left padding": func(l []kerasLayer, _ map[string]tensor) {
			l[1].config["padding"] = []any{[]any{1.0, 1.0}, []any{1.0, 1.0}}
		},
		"plain ReLU":     func(l []kerasLayer, _ map[string]tensor) { l[4].config["max_value"] = nil },
		"stride-2 same":  func(l []kerasLayer, _ map[string]tensor) { l[2].inbound = []string{"input_1"} },
		"missing BN":     func(l []kerasLayer, _ map[string]tensor) { l[6].inbound = []string{"Conv1_relu"} },
		"bad add":        func(l []kerasLayer, _ map[string]tensor) { l[13].inbound = []string{"b_dw_relu", "b_project_BN"} },
		"kernel shape":   func(_ []kerasLayer, w map[string]tensor) { w["b_expand/kernel"] = tensor{shape: []int{1, 1, 4, 7}} },
		"missing weight": func(_ []kerasLayer, w map[string]tensor) { delete(w, "b_dw_BN/gamma") },
		"unknown class":  func(l []kerasLayer, _ map[string]tensor) { l[8].class = "SeparableConv2D" },
	} {
		layers, w := miniModel()
		mod(layers, w)
		if _, err := buildOps(layers, w, "b_add", []string{"b_expand_relu"}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	layers, w := miniModel()
	if _, err := buildOps(layers, w, "b_add", []string{"b_expand_relu", "nope"}); err == nil {
		t.Error("missing tap: no error")
	}
	if _, err := buildOps(layers, w, "head", nil); err == nil {
		t.Error("Dense layer: no error")
	}
}
