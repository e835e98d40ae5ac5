package assign

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func BenchmarkSparseGeometric(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		p := geometric(1, n, 0.3, 2)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var w Workspace
			var res Result
			b.ReportAllocs()
			b.ReportMetric(float64(len(p.Col))/float64(n), "cand/row")
			for b.Loop() {
				if err := w.Solve(&res, p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
		})
	}
}

func BenchmarkTrackingGeometric(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		p := withTracking(geometric(1, n, 0.3, 2), 9, 9)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var w Workspace
			var res Result
			b.ReportAllocs()
			for b.Loop() {
				if err := w.Solve(&res, p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
		})
	}
}

func BenchmarkDense(b *testing.B) {
	for _, n := range []int{100, 1000, 2000} {
		r := rand.New(rand.NewPCG(5, uint64(n)))
		c := make([]float64, n*n)
		for i := range c {
			c[i] = r.Float64()
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var w Workspace
			var res Result
			b.ReportAllocs()
			for b.Loop() {
				if err := w.Dense(&res, n, n, c, Minimize); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
