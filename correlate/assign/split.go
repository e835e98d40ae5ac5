package assign

import (
	"math/bits"
	"runtime"
	"sync/atomic"
)

// The parallel split computes exactly what split computes, in phases that every worker
// runs on its own shard (see splitShard). Each worker first runs a union-find of its own
// over its rows and their candidates, with the rows' parents in the shared parent array
// (each worker writes only its own rows) and the columns' in an array of its own, which
// holds the row a column is attached to; a column that several workers' rows share then
// joins their components in a union-find over the rows, which the workers share through
// atomic operations. Both link the larger root under the smaller, as split does, so that
// parents are always smaller than their children and the root of a component is its
// smallest row, its first (rows are 0..n-1, columns n..n+m-1, and every column with a
// candidate shares a component with a row), whatever order the links are made in. A
// component's label is the number of roots among the rows before its root; the rows and
// columns are then placed by a counting sort whose per-worker counts keep them in index
// order within each component.

// splitRows returns worker k's rows in the parallel split: prepare's shards with their
// bounds rounded down to multiples of 64, so that each worker owns whole words of the
// bitmap of roots.
func (s *Solver) splitRows(k int) (lo, hi int) {
	n, w := s.pr.n, s.workers
	lo = (k * n / w) &^ 63
	hi = n
	if k+1 < w {
		hi = ((k + 1) * n / w) &^ 63
	}
	return lo, hi
}

// splitCols returns worker k's columns in the parallel split, prepare's shards of the
// real columns.
func (s *Solver) splitCols(k int) (lo, hi int) {
	m, w := s.pr.m, s.workers
	return k * m / w, (k + 1) * m / w
}

// splitComps returns worker k's components in the parallel split: those whose roots are
// worker k's rows, which hold most of their rows.
func (s *Solver) splitComps(k int) (lo, hi int) {
	a, b := s.splitRows(k)
	lo, hi = int(s.rootsBelow[a>>6]), s.comps
	if b < s.pr.n {
		hi = int(s.rootsBelow[b>>6])
	}
	return lo, hi
}

// counts returns worker k's counts of rows and of columns per component.
func (s *Solver) counts(k int) (rows, cols []int32) {
	c := s.comps
	b := s.cnt[2*k*c : 2*(k+1)*c]
	return b[:c], b[c:]
}

// startSplit sizes the arrays of the parallel split that do not depend on its result.
func (s *Solver) startSplit() {
	pr := &s.pr
	n, m, w := pr.n, pr.m, s.workers
	s.parent = grow(s.parent, n)
	s.colPar = grow(s.colPar, w*m)
	s.comp = grow(s.comp, n+m)
	s.label = grow(s.label, n)
	s.roots = grow(s.roots, (n+63)/64)
	s.rootsBelow = grow(s.rootsBelow, len(s.roots))
	s.rowLst = grow(s.rowLst, n)
	s.colLst = grow(s.colLst, m)
}

// splitShard is worker k's part of the parallel split; every worker runs it, between
// startSplit and the solve.
func (s *Solver) splitShard(k int) {
	s.unite(k)
	s.barrier(nil)
	s.merge(k)
	s.barrier(nil)
	s.findRoots(k)
	s.barrier((*Solver).countRoots)
	s.labelShard(k)
	s.barrier((*Solver).sumCounts)
	s.offsetShard(k)
	s.barrier(nil)
	s.placeShard(k)
	s.barrier((*Solver).startSolve)
}

// barrier waits until every worker has called it; the last to arrive runs f (if not nil)
// before the others go on. It spins (yielding the processor) rather than blocking: a
// worker woken from a blocked receive started its part of a phase 65–85 µs after the
// caller on the Xeon VM, which in six phases cost more than the split saved.
func (s *Solver) barrier(f func(*Solver)) {
	passed := s.passed.Load()
	if s.arrived.Add(1) == int32(s.workers) {
		s.arrived.Store(0)
		if f != nil {
			f(s)
		}
		s.passed.Add(1)
		return
	}
	for s.passed.Load() == passed {
		runtime.Gosched()
	}
}

// countRoots numbers the roots found by findRoots and sizes the arrays that depend on
// their number.
func (s *Solver) countRoots() {
	comps := int32(0)
	for x, b := range s.roots {
		s.rootsBelow[x] = comps
		comps += int32(bits.OnesCount64(b))
	}
	s.comps = int(comps)
	s.cnt = grow(s.cnt, 2*s.workers*int(comps))
	s.rowOff = grow(s.rowOff, int(comps)+1)
	s.colOff = grow(s.colOff, int(comps)+1)
}

// sumCounts computes the rows and columns before each worker's range of components
// from the totals of labelShard.
func (s *Solver) sumCounts() {
	w := s.workers
	var r, c int32
	for q := 0; q < w; q++ {
		s.base[2*q], s.base[2*q+1] = r, c
		for k := 0; k < w; k++ {
			r += s.tot[2*(k*w+q)]
			c += s.tot[2*(k*w+q)+1]
		}
	}
	s.rowOff[s.comps], s.colOff[s.comps] = r, c
	s.colLst = s.colLst[:c]
}

// link joins the sets of rows a and b in the shared parent array par, the larger root
// under the smaller; it may run concurrently with other calls of link and find on par.
func link(par []int32, a, b int32) {
	for {
		a, b = find(par, a), find(par, b)
		if a == b {
			return
		}
		if a > b {
			a, b = b, a
		}
		if atomic.CompareAndSwapInt32(&par[b], b, a) {
			return
		}
	}
}

// find returns the root of x in the shared parent array par, halving the path; it may run
// concurrently with other calls of link and find on par.
func find(par []int32, x int32) int32 {
	for {
		p := atomic.LoadInt32(&par[x])
		if p == x {
			return x
		}
		g := atomic.LoadInt32(&par[p])
		if g == p {
			return p
		}
		atomic.CompareAndSwapInt32(&par[x], p, g)
		x = g
	}
}

// rootOf returns the root of x in par, which nobody writes during the call.
func rootOf(par []int32, x int32) int32 {
	for {
		p := par[x]
		if p == x {
			return x
		}
		x = p
	}
}

// unite runs worker k's own union-find: its rows, linked with their real candidates.
// Only worker k's rows have parents in it (in s.parent) and the columns are attached to
// rows in worker k's own array of s.colPar, which the other workers do not read.
func (s *Solver) unite(k int) {
	pr := &s.pr
	m := pr.m
	par := s.parent
	att := s.colPar[k*m : (k+1)*m]
	clear(att)
	lo, hi := s.splitRows(k)
	for i := lo; i < hi; i++ {
		par[i] = int32(i)
	}
	start, col := pr.start, pr.col
	for i := lo; i < hi; i++ {
		ri := s.find(int32(i))
		for _, j := range col[start[i]:start[i+1]] {
			if int(j) >= m {
				continue // a dummy column is private to its row
			}
			a := att[j] - 1
			if a < 0 {
				att[j] = ri + 1
				continue
			}
			rj := s.find(a)
			if rj != ri {
				if rj < ri { // the smaller index becomes the root
					ri, rj = rj, ri
				}
				par[rj] = ri
			}
			att[j] = ri + 1
		}
	}
}

// merge joins, through each of worker k's columns, the components of the workers whose
// rows share it, and writes into comp the row the column is attached to (-1 for a
// column without candidates).
func (s *Solver) merge(k int) {
	n, m, w := s.pr.n, s.pr.m, s.workers
	par, comp, att := s.parent, s.comp, s.colPar
	lo, hi := s.splitCols(k)
	for j := lo; j < hi; j++ {
		a := att[j] - 1
		for q := 1; q < w; q++ {
			if b := att[q*m+j] - 1; b >= 0 {
				if a < 0 {
					a = b
				} else {
					link(par, a, b)
				}
			}
		}
		comp[n+j] = a
	}
}

// findRoots writes the root of each of worker k's rows into s.label and marks the
// roots in s.roots. A row's parent is smaller than the row, so a parent among worker
// k's rows has its root written already.
func (s *Solver) findRoots(k int) {
	par, root, roots := s.parent, s.label, s.roots
	lo, hi := s.splitRows(k)
	for x := lo; x < hi; x += 64 {
		b := uint64(0)
		for i := x; i < min(x+64, hi); i++ {
			p := par[i]
			switch {
			case p == int32(i):
				b |= 1 << (i & 63)
			case int(p) >= lo:
				p = root[p]
			default:
				p = rootOf(par, p)
			}
			root[i] = p
		}
		roots[x>>6] = b
	}
}

// labelShard writes into comp the labels of worker k's rows and columns, the number of
// roots among the rows before their components' roots, counts them per component and
// totals the counts of each worker's range of components.
func (s *Solver) labelShard(k int) {
	n := s.pr.n
	root, comp, roots, below := s.label, s.comp, s.roots, s.rootsBelow
	rows, cols := s.counts(k)
	clear(rows)
	clear(cols)
	lo, hi := s.splitRows(k)
	for i := lo; i < hi; i++ {
		r := root[i]
		c := below[r>>6] + int32(bits.OnesCount64(roots[r>>6]&(1<<(r&63)-1)))
		comp[i] = c
		rows[c]++
	}
	lo, hi = s.splitCols(k)
	for j := n + lo; j < n+hi; j++ {
		if a := comp[j]; a >= 0 {
			r := root[a]
			c := below[r>>6] + int32(bits.OnesCount64(roots[r>>6]&(1<<(r&63)-1)))
			comp[j] = c
			cols[c]++
		}
	}
	// the rows and columns in each worker's range of components (see offsetShard)
	w := s.workers
	for q := 0; q < w; q++ {
		lo, hi := s.splitComps(q)
		var r, c int32
		for _, x := range rows[lo:hi] {
			r += x
		}
		for _, x := range cols[lo:hi] {
			c += x
		}
		s.tot[2*(k*w+q)], s.tot[2*(k*w+q)+1] = r, c
	}
}

// offsetShard turns the counts of worker k's components into the offsets of the
// components and the place of each worker's first row and column in each of them.
func (s *Solver) offsetShard(k int) {
	lo, hi := s.splitComps(k)
	r, c := s.base[2*k], s.base[2*k+1]
	for x := lo; x < hi; x++ {
		s.rowOff[x], s.colOff[x] = r, c
		for q := 0; q < s.workers; q++ {
			rows, cols := s.counts(q)
			tr, tc := rows[x], cols[x]
			rows[x], cols[x] = r, c
			r += tr
			c += tc
		}
	}
}

// placeShard places worker k's rows and columns in their components.
func (s *Solver) placeShard(k int) {
	n := s.pr.n
	comp, rowLst, colLst := s.comp, s.rowLst, s.colLst
	rows, cols := s.counts(k)
	lo, hi := s.splitRows(k)
	for i := lo; i < hi; i++ {
		c := comp[i]
		rowLst[rows[c]] = int32(i)
		rows[c]++
	}
	lo, hi = s.splitCols(k)
	for j := lo; j < hi; j++ {
		if c := comp[n+j]; c >= 0 {
			colLst[cols[c]] = int32(j)
			cols[c]++
		}
	}
}
