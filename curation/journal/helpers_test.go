package journal

import (
	"fmt"
	"path/filepath"
	"testing"
)

func tempPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "state", "lightbox", "journal.log")
}

func open(t testing.TB, path string) *Journal {
	t.Helper()
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	return j
}

func intent(batch, action string, i int) Record {
	return Record{
		Batch: batch, Action: action, Phase: PhaseIntent,
		Endpoint: "http://127.0.0.1:7070", Bucket: "photos-1250000000", Key: fmt.Sprintf("img/%03d.jpg", i),
	}
}

func mustAppend(t testing.TB, j *Journal, r Record) Record {
	t.Helper()
	out, err := j.Append(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustRecords(t testing.TB, j *Journal) []Record {
	t.Helper()
	rs, err := j.Records()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func mustBatch(t testing.TB, j *Journal, id string) BatchSummary {
	t.Helper()
	bs, err := j.Batches()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.ID == id {
			return b
		}
	}
	t.Fatalf("no batch %s in %+v", id, bs)
	return BatchSummary{}
}

// checkSeqs fails unless the records are numbered 1, 2, 3... in file order.
func checkSeqs(t testing.TB, rs []Record) {
	t.Helper()
	for i, r := range rs {
		if r.Seq != int64(i+1) {
			t.Fatalf("record %d has Seq %d", i, r.Seq)
		}
	}
}
