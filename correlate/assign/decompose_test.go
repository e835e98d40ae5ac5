package assign

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// toDense expands a plain sparse problem into a dense matrix with +Inf for non-candidates,
// keeping the best of duplicate pairs.
func toDense(p *Sparse) []float64 {
	c := make([]float64, p.Rows*p.Cols)
	for i := range c {
		c[i] = math.Inf(1)
	}
	for i := 0; i < p.Rows; i++ {
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			j := int(p.Col[k])
			c[i*p.Cols+j] = min(c[i*p.Cols+j], p.Cost[k])
		}
	}
	return c
}

func newSolvers(t *testing.T, workers ...int) []*Solver {
	t.Helper()
	var out []*Solver
	for _, w := range workers {
		s, err := NewSolver(Config{Workers: w})
		require.NoError(t, err)
		t.Cleanup(func() { s.Close() })
		out = append(out, s)
	}
	return out
}

// TestEquivalenceGeometric solves thousands of small gated geometric problems with the
// dense, sparse and decomposed solvers (1, 2 and 4 workers): same cost and number of
// pairs, and the decomposed results identical whatever the worker count.
func TestEquivalenceGeometric(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	solvers := newSolvers(t, 1, 2, 4)
	var w Workspace
	var rd, rs, rt Result
	rp := make([]Result, len(solvers))
	for it := 0; it < 3000; it++ {
		n := 1 + r.IntN(60)
		gate := 0.3 + 2*r.Float64()
		p := geometric(uint64(it), n, 0.3, gate)
		if it%3 == 1 { // drop some detections: rectangular, some rows without candidates
			p = dropColumns(r, p, 0.3)
		}
		if it%3 == 2 { // more rows than columns: many rows cannot be assigned
			p = dropColumns(r, p, 0.6)
		}
		c := toDense(p)
		require.NoError(t, w.Dense(&rd, p.Rows, p.Cols, c, Minimize))
		require.NoError(t, w.Solve(&rs, p))
		checkResult(t, p.Rows, p.Cols, c, &rs)
		require.Equal(t, rd.Pairs, rs.Pairs, "problem %d", it)
		require.InDelta(t, rd.Cost, rs.Cost, 1e-9*(1+math.Abs(rd.Cost)), "problem %d", it)
		// Independent check of the plain form's cardinality-then-cost rule, which uses the
		// swap step: the tracking form with a prohibitive miss cost never swaps.
		const big = 1e6
		q := withTracking(p, big, 0)
		require.NoError(t, w.Solve(&rt, q))
		require.Equal(t, rs.Pairs, rt.Pairs, "problem %d", it)
		require.InDelta(t, rs.Cost, rt.Cost-big*float64(p.Rows-rt.Pairs), 1e-6, "problem %d", it)
		for k, s := range solvers {
			require.NoError(t, s.Solve(&rp[k], p))
		}
		checkResult(t, p.Rows, p.Cols, c, &rp[0])
		require.Equal(t, rd.Pairs, rp[0].Pairs, "problem %d", it)
		require.InDelta(t, rd.Cost, rp[0].Cost, 1e-9*(1+math.Abs(rd.Cost)), "problem %d", it)
		for k := 1; k < len(solvers); k++ {
			require.Equal(t, rp[0].RowCol, rp[k].RowCol, "problem %d workers differ", it)
			require.Equal(t, rp[0].ColRow, rp[k].ColRow)
			require.Equal(t, math.Float64bits(rp[0].Cost), math.Float64bits(rp[k].Cost))
		}
	}
}

// TestEquivalenceTracking compares the tracking form of the sparse and decomposed solvers
// with the dense solver on the explicitly augmented matrix.
func TestEquivalenceTracking(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	solvers := newSolvers(t, 1, 4)
	var w Workspace
	var rd, rs, r1, r4 Result
	for it := 0; it < 1000; it++ {
		n := 1 + r.IntN(30)
		p := geometric(uint64(it), n, 0.3, 0.5+1.5*r.Float64())
		if it%2 == 1 {
			p = dropColumns(r, p, 0.3)
		}
		q := withTracking(p, 0, 0)
		for i := range q.Miss {
			q.Miss[i] = 0.5 + 3*r.Float64()
		}
		for j := range q.New {
			q.New[j] = 0.5 + 3*r.Float64()
		}
		c := toDense(p)
		aug := augmented(p.Rows, p.Cols, c, q.Miss, q.New)
		m := p.Rows + p.Cols
		require.NoError(t, w.Dense(&rd, m, m, aug, Minimize))
		require.NoError(t, w.Solve(&rs, q))
		checkTrack(t, p.Rows, p.Cols, c, q.Miss, q.New, &rs)
		require.InDelta(t, rd.Cost, rs.Cost, 1e-9*(1+math.Abs(rd.Cost)), "problem %d", it)
		require.NoError(t, solvers[0].Solve(&r1, q))
		require.NoError(t, solvers[1].Solve(&r4, q))
		checkTrack(t, p.Rows, p.Cols, c, q.Miss, q.New, &r1)
		require.InDelta(t, rd.Cost, r1.Cost, 1e-9*(1+math.Abs(rd.Cost)), "problem %d", it)
		require.Equal(t, r1.RowCol, r4.RowCol)
		require.Equal(t, math.Float64bits(r1.Cost), math.Float64bits(r4.Cost))
	}
}

// dropColumns removes a fraction of the columns (detections) of p.
func dropColumns(r *rand.Rand, p *Sparse, frac float64) *Sparse {
	keep := make([]int32, p.Cols)
	m := 0
	for j := range keep {
		if r.Float64() < frac {
			keep[j] = -1
		} else {
			keep[j] = int32(m)
			m++
		}
	}
	q := &Sparse{Rows: p.Rows, Cols: m, Start: make([]int32, p.Rows+1)}
	for i := 0; i < p.Rows; i++ {
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			if j := keep[p.Col[k]]; j >= 0 {
				q.Col = append(q.Col, j)
				q.Cost = append(q.Cost, p.Cost[k])
			}
		}
		q.Start[i+1] = int32(len(q.Col))
	}
	return q
}

// TestDecomposedGOMAXPROCS: the same problem gives the same result under GOMAXPROCS 1 and
// the machine's value, for 1 and 4 workers.
func TestDecomposedGOMAXPROCS(t *testing.T) {
	p := withTracking(geometric(3, 3000, 0.3, 0.7), 0.3, 0.3)
	solvers := newSolvers(t, 1, 4)
	var want Result
	require.NoError(t, solvers[0].Solve(&want, p))
	require.Greater(t, solvers[0].Components(), 100)
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	for _, procs := range []int{1, prev, 4} {
		runtime.GOMAXPROCS(procs)
		for _, s := range solvers {
			var got Result
			require.NoError(t, s.Solve(&got, p))
			require.Equal(t, want.RowCol, got.RowCol)
			require.Equal(t, math.Float64bits(want.Cost), math.Float64bits(got.Cost))
		}
	}
}

func TestAllocs(t *testing.T) {
	p := geometric(1, 2000, 0.3, 2)
	q := withTracking(geometric(2, 2000, 0.3, 1.5), 2, 2)
	q50 := withTracking(geometric(4, 50, 0.3, 2), 4, 4)
	big := withTracking(geometric(3, 2*parRows, 0.3, 0.7), 2, 2) // loaded by every worker
	solvers := newSolvers(t, 1, 2)
	var w Workspace
	var res Result
	var kb []Ranked
	cases := []struct {
		name string
		f    func()
	}{
		{"sparse", func() { _ = w.Solve(&res, p) }},
		{"sparse-tracking", func() { _ = w.Solve(&res, q) }},
		{"decomposed-1", func() { _ = solvers[0].Solve(&res, q) }},
		{"decomposed-2", func() { _ = solvers[1].Solve(&res, q) }},
		{"decomposed-2-parallel", func() { _ = solvers[1].Solve(&res, big) }},
		{"dense", func() { _ = w.Dense(&res, 50, 50, p.Cost[:2500], Minimize) }},
		{"kbest", func() { kb, _ = w.KBest(kb, q50, 20) }},
	}
	for _, c := range cases {
		c.f() // warm the workspace
		assert.Zero(t, testing.AllocsPerRun(20, c.f), c.name)
	}
}

func TestSolverClosed(t *testing.T) {
	s, err := NewSolver(Config{Workers: 3})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close())
	var res Result
	err = s.Solve(&res, &Sparse{Start: []int32{0}})
	assert.True(t, errors.Is(err, ErrClosed))
	_, err = NewSolver(Config{Workers: -1})
	assert.True(t, errors.Is(err, ErrConfig))
}

// TestParallelLoad: problems large enough for the workers to load shards of the rows
// give, with 1, 2 and 3 workers, the same result bit for bit and, when a candidate or an
// offset is bad in either shard, the same error (the serial load's first in row order).
func TestParallelLoad(t *testing.T) {
	n := 2 * parRows
	base := withTracking(geometric(5, n, 0.3, 0.7), 0.4, 0.4)
	plain := geometric(6, n, 0.3, 0.7)
	cases := []struct {
		name string
		p    *Sparse
		edit func(p *Sparse)
		want error // nil: solved
		row  int
	}{
		{"tracking", base, func(*Sparse) {}, nil, -1},
		{"plain", plain, func(*Sparse) {}, nil, -1},
		{"maximised", base, func(p *Sparse) { p.Sense = Maximize }, nil, -1},
		{"forbidden in the second shard", base, func(p *Sparse) { p.Cost[p.Start[n-10]] = math.Inf(1) }, nil, -1},
		{"forbidden plain", plain, func(p *Sparse) { p.Cost[p.Start[n/2+3]] = math.Inf(1) }, nil, -1},
		{"NaN late, bad column early", base, func(p *Sparse) {
			p.Cost[p.Start[n-5]] = math.NaN()
			p.Col[p.Start[n/3]] = int32(p.Cols)
		}, ErrIndex, n / 3},
		{"NaN in the second shard", base, func(p *Sparse) { p.Cost[p.Start[n/2+1]] = math.NaN() }, ErrNaN, n/2 + 1},
		{"decreasing Start", base, func(p *Sparse) { p.Start[n/2+2] = p.Start[n/2+1] - 1 }, ErrDimension, n/2 + 1},
	}
	solvers := newSolvers(t, 1, 2, 3)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := *c.p
			p.Start = append([]int32(nil), c.p.Start...)
			p.Col = append([]int32(nil), c.p.Col...)
			p.Cost = append([]float64(nil), c.p.Cost...)
			c.edit(&p)
			var want Result
			werr := solvers[0].Solve(&want, &p)
			if c.want != nil {
				require.ErrorIs(t, werr, c.want)
				var e *Error
				require.True(t, errors.As(werr, &e))
				assert.Equal(t, c.row, e.Row, "row")
			} else {
				require.NoError(t, werr)
			}
			for _, s := range solvers[1:] {
				var got Result
				err := s.Solve(&got, &p)
				assert.Equal(t, werr, err)
				assert.Equal(t, want.RowCol, got.RowCol)
				assert.Equal(t, want.ColRow, got.ColRow)
				assert.Equal(t, math.Float64bits(want.Cost), math.Float64bits(got.Cost))
			}
		})
	}
}
