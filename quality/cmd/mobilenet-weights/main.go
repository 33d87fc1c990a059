// Command mobilenet-weights converts the MobileNetV2 shipped in the nsfwjs npm package
// into the compact weight file embedded by quality/internal/mobilenet.
//
//	npm pack nsfwjs@4.4.0   # in a scratch directory
//	go run ./quality/cmd/mobilenet-weights -in nsfwjs-4.4.0.tgz \
//	    -out quality/internal/mobilenet/weights.bin -notice quality/internal/mobilenet/NOTICE.md
//
// It reads the tarball directly, parses the Keras topology and the weights manifest out
// of the JavaScript wrapper, dequantises the uint8 weights exactly as tfjs does, keeps
// the layers from the input to -last, folds batch norm into the convolutions and writes
// the format documented in package weightfile. The output is deterministic.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"lightbox/quality/internal/mobilenet/weightfile"
)

func main() {
	in := flag.String("in", "nsfwjs-4.4.0.tgz", "npm tarball of nsfwjs")
	out := flag.String("out", "quality/internal/mobilenet/weights.bin", "weight file to write")
	notice := flag.String("notice", "", "if set, also write the provenance notice (Markdown) here")
	model := flag.String("model", "mobilenet_v2", "model directory under package/dist/models/")
	last := flag.String("last", "block_13_expand_relu", "last Keras layer to keep")
	taps := flag.String("taps", "block_3_expand_relu,block_6_expand_relu,block_13_expand_relu", "comma-separated ReLU layers to mark as taps")
	flag.Parse()
	if err := run(*in, *out, *notice, *model, *last, strings.Split(*taps, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "mobilenet-weights:", err)
		os.Exit(1)
	}
}

func run(in, out, notice, model, last string, taps []string) error {
	dir := "package/dist/models/" + model + "/"
	tb, err := readTarball(in, func(name string) bool {
		return strings.HasPrefix(name, dir) || name == "package/LICENSE" || name == "package/package.json"
	})
	if err != nil {
		return err
	}
	modelJS, err := tb.file(dir + "model.min.js")
	if err != nil {
		return err
	}
	start, err := findObjectWithKey(string(modelJS), "modelTopology")
	if err != nil {
		return err
	}
	root, err := parseJSLiteralAt(string(modelJS), start)
	if err != nil {
		return err
	}
	topology, err := path(root, "modelTopology")
	if err != nil {
		return err
	}
	manifestV, err := path(root, "weightsManifest")
	if err != nil {
		return err
	}
	groups, err := parseManifest(manifestV)
	if err != nil {
		return err
	}

	weights := map[string]tensor{}
	var shards []shardInfo
	for _, g := range groups {
		var data []byte
		for _, p := range g.paths {
			name := dir + p + ".min.js"
			js, err := tb.file(name)
			if err != nil {
				return err
			}
			b, err := shardPayload(js)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			shards = append(shards, shardInfo{name: name, sha: sha256.Sum256(js), bytes: len(b)})
			data = append(data, b...)
		}
		if err := dequantize(g, data, weights); err != nil {
			return err
		}
	}
	if len(shards) != 1 {
		// The header has room for one source hash; more shards would need a format change.
		return fmt.Errorf("%d shards; this converter records exactly one", len(shards))
	}

	layers, err := parseLayers(topology)
	if err != nil {
		return err
	}
	ops, err := buildOps(layers, weights, last, taps)
	if err != nil {
		return err
	}
	trainable := map[string]bool{}
	for _, l := range layers {
		if t, _ := l.config["trainable"].(bool); t {
			trainable[l.name] = true
		}
	}
	var tuned []string // kept convolutions the shipped config marks trainable
	for _, o := range ops {
		if trainable[o.Name] {
			tuned = append(tuned, o.Name)
		}
	}
	f := &weightfile.File{SourceSHA256: shards[0].sha}
	params := 0
	for _, o := range ops {
		f.Layers = append(f.Layers, o.Layer)
		params += len(o.Weights) + len(o.Bias)
	}
	enc, err := weightfile.Encode(f)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, enc, 0o644); err != nil {
		return err
	}
	outSum := sha256.Sum256(enc)
	fmt.Printf("tarball  %s sha256 %s\n", filepath.Base(in), hex.EncodeToString(tb.sha256[:]))
	fmt.Printf("shard    %s sha256 %s (%d weight bytes)\n", shards[0].name, hex.EncodeToString(shards[0].sha[:]), shards[0].bytes)
	fmt.Printf("wrote    %s: %d layers, %d parameters, %d bytes, sha256 %s\n", out, len(ops), params, len(enc), hex.EncodeToString(outSum[:]))
	if notice != "" {
		return writeNotice(notice, tb, in, modelJS, shards[0], enc, len(ops), params, tuned)
	}
	return nil
}

type shardInfo struct {
	name  string
	sha   [32]byte
	bytes int
}
