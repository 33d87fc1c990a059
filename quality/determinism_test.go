package quality

import (
	"sync"
	"testing"
)

func TestSameBytesSameAnswer(t *testing.T) {
	data := sceneJPEG(11, 640, 480, 88)
	first := mustAssess(t, data)
	var wg sync.WaitGroup
	results := make([]Result, 6)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = Assess(data)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r != first {
			t.Fatalf("run %d: %+v, first run %+v", i, r, first)
		}
	}
}
