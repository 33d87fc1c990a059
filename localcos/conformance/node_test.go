package conformance

import (
	"bufio"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// nodeSDKVersion is the cos-nodejs-sdk-v5 release the test is written against.
const nodeSDKVersion = "3.0.0"

// nodeModules finds a node_modules holding cos-nodejs-sdk-v5: $LIGHTBOX_NODE_MODULES, else
// where .ci/install-peers.sh puts it.
func nodeModules(t *testing.T) string {
	dir := os.Getenv("LIGHTBOX_NODE_MODULES")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "lightbox-peers", "node", "node_modules")
	}
	if _, err := os.Stat(filepath.Join(dir, "cos-nodejs-sdk-v5", "package.json")); err != nil {
		t.Skipf("cos-nodejs-sdk-v5 is not installed in %s (npm install --prefix ~/.cache/lightbox-peers/node cos-nodejs-sdk-v5@%s, or set LIGHTBOX_NODE_MODULES); skipping its conformance test", dir, nodeSDKVersion)
	}
	return dir
}

func TestNodeSDK(t *testing.T) {
	node := tool(t, "node", "apt-get install nodejs")
	modules := nodeModules(t)
	s := startServer(t)
	work := t.TempDir()
	writeJPEG(t, filepath.Join(work, "img.jpg"))
	script, _ := filepath.Abs(filepath.Join("testdata", "node_sdk.js"))
	env := cleanEnv(work, "NODE_PATH="+modules, "LB_BUCKET="+bucket, "LB_REGION="+region, "LB_WORKDIR="+work,
		"LB_SECRET_ID="+secretID, "LB_SECRET_KEY="+secretKey, "LB_HOST="+s.host)
	version := "?"
	if b, err := os.ReadFile(filepath.Join(modules, "cos-nodejs-sdk-v5", "package.json")); err == nil {
		if _, rest, ok := strings.Cut(string(b), `"version": "`); ok {
			version, _, _ = strings.Cut(rest, `"`)
		}
	}
	r := newReport(t, "cos-nodejs-sdk-v5 "+version)
	output, runErr := run(work, env, 5*time.Minute, node, script)
	// The script prints one PASS or FAIL line per operation; each becomes one of ours.
	ops := 0
	sc := bufio.NewScanner(strings.NewReader(output))
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "PASS "); ok {
			ops++
			r.op(name, func() error { return nil })
		} else if rest, ok := strings.CutPrefix(line, "FAIL "); ok {
			ops++
			name, why, _ := strings.Cut(rest, ": ")
			r.op(name, func() error { return scriptFailure(why) })
		}
	}
	if ops == 0 {
		t.Fatalf("the Node script reported no operation: %v\n%s", runErr, output)
	}
	// What the SDK stored, checked from the server's folder rather than the SDK's word.
	r.op("stored objects match (server side)", func() error {
		if err := s.sameStored("node/a.txt", []byte("hello node")); err != nil {
			return err
		}
		if s.exists("node/copy.txt") || s.exists("node/page/0.txt") {
			return scriptFailure("deleted objects are still there")
		}
		big, err := os.ReadFile(filepath.Join(work, "big31.bin"))
		if err != nil {
			return err
		}
		if err := s.sameStored("node/upload.bin", big); err != nil {
			return err
		}
		return s.sameStored("node/slice.bin", big)
	})
}

type scriptFailure string

func (s scriptFailure) Error() string { return string(s) }

// writeJPEG makes a small gradient photo for AssessQuality.
func writeJPEG(t *testing.T, path string) {
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := range 240 {
		for x := range 320 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
}
