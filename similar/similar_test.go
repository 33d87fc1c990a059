package similar

import (
	"fmt"
	"image"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"lightbox/internal/exif"
	"lightbox/quality/synth"
)

func TestIndexFindsExactlyThePairsWithinRadius(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	hashes := make([]uint64, 600)
	for i := range hashes {
		if i > 0 && i%3 == 0 { // some close to another, the rest anywhere
			h := hashes[i-1]
			for range rng.IntN(14) {
				h ^= 1 << rng.IntN(64)
			}
			hashes[i] = h
		} else {
			hashes[i] = rng.Uint64()
		}
	}
	for _, radius := range []int{0, 3, 8, 10, 13} {
		want := map[[2]int]int{}
		for i := range hashes {
			for j := i + 1; j < len(hashes); j++ {
				if d := Distance(Fingerprint{P: hashes[i]}, Fingerprint{P: hashes[j]}); d <= radius {
					want[[2]int{i, j}] = d
				}
			}
		}
		got := map[[2]int]int{}
		NewIndex(hashes).Pairs(radius, func(i, j, d int) {
			if _, dup := got[[2]int{i, j}]; dup || i >= j {
				t.Errorf("radius %d: pair (%d, %d) reported twice or out of order", radius, i, j)
			}
			got[[2]int{i, j}] = d
		})
		if len(got) != len(want) {
			t.Errorf("radius %d: %d pairs, brute force finds %d", radius, len(got), len(want))
		}
		for p, d := range want {
			if got[p] != d {
				t.Errorf("radius %d: pair %v distance %d, got %d", radius, p, d, got[p])
			}
		}
	}
}

func TestFingerprintStringRoundTrip(t *testing.T) {
	f := Fingerprint{P: 0x0123456789abcdef, D: 0xfedcba9876543210}
	g, err := ParseFingerprint(f.String())
	if err != nil || g != f {
		t.Fatalf("%s → %v, %v", f, g, err)
	}
	for _, bad := range []string{"", "xyz", f.String()[:31], "g123456789abcdef0123456789abcdef"} {
		if _, err := ParseFingerprint(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestFingerprintBadInput(t *testing.T) {
	if _, err := Decode([]byte("not an image")); err == nil {
		t.Error("garbage decoded")
	}
	if _, err := FromImage(image.NewGray(image.Rect(0, 0, 4, 40)), 1); err != ErrTooSmall {
		t.Errorf("4×40 image: %v, want ErrTooSmall", err)
	}
	// Small images (under the 64-cell grid) still fingerprint like their larger selves.
	scene := synth.Scene(7, 320, 240)
	big, _ := FromImage(synth.RGBA(scene), 1)
	small, err := FromImage(synth.RGBA(scene.Resize(40, 30)), 1)
	if err != nil || Distance(big, small) > 8 {
		t.Errorf("40×30 copy: distance %d, %v", Distance(big, small), err)
	}
}

// TestFingerprintFollowsOrientation: a picture stored sideways with an EXIF orientation
// has the fingerprint of its upright copy.
func TestFingerprintFollowsOrientation(t *testing.T) {
	up := synth.RGBA(synth.Scene(3, 160, 120))
	// Stored turned left (orientation 6 means "turn right to view").
	stored := image.NewRGBA(image.Rect(0, 0, 120, 160))
	for uy := range 120 {
		for ux := range 160 {
			sx, sy := exif.Source(6, 120, 160, ux, uy) // where upright (ux, uy) is stored
			stored.Set(sx, sy, up.At(ux, uy))
		}
	}
	a, _ := FromImage(up, 1)
	b, _ := FromImage(stored, 6)
	c, _ := FromImage(stored, 1)
	if Distance(a, b) > 4 {
		t.Errorf("upright vs stored-with-orientation: distance %d", Distance(a, b))
	}
	if Distance(a, c) <= DefaultOptions.Near {
		t.Errorf("orientation ignored yet the sideways image matches (distance %d): the test proves nothing", Distance(a, c))
	}
}

func TestBrightnessDoesNotMoveTheHash(t *testing.T) {
	img := synth.RGBA(synth.Scene(5, 200, 150))
	brighter := image.NewRGBA(img.Bounds())
	for i, v := range img.Pix {
		brighter.Pix[i] = uint8(min(255, int(v)*11/10+8))
	}
	a, _ := FromImage(img, 1)
	b, _ := FromImage(brighter, 1)
	if Distance(a, b) > 2 {
		t.Errorf("10%% brighter: distance %d", Distance(a, b))
	}
}

func fp(p uint64) Fingerprint { return Fingerprint{P: p, D: p} }

func TestFindKindsAndBest(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	const a, b = 0x00000000ffffffff, 0xffffffff00000000 // 64 bits apart
	items := []Item{
		// Two copies of the same bytes, no fingerprint: a duplicate, by content alone.
		{Key: "dup1.jpg", Size: 100, Content: "md5:aa"},
		{Key: "dup2.jpg", Size: 100, Content: "md5:aa"},
		{Key: "other-size.jpg", Size: 101, Content: "md5:aa"}, // same id, other size: not a duplicate
		// The same picture three times, hours apart: near.
		{Key: "n1.jpg", FP: fp(a), HasFP: true, Taken: t0, Scored: true, Clarity: 60, Aesthetic: 50},
		{Key: "n2.jpg", FP: fp(a ^ 0b11), HasFP: true, Taken: t0.Add(5 * time.Hour), Scored: true, Clarity: 80, Aesthetic: 10},
		{Key: "n3.jpg", FP: fp(a ^ 0b1100), HasFP: true}, // unscored: ranks last
		// Frames 16 bits apart: a burst within the window, nothing outside it.
		{Key: "f1.jpg", FP: fp(b), HasFP: true, Taken: t0, Scored: true, Clarity: 70, Aesthetic: 40},
		{Key: "f2.jpg", FP: fp(b ^ 0xffff), HasFP: true, Taken: t0.Add(3 * time.Second), Scored: true, Clarity: 70, Aesthetic: 55},
		{Key: "f3.jpg", FP: fp(b ^ 0xffff0000), HasFP: true, Taken: t0.Add(time.Minute)}, // like f1, a minute later
		{Key: "alone.jpg", FP: fp(0x5555555555555555), HasFP: true, Taken: t0},
	}
	groups := Find(items, DefaultOptions)
	type got struct {
		kind    string
		members []string
	}
	var gs []got
	for _, g := range groups {
		var m []string
		for _, i := range g.Members {
			m = append(m, items[i].Key)
		}
		gs = append(gs, got{g.Kind.String(), m})
		t.Logf("%s %v: %s", g.Kind, m, g.Why)
	}
	want := []got{
		{"duplicate", []string{"dup1.jpg", "dup2.jpg"}},
		{"burst", []string{"f2.jpg", "f1.jpg"}},
		{"near", []string{"n2.jpg", "n1.jpg", "n3.jpg"}},
	}
	if !slices.EqualFunc(gs, want, func(x, y got) bool { return x.kind == y.kind && slices.Equal(x.members, y.members) }) {
		t.Fatalf("groups %v, want %v", gs, want)
	}
	whys := []string{
		"identical bytes: any copy will do; kept the first by name",
		"ClarityScore ties at 70; highest AestheticScore: 55 (next 40)",
		"highest ClarityScore: 80 (next 60)",
	}
	for i, g := range groups {
		if g.Why != whys[i] {
			t.Errorf("group %d why %q, want %q", i, g.Why, whys[i])
		}
	}
}

// TestUploadTimesOfACopiedFolderMakeNoBursts: objects stored all at once (a folder synced
// to a bucket) have upload times seconds apart; those times must not make every
// similar-looking pair a burst, while the same pictures with capture times do group.
func TestUploadTimesOfACopiedFolderMakeNoBursts(t *testing.T) {
	t0 := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	mk := func(uploaded bool) []Item {
		rng := rand.New(rand.NewPCG(4, 4))
		var items []Item
		p := uint64(0x00000000ffffffff)
		for k := range 24 { // each frame 12 bits from the last: a burst distance, not a near one
			for _, b := range rng.Perm(64)[:12] {
				p ^= 1 << b
			}
			items = append(items, Item{Key: fmt.Sprintf("k%02d", k), FP: fp(p), HasFP: true,
				Taken: t0.Add(time.Duration(k) * 100 * time.Millisecond), Uploaded: uploaded})
		}
		return items
	}
	if g := Find(mk(true), DefaultOptions); len(g) != 0 {
		t.Errorf("24 objects uploaded within 3 s: %d groups, want none (%v)", len(g), g[0].Members)
	}
	g := Find(mk(false), DefaultOptions)
	if len(g) != 1 || g[0].Kind != Burst {
		t.Errorf("the same with capture times: %+v, want one burst", g)
	}
	// A few uploads spread out (a phone uploading as it shoots) still count.
	few := mk(true)[:3]
	if g := Find(few, DefaultOptions); len(g) != 1 || g[0].Kind != Burst {
		t.Errorf("3 uploads: %+v, want one burst", g)
	}
}

func TestBestPickTieBreaks(t *testing.T) {
	cases := []struct {
		items []Item
		best  string
		why   string
	}{
		{[]Item{{Key: "a", Size: 10}, {Key: "b", Size: 20}}, "b", "no member has scores; kept the largest file (20 bytes)"},
		{[]Item{{Key: "b", Size: 10}, {Key: "a", Size: 10}}, "a", "no member has scores; kept the first by name"},
		{[]Item{{Key: "a", Size: 99}, {Key: "b", Scored: true, Clarity: 1, Aesthetic: 2}}, "b", "the only member with scores (ClarityScore 1, AestheticScore 2)"},
		{[]Item{{Key: "a", Scored: true, Clarity: 50, Aesthetic: 50, Size: 1}, {Key: "b", Scored: true, Clarity: 50, Aesthetic: 50, Size: 2}}, "b",
			"scores tie (ClarityScore 50, AestheticScore 50); kept the largest file (2 bytes)"},
		{[]Item{{Key: "a", Scored: true, Clarity: 49, Aesthetic: 90}, {Key: "b", Scored: true, Clarity: 50, Aesthetic: 0}}, "b", "highest ClarityScore: 50 (next 49)"},
	}
	for _, c := range cases {
		m, why := rank(c.items, []int{0, 1}, Near)
		if c.items[m[0]].Key != c.best || why != c.why {
			t.Errorf("%+v: best %s (%q), want %s (%q)", c.items, c.items[m[0]].Key, why, c.best, c.why)
		}
	}
}

func TestOptionsCheck(t *testing.T) {
	if err := DefaultOptions.Check(); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{Near: -1}, {Near: 33}, {NearD: 65}, {Burst: 40}, {Window: -time.Second}} {
		if o.Check() == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
