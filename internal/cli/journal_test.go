package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/curation"
	"lightbox/curation/journal"
	"lightbox/internal/localtarget"
	"lightbox/internal/testcos"
	"lightbox/localcos"
)

// batchFolder is a folder of n photos and a way to run curation batches on it in this
// process, journaled where the commands will look (the default journal under XDG_STATE_HOME).
type batchFolder struct {
	t     *testing.T
	dir   string
	files map[string][]byte
}

func newBatchFolder(t *testing.T, n int) *batchFolder {
	t.Helper()
	isolate(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	files := map[string][]byte{}
	for i := range n {
		files[fmt.Sprintf("shoot/%02d.jpg", i)] = append(testcos.JPEGish(50), fmt.Sprint(i)...)
	}
	return &batchFolder{t: t, dir: testcos.Folder(t, files), files: files}
}

// run opens the folder as the reviewer would, runs fn on its engine, and closes it all.
func (b *batchFolder) run(fn func(ctx context.Context, e *curation.Engine) (curation.Report, error)) (curation.Report, error) {
	return b.runVia(nil, fn)
}

// cancelAtCopy cancels cancel as the nth copy request is sent.
type cancelAtCopy struct {
	n      int
	cancel context.CancelFunc
	base   http.RoundTripper
}

func (c *cancelAtCopy) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("x-cos-copy-source") != "" {
		if c.n--; c.n == 0 {
			c.cancel()
		}
	}
	return c.base.RoundTrip(r)
}

func (b *batchFolder) runVia(transport http.RoundTripper, fn func(ctx context.Context, e *curation.Engine) (curation.Report, error)) (curation.Report, error) {
	b.t.Helper()
	p, err := journal.DefaultPath()
	if err != nil {
		b.t.Fatal(err)
	}
	j, err := journal.Open(p)
	if err != nil {
		b.t.Fatal(err)
	}
	defer j.Close()
	served, err := localtarget.Start(config.Target{Local: b.dir}, localcos.LimitsLocal, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	defer served.Close()
	c, err := cosapi.Open(cosapi.Options{Target: served.Target, Credentials: served.Credentials, Identity: served.Identity,
		Scoring: config.Scoring{Concurrency: 1, QPS: 1000, Timeout: 10 * time.Second}, Transport: transport})
	if err != nil {
		b.t.Fatal(err)
	}
	defer c.Close()
	return fn(context.Background(), curation.New(c, j, config.Curation{}))
}

// interruptedTrash soft-deletes keys and cancels after the first key is accounted for.
func (b *batchFolder) interruptedTrash(keys []string) string {
	b.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	via := &cancelAtCopy{n: 3, cancel: cancel, base: http.DefaultTransport.(*http.Transport).Clone()}
	rep, err := b.runVia(via, func(_ context.Context, e *curation.Engine) (curation.Report, error) {
		return e.Delete(ctx, keys)
	})
	if cosapi.KindOf(err) != cosapi.KindCanceled || rep.Batch == "" {
		b.t.Fatalf("want a cancelled batch: %v %+v", err, rep)
	}
	if len(b.onDisk(".trash/")) == 0 {
		b.t.Fatal("nothing reached the trash before the cancel")
	}
	return rep.Batch
}

// onDisk lists the files under the folder's prefix, as keys.
func (b *batchFolder) onDisk(prefix string) []string {
	var out []string
	root := filepath.Join(b.dir, filepath.FromSlash(prefix))
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, ".lightbox-cos") {
			rel, _ := filepath.Rel(b.dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func (b *batchFolder) intact(keys []string) {
	b.t.Helper()
	for _, k := range keys {
		got, err := os.ReadFile(filepath.Join(b.dir, filepath.FromSlash(k)))
		if err != nil || !bytes.Equal(got, b.files[k]) {
			b.t.Errorf("%s not as it was: %v", k, err)
		}
	}
}

func journalRows(t *testing.T, args ...string) map[string]batchRow {
	t.Helper()
	code, out, errb := runCLI(append([]string{"journal", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("journal: exit %d: %s", code, errb)
	}
	rows := map[string]batchRow{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var r batchRow
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		rows[r.ID] = r
	}
	return rows
}

func TestJournalUndoAndResumeFromTheCommandLine(t *testing.T) {
	b := newBatchFolder(t, 12)
	keys := make([]string, 0, 12)
	for i := range 12 {
		keys = append(keys, fmt.Sprintf("shoot/%02d.jpg", i))
	}
	rolled := b.interruptedTrash(keys[:6])
	resumed := b.interruptedTrash(keys[6:])
	other := newBatchFolderIn(t, b) // a batch on another folder, same journal
	otherID := other.interruptedTrash([]string{"shoot/00.jpg", "shoot/01.jpg", "shoot/02.jpg"})

	rows := journalRows(t, b.dir)
	if len(rows) != 2 || rows[otherID].ID != "" {
		t.Fatalf("the journal of %s lists %d batches: %+v", b.dir, len(rows), rows)
	}
	r := rows[rolled]
	if r.State != "interrupted" || r.Canceled == 0 || r.Action != "trash" || r.Prefix != "shoot/" || !r.Undoable {
		t.Errorf("interrupted batch: %+v", r)
	}
	if all := journalRows(t, "--all"); len(all) != 3 {
		t.Errorf("--all: %d batches", len(all))
	}
	code, out, errb := runCLI("journal", b.dir)
	if code != 0 || !strings.Contains(out, rolled) || !strings.Contains(out, "interrupted") || !strings.Contains(out, "CANCELED") {
		t.Errorf("text: exit %d\n%s%s", code, out, errb)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	idAt := strings.Index(lines[0], "ID")
	for _, l := range lines[1:] {
		if i := max(strings.Index(l, rolled), strings.Index(l, resumed)); i != idAt {
			t.Errorf("id misaligned (column at %d, id at %d):\n%s", idAt, i, out)
		}
	}
	code, out, _ = runCLI("journal", "show", rolled)
	if code != 0 || !strings.Contains(out, "canceled") || !strings.Contains(out, ".trash/shoot/00.jpg") {
		t.Errorf("show: exit %d\n%s", code, out)
	}

	// Undo rolls the first back: no copy left in the trash, every original in place.
	code, out, errb = runCLI("undo", rolled)
	if code != 0 || !strings.Contains(out, "undone") {
		t.Fatalf("undo: exit %d\n%s%s", code, out, errb)
	}
	for _, k := range b.onDisk(".trash/") {
		if strings.Compare(k, ".trash/shoot/06.jpg") < 0 {
			t.Errorf("left in the trash by the rollback: %s", k)
		}
	}
	b.intact(keys[:6])
	// Resume finishes the second: all in the trash, none left behind.
	code, out, errb = runCLI("resume", resumed)
	if code != 0 {
		t.Fatalf("resume: exit %d\n%s%s", code, out, errb)
	}
	if got := b.onDisk(".trash/"); len(got) != 6 {
		t.Errorf("trash after resume: %q", got)
	}
	if got := b.onDisk("shoot/"); len(got) != 6 {
		t.Errorf("originals after resume: %q", got)
	}
	rows = journalRows(t, b.dir)
	if rows[rolled].State != "undone" || rows[resumed].State != "complete" || rows[resumed].Done != 6 {
		t.Errorf("after: %+v / %+v", rows[rolled], rows[resumed])
	}
	// The journal on disk says so to a fresh reader too.
	p, _ := journal.DefaultPath()
	j, err := journal.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	sums, _ := j.Batches()
	undos := 0
	for _, s := range sums {
		if s.Undoes == rolled && s.Complete && s.Failed == 0 {
			undos++
		}
	}
	if undos != 1 {
		t.Errorf("%d complete undos of %s in %s", undos, rolled, p)
	}

	if code, _, _ := runCLI("undo", rolled); code != exitFailed {
		t.Errorf("undoing twice: exit %d", code)
	}
	if code, _, errb := runCLI("undo", "no-such-batch"); code != exitFailed || !strings.Contains(errb, "no batch") {
		t.Errorf("unknown batch: exit %d %s", code, errb)
	}
	if code, _, _ := runCLI("undo"); code != exitUsage {
		t.Errorf("undo without a batch: exit %d", code)
	}
	if code, _, _ := runCLI("journal", "--format", "xml", b.dir); code != exitUsage {
		t.Errorf("bad format: exit %d", code)
	}
}

// newBatchFolderIn is another folder sharing b's journal.
func newBatchFolderIn(t *testing.T, b *batchFolder) *batchFolder {
	files := map[string][]byte{}
	for k, v := range b.files {
		files[k] = v
	}
	return &batchFolder{t: t, dir: testcos.Folder(t, files), files: files}
}

func TestTrashFromTheCommandLine(t *testing.T) {
	b := newBatchFolder(t, 4)
	keys := []string{"shoot/00.jpg", "shoot/01.jpg", "shoot/02.jpg"}
	rep, err := b.run(func(ctx context.Context, e *curation.Engine) (curation.Report, error) { return e.Delete(ctx, keys) })
	if err != nil || len(rep.Done) != 3 {
		t.Fatal(err, rep.Summary())
	}
	code, out, errb := runCLI("trash", b.dir)
	if code != 0 || strings.Count(out, rep.Batch) != 3 || !strings.Contains(out, "shoot/01.jpg") {
		t.Fatalf("list: exit %d\n%s%s", code, out, errb)
	}
	code, out, _ = runCLI("trash", b.dir, "list", "--format", "json")
	if code != 0 || strings.Count(out, `"original":"shoot/`) != 3 {
		t.Errorf("json: %s", out)
	}
	// Restore by original key and by trash key; something new at 02 is not clobbered.
	if err := os.WriteFile(filepath.Join(b.dir, "shoot", "02.jpg"), []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errb = runCLI("trash", b.dir, "restore", "shoot/00.jpg", ".trash/shoot/02.jpg")
	if code != exitFailed || !strings.Contains(errb, "another object") || !strings.Contains(out, "restored 1") {
		t.Errorf("restore: exit %d\n%s%s", code, out, errb)
	}
	b.intact([]string{"shoot/00.jpg"})
	if got, _ := os.ReadFile(filepath.Join(b.dir, "shoot", "02.jpg")); string(got) != "new" {
		t.Error("shoot/02.jpg clobbered")
	}
	for _, bad := range [][]string{{"trash", b.dir, "empty"}, {"trash", b.dir, "restore"}, {"trash", b.dir, "burn"}, {"trash"}} {
		if code, _, _ := runCLI(bad...); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", bad, code, exitUsage)
		}
	}
	if len(b.onDisk(".trash/")) != 2 {
		t.Fatalf("refused commands changed the trash: %q", b.onDisk(".trash/"))
	}
	code, out, errb = runCLI("trash", b.dir, "restore", "--all")
	if code != exitFailed || !strings.Contains(out, "restored 1, failed 1") || !strings.Contains(errb, "shoot/02.jpg") {
		t.Errorf("restore --all: exit %d\n%s%s", code, out, errb)
	}
	b.intact([]string{"shoot/01.jpg"})
	code, out, errb = runCLI("trash", b.dir, "empty", "--yes")
	if code != 0 || !strings.Contains(out, "deleted 1") {
		t.Errorf("empty: exit %d\n%s%s", code, out, errb)
	}
	if got := b.onDisk(".trash/"); len(got) != 0 {
		t.Errorf("trash after empty: %q", got)
	}
	rows := journalRows(t, b.dir)
	var actions []string
	for _, r := range rows {
		actions = append(actions, r.Action+":"+r.State)
	}
	for _, want := range []string{"trash:complete", "restore:failed", "delete:complete"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("journal lacks %s: %v", want, actions)
		}
	}
	if code, out, errb := runCLI("trash", b.dir, "restore", "--all"); code != 0 || out != "" || !strings.Contains(errb, "the trash is empty") {
		t.Errorf("restore --all on an empty trash: exit %d %q %q", code, out, errb)
	}
}
