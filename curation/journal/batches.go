package journal

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// BatchSummary describes one batch: one operator action and its steps.
type BatchSummary struct {
	ID          string
	Action      string // the action of its first record
	Undoes      string // for an undo: the batch it reverses
	First, Last time.Time
	Intents     int
	Done        int // intents answered "done"
	Failed      int // intents answered "failed"
	Unmatched   int // outcomes that answer no intent (theirs was lost to a damaged line, say)
	Complete    bool
	Undone      bool   // an undo of this batch completed without a failure
	UndoneBy    string // the last batch that set out to undo this one, complete or not
	// Damaged: a line next to this batch's records failed its checksum. What the batch did
	// cannot be known from the journal, so it is neither complete nor undoable nor
	// resumable.
	Damaged bool
}

// DamagedError is why a damaged batch is not undone or resumed.
type DamagedError struct {
	Batch, Path string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("batch %s has a damaged record in the journal %s (a line failed its checksum), so what it did is not known for sure: it will not be undone or resumed; check its objects by hand", e.Batch, e.Path)
}

// damagedBatches are the batches a damaged line may have belonged to: those of the
// records just before and just after it (a line's own batch ID cannot be trusted once it
// fails its checksum). Called with j.mu held.
func (j *Journal) damagedBatches(recs []Record) map[string]bool {
	out := map[string]bool{}
	for _, at := range j.damage {
		if at > 0 && at-1 < len(recs) {
			out[recs[at-1].Batch] = true
		}
		if at < len(recs) {
			out[recs[at].Batch] = true
		}
	}
	return out
}

// refuseDamaged returns a *DamagedError when batch (non-empty) is damaged.
func (j *Journal) refuseDamaged(batch string) error {
	if batch == "" {
		return nil
	}
	var damaged bool
	if err := j.snapshot(func(recs []Record) { damaged = j.damagedBatches(recs)[batch] }); err != nil {
		return err
	}
	if damaged {
		return &DamagedError{Batch: batch, Path: j.Path()}
	}
	return nil
}

// Pending returns the intents of batch that have no outcome: the steps an interrupted batch
// may or may not have carried out, to check and resume. An empty batch means every batch.
// A damaged batch is refused with a *DamagedError.
func (j *Journal) Pending(batch string) ([]Record, error) {
	if err := j.refuseDamaged(batch); err != nil {
		return nil, err
	}
	return j.steps(batch, func(s step) bool { return s.outcome < 0 })
}

// Succeeded returns the intents of batch answered "done": the steps an undo must reverse.
// A damaged batch is refused with a *DamagedError.
func (j *Journal) Succeeded(batch string) ([]Record, error) {
	if err := j.refuseDamaged(batch); err != nil {
		return nil, err
	}
	return j.steps(batch, func(s step) bool { return s.outcome >= 0 && s.phase == PhaseDone })
}

// Damage describes, in one line, the damaged lines skipped in the journal and the batches
// marked damaged because of them, with the file's path (damaged lines stay in it, set
// aside by being skipped); "" when there are none. Commands print it once on stderr, the
// reviewer shows it in its status line.
func (j *Journal) Damage() string {
	n := j.Skipped()
	missing := j.log.Stats().Missing
	if n == 0 && missing == 0 {
		return ""
	}
	if n == 0 {
		return fmt.Sprintf("journal %s is %d bytes shorter than lightbox left it (cut short, or an older copy restored): the last records are lost; batches may show as interrupted", j.Path(), missing)
	}
	var ids []string
	_ = j.snapshot(func(recs []Record) {
		for id := range j.damagedBatches(recs) {
			ids = append(ids, id)
		}
	})
	slices.Sort(ids)
	msg := fmt.Sprintf("journal %s: %d damaged line(s) skipped, kept in the file", j.Path(), n)
	if missing > 0 {
		msg += fmt.Sprintf("; the file is %d bytes shorter than lightbox left it", missing)
	}
	if len(ids) > 0 {
		msg += fmt.Sprintf("; batch %s marked damaged: undo and resume refuse it", strings.Join(ids, ", "))
	}
	return msg
}

func (j *Journal) steps(batch string, keep func(step) bool) ([]Record, error) {
	var out []Record
	err := j.snapshot(func(recs []Record) {
		for _, s := range matchSteps(recs) {
			if in := recs[s.intent]; (batch == "" || in.Batch == batch) && keep(s) {
				out = append(out, in.clone())
			}
		}
	})
	return out, err
}

// Batches summarises every batch, in the order they began.
func (j *Journal) Batches() ([]BatchSummary, error) {
	var out []BatchSummary
	err := j.snapshot(func(recs []Record) {
		index := map[string]int{}
		for _, r := range recs {
			i, ok := index[r.Batch]
			if !ok {
				i = len(out)
				index[r.Batch] = i
				out = append(out, BatchSummary{ID: r.Batch, Action: r.Action, First: r.Time})
			}
			b := &out[i]
			b.First, b.Last = minTime(b.First, r.Time), maxTime(b.Last, r.Time)
			if b.Undoes == "" {
				b.Undoes = r.Undoes
			}
			if r.Phase == PhaseIntent {
				b.Intents++
			}
		}
		steps, unmatched := matchAll(recs)
		for _, s := range steps {
			if s.outcome < 0 {
				continue
			}
			b := &out[index[recs[s.intent].Batch]]
			if s.phase == PhaseDone {
				b.Done++
			} else {
				b.Failed++
			}
		}
		for _, k := range unmatched {
			out[index[recs[k].Batch]].Unmatched++
		}
		damaged := j.damagedBatches(recs)
		for i := range out {
			out[i].Damaged = damaged[out[i].ID]
			out[i].Complete = out[i].Done+out[i].Failed == out[i].Intents && !out[i].Damaged
		}
		for _, u := range out { // in order, so the last undo wins UndoneBy
			t, ok := index[u.Undoes]
			if u.Undoes == "" || !ok || u.ID == u.Undoes {
				continue
			}
			out[t].UndoneBy = u.ID
			if u.Complete && u.Failed == 0 && u.Intents > 0 {
				out[t].Undone = true
			}
		}
	})
	return out, err
}

// step is an intent and the outcome that answers it, as indexes into the records.
type step struct {
	intent  int
	outcome int // -1 while unanswered
	phase   string
}

// stepKey is what identifies a step for outcomes that do not name their intent.
type stepKey struct {
	batch, action, endpoint, bucket, key, destBucket, destKey string
}

func keyOf(r Record) stepKey {
	return stepKey{r.Batch, r.Action, r.Endpoint, r.Bucket, r.Key, r.DestBucket, r.DestKey}
}

func matchSteps(recs []Record) []step {
	steps, _ := matchAll(recs)
	return steps
}

// matchAll pairs every outcome with its intent: the one whose Seq it names, or else the oldest
// unanswered intent with the same stepKey (so a step retried in one batch pairs up in order).
// An intent gets at most one outcome; outcomes left over are returned as unmatched.
func matchAll(recs []Record) (steps []step, unmatched []int) {
	bySeq := map[int64]int{}     // intent Seq -> index in steps
	queue := map[stepKey][]int{} // unanswered steps, oldest first
	for i, r := range recs {
		switch {
		case r.Phase == PhaseIntent:
			bySeq[r.Seq] = len(steps)
			queue[keyOf(r)] = append(queue[keyOf(r)], len(steps))
			steps = append(steps, step{intent: i, outcome: -1})
		case r.IsOutcome():
			s := -1
			if r.Intent != 0 {
				if k, ok := bySeq[r.Intent]; ok && steps[k].outcome < 0 && recs[steps[k].intent].Batch == r.Batch {
					s = k
				}
			} else {
				q := queue[keyOf(r)]
				for len(q) > 0 && steps[q[0]].outcome >= 0 { // answered by Seq meanwhile
					q = q[1:]
				}
				if len(q) > 0 {
					s, q = q[0], q[1:]
				}
				queue[keyOf(r)] = q
			}
			if s < 0 {
				unmatched = append(unmatched, i)
				continue
			}
			steps[s].outcome, steps[s].phase = i, r.Phase
		}
	}
	return steps, unmatched
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Step is one intent of a batch and the outcome that answers it (nil while unanswered).
type Step struct {
	Intent  Record
	Outcome *Record
}

// Steps returns the steps of batch in the order their intents were written; an empty
// batch means every batch.
func (j *Journal) Steps(batch string) ([]Step, error) {
	var out []Step
	err := j.snapshot(func(recs []Record) {
		for _, s := range matchSteps(recs) {
			in := recs[s.intent]
			if batch != "" && in.Batch != batch {
				continue
			}
			st := Step{Intent: in.clone()}
			if s.outcome >= 0 {
				o := recs[s.outcome].clone()
				st.Outcome = &o
			}
			out = append(out, st)
		}
	})
	return out, err
}
