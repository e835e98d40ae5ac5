package assign

import "math"

// dense holds the internal copy of a dense problem: minimisation, rows ≤ columns
// (transposed when needed), forbidden entries +Inf.
type dense struct {
	c    []float64
	rows []int32
}

// Dense solves the rows×cols problem whose cost of pair (i, j) is cost[i*cols+j] and writes
// the assignment into dst (Result.Cost is the sum of the chosen entries). Entries equal to
// the forbidden infinity of sense (+Inf when minimising, -Inf when maximising) are
// forbidden; the other infinity and NaN are errors. When no assignment covers
// min(rows, cols) pairs, the result has the largest possible number of pairs and, among
// those, the best total cost. On error dst is left unchanged.
//
// The solver is the shortest augmenting path method of Jonker and Volgenant over dense
// arrays: O(rows·cols) memory in the workspace and O(min(rows,cols)²·max(rows,cols))
// time in the worst case.
func (w *Workspace) Dense(dst *Result, rows, cols int, cost []float64, sense Sense) error {
	if rows < 0 || cols < 0 || sense > Maximize {
		return newErr(ErrDimension, -1, -1, -1, "negative size or unknown Sense")
	}
	if rows != 0 && cols > math.MaxInt/rows || len(cost) != rows*cols {
		return newErr(ErrDimension, -1, -1, -1, "len(cost) != rows*cols")
	}
	bad := math.Inf(-1)
	sign := 1.0
	if sense == Maximize {
		bad, sign = math.Inf(1), -1
	}
	for k, c := range cost {
		if c != c {
			return newErr(ErrNaN, k/cols, k%cols, -1, "")
		}
		if c == bad {
			return newErr(ErrNonFinite, k/cols, k%cols, -1, "")
		}
	}
	tr := rows > cols
	n, m := rows, cols
	if tr {
		n, m = cols, rows
	}
	dn := &w.dn
	dn.c = grow(dn.c, n*m)
	if tr {
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				dn.c[j*m+i] = sign * cost[i*cols+j]
			}
		}
	} else {
		for k, c := range cost {
			dn.c[k] = sign * c
		}
	}
	st := &w.st
	st.reset(n, m)
	s := &w.s
	s.ensure(m)
	dn.solve(s, st, n, m)

	dst.RowCol = grow(dst.RowCol, rows)
	dst.ColRow = grow(dst.ColRow, cols)
	if tr {
		copy(dst.RowCol, st.colRow[:m])
		copy(dst.ColRow, st.rowCol[:n])
	} else {
		copy(dst.RowCol, st.rowCol[:n])
		copy(dst.ColRow, st.colRow[:m])
	}
	total, pairs := 0.0, 0
	for i, j := range dst.RowCol {
		if j >= 0 {
			total += cost[i*cols+int(j)]
			pairs++
		}
	}
	dst.Cost, dst.Pairs = total, pairs
	return nil
}

func (dn *dense) solve(s *searcher, st *state, n, m int) {
	inf := math.Inf(1)
	c := dn.c
	dn.rows = dn.rows[:0]
	for i := 0; i < n; i++ {
		row := c[i*m : (i+1)*m]
		best, bj := inf, -1
		for j, x := range row {
			if x < best {
				best, bj = x, j
			}
		}
		if bj < 0 {
			continue
		}
		if st.colRow[bj] < 0 {
			st.colRow[bj] = int32(i)
			st.rowCol[i] = int32(bj)
			st.u[i] = best
		} else {
			dn.rows = append(dn.rows, int32(i))
		}
	}
	rem := grow(s.heap, m) // columns not yet finalised
	u, v, colRow := st.u, st.v, st.colRow
	d, pred := s.d[:m], s.pred[:m]
	for _, i := range dn.rows {
		for j := range d {
			d[j] = inf
			rem[j] = int32(j)
		}
		left := m
		s.fin = s.fin[:0]
		k, dk, uk := i, 0.0, u[i]
		ui := uk
		sink := int32(-1)
		for {
			row := c[int(k)*m : int(k+1)*m]
			best, bi := inf, -1
			for idx, j := range rem[:left] {
				if nd := dk + row[j] - uk - v[j]; nd < d[j] {
					d[j] = nd
					pred[j] = k
				}
				if dj := d[j]; dj < best || (dj == best && bi >= 0 && colRow[j] < 0 && colRow[rem[bi]] >= 0) {
					best, bi = dj, idx
				}
			}
			if bi < 0 {
				break
			}
			j := rem[bi]
			left--
			rem[bi] = rem[left]
			if colRow[j] < 0 {
				sink = j
				break
			}
			s.fin = append(s.fin, j)
			k, dk = colRow[j], best
			uk = u[k]
		}
		s.conclude(st, i, ui, sink)
	}
	for j := range d {
		d[j] = inf
	}
	s.fin = s.fin[:0]
	s.heap = rem[:0]
}
