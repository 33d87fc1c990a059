// Package journal is lightbox's audit log of the changes it makes to buckets. Every step is
// journalled twice: an intent, fsync'd before the step is tried, and an outcome (done or failed)
// after. An interrupted batch thus leaves intents without outcomes (Pending), and tag changes
// and promotes carry what is needed to undo them. The file is only ever appended to: nothing
// is compacted or rewritten, and a damaged line is skipped and counted (Skipped).
package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"lightbox/internal/applog"
)

// ErrClosed is returned (wrapped) by appends after Close.
var ErrClosed = applog.ErrClosed

// Journal is an open journal. Its methods are safe for concurrent use, and several processes
// may append to one file: each sees the others' records.
type Journal struct {
	log *applog.Log

	mu      sync.RWMutex
	recs    []Record
	bySeq   map[int64]int // Seq -> index in recs
	lastSeq int64
	damage  []int // for each damaged line skipped: how many records preceded it
}

var errBadRecord = errors.New("journal: record without seq, batch or phase")

// Open opens the journal at path, creating it and its folder if needed, and reads it.
func Open(path string) (*Journal, error) {
	j := &Journal{bySeq: map[int64]int{}}
	log, err := applog.Open(path, applog.Options{Apply: j.apply, Reset: j.reset, Skip: j.skip})
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	j.log = log
	return j, nil
}

// Append durably appends r, filling in its Seq and Time, and returns it as written. For an
// intent, the step may be tried once this returns nil.
func (j *Journal) Append(r Record) (Record, error) {
	out, err := j.AppendMany([]Record{r})
	if err != nil {
		return Record{}, err
	}
	return out[0], nil
}

// AppendMany appends rs with one write and one fsync (the intents of a whole batch, say) and
// returns them as written. Either all are written or none.
func (j *Journal) AppendMany(rs []Record) ([]Record, error) {
	for _, r := range rs {
		if err := r.check(); err != nil {
			return nil, err
		}
	}
	var out []Record
	err := j.log.AppendFunc(func() ([][]byte, error) {
		// Runs under the file lock with every record in the file read: lastSeq is the file's.
		out = make([]Record, len(rs))
		payloads := make([][]byte, len(rs))
		now := time.Now().UTC()
		j.mu.RLock()
		defer j.mu.RUnlock()
		for i, r := range rs {
			if err := j.checkAnswer(r); err != nil {
				return nil, err
			}
			r = r.clone()
			r.Seq, r.Time = j.lastSeq+int64(i)+1, now
			p, err := json.Marshal(r)
			if err != nil {
				return nil, fmt.Errorf("journal: %w", err)
			}
			out[i], payloads[i] = r, p
		}
		return payloads, nil
	}, func() {
		j.mu.Lock()
		defer j.mu.Unlock()
		for _, r := range out {
			j.add(r.clone())
		}
	})
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return out, nil
}

// checkAnswer makes sure an outcome naming its intent names a real one. Called with j.mu held.
func (j *Journal) checkAnswer(r Record) error {
	if r.Intent == 0 {
		return nil
	}
	i, ok := j.bySeq[r.Intent]
	if !ok {
		return fmt.Errorf("journal: outcome for unknown intent %d", r.Intent)
	}
	if in := j.recs[i]; in.Phase != PhaseIntent || in.Batch != r.Batch || in.Action != r.Action {
		return fmt.Errorf("journal: record %d is not a %s intent of batch %s", r.Intent, r.Action, r.Batch)
	}
	return nil
}

// Records returns every record in file order, including those other processes appended.
func (j *Journal) Records() ([]Record, error) {
	if err := j.refresh(); err != nil {
		return nil, err
	}
	j.mu.RLock()
	defer j.mu.RUnlock()
	out := make([]Record, len(j.recs))
	for i, r := range j.recs {
		out[i] = r.clone()
	}
	return out, nil
}

// Skipped is the number of damaged lines skipped since Open.
func (j *Journal) Skipped() int { return j.log.Stats().Skipped }

// Path is the journal file.
func (j *Journal) Path() string { return j.log.Path() }

// Close closes the file. Everything appended is already on disk.
func (j *Journal) Close() error {
	if err := j.log.Close(); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

func (j *Journal) refresh() error {
	if _, err := j.log.Refresh(); err != nil && !errors.Is(err, applog.ErrClosed) {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// snapshot runs fn on the current records, read-locked, after picking up other processes' appends.
func (j *Journal) snapshot(fn func(recs []Record)) error {
	if err := j.refresh(); err != nil {
		return err
	}
	j.mu.RLock()
	defer j.mu.RUnlock()
	fn(j.recs)
	return nil
}

func (j *Journal) apply(p []byte) error {
	var r Record
	if err := json.Unmarshal(p, &r); err != nil {
		return err
	}
	if r.Seq <= 0 || r.Batch == "" || r.Phase == "" {
		return errBadRecord
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.add(r)
	return nil
}

// skip notes where a damaged line lay, so the batches around it are known to be damaged.
func (j *Journal) skip() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.damage = append(j.damage, len(j.recs))
}

// add keeps r in memory. Called with j.mu held.
func (j *Journal) add(r Record) {
	j.recs = append(j.recs, r)
	j.bySeq[r.Seq] = len(j.recs) - 1
	j.lastSeq = max(j.lastSeq, r.Seq)
}

// reset forgets the records of a journal file that was removed or rotated under us. lastSeq is
// kept, so numbers stay increasing for anyone comparing the old file with the new one.
func (j *Journal) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.recs = slices.Delete(j.recs, 0, len(j.recs))
	j.bySeq = map[int64]int{}
	j.damage = nil
}
