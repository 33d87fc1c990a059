package similar

import (
	"math/rand/v2"
	"testing"
	"time"
)

// fingerprints100k makes 100,000 items: 80,000 unrelated fingerprints (random, with 32 bits
// set like real P hashes) and 2,000 clusters of 10 copies each within a few bits of their
// original, times one second apart within a cluster so bursts are looked for too.
func fingerprints100k() []Item {
	rng := rand.New(rand.NewPCG(18, 100))
	balanced := func() uint64 {
		var h uint64
		for _, k := range rng.Perm(64)[:32] {
			h |= 1 << k
		}
		return h
	}
	flip := func(h uint64, n int) uint64 {
		for _, k := range rng.Perm(64)[:n] {
			h ^= 1 << k
		}
		return h
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	items := make([]Item, 0, 100_000)
	for range 2000 {
		p, d := balanced(), rng.Uint64()
		at := t0.Add(time.Duration(rng.IntN(1e6)) * time.Second)
		for k := range 10 {
			items = append(items, Item{FP: Fingerprint{P: flip(p, rng.IntN(7)), D: flip(d, rng.IntN(7))}, HasFP: true, Taken: at.Add(time.Duration(k) * time.Second)})
		}
	}
	for len(items) < 100_000 {
		items = append(items, Item{FP: Fingerprint{P: balanced(), D: rng.Uint64()}, HasFP: true,
			Taken: t0.Add(time.Duration(rng.IntN(1e6)) * time.Second)})
	}
	for i := range items {
		items[i].Key = "k" + itoa(i)
	}
	return items
}

func itoa(i int) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		if i /= 10; i == 0 {
			return string(b)
		}
	}
}

// BenchmarkGroup100k groups 100,000 fingerprints with the default thresholds:
// go test -run '^$' -bench Group100k -benchmem ./similar/
// It reports the time per grouping (ns/op, ms/op), the memory allocated per grouping
// (B/op, with -benchmem) and the groups found.
func BenchmarkGroup100k(b *testing.B) {
	items := fingerprints100k()
	var groups []Group
	for b.Loop() {
		groups = Find(items, DefaultOptions)
	}
	b.ReportMetric(float64(len(groups)), "groups")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}
