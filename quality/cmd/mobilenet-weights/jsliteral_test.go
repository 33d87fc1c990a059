package main

import (
	"reflect"
	"testing"
)

func TestParseJSLiteral(t *testing.T) {
	src := `!function(e){x()}({1:[function(e,a,n){a.exports={modelTopology:{a:!0,b:!1,"c d":null,` +
		`'e':[1,-2.5,.999,-.0086,6308877913683069e-20,1E3,-0,],f:{g:"q\"uo\\te\u00e9",h:'it\'s'},i:void 0,j:undefined,k:true},` +
		`weightsManifest:[{paths:["group1-shard1of1"],weights:[]}]}},{}]},{},[1])`
	start, err := findObjectWithKey(src, "modelTopology")
	if err != nil {
		t.Fatal(err)
	}
	v, err := parseJSLiteralAt(src, start)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"modelTopology": map[string]any{
			"a": true, "b": false, "c d": nil,
			"e": []any{1.0, -2.5, 0.999, -0.0086, 6.308877913683069e-05, 1000.0, 0.0},
			"f": map[string]any{"g": "q\"uo\\te\u00e9", "h": "it's"},
			"i": nil, "j": nil, "k": true,
		},
		"weightsManifest": []any{map[string]any{"paths": []any{"group1-shard1of1"}, "weights": []any{}}},
	}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("got  %#v\nwant %#v", v, want)
	}
}

func TestParseJSLiteralErrors(t *testing.T) {
	for _, src := range []string{
		`{a:1`, `{a 1}`, `{a:1,a:2}`, `[1 2]`, `{a:"x}`, `{a:-}`, `{a:foo}`, `{:1}`, `{a:"\u12"}`, ``,
	} {
		if _, err := parseJSLiteralAt(src, 0); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
}

func TestFindObjectWithKeySkipsOtherMentions(t *testing.T) {
	src := `var s="modelTopology"; f(modelTopology); a.exports={ "modelTopology" :{}}`
	i, err := findObjectWithKey(src, "modelTopology")
	if err != nil || src[i] != '{' || i != len(`var s="modelTopology"; f(modelTopology); a.exports=`) {
		t.Errorf("found %d, %v", i, err)
	}
}
