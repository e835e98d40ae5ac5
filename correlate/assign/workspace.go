package assign

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
	direct, err := validate(p)
	if err != nil {
		return err
	}
	w.pr.load(p, direct)
	w.st.reset(w.pr.n, w.pr.nc)
	w.s.ensure(w.pr.nc)
	w.rows = iota32(w.rows, w.pr.n)
	w.s.solveRows(&w.pr, &w.st, w.rows)
	w.pr.result(dst, &w.st, p)
	w.pr.release()
	return nil
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
		cost += pr.pairCost(p, int32(i), j)
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
