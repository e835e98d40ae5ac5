package assign

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// brute returns the best (pairs, cost) over every assignment of a rows×cols matrix by
// recursion: the most pairs first, then the least cost (most, when maximising).
// Forbidden entries are ±Inf as for Dense.
func brute(rows, cols int, c []float64, sense Sense) (int, float64) {
	used := make([]bool, cols)
	bestP, bestC := -1, 0.0
	better := func(p int, x float64) bool {
		if p != bestP {
			return p > bestP
		}
		if sense == Maximize {
			return x > bestC
		}
		return x < bestC
	}
	var rec func(i, p int, x float64)
	rec = func(i, p int, x float64) {
		if p+(rows-i) < bestP {
			return
		}
		if i == rows {
			if better(p, x) {
				bestP, bestC = p, x
			}
			return
		}
		rec(i+1, p, x)
		for j := 0; j < cols; j++ {
			v := c[i*cols+j]
			if used[j] || math.IsInf(v, 0) {
				continue
			}
			used[j] = true
			rec(i+1, p+1, x+v)
			used[j] = false
		}
	}
	rec(0, 0, 0)
	return bestP, bestC
}

// bruteTrack returns the least cost of the tracking form over every assignment.
func bruteTrack(rows, cols int, c, miss, nw []float64) float64 {
	used := make([]bool, cols)
	best := math.Inf(1)
	var rec func(i int, x float64)
	rec = func(i int, x float64) {
		if i == rows {
			for j := 0; j < cols; j++ {
				if !used[j] {
					x += nw[j]
				}
			}
			best = min(best, x)
			return
		}
		rec(i+1, x+miss[i])
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
	return best
}

// instance kinds for the brute-force tests.
type kind struct {
	name   string
	sense  Sense
	forbid float64 // probability of a forbidden entry
	gen    func(r *rand.Rand) float64
}

var kinds = []kind{
	{"uniform", Minimize, 0, func(r *rand.Rand) float64 { return r.Float64() }},
	{"ties", Minimize, 0, func(r *rand.Rand) float64 { return float64(r.IntN(3)) }},
	{"forbidden", Minimize, 0.4, func(r *rand.Rand) float64 { return r.Float64() }},
	{"sparse-ties", Minimize, 0.6, func(r *rand.Rand) float64 { return float64(r.IntN(4)) }},
	{"magnitudes", Minimize, 0.2, func(r *rand.Rand) float64 { return math.Pow(10, -9+21*r.Float64()) }},
	{"negative", Minimize, 0.2, func(r *rand.Rand) float64 { return 200*r.Float64() - 100 }},
	{"maximise", Maximize, 0.3, func(r *rand.Rand) float64 { return 10*r.Float64() - 3 }},
	{"maximise-ties", Maximize, 0.3, func(r *rand.Rand) float64 { return float64(r.IntN(3) - 1) }},
}

func genDense(r *rand.Rand, k kind, rows, cols int) []float64 {
	c := make([]float64, rows*cols)
	forbidden := math.Inf(1)
	if k.sense == Maximize {
		forbidden = math.Inf(-1)
	}
	for i := range c {
		if r.Float64() < k.forbid {
			c[i] = forbidden
		} else {
			c[i] = k.gen(r)
		}
	}
	return c
}

// nil0 is a fixed generator for toSparse in deterministic tests.
func nil0() *rand.Rand { return rand.New(rand.NewPCG(0, 0)) }

// toSparse keeps the allowed entries and, for one in five rows, also a forbidden one.
func toSparse(r *rand.Rand, rows, cols int, c []float64, sense Sense) *Sparse {
	p := &Sparse{Rows: rows, Cols: cols, Start: make([]int32, rows+1), Sense: sense}
	for i := 0; i < rows; i++ {
		keepInf := sense == Minimize && r.IntN(5) == 0
		for _, j := range r.Perm(cols) {
			v := c[i*cols+j]
			if math.IsInf(v, 0) && !keepInf {
				continue
			}
			p.Col = append(p.Col, int32(j))
			p.Cost = append(p.Cost, v)
		}
		p.Start[i+1] = int32(len(p.Col))
	}
	return p
}

// checkResult verifies that res is a consistent assignment whose pairs are allowed and
// whose reported cost is the sum of the chosen entries.
func checkResult(t *testing.T, rows, cols int, c []float64, res *Result) {
	t.Helper()
	checkResultTol(t, rows, cols, c, res, 0)
}

// checkResultTol is checkResult with an extra absolute tolerance on the reported cost.
func checkResultTol(t *testing.T, rows, cols int, c []float64, res *Result, extra float64) {
	t.Helper()
	require.Len(t, res.RowCol, rows)
	require.Len(t, res.ColRow, cols)
	pairs, sum, scale := 0, 0.0, 0.0
	for i, j := range res.RowCol {
		if j < 0 {
			require.Equal(t, int32(-1), j)
			continue
		}
		require.Less(t, int(j), cols)
		require.Equal(t, int32(i), res.ColRow[j], "row %d col %d", i, j)
		v := c[i*cols+int(j)]
		require.False(t, math.IsInf(v, 0), "forbidden pair (%d,%d) chosen", i, j)
		pairs++
		sum += v
		scale += math.Abs(v)
	}
	for j, i := range res.ColRow {
		if i >= 0 {
			require.Equal(t, int32(j), res.RowCol[i])
		}
	}
	require.Equal(t, pairs, res.Pairs)
	require.InDelta(t, sum, res.Cost, 1e-12*scale+1e-300+extra)
}

func tol(c []float64) float64 {
	s := 0.0
	for _, v := range c {
		if !math.IsInf(v, 0) {
			s = max(s, math.Abs(v))
		}
	}
	return 1e-9*s + 1e-300
}

func TestBruteForceDenseAndSparse(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var w Workspace
	var res Result
	sv, err := NewSolver(Config{Workers: 2})
	require.NoError(t, err)
	defer sv.Close()
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			for rows := 0; rows <= 8; rows++ {
				for cols := 0; cols <= 8; cols++ {
					reps := 6
					if rows*cols > 40 {
						reps = 2
					}
					for rep := 0; rep < reps; rep++ {
						c := genDense(r, k, rows, cols)
						wantP, wantC := brute(rows, cols, c, k.sense)
						require.NoError(t, w.Dense(&res, rows, cols, c, k.sense))
						checkResult(t, rows, cols, c, &res)
						require.Equal(t, wantP, res.Pairs, "dense %dx%d pairs %v", rows, cols, c)
						require.InDelta(t, wantC, res.Cost, tol(c), "dense %dx%d cost %v", rows, cols, c)

						p := toSparse(r, rows, cols, c, k.sense)
						require.NoError(t, w.Solve(&res, p))
						checkResult(t, rows, cols, c, &res)
						require.Equal(t, wantP, res.Pairs, "sparse %dx%d pairs %v", rows, cols, c)
						require.InDelta(t, wantC, res.Cost, tol(c), "sparse %dx%d cost %v", rows, cols, c)

						require.NoError(t, sv.Solve(&res, p))
						checkResult(t, rows, cols, c, &res)
						require.Equal(t, wantP, res.Pairs, "decomposed %dx%d pairs %v", rows, cols, c)
						require.InDelta(t, wantC, res.Cost, tol(c), "decomposed %dx%d cost %v", rows, cols, c)
					}
				}
			}
		})
	}
}

func TestBruteForceTracking(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var w Workspace
	var res Result
	sv, err := NewSolver(Config{Workers: 2})
	require.NoError(t, err)
	defer sv.Close()
	for _, k := range kinds[:6] {
		t.Run(k.name, func(t *testing.T) {
			for rows := 0; rows <= 7; rows++ {
				for cols := 0; cols <= 7; cols++ {
					for rep := 0; rep < 4; rep++ {
						c := genDense(r, k, rows, cols)
						miss := make([]float64, rows)
						nw := make([]float64, cols)
						for i := range miss {
							miss[i] = k.gen(r)
						}
						for j := range nw {
							nw[j] = k.gen(r)
						}
						want := bruteTrack(rows, cols, c, miss, nw)
						p := toSparse(r, rows, cols, c, Minimize)
						p.Miss, p.New = miss, nw
						require.NoError(t, w.Solve(&res, p))
						checkTrack(t, rows, cols, c, miss, nw, &res)
						tl := tol(append(append(c, miss...), nw...))
						require.InDelta(t, want, res.Cost, tl, "%dx%d %v miss %v new %v", rows, cols, c, miss, nw)
						require.NoError(t, sv.Solve(&res, p))
						checkTrack(t, rows, cols, c, miss, nw, &res)
						require.InDelta(t, want, res.Cost, tl, "decomposed %dx%d %v miss %v new %v", rows, cols, c, miss, nw)
						// the same problem maximised on negated costs
						neg := func(x []float64) []float64 {
							y := make([]float64, len(x))
							for i, v := range x {
								y[i] = -v
							}
							return y
						}
						pm := toSparse(r, rows, cols, neg(c), Maximize)
						pm.Miss, pm.New = neg(miss), neg(nw)
						var rm Result
						require.NoError(t, w.Solve(&rm, pm))
						require.InDelta(t, -want, rm.Cost, tl, "maximised %dx%d", rows, cols)
						if rows+cols <= 8 {
							// the explicitly augmented (rows+cols)² matrix, brute-forced
							aug := augmented(rows, cols, c, miss, nw)
							_, want2 := brute(rows+cols, rows+cols, aug, Minimize)
							require.InDelta(t, want2, res.Cost, tl, "augmented %dx%d", rows, cols)
						}
					}
				}
			}
		})
	}
}

// checkTrack verifies a tracking-form result and its reported cost.
func checkTrack(t *testing.T, rows, cols int, c, miss, nw []float64, res *Result) {
	t.Helper()
	checkTrackTol(t, rows, cols, c, miss, nw, res, 0)
}

// checkTrackTol is checkTrack with an extra absolute tolerance on the reported cost.
func checkTrackTol(t *testing.T, rows, cols int, c, miss, nw []float64, res *Result, extra float64) {
	t.Helper()
	require.Len(t, res.RowCol, rows)
	require.Len(t, res.ColRow, cols)
	sum, scale, pairs := 0.0, 0.0, 0
	for i, j := range res.RowCol {
		if j < 0 {
			sum += miss[i]
			scale += math.Abs(miss[i])
			continue
		}
		require.Equal(t, int32(i), res.ColRow[j])
		v := c[i*cols+int(j)]
		require.False(t, math.IsInf(v, 0))
		sum += v
		scale += math.Abs(v)
		pairs++
	}
	for j, i := range res.ColRow {
		if i < 0 {
			sum += nw[j]
			scale += math.Abs(nw[j])
		} else {
			require.Equal(t, int32(j), res.RowCol[i])
		}
	}
	require.Equal(t, pairs, res.Pairs)
	require.InDelta(t, sum, res.Cost, 1e-12*scale+1e-300+extra)
}

// augmented builds the classic (rows+cols)×(cols+rows) matrix of the tracking form: pair
// costs top left, miss costs on the diagonal of the top right block, new costs on the
// diagonal of the bottom left block, zeros bottom right, +Inf elsewhere.
func augmented(rows, cols int, c, miss, nw []float64) []float64 {
	n := rows + cols
	a := make([]float64, n*n)
	for i := range a {
		a[i] = math.Inf(1)
	}
	for i := 0; i < rows; i++ {
		copy(a[i*n:i*n+cols], c[i*cols:(i+1)*cols])
		a[i*n+cols+i] = miss[i]
	}
	for j := 0; j < cols; j++ {
		a[(rows+j)*n+j] = nw[j]
		for i := 0; i < rows; i++ {
			a[(rows+j)*n+cols+i] = 0
		}
	}
	return a
}
