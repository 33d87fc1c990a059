// Package dataset reads a folder of photos rated by people: scores.csv (file,mos[,...],
// higher = better) beside images/. Training and every test that checks against real ratings
// read it the same way.
package dataset

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// Rated is one photo and its mean opinion score.
type Rated struct {
	File string
	MOS  float64
}

// EnvVar names the variable that points at the calibration folder.
const EnvVar = "LIGHTBOX_CLIVE"

// ReadScores reads dir/scores.csv, whose header must start with file,mos.
func ReadScores(dir string) ([]Rated, error) {
	f, err := os.Open(filepath.Join(dir, "scores.csv"))
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("dataset: scores.csv: %w", err)
	}
	if len(rows) < 2 || len(rows[0]) < 2 || rows[0][0] != "file" || rows[0][1] != "mos" {
		return nil, errors.New("dataset: scores.csv must start with the header file,mos and hold at least one photo")
	}
	out := make([]Rated, 0, len(rows)-1)
	for _, row := range rows[1:] {
		if len(row) < 2 {
			return nil, fmt.Errorf("dataset: scores.csv: short row %q", row)
		}
		mos, err := strconv.ParseFloat(row[1], 64)
		if err != nil {
			return nil, fmt.Errorf("dataset: scores.csv: %s: bad mos %q", row[0], row[1])
		}
		out = append(out, Rated{File: row[0], MOS: mos})
	}
	return out, nil
}

// ImagePath is where a rated photo's file lives.
func ImagePath(dir, file string) string { return filepath.Join(dir, "images", file) }

// Locate finds the calibration folder: $LIGHTBOX_CLIVE, or shared/datasets/clive-calib
// beside the repository, found by walking up from the working directory (tests run in
// their package's folder, at any depth).
func Locate() (string, bool) {
	if d := os.Getenv(EnvVar); d != "" {
		_, err := os.Stat(filepath.Join(d, "scores.csv"))
		return d, err == nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		cand := filepath.Join(dir, "shared", "datasets", "clive-calib")
		if _, err := os.Stat(filepath.Join(cand, "scores.csv")); err == nil {
			return cand, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// Skipper is what LocateOrSkip needs of a *testing.T (this package is not a test package).
type Skipper interface {
	Helper()
	Skipf(format string, args ...any)
}

// LocateOrSkip is Locate for tests: the folder, or the test skips saying how to give it.
func LocateOrSkip(t Skipper) string {
	t.Helper()
	dir, ok := Locate()
	if !ok {
		t.Skipf("CLIVE calibration photos not found (set %s)", EnvVar)
	}
	return dir
}
