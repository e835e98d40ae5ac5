package assign

import (
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
