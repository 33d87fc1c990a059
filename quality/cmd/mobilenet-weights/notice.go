package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeNotice records where the weights came from and the licence they are under, from
// the tarball itself, so the notice cannot drift from the file it describes.
func writeNotice(path string, tb *tarball, in string, modelJS []byte, shard shardInfo, enc []byte, layers, params int, tuned []string) error {
	license, err := tb.file("package/LICENSE")
	if err != nil {
		return err
	}
	pkgJSON, err := tb.file("package/package.json")
	if err != nil {
		return err
	}
	var pkg struct {
		Name, Version, License string
	}
	if err := json.Unmarshal(pkgJSON, &pkg); err != nil {
		return fmt.Errorf("package.json: %w", err)
	}
	modelSum := sha256.Sum256(modelJS)
	encSum := sha256.Sum256(enc)
	modelName := strings.TrimSuffix(shard.name, filepath.Base(shard.name)) + "model.min.js"
	var b strings.Builder
	fmt.Fprintf(&b, "# MobileNetV2 weights: provenance and licence\n\n")
	fmt.Fprintf(&b, "`weights.bin` is derived from the MobileNetV2 model shipped in the npm package\n")
	fmt.Fprintf(&b, "`%s@%s` (licence: %s). It holds the layers from the input up to and including\n", pkg.Name, pkg.Version, pkg.License)
	fmt.Fprintf(&b, "`block_13_expand_relu`, with batch norm folded into the convolutions, as float32.\n")
	fmt.Fprintf(&b, "The classifier head and blocks 13 (depthwise) to 16 are dropped.\n\n")
	fmt.Fprintf(&b, "The weights are nsfwjs's, not Keras's ImageNet release: they are uint8-quantised per\n")
	fmt.Fprintf(&b, "tensor, and the shipped Keras config marks %d of the kept convolutions trainable\n", len(tuned))
	fmt.Fprintf(&b, "(fine-tuned for nsfwjs's classifier): %s. The others are marked frozen.\n\n", strings.Join(tuned, ", "))
	fmt.Fprintf(&b, "| what | value |\n| --- | --- |\n")
	fmt.Fprintf(&b, "| npm tarball | `%s`, sha256 `%s` |\n", filepath.Base(in), hex.EncodeToString(tb.sha256[:]))
	fmt.Fprintf(&b, "| topology and manifest | `%s`, sha256 `%s` |\n", modelName, hex.EncodeToString(modelSum[:]))
	fmt.Fprintf(&b, "| weight shard | `%s`, sha256 `%s` (%d bytes of uint8 weights after base64) |\n", shard.name, hex.EncodeToString(shard.sha[:]), shard.bytes)
	fmt.Fprintf(&b, "| output | `weights.bin`, %d bytes, %d layers, %d parameters, sha256 `%s` |\n\n", len(enc), layers, params, hex.EncodeToString(encSum[:]))
	fmt.Fprintf(&b, "Reproduce (the output is byte-for-byte deterministic):\n\n")
	fmt.Fprintf(&b, "```\nmkdir -p /tmp/nsfw && (cd /tmp/nsfw && npm pack %s@%s)\n", pkg.Name, pkg.Version)
	fmt.Fprintf(&b, "go run ./quality/cmd/mobilenet-weights -in /tmp/nsfw/%s \\\n", filepath.Base(in))
	fmt.Fprintf(&b, "    -out quality/internal/mobilenet/weights.bin -notice quality/internal/mobilenet/NOTICE.md\n```\n\n")
	fmt.Fprintf(&b, "## Licence of %s (`package/LICENSE` in the tarball, verbatim)\n\n```\n%s", pkg.Name, license)
	if !strings.HasSuffix(string(license), "\n") {
		b.WriteString("\n")
	}
	b.WriteString("```\n")
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
