package model

import (
	"strings"
	"time"

	"lightbox/cosapi"
	"lightbox/internal/cosrules"
	"lightbox/score"
)

// State is where an image is in scoring.
type State uint8

const (
	Waiting State = iota // not scored yet, nor asked for
	Scoring              // handed out by Next or SetScoring; an answer is due
	Scored               // Scores hold the answer
	Failed               // ErrKind and ErrMessage say why there is no score
)

func (s State) String() string {
	switch s {
	case Waiting:
		return "waiting"
	case Scoring:
		return "scoring"
	case Scored:
		return "scored"
	case Failed:
		return "failed"
	}
	return "unknown"
}

// Item is one row: a sub-prefix (IsPrefix, shown like a folder) or an object. The UI reads
// it through List.At; every change goes through List so counts and order stay right.
// Fields are ordered to pack: 192 bytes each, with 100,000 of them in memory.
type Item struct {
	Key          string
	Name         string // last path segment of Key (a slice of it, no copy); "beach/" for a prefix
	ETag         string // quoted, as listed; scores are kept only for this version
	StorageClass string
	Modified     time.Time
	Size         int64
	Scores       score.Scores
	ErrMessage   string
	Tags         []cosrules.Tag // nil until the UI fetches them
	ErrKind      cosapi.Kind

	State    State
	IsPrefix bool
	Marked   bool
	Refresh  bool // set by Requeue: the next score must bypass the score cache

	seq int32 // index in List.all, which is in natural name order: the tie-break of every sort
	ord int32 // index in List.order (sorted, unfiltered)
	vis int32 // index in List.visible, -1 when filtered out
}

// IsImage reports whether the item is an object (everything listed that is not a prefix;
// AssessQuality judges by content, so a name says nothing).
func (it *Item) IsImage() bool { return !it.IsPrefix }

// Unscored reports whether the image has no answer yet (waiting or being scored).
func (it *Item) Unscored() bool { return !it.IsPrefix && (it.State == Waiting || it.State == Scoring) }

// Flags are the item's flags when it is scored, else none.
func (it *Item) Flags() Flags {
	if it.IsPrefix || it.State != Scored {
		return 0
	}
	return FlagsOf(it.Scores)
}

// baseName is the last segment of key; a prefix keeps its trailing "/".
func baseName(key string) string {
	trimmed := strings.TrimSuffix(key, "/")
	return key[strings.LastIndexByte(trimmed, '/')+1:]
}

// storageClass shares the few class names COS uses, so 100,000 items do not each keep
// their own copy of "STANDARD".
func storageClass(s string) string {
	for _, c := range [...]string{"STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", "ARCHIVE", "DEEP_ARCHIVE", "MAZ_STANDARD", "MAZ_STANDARD_IA", "MAZ_INTELLIGENT_TIERING"} {
		if s == c {
			return c
		}
	}
	return s
}
