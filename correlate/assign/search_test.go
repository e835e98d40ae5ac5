package assign

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLongSearches checks the sparse solver against the dense one on problems whose
// searches reach many more than lazyMax columns (so that they switch from the scan to the
// heap): wide random candidate lists with costs that make the rows compete for a few
// cheap columns, square, with more rows than columns, and with more columns than rows.
func TestLongSearches(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	var w Workspace
	var rs, rd Result
	for it := 0; it < 60; it++ {
		rows := 20 + r.IntN(180)
		cols := rows
		switch it % 3 {
		case 1:
			cols = rows/2 + 1
		case 2:
			cols = rows * 2
		}
		width := 1 + r.IntN(min(cols, 120))
		p := &Sparse{Rows: rows, Cols: cols, Start: make([]int32, rows+1)}
		for i := 0; i < rows; i++ {
			for _, j := range r.Perm(cols)[:width] {
				p.Col = append(p.Col, int32(j))
				// column j is cheap for everybody when j is small: long alternating paths
				p.Cost = append(p.Cost, float64(j)/float64(cols)+0.1*r.Float64())
			}
			p.Start[i+1] = int32(len(p.Col))
		}
		require.NoError(t, w.Solve(&rs, p))
		c := toDense(p)
		require.NoError(t, w.Dense(&rd, rows, cols, c, Minimize))
		require.Equal(t, rd.Pairs, rs.Pairs, "it %d", it)
		require.InDelta(t, rd.Cost, rs.Cost, tol(c), "it %d", it)
		checkResult(t, rows, cols, c, &rs)
	}
	require.Positive(t, w.s.heaps, "no search switched to the heap")
}

// TestTrackingInPlace checks the tracking form solved in place (duals of the columns
// starting at their new costs, dummy columns offered by the searches) against the copying
// path (forced by one forbidden candidate, which changes nothing else) and the decomposed
// Solver, on geometric problems whose miss and new costs range from "everything pairs"
// to "nothing pairs", with varied costs so that long searches occur.
func TestTrackingInPlace(t *testing.T) {
	sv, err := NewSolver(Config{})
	require.NoError(t, err)
	defer sv.Close()
	r := rand.New(rand.NewPCG(31, 32))
	var w Workspace
	var rin, rcp, rsv Result
	for it := 0; it < 24; it++ {
		n := 50 + r.IntN(250)
		p := geometric(uint64(it), n, 0.3, 1+2*r.Float64())
		p.Miss = make([]float64, p.Rows)
		p.New = make([]float64, p.Cols)
		scale := []float64{0.05, 0.5, 2, 9}[it%4]
		for i := range p.Miss {
			p.Miss[i] = scale * r.Float64()
		}
		for j := range p.New {
			p.New[j] = scale * r.Float64()
		}
		done, err := w.solveTrack(p)
		require.NoError(t, err)
		require.True(t, done, "it %d: the in-place path gave up", it)
		w.pr.result(&rin, &w.st, p)
		w.pr.release()

		// the same problem with a forbidden candidate appended to the last row
		q := *p
		q.Col = append(append([]int32(nil), p.Col...), 0)
		q.Cost = append(append([]float64(nil), p.Cost...), math.Inf(1))
		q.Start = append([]int32(nil), p.Start...)
		q.Start[q.Rows]++
		require.NoError(t, w.Solve(&rcp, &q))
		require.NoError(t, sv.Solve(&rsv, p))

		c := toDense(p)
		tl := 1e-9 * float64(n)
		checkTrackTol(t, p.Rows, p.Cols, c, p.Miss, p.New, &rin, tl)
		checkTrackTol(t, p.Rows, p.Cols, c, p.Miss, p.New, &rsv, tl)
		require.InDelta(t, rcp.Cost, rin.Cost, tl, "it %d: in place vs copy", it)
		require.InDelta(t, rsv.Cost, rin.Cost, tl, "it %d: in place vs decomposed", it)
	}
}

// TestTrackingNoRows checks that a tracking form with rows or columns but nothing on the
// other side still counts the new or miss costs (the in-place paths tell the forms apart
// by Miss and New together).
func TestTrackingNoRows(t *testing.T) {
	var w Workspace
	var res Result
	p := &Sparse{Rows: 0, Cols: 2, Start: []int32{0}, Miss: []float64{}, New: []float64{1.5, 2}}
	require.NoError(t, w.Solve(&res, p))
	require.InDelta(t, 3.5, res.Cost, 0)
	p = &Sparse{Rows: 0, Cols: 2, Start: []int32{0}, New: []float64{1.5, 2}}
	require.NoError(t, w.Solve(&res, p))
	require.InDelta(t, 3.5, res.Cost, 0)
	p = &Sparse{Rows: 2, Cols: 0, Start: []int32{0, 0, 0}, Miss: []float64{1, 0.25}}
	require.NoError(t, w.Solve(&res, p))
	require.InDelta(t, 1.25, res.Cost, 0)
	require.Equal(t, []int32{-1, -1}, res.RowCol)
}
