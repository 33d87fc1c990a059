package model

import (
	"runtime"
	"testing"
)

// The brief: under 1 KB per item beyond the names, with 100,000 items.
func TestMemoryPerItem(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 100,000 items")
	}
	before := heap()
	l := bigList(benchN, 6)
	l.SetSort(SortClarity, true)
	after := heap()
	keyBytes := 0
	for _, it := range l.all {
		keyBytes += len(it.Key)
	}
	per := float64(after-before-uint64(keyBytes)) / benchN
	t.Logf("%.0f bytes per item beyond the names", per)
	if per > 1024 {
		t.Errorf("%.0f bytes per item", per)
	}
	runtime.KeepAlive(l)
}
