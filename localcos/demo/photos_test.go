package demo

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"lightbox/quality"
)

// fakeDataset writes a folder shaped like clive-calib: scores.csv, the notice, images/.
func fakeDataset(t *testing.T, dir string, rows int) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, imagesDir), 0o755); err != nil {
		t.Fatal(err)
	}
	csv := "file,mos,mos_std\n"
	for i := range rows {
		name := fmt.Sprintf("%d.JPG", 100+i)
		csv += fmt.Sprintf("%s,%.2f,%.1f\n", name, float64((i*37)%rows)*90/float64(rows)+5, 15.0)
		if err := os.WriteFile(filepath.Join(dir, imagesDir, name), []byte("jpeg "+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range map[string]string{scoresName: csv, noticeName: "COPYRIGHT NOTICE\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFindPhotos(t *testing.T) {
	root := t.TempDir()
	project := filepath.Join(root, "project")
	dataset := fakeDataset(t, filepath.Join(root, "shared", "datasets", "clive-calib"), 30)
	elsewhere := fakeDataset(t, filepath.Join(root, "elsewhere"), 30)
	if err := os.MkdirAll(filepath.Join(project, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, "go.mod"), []byte("module lightbox\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir() // no ../shared beside it
	for _, tc := range []struct {
		name, env, work, exe, want string
	}{
		{"the variable wins", elsewhere, project, "", elsewhere},
		{"../shared from the working folder", "", project, "", dataset},
		{"../shared from the executable's project", "", empty, filepath.Join(project, "bin", "lightbox"), dataset},
		{"none", "", empty, filepath.Join(empty, "lightbox"), ""},
	} {
		got, err := FindPhotos(tc.env, tc.work, tc.exe)
		if err != nil || got != tc.want {
			t.Errorf("%s: FindPhotos = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	// A variable naming something else is a mistake worth saying, not a silent fallback.
	if got, err := FindPhotos(empty, project, ""); err == nil || !strings.Contains(err.Error(), PhotosEnv) {
		t.Errorf("FindPhotos(%s=empty folder) = %q, %v; want an error naming %s", PhotosEnv, got, err, PhotosEnv)
	}
}

func TestReadScoresRefusesBadRows(t *testing.T) {
	for _, tc := range []struct{ name, csv, want string }{
		{"header", "name,score,std\n", "header"},
		{"a path", "file,mos,mos_std\n../../etc/passwd,50,1\n", "not a file name"},
		{"a folder", "file,mos,mos_std\nimages/1.JPG,50,1\n", "not a file name"},
		{"not a number", "file,mos,mos_std\n1.JPG,fifty,1\n", "numbers"},
		{"out of range", "file,mos,mos_std\n1.JPG,150,1\n", "0..100"},
		{"too few", "file,mos,mos_std\n1.JPG,50,1\n", "at least"},
		{"columns", "file,mos,mos_std\n1.JPG,50\n", "wrong number of fields"},
	} {
		dir := fakeDataset(t, t.TempDir(), 1)
		if err := os.WriteFile(filepath.Join(dir, scoresName), []byte(tc.csv), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := photoEntries(dir)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
	// A row naming a photo that is not there.
	dir := fakeDataset(t, t.TempDir(), 30)
	if err := os.Remove(filepath.Join(dir, imagesDir, "100.JPG")); err != nil {
		t.Fatal(err)
	}
	if _, err := photoEntries(dir); err == nil || !strings.Contains(err.Error(), "100.JPG") {
		t.Errorf("a missing photo: %v", err)
	}
}

// The pick runs from the lowest rating to the highest, evenly by rank, whatever the order
// of the rows.
func TestPickAcross(t *testing.T) {
	var rows []rated
	for i := range 100 {
		rows = append(rows, rated{file: strconv.Itoa(i), mos: float64(i)})
	}
	want := pickAcross(rows, 5)
	if got := []float64{want[0].mos, want[1].mos, want[2].mos, want[3].mos, want[4].mos}; !slices.Equal(got, []float64{0, 24, 49, 74, 99}) {
		t.Errorf("picked ratings %v", got)
	}
	slices.Reverse(rows)
	if got := pickAcross(rows, 5); !slices.Equal(got, want) {
		t.Errorf("another row order picked %v, want %v", got, want)
	}
}

// With the real dataset beside the project, the gallery holds RealPhotos of its photos
// spanning low, middle and high ratings, byte for byte, their notice, and a README that
// says where they come from; the scorer ranks the low-rated ones below the high-rated.
func TestGalleryWithRealPhotos(t *testing.T) {
	dataset, err := FindPhotos(os.Getenv(PhotosEnv), filepath.Join("..", ".."), "")
	if err != nil {
		t.Fatal(err)
	}
	if dataset == "" {
		t.Skip("the clive-calib dataset is not at ../shared/datasets (or " + PhotosEnv + ")")
	}
	dir := t.TempDir()
	ensurePhotos := Ensure // the public entry point: the whole gallery and the photos
	if raceEnabled {
		ensurePhotos = func(dir, dataset string) ([]File, error) {
			real, err := photoEntries(dataset)
			if err != nil {
				return nil, err
			}
			return ensure(dir, append(testEntries(), real...))
		}
	}
	files, err := ensurePhotos(dir, dataset)
	if err != nil {
		t.Fatal(err)
	}
	var photos []File
	for _, f := range files {
		if strings.HasPrefix(f.Key, photosPrefix) && f.Key != photosPrefix+noticeName {
			photos = append(photos, f)
		}
	}
	if len(photos) != RealPhotos {
		t.Fatalf("%d photos in the gallery, want %d", len(photos), RealPhotos)
	}
	rows, err := readScores(dataset)
	if err != nil {
		t.Fatal(err)
	}
	mosOf := map[string]float64{}
	for _, r := range rows {
		mosOf[r.file] = r.mos
	}
	var low, mid, high int
	var ratings []float64
	for _, f := range photos {
		// real-photos/mos-73.6-533.jpg is 533.JPG
		base := strings.TrimSuffix(strings.TrimPrefix(f.Key, photosPrefix), ".jpg")
		file := base[strings.LastIndex(base, "-")+1:] + ".JPG"
		mos, ok := mosOf[file]
		if !ok {
			t.Fatalf("%s is not a photo of the dataset", f.Key)
		}
		src, err := os.ReadFile(filepath.Join(dataset, imagesDir, file))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(filePath(dir, f.Key)); err != nil || !bytes.Equal(got, src) {
			t.Errorf("%s is not a copy of %s (%v)", f.Key, file, err)
		}
		ratings = append(ratings, mos)
		switch {
		case mos < 35:
			low++
		case mos <= 65:
			mid++
		default:
			high++
		}
	}
	if min, max := slices.Min(ratings), slices.Max(ratings); low < 3 || mid < 3 || high < 3 || min > 15 || max < 85 {
		t.Errorf("ratings %v: %d low, %d middle, %d high, %.1f..%.1f; want each third and 15..85 covered", ratings, low, mid, high, min, max)
	}
	notice, _ := os.ReadFile(filepath.Join(dataset, noticeName))
	if got, err := os.ReadFile(filePath(dir, photosPrefix+noticeName)); err != nil || len(notice) == 0 || !bytes.Equal(got, notice) {
		t.Errorf("the licence notice is not beside the photos: %v", err)
	}
	readme, err := os.ReadFile(filePath(dir, ReadmeKey))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LIVE In the Wild Image Quality Challenge", noticeName, photosPrefix} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.txt does not say %q", want)
		}
	}
	// A second Ensure finds the copy complete; the generated gallery is there too.
	again, err := ensurePhotos(dir, dataset)
	if err != nil || !slices.Equal(again, files) {
		t.Errorf("a second Ensure listed other files: %v", err)
	}
	if _, err := os.Stat(filePath(dir, "flags/receipt.png")); err != nil {
		t.Errorf("the generated cases are missing: %v", err)
	}

	if raceEnabled {
		return // scoring two dozen photos under the race detector takes minutes
	}
	// What a newcomer sees: the scorer agrees with people in the large.
	var lowSum, highSum, lowN, highN int
	for _, f := range photos {
		data, _ := os.ReadFile(filePath(dir, f.Key))
		res, err := quality.Assess(data)
		if err != nil {
			t.Fatalf("%s: %v", f.Key, err)
		}
		t.Logf("%-32s ClarityScore %3d", f.Key, res.ClarityScore)
		i := slices.IndexFunc(photos, func(p File) bool { return p.Key == f.Key })
		switch {
		case i < len(photos)/3:
			lowSum, lowN = lowSum+res.ClarityScore, lowN+1
		case i >= len(photos)-len(photos)/3:
			highSum, highN = highSum+res.ClarityScore, highN+1
		}
	}
	if lowSum*highN >= highSum*lowN {
		t.Errorf("mean ClarityScore of the lowest-rated third %d/%d, not below the highest-rated third's %d/%d", lowSum, lowN, highSum, highN)
	}
}
