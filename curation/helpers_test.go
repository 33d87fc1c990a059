package curation

import (
	"context"
	"path/filepath"
	"testing"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/curation/journal"
	"lightbox/internal/cosrules"
	"lightbox/internal/localtarget"
	"lightbox/internal/testcos"
	"lightbox/localcos"
	"lightbox/quality"
)

var bg = context.Background()

// fixture is a folder served by an in-process localcos, a client and a curation engine on
// it, and the engine's journal in a temp dir.
type fixture struct {
	t       testing.TB
	dir     string
	client  *cosapi.Client
	engine  *Engine
	journal *journal.Journal
	served  *localtarget.Served
}

func (f *fixture) server() *localcos.Server { return f.served.Server() }

// fixtureOptions are what a test may change: the client's options, the curation settings,
// the journal (nil: none, so every change is refused) and the embedded COS's config.
type fixtureOptions struct {
	cosapi.Options
	Curation    config.Curation
	Journal     *journal.Journal
	LocalConfig func(*localcos.Config)
}

// curationFixture writes files (key -> bytes) into a fresh folder and opens a fixture on it.
func curationFixture(t *testing.T, files map[string][]byte, edit func(*fixtureOptions)) *fixture {
	t.Helper()
	return openCurationFixture(t, testcos.Folder(t, files), edit)
}

func openCurationFixture(t *testing.T, dir string, edit func(*fixtureOptions)) *fixture {
	t.Helper()
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.log"))
	if err != nil {
		t.Fatal(err)
	}
	opt := fixtureOptions{
		Options: cosapi.Options{
			Scoring: testcos.Scoring,
			Sleep:   testcos.NoWait,
		},
		Journal: j,
		LocalConfig: func(c *localcos.Config) {
			c.Assess = func([]byte, quality.Options) (quality.Result, error) { return quality.Result{}, nil }
		},
	}
	if edit != nil {
		edit(&opt)
	}
	served := testcos.Serve(t, dir, opt.LocalConfig)
	opt.Target, opt.Credentials, opt.Identity = served.Target, served.Credentials, served.Identity
	c, err := cosapi.Open(opt.Options)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, dir: dir, client: c, engine: New(c, opt.Journal, opt.Curation), journal: j, served: served}
	// Close the client first: a batch's parallel requests leave connections dialled but
	// never used, and the server's Shutdown would wait 5 s for those.
	t.Cleanup(func() {
		_ = c.Close()
		_ = j.Close()
	})
	return f
}

// withFaults makes the folder's embedded COS misbehave.
func withFaults(fs localcos.Faults) func(*fixtureOptions) {
	return func(o *fixtureOptions) { o.LocalConfig = testcos.WithFaults(o.LocalConfig, fs) }
}

// findBatch is the batch called id in a list read from the journal or the history (where),
// failing the test if reading failed or the batch is missing.
func findBatch[B any](t testing.TB, all []B, err error, idOf func(B) string, id, where string) B {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range all {
		if idOf(b) == id {
			return b
		}
	}
	t.Fatalf("no batch %s in the %s", id, where)
	var none B
	return none
}

// tagIntents is what a process killed mid-batch leaves for a tag batch: each key tagged
// before, and an intent (with no outcome) to change it to after.
func (f *fixture) tagIntents(batch string, keys []string, before, after []cosrules.Tag) []journal.Record {
	f.t.Helper()
	var recs []journal.Record
	for _, k := range keys {
		r := f.engine.intent(journal.ActionTag, k)
		r.Batch, r.TagsBefore, r.TagsAfter = batch, before, after
		recs = append(recs, r)
		if err := f.client.PutTags(bg, k, before); err != nil {
			f.t.Fatal(err)
		}
	}
	return recs
}

// trashIntents is what a process killed mid-batch leaves for a trash batch: an intent (with
// no outcome) to move each key into .trash/.
func (f *fixture) trashIntents(batch string, keys []string) []journal.Record {
	f.t.Helper()
	var recs []journal.Record
	for _, k := range keys {
		r := f.engine.intent(journal.ActionTrash, k)
		r.Batch, r.DestBucket, r.DestKey, r.Moved, r.Note = batch, f.client.Bucket(), ".trash/"+k, true, objectNote(f.head(k))
		recs = append(recs, r)
	}
	return recs
}
