package main

import (
	"fmt"
	"math"
	"slices"
)

// foldBatchNorm merges inference-mode batch norm into the convolution before it:
// y = gamma*(conv(x)+b-mean)/sqrt(var+eps) + beta is conv'(x) + b' with every weight of
// output channel c scaled by s_c = gamma_c/sqrt(var_c+eps) and b' = (b-mean)*s + beta.
// Saves a pass over every activation at run time. Arithmetic is float64, from the
// float32 values the original model holds, rounded to float32 once at the end.
func (g *graph) foldBatchNorm(o *op, l kerasLayer) error {
	c := l.config
	if ax := num(c["axis"]); ax != -1 && ax != 3 {
		return fmt.Errorf("batch norm over axis %v; only channels (-1) is supported", c["axis"])
	}
	eps, ok := c["epsilon"].(float64)
	if !ok || eps <= 0 {
		return fmt.Errorf("epsilon %v", c["epsilon"])
	}
	n := o.Cout
	get := func(field string, present bool, def float64) ([]float64, error) {
		out := make([]float64, n)
		if !present {
			for i := range out {
				out[i] = def
			}
			return out, nil
		}
		t, ok := g.weights[l.name+"/"+field]
		if !ok || !slices.Equal(t.shape, []int{n}) {
			return nil, fmt.Errorf("weight %s/%s missing or of shape %v, want [%d]", l.name, field, t.shape, n)
		}
		for i, v := range t.data {
			out[i] = float64(v)
		}
		return out, nil
	}
	scaled, _ := c["scale"].(bool)
	centered, _ := c["center"].(bool)
	gamma, err := get("gamma", scaled, 1)
	if err != nil {
		return err
	}
	beta, err := get("beta", centered, 0)
	if err != nil {
		return err
	}
	mean, err := get("moving_mean", true, 0)
	if err != nil {
		return err
	}
	variance, err := get("moving_variance", true, 0)
	if err != nil {
		return err
	}
	s := make([]float64, n)
	for i := range s {
		if variance[i]+eps <= 0 {
			return fmt.Errorf("channel %d: variance %v + epsilon is not positive", i, variance[i])
		}
		s[i] = gamma[i] / math.Sqrt(variance[i]+eps)
	}
	// In every kernel layout used here the output channel is the fastest-varying index.
	for i, w := range o.Weights {
		o.Weights[i] = float32(float64(w) * s[i%n])
	}
	o.Bias = make([]float32, n)
	for i := range o.Bias {
		o.Bias[i] = float32((o.bias[i]-mean[i])*s[i] + beta[i])
	}
	o.bnDone = true
	return nil
}
