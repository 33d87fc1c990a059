package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestConcurrentMutations hammers a few keys from many goroutines; every
// Open must see bytes that match its Object (size, MD5 == ETag, CRC).
func TestConcurrentMutations(t *testing.T) {
	s, dir := newTestStore(t)
	keys := []string{"d/k1", "d/k2", "k3", "d/e/k4"}
	ctx := context.Background()
	const workers, ops = 8, 60
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for i := range ops {
				if err := randomOp(ctx, s, rng, keys, fmt.Sprintf("w%d-%d", w, i)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for _, k := range keys {
		if err := checkOpen(s, k); err != nil {
			t.Fatal(err)
		}
	}
	if tmp := tmpEntries(t, dir); len(tmp) != 0 {
		t.Fatalf("tmp holds %v", tmp)
	}
}

func randomOp(ctx context.Context, s *Store, rng *rand.Rand, keys []string, tag string) error {
	key := keys[rng.IntN(len(keys))]
	var err error
	switch rng.IntN(7) {
	case 0, 1:
		data := make([]byte, rng.IntN(64<<10))
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		_, err = s.Put(ctx, key, bytes.NewReader(data), PutOptions{Tags: []Tag{{"by", tag}}})
	case 2:
		_, err = s.Copy(ctx, keys[rng.IntN(len(keys))], key, CopyOptions{})
	case 3:
		err = s.Delete(key)
	case 4:
		_, err = s.Update(key, func(o *Object) error { o.Tags = append(o.Tags, Tag{"u", tag}); return nil })
	case 5:
		err = checkOpen(s, key)
	case 6:
		var page ListPage
		page, err = s.List(ctx, ListOptions{Delimiter: []string{"", "/"}[rng.IntN(2)], MaxKeys: 1000})
		for _, o := range page.Objects {
			if CheckKey(o.Key) != nil || o.Size < 0 {
				return fmt.Errorf("List returned %+v", o)
			}
		}
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%s on %s: %w", tag, key, err)
	}
	return nil
}

func checkOpen(s *Store, key string) error {
	f, o, err := s.Open(key)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	if int64(len(data)) != o.Size || md5ETag(data) != o.ETag || o.Placed || !o.HasCRC || crcOf(data) != o.CRC64 {
		return fmt.Errorf("Open(%s) read %d bytes with MD5 %s, CRC %x, but the Object says %+v",
			key, len(data), md5ETag(data), crcOf(data), o)
	}
	return nil
}
