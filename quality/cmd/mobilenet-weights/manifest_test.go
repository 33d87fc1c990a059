package main

import (
	"encoding/base64"
	"slices"
	"testing"
)

func TestShardPayload(t *testing.T) {
	data := []byte{0, 1, 2, 250, 251, 252, 253, 254, 255, 7}
	js := `!function(e){"object"==typeof exports}({1:[function(e,h,n){h.exports="` +
		base64.StdEncoding.EncodeToString(data) + `"},{}]},{},[1])(1)});`
	got, err := shardPayload([]byte(js))
	if err != nil || !slices.Equal(got, data) {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := shardPayload([]byte(`no quotes AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA here`)); err == nil {
		t.Error("unquoted payload: no error")
	}
}

// TestDequantize checks value = min + scale*q per tensor and that tensors are read in
// manifest order, each from where the previous ended.
func TestDequantize(t *testing.T) {
	g := manifestGroup{weights: []weightSpec{
		{name: "a", shape: []int{2}, dtype: "float32", quantized: true, qdtype: "uint8", min: -1, scale: 0.5},
		{name: "b", shape: []int{1, 3}, dtype: "float32", quantized: true, qdtype: "uint8", min: 2, scale: 0.25},
	}}
	ts := map[string]tensor{}
	if err := dequantize(g, []byte{0, 4, 1, 2, 255}, ts); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ts["a"].data, []float32{-1, 1}) || !slices.Equal(ts["b"].data, []float32{2.25, 2.5, 65.75}) {
		t.Errorf("got a=%v b=%v", ts["a"].data, ts["b"].data)
	}
	if err := dequantize(g, []byte{0, 4, 1, 2}, map[string]tensor{}); err == nil {
		t.Error("short data: no error")
	}
	if err := dequantize(g, []byte{0, 4, 1, 2, 3, 4}, map[string]tensor{}); err == nil {
		t.Error("extra data: no error")
	}
}
