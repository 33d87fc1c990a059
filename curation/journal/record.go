package journal

import (
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"lightbox/internal/cosrules"
)

// Phases of a step: the intent is written (and fsync'd) before the step is tried, then one
// outcome after it.
const (
	PhaseIntent = "intent"
	PhaseDone   = "done"
	PhaseFailed = "failed"
)

// Actions lightbox journals. Action is free-form; these are the ones it uses.
const (
	ActionTag     = "tag"
	ActionUntag   = "untag"
	ActionDelete  = "delete"
	ActionTrash   = "trash"
	ActionPromote = "promote"
	ActionRestore = "restore"
	ActionUndo    = "undo"
)

// Record is one line of the journal.
type Record struct {
	Seq    int64     `json:"seq"`  // assigned by Append: increasing along the file
	Time   time.Time `json:"time"` // assigned by Append (UTC)
	Batch  string    `json:"batch"`
	Action string    `json:"action"`
	Phase  string    `json:"phase"`
	// Intent is, on an outcome, the Seq of the intent it answers (Done and Failed fill it in).
	// Left zero, the outcome answers the oldest unanswered intent of the same batch, action,
	// endpoint, bucket, key and destination.
	Intent     int64  `json:"intent,omitempty"`
	Endpoint   string `json:"endpoint,omitempty"`
	Bucket     string `json:"bucket,omitempty"`
	Key        string `json:"key,omitempty"`
	DestBucket string `json:"dest_bucket,omitempty"` // promote/trash destination
	DestKey    string `json:"dest_key,omitempty"`
	// The object's tags before and after a tag change: enough to undo it. Empty means no tags.
	TagsBefore []cosrules.Tag `json:"tags_before,omitempty"`
	TagsAfter  []cosrules.Tag `json:"tags_after,omitempty"`
	Moved      bool           `json:"moved,omitempty"`  // a promote that removed the source
	Undoes     string         `json:"undoes,omitempty"` // on an undo's records: the batch it reverses
	Err        string         `json:"err,omitempty"`    // why a step failed
	Note       string         `json:"note,omitempty"`
}

// Done returns the outcome saying that the step r (an intent as Append returned it) succeeded.
func (r Record) Done() Record { return r.outcome(PhaseDone, "") }

// Failed returns the outcome saying that the step r (an intent as Append returned it) failed.
func (r Record) Failed(err error) Record {
	msg := "unknown error"
	if err != nil {
		msg = err.Error()
	}
	return r.outcome(PhaseFailed, msg)
}

func (r Record) outcome(phase, msg string) Record {
	return Record{
		Batch: r.Batch, Action: r.Action, Phase: phase, Intent: r.Seq,
		Endpoint: r.Endpoint, Bucket: r.Bucket, Key: r.Key,
		DestBucket: r.DestBucket, DestKey: r.DestKey, Moved: r.Moved, Undoes: r.Undoes,
		Err: msg,
	}
}

// IsOutcome reports whether r is a done or failed record.
func (r Record) IsOutcome() bool { return r.Phase == PhaseDone || r.Phase == PhaseFailed }

// clone gives the record its own tag slices, so no caller can change the journal's memory.
func (r Record) clone() Record {
	r.TagsBefore = slices.Clone(r.TagsBefore)
	r.TagsAfter = slices.Clone(r.TagsAfter)
	return r
}

// check rejects records the journal could not later make sense of.
func (r Record) check() error {
	switch {
	case r.Batch == "":
		return errors.New("journal: record without a batch")
	case r.Action == "":
		return errors.New("journal: record without an action")
	case r.Phase != PhaseIntent && !r.IsOutcome():
		return fmt.Errorf("journal: unknown phase %q", r.Phase)
	case r.Phase == PhaseIntent && r.Intent != 0:
		return errors.New("journal: an intent cannot answer another intent")
	}
	// JSON would replace invalid UTF-8, and an undo would then aim at another object. COS
	// keys are UTF-8, so this only catches bugs.
	for _, s := range []string{r.Endpoint, r.Bucket, r.Key, r.DestBucket, r.DestKey} {
		if !utf8.ValidString(s) {
			return fmt.Errorf("journal: %q is not valid UTF-8", s)
		}
	}
	for _, t := range slices.Concat(r.TagsBefore, r.TagsAfter) {
		if !utf8.ValidString(t.Key) || !utf8.ValidString(t.Value) {
			return fmt.Errorf("journal: tag %q=%q is not valid UTF-8", t.Key, t.Value)
		}
	}
	return nil
}
