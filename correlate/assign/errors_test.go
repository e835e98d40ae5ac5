package assign

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	ok := func() *Sparse {
		return &Sparse{Rows: 2, Cols: 2, Start: []int32{0, 2, 3}, Col: []int32{0, 1, 1}, Cost: []float64{1, 2, 3}}
	}
	cases := []struct {
		name string
		edit func(p *Sparse)
		want error
		row  int
		col  int
	}{
		{"NaN cost", func(p *Sparse) { p.Cost[1] = nan }, ErrNaN, 0, 1},
		{"-Inf when minimising", func(p *Sparse) { p.Cost[2] = -inf }, ErrNonFinite, 1, 1},
		{"+Inf when maximising", func(p *Sparse) { p.Cost[0] = inf; p.Sense = Maximize }, ErrNonFinite, 0, 0},
		{"column out of range", func(p *Sparse) { p.Col[2] = 2 }, ErrIndex, 1, 2},
		{"negative column", func(p *Sparse) { p.Col[0] = -1 }, ErrIndex, 0, -1},
		{"short Start", func(p *Sparse) { p.Start = p.Start[:2] }, ErrDimension, -1, -1},
		{"decreasing Start", func(p *Sparse) { p.Start[1] = 4 }, ErrDimension, 0, -1},
		{"Start[0] not zero", func(p *Sparse) { p.Start[0] = 1 }, ErrDimension, 0, -1},
		{"Cost shorter than Col", func(p *Sparse) { p.Cost = p.Cost[:2] }, ErrDimension, -1, -1},
		{"negative Rows", func(p *Sparse) { p.Rows = -1 }, ErrDimension, -1, -1},
		{"Miss without New", func(p *Sparse) { p.Miss = []float64{1, 1} }, ErrDimension, -1, -1},
		{"Miss wrong length", func(p *Sparse) { p.Miss, p.New = []float64{1}, []float64{1, 1} }, ErrDimension, -1, -1},
		{"NaN miss", func(p *Sparse) { p.Miss, p.New = []float64{1, nan}, []float64{1, 1} }, ErrNaN, 1, -1},
		{"infinite new", func(p *Sparse) { p.Miss, p.New = []float64{1, 1}, []float64{1, inf} }, ErrNonFinite, -1, 1},
		{"unknown sense", func(p *Sparse) { p.Sense = 7 }, ErrDimension, -1, -1},
	}
	var w Workspace
	sv, err := NewSolver(Config{Workers: 2})
	require.NoError(t, err)
	defer sv.Close()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ok()
			c.edit(p)
			res := Result{RowCol: []int32{7}, Cost: 42}
			for _, err := range []error{w.Solve(&res, p), sv.Solve(&res, p), kbestErr(&w, p)} {
				require.Error(t, err)
				assert.True(t, errors.Is(err, c.want), "%v", err)
				var e *Error
				require.True(t, errors.As(err, &e))
				assert.Equal(t, c.row, e.Row, "row")
				assert.Equal(t, c.col, e.Col, "col")
			}
			assert.Equal(t, Result{RowCol: []int32{7}, Cost: 42}, res, "dst changed on error")
		})
	}
}

func kbestErr(w *Workspace, p *Sparse) error {
	_, err := w.KBest(nil, p, 3)
	return err
}

func TestBadDense(t *testing.T) {
	var w Workspace
	res := Result{Cost: 42}
	cases := []struct {
		name       string
		rows, cols int
		c          []float64
		sense      Sense
		want       error
	}{
		{"length", 2, 2, []float64{1, 2, 3}, Minimize, ErrDimension},
		{"negative", -1, 2, nil, Minimize, ErrDimension},
		{"NaN", 2, 2, []float64{1, 2, math.NaN(), 3}, Minimize, ErrNaN},
		{"-Inf minimising", 1, 2, []float64{1, math.Inf(-1)}, Minimize, ErrNonFinite},
		{"+Inf maximising", 1, 2, []float64{1, math.Inf(1)}, Maximize, ErrNonFinite},
	}
	for _, c := range cases {
		err := w.Dense(&res, c.rows, c.cols, c.c, c.sense)
		assert.True(t, errors.Is(err, c.want), "%s: %v", c.name, err)
	}
	assert.Equal(t, Result{Cost: 42}, res)
}

// FuzzSparse decodes a small problem from bytes (sizes, candidates, costs that may be NaN
// or infinite, the form and the sense) and checks that nothing panics, that bad input is
// an *Error, and that valid input gives a valid assignment whose cost matches brute force.
func FuzzSparse(f *testing.F) {
	f.Add([]byte{3, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	f.Add([]byte{2, 4, 1, 0xff, 0xf8, 0, 0, 0, 0, 0, 1, 9, 9, 9})
	f.Add([]byte{5, 1, 2, 1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 {
			return
		}
		p := decodeFuzz(data)
		rows, cols := p.Rows, p.Cols
		var w Workspace
		var res Result
		err := w.Solve(&res, p)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e))
			return
		}
		c := toDense(p)
		if p.Sense == Maximize {
			for i := range c {
				if math.IsInf(c[i], 1) {
					c[i] = math.Inf(-1)
				}
			}
			for i := 0; i < p.Rows; i++ { // toDense keeps the least of duplicates
				for k := p.Start[i]; k < p.Start[i+1]; k++ {
					c[i*cols+int(p.Col[k])] = math.Inf(-1)
				}
			}
			for i := 0; i < p.Rows; i++ {
				for k := p.Start[i]; k < p.Start[i+1]; k++ {
					x := &c[i*cols+int(p.Col[k])]
					*x = max(*x, p.Cost[k])
				}
			}
		}
		all := append(append(append([]float64(nil), c...), p.Miss...), p.New...)
		if tol(all) > 1e240 {
			// sums may overflow: only the structure is checked
			checkStructure(t, rows, cols, c, &res)
			return
		}
		// Duplicate pairs whose costs differ by less than the rounding bound may be
		// reported at either cost.
		if p.Miss != nil {
			checkTrackTol(t, rows, cols, c, p.Miss, p.New, &res, 10*tol(all))
			if p.Sense == Minimize {
				require.InDelta(t, bruteTrack(rows, cols, c, p.Miss, p.New), res.Cost, 10*tol(all))
			}
		} else {
			checkResultTol(t, rows, cols, c, &res, 10*tol(all))
			wp, wc := brute(rows, cols, c, p.Sense)
			require.Equal(t, wp, res.Pairs)
			require.InDelta(t, wc, res.Cost, 10*tol(all))
		}
		sv, err := NewSolver(Config{Workers: 2})
		require.NoError(t, err)
		defer sv.Close()
		var r2 Result
		require.NoError(t, sv.Solve(&r2, p))
		require.InDelta(t, res.Cost, r2.Cost, 10*tol(all))
		_, err = w.KBest(nil, p, 5)
		require.NoError(t, err)
	})
}

// decodeFuzz builds a problem of at most 6×6 from data (len ≥ 3).
func decodeFuzz(data []byte) *Sparse {
	rows, cols, flags := int(data[0]%7), int(data[1]%7), data[2]
	data = data[3:]
	p := &Sparse{Rows: rows, Cols: cols, Start: make([]int32, rows+1)}
	if flags&1 != 0 {
		p.Sense = Maximize
	}
	next := func() (byte, bool) {
		if len(data) == 0 {
			return 0, false
		}
		b := data[0]
		data = data[1:]
		return b, true
	}
	cost := func() float64 {
		if len(data) >= 8 && data[0]&0x80 != 0 {
			v := math.Float64frombits(binary.LittleEndian.Uint64(data))
			data = data[8:]
			return v
		}
		b, _ := next()
		return float64(int(b)%41 - 10)
	}
	for i := 0; i < rows; i++ {
		nb, _ := next()
		for a := 0; a < int(nb%5); a++ {
			j, _ := next()
			p.Col = append(p.Col, int32(int(j)%(cols+1))) // may be out of range
			p.Cost = append(p.Cost, cost())
		}
		p.Start[i+1] = int32(len(p.Col))
	}
	if flags&2 != 0 {
		p.Miss = make([]float64, rows)
		p.New = make([]float64, cols)
		for i := range p.Miss {
			p.Miss[i] = cost()
		}
		for j := range p.New {
			p.New[j] = cost()
		}
	}
	return p
}

// checkStructure checks that res is a matching over allowed pairs.
func checkStructure(t *testing.T, rows, cols int, c []float64, res *Result) {
	t.Helper()
	require.Len(t, res.RowCol, rows)
	require.Len(t, res.ColRow, cols)
	for i, j := range res.RowCol {
		if j >= 0 {
			require.Equal(t, int32(i), res.ColRow[j])
			require.False(t, math.IsInf(c[i*cols+int(j)], 0))
		}
	}
}
