package correlate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/trackcorr/trackcorr/correlate/assign"
)

var jpdaBenchProblems = map[int]*assign.Sparse{}

func jpdaBenchProblem(n int) *assign.Sparse {
	if p, ok := jpdaBenchProblems[n]; ok {
		return p
	}
	p := trackerProblem(1, n, 100)
	jpdaBenchProblems[n] = p
	return p
}

// BenchmarkJPDA runs JPDA and GNN (NewGNN(1)) side by side on the tracker-like
// problems of trackerProblem (10,000 m² per target, σ = 2 m, Pd 0.9, clutter 10 % of
// the targets, gate χ²₂ 0.99), one worker, after a first call of the same size.
func BenchmarkJPDA(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		p := jpdaBenchProblem(n)
		b.Run(fmt.Sprintf("JPDA/n=%d", n), func(b *testing.B) { benchJPDA(b, p, n) })
		b.Run(fmt.Sprintf("GNN/n=%d", n), func(b *testing.B) { benchGNN(b, p, n) })
	}
}

// BenchmarkJPDACrowded is BenchmarkJPDA at 1,000 targets packed closer (spacing 30,
// 15 and 10 m instead of 100 m), where clusters of tens to hundreds of rows appear and
// the approximations take over; GNN beside it.
func BenchmarkJPDACrowded(b *testing.B) {
	for _, sp := range []float64{30, 15, 10} {
		p := trackerProblem(1, 1000, sp)
		b.Run(fmt.Sprintf("JPDA/spacing=%g", sp), func(b *testing.B) { benchJPDA(b, p, 1000) })
		b.Run(fmt.Sprintf("GNN/spacing=%g", sp), func(b *testing.B) { benchGNN(b, p, 1000) })
	}
}

// benchAssoc times a's Associate on p (n tracks) after a first call.
func benchAssoc(b *testing.B, a Associator, p *assign.Sparse, n int) {
	w := make([]float64, len(p.Col))
	if err := a.Associate(w, p); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Associate(w, p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/track")
	b.ReportMetric(float64(len(p.Col))/float64(n), "cand/track")
}

func benchJPDA(b *testing.B, p *assign.Sparse, n int) {
	j, err := NewJPDA(JPDAConfig{})
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	benchAssoc(b, j, p, n)
	b.ReportMetric(float64(j.Clusters), "clusters")
	b.ReportMetric(float64(j.Largest), "largest")
	b.ReportMetric(float64(j.Approximate), "approx")
	b.ReportMetric(float64(j.Propagated), "bp")
}

func benchGNN(b *testing.B, p *assign.Sparse, n int) {
	g, err := NewGNN(1)
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	benchAssoc(b, g, p, n)
	b.ReportMetric(float64(g.Components), "clusters")
}

// denseCluster is one fully gated cluster of rows×cols with random costs.
func denseCluster(seed uint64, rows, cols int) *assign.Sparse {
	r := rand.New(rand.NewPCG(seed, 13))
	p := &assign.Sparse{Rows: rows, Cols: cols, Start: make([]int32, rows+1),
		Miss: make([]float64, rows), New: make([]float64, cols)}
	for i := 0; i < rows; i++ {
		p.Miss[i] = 2 + 2*r.Float64()
		for c := 0; c < cols; c++ {
			p.Col = append(p.Col, int32(c))
			p.Cost = append(p.Cost, 4*r.Float64())
		}
		p.Start[i+1] = int32(len(p.Col))
	}
	for c := range p.New {
		p.New[c] = 3 + 2*r.Float64()
	}
	return p
}

// jointEvents returns the number of joint events of a fully gated rows×cols cluster:
// Σ_k C(rows, k)·cols!/(cols−k)!.
func jointEvents(rows, cols int) float64 {
	s := 0.0
	for k := 0; k <= min(rows, cols); k++ {
		c := 1.0
		for x := 0; x < k; x++ {
			c *= float64(rows-x) / float64(x+1) * float64(cols-x)
		}
		s += c
	}
	return s
}

// bruteSum enumerates every joint event of a problem without duplicates or forbidden
// candidates and accumulates the marginals into w, in linear space (costs of moderate
// range only): the reference of BenchmarkJPDADense.
func bruteSum(w []float64, p *assign.Sparse) {
	used := make([]bool, p.Cols)
	arcs := make([]int32, 0, p.Rows)
	clear(w)
	z := 0.0
	var rec func(i int, x float64)
	rec = func(i int, x float64) {
		if i == p.Rows {
			for c := range used {
				if !used[c] {
					x *= math.Exp(-p.New[c])
				}
			}
			z += x
			for _, k := range arcs {
				w[k] += x
			}
			return
		}
		rec(i+1, x*math.Exp(-p.Miss[i]))
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			c := p.Col[k]
			if used[c] {
				continue
			}
			used[c] = true
			arcs = append(arcs, k)
			rec(i+1, x*math.Exp(-p.Cost[k]))
			arcs = arcs[:len(arcs)-1]
			used[c] = false
		}
	}
	rec(0, 1)
	for k := range w {
		w[k] /= z
	}
}

// BenchmarkJPDADense solves one fully gated cluster exactly on the hypothesis net,
// by the k-best approximation (K = 100), by belief propagation and, at 8×10, by
// brute-force enumeration of
// its joint events (the "events" metric; 12×14 has 6.9e11 and is not enumerated).
func BenchmarkJPDADense(b *testing.B) {
	for _, sz := range [][2]int{{8, 10}, {12, 14}} {
		rows, cols := sz[0], sz[1]
		p := denseCluster(1, rows, cols)
		w := make([]float64, len(p.Col))
		name := fmt.Sprintf("%dx%d", rows, cols)
		for _, mode := range []struct {
			name string
			cfg  JPDAConfig
		}{{"exact", JPDAConfig{MaxExact: 1 << 22}}, {"kbest100", JPDAConfig{MaxExact: 1}}, {"bp", JPDAConfig{MaxExact: 1, KBestRows: 1}}} {
			b.Run(name+"/"+mode.name, func(b *testing.B) {
				j, err := NewJPDA(mode.cfg)
				if err != nil {
					b.Fatal(err)
				}
				defer j.Close()
				if err := j.Associate(w, p); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := j.Associate(w, p); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(jointEvents(rows, cols), "events")
				if mode.name == "exact" {
					b.ReportMetric(float64(len(j.ws[0].key)), "nodes")
					b.ReportMetric(float64(len(j.ws[0].edges)), "edges")
				}
			})
		}
		if rows <= 8 {
			b.Run(name+"/brute", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					bruteSum(w, p)
				}
				b.ReportMetric(jointEvents(rows, cols), "events")
			})
		}
	}
}
