package curation

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/curation/journal"
	"lightbox/internal/parallel"
)

// Engine makes journaled changes to the bucket of one client: tags, soft and hard deletes,
// promotion, undo and resume. Every change is a batch (batch.go): its intents are durable
// in the journal before anything changes, and every key ends in Done or Failed.
type Engine struct {
	c   *cosapi.Client
	j   *journal.Journal // nil: every change is refused (none may go unrecorded)
	cfg config.Curation
}

// New returns an engine on c's bucket. Empty settings take config.Default()'s.
func New(c *cosapi.Client, j *journal.Journal, cfg config.Curation) *Engine {
	if cfg.TrashPrefix == "" && !cfg.HardDelete {
		cfg.TrashPrefix = config.Default().Curation.TrashPrefix
	}
	return &Engine{c: c, j: j, cfg: cfg}
}

// Settings are the engine's curation settings (trash prefix, hard delete, promote
// destination), for dialogs that must say where objects go.
func (e *Engine) Settings() config.Curation { return e.cfg }

// Batches lists what the journal records, every bucket's, oldest first (the reviewer's
// journal view); nil without a journal.
func (e *Engine) Batches() ([]journal.BatchSummary, error) {
	if e.j == nil {
		return nil, nil
	}
	return e.j.Batches()
}

// KeyResult is what happened to one key of a curation call.
type KeyResult struct {
	Key  string
	Dest string // the other object of the step: trash or promote key ("cos://BUCKET/KEY" in another bucket)
	Err  error  // nil in Report.Done
}

// Report accounts for every distinct key of one curation call: each is in Done or in Failed,
// exactly once, in the order given.
type Report struct {
	Batch  string // the journal batch; "" when nothing was journaled
	Action string // the journal action: tag, trash, delete, promote, undo
	Done   []KeyResult
	Failed []KeyResult
}

// Summary says it in one line, e.g. "deleted 118, failed 2 (1 not found, 1 network)". Steps
// stopped by a cancel are not failures: "trashed 40, canceled 1960 (batch … is interrupted:
// undo or resume it)".
func (r Report) Summary() string {
	verb := map[string]string{
		journal.ActionTag: "tagged", journal.ActionTrash: "trashed", journal.ActionDelete: "deleted",
		journal.ActionPromote: "promoted", journal.ActionUndo: "undone", journal.ActionRestore: "restored",
	}[r.Action]
	if verb == "" {
		verb = "done"
	}
	s := fmt.Sprintf("%s %d", verb, len(r.Done))
	counts := map[string]int{}
	failed, canceled := 0, 0
	for _, f := range r.Failed {
		if cosapi.KindOf(f.Err) == cosapi.KindCanceled {
			canceled++
			continue
		}
		failed++
		counts[cosapi.KindOf(f.Err).String()]++
	}
	if failed > 0 {
		kinds := make([]string, 0, len(counts))
		for k := range counts {
			kinds = append(kinds, k)
		}
		slices.SortFunc(kinds, func(a, b string) int { return cmp.Or(counts[b]-counts[a], strings.Compare(a, b)) })
		parts := make([]string, len(kinds))
		for i, k := range kinds {
			parts[i] = fmt.Sprintf("%d %s", counts[k], k)
		}
		s += fmt.Sprintf(", failed %d (%s)", failed, strings.Join(parts, ", "))
	}
	if canceled > 0 {
		s += fmt.Sprintf(", canceled %d", canceled)
		if r.Batch != "" {
			s += fmt.Sprintf(" (batch %s is interrupted: undo or resume it)", r.Batch)
		}
	}
	return s
}

// needJournal refuses a change that could not be journaled.
func (e *Engine) needJournal(op string) error {
	if e.j == nil {
		return &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Message: "no journal: lightbox makes no change it cannot record (set [curation] journal); nothing was changed"}
	}
	return nil
}

func refuseAll(action string, keys []string, err error) Report {
	r := Report{Action: action}
	for _, k := range keys {
		r.Failed = append(r.Failed, KeyResult{Key: k, Err: err})
	}
	return r
}

// distinct drops repeated keys, keeping the first of each.
func distinct(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// intent is the journal record of one step on key in this client's bucket.
func (e *Engine) intent(action, key string) journal.Record {
	return journal.Record{Action: action, Phase: journal.PhaseIntent, Endpoint: e.c.Endpoint(), Bucket: e.c.Bucket(), Key: key}
}

// headResult is a source object read before the batch starts, or why it cannot take part.
type headResult struct {
	obj cosapi.Object
	err error
}

// headAll reads every key's size and ETag (what a copy is verified against) before anything
// is journaled or changed; refuse may turn a key away first. A cancelled ctx stops the whole
// call: nothing has changed yet, so nothing is half done.
func (e *Engine) headAll(ctx context.Context, op string, keys []string, refuse func(string) error) ([]headResult, error) {
	out := make([]headResult, len(keys))
	home := e.c.Home()
	e.pool(ctx, len(keys), func(ctx context.Context, i int) {
		k := keys[i]
		if err := cmp.Or(cosapi.CheckKey(op, k), refuse(k)); err != nil {
			out[i].err = err
			return
		}
		out[i].obj, out[i].err = home.Stat(ctx, k)
	})
	if ctx.Err() != nil {
		return nil, &cosapi.Error{Kind: cosapi.KindCanceled, Op: op, Message: "canceled before anything was changed", Err: ctx.Err()}
	}
	return out, nil
}

// pool runs fn for 0..n-1 on at most as many goroutines as the client's concurrency.
func (e *Engine) pool(ctx context.Context, n int, fn func(ctx context.Context, i int)) {
	parallel.For(ctx, e.c.Concurrency(), n, fn)
}

// where names the other object of a step for a report.
func (e *Engine) where(bucket, key string) string {
	if key == "" || bucket == "" || bucket == e.c.Bucket() {
		return key
	}
	return "cos://" + bucket + "/" + key
}
