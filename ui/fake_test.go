package ui

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/curation"
	"lightbox/curation/journal"
	"lightbox/internal/cosrules"
	"lightbox/keymap"
	"lightbox/score"
	"lightbox/similar"
)

// fakeBackend is an in-memory bucket with deterministic scores.
type fakeBackend struct {
	mu          sync.Mutex
	objects     map[string]cosapi.Object
	scores      map[string]score.Scores
	fail        map[string]*cosapi.Error
	tags        map[string][]cosrules.Tag
	pageMax     int
	calls       atomic.Int64
	batches     []*fakeBatch
	undone      []string
	images      map[string][]byte              // preview bytes by key
	interrupted bool                           // Batches reports one unfinished batch
	resumed     []string                       // batches Resume was asked for
	tagReads    []string                       // keys Tags was asked for, in order
	undoneIDs   []string                       // batches Undo was asked for
	history     []curation.BatchInfo           // more History entries (other buckets, hard deletes)
	trash       map[string]curation.TrashEntry // by trash key
	trashed     map[string]cosapi.Object       // what each trash key holds
	picture     map[string]string              // GroupItems: keys of one picture are near-duplicates
	groupAsked  int                            // objects GroupItems was asked for
}

var epoch = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func newFake() *fakeBackend {
	return &fakeBackend{objects: map[string]cosapi.Object{}, scores: map[string]score.Scores{},
		fail: map[string]*cosapi.Error{}, tags: map[string][]cosrules.Tag{}, pageMax: 1000,
		trash: map[string]curation.TrashEntry{}, trashed: map[string]cosapi.Object{}}
}

func (f *fakeBackend) add(key string, size int64, s score.Scores) {
	f.objects[key] = cosapi.Object{Key: key, Size: size, ETag: fmt.Sprintf(`"%032x"`, len(key)*7919+int(size)),
		LastModified: epoch.Add(-time.Duration(size) * time.Minute), StorageClass: "STANDARD", ContentType: "image/jpeg"}
	f.scores[key] = s
}

func (f *fakeBackend) ListPage(_ context.Context, prefix, marker string, recursive bool, maxKeys int) (cosapi.Page, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var keys []string
	for k := range f.objects {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var p cosapi.Page
	seen := map[string]bool{}
	n := 0
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		entry := k
		rest := k[len(prefix):]
		if i := strings.IndexByte(rest, '/'); i >= 0 && !recursive {
			entry = prefix + rest[:i+1]
		}
		if entry <= marker || seen[entry] {
			continue
		}
		if n == min(maxKeys, f.pageMax) {
			p.Truncated = true
			break
		}
		seen[entry] = true
		n++
		if entry != k {
			p.Prefixes = append(p.Prefixes, entry)
		} else {
			p.Objects = append(p.Objects, f.objects[k])
		}
		p.NextMarker = entry
	}
	if !p.Truncated {
		p.NextMarker = ""
	}
	return p, nil
}

func (f *fakeBackend) Assess(_ context.Context, obj cosapi.Object, _ cosapi.AssessOptions) (cosapi.Assessment, error) {
	f.calls.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if e := f.fail[obj.Key]; e != nil {
		return cosapi.Assessment{}, e
	}
	return cosapi.Assessment{Scores: f.scores[obj.Key]}, nil
}

func (f *fakeBackend) Head(_ context.Context, key string) (cosapi.Object, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.objects[key]
	if !ok {
		return o, &cosapi.Error{Kind: cosapi.KindNotFound, Op: "head", Key: key}
	}
	return o, nil
}

func (f *fakeBackend) Tags(_ context.Context, key string) ([]cosrules.Tag, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tagReads = append(f.tagReads, key)
	return slices.Clone(f.tags[key]), nil
}

// GroupItems fingerprints each object by the picture the test says it shows (else by its
// key): copies of one picture get the same fingerprint, so they group as near-duplicates.
func (f *fakeBackend) GroupItems(_ context.Context, objs []cosapi.Object, _ cosapi.GroupItemsOptions) ([]similar.Item, []cosapi.ItemError, cosapi.GroupStats) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.groupAsked += len(objs)
	items := make([]similar.Item, len(objs))
	for i, o := range objs {
		pic := f.picture[o.Key]
		if pic == "" {
			pic = o.Key
		}
		sum := sha256.Sum256([]byte(pic)) // unrelated pictures differ in about half the bits
		p := binary.BigEndian.Uint64(sum[:8])
		fp := similar.Fingerprint{P: p, D: binary.BigEndian.Uint64(sum[8:16])}
		items[i] = similar.Item{Key: o.Key, Size: o.Size, FP: fp, HasFP: true, Taken: o.LastModified, Uploaded: true}
	}
	return items, nil, cosapi.GroupStats{ReadPrints: len(objs)}
}

func (f *fakeBackend) Stats() cosapi.Stats { return cosapi.Stats{Calls: f.calls.Load()} }

// gallery is a small bucket that exercises every column and state.
func gallery() *fakeBackend {
	f := newFake()
	f.add("beach/sunset.jpg", 2_400_000, score.Scores{ClarityScore: 88, AestheticScore: 91, LowQualityScore: 80})
	f.add("beach/blurry.jpg", 1_900_000, score.Scores{ClarityScore: 12, AestheticScore: 30, LowQualityScore: 44})
	f.add("beach/panorama.jpg", 5_100_000, score.Scores{ClarityScore: 71, AestheticScore: 64, LowQualityScore: 70, LongImage: true, BigImage: true})
	f.add("docs/receipt.png", 310_000, score.Scores{ClarityScore: 55, AestheticScore: 20, LowQualityScore: 18, PureImage: true, BlackAndWhite: true})
	f.add("a very long file name that will not fit in any column at all.jpg", 800_000, score.Scores{ClarityScore: 49, AestheticScore: 50, LowQualityScore: 51})
	f.add("风景/山水画_全景.jpg", 1_200_000, score.Scores{ClarityScore: 77, AestheticScore: 83, LowQualityScore: 79})
	f.add("emoji 🌅 dawn.jpg", 950_000, score.Scores{ClarityScore: 65, AestheticScore: 58, LowQualityScore: 61})
	f.add("tiny.jpg", 4_000, score.Scores{SmallImage: true})
	f.add("animation.gif", 40_000, score.Scores{})
	f.add("cold.jpg", 700_000, score.Scores{})
	f.fail["cold.jpg"] = &cosapi.Error{Kind: cosapi.KindArchived, Code: "InvalidObjectState", Message: "The object is archived."}
	f.tags["tiny.jpg"] = []cosrules.Tag{{Key: "review", Value: "reject"}}
	return f
}

// harness drives a Model synchronously: every Cmd runs at once and its message goes back
// into Update, as the program would, minus the waiting.
type harness struct {
	t *testing.T
	m *Model
}

func newHarness(t *testing.T, b Backend, w, h int, edit func(*Options)) *harness {
	t.Helper()
	opt := Options{
		Backend: b, Target: "cos://photos-1250000000/", Keys: keymap.Default().WithQuickTags(nil), Theme: ThemeDark,
		Threshold: 50, Concurrency: 4, Now: func() time.Time { return epoch },
		Curation: config.Curation{TrashPrefix: ".trash/", PromoteTo: "picked/", PromoteMode: "copy"},
		After: func(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
			return func() tea.Msg { return fn(epoch) }
		},
	}
	if edit != nil {
		edit(&opt)
	}
	hs := &harness{t: t, m: New(opt)}
	hs.run(hs.m.Init())
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

// run executes cmd and everything it leads to. Commands that do not answer promptly (a
// cursor blink) are dropped; status-clearing timers are not delivered, so a test can read
// the message.
func (hs *harness) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100_000 {
			hs.t.Fatal("the model never settles")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		done := make(chan tea.Msg, 1)
		go func() { done <- c() }()
		var msg tea.Msg
		select {
		case msg = <-done:
		case <-time.After(50 * time.Millisecond):
			continue
		}
		switch msg := msg.(type) {
		case nil, statusClearMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			_, next := hs.m.Update(msg)
			queue = append(queue, next)
		}
	}
}

func (hs *harness) send(msg tea.Msg) {
	_, cmd := hs.m.Update(msg)
	hs.run(cmd)
}

// keys presses each key in turn: "j", "enter", "space", "ctrl+a"...
func (hs *harness) keys(keys ...string) {
	for _, k := range keys {
		hs.send(keyPress(k))
	}
}

func (hs *harness) typeText(s string) {
	for _, r := range s {
		hs.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyPress(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	}
	if name, ok := strings.CutPrefix(k, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: rune(name[0]), Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// screen is the current frame without colours.
func (hs *harness) screen() string { return stripANSI(hs.m.render()) }

// Curation on the fake bucket: immediate, journal-less, but with the same outcomes.
type fakeBatch struct {
	action string
	prefix string
	undone bool
	keys   []string
	before map[string][]cosrules.Tag
	moved  map[string]cosapi.Object
}

func (f *fakeBackend) SetTags(_ context.Context, keys []string, set []cosrules.Tag, remove []string) (curation.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rep := curation.Report{Batch: f.newBatch("tag", keys), Action: "tag"}
	b := f.batches[len(f.batches)-1]
	for _, k := range keys {
		if _, ok := f.objects[k]; !ok {
			rep.Failed = append(rep.Failed, curation.KeyResult{Key: k, Err: &cosapi.Error{Kind: cosapi.KindNotFound, Op: "tag", Key: k}})
			continue
		}
		b.before[k] = f.tags[k]
		tags := slices.Clone(f.tags[k])
		for _, s := range set {
			if i := slices.IndexFunc(tags, func(t cosrules.Tag) bool { return t.Key == s.Key }); i >= 0 {
				tags[i] = s
			} else {
				tags = append(tags, s)
			}
		}
		tags = slices.DeleteFunc(tags, func(t cosrules.Tag) bool { return slices.Contains(remove, t.Key) })
		f.tags[k] = tags
		rep.Done = append(rep.Done, curation.KeyResult{Key: k})
	}
	return rep, nil
}

func (f *fakeBackend) Delete(_ context.Context, keys []string) (curation.Report, error) {
	return f.move(keys, "trash", ".trash/")
}

func (f *fakeBackend) Promote(_ context.Context, keys []string) (curation.Report, error) {
	return f.move(keys, "promote", "")
}

func (f *fakeBackend) move(keys []string, action, to string) (curation.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rep := curation.Report{Batch: f.newBatch(action, keys), Action: action}
	b := f.batches[len(f.batches)-1]
	for _, k := range keys {
		o, ok := f.objects[k]
		if !ok || f.fail[k] != nil && f.fail[k].Kind == cosapi.KindAuth {
			rep.Failed = append(rep.Failed, curation.KeyResult{Key: k, Err: &cosapi.Error{Kind: cosapi.KindAuth, Op: action, Key: k, Code: "AccessDenied", Message: "Access Denied."}})
			continue
		}
		if action == "trash" {
			b.moved[k] = o
			delete(f.objects, k)
			f.trash[".trash/"+k] = curation.TrashEntry{Key: ".trash/" + k, Original: k, Size: o.Size, Batch: rep.Batch, Trashed: epoch}
			f.trashed[".trash/"+k] = o
		}
		rep.Done = append(rep.Done, curation.KeyResult{Key: k, Dest: to + k})
	}
	return rep, nil
}

func (f *fakeBackend) UndoLast(_ context.Context) (curation.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.batches) - 1; i >= 0; i-- {
		if !f.batches[i].undone {
			return f.reverse(f.batches[i]), nil
		}
	}
	return curation.Report{Action: "undo"}, &cosapi.Error{Kind: cosapi.KindInvalid, Op: "undo", Message: "nothing to undo"}
}

func (f *fakeBackend) History() ([]curation.BatchInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []curation.BatchInfo
	for i, b := range f.batches {
		info := curation.BatchInfo{BatchSummary: journal.BatchSummary{ID: fmt.Sprintf("batch-%d", i), Action: b.action, Intents: len(b.keys),
			Done: len(b.keys), Complete: true, Undone: b.undone, Last: epoch.Add(time.Duration(i) * time.Minute)},
			Prefix: b.prefix, Mine: true}
		if b.undone {
			info.Undoable = errors.New("already undone")
		}
		out = append(out, info)
	}
	if f.interrupted {
		out = append(out, curation.BatchInfo{BatchSummary: journal.BatchSummary{ID: "batch-cut", Action: "trash", Intents: 10, Done: 4, Failed: 6, Last: epoch},
			Canceled: 5, Pending: 1, Interrupted: true, Mine: true})
	}
	out = append(out, f.history...)
	return out, nil
}

func (f *fakeBackend) Steps(batch string) ([]curation.StepInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, b := range f.batches {
		if fmt.Sprintf("batch-%d", i) != batch {
			continue
		}
		var out []curation.StepInfo
		for _, k := range b.keys {
			s := curation.StepInfo{Key: k, Phase: "done"}
			if o, ok := b.moved[k]; ok {
				s.Dest = ".trash/" + o.Key
			}
			if before, ok := b.before[k]; ok {
				s.TagsBefore, s.TagsAfter = before, f.tags[k]
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("no batch %s", batch)
}

// Undo reverses one batch, as UndoLast does the newest.
func (f *fakeBackend) Undo(_ context.Context, batch string) (curation.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.undoneIDs = append(f.undoneIDs, batch)
	for i, b := range f.batches {
		if fmt.Sprintf("batch-%d", i) == batch {
			return f.reverse(b), nil
		}
	}
	return curation.Report{Action: "undo"}, &cosapi.Error{Kind: cosapi.KindInvalid, Op: "undo", Message: "no batch " + batch}
}

func (f *fakeBackend) reverse(b *fakeBatch) curation.Report {
	rep := curation.Report{Batch: "undo", Action: "undo"}
	for k, tags := range b.before {
		f.tags[k] = tags
		rep.Done = append(rep.Done, curation.KeyResult{Key: k})
	}
	for k, o := range b.moved {
		f.objects[k] = o
		delete(f.trash, ".trash/"+k)
		rep.Done = append(rep.Done, curation.KeyResult{Key: k})
	}
	b.undone = true
	f.undone = append(f.undone, b.action)
	return rep
}

func (f *fakeBackend) Trash(context.Context) ([]curation.TrashEntry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []curation.TrashEntry
	for _, e := range f.trash {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

func (f *fakeBackend) Restore(_ context.Context, keys []string) (curation.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rep := curation.Report{Batch: f.newBatch("restore", keys), Action: "restore"}
	for _, k := range keys {
		e, ok := f.trash[k]
		if !ok {
			rep.Failed = append(rep.Failed, curation.KeyResult{Key: k, Err: &cosapi.Error{Kind: cosapi.KindNotFound, Op: "restore", Key: k}})
			continue
		}
		f.objects[e.Original] = f.trashed[k]
		delete(f.trash, k)
		rep.Done = append(rep.Done, curation.KeyResult{Key: k, Dest: e.Original})
	}
	return rep, nil
}

func (f *fakeBackend) EmptyTrash(_ context.Context, keys []string) (curation.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rep := curation.Report{Batch: f.newBatch("delete", keys), Action: "delete"}
	for _, k := range keys {
		delete(f.trash, k)
		rep.Done = append(rep.Done, curation.KeyResult{Key: k})
	}
	return rep, nil
}

func (f *fakeBackend) newBatch(action string, keys []string) string {
	prefix := ""
	if len(keys) > 0 {
		if i := strings.LastIndexByte(keys[0], '/'); i >= 0 {
			prefix = keys[0][:i+1]
		}
	}
	f.batches = append(f.batches, &fakeBatch{action: action, keys: keys, prefix: prefix, before: map[string][]cosrules.Tag{}, moved: map[string]cosapi.Object{}})
	return fmt.Sprintf("batch-%d", len(f.batches)-1)
}

func (f *fakeBackend) Resume(_ context.Context, batch string) (curation.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resumed = append(f.resumed, batch)
	f.interrupted = false
	return curation.Report{Batch: batch, Action: "trash"}, nil
}

func (f *fakeBackend) Preview(_ context.Context, key string, _ int, maxBytes int64) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if data, ok := f.images[key]; ok {
		return data, nil
	}
	return nil, &cosapi.Error{Kind: cosapi.KindNotFound, Op: "preview", Key: key}
}
