package curation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lightbox/cosapi"
	"lightbox/curation/journal"
	"lightbox/internal/cosrules"
	"lightbox/internal/testcos"
	"lightbox/localcos"
)

// oddKeys are names that trip up escaping: a space, '+', '?', '%' and CJK.
var oddKeys = []string{"sp ace.jpg", "plus+1.jpg", "what?.jpg", "100%.jpg", "目录/照片 1.jpg"}

// spy sits under the signing transport and sees every request the client sends.
type spy struct {
	base   http.RoundTripper
	before func(r *http.Request) // may cancel things; runs before the request is sent
	after  func(r *http.Request, resp *http.Response)

	mu  sync.Mutex
	log []seen

	inflight, maxInflight atomic.Int64
}

type seen struct {
	method, key, query, copySource string
}

func (s *spy) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.log = append(s.log, seen{r.Method, strings.TrimPrefix(r.URL.Path, "/"), r.URL.RawQuery, r.Header.Get("x-cos-copy-source")})
	s.mu.Unlock()
	if s.before != nil {
		s.before(r)
	}
	n := s.inflight.Add(1)
	for {
		m := s.maxInflight.Load()
		if n <= m || s.maxInflight.CompareAndSwap(m, n) {
			break
		}
	}
	resp, err := s.base.RoundTrip(r)
	s.inflight.Add(-1)
	if err == nil && s.after != nil {
		s.after(r, resp)
	}
	return resp, err
}

// CloseIdleConnections lets the embedded COS shut down at once: a kept-alive connection
// that never carried a request holds net/http's Shutdown for 5 s.
func (s *spy) CloseIdleConnections() {
	if t, ok := s.base.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

func (s *spy) seen() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

func isCopy(r *http.Request) bool {
	return r.Method == http.MethodPut && r.Header.Get("x-cos-copy-source") != ""
}

func isDeleteMulti(e seen) bool {
	return e.method == http.MethodPost && strings.HasPrefix(e.query, "delete")
}

// withSpy puts s under the client.
func withSpy(s *spy) func(*fixtureOptions) {
	return func(o *fixtureOptions) {
		s.base = http.DefaultTransport.(*http.Transport).Clone()
		o.Transport = s
	}
}

func chain(edits ...func(*fixtureOptions)) func(*fixtureOptions) {
	return func(o *fixtureOptions) {
		for _, e := range edits {
			if e != nil {
				e(o)
			}
		}
	}
}

func files(keys ...string) map[string][]byte {
	m := map[string][]byte{}
	for i, k := range keys {
		m[k] = append(testcos.JPEGish(100+i), []byte(k)...) // distinct contents
	}
	return m
}

func (f *fixture) path(key string) string { return filepath.Join(f.dir, filepath.FromSlash(key)) }

func (f *fixture) exists(key string) bool {
	_, err := os.Stat(f.path(key))
	return err == nil
}

func (f *fixture) read(key string) []byte {
	b, err := os.ReadFile(f.path(key))
	if err != nil {
		f.t.Fatalf("read %s: %v", key, err)
	}
	return b
}

// remaining lists every key in the bucket.
func (f *fixture) remaining() []string {
	var keys []string
	err := f.client.List(bg, "", true, func(p cosapi.Page) error {
		for _, o := range p.Objects {
			keys = append(keys, o.Key)
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return keys
}

func (f *fixture) head(key string) cosapi.Object {
	o, err := f.client.Head(bg, key)
	if err != nil {
		f.t.Fatalf("head %s: %v", key, err)
	}
	return o
}

func (f *fixture) summary(batch string) journal.BatchSummary {
	all, err := f.journal.Batches()
	return findBatch(f.t, all, err, func(b journal.BatchSummary) string { return b.ID }, batch, "journal")
}

func (f *fixture) records(batch string) []journal.Record {
	recs, err := f.journal.Records()
	if err != nil {
		f.t.Fatal(err)
	}
	return slices.DeleteFunc(recs, func(r journal.Record) bool { return r.Batch != batch })
}

func resultKeys(rs []KeyResult) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Key
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// mustAccountFor checks that every key is in the report exactly once.
func mustAccountFor(t *testing.T, rep Report, keys []string) {
	t.Helper()
	got := append(resultKeys(rep.Done), resultKeys(rep.Failed)...)
	if !slices.Equal(sorted(got), sorted(distinct(keys))) {
		t.Fatalf("report accounts for %d keys %q, want %d", len(got), got, len(distinct(keys)))
	}
	for _, r := range rep.Done {
		if r.Err != nil {
			t.Errorf("done %s with an error: %v", r.Key, r.Err)
		}
	}
	for _, r := range rep.Failed {
		if r.Err == nil {
			t.Errorf("failed %s without a reason", r.Key)
		}
	}
}

func failure(rep Report, key string) error {
	for _, r := range rep.Failed {
		if r.Key == key {
			return r.Err
		}
	}
	return nil
}

// --- tags ---

func TestSetTagsMergesAndJournals(t *testing.T) {
	keys := append([]string{"a.jpg"}, oddKeys...)
	f := curationFixture(t, files(keys...), nil)
	for _, k := range keys {
		if err := f.client.PutTags(bg, k, []cosrules.Tag{{Key: "k1", Value: "old"}, {Key: "k2", Value: "gone soon"}, {Key: "k3", Value: "kept"}}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := f.engine.SetTags(bg, append(keys, "a.jpg"), []cosrules.Tag{{Key: "k1", Value: "new"}, {Key: "城市", Value: "上海 @home"}}, []string{"k2", "absent"})
	if err != nil {
		t.Fatal(err)
	}
	mustAccountFor(t, rep, keys)
	if len(rep.Failed) != 0 || rep.Summary() != fmt.Sprintf("tagged %d", len(keys)) {
		t.Fatalf("report %s: %+v", rep.Summary(), rep.Failed)
	}
	want := []cosrules.Tag{{Key: "k1", Value: "new"}, {Key: "k3", Value: "kept"}, {Key: "城市", Value: "上海 @home"}}
	for _, k := range keys {
		got, err := f.client.Tags(bg, k)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: tags %v, %v; want %v", k, got, err, want)
		}
	}
	recs := f.records(rep.Batch)
	var intents int
	for _, r := range recs {
		if r.Phase != journal.PhaseIntent {
			continue
		}
		intents++
		if r.Action != journal.ActionTag || r.Endpoint != f.client.Endpoint() || r.Bucket != f.client.Bucket() ||
			!sameTags(r.TagsBefore, []cosrules.Tag{{Key: "k1", Value: "old"}, {Key: "k2", Value: "gone soon"}, {Key: "k3", Value: "kept"}}) ||
			!slices.Equal(r.TagsAfter, want) {
			t.Errorf("intent %+v", r)
		}
	}
	if s := f.summary(rep.Batch); intents != len(keys) || !s.Complete || s.Done != len(keys) || s.Failed != 0 {
		t.Errorf("journal: %d intents, summary %+v", intents, s)
	}

	// Removing every tag leaves none (DeleteTagging).
	if rep, err := f.engine.SetTags(bg, []string{"a.jpg"}, nil, []string{"k1", "k3", "城市"}); err != nil || len(rep.Done) != 1 {
		t.Fatalf("remove all: %v %+v", err, rep)
	}
	if got, _ := f.client.Tags(bg, "a.jpg"); len(got) != 0 {
		t.Errorf("tags left: %v", got)
	}
}

func TestSetTagsLimits(t *testing.T) {
	f := curationFixture(t, files("full.jpg", "empty.jpg", "missing-later.jpg"), nil)
	var nine []cosrules.Tag
	for i := range 9 {
		nine = append(nine, cosrules.Tag{Key: fmt.Sprintf("t%d", i), Value: "v"})
	}
	if err := f.client.PutTags(bg, "full.jpg", nine); err != nil {
		t.Fatal(err)
	}
	// Two more would make 11 on full.jpg; empty.jpg gets 2.
	rep, err := f.engine.SetTags(bg, []string{"full.jpg", "empty.jpg", "nowhere.jpg"}, []cosrules.Tag{{Key: "x", Value: "1"}, {Key: "y", Value: "2"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustAccountFor(t, rep, []string{"full.jpg", "empty.jpg", "nowhere.jpg"})
	if e := failure(rep, "full.jpg"); cosapi.KindOf(e) != cosapi.KindInvalid || !strings.Contains(e.Error(), "at most 10") {
		t.Errorf("full.jpg: %v", e)
	}
	if e := failure(rep, "nowhere.jpg"); cosapi.KindOf(e) != cosapi.KindNotFound {
		t.Errorf("nowhere.jpg: %v", e)
	}
	if got, _ := f.client.Tags(bg, "full.jpg"); !slices.Equal(got, nine) {
		t.Errorf("refused key changed: %v", got)
	}
	if got, _ := f.client.Tags(bg, "empty.jpg"); len(got) != 2 {
		t.Errorf("the other key did not proceed: %v", got)
	}
	if s := f.summary(rep.Batch); !s.Complete || s.Done != 1 || s.Failed != 2 {
		t.Errorf("refusals must be answered in the journal: %+v", s)
	}
	if p, _ := f.journal.Pending(rep.Batch); len(p) != 0 {
		t.Errorf("pending %v", p)
	}

	for _, tc := range []struct {
		tag  cosrules.Tag
		want string
	}{
		{cosrules.Tag{Key: strings.Repeat("k", 128), Value: "v"}, "at most 127"},
		{cosrules.Tag{Key: strings.Repeat("键", 127), Value: strings.Repeat("值", 255)}, ""}, // characters, not bytes
		{cosrules.Tag{Key: "k", Value: strings.Repeat("v", 256)}, "at most 255"},
		{cosrules.Tag{Key: "", Value: "v"}, "empty"},
		{cosrules.Tag{Key: "k#", Value: "v"}, "letters, digits"},
		{cosrules.Tag{Key: "k", Value: "a&b"}, "letters, digits"},
		{cosrules.Tag{Key: "ok key", Value: "+-=._:/@ 9"}, ""},
	} {
		rep, err := f.engine.SetTags(bg, []string{"empty.jpg"}, []cosrules.Tag{tc.tag}, nil)
		if err != nil {
			t.Fatal(err)
		}
		e := failure(rep, "empty.jpg")
		if tc.want == "" && e != nil || tc.want != "" && (cosapi.KindOf(e) != cosapi.KindInvalid || !strings.Contains(e.Error(), tc.want)) {
			t.Errorf("tag %.20q=%.20q: %v, want %q", tc.tag.Key, tc.tag.Value, e, tc.want)
		}
	}
	if _, err := f.engine.SetTags(bg, []string{"empty.jpg"}, nil, nil); cosapi.KindOf(err) != cosapi.KindInvalid {
		t.Errorf("nothing to change: %v", err)
	}
}

func TestUndoTags(t *testing.T) {
	f := curationFixture(t, files("a.jpg", "b.jpg", "c.jpg"), nil)
	if err := f.client.PutTags(bg, "a.jpg", []cosrules.Tag{{Key: "keep", Value: "1"}}); err != nil {
		t.Fatal(err)
	}
	rep, err := f.engine.SetTags(bg, []string{"a.jpg", "b.jpg", "c.jpg"}, []cosrules.Tag{{Key: "pick", Value: "yes"}}, nil)
	if err != nil || len(rep.Done) != 3 {
		t.Fatal(err, rep)
	}
	// Someone else changes c.jpg's tags after the batch: its undo must leave them alone.
	if err := f.client.PutTags(bg, "c.jpg", []cosrules.Tag{{Key: "pick", Value: "no"}}); err != nil {
		t.Fatal(err)
	}
	undo, err := f.engine.Undo(bg, rep.Batch)
	if err != nil {
		t.Fatal(err)
	}
	mustAccountFor(t, undo, []string{"a.jpg", "b.jpg", "c.jpg"})
	if e := failure(undo, "c.jpg"); e == nil || !strings.Contains(e.Error(), "changed since; not undone") {
		t.Errorf("c.jpg: %v", e)
	}
	for k, want := range map[string][]cosrules.Tag{"a.jpg": {{Key: "keep", Value: "1"}}, "b.jpg": nil, "c.jpg": {{Key: "pick", Value: "no"}}} {
		if got, _ := f.client.Tags(bg, k); !slices.Equal(got, want) {
			t.Errorf("%s after undo: %v, want %v", k, got, want)
		}
	}
	for _, r := range f.records(undo.Batch) {
		if r.Action != journal.ActionUndo || r.Undoes != rep.Batch {
			t.Errorf("undo record %+v", r)
		}
	}
	if s := f.summary(rep.Batch); s.Undone || s.UndoneBy != undo.Batch {
		t.Errorf("a partly failed undo: %+v", s)
	}
	// Once c.jpg is back as the batch left it, undoing again reverses just that key.
	if err := f.client.PutTags(bg, "c.jpg", []cosrules.Tag{{Key: "pick", Value: "yes"}}); err != nil {
		t.Fatal(err)
	}
	again, err := f.engine.Undo(bg, rep.Batch)
	if err != nil || len(again.Done) != 1 || again.Done[0].Key != "c.jpg" || len(again.Failed) != 0 {
		t.Fatalf("second undo: %v %+v", err, again)
	}
	if s := f.summary(rep.Batch); !s.Undone {
		t.Errorf("not marked undone: %+v", s)
	}
	if _, err := f.engine.Undo(bg, rep.Batch); cosapi.KindOf(err) != cosapi.KindInvalid || !strings.Contains(err.Error(), "already undone") {
		t.Errorf("third undo: %v", err)
	}
}

// --- journal required ---

func TestCurationNeedsAJournal(t *testing.T) {
	f := curationFixture(t, files("a.jpg"), func(o *fixtureOptions) {
		o.Journal = nil
		o.Curation.PromoteTo = "best/"
		o.Curation.HardDelete = true
	})
	before := f.head("a.jpg")
	calls := map[string]func() (Report, error){
		"tag": func() (Report, error) {
			return f.engine.SetTags(bg, []string{"a.jpg"}, []cosrules.Tag{{Key: "k", Value: "v"}}, nil)
		},
		"delete":  func() (Report, error) { return f.engine.Delete(bg, []string{"a.jpg"}) },
		"promote": func() (Report, error) { return f.engine.Promote(bg, []string{"a.jpg"}) },
		"undo":    func() (Report, error) { return f.engine.UndoLast(bg) },
		"resume":  func() (Report, error) { return f.engine.Resume(bg, "x") },
	}
	for name, call := range calls {
		rep, err := call()
		if cosapi.KindOf(err) != cosapi.KindInvalid || !strings.Contains(err.Error(), "journal") || len(rep.Done) != 0 {
			t.Errorf("%s without a journal: %v %+v", name, err, rep)
		}
	}
	if got := f.head("a.jpg"); got.ETag != before.ETag || f.exists("best/a.jpg") {
		t.Error("something changed")
	}
	if tags, _ := f.client.Tags(bg, "a.jpg"); len(tags) != 0 {
		t.Error("tags changed")
	}
}

// --- delete ---

func TestSoftDeleteMovesToTrash(t *testing.T) {
	keys := append([]string{"a.jpg", "dir/b.jpg"}, oddKeys...)
	fs := files(keys...)
	fs[".trash/old.jpg"] = testcos.JPEGish(5)
	f := curationFixture(t, fs, nil)
	etags := map[string]string{}
	for _, k := range keys {
		etags[k] = f.head(k).ETag
	}
	input := append(slices.Clone(keys), "a.jpg", ".trash/old.jpg", "missing.jpg")
	rep, err := f.engine.Delete(bg, input)
	if err != nil {
		t.Fatal(err)
	}
	mustAccountFor(t, rep, input)
	if len(rep.Done) != len(keys) || len(rep.Failed) != 2 {
		t.Fatalf("report %s %+v", rep.Summary(), rep.Failed)
	}
	if e := failure(rep, ".trash/old.jpg"); cosapi.KindOf(e) != cosapi.KindInvalid || !strings.Contains(e.Error(), "already in the trash; hard delete is needed") {
		t.Errorf("trashing the trash: %v", e)
	}
	if e := failure(rep, "missing.jpg"); cosapi.KindOf(e) != cosapi.KindNotFound {
		t.Errorf("missing: %v", e)
	}
	if got := rep.Summary(); got != fmt.Sprintf("trashed %d, failed 2 (1 not found, 1 refused)", len(keys)) {
		t.Errorf("summary %q", got)
	}
	for _, r := range rep.Done {
		k := r.Key
		if r.Dest != ".trash/"+k || f.exists(k) {
			t.Errorf("%s: dest %q, source still there: %v", k, r.Dest, f.exists(k))
			continue
		}
		if got := f.head(".trash/" + k); got.ETag != etags[k] || !bytes.Equal(f.read(".trash/"+k), fs[k]) {
			t.Errorf("%s: the trash copy differs (%s vs %s)", k, got.ETag, etags[k])
		}
	}
	if !f.exists(".trash/old.jpg") {
		t.Error("a refused key was deleted")
	}
	s := f.summary(rep.Batch)
	if s.Action != journal.ActionTrash || !s.Complete || s.Done != len(keys) || s.Failed != 2 || s.Intents != len(keys)+2 {
		t.Errorf("journal %+v", s)
	}
	for _, r := range f.records(rep.Batch) {
		if r.Phase == journal.PhaseIntent && r.DestKey != ".trash/"+r.Key {
			t.Errorf("intent %+v", r)
		}
	}
}

func TestHardDeleteInParallelBatches(t *testing.T) {
	fs := map[string][]byte{}
	var keys []string
	for i := range 2500 {
		k := fmt.Sprintf("p/%04d.jpg", i)
		if i%500 == 0 {
			k = fmt.Sprintf("p/%04d %s", i, oddKeys[i/500])
		}
		fs[k] = testcos.JPEGish(3)
		keys = append(keys, k)
	}
	s := &spy{}
	f := curationFixture(t, fs, chain(withSpy(s), func(o *fixtureOptions) { o.Curation.HardDelete = true }))
	// Slow answers, so that batches sent together are seen overlapping.
	f.server().AddFault(localcos.FaultRule{Op: localcos.OpDeleteMultiple, Latency: 150 * time.Millisecond})
	rep, err := f.engine.Delete(bg, append(keys, keys[7]))
	if err != nil {
		t.Fatal(err)
	}
	mustAccountFor(t, rep, keys)
	if len(rep.Done) != 2500 || rep.Summary() != "deleted 2500" {
		t.Fatalf("%s", rep.Summary())
	}
	var posts int
	for _, e := range s.seen() {
		if isDeleteMulti(e) {
			posts++
		}
	}
	if posts != 3 || s.maxInflight.Load() < 2 {
		t.Errorf("%d Delete Multiple requests, at most %d at once; want 3, several in parallel", posts, s.maxInflight.Load())
	}
	if left := f.remaining(); len(left) != 0 {
		t.Errorf("left: %d", len(left))
	}
	if sum := f.summary(rep.Batch); sum.Action != journal.ActionDelete || !sum.Complete || sum.Done != 2500 {
		t.Errorf("journal %+v", sum)
	}
}

func TestHardDeleteUnderFaultsAccountsForEveryKey(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			fs := map[string][]byte{}
			var keys []string
			for i := range 1100 { // two Delete Multiple batches
				k := fmt.Sprintf("ok/%04d.jpg", i)
				if i%100 == 0 {
					k = fmt.Sprintf("deny/%04d.jpg", i)
				}
				fs[k] = testcos.JPEGish(3)
				keys = append(keys, k)
			}
			f := curationFixture(t, fs, chain(
				withFaults(localcos.Faults{FailRate: 0.3, DropRate: 0.1, Seed: seed}),
				func(o *fixtureOptions) { o.Curation.HardDelete = true }))
			f.server().AddFault(localcos.FaultRule{Op: localcos.OpDeleteObject, KeyPrefix: "deny/", Status: http.StatusForbidden, Code: "AccessDenied"})
			rep, err := f.engine.Delete(bg, keys)
			if err != nil {
				t.Fatal(err)
			}
			mustAccountFor(t, rep, keys)
			for _, r := range rep.Failed {
				if strings.HasPrefix(r.Key, "deny/") && cosapi.KindOf(r.Err) != cosapi.KindAuth {
					t.Errorf("%s: %v", r.Key, r.Err)
				}
			}
			if n := len(rep.Failed); n < 11 {
				t.Errorf("only %d failed: the AccessDenied keys must be", n)
			}
			// What the report says failed is exactly what is left.
			if left, failed := sorted(f.remaining()), sorted(resultKeys(rep.Failed)); !slices.Equal(left, failed) {
				t.Errorf("left in the bucket %d %q\nreported failed %d %q", len(left), left, len(failed), failed)
			}
			sum := f.summary(rep.Batch)
			if !sum.Complete || sum.Done != len(rep.Done) || sum.Failed != len(rep.Failed) {
				t.Errorf("journal %+v vs %s", sum, rep.Summary())
			}
		})
	}
}

// TestHardDeleteLostAnswersAndFlakyKeys covers the two ways a batch is unclear: every
// answer lost after the server did the work (each key is then checked), and keys failing
// inside the batch for a reason worth retrying (they are sent again).
func TestHardDeleteLostAnswersAndFlakyKeys(t *testing.T) {
	var keys []string
	for i := range 10 {
		keys = append(keys, fmt.Sprintf("ok/%d.jpg", i), fmt.Sprintf("flaky/%d.jpg", i))
	}
	keys = append(keys, "deny/0.jpg", "deny/1.jpg")
	hard := func(o *fixtureOptions) { o.Curation.HardDelete = true }

	t.Run("answers lost", func(t *testing.T) {
		f := curationFixture(t, files(keys...), hard)
		f.server().AddFault(localcos.FaultRule{Op: localcos.OpDeleteMultiple, Drop: true})
		f.server().AddFault(localcos.FaultRule{Op: localcos.OpDeleteObject, KeyPrefix: "deny/", Status: http.StatusForbidden, Code: "AccessDenied"})
		rep, err := f.engine.Delete(bg, keys)
		if err != nil {
			t.Fatal(err)
		}
		mustAccountFor(t, rep, keys)
		if got := sorted(resultKeys(rep.Failed)); !slices.Equal(got, []string{"deny/0.jpg", "deny/1.jpg"}) {
			t.Errorf("failed %q: %s", got, rep.Summary())
		}
		if left := sorted(f.remaining()); !slices.Equal(left, sorted(resultKeys(rep.Failed))) {
			t.Errorf("left %q", left)
		}
		if e := failure(rep, "deny/0.jpg"); cosapi.KindOf(e) != cosapi.KindNetwork {
			t.Errorf("deny/0.jpg: %v", e)
		}
	})
	t.Run("flaky keys", func(t *testing.T) {
		s := &spy{}
		f := curationFixture(t, files(keys...), chain(hard, withSpy(s)))
		f.server().AddFault(localcos.FaultRule{Op: localcos.OpDeleteObject, KeyPrefix: "flaky/", Times: 3, Status: 500, Code: "InternalError"})
		rep, err := f.engine.Delete(bg, keys)
		if err != nil || len(rep.Done) != len(keys) {
			t.Fatalf("%v %s %+v", err, rep.Summary(), rep.Failed)
		}
		var posts int
		for _, e := range s.seen() {
			if isDeleteMulti(e) {
				posts++
			}
		}
		if posts != 2 || len(f.remaining()) != 0 {
			t.Errorf("%d requests, %d left", posts, len(f.remaining()))
		}
	})
}

// --- promote ---

func promoteTo(to, mode string) func(*fixtureOptions) {
	return func(o *fixtureOptions) { o.Curation.PromoteTo, o.Curation.PromoteMode = to, mode }
}

func TestPromote(t *testing.T) {
	for _, mode := range []string{"copy", "move"} {
		t.Run(mode, func(t *testing.T) {
			keys := append([]string{"a.jpg"}, oddKeys...)
			fs := files(keys...)
			fs["best/already.jpg"] = testcos.JPEGish(9)
			s := &spy{}
			f := curationFixture(t, fs, chain(withSpy(s), promoteTo("best/", mode)))
			etags := map[string]string{}
			for _, k := range keys {
				etags[k] = f.head(k).ETag
			}
			rep, err := f.engine.Promote(bg, append(keys, "best/already.jpg"))
			if err != nil {
				t.Fatal(err)
			}
			log := s.seen()
			mustAccountFor(t, rep, append(keys, "best/already.jpg"))
			if len(rep.Done) != len(keys) || cosapi.KindOf(failure(rep, "best/already.jpg")) != cosapi.KindInvalid {
				t.Fatalf("%s %+v", rep.Summary(), rep.Failed)
			}
			for _, k := range keys {
				if got := f.head("best/" + k); got.ETag != etags[k] || !bytes.Equal(f.read("best/"+k), fs[k]) {
					t.Errorf("%s: copy %s, want %s", k, got.ETag, etags[k])
				}
				if f.exists(k) != (mode == "copy") {
					t.Errorf("%s: source exists %v in %s mode", k, f.exists(k), mode)
				}
			}
			// Every copy source arrives escaped: no raw '?' or space, and it decodes back.
			var copies int
			for _, e := range log {
				if e.copySource == "" {
					continue
				}
				copies++
				_, esc, _ := strings.Cut(e.copySource, "/")
				key, err := url.PathUnescape(esc)
				if strings.ContainsAny(esc, "? +") || err != nil || !slices.Contains(keys, key) || e.key != "best/"+key {
					t.Errorf("copy source %q for %q", e.copySource, e.key)
				}
			}
			if copies != len(keys) {
				t.Errorf("%d copies", copies)
			}
			if mode == "move" {
				// The originals go only after every copy was checked.
				del := slices.IndexFunc(log, isDeleteMulti)
				lastHead := -1
				for i, e := range log {
					if e.method == http.MethodHead && strings.HasPrefix(e.key, "best/") {
						lastHead = i
					}
				}
				if del < 0 || lastHead < 0 || del < lastHead {
					t.Errorf("delete at %d, last verifying HEAD at %d", del, lastHead)
				}
			}
			recs := f.records(rep.Batch)
			for _, r := range recs {
				if r.Phase == journal.PhaseIntent && r.Key != "best/already.jpg" &&
					(r.DestKey != "best/"+r.Key || r.DestBucket != f.client.Bucket() || r.Moved != (mode == "move") || noteField(r.Note, "etag") != etags[r.Key]) {
					t.Errorf("intent %+v", r)
				}
			}
			// Undo: copies go (and in move mode the originals come back, same bytes).
			undo, err := f.engine.Undo(bg, rep.Batch)
			if err != nil || len(undo.Done) != len(keys) {
				t.Fatalf("undo: %v %s %+v", err, undo.Summary(), undo.Failed)
			}
			for _, k := range keys {
				if f.exists("best/"+k) || !f.exists(k) || f.head(k).ETag != etags[k] || !bytes.Equal(f.read(k), fs[k]) {
					t.Errorf("%s after undo: copy %v, original %v", k, f.exists("best/"+k), f.exists(k))
				}
			}
			if !f.exists("best/already.jpg") {
				t.Error("undo removed an object it did not make")
			}
			if sum := f.summary(rep.Batch); !sum.Undone {
				t.Errorf("%+v", sum)
			}
		})
	}
}

func TestPromoteFailuresNeverLoseTheSource(t *testing.T) {
	tamper := func(f **fixture) *spy {
		// After the copy, someone else writes the destination: the check must catch it.
		return &spy{after: func(r *http.Request, resp *http.Response) {
			if isCopy(r) && resp.StatusCode == http.StatusOK {
				key := strings.TrimPrefix(r.URL.Path, "/")
				if err := os.WriteFile((*f).path(key), []byte("someone else's bytes"), 0o644); err != nil {
					panic(err)
				}
			}
		}}
	}
	cases := []struct {
		name  string
		rule  *localcos.FaultRule
		spy   func(**fixture) *spy
		kind  cosapi.Kind
		want  string
		noDst bool
	}{
		{name: "copy answers 500", rule: &localcos.FaultRule{Op: localcos.OpCopyObject, Status: 500, Code: "InternalError"}, kind: cosapi.KindServer, want: "not copied", noDst: true},
		{name: "error inside a 200", rule: &localcos.FaultRule{Op: localcos.OpCopyObject, Status: 200, Code: "InternalError"}, kind: cosapi.KindServer, want: "not copied", noDst: true},
		{name: "copy not visible", rule: &localcos.FaultRule{Op: localcos.OpHeadObject, KeyPrefix: "best/", Status: 404, Code: "NoSuchKey"}, kind: cosapi.KindNotFound, want: "could not be checked"},
		{name: "copy overwritten", spy: tamper, kind: cosapi.KindOther, want: "does not match"},
	}
	for _, mode := range []string{"copy", "move"} {
		for _, tc := range cases {
			t.Run(mode+"/"+tc.name, func(t *testing.T) {
				key := oddKeys[2] // has a '?'
				fs := files(key)
				var f *fixture
				edit := promoteTo("best/", mode)
				var s *spy
				if tc.spy != nil {
					s = tc.spy(&f)
					edit = chain(edit, withSpy(s))
				}
				f = curationFixture(t, fs, edit)
				if tc.rule != nil {
					f.server().AddFault(*tc.rule)
				}
				before := f.head(key)
				rep, err := f.engine.Promote(bg, []string{key})
				if err != nil {
					t.Fatal(err)
				}
				e := failure(rep, key)
				if len(rep.Done) != 0 || cosapi.KindOf(e) != tc.kind || !strings.Contains(e.Error(), tc.want) || !strings.Contains(e.Error(), "original") {
					t.Fatalf("%s: %v (kind %v)", rep.Summary(), e, cosapi.KindOf(e))
				}
				if got := f.head(key); got.ETag != before.ETag || !bytes.Equal(f.read(key), fs[key]) {
					t.Error("the source changed")
				}
				if tc.noDst && f.exists("best/"+key) {
					t.Error("a failed copy left a destination")
				}
				if sum := f.summary(rep.Batch); !sum.Complete || sum.Failed != 1 {
					t.Errorf("journal %+v", sum)
				}
			})
		}
	}
}

func TestPromoteRefusals(t *testing.T) {
	f := curationFixture(t, files("a.jpg"), nil)
	_, err := f.engine.Promote(bg, []string{"a.jpg"})
	if cosapi.KindOf(err) != cosapi.KindInvalid || !strings.Contains(err.Error(), "[curation] promote_to") {
		t.Errorf("unconfigured: %v", err)
	}
	f.engine.cfg.PromoteTo = "best/"
	f.engine.cfg.PromoteMode = "teleport"
	if _, err := f.engine.Promote(bg, []string{"a.jpg"}); cosapi.KindOf(err) != cosapi.KindInvalid || !strings.Contains(err.Error(), "promote_mode") {
		t.Errorf("bad mode: %v", err)
	}
	// Another bucket cannot exist behind a folder's embedded COS: one clean NotFound.
	f.engine.cfg.PromoteTo, f.engine.cfg.PromoteMode = "cos://elsewhere-1250000000/best/", "move"
	rep, err := f.engine.Promote(bg, []string{"a.jpg"})
	if cosapi.KindOf(err) != cosapi.KindNotFound || !strings.Contains(err.Error(), "elsewhere-1250000000") || len(rep.Failed) != 1 {
		t.Errorf("other bucket: %v %+v", err, rep)
	}
	if !f.exists("a.jpg") {
		t.Error("source gone")
	}
	if recs, _ := f.journal.Records(); len(recs) != 0 {
		t.Errorf("journaled %d records for refused calls", len(recs))
	}
}

// --- undo ---

func TestUndoTrashNeverClobbers(t *testing.T) {
	f := curationFixture(t, files("a.jpg", "b.jpg", oddKeys[4]), nil)
	want := map[string]string{}
	for _, k := range []string{"a.jpg", "b.jpg", oddKeys[4]} {
		want[k] = f.head(k).ETag
	}
	rep, err := f.engine.Delete(bg, []string{"a.jpg", "b.jpg", oddKeys[4]})
	if err != nil || len(rep.Done) != 3 {
		t.Fatal(err, rep)
	}
	// A new b.jpg appears: moving the old one back would destroy it.
	if err := os.WriteFile(f.path("b.jpg"), []byte("the new b"), 0o644); err != nil {
		t.Fatal(err)
	}
	undo, err := f.engine.Undo(bg, rep.Batch)
	if err != nil {
		t.Fatal(err)
	}
	if e := failure(undo, "b.jpg"); e == nil || !strings.Contains(e.Error(), "changed since; not undone") {
		t.Errorf("b.jpg: %v", e)
	}
	for _, k := range []string{"a.jpg", oddKeys[4]} {
		if f.head(k).ETag != want[k] || f.exists(".trash/"+k) {
			t.Errorf("%s not back", k)
		}
	}
	if string(f.read("b.jpg")) != "the new b" || f.head(".trash/b.jpg").ETag != want["b.jpg"] {
		t.Error("b.jpg clobbered")
	}
}

func TestUndoLastPicksTheRightBatch(t *testing.T) {
	f := curationFixture(t, files("a.jpg", "b.jpg"), promoteTo("best/", "copy"))
	if _, err := f.engine.UndoLast(bg); cosapi.KindOf(err) != cosapi.KindNotFound {
		t.Fatalf("empty journal: %v", err)
	}
	tagged, err := f.engine.SetTags(bg, []string{"a.jpg", "b.jpg"}, []cosrules.Tag{{Key: "pick", Value: "1"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	promoted, err := f.engine.Promote(bg, []string{"a.jpg", "b.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	// A batch that changed nothing is passed over.
	if _, err := f.engine.Promote(bg, []string{"nothing-here.jpg"}); err != nil {
		t.Fatal(err)
	}
	undo, err := f.engine.UndoLast(bg)
	if err != nil || len(undo.Done) != 2 || f.exists("best/a.jpg") || f.exists("best/b.jpg") {
		t.Fatalf("first undo: %v %+v", err, undo)
	}
	if s := f.summary(undo.Batch); s.Undoes != promoted.Batch {
		t.Errorf("undid %s, want the promote %s", s.Undoes, promoted.Batch)
	}
	undo, err = f.engine.UndoLast(bg)
	if err != nil || f.summary(undo.Batch).Undoes != tagged.Batch {
		t.Fatalf("second undo: %v %+v", err, undo)
	}
	if tags, _ := f.client.Tags(bg, "a.jpg"); len(tags) != 0 {
		t.Errorf("tags %v", tags)
	}
	if _, err := f.engine.UndoLast(bg); cosapi.KindOf(err) != cosapi.KindNotFound {
		t.Errorf("nothing left: %v", err)
	}
	// After a hard delete, "undo the last thing" says it cannot rather than reaching past it.
	if _, err := f.engine.SetTags(bg, []string{"a.jpg"}, []cosrules.Tag{{Key: "x", Value: "y"}}, nil); err != nil {
		t.Fatal(err)
	}
	f.engine.cfg.HardDelete = true
	hard, err := f.engine.Delete(bg, []string{"b.jpg"})
	if err != nil || len(hard.Done) != 1 {
		t.Fatal(err, hard)
	}
	for _, undo := range []func() (Report, error){
		func() (Report, error) { return f.engine.UndoLast(bg) },
		func() (Report, error) { return f.engine.Undo(bg, hard.Batch) },
	} {
		if _, err := undo(); cosapi.KindOf(err) != cosapi.KindInvalid || !strings.Contains(err.Error(), "hard delete, which cannot be undone") {
			t.Errorf("undoing a hard delete: %v", err)
		}
	}
	if _, err := f.engine.Undo(bg, "no-such-batch"); cosapi.KindOf(err) != cosapi.KindNotFound {
		t.Errorf("unknown batch: %v", err)
	}
}

// --- resume ---

// interrupt cancels the call (and with kill, also closes the journal, as a dying process
// would stop writing it) when the nth copy is about to be sent.
func interrupt(n int, kill bool, cancel context.CancelFunc, f **fixture) *spy {
	var copies atomic.Int64
	return &spy{before: func(r *http.Request) {
		if isCopy(r) && copies.Add(1) == int64(n) {
			if kill {
				_ = (*f).journal.Close()
			}
			cancel()
		}
	}}
}

func TestResumeAfterCancel(t *testing.T) {
	keys := append([]string{"a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg", "g.jpg"}, oddKeys...)
	fs := files(keys...)
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	var f *fixture
	f = curationFixture(t, fs, chain(withSpy(interrupt(5, false, cancel, &f)), func(o *fixtureOptions) { o.Scoring.Concurrency = 1 }))
	rep, err := f.engine.Delete(ctx, keys)
	if cosapi.KindOf(err) != cosapi.KindCanceled {
		t.Fatalf("want a cancelled call: %v", err)
	}
	mustAccountFor(t, rep, keys)
	if len(rep.Done) != 0 || len(rep.Failed) != len(keys) {
		t.Fatalf("%s", rep.Summary())
	}
	for _, r := range rep.Failed[5:] {
		if !strings.Contains(r.Err.Error(), "not attempted: canceled") {
			t.Errorf("%s: %v", r.Key, r.Err)
		}
	}
	for _, k := range keys {
		if !f.exists(k) {
			t.Errorf("%s lost", k) // nothing is deleted before its copy is verified
		}
	}
	if s := f.summary(rep.Batch); !s.Complete || s.Failed != len(keys) {
		t.Errorf("every key must have an outcome: %+v", s)
	}

	res, err := f.engine.Resume(bg, rep.Batch)
	if err != nil || len(res.Done) != len(keys) || res.Batch != rep.Batch {
		t.Fatalf("resume: %v %s %+v", err, res.Summary(), res.Failed)
	}
	for _, k := range keys {
		if f.exists(k) || !bytes.Equal(f.read(".trash/"+k), fs[k]) {
			t.Errorf("%s not in the trash", k)
		}
	}
	recs, _ := f.journal.Records()
	if len(canceledSteps(recs)) != 0 {
		t.Error("cancelled steps left")
	}
	if s := f.summary(rep.Batch); !s.Complete || s.Done != len(keys) {
		t.Errorf("after resume: %+v", s)
	}
	// Idempotent: nothing left to do.
	again, err := f.engine.Resume(bg, rep.Batch)
	if err != nil || len(again.Done)+len(again.Failed) != 0 {
		t.Errorf("second resume: %v %+v", err, again)
	}
	// And the batch can be undone as a whole.
	if undo, err := f.engine.Undo(bg, rep.Batch); err != nil || len(undo.Done) != len(keys) {
		t.Errorf("undo after resume: %v %s", err, undo.Summary())
	}
}

func TestResumeAfterKill(t *testing.T) {
	keys := append([]string{"a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"}, oddKeys...)
	fs := files(keys...)
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	var f *fixture
	edit := chain(promoteTo("best/", "move"), func(o *fixtureOptions) { o.Scoring.Concurrency = 1 })
	f = curationFixture(t, fs, chain(edit, withSpy(interrupt(4, true, cancel, &f))))
	rep, err := f.engine.Promote(ctx, keys)
	if err == nil || !strings.Contains(err.Error(), "journal") {
		t.Fatalf("want a journal failure: %v", err)
	}
	for _, k := range keys {
		if !f.exists(k) {
			t.Errorf("%s lost", k)
		}
	}
	// "Restart": a new process opens the journal and the folder again.
	_ = f.client.Close()
	_ = f.served.Close() // as the dead process's server would be
	j, err := journal.Open(f.journal.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	pending, _ := j.Pending(rep.Batch)
	if len(pending) != len(keys) {
		t.Fatalf("%d pending, want %d", len(pending), len(keys))
	}
	f2 := openCurationFixture(t, f.dir, chain(edit, func(o *fixtureOptions) { o.Journal = j }))
	res, err := f2.engine.Resume(bg, rep.Batch)
	if err != nil || len(res.Done) != len(keys) {
		t.Fatalf("resume: %v %s %+v", err, res.Summary(), res.Failed)
	}
	for _, k := range keys {
		if f2.exists(k) || !bytes.Equal(f2.read("best/"+k), fs[k]) {
			t.Errorf("%s not moved", k)
		}
	}
	if p, _ := j.Pending(rep.Batch); len(p) != 0 {
		t.Errorf("still pending: %d", len(p))
	}
	f2.journal = j
	if s := f2.summary(rep.Batch); !s.Complete || s.Done != len(keys) || s.Failed != 0 {
		t.Errorf("after resume: %+v", s)
	}
}

// TestResumeChecksEachKey journals intents by hand and leaves each key in a different
// state, as a process killed at different moments would.
func TestResumeChecksEachKey(t *testing.T) {
	keys := []string{"none.jpg", "copied.jpg", "moved.jpg", "changed.jpg", "gone.jpg", oddKeys[2]}
	fs := files(keys...)
	f := curationFixture(t, fs, nil)
	c, e := f.client, f.engine
	id := journal.NewBatchID()
	recs := f.trashIntents(id, keys)
	hard := e.intent(journal.ActionDelete, "hard.jpg")
	hard.Batch = id
	recs = append(recs, hard)
	if err := os.WriteFile(f.path("hard.jpg"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.journal.AppendMany(recs); err != nil {
		t.Fatal(err)
	}
	home := c.Home()
	for _, k := range []string{"copied.jpg", "moved.jpg", oddKeys[2]} {
		if err := home.Copy(bg, ".trash/"+k, home, k, ""); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"moved.jpg", "gone.jpg"} {
		if err := os.Remove(f.path(k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(f.path("changed.jpg"), []byte("edited since"), 0o644); err != nil {
		t.Fatal(err)
	}

	rep, err := e.Resume(bg, id)
	if err != nil {
		t.Fatal(err)
	}
	mustAccountFor(t, rep, append(keys, "hard.jpg"))
	if got := sorted(resultKeys(rep.Failed)); !slices.Equal(got, []string{"changed.jpg", "gone.jpg"}) {
		t.Fatalf("failed %q: %s", got, rep.Summary())
	}
	if e := failure(rep, "changed.jpg"); !strings.Contains(e.Error(), "changed since") {
		t.Errorf("changed.jpg: %v", e)
	}
	if cosapi.KindOf(failure(rep, "gone.jpg")) != cosapi.KindNotFound {
		t.Errorf("gone.jpg: %v", failure(rep, "gone.jpg"))
	}
	for _, k := range []string{"none.jpg", "copied.jpg", "moved.jpg", oddKeys[2]} {
		if f.exists(k) || !bytes.Equal(f.read(".trash/"+k), fs[k]) {
			t.Errorf("%s not finished", k)
		}
	}
	if !f.exists("changed.jpg") || f.exists(".trash/changed.jpg") || f.exists("hard.jpg") {
		t.Error("wrong state after resume")
	}
	if s := f.summary(id); !s.Complete {
		t.Errorf("%+v", s)
	}
	if again, err := e.Resume(bg, id); err != nil || len(again.Done)+len(again.Failed) != 0 {
		t.Errorf("second resume: %v %+v", err, again)
	}
}

func TestResumeTags(t *testing.T) {
	f := curationFixture(t, files("todo.jpg", "done.jpg", "other.jpg"), nil)
	c, e := f.client, f.engine
	id := journal.NewBatchID()
	before, after := []cosrules.Tag{{Key: "a", Value: "1"}}, []cosrules.Tag{{Key: "a", Value: "1"}, {Key: "b", Value: "2"}}
	recs := f.tagIntents(id, []string{"todo.jpg", "done.jpg", "other.jpg"}, before, after)
	if _, err := f.journal.AppendMany(recs); err != nil {
		t.Fatal(err)
	}
	if err := c.PutTags(bg, "done.jpg", []cosrules.Tag{{Key: "b", Value: "2"}, {Key: "a", Value: "1"}}); err != nil { // same set, other order
		t.Fatal(err)
	}
	if err := c.PutTags(bg, "other.jpg", []cosrules.Tag{{Key: "c", Value: "3"}}); err != nil {
		t.Fatal(err)
	}
	rep, err := e.Resume(bg, id)
	if err != nil || len(rep.Done) != 2 || len(rep.Failed) != 1 || rep.Failed[0].Key != "other.jpg" {
		t.Fatalf("%v %s %+v", err, rep.Summary(), rep.Failed)
	}
	if got, _ := c.Tags(bg, "todo.jpg"); !sameTags(got, after) {
		t.Errorf("todo.jpg: %v", got)
	}
	if got, _ := c.Tags(bg, "other.jpg"); !slices.Equal(got, []cosrules.Tag{{Key: "c", Value: "3"}}) {
		t.Errorf("someone else's tags clobbered: %v", got)
	}
}

func TestResumeRefusesAnotherBucketsBatch(t *testing.T) {
	f := curationFixture(t, files("a.jpg"), nil)
	r := f.engine.intent(journal.ActionTag, "a.jpg")
	r.Batch, r.Bucket = journal.NewBatchID(), "other-1250000000"
	if _, err := f.journal.Append(r); err != nil {
		t.Fatal(err)
	}
	for _, call := range []func() (Report, error){
		func() (Report, error) { return f.engine.Resume(bg, r.Batch) },
		func() (Report, error) { return f.engine.Undo(bg, r.Batch) },
	} {
		if _, err := call(); cosapi.KindOf(err) != cosapi.KindInvalid || !strings.Contains(err.Error(), "other-1250000000") {
			t.Errorf("%v", err)
		}
	}
}

// --- report ---

func TestReportSummary(t *testing.T) {
	nf := &cosapi.Error{Kind: cosapi.KindNotFound}
	rep := Report{Action: journal.ActionDelete, Failed: []KeyResult{
		{Key: "x", Err: &cosapi.Error{Kind: cosapi.KindNetwork}}, {Key: "y", Err: nf}, {Key: "z", Err: nf}, {Key: "w", Err: errors.New("odd")},
	}}
	for range 118 {
		rep.Done = append(rep.Done, KeyResult{})
	}
	if got := rep.Summary(); got != "deleted 118, failed 4 (2 not found, 1 error, 1 network)" {
		t.Errorf("%q", got)
	}
	if got := (Report{Action: journal.ActionPromote}).Summary(); got != "promoted 0" {
		t.Errorf("%q", got)
	}
	stopped := Report{Batch: "B1", Action: journal.ActionTrash, Done: []KeyResult{{Key: "a"}}, Failed: []KeyResult{
		{Key: "b", Err: &cosapi.Error{Kind: cosapi.KindCanceled}}, {Key: "c", Err: &cosapi.Error{Kind: cosapi.KindCanceled}}, {Key: "d", Err: nf},
	}}
	if got := stopped.Summary(); got != "trashed 1, failed 1 (1 not found), canceled 2 (batch B1 is interrupted: undo or resume it)" {
		t.Errorf("a cancelled batch: %q", got)
	}
}

func TestBatchReportsProgress(t *testing.T) {
	files := map[string][]byte{}
	for i := range 20 {
		files[fmt.Sprintf("p/%02d.jpg", i)] = testcos.JPEGish(10)
	}
	f := curationFixture(t, files, nil)
	var mu sync.Mutex
	var seen []int
	ctx := WithProgress(bg, func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != 20 {
			t.Errorf("total %d", total)
		}
		seen = append(seen, done)
	})
	keys := make([]string, 20)
	for i := range keys {
		keys[i] = fmt.Sprintf("p/%02d.jpg", i)
	}
	rep, err := f.engine.SetTags(ctx, keys, []cosrules.Tag{{Key: "review", Value: "keep"}}, nil)
	if err != nil || len(rep.Done) != 20 {
		t.Fatalf("%v %+v", err, rep.Summary())
	}
	if len(seen) == 0 || seen[len(seen)-1] != 20 {
		t.Errorf("progress %v", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Errorf("progress went back: %v", seen)
		}
	}
}
