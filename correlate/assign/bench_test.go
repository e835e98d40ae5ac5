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
			_ = w.Solve(&res, p) // warm the workspace: steady state allocates nothing
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
			_ = w.Solve(&res, p)
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

// BenchmarkDecomposed runs the decomposed Solver with 1 and 2 workers on the geometric
// problems (one giant component at this density), on a sparser tracking-form problem
// (gate radius 0.7, many components) and on one shaped like the tracker's at 100,000
// targets (tracking-sparse: noise 0.05, gate radius 0.15, 10% of the detections
// missed; at n = 100,000 0.95 candidates per row, 95,617 components, 96% of them a
// single row; the tracker's have about 0.9 candidates per row, 83,000–99,000
// components, 84–99% of them a single row).
func BenchmarkDecomposed(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		probs := []struct {
			name string
			p    *Sparse
		}{
			{"plain", geometric(1, n, 0.3, 2)},
			{"tracking-gate0.7", withTracking(geometric(1, n, 0.3, 0.7), 0.5, 0.5)},
			{"tracking-sparse", withTracking(dropColumns(rand.New(rand.NewPCG(1, 2)), geometric(1, n, 0.05, 0.15), 0.1), 9, 9)},
		}
		for _, pc := range probs {
			for _, workers := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/n=%d/workers=%d", pc.name, n, workers), func(b *testing.B) {
					s, err := NewSolver(Config{Workers: workers})
					if err != nil {
						b.Fatal(err)
					}
					defer s.Close()
					var res Result
					_ = s.Solve(&res, pc.p)
					b.ReportAllocs()
					for b.Loop() {
						if err := s.Solve(&res, pc.p); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(s.Components()), "components")
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
				})
			}
		}
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
			_ = w.Dense(&res, n, n, c, Minimize)
			b.ReportAllocs()
			for b.Loop() {
				if err := w.Dense(&res, n, n, c, Minimize); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkKBest(b *testing.B) {
	gated := withTracking(geometric(9, 50, 0.3, 2), 4, 4)
	r := rand.New(rand.NewPCG(9, 9))
	full := &Sparse{Rows: 50, Cols: 50, Start: make([]int32, 51)}
	for i := 0; i < 50; i++ {
		for j := 0; j < 50; j++ {
			full.Col = append(full.Col, int32(j))
			full.Cost = append(full.Cost, r.Float64())
		}
		full.Start[i+1] = int32(len(full.Col))
	}
	for _, c := range []struct {
		name string
		p    *Sparse
	}{{"gated-tracking-50x50/k=100", gated}, {"dense-50x50/k=100", full}} {
		b.Run(c.name, func(b *testing.B) {
			var w Workspace
			var out []Ranked
			var err error
			out, _ = w.KBest(out, c.p, 100)
			b.ReportAllocs()
			for b.Loop() {
				if out, err = w.KBest(out, c.p, 100); err != nil || len(out) != 100 {
					b.Fatal(err, len(out))
				}
			}
		})
	}
}
