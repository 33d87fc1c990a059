package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"lightbox/score"
)

// burstBucket is a folder with two groups of copies: three of a harbour (the sharpest,
// harbour_2, is the best) and two of a street, plus two unrelated images.
func burstBucket() *fakeBackend {
	f := newFake()
	for _, g := range []struct {
		key     string
		clarity int
		content string
	}{
		{"harbour_1.jpg", 40, "h"}, {"harbour_2.jpg", 92, "h"}, {"harbour_3.jpg", 61, "h"},
		{"street_1.jpg", 55, "s"}, {"street_2.jpg", 30, "s"},
		{"cat.jpg", 70, ""}, {"lake.jpg", 20, ""},
	} {
		f.add(g.key, 1_000_000, score.Scores{ClarityScore: g.clarity, AestheticScore: 50, LowQualityScore: 50})
		if g.content != "" {
			if f.picture == nil {
				f.picture = map[string]string{}
			}
			f.picture[g.key] = g.content
		}
	}
	return f
}

// grouped is a reviewer w columns wide on burstBucket with its images grouped (=).
func grouped(t *testing.T, w int, edit func(*Options)) (*harness, *fakeBackend) {
	t.Helper()
	b := burstBucket()
	hs := newHarness(t, b, w, 24, edit)
	hs.keys("=")
	return hs, b
}

// rowsShown are the visible rows' keys, in order.
func (hs *harness) rowsShown() string {
	var out []string
	for i := range hs.m.list.Len() {
		out = append(out, hs.m.list.At(i).Key)
	}
	return strings.Join(out, " ")
}

func TestGroupingCollapsesAndExpands(t *testing.T) {
	hs, b := grouped(t, 160, nil)
	if b.groupAsked != 7 {
		t.Fatalf("GroupItems asked for %d objects, want every image (7)", b.groupAsked)
	}
	if got, want := hs.rowsShown(), "cat.jpg harbour_2.jpg lake.jpg street_1.jpg"; got != want {
		t.Fatalf("collapsed rows %q, want %q", got, want)
	}
	s := hs.screen()
	for _, want := range []string{"▸3 near harbour_2.jpg", "▸2 near street_1.jpg", "2 groups of 5 images"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	hs.cursorOn("harbour_2.jpg")
	if s := hs.screen(); !strings.Contains(s, "near, 3 images; this is the best") || !strings.Contains(s, "highest ClarityScore: 92 (next 61)") {
		t.Errorf("the detail pane does not say the group and why its best:\n%s", s)
	}
	hs.keys("e")
	if got, want := hs.rowsShown(), "cat.jpg harbour_2.jpg harbour_3.jpg harbour_1.jpg lake.jpg street_1.jpg"; got != want {
		t.Fatalf("expanded rows %q, want %q (best first, then by score)", got, want)
	}
	if s := hs.screen(); !strings.Contains(s, "▾3 near harbour_2.jpg") || !strings.Contains(s, "└ harbour_1.jpg") {
		t.Errorf("expanded group:\n%s", s)
	}
	if ms := hs.m.groupMembers(hs.m.list.IndexOfKey("harbour_1.jpg")); len(ms) != 3 || ms[0].Key != "harbour_2.jpg" {
		t.Errorf("groupMembers from a member: %v", ms)
	}
	hs.cursorOn("harbour_1.jpg")
	hs.keys("e") // collapsing from a member puts the cursor on the best
	if got := hs.m.cursorKey(); got != "harbour_2.jpg" {
		t.Errorf("cursor after collapsing on %q, want the best", got)
	}
	hs.keys("E")
	if hs.m.list.Len() != 7 {
		t.Errorf("E expands every group: %q", hs.rowsShown())
	}
	hs.keys("E")
	if hs.m.list.Len() != 4 {
		t.Errorf("E again collapses them: %q", hs.rowsShown())
	}
	// Sorting keeps each group under its best: by clarity, worst first.
	hs.keys("s")
	if got, want := hs.rowsShown(), "lake.jpg street_1.jpg cat.jpg harbour_2.jpg"; got != want {
		t.Errorf("sorted by clarity %q, want %q", got, want)
	}
	// = again ungroups.
	hs.keys("=")
	if hs.m.list.Grouped() || hs.m.list.Len() != 7 {
		t.Errorf("= did not ungroup: %q", hs.rowsShown())
	}
}

func TestRejectTheRestConfirmsBatchesAndUndoes(t *testing.T) {
	hs, b := grouped(t, 160, nil)
	hs.cursorOn("harbour_2.jpg")
	hs.keys("ctrl+k")
	s := hs.screen()
	if hs.m.dialog == nil || !strings.Contains(s, "Reject 2 image(s), keeping the best of 1 group(s)?") {
		t.Fatalf("ctrl+k must ask first:\n%s", s)
	}
	hs.keys("n")
	if len(b.batches) != 0 {
		t.Fatal("a cancelled dialog ran a batch")
	}
	hs.keys("ctrl+k", "y")
	if len(b.batches) != 1 {
		t.Fatalf("%d batches, want one", len(b.batches))
	}
	for _, k := range []string{"harbour_1.jpg", "harbour_3.jpg"} {
		if !hasTag(b.tags[k], FlagTag, "reject") {
			t.Errorf("%s not rejected in the bucket: %v", k, b.tags[k])
		}
	}
	if len(b.tags["harbour_2.jpg"]) != 0 || len(b.tags["street_2.jpg"]) != 0 {
		t.Errorf("the best or another group was tagged: %v %v", b.tags["harbour_2.jpg"], b.tags["street_2.jpg"])
	}
	// Every affected row on screen shows its new verdict.
	hs.keys("e")
	s = hs.screen()
	for _, k := range []string{"harbour_1.jpg", "harbour_3.jpg"} {
		if line := lineWith(s, k); !strings.Contains(line, "REJECT") {
			t.Errorf("row %s does not show REJECT: %q", k, line)
		}
	}
	if line := lineWith(s, "harbour_2.jpg"); strings.Contains(line, "REJECT") {
		t.Errorf("the best shows REJECT: %q", line)
	}
	// u undoes the batch; the reloaded list keeps its groups.
	hs.keys("u", "y")
	for _, k := range []string{"harbour_1.jpg", "harbour_3.jpg"} {
		if hasTag(b.tags[k], FlagTag, "reject") {
			t.Errorf("%s still rejected after undo: %v", k, b.tags[k])
		}
	}
	if !hs.m.list.Grouped() {
		t.Fatalf("groups lost on undo:\n%s", hs.screen())
	}
	s = hs.screen()
	if strings.Contains(s, "REJECT") {
		t.Errorf("a row still shows REJECT after undo:\n%s", s)
	}
	if !strings.Contains(s, "▾3 near harbour_2.jpg") {
		t.Errorf("the expanded group did not come back expanded:\n%s", s)
	}
}

func TestRejectTheRestOverMarkedGroups(t *testing.T) {
	hs, b := grouped(t, 160, nil)
	hs.keys("ctrl+a", "ctrl+k")
	if !strings.Contains(hs.screen(), "Reject 3 image(s), keeping the best of 2 group(s)?") {
		t.Fatalf("marks select the groups:\n%s", hs.screen())
	}
	hs.keys("y")
	for _, k := range []string{"harbour_1.jpg", "harbour_3.jpg", "street_2.jpg"} {
		if !hasTag(b.tags[k], FlagTag, "reject") {
			t.Errorf("%s not rejected", k)
		}
	}
	for _, k := range []string{"harbour_2.jpg", "street_1.jpg", "cat.jpg", "lake.jpg"} {
		if len(b.tags[k]) != 0 {
			t.Errorf("%s tagged: %v", k, b.tags[k])
		}
	}
}

func TestRejectTheRestOutsideAGroup(t *testing.T) {
	hs, _ := grouped(t, 160, nil)
	hs.cursorOn("cat.jpg")
	hs.keys("ctrl+k")
	if hs.m.dialog != nil || !strings.Contains(hs.screen(), "not in a group") {
		t.Errorf("ctrl+k outside a group:\n%s", hs.screen())
	}
}

func TestStaleGroupChunkDropped(t *testing.T) {
	b := burstBucket()
	b.add("other/x.jpg", 10, score.Scores{})
	hs := newHarness(t, b, 160, 24, nil)
	// Start grouping but hold its first step; the operator enters another prefix.
	cmd := hs.m.toggleGrouping()
	if cmd == nil || hs.m.grouping == nil {
		t.Fatal("grouping did not start")
	}
	if !strings.Contains(hs.screen(), "grouping 0/7") {
		t.Errorf("no progress in the status line:\n%s", hs.screen())
	}
	root := hs.m.list
	hs.cursorOn("other/")
	hs.keys("enter")
	if hs.m.list == root {
		t.Fatal("did not enter other/")
	}
	hs.send(cmd())
	if hs.m.grouping != nil || hs.m.list.Grouped() || root.Grouped() {
		t.Errorf("a chunk for the prefix left was applied")
	}
	if !strings.Contains(hs.screen(), "x.jpg") {
		t.Errorf("other/ not shown:\n%s", hs.screen())
	}
}

func TestGoldenGroups80x24(t *testing.T) {
	hs, _ := grouped(t, 80, nil)
	hs.cursorOn("street_1.jpg")
	hs.keys("e")
	golden.RequireEqual(t, []byte(hs.screen()))
}

// lineWith is the screen's first line holding s.
func lineWith(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func TestRejectTheRestReadOnly(t *testing.T) {
	hs, b := grouped(t, 160, func(o *Options) { o.ReadOnly = "the folder is read-only" }) // grouping reads only
	if !hs.m.list.Grouped() {
		t.Fatal("a read-only target cannot be grouped")
	}
	hs.cursorOn("harbour_2.jpg")
	hs.keys("ctrl+k")
	if hs.m.dialog != nil || len(b.batches) != 0 || !strings.Contains(hs.screen(), "read-only") {
		t.Errorf("ctrl+k on a read-only target:\n%s", hs.screen())
	}
}

// C on a grouped row opens the group in compare, best first, whether or not it is expanded.
func TestCompareOpensTheGroupUnderTheCursor(t *testing.T) {
	hs, _ := grouped(t, 160, nil)
	hs.cursorOn("harbour_2.jpg")
	hs.keys("C")
	if hs.m.mode != modeCompare || hs.m.cmp == nil {
		t.Fatalf("C on a collapsed group did not open compare (mode %v)", hs.m.mode)
	}
	var got []string
	for _, it := range hs.m.cmp.items {
		got = append(got, it.Key)
	}
	if want := "harbour_2.jpg harbour_3.jpg harbour_1.jpg"; strings.Join(got, " ") != want {
		t.Errorf("compare shows %q, want the group best first %q", strings.Join(got, " "), want)
	}
}
