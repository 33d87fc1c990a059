package scorecache

import (
	"testing"
)

func BenchmarkGetHit(b *testing.B) {
	c := open(b, tempPath(b))
	m := map[Key][]byte{}
	for i := range 10_000 {
		m[key(i, `"bench"`)] = score(i)
	}
	if err := c.PutMany(m); err != nil {
		b.Fatal(err)
	}
	k := key(1234, `"bench"`)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, ok := c.Get(k); !ok {
				b.Fatal("miss")
			}
		}
	})
}

func BenchmarkGetMiss(b *testing.B) {
	c := open(b, tempPath(b))
	if err := c.Put(key(1, `"bench"`), score(1)); err != nil {
		b.Fatal(err)
	}
	k := key(2, `"bench"`)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := c.Get(k); ok {
			b.Fatal("hit")
		}
	}
}

// BenchmarkPut is bound by fsync: every Put is durable before it returns.
func BenchmarkPut(b *testing.B) {
	c := open(b, tempPath(b))
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Put(key(i, `"bench"`), score(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPutMany100 shares one write and one fsync among 100 scores.
func BenchmarkPutMany100(b *testing.B) {
	c := open(b, tempPath(b))
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		m := make(map[Key][]byte, 100)
		for range 100 {
			m[key(n, `"bench"`)] = score(n)
			n++
		}
		if err := c.PutMany(m); err != nil {
			b.Fatal(err)
		}
	}
}
