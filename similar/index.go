package similar

import "math/bits"

// Index finds every pair of 64-bit hashes within a Hamming radius without comparing all
// pairs: multi-index hashing. The hash is cut into four 16-bit chunks, each with its own
// table from chunk value to the hashes holding it. Two hashes within distance r differ by at
// most ⌊r/4⌋ bits in at least one chunk (pigeonhole), so probing each chunk's table at every
// value within ⌊r/4⌋ bits of the hash's own chunk finds all of them; each candidate is then
// checked on the full hash.
type Index struct {
	n int
	// For chunk c, the hashes whose chunk c is v are order[c][start[c][v]:start[c][v+1]],
	// in increasing position: a table in two flat arrays, no map and no per-bucket slice.
	// Entries carry their hash so a candidate is checked without another memory access.
	start [chunks][]int32
	order [chunks][]entry
}

type entry struct {
	h   uint64
	pos int32
}

const (
	chunks    = 4
	chunkBits = 64 / chunks
)

func chunk(h uint64, c int) uint32 { return uint32(h>>(c*chunkBits)) & (1<<chunkBits - 1) }

// NewIndex indexes hashes; pairs are reported by their positions in it.
func NewIndex(hashes []uint64) *Index {
	ix := &Index{n: len(hashes)}
	for c := range chunks {
		start := make([]int32, 1<<chunkBits+1)
		for _, h := range hashes {
			start[chunk(h, c)+1]++
		}
		for v := 1; v < len(start); v++ {
			start[v] += start[v-1]
		}
		order := make([]entry, len(hashes))
		next := append([]int32(nil), start[:len(start)-1]...)
		for i, h := range hashes {
			v := chunk(h, c)
			order[next[v]] = entry{h, int32(i)}
			next[v]++
		}
		ix.start[c], ix.order[c] = start, order
	}
	return ix
}

// Pairs calls fn(i, j, d) once for every pair i < j of hashes at Hamming distance
// d ≤ radius (0..64).
func (ix *Index) Pairs(radius int, fn func(i, j, d int)) {
	rho := min(radius/chunks, chunkBits)
	masks := chunkMasks(rho)
	for c := range chunks {
		start, order := ix.start[c], ix.order[c]
		for _, e := range order {
			i, h := int(e.pos), e.h
			own := chunk(h, c)
			for _, m := range masks {
				v := own ^ m
				bucket := order[start[v]:start[v+1]]
				// Positions increase along a bucket: walk it from the end, down to i.
				for k := len(bucket) - 1; k >= 0; k-- {
					o := bucket[k]
					if int(o.pos) <= i {
						break
					}
					d := bits.OnesCount64(h ^ o.h)
					if d > radius || !firstChunk(h, o.h, c, rho) {
						continue
					}
					fn(i, int(o.pos), d)
				}
			}
		}
	}
}

// firstChunk reports whether c is the first chunk in which a and b are within rho bits: a
// pair is found through every such chunk and reported through the first only.
func firstChunk(a, b uint64, c, rho int) bool {
	for k := range c {
		if bits.OnesCount32(chunk(a, k)^chunk(b, k)) <= rho {
			return false
		}
	}
	return true
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
