// Package demo writes lightbox's demo gallery: a few dozen generated images (good photos,
// their blurred, noisy, over-compressed, dark and washed-out versions, and one image for each
// AssessQuality flag), a README.txt and a GIF the scorer refuses, laid out under a few
// prefixes as a bucket folder for the embedded COS; and, when the CLIVE dataset's folder is
// given, a few dozen real photographs from it across the whole range of human ratings, with
// their licence notice. Nothing is downloaded: every generated file is drawn by quality/synth
// from fixed seeds and the photos are picked by rating, so the gallery is byte-for-byte the
// same on every machine.
package demo

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Version changes whenever the gallery's content changes, so an old copy is regenerated.
const Version = "2"

// ReadmeKey is the gallery's README. It is written last and is the marker of a complete
// copy: while it is missing or differs from this Version's text, Ensure writes the gallery.
const ReadmeKey = "README.txt"

// tempPrefix starts the names of files being written; a crash can leave one behind, and the
// next full pass of Ensure removes it.
const tempPrefix = ".lightbox-tmp-"

// File is one object of the gallery.
type File struct {
	Key string // the object key: slash-separated, relative to the gallery folder
	Why string // what it demonstrates, e.g. "landscape 1, out of focus (...)"
}

// DefaultDir is <os.UserCacheDir()>/lightbox/demo-<Version>.
func DefaultDir() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("demo gallery: %w", err)
	}
	return filepath.Join(cache, "lightbox", "demo-"+Version), nil
}

// Ensure writes the gallery into dir unless a complete copy of this Version is already there
// (README.txt as this Version writes it, and every other file present), and returns the
// list of files, README.txt first. photos is the CLIVE dataset's folder (see FindPhotos),
// whose photos join the generated images under real-photos/, or "" for none.
//
// Files are generated in parallel and each is written to a temporary name in its folder and
// renamed into place, so a crash never leaves a partial image under a gallery name; the
// README is written last. A file that already holds the right bytes is left untouched (its
// ETag, and any cached score, stays valid); a missing or different one is rewritten. Files in
// dir that are not part of the gallery are never touched.
func Ensure(dir, photos string) ([]File, error) {
	entries := gallery()
	if photos != "" {
		real, err := photoEntries(photos)
		if err != nil {
			return nil, fmt.Errorf("demo gallery: photos from %s: %w", photos, err)
		}
		entries = append(entries, real...)
	}
	return ensure(dir, entries)
}

// ensure is Ensure for any list of entries (the tests use a part of the gallery).
func ensure(dir string, entries []entry) ([]File, error) {
	if dir == "" {
		return nil, errors.New("demo gallery: no folder given")
	}
	files := make([]File, 0, len(entries)+1)
	files = append(files, File{Key: ReadmeKey, Why: readmeWhy})
	for _, e := range entries {
		files = append(files, File{Key: e.key, Why: e.why})
	}
	readme := readmeText(files, slices.ContainsFunc(entries, func(e entry) bool { return e.src != "" }))
	if complete(dir, entries, readme) {
		return files, nil
	}
	if err := write(dir, entries, readme); err != nil {
		return nil, fmt.Errorf("demo gallery in %s: %w", dir, err)
	}
	return files, nil
}

// complete reports whether dir holds this Version's README and every gallery file.
func complete(dir string, entries []entry, readme []byte) bool {
	got, err := os.ReadFile(filepath.Join(dir, ReadmeKey))
	if err != nil || !bytes.Equal(got, readme) {
		return false
	}
	for _, e := range entries {
		fi, err := os.Lstat(filePath(dir, e.key))
		if err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return true
}

func write(dir string, entries []entry, readme []byte) error {
	folders := foldersOf(dir, entries)
	for _, f := range folders {
		if err := os.MkdirAll(f, 0o755); err != nil {
			return err
		}
		if err := removeTemps(f); err != nil {
			return err
		}
	}

	errs := make([]error, len(entries))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(entries)) {
		wg.Go(func() {
			for i := range next {
				e := entries[i]
				data, err := e.bytes()
				if err == nil {
					err = writeFile(filePath(dir, e.key), data)
				}
				if err != nil {
					errs[i] = fmt.Errorf("%s: %w", e.key, err)
				}
			}
		})
	}
	for i := range entries {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}

	// The images' renames must be on disk before the marker that vouches for them.
	for _, f := range folders {
		syncDir(f)
	}
	if err := writeFile(filepath.Join(dir, ReadmeKey), readme); err != nil {
		return fmt.Errorf("%s: %w", ReadmeKey, err)
	}
	syncDir(dir)
	return nil
}

// writeFile makes name hold data: left alone if it already does, otherwise written to a
// temporary file in the same folder, flushed, and renamed over name.
func writeFile(name string, data []byte) (err error) {
	if fi, err := os.Lstat(name); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(data)) {
		if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, data) {
			return nil
		}
	}
	f, err := os.CreateTemp(filepath.Dir(name), tempPrefix+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// removeTemps deletes what an interrupted Ensure left half-written in folder.
func removeTemps(folder string) error {
	des, err := os.ReadDir(folder)
	if err != nil {
		return err
	}
	for _, de := range des {
		if strings.HasPrefix(de.Name(), tempPrefix) && de.Type().IsRegular() {
			if err := os.Remove(filepath.Join(folder, de.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// syncDir flushes a folder's entries, where the system allows it (not on Windows).
func syncDir(folder string) {
	if f, err := os.Open(folder); err == nil {
		_ = f.Sync()
		f.Close()
	}
}

// foldersOf lists dir and every folder the gallery uses, parents first.
func foldersOf(dir string, entries []entry) []string {
	out := []string{dir}
	seen := map[string]bool{".": true}
	for _, e := range entries {
		var chain []string
		for p := path.Dir(e.key); !seen[p]; p = path.Dir(p) {
			seen[p] = true
			chain = append(chain, p)
		}
		for i := len(chain) - 1; i >= 0; i-- {
			out = append(out, filePath(dir, chain[i]))
		}
	}
	return out
}

func filePath(dir, key string) string { return filepath.Join(dir, filepath.FromSlash(key)) }

const readmeWhy = "this file: what the gallery shows; not an image, so the reviewer says why it is not scored"

// readmeText is README.txt for this Version: it names every file and what it shows.
func readmeText(files []File, photos bool) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "lightbox demo gallery, version %s\n\n", Version)
	if photos {
		fmt.Fprintf(&b, `real-photos/ holds %d phone photographs from the LIVE In the Wild Image Quality Challenge
Database (CLIVE; D. Ghadiyaram and A.C. Bovik, UT Austin), picked across the whole range
of their human ratings: each name starts with the mean opinion score of about 175 people
(0-100, higher = better), so the name order is the people's order. They are copies of
the dataset's files, under its licence: %s beside them is the notice.

`, RealPhotos, noticeName)
	}
	every := "Every image"
	if photos {
		every = "Every other image"
	}
	b.WriteString(every + ` here was drawn by lightbox itself (quality/synth, fixed seeds): nothing was
downloaded, and the same files are generated on every machine. They show what the scorer,
lightbox's own AssessQuality, answers for:

  ClarityScore     blur, noise, exposure and compression (higher = clearer, > 50 clear)
  AestheticScore   colour, contrast, tone, tilt, framing (higher = more pleasing)
  LowQualityScore  content: plain, empty, text-only, letterboxed images score low
  LongImage        one side at least three times the other
  BlackAndWhite    grey pixels only
  SmallImage       long side under 179 px (every score is then 0)
  BigImage         short side over 1000 px
  PureImage        one colour, a smooth gradient, or plain text on a plain background

landscapes/ and portraits/ hold good photos; problems/ holds damaged versions of
landscapes/landscape-1.jpg and landscape-2.jpg, and photos with nothing in them; flags/ holds
one image for each flag. Delete or move anything you like: "lightbox demo" puts missing
files back.

`)
	for _, f := range files {
		fmt.Fprintf(&b, "%s\n    %s\n", f.Key, f.Why)
	}
	return []byte(b.String())
}
