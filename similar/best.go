package similar

import (
	"cmp"
	"fmt"
	"slices"
)

// rank orders a group's members best first: the highest ClarityScore, then the highest
// AestheticScore, unscored members last; among equals the largest file (more pixels or
// less compression), then the first key. Copies of the same bytes go by key alone. why says
// what decided between the best and the runner-up.
func rank(items []Item, m []int, kind Kind) ([]int, string) {
	m = slices.Clone(m)
	if kind == Duplicate { // the same bytes score the same: keep the first name
		slices.SortFunc(m, func(a, b int) int { return cmp.Compare(items[a].Key, items[b].Key) })
		return m, "identical bytes: any copy will do; kept the first by name"
	}
	slices.SortFunc(m, func(a, b int) int { return compareItems(items[a], items[b]) })
	best, next := items[m[0]], items[m[1]]
	switch {
	case !best.Scored:
		return m, "no member has scores; kept " + pickedBy(best, next)
	case !next.Scored:
		return m, fmt.Sprintf("the only member with scores (ClarityScore %d, AestheticScore %d)", best.Clarity, best.Aesthetic)
	case best.Clarity != next.Clarity:
		return m, fmt.Sprintf("highest ClarityScore: %d (next %d)", best.Clarity, next.Clarity)
	case best.Aesthetic != next.Aesthetic:
		return m, fmt.Sprintf("ClarityScore ties at %d; highest AestheticScore: %d (next %d)", best.Clarity, best.Aesthetic, next.Aesthetic)
	}
	return m, fmt.Sprintf("scores tie (ClarityScore %d, AestheticScore %d); kept %s", best.Clarity, best.Aesthetic, pickedBy(best, next))
}

// pickedBy names the tie-break that chose best over next.
func pickedBy(best, next Item) string {
	if best.Size != next.Size {
		return fmt.Sprintf("the largest file (%d bytes)", best.Size)
	}
	return "the first by name"
}

func compareItems(a, b Item) int {
	if a.Scored != b.Scored {
		if a.Scored {
			return -1
		}
		return 1
	}
	if a.Scored {
		if c := cmp.Compare(b.Clarity, a.Clarity); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Aesthetic, a.Aesthetic); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(b.Size, a.Size); c != 0 {
		return c
	}
	return cmp.Compare(a.Key, b.Key)
}
