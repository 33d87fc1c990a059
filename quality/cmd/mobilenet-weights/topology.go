package main

import (
	"fmt"
	"slices"

	"lightbox/quality/internal/mobilenet/weightfile"
)

// kerasLayer is one entry of model_config.config.layers.
type kerasLayer struct {
	name    string
	class   string
	config  map[string]any
	inbound []string // layer names feeding the layer's only call
}

func parseLayers(topology any) ([]kerasLayer, error) {
	mc, err := path(topology, "model_config")
	if err != nil {
		return nil, err
	}
	ls, err := path(mc, "config", "layers")
	if err != nil {
		return nil, err
	}
	list, ok := ls.([]any)
	if !ok {
		return nil, fmt.Errorf("model_config.config.layers is not an array")
	}
	var out []kerasLayer
	for i, l := range list {
		m, ok := l.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("layer %d is not an object", i)
		}
		var k kerasLayer
		k.name, _ = m["name"].(string)
		k.class, _ = m["class_name"].(string)
		k.config, _ = m["config"].(map[string]any)
		if k.name == "" || k.class == "" || k.config == nil {
			return nil, fmt.Errorf("layer %d lacks name, class_name or config", i)
		}
		nodes, _ := m["inbound_nodes"].([]any)
		if len(nodes) > 1 {
			return nil, fmt.Errorf("layer %s is called %d times; shared layers are not supported", k.name, len(nodes))
		}
		if len(nodes) == 1 {
			calls, _ := nodes[0].([]any)
			for _, c := range calls {
				ref, _ := c.([]any)
				if len(ref) < 3 {
					return nil, fmt.Errorf("layer %s: malformed inbound node", k.name)
				}
				src, _ := ref[0].(string)
				if ni, _ := ref[1].(float64); ni != 0 {
					return nil, fmt.Errorf("layer %s: inbound node index %v", k.name, ni)
				}
				if ti, _ := ref[2].(float64); ti != 0 {
					return nil, fmt.Errorf("layer %s: inbound tensor index %v", k.name, ti)
				}
				k.inbound = append(k.inbound, src)
			}
		}
		out = append(out, k)
	}
	return out, nil
}

func path(v any, keys ...string) (any, error) {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: parent is not an object", k)
		}
		if v, ok = m[k]; !ok {
			return nil, fmt.Errorf("missing key %s", k)
		}
	}
	return v, nil
}

// op is a convolution being assembled: its Keras kernel, then batch norm and ReLU folded
// or flagged as the following layers are read.
type op struct {
	weightfile.Layer
	in, out int       // tensor ids
	bias    []float64 // kept in float64 until batch norm is folded
	bnDone  bool
	relu    bool
}

// graph walks the layers in their (topological) order and turns the chain from the
// input to the last wanted layer into ops, checking every assumption the Go inference
// makes: one input, 3x3 convolutions either 'same' with stride 1 or preceded by a
// bottom/right zero padding and then 'valid' with stride 2, ReLU6, residual adds of a
// block's input.
type graph struct {
	weights   map[string]tensor
	ops       []*op
	tensorOf  map[string]int // Keras layer name -> tensor id
	paddedBy  map[string]bool
	channels  map[int]int
	nextID    int
	tapsFound []string
}

func buildOps(layers []kerasLayer, weights map[string]tensor, last string, taps []string) ([]*op, error) {
	g := &graph{weights: weights, tensorOf: map[string]int{}, paddedBy: map[string]bool{}, channels: map[int]int{}}
	for _, l := range layers {
		if err := g.add(l, taps); err != nil {
			return nil, fmt.Errorf("layer %s (%s): %w", l.name, l.class, err)
		}
		if l.name == last {
			if !slices.Equal(g.tapsFound, taps) {
				return nil, fmt.Errorf("taps found %v, want %v in that order", g.tapsFound, taps)
			}
			for _, o := range g.ops {
				if !o.bnDone {
					return nil, fmt.Errorf("layer %s has no batch norm", o.Name)
				}
			}
			return g.ops, nil
		}
	}
	return nil, fmt.Errorf("layer %s not found", last)
}

func (g *graph) lastOp() *op {
	if len(g.ops) == 0 {
		return nil
	}
	return g.ops[len(g.ops)-1]
}

func (g *graph) single(l kerasLayer) (int, error) {
	if len(l.inbound) != 1 {
		return 0, fmt.Errorf("%d inputs, want 1", len(l.inbound))
	}
	id, ok := g.tensorOf[l.inbound[0]]
	if !ok {
		return 0, fmt.Errorf("input %s not produced by the supported chain", l.inbound[0])
	}
	return id, nil
}

// currentOutput checks the layer applies to the output of the latest op.
func (g *graph) currentOutput(l kerasLayer) (*op, error) {
	id, err := g.single(l)
	if err != nil {
		return nil, err
	}
	o := g.lastOp()
	if o == nil || o.out != id {
		return nil, fmt.Errorf("does not follow the latest convolution")
	}
	return o, nil
}

func (g *graph) add(l kerasLayer, taps []string) error {
	c := l.config
	if df, ok := c["data_format"]; ok && df != "channels_last" {
		return fmt.Errorf("data_format %v", df)
	}
	switch l.class {
	case "InputLayer":
		shape, _ := c["batch_input_shape"].([]any)
		if len(shape) != 4 || shape[3] != 3.0 {
			return fmt.Errorf("input shape %v, want [batch, h, w, 3]", shape)
		}
		if len(g.tensorOf) != 0 {
			return fmt.Errorf("more than one input")
		}
		g.tensorOf[l.name] = 0
		g.channels[0] = 3
		g.nextID = 1
		return nil

	case "ZeroPadding2D":
		id, err := g.single(l)
		if err != nil {
			return err
		}
		p, err := nestedInts(c["padding"])
		if err != nil || !slices.Equal(p, []int{0, 1, 0, 1}) {
			return fmt.Errorf("padding %v, want ((0, 1), (0, 1))", c["padding"])
		}
		g.tensorOf[l.name] = id
		g.paddedBy[l.name] = true
		return nil

	case "Conv2D", "DepthwiseConv2D":
		return g.conv(l)

	case "BatchNormalization":
		o, err := g.currentOutput(l)
		if err != nil {
			return err
		}
		if o.bnDone || o.relu {
			return fmt.Errorf("batch norm must directly follow a convolution")
		}
		if err := g.foldBatchNorm(o, l); err != nil {
			return err
		}
		g.tensorOf[l.name] = o.out
		return nil

	case "ReLU":
		o, err := g.currentOutput(l)
		if err != nil {
			return err
		}
		if c["max_value"] != 6.0 || num(c["negative_slope"]) != 0 || num(c["threshold"]) != 0 {
			return fmt.Errorf("only ReLU6 (max 6, slope 0, threshold 0) is supported, got %v", c)
		}
		if o.relu || !o.bnDone || o.Flags&weightfile.FlagResidual != 0 {
			return fmt.Errorf("ReLU must follow a convolution and its batch norm")
		}
		o.relu = true
		o.Flags |= weightfile.FlagReLU6
		if slices.Contains(taps, l.name) {
			o.Flags |= weightfile.FlagTap
			g.tapsFound = append(g.tapsFound, l.name)
		}
		g.tensorOf[l.name] = o.out
		return nil

	case "Add":
		return g.residual(l)
	}
	return fmt.Errorf("unsupported layer class")
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

func nestedInts(v any) ([]int, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("not an array")
	}
	var out []int
	for _, x := range a {
		ints, err := intList(x)
		if err != nil {
			return nil, err
		}
		out = append(out, ints...)
	}
	return out, nil
}

func (g *graph) conv(l kerasLayer) error {
	c := l.config
	in, err := g.single(l)
	if err != nil {
		return err
	}
	if prev := g.lastOp(); prev != nil && prev.out != in || prev == nil && in != 0 {
		return fmt.Errorf("input is not the latest tensor; only a chain with residual adds is supported")
	}
	if prev := g.lastOp(); prev != nil && !prev.bnDone {
		return fmt.Errorf("previous convolution %s has no batch norm", prev.Name)
	}
	ks, err1 := intList(c["kernel_size"])
	st, err2 := intList(c["strides"])
	dil, err3 := intList(c["dilation_rate"])
	if err1 != nil || err2 != nil || err3 != nil || len(ks) != 2 || len(st) != 2 || !slices.Equal(dil, []int{1, 1}) {
		return fmt.Errorf("kernel_size %v, strides %v, dilation_rate %v", c["kernel_size"], c["strides"], c["dilation_rate"])
	}
	if a := c["activation"]; a != "linear" {
		return fmt.Errorf("activation %v inside the convolution", a)
	}
	padded := g.paddedBy[l.inbound[0]]
	padding, _ := c["padding"].(string)
	stride := st[0]
	if st[1] != stride {
		return fmt.Errorf("strides %v", st)
	}
	cin := g.channels[in]
	o := &op{in: in, out: g.nextID}
	o.Name = l.name
	o.Stride = stride
	o.Cin = cin
	switch {
	case l.class == "DepthwiseConv2D" && slices.Equal(ks, []int{3, 3}):
		if num(c["depth_multiplier"]) != 1 {
			return fmt.Errorf("depth_multiplier %v", c["depth_multiplier"])
		}
		o.Kind = weightfile.Depthwise
		o.Cout = cin
	case l.class == "Conv2D" && slices.Equal(ks, []int{3, 3}):
		o.Kind = weightfile.Conv3x3
		o.Cout = int(num(c["filters"]))
	case l.class == "Conv2D" && slices.Equal(ks, []int{1, 1}):
		o.Kind = weightfile.Pointwise
		o.Cout = int(num(c["filters"]))
	default:
		return fmt.Errorf("unsupported kernel size %v", ks)
	}
	if g := num(c["groups"]); g > 1 {
		return fmt.Errorf("grouped convolution")
	}
	switch {
	case o.Kind == weightfile.Pointwise:
		// For a 1x1 kernel at stride 1, 'same' and 'valid' are the same thing.
		if padded || stride != 1 || padding != "same" && padding != "valid" {
			return fmt.Errorf("pointwise convolution with padding %q, stride %d, explicit padding %v", padding, stride, padded)
		}
	case padded:
		if stride != 2 || padding != "valid" {
			return fmt.Errorf("after zero padding, want stride 2 'valid'; got stride %d %q", stride, padding)
		}
	default:
		if stride != 1 || padding != "same" {
			return fmt.Errorf("want stride 1 'same' (or padding then stride 2 'valid'); got stride %d %q", stride, padding)
		}
	}
	if o.Cout <= 0 {
		return fmt.Errorf("filters %v", c["filters"])
	}

	kname, kshape := l.name+"/kernel", []int{ks[0], ks[1], cin, o.Cout}
	if o.Kind == weightfile.Depthwise {
		kname, kshape = l.name+"/depthwise_kernel", []int{3, 3, cin, 1}
	}
	k, ok := g.weights[kname]
	if !ok || !slices.Equal(k.shape, kshape) {
		return fmt.Errorf("weight %s: shape %v, want %v", kname, k.shape, kshape)
	}
	o.Weights = slices.Clone(k.data)
	o.bias = make([]float64, o.Cout)
	if ub, _ := c["use_bias"].(bool); ub {
		b, ok := g.weights[l.name+"/bias"]
		if !ok || !slices.Equal(b.shape, []int{o.Cout}) {
			return fmt.Errorf("bias missing or of shape %v", b.shape)
		}
		for i, v := range b.data {
			o.bias[i] = float64(v)
		}
	}
	g.ops = append(g.ops, o)
	g.tensorOf[l.name] = o.out
	g.channels[o.out] = o.Cout
	g.nextID++
	return nil
}

// residual handles Add: one input must be the latest op's output (a projection without
// ReLU), the other the input of an earlier op, which then starts the block. The Go
// inference keeps the input of the latest block-starting op, so no other block may start
// in between.
func (g *graph) residual(l kerasLayer) error {
	if len(l.inbound) != 2 {
		return fmt.Errorf("%d inputs, want 2", len(l.inbound))
	}
	o := g.lastOp()
	if o == nil {
		return fmt.Errorf("add before any convolution")
	}
	a, okA := g.tensorOf[l.inbound[0]]
	b, okB := g.tensorOf[l.inbound[1]]
	if !okA || !okB {
		return fmt.Errorf("inputs %v not produced by the supported chain", l.inbound)
	}
	if b == o.out {
		a, b = b, a
	}
	if a != o.out || b == o.out {
		return fmt.Errorf("neither input is the latest convolution's output")
	}
	if o.relu || !o.bnDone || o.Flags&weightfile.FlagResidual != 0 {
		return fmt.Errorf("the added convolution must have batch norm, no ReLU and no other add")
	}
	start := -1
	for i, p := range g.ops {
		if p.in == b {
			start = i
			break
		}
	}
	if start < 0 || start == len(g.ops)-1 {
		return fmt.Errorf("skip input is not the input of an earlier convolution")
	}
	for _, p := range g.ops[start+1:] {
		if p.Flags&weightfile.FlagBlockStart != 0 {
			return fmt.Errorf("overlapping residual blocks")
		}
	}
	if g.channels[b] != o.Cout {
		return fmt.Errorf("adding %d channels to %d", g.channels[b], o.Cout)
	}
	g.ops[start].Flags |= weightfile.FlagBlockStart
	o.Flags |= weightfile.FlagResidual
	g.tensorOf[l.name] = o.out
	return nil
}
