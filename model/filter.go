package model

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"lightbox/score"
)

// Filter says which items are shown. Every condition set must hold (AND); the zero Filter
// shows everything. A score bound matches scored images only. Any condition other than
// Name hides sub-prefixes, which have no score, state or mark.
type Filter struct {
	Name string // case-insensitive substring of the item's Name; any script (CJK has no case)

	// Upper bounds, exclusive, by score: Below[score.Clarity] 40 shows ClarityScore < 40.
	// 0 = off.
	Below Bounds
	// Lower bounds, inclusive: AtLeast[score.Clarity] 70 shows ClarityScore >= 70. 0 = off.
	AtLeast Bounds

	Flags    Flags // all of these flags
	NotFlags Flags // none of these (scored images only)

	// Verdict, when set, shows only rows with that verdict (the flag tag). Rows whose tags
	// are not known yet do not match until they are.
	Verdict Verdict
	// TagKey, when set, shows only rows tagged TagKey (=TagValue unless TagAnyValue).
	TagKey, TagValue string
	TagAnyValue      bool

	OnlyUnscored bool // waiting or being scored
	OnlyScored   bool
	OnlyFailed   bool
	OnlyMarked   bool
}

// Bounds are one bound for each score, indexed by score.ID.
type Bounds [score.NumFields]int

// IsZero reports whether f shows everything.
func (f Filter) IsZero() bool { return f == Filter{} }

// needsScore reports whether f can only match scored images.
func (f Filter) needsScore() bool {
	return f.OnlyScored || f.Flags != 0 || f.NotFlags != 0 || f.Below != Bounds{} || f.AtLeast != Bounds{}
}

// String is f for the status line, in the filter language (ParseQualityFilter reads it
// back): name~"beach" clarity<40 PURE.
func (f Filter) String() string {
	var parts []string
	if f.Name != "" {
		parts = append(parts, "name~"+strconv.Quote(f.Name))
	}
	for _, s := range f.scores() {
		if s.below > 0 && s.atLeast > 0 && s.below == s.atLeast+1 {
			parts = append(parts, s.name+"="+strconv.Itoa(s.atLeast))
			continue
		}
		if s.atLeast > 0 {
			parts = append(parts, s.name+">="+strconv.Itoa(s.atLeast))
		}
		switch {
		case s.below > 100:
			parts = append(parts, s.name+"<=100")
		case s.below > 0:
			parts = append(parts, s.name+"<"+strconv.Itoa(s.below))
		}
	}
	if f.Verdict != AnyVerdict {
		parts = append(parts, f.Verdict.String())
	}
	if f.TagKey != "" {
		t := f.TagKey
		if !f.TagAnyValue {
			t += "=" + f.TagValue
		}
		if t == "" || strings.ContainsAny(t, " ,\"\\") || t != strings.TrimSpace(t) {
			t = strconv.Quote(t)
		}
		parts = append(parts, "tag:"+t)
	}
	parts = append(parts, f.Flags.names("")...)
	parts = append(parts, f.NotFlags.names("!")...)
	for _, st := range []struct {
		on   bool
		word string
	}{{f.OnlyScored, "scored"}, {f.OnlyUnscored, "unscored"}, {f.OnlyFailed, "failed"}, {f.OnlyMarked, "marked"}} {
		if st.on {
			parts = append(parts, st.word)
		}
	}
	return strings.Join(parts, " ")
}

// scoreBound is one score's two bounds, for code that treats the scores alike.
type scoreBound struct {
	name           string
	below, atLeast int
}

func (f Filter) scores() [score.NumFields]scoreBound {
	var out [score.NumFields]scoreBound
	for i, fd := range score.Fields {
		out[i] = scoreBound{fd.Word, f.Below[i], f.AtLeast[i]}
	}
	return out
}

// SetFilter shows only what f matches, re-sorting on the way (the view changes anyway).
func (l *List) SetFilter(f Filter) {
	l.filter = compile(f)
	l.rebuild()
}

// Filter is the current filter.
func (l *List) Filter() Filter { return l.filter.f }

// matcher is a Filter prepared for matching 100,000 items quickly.
type matcher struct {
	f          Filter
	needle     string // f.Name lower-cased
	asciiNeed  bool
	needsScore bool
	imagesOnly bool
	byTags     bool // a verdict or tag condition: the answer changes as tags arrive
}

func compile(f Filter) matcher {
	m := matcher{f: f, needle: strings.ToLower(f.Name), needsScore: f.needsScore()}
	m.asciiNeed = isASCII(m.needle)
	g := f
	g.Name = ""
	m.imagesOnly = !g.IsZero()
	m.byTags = f.Verdict != AnyVerdict || f.TagKey != ""
	return m
}

func (m *matcher) match(it *Item) bool {
	if m.needle != "" && !containsFold(it.Name, m.needle, m.asciiNeed) {
		return false
	}
	if it.IsPrefix {
		return !m.imagesOnly
	}
	f := &m.f
	switch {
	case f.OnlyMarked && !it.Marked,
		f.OnlyFailed && it.State != Failed,
		f.OnlyUnscored && it.State != Waiting && it.State != Scoring:
		return false
	case m.byTags && !m.tagsMatch(it):
		return false
	case !m.needsScore:
		return true
	case it.State != Scored:
		return false
	}
	s := &it.Scores
	for id := range score.NumFields {
		if (f.Below[id] > 0 || f.AtLeast[id] > 0) && !inBounds(id.Get(*s), f.Below[id], f.AtLeast[id]) {
			return false
		}
	}
	if f.Flags != 0 || f.NotFlags != 0 {
		fl := FlagsOf(*s)
		return fl&f.Flags == f.Flags && fl&f.NotFlags == 0
	}
	return true
}

func (m *matcher) tagsMatch(it *Item) bool {
	if it.Tags == nil {
		return false // not known yet: shown once they are
	}
	f := &m.f
	if f.Verdict != AnyVerdict && VerdictOf(it.Tags) != f.Verdict {
		return false
	}
	return f.TagKey == "" || hasTag(it.Tags, f.TagKey, f.TagValue, f.TagAnyValue)
}

func inBounds(v, below, atLeast int) bool {
	return (below == 0 || v < below) && (atLeast == 0 || v >= atLeast)
}

// containsFold reports whether s contains needle (already lower-cased), ignoring case.
// ASCII names, nearly all of them, are compared in place; others are lowered first, which
// allocates only when something had a case to change (CJK never does).
func containsFold(s, needle string, asciiNeedle bool) bool {
	if isASCII(s) {
		// Lowering an ASCII name leaves it ASCII: a needle that is not cannot be in it.
		return asciiNeedle && asciiContainsFold(s, needle)
	}
	return strings.Contains(strings.ToLower(s), needle)
}

func asciiContainsFold(s, needle string) bool {
	n := len(needle)
outer:
	for i := 0; i+n <= len(s); i++ {
		for j := 0; j < n; j++ {
			c := s[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != needle[j] {
				continue outer
			}
		}
		return true
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
