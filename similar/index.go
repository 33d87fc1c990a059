package similar

import "math/bits"

// Index finds every pair of 64-bit hashes within a Hamming radius without comparing all
// pairs: multi-index hashing. The hash is cut into four 16-bit chunks, each with its own
// table from chunk value to the hashes holding it. Two hashes within distance r differ by at
// most ⌊r/4⌋ bits in at least one chunk (pigeonhole), so probing each chunk's table at every
// value within ⌊r/4⌋ bits of the hash's own chunk finds all of them; each candidate is then
// checked on the full hash.
type Index struct {
	hashes []uint64
	// For chunk c, the positions of the hashes whose chunk c is v are
	// order[c][start[c][v]:start[c][v+1]]: a table in two flat arrays, no map and no
	// per-bucket slice, so 100,000 hashes cost about 2 MB.
	start [chunks][]int32
	order [chunks][]int32
}

const (
	chunks    = 4
	chunkBits = 64 / chunks
)

func chunk(h uint64, c int) uint32 { return uint32(h>>(c*chunkBits)) & (1<<chunkBits - 1) }

// NewIndex indexes hashes; pairs are reported by their positions in it.
func NewIndex(hashes []uint64) *Index {
	ix := &Index{hashes: hashes}
	for c := range chunks {
		start := make([]int32, 1<<chunkBits+1)
		for _, h := range hashes {
			start[chunk(h, c)+1]++
		}
		for v := 1; v < len(start); v++ {
			start[v] += start[v-1]
		}
		order := make([]int32, len(hashes))
		next := append([]int32(nil), start[:len(start)-1]...)
		for i, h := range hashes {
			v := chunk(h, c)
			order[next[v]] = int32(i)
			next[v]++
		}
		ix.start[c], ix.order[c] = start, order
	}
	return ix
}

// Pairs calls fn(i, j, d) once for every pair i < j of hashes at Hamming distance
// d ≤ radius (0..64).
func (ix *Index) Pairs(radius int, fn func(i, j, d int)) {
	n := len(ix.hashes)
	masks := chunkMasks(min(radius/chunks, chunkBits))
	// seen[j] == i+1 once j has been checked against i: a pair found through two chunks
	// is reported once.
	seen := make([]int32, n)
	for i, h := range ix.hashes {
		for c := range chunks {
			own := chunk(h, c)
			start, order := ix.start[c], ix.order[c]
			for _, m := range masks {
				v := own ^ m
				for _, j := range order[start[v]:start[v+1]] {
					if int(j) <= i || seen[j] == int32(i+1) {
						continue
					}
					seen[j] = int32(i + 1)
					if d := bits.OnesCount64(h ^ ix.hashes[j]); d <= radius {
						fn(i, int(j), d)
					}
				}
			}
		}
	}
}

// chunkMasks lists every chunk-wide mask with at most r bits set.
func chunkMasks(r int) []uint32 {
	var out []uint32
	for m := uint32(0); m < 1<<chunkBits; m++ {
		if bits.OnesCount32(m) <= r {
			out = append(out, m)
		}
	}
	return out
}
