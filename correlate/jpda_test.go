package correlate

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/correlate/assign"
)

// bruteEvents enumerates every joint event of p (tracking form): each row missed or on
// one of its distinct finite candidate columns (at the least of its costs, the first
// candidate with it), each column used at most once. It returns the marginal of every
// candidate and the events' probabilities, largest first. Weights are computed in log
// space relative to the largest event, so nothing underflows.
func bruteEvents(p *assign.Sparse) (w []float64, probs []float64) {
	type option struct {
		col, arc int32
		cost     float64
	}
	opts := make([][]option, p.Rows)
	for i := 0; i < p.Rows; i++ {
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			c, x := p.Col[k], p.Cost[k]
			if math.IsInf(x, 1) {
				continue
			}
			found := false
			for o := range opts[i] {
				if opts[i][o].col == c {
					found = true
					if x < opts[i][o].cost {
						opts[i][o].cost, opts[i][o].arc = x, k
					}
				}
			}
			if !found {
				opts[i] = append(opts[i], option{c, k, x})
			}
		}
	}
	var logw []float64
	var arcs [][]int32
	used := make([]bool, p.Cols)
	cur := []int32{}
	var rec func(i int, lw float64)
	rec = func(i int, lw float64) {
		if i == p.Rows {
			for c := 0; c < p.Cols; c++ {
				if !used[c] {
					lw -= p.New[c]
				}
			}
			logw = append(logw, lw)
			arcs = append(arcs, slices.Clone(cur))
			return
		}
		rec(i+1, lw-p.Miss[i])
		for _, o := range opts[i] {
			if used[o.col] {
				continue
			}
			used[o.col] = true
			cur = append(cur, o.arc)
			rec(i+1, lw-o.cost)
			cur = cur[:len(cur)-1]
			used[o.col] = false
		}
	}
	rec(0, 0)
	hi := slices.Max(logw)
	z := 0.0
	probs = make([]float64, len(logw))
	for e, x := range logw {
		probs[e] = math.Exp(x - hi)
		z += probs[e]
	}
	w = make([]float64, len(p.Col))
	for e := range probs {
		probs[e] /= z
		for _, k := range arcs[e] {
			w[k] += probs[e]
		}
	}
	slices.SortFunc(probs, func(a, b float64) int {
		switch {
		case a > b:
			return -1
		case a < b:
			return 1
		}
		return 0
	})
	return w, probs
}

// randomJPDAProblem is a random small problem in the tracking form: rows×cols with each
// pair gated with probability density, costs in [-4, 8], misses in [0, 6], news in
// [0, 8], occasionally a forbidden (+Inf) or duplicated candidate. With chain, row i
// always has candidates i mod cols and (i+1) mod cols, so the problem is one cluster.
func randomJPDAProblem(r *rand.Rand, rows, cols int, density float64, chain bool) *assign.Sparse {
	p := &assign.Sparse{Rows: rows, Cols: cols, Start: make([]int32, rows+1),
		Miss: make([]float64, rows), New: make([]float64, cols)}
	for i := 0; i < rows; i++ {
		p.Miss[i] = 6 * r.Float64()
		for c := 0; c < cols; c++ {
			in := r.Float64() < density
			link := chain && (c == i%cols || c == (i+1)%cols)
			if !in && !link {
				continue
			}
			p.Col = append(p.Col, int32(c))
			x := -4 + 12*r.Float64()
			if !link && r.IntN(20) == 0 {
				x = math.Inf(1)
			}
			p.Cost = append(p.Cost, x)
			if r.IntN(15) == 0 { // a duplicate
				p.Col = append(p.Col, int32(c))
				p.Cost = append(p.Cost, -4+12*r.Float64())
			}
		}
		p.Start[i+1] = int32(len(p.Col))
	}
	for c := range p.New {
		p.New[c] = 8 * r.Float64()
	}
	return p
}

func newTestJPDA(t testing.TB, cfg JPDAConfig) *JPDA {
	j, err := NewJPDA(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = j.Close() })
	return j
}

func TestJPDAHand(t *testing.T) {
	l := math.Log
	cases := []struct {
		name string
		p    assign.Sparse
		want []float64
	}{
		{
			// L = [[2, 1], [1, 3]], m = 1: events {} 1, {11} 2, {12} 1, {21} 1, {22} 3,
			// {11, 22} 6, {12, 21} 1; Z = 15.
			name: "2x2",
			p: assign.Sparse{Rows: 2, Cols: 2, Start: []int32{0, 2, 4}, Col: []int32{0, 1, 0, 1},
				Cost: []float64{-l(2), 0, 0, -l(3)}, Miss: []float64{0, 0}, New: []float64{0, 0}},
			want: []float64{8.0 / 15, 2.0 / 15, 2.0 / 15, 9.0 / 15},
		},
		{
			// one row, L = (e^(2-1), e^(1-3)) against m = e^-1 (closed form)
			name: "1x2",
			p: assign.Sparse{Rows: 1, Cols: 2, Start: []int32{0, 2}, Col: []int32{0, 1},
				Cost: []float64{1, 3}, Miss: []float64{1}, New: []float64{2, 1}},
			want: []float64{
				math.E / (math.E + math.Exp(-2) + math.Exp(-1)),
				math.Exp(-2) / (math.E + math.Exp(-2) + math.Exp(-1)),
			},
		},
		{
			// duplicates of (0, 0): the least cost counts, on its first candidate;
			// a forbidden candidate gets 0; row 1 has no candidate at all
			name: "duplicates",
			p: assign.Sparse{Rows: 2, Cols: 2, Start: []int32{0, 4, 4}, Col: []int32{0, 0, 0, 1},
				Cost: []float64{0, -l(3), -l(3), math.Inf(1)}, Miss: []float64{0, 5}, New: []float64{0, 0}},
			want: []float64{0, 0.75, 0, 0},
		},
		{
			// two rows on one column: L = 1 and 2, m = 1: events {} 1, {1} 1, {2} 2; Z = 4
			name: "2x1",
			p: assign.Sparse{Rows: 2, Cols: 1, Start: []int32{0, 1, 2}, Col: []int32{0, 0},
				Cost: []float64{0, -l(2)}, Miss: []float64{0, 0}, New: []float64{0}},
			want: []float64{0.25, 0.5},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, force := range []bool{false, true} {
				j := newTestJPDA(t, JPDAConfig{})
				j.forceLog, j.forceHash = force, force
				w := make([]float64, len(tc.p.Col))
				require.NoError(t, j.Associate(w, &tc.p))
				assert.InDeltaSlice(t, tc.want, w, 1e-15)
				bw, _ := bruteEvents(&tc.p)
				assert.InDeltaSlice(t, bw, w, 1e-15)
			}
		})
	}
}

// TestJPDABruteForce compares the exact marginals, in linear and in log space, the
// nets' nodes found by direct table or hash table, with
// brute-force enumeration on 1,200 random problems of up to 6 rows and 8 columns.
func TestJPDABruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	lin := newTestJPDA(t, JPDAConfig{})
	lg := newTestJPDA(t, JPDAConfig{})
	lg.forceLog = true
	hs := newTestJPDA(t, JPDAConfig{})
	hs.forceHash = true
	worst := 0.0
	multi := 0
	for n := 0; n < 1200; n++ {
		rows, cols := 1+r.IntN(6), 1+r.IntN(8)
		density := []float64{0.2, 0.5, 0.8, 1}[r.IntN(4)]
		p := randomJPDAProblem(r, rows, cols, density, r.IntN(2) == 0)
		want, _ := bruteEvents(p)
		for _, j := range []*JPDA{lin, lg, hs} {
			w := make([]float64, len(p.Col))
			require.NoError(t, j.Associate(w, p))
			require.Zero(t, j.Approximate)
			for k := range w {
				worst = max(worst, math.Abs(w[k]-want[k]))
			}
			require.InDeltaSlice(t, want, w, 1e-12, "problem %d (%d×%d)", n, rows, cols)
		}
		if lin.Largest > 1 {
			multi++
		}
	}
	t.Logf("largest error %.3g; %d problems with a cluster of several rows", worst, multi)
	assert.Greater(t, multi, 600)
}

// TestJPDAExtremeCosts: costs of ±1e3 and events of relative weight 1e-300 and below.
func TestJPDAExtremeCosts(t *testing.T) {
	cases := []struct {
		name string
		p    assign.Sparse
	}{
		{
			// two rows compete for one column at e^1000 their misses: 1/2 each
			name: "competition",
			p: assign.Sparse{Rows: 2, Cols: 1, Start: []int32{0, 1, 2}, Col: []int32{0, 0},
				Cost: []float64{0, 0}, Miss: []float64{1000, 1000}, New: []float64{0}},
		},
		{
			name: "chain",
			p: assign.Sparse{Rows: 3, Cols: 2, Start: []int32{0, 1, 3, 4}, Col: []int32{0, 0, 1, 1},
				Cost: []float64{-1000, -999, 300, -1000}, Miss: []float64{1, 2, 3}, New: []float64{-700, 690}},
		},
		{
			name: "offset",
			p: assign.Sparse{Rows: 2, Cols: 2, Start: []int32{0, 2, 4}, Col: []int32{0, 1, 0, 1},
				Cost: []float64{-1e3 + 1, -1e3 + 2, -1e3 + 0.5, -1e3}, Miss: []float64{-1e3 + 1, -1e3 + 3}, New: []float64{1e3, 1e3 + 1}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := newTestJPDA(t, JPDAConfig{})
			w := make([]float64, len(tc.p.Col))
			require.NoError(t, j.Associate(w, &tc.p))
			want, _ := bruteEvents(&tc.p)
			for k := range w {
				assert.InDelta(t, want[k], w[k], 1e-12*max(want[k], 1e-300), "relative error of candidate %d", k)
			}
		})
	}
	// a common offset of the costs changes nothing
	r := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 100; n++ {
		p := randomJPDAProblem(r, 2+r.IntN(5), 1+r.IntN(8), 0.6, true)
		j := newTestJPDA(t, JPDAConfig{})
		w0 := make([]float64, len(p.Col))
		require.NoError(t, j.Associate(w0, p))
		q := *p
		q.Cost = slices.Clone(p.Cost)
		q.Miss = slices.Clone(p.Miss)
		q.New = slices.Clone(p.New)
		off := 1e3 * (2*r.Float64() - 1)
		for k := range q.Cost {
			q.Cost[k] += off
		}
		for i := range q.Miss {
			q.Miss[i] += off
		}
		w1 := make([]float64, len(p.Col))
		require.NoError(t, j.Associate(w1, &q))
		assert.InDeltaSlice(t, w0, w1, 1e-10)
	}
}

// TestJPDAKBestConverges forces the k-best approximation (MaxExact 1) on single-cluster
// problems and checks that its largest error is at most the probability of the events
// it leaves out, which is non-increasing in k, and vanishes once k reaches the number
// of joint events.
func TestJPDAKBestConverges(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	violations := 0
	for n := 0; n < 150; n++ {
		p := randomJPDAProblem(r, 2+r.IntN(5), 2+r.IntN(7), 0.5, true)
		want, probs := bruteEvents(p)
		ks := []int{1, 2, 5, 20, len(probs)}
		prevErr, prevMiss := math.Inf(1), math.Inf(1)
		for _, k := range ks {
			j := newTestJPDA(t, JPDAConfig{MaxExact: 1, K: k})
			w := make([]float64, len(p.Col))
			require.NoError(t, j.Associate(w, p))
			require.Equal(t, 1, j.Clusters)
			require.Equal(t, 1, j.Approximate)
			kept := 0.0
			for _, x := range probs[:min(k, len(probs))] {
				kept += x
			}
			missing := max(1-kept, 0)
			e := 0.0
			for x := range w {
				e = max(e, math.Abs(w[x]-want[x]))
			}
			assert.LessOrEqual(t, e, missing+1e-12, "problem %d, k = %d", n, k)
			assert.LessOrEqual(t, missing, prevMiss+1e-15, "problem %d, k = %d", n, k)
			if e > prevErr+1e-12 {
				violations++
			}
			prevErr, prevMiss = e, missing
		}
		assert.LessOrEqual(t, prevErr, 1e-12, "problem %d with all %d events", n, len(probs))
	}
	// The largest error itself need not decrease at every step in general (an added
	// event can move one marginal away before later ones bring it back); only its bound
	// must. On these seeded problems and steps of k it does.
	assert.Zero(t, violations, "steps in k where the largest error grew")
}

// TestJPDAPropagation: belief propagation is exact on clusters without cycles (chains
// of rows sharing one column with the next) and close on small loopy ones.
func TestJPDAPropagation(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	j := newTestJPDA(t, JPDAConfig{MaxExact: 1, KBestRows: 1})
	for n := 0; n < 200; n++ {
		rows := 2 + r.IntN(5)
		p := randomJPDAProblem(r, rows, rows+1, 0, true) // a tree
		want, _ := bruteEvents(p)
		w := make([]float64, len(p.Col))
		require.NoError(t, j.Associate(w, p))
		require.Equal(t, 1, j.Propagated)
		require.InDeltaSlice(t, want, w, 1e-8, "tree %d", n)
	}
	worst, sum, cnt := 0.0, 0.0, 0
	for n := 0; n < 200; n++ {
		p := randomJPDAProblem(r, 2+r.IntN(5), 2+r.IntN(7), 0.5, true)
		want, _ := bruteEvents(p)
		w := make([]float64, len(p.Col))
		require.NoError(t, j.Associate(w, p))
		for k := range w {
			d := math.Abs(w[k] - want[k])
			worst = max(worst, d)
			sum += d
			cnt++
		}
	}
	t.Logf("loopy clusters: largest error %.3g, mean %.3g", worst, sum/float64(cnt))
	assert.Less(t, sum/float64(cnt), 0.05)

	// a chain of 100 rows (belief propagation by default) whose misses are e^1000 less
	// likely than their candidates, against the exact net in log space
	p := randomJPDAProblem(r, 100, 101, 0, true)
	for i := range p.Miss {
		p.Miss[i] = 1000
	}
	ex := newTestJPDA(t, JPDAConfig{})
	bp := newTestJPDA(t, JPDAConfig{MaxExact: 1})
	want := make([]float64, len(p.Col))
	w := make([]float64, len(p.Col))
	require.NoError(t, ex.Associate(want, p))
	require.Zero(t, ex.Approximate)
	require.NoError(t, bp.Associate(w, p))
	require.Equal(t, 1, bp.Propagated)
	assert.InDeltaSlice(t, want, w, 1e-8)
}

// checkJPDASums asserts weights in [0, 1], row and column sums at most 1 and forbidden
// candidates at 0.
func checkJPDASums(t *testing.T, p *assign.Sparse, w []float64, tol float64) {
	t.Helper()
	col := make([]float64, p.Cols)
	for i := 0; i < p.Rows; i++ {
		s := 0.0
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			require.True(t, w[k] >= 0 && w[k] <= 1, "weight %g", w[k])
			if math.IsInf(p.Cost[k], 1) {
				require.Zero(t, w[k])
			}
			s += w[k]
			col[p.Col[k]] += w[k]
		}
		require.LessOrEqual(t, s, 1+tol, "row %d", i)
	}
	for c, s := range col {
		require.LessOrEqual(t, s, 1+tol, "column %d", c)
	}
}

func TestJPDASums(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, cfg := range []JPDAConfig{{}, {MaxExact: 1, K: 3}, {MaxExact: 1, KBestRows: 1}} {
		j := newTestJPDA(t, cfg)
		for n := 0; n < 200; n++ {
			p := randomJPDAProblem(r, 1+r.IntN(12), 1+r.IntN(12), 0.4, r.IntN(2) == 0)
			w := make([]float64, len(p.Col))
			require.NoError(t, j.Associate(w, p))
			checkJPDASums(t, p, w, 1e-12)
		}
	}
	p := trackerProblem(1, 3000, 7)
	j := newTestJPDA(t, JPDAConfig{MaxExact: 64})
	w := make([]float64, len(p.Col))
	require.NoError(t, j.Associate(w, p))
	t.Logf("%d clusters, largest %d, %d approximate, %d by belief propagation", j.Clusters, j.Largest, j.Approximate, j.Propagated)
	require.Positive(t, j.Approximate)
	require.Positive(t, j.Propagated)
	checkJPDASums(t, p, w, 1e-12)
}

// TestJPDAWorkers: 1 and 4 workers give bitwise the same weights on a large
// tracker-like problem (5,000 tracks), on the exact, k-best and belief propagation
// paths.
func TestJPDAWorkers(t *testing.T) {
	p := trackerProblem(2, 5000, 15)
	for _, cfg := range []JPDAConfig{{}, {MaxExact: 1}, {MaxExact: 1, KBestRows: 1}} {
		t.Run(fmt.Sprintf("MaxExact=%d/KBestRows=%d", cfg.MaxExact, cfg.KBestRows), func(t *testing.T) {
			var ws [2][]float64
			for x, workers := range []int{1, 4} {
				c := cfg
				c.Workers = workers
				j := newTestJPDA(t, c)
				ws[x] = make([]float64, len(p.Col))
				require.NoError(t, j.Associate(ws[x], p))
				t.Logf("workers %d: %d clusters, largest %d rows, %d approximate, %d propagated", workers, j.Clusters, j.Largest, j.Approximate, j.Propagated)
				require.Greater(t, j.Clusters, 2*minClusterShard*4)
			}
			require.Equal(t, ws[0], ws[1])
		})
	}
}

// permuteProblem returns p with its rows and columns permuteProblem at random and each row's
// candidates reversed, and the new index of each old candidate.
func permuteProblem(p *assign.Sparse, seed uint64) (*assign.Sparse, []int) {
	r := rand.New(rand.NewPCG(seed, 10))
	rp, cp := r.Perm(p.Rows), r.Perm(p.Cols) // new index of each old row, column
	inv := make([]int, p.Rows)
	for i, x := range rp {
		inv[x] = i
	}
	q := &assign.Sparse{Rows: p.Rows, Cols: p.Cols, Start: make([]int32, p.Rows+1),
		Miss: make([]float64, p.Rows), New: make([]float64, p.Cols)}
	where := make([]int, len(p.Col))
	for ni := 0; ni < q.Rows; ni++ {
		i := inv[ni]
		q.Miss[ni] = p.Miss[i]
		for k := p.Start[i+1] - 1; k >= p.Start[i]; k-- {
			where[k] = len(q.Col)
			q.Col = append(q.Col, int32(cp[p.Col[k]]))
			q.Cost = append(q.Cost, p.Cost[k])
		}
		q.Start[ni+1] = int32(len(q.Col))
	}
	for c := range p.New {
		q.New[cp[c]] = p.New[c]
	}
	return q, where
}

// TestJPDAPermutation: permuting rows and columns (and the candidates within rows)
// permutes the weights, on the exact and k-best paths. Belief propagation stops at a
// tolerance after a number of sweeps that depends on the order, so it is not tested
// to 1e-12.
func TestJPDAPermutation(t *testing.T) {
	p := trackerProblem(2, 5000, 15)
	q, where := permuteProblem(p, 9)
	for _, cfg := range []JPDAConfig{{}, {MaxExact: 1}} {
		t.Run(fmt.Sprintf("MaxExact=%d", cfg.MaxExact), func(t *testing.T) {
			j := newTestJPDA(t, cfg)
			w0 := make([]float64, len(p.Col))
			require.NoError(t, j.Associate(w0, p))
			w1 := make([]float64, len(q.Col))
			require.NoError(t, j.Associate(w1, q))
			for k := range p.Col {
				require.InDelta(t, w0[k], w1[where[k]], 1e-12, "candidate %d", k)
			}
		})
	}
}

func TestJPDABadInput(t *testing.T) {
	good := func() *assign.Sparse {
		return &assign.Sparse{Rows: 2, Cols: 2, Start: []int32{0, 2, 3}, Col: []int32{0, 1, 1},
			Cost: []float64{1, 2, 3}, Miss: []float64{1, 1}, New: []float64{2, 2}}
	}
	nan := math.NaN()
	same := func(n int) int { return n }
	cases := []struct {
		name  string
		edit  func(p *assign.Sparse)
		wlen  func(n int) int // len(w) from len(p.Col)
		isErr error
	}{
		{"NaN cost", func(p *assign.Sparse) { p.Cost[1] = nan }, same, assign.ErrNaN},
		{"-Inf cost", func(p *assign.Sparse) { p.Cost[2] = math.Inf(-1) }, same, assign.ErrNonFinite},
		{"NaN miss", func(p *assign.Sparse) { p.Miss[1] = nan }, same, assign.ErrNaN},
		{"Inf miss", func(p *assign.Sparse) { p.Miss[0] = math.Inf(1) }, same, assign.ErrNonFinite},
		{"NaN new", func(p *assign.Sparse) { p.New[0] = nan }, same, assign.ErrNaN},
		{"short w", func(p *assign.Sparse) {}, func(n int) int { return n - 1 }, assign.ErrDimension},
		{"long w", func(p *assign.Sparse) {}, func(n int) int { return n + 1 }, assign.ErrDimension},
		{"short Cost", func(p *assign.Sparse) { p.Cost = p.Cost[:2] }, func(n int) int { return 3 }, assign.ErrDimension},
		{"short Miss", func(p *assign.Sparse) { p.Miss = p.Miss[:1] }, same, assign.ErrDimension},
		{"long New", func(p *assign.Sparse) { p.New = append(p.New, 0) }, same, assign.ErrDimension},
		{"plain form", func(p *assign.Sparse) { p.Miss, p.New = nil, nil }, same, assign.ErrDimension},
		{"bad Start", func(p *assign.Sparse) { p.Start[1] = 4 }, same, assign.ErrDimension},
		{"short Start", func(p *assign.Sparse) { p.Start = p.Start[:2] }, same, assign.ErrDimension},
		{"column out of range", func(p *assign.Sparse) { p.Col[0] = 2 }, same, assign.ErrIndex},
		{"maximise", func(p *assign.Sparse) { p.Sense = assign.Maximize }, same, assign.ErrDimension},
	}
	j := newTestJPDA(t, JPDAConfig{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := good()
			tc.edit(p)
			w := make([]float64, tc.wlen(len(p.Col)))
			for k := range w {
				w[k] = 7
			}
			err := j.Associate(w, p)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrAssociation)
			assert.ErrorIs(t, err, tc.isErr)
			var ae *AssociationError
			assert.True(t, errors.As(err, &ae))
			for _, x := range w {
				assert.Equal(t, 7.0, x)
			}
		})
	}
	require.Error(t, j.Associate(nil, nil))
	// the JPDA still works after bad input
	p := good()
	w := make([]float64, 3)
	require.NoError(t, j.Associate(w, p))
	want, _ := bruteEvents(p)
	assert.InDeltaSlice(t, want, w, 1e-15)
}

func TestJPDAConfigAndClose(t *testing.T) {
	for _, cfg := range []JPDAConfig{{MaxExact: -1}, {K: -1}, {Workers: -1}, {Workers: 5000}} {
		_, err := NewJPDA(cfg)
		assert.ErrorIs(t, err, ErrConfig)
	}
	j, err := NewJPDA(JPDAConfig{Workers: 3})
	require.NoError(t, err)
	require.NoError(t, j.Close())
	require.NoError(t, j.Close())
	p := &assign.Sparse{Rows: 0, Cols: 0, Start: []int32{0}, Miss: []float64{}, New: []float64{}}
	assert.ErrorIs(t, j.Associate(nil, p), ErrClosed)
}

func TestJPDAAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation guard")
	}
	p := trackerProblem(3, 1000, 30)
	for _, cfg := range []JPDAConfig{{}, {Workers: 2}, {MaxExact: 8, Workers: 2}, {MaxExact: 8, KBestRows: 1}} {
		j := newTestJPDA(t, cfg)
		w := make([]float64, len(p.Col))
		require.NoError(t, j.Associate(w, p))
		t.Logf("%+v: %d clusters, largest %d, %d approximate, %d propagated", cfg, j.Clusters, j.Largest, j.Approximate, j.Propagated)
		allocs := testing.AllocsPerRun(20, func() {
			if err := j.Associate(w, p); err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, "%+v", cfg)
	}
}

// Tracker-like problems, in the costs of the package's likelihood model.
const (
	tpPD      = 0.9
	tpPG      = 0.99
	tpGate    = 9.210340371976184 // χ²₂ quantile at 0.99
	tpSigma   = 2.0               // detection noise, m
	tpPredVar = 4.0               // predicted position variance per axis, m²
	tpClutter = 0.1               // clutter detections per target
	tpLambda  = 1e-5 + 1e-6       // λ_FA + λ_NT, per m²
)

// trackerProblem builds the gated problem a tracker would pass to its Associator: n
// targets uniform in a square at spacing metres per target (10,000 m² per target at
// spacing 100), each detected with probability 0.9 with N(0, 2²) noise per axis,
// 0.1·n clutter detections uniform over the square, innovation covariance
// S = (4 + 4) I m², gate χ²₂ at 0.99, costs c_ij = −log(Pd N(z; ẑ, S)), miss
// −log(1 − Pd·P_G), new −log(λ_FA + λ_NT). Detections are in an order unrelated to
// the targets'.
func trackerProblem(seed uint64, n int, spacing float64) *assign.Sparse {
	r := rand.New(rand.NewPCG(seed, 11))
	side := spacing * math.Sqrt(float64(n))
	tx, ty := make([]float64, n), make([]float64, n)
	for i := range tx {
		tx[i], ty[i] = side*r.Float64(), side*r.Float64()
	}
	var dx, dy []float64
	for i := range tx {
		if r.Float64() < tpPD {
			dx = append(dx, tx[i]+tpSigma*r.NormFloat64())
			dy = append(dy, ty[i]+tpSigma*r.NormFloat64())
		}
	}
	for k := 0; k < int(tpClutter*float64(n)); k++ {
		dx = append(dx, side*r.Float64())
		dy = append(dy, side*r.Float64())
	}
	m := len(dx)
	perm := r.Perm(m)
	px, py := make([]float64, m), make([]float64, m)
	for k, x := range perm {
		px[x], py[x] = dx[k], dy[k]
	}
	s := tpSigma*tpSigma + tpPredVar
	radius := math.Sqrt(tpGate * s)
	// grid of detections with cell size radius
	g := int(side/radius) + 3
	cell := func(x, y float64) int {
		cx := min(max(int(x/radius)+1, 0), g-1)
		cy := min(max(int(y/radius)+1, 0), g-1)
		return cy*g + cx
	}
	head := make([]int, g*g+1)
	for k := 0; k < m; k++ {
		head[cell(px[k], py[k])+1]++
	}
	for c := 1; c <= g*g; c++ {
		head[c] += head[c-1]
	}
	items := make([]int32, m)
	fill := slices.Clone(head[:g*g])
	for k := 0; k < m; k++ {
		c := cell(px[k], py[k])
		items[fill[c]] = int32(k)
		fill[c]++
	}
	p := &assign.Sparse{Rows: n, Cols: m, Start: make([]int32, n+1), Miss: make([]float64, n), New: make([]float64, m)}
	base := -math.Log(tpPD) + (math.Log(s*s)+2*math.Log(2*math.Pi))/2
	var buf []int32
	for i := 0; i < n; i++ {
		p.Miss[i] = -math.Log(1 - tpPD*tpPG)
		c0 := cell(tx[i], ty[i])
		cx, cy := c0%g, c0/g
		buf = buf[:0]
		for yy := max(cy-1, 0); yy <= min(cy+1, g-1); yy++ {
			for xx := max(cx-1, 0); xx <= min(cx+1, g-1); xx++ {
				for _, k := range items[head[yy*g+xx]:head[yy*g+xx+1]] {
					ex, ey := px[k]-tx[i], py[k]-ty[i]
					if (ex*ex+ey*ey)/s <= tpGate {
						buf = append(buf, k)
					}
				}
			}
		}
		slices.Sort(buf)
		for _, k := range buf {
			ex, ey := px[k]-tx[i], py[k]-ty[i]
			p.Col = append(p.Col, k)
			p.Cost = append(p.Cost, base+(ex*ex+ey*ey)/s/2)
		}
		p.Start[i+1] = int32(len(p.Col))
	}
	for k := range p.New {
		p.New[k] = -math.Log(tpLambda)
	}
	return p
}

// FuzzJPDA builds small problems from arbitrary bytes (NaN and infinities included):
// Associate never panics, rejects bad input leaving w unchanged, and otherwise agrees
// with brute-force enumeration, in every configuration (exact, k-best, belief
// propagation on the trees among them).
func FuzzJPDA(f *testing.F) {
	f.Add([]byte{3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	f.Add([]byte{2, 2, 255, 254, 253, 0, 1, 2, 3, 4, 5, 6})
	f.Add(make([]byte, 60))
	exact, err := NewJPDA(JPDAConfig{})
	require.NoError(f, err)
	kb, err := NewJPDA(JPDAConfig{MaxExact: 1, K: 1 << 20})
	require.NoError(f, err)
	f.Cleanup(func() { _ = exact.Close(); _ = kb.Close() })
	f.Fuzz(func(t *testing.T, data []byte) {
		next := func() byte {
			if len(data) == 0 {
				return 0
			}
			b := data[0]
			data = data[1:]
			return b
		}
		val := func(b byte) float64 {
			switch b {
			case 255:
				return math.NaN()
			case 254:
				return math.Inf(1)
			case 253:
				return math.Inf(-1)
			}
			return float64(b)/16 - 4
		}
		rows, cols := int(next()%5), int(next()%6)
		p := &assign.Sparse{Rows: rows, Cols: cols, Start: make([]int32, rows+1),
			Miss: make([]float64, rows), New: make([]float64, cols)}
		for i := 0; i < rows; i++ {
			p.Miss[i] = val(next())
			for c := 0; c < cols; c++ {
				b := next()
				if b%3 == 0 {
					continue
				}
				p.Col = append(p.Col, int32(c))
				p.Cost = append(p.Cost, val(next()))
			}
			p.Start[i+1] = int32(len(p.Col))
		}
		for c := range p.New {
			p.New[c] = val(next())
		}
		bad := false
		for _, x := range append(append(slices.Clone(p.Miss), p.New...), p.Cost...) {
			bad = bad || math.IsNaN(x) || math.IsInf(x, -1)
		}
		for _, x := range append(slices.Clone(p.Miss), p.New...) {
			bad = bad || math.IsInf(x, 0)
		}
		for _, j := range []*JPDA{exact, kb} {
			w := make([]float64, len(p.Col))
			for k := range w {
				w[k] = -1
			}
			err := j.Associate(w, p)
			if bad {
				require.ErrorIs(t, err, ErrAssociation)
				for _, x := range w {
					require.Equal(t, -1.0, x)
				}
				continue
			}
			require.NoError(t, err)
			want, _ := bruteEvents(p)
			require.InDeltaSlice(t, want, w, 1e-12)
		}
	})
}
