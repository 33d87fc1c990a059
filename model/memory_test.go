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
	_, per := memoryPerItem()
	t.Logf("%.0f bytes per item beyond the names", per)
	if per > 1024 {
		t.Errorf("%.0f bytes per item", per)
	}
}

// memoryPerItem is what 100,000 listed, scored and sorted items cost on the heap, in bytes
// per item, with and without the key strings (which the listing owns anyway).
func memoryPerItem() (all, beyondNames float64) {
	before := heap()
	l := bigList(benchN, 6)
	l.SetSort(SortClarity, true)
	after := heap()
	keyBytes := 0
	for _, it := range l.all {
		keyBytes += len(it.Key)
	}
	runtime.KeepAlive(l)
	return float64(after-before) / benchN, float64(after-before-uint64(keyBytes)) / benchN
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
