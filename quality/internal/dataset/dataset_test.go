package dataset

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadScores(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "scores.csv"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("file,mos,mos_std\na.jpg,56.5,20\nb.jpg,3.25,1\n")
	got, err := ReadScores(dir)
	if err != nil || len(got) != 2 || got[0] != (Rated{"a.jpg", 56.5}) || got[1].MOS != 3.25 {
		t.Fatalf("got %v, %v", got, err)
	}
	for _, bad := range []string{"name,score\na.jpg,1\n", "file,mos\na.jpg,high\n", "file,mos\n"} {
		write(bad)
		if _, err := ReadScores(dir); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestLocateHonoursTheVariable(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvVar, dir)
	if _, ok := Locate(); ok {
		t.Fatal("a folder without scores.csv was accepted")
	}
	os.WriteFile(filepath.Join(dir, "scores.csv"), []byte("file,mos\n"), 0o644)
	if got, ok := Locate(); !ok || got != dir {
		t.Fatalf("Locate() = %q, %v", got, ok)
	}
}
