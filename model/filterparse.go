package model

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"lightbox/config"
	"lightbox/score"
)

// ParseQualityFilter reads the filter prompt's language. Terms are separated by spaces or
// commas and must all hold; words are case-insensitive; "" is the zero Filter.
//
//	expr   = { term }
//	term   = score op number            clarity<40  aesthetic>=70  content <= 30  clarity=55
//	       | [ "!" | "-" ] flag         pure  !long  -bw   (! excludes the flag)
//	       | state                      scored  unscored  failed  marked
//	       | verdict                    pick  reject  unflagged   (the flag tag P, X and U set)
//	       | "tag:" text                tag:review=keep (that value)  tag:review (any value)
//	       | "name" ( "~" | ":" | "=" ) text
//	                                    name~beach  name~"two words"  name:海滩
//	       | quoted                     "beach"   (same as name~"beach")
//	score  = clarity | aesthetic | aesthetics | content | lowquality | low-quality
//	         (package score's words and aliases for every filterable score)
//	op     = "<" | "<=" | ">" | ">=" | "="
//	number = a whole number from 0 to 100   (clarity>=0 means scored)
//	flag   = long | bw | b&w | small | big | pure   (package score's flag words)
//	text   = a "quoted string" (Go escapes) or a run of non-space characters
//
// An expression that can match nothing (unscored clarity<40, pure !pure, clarity>=70
// clarity<40) is an error, so a typo does not silently empty the screen. Filter.String
// writes this language, and reads back to the same Filter.
func ParseQualityFilter(s string) (Filter, error) {
	p := parser{s: s}
	var f Filter
	for {
		p.skipSpace()
		if p.i >= len(p.s) {
			return f, nil
		}
		start := p.i
		if err := p.term(&f); err != nil {
			return Filter{}, err
		}
		if why := contradiction(f); why != "" {
			return Filter{}, &ParseError{Pos: start, Msg: fmt.Sprintf("%q can never match: %s", p.s[start:p.i], why)}
		}
	}
}

// ParseError is a filter expression's mistake. Msg names the offending term.
type ParseError struct {
	Pos int // byte offset in the expression where the bad term starts
	Msg string
}

func (e *ParseError) Error() string { return e.Msg }

type parser struct {
	s string
	i int
}

func (p *parser) errorf(pos int, format string, args ...any) error {
	return &ParseError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) peek() rune {
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return r
}

func isSep(r rune) bool { return unicode.IsSpace(r) || r == ',' }

func (p *parser) skipSpace() {
	for p.i < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.i:])
		if !isSep(r) {
			return
		}
		p.i += n
	}
}

// atEnd reports whether a term ends here.
func (p *parser) atEnd() bool { return p.i >= len(p.s) || isSep(p.peek()) }

// word reads letters, digits, '&', '_' and inner '-'.
func (p *parser) word() string {
	start := p.i
	for p.i < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.i:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&' || r == '_' || (r == '-' && p.i > start)) {
			break
		}
		p.i += n
	}
	return p.s[start:p.i]
}

// rest reads up to the end of the term, for messages.
func (p *parser) rest() string {
	start := p.i
	for !p.atEnd() {
		_, n := utf8.DecodeRuneInString(p.s[p.i:])
		p.i += n
	}
	return p.s[start:p.i]
}

var stateWords = []string{"scored", "unscored", "failed", "marked"}

var verdictWords = map[string]Verdict{"pick": Pick, "picked": Pick, "reject": Reject, "rejected": Reject, "unflagged": Unflagged}

// filterScore is the filterable score a word names.
func filterScore(w string) (score.Field, bool) {
	f, ok := score.Lookup(w)
	return f, ok && f.Filterable
}

// comparableWords are the scores the language can compare, for messages.
func comparableWords() []string {
	return score.Words(func(f score.Field) bool { return f.Filterable })
}

func (p *parser) term(f *Filter) error {
	start := p.i
	if p.peek() == '"' {
		return p.name(f, start)
	}
	neg := false
	if r := p.peek(); r == '!' || r == '-' {
		neg = true
		p.i++
	}
	w := strings.ToLower(p.word())
	if w == "" {
		return p.errorf(start, "unexpected %q: a term starts with a word such as %s, %s or name",
			p.rest(), score.Fields[0].Word, score.Flags[score.Pure].Word)
	}
	flag, isFlag := score.LookupFlag(w)
	if neg && !isFlag {
		return p.errorf(start, "%q: only a flag (%s) can be excluded with %c", p.s[start:p.i], strings.Join(score.FlagWords(), ", "), p.s[start])
	}
	field, isScore := filterScore(w)
	if v, ok := verdictWords[w]; ok && !isScore && !isFlag {
		if !p.atEnd() {
			return p.errorf(start, "%q: %s is used alone", p.s[start:p.i]+p.rest(), w)
		}
		if f.Verdict != AnyVerdict && f.Verdict != v {
			return p.errorf(start, "%q: a row is only one of pick, reject and unflagged", p.s[start:p.i])
		}
		f.Verdict = v
		return nil
	}
	switch {
	case w == "tag":
		if p.peek() != ':' && p.peek() != '=' {
			return p.errorf(start, "%q needs a tag, like tag:review=keep or tag:review", p.s[start:p.i])
		}
		p.i++
		return p.tag(f, start)
	case w == "name":
		p.skipSpace()
		if r := p.peek(); r != '~' && r != ':' && r != '=' {
			return p.errorf(start, "%q needs text to look for, like name~beach", p.s[start:p.i])
		}
		p.i++
		p.skipSpace()
		return p.name(f, start)
	case isScore:
		return p.score(f, field, start)
	case isFlag:
		if !p.atEnd() {
			return p.errorf(start, "%q: %s is a flag, used alone (%s) or excluded (!%s)", p.s[start:p.i]+p.rest(), w, w, w)
		}
		if neg {
			f.NotFlags |= FlagOf(flag.ID)
		} else {
			f.Flags |= FlagOf(flag.ID)
		}
		return nil
	}
	for _, s := range stateWords {
		if w != s {
			continue
		}
		if !p.atEnd() {
			return p.errorf(start, "%q: %s is used alone", p.s[start:p.i]+p.rest(), w)
		}
		switch w {
		case "scored":
			f.OnlyScored = true
		case "unscored":
			f.OnlyUnscored = true
		case "failed":
			f.OnlyFailed = true
		case "marked":
			f.OnlyMarked = true
		}
		return nil
	}
	return p.unknown(w, start)
}

// unknown explains a word the language does not have.
func (p *parser) unknown(w string, start int) error {
	word := p.s[start:p.i]
	p.skipSpaceNoComma()
	compared := strings.ContainsRune("<>=~:", p.peek())
	switch {
	case w == "or":
		return p.errorf(start, `there is no "or": every term must hold`)
	case w == "and":
		return p.errorf(start, `no "and" needed: every term must hold`)
	case w == "not":
		return p.errorf(start, `write !pure rather than "not pure"`)
	}
	if near := nearest(w); near != "" {
		return p.errorf(start, "unknown word %q: did you mean %s?", word, near)
	}
	if compared {
		return p.errorf(start, "%q cannot be compared: only %s can", word, andList(comparableWords()))
	}
	return p.errorf(start, "unknown word %q: to match names write name~%s", word, word)
}

func (p *parser) skipSpaceNoComma() {
	for p.i < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.i:])
		if !unicode.IsSpace(r) {
			return
		}
		p.i += n
	}
}

// name reads the text of a name term at p.i: a quoted string or up to the next space.
func (p *parser) name(f *Filter, start int) error {
	var text string
	if p.peek() == '"' {
		end := p.i + 1
		for end < len(p.s) && p.s[end] != '"' {
			if p.s[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(p.s) {
			return p.errorf(start, "%q: the quote is never closed", p.s[start:])
		}
		q, err := strconv.Unquote(p.s[p.i : end+1])
		if err != nil {
			return p.errorf(start, "%q: bad escape in the quoted text", p.s[start:end+1])
		}
		p.i = end + 1
		text = q
	} else {
		text = p.rest()
	}
	if text == "" {
		return p.errorf(start, "%q needs text to look for, like name~beach", p.s[start:p.i])
	}
	if f.Name != "" {
		return p.errorf(start, "%q: the name is already %q; one name per filter", p.s[start:p.i], f.Name)
	}
	f.Name = text
	return nil
}

// tag reads KEY=VALUE or KEY after "tag:".
func (p *parser) tag(f *Filter, start int) error {
	var g Filter
	if err := p.name(&g, start); err != nil {
		return p.errorf(start, "%q needs a tag, like tag:review=keep or tag:review", p.s[start:p.i])
	}
	if f.TagKey != "" {
		return p.errorf(start, "%q: one tag per filter (it already has tag:%s)", p.s[start:p.i], f.TagKey)
	}
	k, v, hasValue := strings.Cut(g.Name, "=")
	k = strings.TrimSpace(k)
	if k == "" {
		return p.errorf(start, "%q: the tag's key is missing, like tag:review=keep", p.s[start:p.i])
	}
	f.TagKey, f.TagValue, f.TagAnyValue = k, strings.TrimSpace(v), !hasValue
	return nil
}

// score reads "op number" after a score word and sets the bounds.
func (p *parser) score(f *Filter, sf score.Field, start int) error {
	field := sf.Word
	p.skipSpace()
	opStart := p.i
	for p.i < len(p.s) && strings.IndexByte("<>=", p.s[p.i]) >= 0 {
		p.i++
	}
	op := p.s[opStart:p.i]
	switch op {
	case "<", "<=", ">", ">=", "=":
	case "":
		return p.errorf(start, "%q needs a comparison, like %s<40 or %s>=70", p.s[start:opStart], field, field)
	default:
		return p.errorf(start, "%q: %q is not a comparison; use <, <=, >, >= or =", p.s[start:p.i], op)
	}
	p.skipSpace()
	numStart := p.i
	for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		p.i++
	}
	digits := p.s[numStart:p.i]
	if digits == "" || !p.atEnd() {
		return p.errorf(start, "%q: %s%s needs a whole number from 0 to 100", p.s[start:p.i]+p.rest(), field, op)
	}
	v, err := strconv.Atoi(digits)
	if err != nil || v > 100 {
		return p.errorf(start, "%q: scores go from 0 to 100", p.s[start:p.i])
	}
	below, atLeast := 0, 0
	switch {
	case op == "<" && v == 0:
		return p.errorf(start, "%q: no score is below 0", p.s[start:p.i])
	case op == ">" && v == 100:
		return p.errorf(start, "%q: no score is above 100", p.s[start:p.i])
	case op == "<":
		below = v
	case op == "<=":
		below = v + 1
	case op == ">":
		atLeast = v + 1
	case op == ">=":
		atLeast = v
	case op == "=":
		below, atLeast = v+1, v
	}
	b, a := &f.Below[sf.ID], &f.AtLeast[sf.ID]
	switch {
	case below > 0 && *b > 0:
		return p.errorf(start, "%q: %s already has an upper bound; give one", p.s[start:p.i], field)
	case atLeast > 0 && *a > 0:
		return p.errorf(start, "%q: %s already has a lower bound; give one", p.s[start:p.i], field)
	}
	if below > 0 {
		*b = below
	}
	if atLeast > 0 {
		*a = atLeast
	}
	if op == ">=" && v == 0 {
		f.OnlyScored = true // every score is >= 0: all it asks is a score
	}
	return nil
}

// contradiction says why f can match nothing, "" if it can match something.
func contradiction(f Filter) string {
	states := 0
	for _, on := range []bool{f.OnlyScored, f.OnlyUnscored, f.OnlyFailed} {
		if on {
			states++
		}
	}
	switch {
	case states > 1:
		return "an image is only one of scored, unscored and failed"
	case f.needsScore() && !f.OnlyScored && (f.OnlyUnscored || f.OnlyFailed):
		return "scores and flags exist only for scored images"
	case f.Flags&f.NotFlags != 0:
		return "a flag cannot be both required and excluded"
	case f.Verdict == Unflagged && f.TagKey == FlagTag && (f.TagAnyValue || f.TagValue == "pick" || f.TagValue == "reject"):
		return "an unflagged row has no flag tag"
	}
	for _, s := range f.scores() {
		if s.below > 0 && s.atLeast >= s.below {
			return fmt.Sprintf("no %s score is both >= %d and < %d", s.name, s.atLeast, s.below)
		}
	}
	return ""
}

// nearest is the keyword w is most likely a typo of, "" if none is close.
func nearest(w string) string {
	best, bestD := "", 3
	if len(w) < 5 {
		bestD = 2 // short words: one edit at most
	}
	words := append([]string{"name"}, comparableWords()...)
	words = append(words, score.FlagWords()...)
	words = append(words, stateWords...)
	words = append(words, "pick", "reject", "unflagged", "tag")
	for _, k := range words {
		if d := config.EditDistance(w, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// andList writes words as "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
