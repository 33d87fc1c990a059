package main

import (
	"strings"
	"testing"
)

// The ladder report counts strictly ordered pairs (ties fail), the largest step down, and
// names the JPEG ladders that do not fall at every step.
func TestReportLadders(t *testing.T) {
	var rungs []rung
	var score []int
	add := func(photo int, ladder string, s ...int) {
		for step, v := range s {
			rungs = append(rungs, rung{Photo: photo, Ladder: ladder, Step: step})
			score = append(score, v)
		}
	}
	add(1, "jpeg", 80, 70, 70, 40)
	add(2, "jpeg", 90, 85, 60, 50)
	add(1, "blur", 80, 50, 55)
	r := reportLadders(rungs, score)
	if r.pairs["jpeg"] != 12 || r.ok["jpeg"] != 11 {
		t.Fatalf("jpeg: %d of %d pairs ordered, want 11 of 12", r.ok["jpeg"], r.pairs["jpeg"])
	}
	if r.pairs["blur"] != 3 || r.ok["blur"] != 2 || r.maxStep["blur"] != 30 || r.maxStep["jpeg"] != 30 {
		t.Fatalf("blur %d of %d, steps %v", r.ok["blur"], r.pairs["blur"], r.maxStep)
	}
	if r.jpegAll != 1 || r.jpegN != 2 || len(r.jpegMiss) != 1 || r.jpegMiss[0] != "#1 [80 70 70 40]" {
		t.Fatalf("jpeg every step on %d of %d, misses %v", r.jpegAll, r.jpegN, r.jpegMiss)
	}
	if r.above["blur"] != 0 || r.copies["blur"] != 2 || r.above["jpeg"] != 0 {
		t.Fatalf("copies above their photo: %v of %v", r.above, r.copies)
	}
	add(3, "overexposure", 60, 62, 60, 40)
	if r := reportLadders(rungs, score); r.above["overexposure"] != 1 || r.copies["overexposure"] != 3 {
		t.Fatalf("over-exposure: %d of %d copies above their photo, want 1 of 3", r.above["overexposure"], r.copies["overexposure"])
	} else if !strings.Contains(r.String(), "overexposure copies above their photo: #3 [60 62 60 40]") {
		t.Fatalf("report does not name the ladder with a copy above its photo:\n%s", r)
	}
	if !strings.Contains(r.String(), "not on #1 [80 70 70 40]") || !strings.Contains(r.worst["blur"], "photo #1, step 1: [80 50 55]") {
		t.Fatalf("report:\n%s", r)
	}
}
