package demo

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Real photographs come from the CLIVE calibration set (LIVE In the Wild Image Quality
// Challenge Database): phone photos with authentic distortions, each rated by about 175
// people. Its licence allows copies that carry its notice, but the images are not
// committed to the project, so they are copied from the dataset's folder when there is
// one.
const (
	// PhotosEnv names the environment variable that points at the dataset's folder.
	PhotosEnv = "LIGHTBOX_CLIVE"
	// RealPhotos is how many photos the gallery takes, spread over the human ratings.
	RealPhotos = 24

	photosPrefix = "real-photos/" // after the generated prefixes, in name order
	noticeName   = "LIVE_COPYRIGHT.txt"
	scoresName   = "scores.csv"
	imagesDir    = "images"
)

// sharedDataset is where the dataset sits relative to the project's root on development
// and CI machines.
var sharedDataset = filepath.Join("..", "shared", "datasets", "clive-calib")

// FindPhotos is the dataset folder to take real photos from: env (LIGHTBOX_CLIVE) when
// set, which must then be the dataset; else ../shared/datasets/clive-calib from workDir;
// else the same from the project holding the executable (a go.mod at most three folders
// above exe). "" when none is found.
func FindPhotos(env, workDir, exe string) (string, error) {
	if env != "" {
		if err := checkDataset(env); err != nil {
			return "", fmt.Errorf("%s=%s: %w", PhotosEnv, env, err)
		}
		return env, nil
	}
	var candidates []string
	if workDir != "" {
		candidates = append(candidates, filepath.Join(workDir, sharedDataset))
	}
	if exe != "" {
		for d, i := filepath.Dir(exe), 0; i < 4; d, i = filepath.Dir(d), i+1 {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				candidates = append(candidates, filepath.Join(d, sharedDataset))
				break
			}
		}
	}
	for _, c := range candidates {
		if checkDataset(c) == nil {
			return c, nil
		}
	}
	return "", nil
}

// checkDataset reports what is missing for dir to be the dataset.
func checkDataset(dir string) error {
	for _, name := range []string{scoresName, noticeName, imagesDir} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("not the clive-calib dataset (%s, %s and %s/ expected): %w", scoresName, noticeName, imagesDir, err)
		}
	}
	return nil
}

// rated is one row of scores.csv.
type rated struct {
	file     string
	mos, std float64
}

// readScores reads dataset's scores.csv (file,mos,mos_std), refusing a row that names
// anything but a file in images/ or whose numbers are not numbers.
func readScores(dataset string) ([]rated, error) {
	f, err := os.Open(filepath.Join(dataset, scoresName))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(io.LimitReader(f, 16<<20))
	r.FieldsPerRecord = 3
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", scoresName, err)
	}
	if !slices.Equal(head, []string{"file", "mos", "mos_std"}) {
		return nil, fmt.Errorf("%s: header %q, want file,mos,mos_std", scoresName, strings.Join(head, ","))
	}
	var out []rated
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", scoresName, err)
		}
		line, _ := r.FieldPos(0)
		name := rec[0]
		if name == "" || name != filepath.Base(name) || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
			return nil, fmt.Errorf("%s:%d: %q is not a file name", scoresName, line, name)
		}
		mos, err1 := strconv.ParseFloat(rec[1], 64)
		std, err2 := strconv.ParseFloat(rec[2], 64)
		if err := errors.Join(err1, err2); err != nil || mos < 0 || mos > 100 {
			return nil, fmt.Errorf("%s:%d: mos %q and mos_std %q must be numbers, mos within 0..100", scoresName, line, rec[1], rec[2])
		}
		out = append(out, rated{name, mos, std})
	}
	if len(out) < RealPhotos {
		return nil, fmt.Errorf("%s: %d photos, want at least %d", scoresName, len(out), RealPhotos)
	}
	return out, nil
}

// pickAcross takes n of rows spread evenly by rank of rating, from the lowest rated to the
// highest, so the photos cover the whole range as people judged it. Ties in rating are
// ordered by file name: the same photos on every machine.
func pickAcross(rows []rated, n int) []rated {
	rows = slices.Clone(rows)
	slices.SortFunc(rows, func(a, b rated) int {
		return cmp.Or(cmp.Compare(a.mos, b.mos), strings.Compare(a.file, b.file))
	})
	out := make([]rated, n)
	for k := range n {
		out[k] = rows[k*(len(rows)-1)/max(n-1, 1)]
	}
	return out
}

// photoEntries are the gallery files copied from dataset: RealPhotos photos, named by
// their human rating so that name order is rating order, and the licence notice beside
// them.
func photoEntries(dataset string) ([]entry, error) {
	rows, err := readScores(dataset)
	if err != nil {
		return nil, err
	}
	picked := pickAcross(rows, RealPhotos)
	out := make([]entry, 0, len(picked)+1)
	for _, p := range picked {
		src := filepath.Join(dataset, imagesDir, p.file)
		if fi, err := os.Stat(src); err != nil || !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s names %s, which is not a file in %s", scoresName, p.file, filepath.Join(dataset, imagesDir))
		}
		ext := strings.ToLower(filepath.Ext(p.file))
		key := fmt.Sprintf("%smos-%.1f-%s%s", photosPrefix, p.mos, strings.TrimSuffix(p.file, filepath.Ext(p.file)), ext)
		out = append(out, entry{key: key, src: src, image: true,
			why: fmt.Sprintf("a real phone photo (CLIVE %s), rated %.1f of 100 by about 175 people (spread %.1f)", p.file, p.mos, p.std)})
	}
	out = append(out, entry{key: photosPrefix + noticeName, src: filepath.Join(dataset, noticeName),
		why: "the licence of the photos in " + photosPrefix + ", which travels with every copy of them"})
	return out, nil
}
