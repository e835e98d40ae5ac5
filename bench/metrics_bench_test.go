package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// benchFrame returns n truths at constant density (10,000 m² each) and n estimates near
// them (σ = 2 m), 5% of them replaced by false estimates.
func benchFrame(n int) (truth, est []Point) {
	rng := rand.New(rand.NewPCG(uint64(n), 1))
	side := math.Sqrt(float64(n) * 10_000)
	truth = make([]Point, n)
	est = make([]Point, n)
	for i := range truth {
		truth[i] = Point{ID: int64(i), X: rng.Float64() * side, Y: rng.Float64() * side}
		est[i] = Point{ID: int64(i), X: truth[i].X + 2*rng.NormFloat64(), Y: truth[i].Y + 2*rng.NormFloat64()}
		if rng.IntN(20) == 0 {
			est[i].X, est[i].Y = rng.Float64()*side, rng.Float64()*side
		}
	}
	return truth, est
}

// GOSPA of n estimates against n truths; the target is under 100 ms at n = 100,000 on one
// core (Stone Soup: about 12 s at n = 1,000 on this machine class).
func BenchmarkGOSPA(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			truth, est := benchFrame(n)
			s, err := NewScorer(GOSPAConfig{C: 10, P: 2})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.GOSPA(truth, est); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/object")
		})
	}
}

// One CLEAR MOT / identity frame of n objects.
func BenchmarkMOTFrame(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			truth, est := benchFrame(n)
			m, err := NewMOT(MOTConfig{Threshold: 10})
			if err != nil {
				b.Fatal(err)
			}
			defer m.Close()
			b.ReportAllocs()
			for b.Loop() {
				if err := m.Add(truth, est); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/object")
		})
	}
}
