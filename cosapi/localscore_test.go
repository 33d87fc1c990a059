package cosapi

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"lightbox/internal/testcos"
	"lightbox/score"
)

func TestLocalScorerDownloadsScoresAndCachesApart(t *testing.T) {
	files := map[string][]byte{"a.jpg": testcos.JPEGish(1234), "big.jpg": testcos.JPEGish(5000), "odd.gif": []byte("GIF89a")}
	var ran atomic.Int64
	var got []byte
	local := func(_ context.Context, data []byte) (score.Scores, error) {
		ran.Add(1)
		if data[0] != 0xFF {
			return score.Scores{}, errors.New("not a JPEG")
		}
		got = data
		return score.Scores{ClarityScore: 42, AestheticScore: 7}, nil
	}
	api := newFixture(t, files, nil)
	a, _ := api.client.Head(t.Context(), "a.jpg")
	if _, err := api.client.Assess(t.Context(), a, AssessOptions{}); err != nil { // an API score in the shared cache
		t.Fatal(err)
	}
	// A second client on the same bucket and cache, scoring locally.
	opt := api.client.opt
	opt.Credentials = api.served.Credentials
	opt.LocalScore, opt.MaxLocalBytes = local, 4096
	c, err := Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f := &fixture{t: t, client: c}
	before := api.scored.Load()
	res, err := f.client.Assess(t.Context(), a, AssessOptions{})
	if err != nil || res.Cached || res.ClarityScore != 42 || string(got) != string(files["a.jpg"]) {
		t.Fatalf("local score: %+v %v (the API's cached score must not answer for the local scorer)", res, err)
	}
	again, err := f.client.Assess(t.Context(), a, AssessOptions{})
	if err != nil || !again.Cached || again.ClarityScore != 42 || ran.Load() != 1 {
		t.Errorf("repeat: %+v %v, scorer ran %d times", again, err, ran.Load())
	}
	big, _ := f.client.Head(t.Context(), "big.jpg")
	if _, err := f.client.Assess(t.Context(), big, AssessOptions{}); KindOf(err) != KindUnsupported || ran.Load() != 1 {
		t.Errorf("over MaxLocalBytes: %v", err)
	}
	// The object grew past the limit after it was listed.
	if _, err := f.client.Assess(t.Context(), Object{Key: "big.jpg", ETag: big.ETag, Size: 10}, AssessOptions{}); KindOf(err) != KindUnsupported || ran.Load() != 1 {
		t.Errorf("grown past MaxLocalBytes: %v", err)
	}
	gif, _ := f.client.Head(t.Context(), "odd.gif")
	for range 2 {
		if _, err := f.client.Assess(t.Context(), gif, AssessOptions{}); KindOf(err) != KindUnsupported {
			t.Errorf("gif: %v", err)
		}
	}
	if ran.Load() != 2 {
		t.Errorf("an unscorable image is cached too: scorer ran %d times", ran.Load())
	}
	st := f.client.Stats()
	if st.Calls != 0 || st.Scorer != "local" || api.scored.Load() != before {
		t.Errorf("no AssessQuality call may be made: %+v, server scored %d more", st, api.scored.Load()-before)
	}
	// The API client still reads its own score.
	if r, err := api.client.Assess(t.Context(), a, AssessOptions{}); err != nil || !r.Cached || r.ClarityScore == 42 {
		t.Errorf("API score after local: %+v %v", r, err)
	}
}

func TestStatsNameTheScorer(t *testing.T) {
	f := newFixture(t, map[string][]byte{"a.jpg": testcos.JPEGish(10)}, nil)
	if s := f.client.Stats().Scorer; s != "local" {
		t.Errorf("a folder is scored on this machine: %q", s)
	}
	opt := f.client.opt
	opt.Target.Local = "" // the same endpoint, as a bucket
	c, err := Open(opt)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if s := c.Stats().Scorer; s != "cos" {
		t.Errorf("a bucket is scored by AssessQuality: %q", s)
	}
}
