package assign

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNamedCases checks hand-made cases whose answers are known, for Dense and Solve.
func TestNamedCases(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name       string
		rows, cols int
		c          []float64
		sense      Sense
		rowCol     []int32
		cost       float64
	}{
		{"empty", 0, 0, nil, Minimize, nil, 0},
		{"no columns", 2, 0, nil, Minimize, []int32{-1, -1}, 0},
		{"single", 1, 1, []float64{-3}, Minimize, []int32{0}, -3},
		// Row 0 comes first but row 1 is cheaper on the only column: the cheaper of the
		// two single-pair assignments wins.
		{"one column two rows", 2, 1, []float64{10, 1}, Minimize, []int32{-1, 0}, 1},
		// Cardinality first: two pairs at 200 beat one pair at 1.
		{"cardinality before cost", 2, 2, []float64{1, 100, 100, inf}, Minimize, []int32{1, 0}, 200},
		{"all forbidden", 2, 2, []float64{inf, inf, inf, inf}, Minimize, []int32{-1, -1}, 0},
		{"wide", 2, 4, []float64{5, 4, 3, 2, 1, 2, 3, 4}, Minimize, []int32{3, 0}, 3},
		{"tall", 3, 1, []float64{3, 2, 4}, Minimize, []int32{-1, 0, -1}, 2},
		{"maximise", 2, 2, []float64{1, 2, 3, 5}, Maximize, []int32{0, 1}, 6},
		{"maximise forbidden", 2, 2, []float64{math.Inf(-1), 2, 3, 5}, Maximize, []int32{1, 0}, 5},
		{"negative", 2, 2, []float64{-1, -5, -2, -1}, Minimize, []int32{1, 0}, -7},
		{"ties", 3, 3, []float64{1, 1, 1, 1, 1, 1, 1, 1, 1}, Minimize, nil, 3},
		{"large and small", 2, 2, []float64{1e12, 1e12 + 1, 1e-9, 2e-9}, Minimize, []int32{0, 1}, 1e12 + 2e-9},
	}
	var w Workspace
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var rd, rs Result
			require.NoError(t, w.Dense(&rd, c.rows, c.cols, c.c, c.sense))
			p := toSparse(nil0(), c.rows, c.cols, c.c, c.sense)
			require.NoError(t, w.Solve(&rs, p))
			for _, res := range []*Result{&rd, &rs} {
				checkResult(t, c.rows, c.cols, c.c, res)
				if c.rowCol != nil {
					assert.Equal(t, c.rowCol, res.RowCol)
				}
				assert.InDelta(t, c.cost, res.Cost, 1e-12*math.Abs(c.cost))
			}
		})
	}
}
