package scorecache

import (
	"fmt"
	"testing"

	"lightbox/internal/testproc"
)

const helperPuts = 40

func childKey(id, i int) Key {
	k := key(id*1000+i, `"etag-final"`)
	k.Bucket = fmt.Sprintf("bucket-%d", id)
	return k
}

// TestHelperProcess is the body of a child of TestMultiProcess, not a test. Each child scores
// its own objects, first under a stale ETag then the final one (so records are superseded),
// singly and in batches; child 0 compacts along the way.
func TestHelperProcess(t *testing.T) {
	id, path, ok := testproc.Child(t.Name())
	if !ok {
		t.Skip("child process body for TestMultiProcess")
	}
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 0; i < helperPuts; i++ {
		k := childKey(id, i)
		stale := k
		stale.ETag = `"etag-stale"`
		if err := c.Put(stale, []byte(`{"stale":true}`)); err != nil {
			t.Fatal(err)
		}
		if i%4 == 0 {
			if err := c.PutMany(map[Key][]byte{k: score(i)}); err != nil {
				t.Fatal(err)
			}
		} else if err := c.Put(k, score(i)); err != nil {
			t.Fatal(err)
		}
		if id == 0 && i%8 == 7 {
			if err := c.Compact(); err != nil {
				t.Fatal(err)
			}
		}
		if _, ok := c.Get(k); !ok {
			t.Fatalf("own put %v missing", k)
		}
	}
}

func TestMultiProcess(t *testing.T) {
	if testproc.InChild() {
		t.Skip("in a child")
	}
	path := tempPath(t)
	watcher := open(t, path) // a running lightbox that sees the others' scores arrive
	const children = 3
	testproc.Run(t, "TestHelperProcess", children, path)
	for _, c := range []*Cache{watcher, open(t, path)} {
		for id := range children {
			for i := range helperPuts {
				mustGet(t, c, childKey(id, i), score(i))
			}
		}
		if c.Len() != children*helperPuts || c.Skipped() != 0 {
			t.Fatalf("Len %d Skipped %d", c.Len(), c.Skipped())
		}
	}
}
