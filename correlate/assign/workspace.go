package assign

import "math"

// Workspace holds everything a solve needs so that repeated solves of problems of similar
// size allocate nothing. A Workspace is not safe for concurrent use; use one per
// goroutine. The zero value is ready to use.
type Workspace struct {
	pr   problem
	st   state
	s    searcher
	rows []int32
	dn   dense
	kb   kbest
}

// Solve solves the sparse problem p exactly (see Sparse for the two forms) and writes the
// assignment into dst, reusing dst's slices. On error dst is left unchanged.
func (w *Workspace) Solve(dst *Result, p *Sparse) error {
	if err := validateHeader(p); err != nil {
		return err
	}
	if p.Sense == Minimize {
		var done bool
		var err error
		if p.Miss == nil && p.New == nil {
			done, err = w.solvePlain(p)
		} else {
			done, err = w.solveTrack(p)
		}
		if err != nil {
			return err
		}
		if done {
			w.pr.result(dst, &w.st, p)
			w.pr.release()
			return nil
		}
	}
	if err := w.pr.load(p, false); err != nil {
		return err
	}
	w.st.reset(w.pr.n, w.pr.nc)
	w.s.ensure(w.pr.nc)
	w.s.reserve(w.pr.n, w.pr.nc)
	w.s.begin(w.pr.n, w.pr.nc)
	w.rows = iota32(w.rows, w.pr.n)
	w.s.solveRows(&w.pr, &w.st, w.rows)
	w.pr.result(dst, &w.st, p)
	w.pr.release()
	return nil
}

// solvePlain solves a plain minimisation in place, validating each row's candidates in
// the same pass as the greedy start. It gives up (false, nil) at the first forbidden
// (+Inf) candidate, leaving the problem to the copying path.
func (w *Workspace) solvePlain(p *Sparse) (bool, error) {
	pr, st, s := &w.pr, &w.st, &w.s
	_ = pr.load(p, true)
	n, m := p.Rows, p.Cols
	st.reset(n, m)
	s.ensure(m)
	s.reserve(n, m)
	s.begin(n, m)
	s.queue = s.queue[:0]
	start := p.Start[:n+1]
	cols := p.Col
	costs := p.Cost[:len(cols)]
	a := start[0]
	for i := 0; i < n; i++ {
		b := start[i+1]
		if b < a || int(b) > len(cols) {
			pr.release()
			return false, newErr(ErrDimension, i, -1, -1, "row offsets decrease or exceed len(Col)")
		}
		rc, rk := cols[a:b], costs[a:b]
		x, best := rowMin(rc, rk, m)
		if x < 0 {
			pr.release()
			return false, badCandidate(p, i, a-x-1, m) // nil for +Inf: forbidden, needs the copy
		}
		if int(x) < len(rc) {
			st.rowArc[i], st.u[i] = a+x, best
		}
		a = b
	}
	s.settle(st, cols, n)
	s.rest(pr, st)
	return true, nil
}

// solveTrack solves a minimised tracking form in place, like solvePlain: instead of
// copying the problem with the new cost of column j subtracted from its pairs, column j's
// dual starts at New[j] (the reduced costs c - u - v are then the copy's), and each row's
// dummy column m+i is offered by the searches at the row's miss cost (see augment). It
// gives up (false, nil) at the first forbidden (+Inf) candidate, leaving the problem to
// the copying path.
func (w *Workspace) solveTrack(p *Sparse) (bool, error) {
	pr, st, s := &w.pr, &w.st, &w.s
	_ = pr.load(p, true)
	n, m := p.Rows, p.Cols
	nc := m + n
	pr.track, pr.nc, pr.miss = true, nc, p.Miss
	st.reset(n, nc)
	s.ensure(nc)
	s.reserve(n, nc)
	s.begin(n, nc)
	s.queue = s.queue[:0]
	pnew := p.New[:m]
	copy(s.cv[:m], pnew)
	start := p.Start[:n+1]
	cols := p.Col
	costs := p.Cost[:len(cols)]
	miss := p.Miss[:n]
	valid := checkAll(cols, costs, m)
	a := start[0]
	for i := 0; i < n; i++ {
		b := start[i+1]
		if b < a || int(b) > len(cols) {
			pr.release()
			return false, newErr(ErrDimension, i, -1, -1, "row offsets decrease or exceed len(Col)")
		}
		rc, rk := cols[a:b], costs[a:b]
		var x int32
		var best float64
		if valid {
			x, best = argMinTrack(rc, rk, pnew)
		} else if x, _ = rowMin(rc, rk, m); x >= 0 {
			x, best = argMinTrack(rc, rk, pnew)
		}
		if x < 0 {
			pr.release()
			return false, badCandidate(p, i, a-x-1, m) // nil for +Inf: forbidden, needs the copy
		}
		// The copy's order: the row's first least pair, then its dummy if cheaper.
		if c := miss[i]; !(int(x) < len(rc)) || c < best {
			s.take(st, int32(i), int32(m+i), -1, c)
		} else {
			st.rowArc[i], st.u[i] = a+x, best
		}
		a = b
	}
	s.settle(st, cols, n)
	s.rest(pr, st)
	return true, nil
}

// checkAll reports whether every candidate cols, costs has a column in [0, m) and a
// finite cost: the largest column as uint32 and sums of c - c (0 unless some c is ±Inf
// or NaN), two candidates a step, without branches. When it holds, the tracking form's
// greedy pass looks for each row's minimum without checks; otherwise it checks row by
// row (rowMin), so that the first bad candidate in row order is reported.
func checkAll(cols []int32, costs []float64, m int) bool {
	costs = costs[:len(cols)]
	var m0, m1 uint32
	a0, a1 := 0.0, 0.0
	x := 0
	for ; x+1 < len(cols); x += 2 {
		c0, c1 := costs[x], costs[x+1]
		m0 = max(m0, uint32(cols[x]))
		m1 = max(m1, uint32(cols[x+1]))
		a0 += c0 - c0
		a1 += c1 - c1
	}
	if x < len(cols) {
		c := costs[x]
		m0 = max(m0, uint32(cols[x]))
		a0 += c - c
	}
	return len(cols) == 0 || (max(m0, m1) < uint32(m) && a0+a1 == 0)
}

// argMinTrack returns the place of the first least c - New[j] (as in the copying load)
// among the checked candidates cols, costs and that value, len(cols) when there is none.
// Like rowMin it keeps the minimum without branches.
//
//go:noinline
func argMinTrack(cols []int32, costs, pnew []float64) (int32, float64) {
	costs = costs[:len(cols)]
	best, bx := math.Inf(1), int32(len(cols))
	for x, j := range cols {
		c := costs[x] - pnew[j]
		if c < best {
			bx = int32(x)
		}
		best = min(best, c)
	}
	return bx, best
}

// rowMin returns the place of the first least cost among the candidates cols, costs and
// that cost, len(cols) when there is none, or -1-x when candidate x is the first with a
// column out of [0, m) or a cost that is not finite. Its loop has no branch but its own:
// the least cost is kept by min and its place by a conditional move (on a tie of -0 and
// +0 the cost returned may be either zero), and the checks are a running maximum of the
// columns and a sum of c - c (NaN for NaN and ±Inf, and so is the sum) tested once per
// row. The place is not used as an address inside the function, which would keep the
// compiler from the conditional move.
//
//go:noinline
func rowMin(cols []int32, costs []float64, m int) (int32, float64) {
	costs = costs[:len(cols)]
	var mx uint32
	var chk float64
	best, bx := math.Inf(1), int32(len(cols))
	for x, j := range cols {
		c := costs[x]
		mx = max(mx, uint32(j))
		chk += c - c
		if c < best {
			bx = int32(x)
		}
		best = min(best, c)
	}
	if len(cols) > 0 && (mx >= uint32(m) || chk != 0) {
		return rowBad(cols, costs, m), 0
	}
	return bx, best
}

// rowBad returns -1-x for the first candidate x with a column out of [0, m) or a cost
// that is not finite.
func rowBad(cols []int32, costs []float64, m int) int32 {
	for x, j := range cols {
		if c := costs[x]; uint32(j) >= uint32(m) || c-c != 0 {
			return -1 - int32(x)
		}
	}
	return -1 // not reached
}

func iota32(s []int32, n int) []int32 {
	s = grow(s, n)
	for i := range s {
		s[i] = int32(i)
	}
	return s
}

// pairCost returns the caller's cost of the pair (i, j) chosen by the solver: the best
// of its duplicates, compared in the caller's costs.
func (pr *problem) pairCost(p *Sparse, i int32, j int32) float64 {
	best, found := 0.0, false
	for k := pr.start[i]; k < pr.start[i+1]; k++ {
		if pr.col[k] != j {
			continue
		}
		o := k
		if pr.orig != nil {
			o = pr.orig[k]
		}
		c := p.Cost[o]
		if !found || (p.Sense == Maximize && c > best) || (p.Sense != Maximize && c < best) {
			best, found = c, true
		}
	}
	return best
}

// result writes the assignment held in st into dst, with the total cost computed from the
// caller's costs in row order, then column order.
func (pr *problem) result(dst *Result, st *state, p *Sparse) {
	n, m := pr.n, pr.m
	dst.RowCol = grow(dst.RowCol, n)
	dst.ColRow = grow(dst.ColRow, m)
	copy(dst.ColRow, st.colRow[:m])
	cost := 0.0
	pairs := 0
	for i := 0; i < n; i++ {
		j := st.rowCol[i]
		if j < 0 || int(j) >= m {
			dst.RowCol[i] = -1
			if pr.track {
				cost += p.Miss[i]
			}
			continue
		}
		dst.RowCol[i] = j
		pairs++
		k := st.rowArc[i]
		if pr.orig != nil {
			k = pr.orig[k]
		}
		cost += p.Cost[k]
	}
	if pr.track {
		for j := 0; j < m; j++ {
			if dst.ColRow[j] < 0 {
				cost += p.New[j]
			}
		}
	}
	dst.Cost = cost
	dst.Pairs = pairs
}

// badCandidate returns the error for candidate k of row i of p, which a row scan found
// out of range, NaN or −Inf, or nil when it is +Inf (forbidden).
func badCandidate(p *Sparse, i int, k int32, m int) error {
	j, c := p.Col[k], p.Cost[k]
	switch {
	case uint32(j) >= uint32(m):
		return newErr(ErrIndex, i, int(j), int(k), "")
	case c != c:
		return newErr(ErrNaN, i, int(j), int(k), "")
	case c == math.Inf(-1):
		return newErr(ErrNonFinite, i, int(j), int(k), "")
	}
	return nil
}
