package assign

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// bruteAll returns the sorted costs of every complete assignment (every row assigned) of a
// dense matrix, or, with miss and nw, of every tracking-form assignment.
func bruteAll(rows, cols int, c, miss, nw []float64, sense Sense) []float64 {
	used := make([]bool, cols)
	var out []float64
	var rec func(i int, x float64)
	rec = func(i int, x float64) {
		if i == rows {
			if nw != nil {
				for j := 0; j < cols; j++ {
					if !used[j] {
						x += nw[j]
					}
				}
			}
			out = append(out, x)
			return
		}
		if miss != nil {
			rec(i+1, x+miss[i])
		}
		for j := 0; j < cols; j++ {
			v := c[i*cols+j]
			if used[j] || math.IsInf(v, 0) {
				continue
			}
			used[j] = true
			rec(i+1, x+v)
			used[j] = false
		}
	}
	rec(0, 0)
	slices.Sort(out)
	if sense == Maximize {
		slices.Reverse(out)
	}
	return out
}

func TestKBestBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	var w Workspace
	var got []Ranked
	var err error
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			for rows := 0; rows <= 6; rows++ {
				for cols := 0; cols <= 6; cols++ {
					for rep := 0; rep < 3; rep++ {
						c := genDense(r, k, rows, cols)
						p := toSparse(r, rows, cols, c, k.sense)
						want := bruteAll(rows, cols, c, nil, nil, k.sense)
						kk := 1 + r.IntN(40)
						got, err = w.KBest(got, p, kk)
						require.NoError(t, err)
						compareRanked(t, rows, cols, c, nil, nil, want, kk, got)

						if k.sense == Maximize {
							continue
						}
						miss := make([]float64, rows)
						nw := make([]float64, cols)
						for i := range miss {
							miss[i] = k.gen(r)
						}
						for j := range nw {
							nw[j] = k.gen(r)
						}
						p.Miss, p.New = miss, nw
						want = bruteAll(rows, cols, c, miss, nw, Minimize)
						got, err = w.KBest(got, p, kk)
						require.NoError(t, err)
						compareRanked(t, rows, cols, c, miss, nw, want, kk, got)
					}
				}
			}
		})
	}
}

func compareRanked(t *testing.T, rows, cols int, c, miss, nw, want []float64, k int, got []Ranked) {
	t.Helper()
	all := append(append(append([]float64(nil), c...), miss...), nw...)
	tl := tol(all) * 10
	require.Len(t, got, min(k, len(want)), "%dx%d k=%d", rows, cols, k)
	for q, g := range got {
		require.InDelta(t, want[q], g.Cost, tl, "%dx%d rank %d %v", rows, cols, q, c)
		// the assignment is valid and achieves its cost
		res := Result{RowCol: g.RowCol, ColRow: make([]int32, cols)}
		for j := range res.ColRow {
			res.ColRow[j] = -1
		}
		for i, j := range g.RowCol {
			if j >= 0 {
				require.Equal(t, int32(-1), res.ColRow[j], "column used twice")
				res.ColRow[j] = int32(i)
				res.Pairs++
			}
		}
		res.Cost = g.Cost
		if miss != nil {
			checkTrack(t, rows, cols, c, miss, nw, &res)
		} else {
			require.Equal(t, rows, res.Pairs)
			checkResult(t, rows, cols, c, &res)
		}
	}
	// distinct assignments
	for a := range got {
		for b := a + 1; b < len(got); b++ {
			require.NotEqual(t, got[a].RowCol, got[b].RowCol, "rank %d and %d equal", a, b)
		}
	}
}

func TestKBestInvalidK(t *testing.T) {
	var w Workspace
	_, err := w.KBest(nil, &Sparse{Start: []int32{0}}, -1)
	require.True(t, errors.Is(err, ErrInvalidK))
}
