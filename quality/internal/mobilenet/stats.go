package mobilenet

import "math"

// tapStats accumulates per-channel sums of a tap while its layer writes it, strip by
// strip, so the statistics cost no second pass over a large activation. Sums are
// float64: ReLU6 outputs lie in [0, 6], so sum of squares minus squared mean loses
// nothing that matters at float32 output precision.
type tapStats struct {
	sum, sumSq []float64
}

func (s *tapStats) reset() {
	clear(s.sum)
	clear(s.sumSq)
}

// add accumulates rows of len(s.sum) channels each.
func (s *tapStats) add(rows []float32) {
	c := len(s.sum)
	sum, sq := s.sum[:c], s.sumSq[:c]
	for len(rows) >= c {
		r := rows[:c]
		if addStats(sum, sq, r) {
			rows = rows[c:]
			continue
		}
		for k, v := range r {
			x := float64(v)
			sum[k] += x
			sq[k] += x * x
		}
		rows = rows[c:]
	}
}

// finish writes the population mean and standard deviation over n positions.
func (s *tapStats) finish(mean, std []float32, n int) {
	inv := 1 / float64(n)
	for k := range s.sum {
		m := s.sum[k] * inv
		v := max(s.sumSq[k]*inv-m*m, 0)
		mean[k] = float32(m)
		std[k] = float32(math.Sqrt(v))
	}
}
