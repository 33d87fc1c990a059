package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"strings"
)

// tarball holds the few files of the npm package the conversion needs, read straight
// from the .tgz so no unpacked copy of the package is ever involved.
type tarball struct {
	sha256 [32]byte
	files  map[string][]byte // path inside the archive -> contents
}

// readTarball keeps the regular files whose archive path satisfies want.
func readTarball(path string, want func(name string) bool) (*tarball, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t := &tarball{sha256: sha256.Sum256(raw), files: map[string][]byte{}}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		name := strings.TrimPrefix(h.Name, "./")
		if h.Typeflag != tar.TypeReg || !want(name) {
			continue
		}
		if h.Size > 64<<20 {
			return nil, fmt.Errorf("%s: %s is implausibly large (%d bytes)", path, name, h.Size)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, name, err)
		}
		t.files[name] = b
	}
	return t, nil
}

func (t *tarball) file(name string) ([]byte, error) {
	b, ok := t.files[name]
	if !ok {
		return nil, fmt.Errorf("archive has no file %s", name)
	}
	return b, nil
}
