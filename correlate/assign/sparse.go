package assign

import "math"

// Sense says whether a problem is minimised or maximised.
type Sense uint8

const (
	// Minimize makes the solver minimise the total cost (the default). The forbidden
	// value is +Inf; -Inf is an error.
	Minimize Sense = iota
	// Maximize makes the solver maximise the total cost (a score). The forbidden value is
	// -Inf; +Inf is an error.
	Maximize
)

// Sparse is a gated assignment problem in compressed sparse rows: the candidates of row i
// are Col[Start[i]:Start[i+1]] with costs Cost[Start[i]:Start[i+1]]. Pairs that are not
// candidates are forbidden. A candidate whose cost is the forbidden infinity of the sense
// (+Inf when minimising) is skipped. When a pair appears more than once the best of its
// costs is used; duplicates whose costs differ by less than the rounding bound of the
// package documentation may be reported at either cost (gaters produce no duplicates).
//
// With Miss and New both nil the problem is the plain form: the solver returns the
// largest number of pairs and, among assignments of that size, the least total cost.
// With both set it is the tracking form: row i may stay unassigned at cost Miss[i] (a
// track's missed detection) and column j at cost New[j] (a detection that starts a new
// track or is clutter); the solver minimises the sum of the chosen pair costs and of the
// miss and new costs of everything left unassigned. Miss and New must be finite.
type Sparse struct {
	Rows, Cols int       // number of rows (tracks) and columns (detections), ≥ 0
	Start      []int32   // row offsets into Col and Cost, len Rows+1, Start[0] = 0
	Col        []int32   // candidate column of each pair, in [0, Cols)
	Cost       []float64 // cost of each pair
	Miss       []float64 // tracking form: cost of leaving row i unassigned, len Rows, or nil
	New        []float64 // tracking form: cost of leaving column j unassigned, len Cols, or nil
	Sense      Sense     // Minimize (default) or Maximize
}

// Result is an assignment. Its slices are reused from one solve to the next when their
// capacity allows.
type Result struct {
	RowCol []int32 // column assigned to each row, or -1; len Rows
	ColRow []int32 // row assigned to each column, or -1; len Cols
	Cost   float64 // total cost in the problem's own sense and units (see Sparse)
	Pairs  int     // number of assigned (row, column) pairs
}

// grow returns s resized to n, reusing its storage when it can.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// problem is the internal form every sparse solver works on: minimisation, forbidden pairs
// removed, and in the tracking form one private dummy column m+i per row i whose cost is
// the miss cost, the new-track cost of column j subtracted from every pair (i, j).
type problem struct {
	n, m, nc int
	track    bool
	start    []int32
	col      []int32
	cost     []float64
	orig     []int32 // index of the pair in the caller's problem, -1 for a dummy; nil when direct
	direct   bool    // start, col and cost are the caller's
	best     []int32 // per row: its cheapest candidate (first on ties), -1 if none; not when direct
	// miss is the caller's Miss in the tracking form solved in place (direct): the dummy
	// columns m+i are then not candidates but offered by augment, and the duals of the
	// real columns start at their new costs; nil otherwise.
	miss []float64
}

// release drops references to the caller's slices.
func (pr *problem) release() {
	if pr.direct {
		pr.start, pr.col, pr.cost, pr.direct = nil, nil, nil, false
	}
	pr.miss = nil
}

// validateHeader checks sizes, offsets and the miss and new costs of p.
func validateHeader(p *Sparse) error {
	if p.Rows < 0 || p.Cols < 0 || p.Rows >= math.MaxInt32/2 || p.Cols >= math.MaxInt32/2 {
		return newErr(ErrDimension, -1, -1, -1, "negative or too large Rows/Cols")
	}
	if len(p.Start) != p.Rows+1 {
		return newErr(ErrDimension, -1, -1, -1, "len(Start) != Rows+1")
	}
	if len(p.Col) != len(p.Cost) {
		return newErr(ErrDimension, -1, -1, -1, "len(Col) != len(Cost)")
	}
	if p.Start[0] != 0 {
		return newErr(ErrDimension, 0, -1, -1, "Start[0] != 0")
	}
	if int(p.Start[p.Rows]) != len(p.Col) {
		return newErr(ErrDimension, p.Rows, -1, -1, "Start[Rows] != len(Col)")
	}
	if p.Sense > Maximize {
		return newErr(ErrDimension, -1, -1, -1, "unknown Sense")
	}
	if p.Miss != nil || p.New != nil {
		if len(p.Miss) != p.Rows {
			return newErr(ErrDimension, -1, -1, -1, "len(Miss) != Rows")
		}
		if len(p.New) != p.Cols {
			return newErr(ErrDimension, -1, -1, -1, "len(New) != Cols")
		}
		for i, x := range p.Miss {
			if x != x {
				return newErr(ErrNaN, i, -1, -1, "miss cost")
			}
			if math.IsInf(x, 0) {
				return newErr(ErrNonFinite, i, -1, -1, "miss cost")
			}
		}
		for j, x := range p.New {
			if x != x {
				return newErr(ErrNaN, -1, j, -1, "new cost")
			}
			if math.IsInf(x, 0) {
				return newErr(ErrNonFinite, -1, j, -1, "new cost")
			}
		}
	}
	return nil
}

// load builds the internal form of a problem whose header is valid, checking each
// candidate as it copies it. With direct (the candidates have been checked and the problem
// is plain, minimised, without forbidden candidates) it aliases the caller's slices
// instead (they are only read); release drops them.
func (pr *problem) load(p *Sparse, direct bool) error {
	if direct {
		pr.n, pr.m = p.Rows, p.Cols
		pr.miss = nil
		pr.track = false
		pr.nc = pr.m
		pr.start, pr.col, pr.cost = p.Start, p.Col, p.Cost
		pr.orig = nil
		pr.direct = true
		return nil
	}
	pr.size(p)
	n, m := pr.n, pr.m
	// Checked in one pass, the candidates are then copied without checks; a problem
	// with a bad or forbidden candidate is copied row by row by loadRow instead.
	if checkAll(p.Col, p.Cost[:len(p.Col)], m) {
		if i := pr.copyRows(p, 0, n); i >= 0 {
			return newErr(ErrDimension, i, -1, -1, "row offsets decrease or exceed len(Col)")
		}
		pr.trim(p)
		return nil
	}
	sign := costSign(p)
	out := int32(0)
	a := int32(0)
	for i := 0; i < n; i++ {
		b := p.Start[i+1]
		if b < a || int(b) > len(p.Col) {
			return newErr(ErrDimension, i, -1, -1, "row offsets decrease or exceed len(Col)")
		}
		dst, bc, bk, err := pr.loadRow(p, i, a, b, out, sign)
		if err != nil {
			return err
		}
		out = pr.finishRow(p, i, dst, bc, bk, sign)
		a = b
	}
	pr.col, pr.cost, pr.orig = pr.col[:out], pr.cost[:out], pr.orig[:out]
	return nil
}

// size sets the dimensions of the internal form of p and gives its arrays the length of
// a problem without forbidden candidates: len(p.Col) candidates, and in the tracking form
// one dummy per row.
func (pr *problem) size(p *Sparse) {
	n, m := p.Rows, p.Cols
	pr.n, pr.m = n, m
	pr.miss = nil
	if pr.direct {
		pr.start, pr.col, pr.cost, pr.direct = nil, nil, nil, false
	}
	pr.track = p.Miss != nil || p.New != nil
	pr.nc = m
	size := len(p.Col)
	if pr.track {
		pr.nc += n
		size += n
	}
	pr.start = grow(pr.start, n+1)
	pr.col = grow(pr.col, size)
	pr.cost = grow(pr.cost, size)
	pr.orig = grow(pr.orig, size)
	pr.best = grow(pr.best, n)
	pr.start[0] = 0
}

// costSign is the factor that turns p's costs into costs to minimise.
func costSign(p *Sparse) float64 {
	if p.Sense == Maximize {
		return -1
	}
	return 1
}

// trim cuts the arrays sized by size to a problem whose candidates were all copied.
func (pr *problem) trim(p *Sparse) {
	out := len(p.Col)
	if pr.track {
		out += pr.n
	}
	pr.col, pr.cost, pr.orig = pr.col[:out], pr.cost[:out], pr.orig[:out]
}

// copyRows copies the candidates of rows [lo, hi) of p, all checked (checkAll) and none
// forbidden, to their places in the internal form: row i's start at p.Start[i], plus i
// in the tracking form (one dummy per earlier row), so that disjoint row ranges can be
// copied in parallel. It returns the first row whose end offset p.Start[i+1] is below
// its start or beyond len(p.Col), or -1.
func (pr *problem) copyRows(p *Sparse, lo, hi int) int {
	if lo >= hi {
		return -1
	}
	sign := costSign(p)
	col, cost, orig := pr.col, pr.cost, pr.orig
	pcol := p.Col
	pcost := p.Cost[:len(pcol)]
	var pnew []float64
	if pr.track {
		pnew = p.New[:pr.m]
	}
	a := p.Start[lo]
	out := a
	if pr.track {
		out += int32(lo)
	}
	for i := lo; i < hi; i++ {
		b := p.Start[i+1]
		if b < a || int(b) > len(pcol) {
			return i
		}
		dst, bc, bk := out, math.Inf(1), int32(-1)
		if pnew != nil {
			for k := a; k < b; k++ {
				j := pcol[k]
				c := sign*pcost[k] - sign*pnew[j]
				if c < bc {
					bc, bk = c, dst
				}
				col[dst], cost[dst], orig[dst] = j, c, k
				dst++
			}
		} else {
			for k := a; k < b; k++ {
				c := sign * pcost[k]
				if c < bc {
					bc, bk = c, dst
				}
				col[dst], cost[dst], orig[dst] = pcol[k], c, k
				dst++
			}
		}
		out = pr.finishRow(p, i, dst, bc, bk, sign)
		a = b
	}
	return -1
}

// finishRow ends row i, whose candidates end before place out and whose least cost bc is
// at place bk (+Inf, -1 if none): it adds the row's dummy in the tracking form, records
// the row's best candidate and end, and returns the next place.
func (pr *problem) finishRow(p *Sparse, i int, out int32, bc float64, bk int32, sign float64) int32 {
	if pr.track {
		if c := sign * p.Miss[i]; c < bc {
			bk = out
		}
		pr.col[out] = int32(pr.m + i)
		pr.cost[out] = sign * p.Miss[i]
		pr.orig[out] = -1
		out++
	}
	pr.best[i] = bk
	pr.start[i+1] = out
	return out
}

// loadShard is the parallel load's part for rows [lo, hi): when their offsets are in
// order and their candidates pass checkAll, it copies them (copyRows) and reports true;
// otherwise Solve loads the whole problem serially, which reports the first error in
// row order or copies around the forbidden candidates.
func (pr *problem) loadShard(p *Sparse, lo, hi int) bool {
	if lo >= hi {
		return true
	}
	a, b := p.Start[lo], p.Start[hi]
	if a < 0 || b < a || int(b) > len(p.Col) || !checkAll(p.Col[a:b], p.Cost[a:b], pr.m) {
		return false
	}
	return pr.copyRows(p, lo, hi) < 0
}

// loadRow copies the candidates a..b-1 of row i to the internal arrays from place out,
// checking each and skipping the forbidden ones; it returns the next place and the row's
// least cost and its place (+Inf, -1 if none).
func (pr *problem) loadRow(p *Sparse, i int, a, b, out int32, sign float64) (int32, float64, int32, error) {
	m := pr.m
	inf := math.Inf(1)
	bc, bk := inf, int32(-1)
	for k := a; k < b; k++ {
		c := sign * p.Cost[k]
		j := p.Col[k]
		if uint32(j) >= uint32(m) || !(c <= inf) || c == -inf {
			switch {
			case uint32(j) >= uint32(m):
				return 0, 0, 0, newErr(ErrIndex, i, int(j), int(k), "")
			case c != c:
				return 0, 0, 0, newErr(ErrNaN, i, int(j), int(k), "")
			}
			return 0, 0, 0, newErr(ErrNonFinite, i, int(j), int(k), "")
		}
		if c == inf {
			continue
		}
		if pr.track {
			c -= sign * p.New[j]
		}
		if c < bc {
			bc, bk = c, out
		}
		pr.col[out] = j
		pr.cost[out] = c
		pr.orig[out] = k
		out++
	}
	return out, bc, bk, nil
}

const (
	expMask = 0x7ff0000000000000 // exponent bits of a float64
	expOne  = 0x0010000000000000 // one in the exponent's last place
)

// state is an assignment with its dual variables: u per row, v per internal column.
// Invariant between augmentations: for every assigned row k and each of its pairs (k, j),
// cost - u[k] - v[j] ≥ 0 (up to rounding), with equality on the assigned pair, and v = 0
// on every unassigned column.
type state struct {
	u, v           []float64
	rowCol, colRow []int32
	rowArc         []int32 // internal candidate index of each row's pair, -1 if none
}

func (st *state) reset(n, nc int) {
	st.size(n, nc)
	st.clear(0, n, 0, nc)
}

// size gives the state n rows and nc columns without resetting them.
func (st *state) size(n, nc int) {
	st.u = grow(st.u, n)
	st.v = grow(st.v, nc)
	st.rowCol = grow(st.rowCol, n)
	st.colRow = grow(st.colRow, nc)
	st.rowArc = grow(st.rowArc, n)
}

// clear resets rows [r0, r1) and columns [c0, c1): unassigned, duals 0.
func (st *state) clear(r0, r1, c0, c1 int) {
	clear(st.u[r0:r1])
	clear(st.v[c0:c1])
	rowCol, rowArc := st.rowCol[r0:r1], st.rowArc[r0:r1]
	for i := range rowCol {
		rowCol[i] = -1
		rowArc[i] = -1
	}
	colRow := st.colRow[c0:c1]
	for j := range colRow {
		colRow[j] = -1
	}
}

// searcher holds the scratch of one shortest-path search; one per worker.
type searcher struct {
	// the Solver's bookkeeping of the column records cs and cv: dirty when they may
	// hold a solved component's values, and how many more may be reset one by one
	dirty  bool
	budget int
	d      []float64 // tentative reduced distance per internal column, +Inf when untouched
	pred   []int32   // row from which a column was reached
	parc   []int32   // candidate by which a column was reached
	pos    []int32   // heap position, -1 when not in the heap, -2 when finalised
	heap   []int32
	hk     []hent    // augment's reached columns
	af     []hent    // augment's finalised columns in order
	cs     []cstate  // augment's per-column owner and place
	cv     []float64 // augment's column duals
	sq     search
	heaps  int     // searches that switched from the scan to the heap, for the tests
	fin    []int32 // finalised columns in order
	touch  []int32 // columns whose d was set
	queue  []int32 // rows left for the augmentation phase
}

func (s *searcher) ensure(nc int) {
	if cap(s.d) < nc {
		s.d = make([]float64, nc)
		s.pred = make([]int32, nc)
		s.parc = make([]int32, nc)
		s.pos = make([]int32, nc)
		inf := math.Inf(1)
		for j := range s.d {
			s.d[j] = inf
			s.pos[j] = -1
		}
		return
	}
	old := len(s.d)
	s.d = s.d[:nc]
	s.pred = s.pred[:nc]
	s.parc = s.parc[:nc]
	s.pos = s.pos[:nc]
	inf := math.Inf(1)
	for j := old; j < nc; j++ {
		s.d[j] = inf
		s.pos[j] = -1
	}
}

// reserve gives the growing buffers the capacity of the worst case for n rows and nc
// columns, so that no later solve of that size allocates whatever part of it this
// searcher gets.
func (s *searcher) reserve(n, nc int) {
	if cap(s.queue) < n {
		s.queue = make([]int32, 0, n)
	}
	for _, b := range []*[]int32{&s.heap, &s.fin, &s.touch} {
		if cap(*b) < nc+1 {
			*b = make([]int32, 0, nc+1)
		}
	}
	if len(s.cs) < nc {
		s.cs = make([]cstate, nc)
		s.cv = make([]float64, nc)
		for j := range s.cs {
			s.cs[j] = cstate{own: -1, pos: -1}
		}
	}
	for _, b := range []*[]hent{&s.hk, &s.af} {
		if cap(*b) < nc+1 {
			*b = make([]hent, 0, nc+1)
		}
	}
}

func (s *searcher) less(a, b int32) bool {
	da, db := s.d[a], s.d[b]
	return da < db || (da == db && a < b)
}

func (s *searcher) up(i int) {
	h := s.heap
	x := h[i]
	for i > 0 {
		p := (i - 1) / 2
		if !s.less(x, h[p]) {
			break
		}
		h[i] = h[p]
		s.pos[h[i]] = int32(i)
		i = p
	}
	h[i] = x
	s.pos[x] = int32(i)
}

func (s *searcher) pop() int32 {
	h := s.heap
	top := h[0]
	last := h[len(h)-1]
	h = h[:len(h)-1]
	s.heap = h
	if len(h) > 0 {
		i := 0
		n := len(h)
		for {
			l := 2*i + 1
			if l >= n {
				break
			}
			if r := l + 1; r < n && s.less(h[r], h[l]) {
				l = r
			}
			if !s.less(h[l], last) {
				break
			}
			h[i] = h[l]
			s.pos[h[i]] = int32(i)
			i = l
		}
		h[i] = last
		s.pos[last] = int32(i)
	}
	s.pos[top] = -2
	return top
}

// relax offers distance nd to column j reached from row k by candidate arc.
func (s *searcher) relax(j int32, nd float64, k, arc int32) {
	switch p := s.pos[j]; {
	case p == -2:
		return
	case p == -1:
		dj := s.d[j]
		if dj == math.Inf(1) {
			s.touch = append(s.touch, j)
		}
		if !(nd < dj) {
			return
		}
		s.d[j] = nd
		s.pred[j] = k
		s.parc[j] = arc
		s.heap = append(s.heap, j)
		s.up(len(s.heap) - 1)
	default:
		if nd < s.d[j] {
			s.d[j] = nd
			s.pred[j] = k
			s.parc[j] = arc
			s.up(int(p))
		}
	}
}

func (s *searcher) clean() {
	inf := math.Inf(1)
	for _, j := range s.touch {
		s.d[j] = inf
		s.pos[j] = -1
	}
	s.touch = s.touch[:0]
	s.heap = s.heap[:0]
	s.fin = s.fin[:0]
}

// begin prepares the searcher for a solve over n rows and the internal columns [0, nc)
// (after ensure and reserve): every column's record says free, dual 0, not reached.
func (s *searcher) begin(n, nc int) {
	cs := s.cs[:nc]
	for j := range cs {
		cs[j] = cstate{own: -1, pos: -1}
	}
	clear(s.cv[:nc])
}

// take assigns column j to row i by its candidate k at dual u[i] = c, v[j] staying 0:
// the greedy start's step.
func (s *searcher) take(st *state, i, j, k int32, c float64) {
	st.colRow[j] = i
	s.cs[j].own = i
	st.rowCol[i] = j
	st.rowArc[i] = k
	st.u[i] = c
}

// settle ends the greedy start of rows [0, n), each of which has either been assigned
// (with rowArc = -1: a dummy column) or has its least candidate k in rowArc and that cost in u, k = -1 when
// there is none: in row order, a row takes the column of k when it is still free, and
// otherwise is queued for a search with rowArc and u reset. The pass that found the
// minima only stored them, so that the random reads of the columns' owners here are
// independent of one another and overlap in memory.
func (s *searcher) settle(st *state, cols []int32, n int) {
	cs := s.cs
	rowArc, rowCol, u := st.rowArc[:n], st.rowCol[:n], st.u[:n]
	for i, k := range rowArc {
		if k < 0 {
			continue
		}
		if j := cols[k]; cs[j].own < 0 {
			cs[j].own = int32(i)
			st.colRow[j] = int32(i)
			rowCol[i] = j
		} else {
			rowArc[i], u[i] = -1, 0
			s.queue = append(s.queue, int32(i))
		}
	}
}

// enqueue queues row i, whose cheapest column is taken, for a search.
func (s *searcher) enqueue(i int32) {
	s.queue = append(s.queue, i)
}

// solveRows solves the subproblem made of the given rows (and every column they reach),
// whose state entries must have been reset and whose columns' records begun. In the
// plain form a row that cannot be augmented may replace an assigned row when that lowers
// the cost. The duals v stay in the searcher's records (see copyV).
func (s *searcher) solveRows(pr *problem, st *state, rows []int32) {
	s.queue = s.queue[:0]
	// Greedy start: each row takes its cheapest column when that column is free. With
	// v = 0 and u[i] = that cost, the invariant of state holds.
	cs := s.cs
	for _, i := range rows {
		var bk int32
		if pr.direct {
			a, b := pr.start[i], pr.start[i+1]
			if a == b {
				continue
			}
			best := pr.cost[a]
			bk = a
			for k := a + 1; k < b; k++ {
				if c := pr.cost[k]; c < best {
					best, bk = c, k
				}
			}
		} else if bk = pr.best[i]; bk < 0 {
			continue
		}
		if bj := pr.col[bk]; cs[bj].own < 0 {
			s.take(st, i, bj, bk, pr.cost[bk])
		} else {
			s.enqueue(i)
		}
	}
	s.rest(pr, st)
}

// cleanCols resets the column records (owner, search state, dual) of the columns of
// rows, their candidates' and in the tracking form their dummies, to what begin sets,
// while the budget of such resets lasts; past it the records are left dirty, for the
// next begin.
func (s *searcher) cleanCols(pr *problem, rows []int32) {
	if s.dirty {
		return
	}
	n := 0
	for _, i := range rows {
		n += int(pr.start[i+1] - pr.start[i])
	}
	if n > s.budget {
		s.dirty = true
		return
	}
	s.budget -= n
	for _, i := range rows {
		for k := pr.start[i]; k < pr.start[i+1]; k++ {
			j := pr.col[k]
			s.cs[j] = cstate{own: -1, pos: -1}
			s.cv[j] = 0
		}
		if pr.track {
			// the row's dummy, also when it is not among the candidates (pr.miss)
			s.cs[pr.m+int(i)] = cstate{own: -1, pos: -1}
			s.cv[pr.m+int(i)] = 0
		}
	}
}

// copyV copies the duals of the internal columns [0, nc) from the records into st.v.
func (s *searcher) copyV(st *state, nc int) {
	copy(st.v[:nc], s.cv[:nc])
}

// rest assigns the rows of s.queue, one shortest path search each.
func (s *searcher) rest(pr *problem, st *state) {
	for _, i := range s.queue {
		s.augment(pr, st, i)
	}
	s.queue = s.queue[:0]
}

// augment runs one Dijkstra search from the free row i over reduced costs and either
// augments to the nearest free column or, when none is reachable (plain form only), makes
// the cheapest swap of i for an assigned row if that lowers the total cost.
//
// This is the hot loop of the sparse solver, written for few instructions and few cache
// lines per candidate visit rather than through relax and pop (which KBest uses):
//   - the column duals are an array of their own (8 bytes a column), which is all that the
//     common visit reads; each column's owner and search state (place in the reached list,
//     -1 not reached, -2 finalised) are a second 8-byte record, read only for an offer
//     that passes the first test, and the tentative distance, row and candidate a column
//     was reached by live in its list entry, then in its finalised entry (s.af);
//   - offers no nearer than a free column already reached are dropped: the search ends
//     at a free column of least distance D and only columns nearer than D matter (their
//     duals change; those at exactly D keep theirs), and every such column is reached
//     by offers below D;
//   - the reached columns are kept unordered and the nearest found by a scan while there
//     are at most lazyMax of them (the usual search reaches a few dozen), then in a
//     binary heap, so that long searches stay O(E log V).
//
// Only the columns the search reached are cleaned afterwards.
func (s *searcher) augment(pr *problem, st *state, i int32) {
	u := st.u
	q := &s.sq
	q.cs, q.v = s.cs, s.cv
	q.h = s.hk[:cap(s.hk)]
	q.n, q.lim, q.heap = 0, math.Inf(1), false
	cs, cv := s.cs, s.cv
	fin := s.af[:0]
	ui := u[i]
	var sink hent
	found := false
	r, dj, par := i, -ui, int32(-1)
	miss, m := pr.miss, int32(pr.m)
	for {
		q.scan(pr, r, dj, par)
		if miss != nil {
			q.scan1(m+r, dj+miss[r], -1, par)
		}
		top, ok := q.pop()
		if !ok {
			break
		}
		c := &cs[top.j]
		if r = c.own; r < 0 {
			sink, found = top, true
			break
		}
		c.pos = -2
		par = int32(len(fin))
		fin = append(fin, top)
		dj = top.d - u[r]
	}
	if q.heap {
		s.heaps++
	}
	for _, e := range q.h[:q.n] {
		cs[e.j].pos = -1
	}
	q.h, q.cs, q.v = nil, nil, nil
	end, ok := sink, found
	if !found {
		// No free column is reachable: every finalised column is assigned. Replacing
		// row r = own[x] by i along the path to x changes the cost by d[x] + u[i] - u[r].
		best := math.Inf(1)
		for _, e := range fin {
			if g := e.d - u[cs[e.j].own]; g < best {
				best, end = g, e
			}
		}
		ok = len(fin) > 0 && best+ui < 0
	}
	if ok {
		// Augment: columns nearer than D lower their dual by the difference and their
		// rows raise theirs; then flip the path from end back to i.
		D := end.d
		for _, e := range fin {
			if e.d < D {
				cv[e.j] -= D - e.d
				u[cs[e.j].own] += D - e.d
			}
		}
		u[i] += D
		if !found {
			k := cs[end.j].own
			st.rowCol[k] = -1
			st.rowArc[k] = -1
		}
		for e := end; ; e = fin[e.par] {
			// the row e was reached by: i, or the owner of its parent, which the next
			// step gives a new column
			y, k := e.j, i
			if e.par >= 0 {
				k = cs[fin[e.par].j].own
			}
			st.rowCol[k] = y
			st.rowArc[k] = e.arc
			st.colRow[y] = k
			cs[y].own = k
			if e.par < 0 {
				break
			}
		}
	}
	if found {
		cs[sink.j].pos = -1
	}
	for _, e := range fin {
		cs[e.j].pos = -1
	}
	s.af = fin[:0]
}

// search is the state of one augment search besides the per-column records: the reached,
// not yet finalised columns h[:n] (unordered, or a heap once heap is set) and lim, the
// distance of the nearest free column reached so far.
type search struct {
	cs   []cstate
	v    []float64
	h    []hent // len = capacity: room for every column
	n    int32
	lim  float64
	heap bool
}

// scan offers the candidates of row r (reached at distance dj + u[r], the owner of the
// finalised entry par, or the search's own row when par = -1) to the search: column c
// at dj + cost - v[c].
func (q *search) scan(pr *problem, r int32, dj float64, par int32) {
	a, b := pr.start[r], pr.start[r+1]
	cols, costs := pr.col[a:b], pr.cost[a:b]
	v := q.v
	lim := q.lim
	costs = costs[:len(cols)]
	for x, c := range cols {
		nd := dj + costs[x] - v[c]
		if !(nd < lim) {
			continue
		}
		// The rare path is offer written out (a call here costs more than it saves),
		// reading the search's fields from q rather than holding them in registers
		// across the loop, which would spill the common path's.
		e := &q.cs[c]
		p := e.pos
		if p >= 0 {
			if !(nd < q.h[p].d) {
				continue
			}
		} else if p == -1 {
			p = q.n
			q.n++
		} else {
			continue // finalised; only rounding can make nd smaller
		}
		if q.heap {
			p = siftUp(q.h, q.cs, p, nd)
		}
		q.h[p] = hent{nd, c, a + int32(x), par}
		e.pos = p
		if e.own < 0 {
			lim = nd
		}
	}
	q.lim = lim
}

// offer offers column c at distance nd (below the limit lim) by candidate arc from the
// row of the finalised entry par and returns the new limit: nd when c is free and now reached at nd, lim otherwise.
func (q *search) offer(c int32, nd float64, arc, par int32, lim float64) float64 {
	e := &q.cs[c]
	p := e.pos
	switch {
	case p >= 0:
		if !(nd < q.h[p].d) {
			return lim
		}
	case p == -1:
		p = q.n
		q.n++
	default:
		return lim // finalised; only rounding can make nd smaller
	}
	if q.heap {
		p = siftUp(q.h, q.cs, p, nd)
	}
	q.h[p] = hent{nd, c, arc, par}
	e.pos = p
	if e.own < 0 {
		return nd
	}
	return lim
}

// scan1 offers column c at distance dc - v[c] by arc from the row of the finalised entry
// par, like one step of scan: the dummy column of the tracking form solved in place.
func (q *search) scan1(c int32, dc float64, arc, par int32) {
	if nd := dc - q.v[c]; nd < q.lim {
		q.lim = q.offer(c, nd, arc, par, q.lim)
	}
}

// pop removes the nearest reached column and returns its entry; false when none is left.
// The caller marks the column finalised.
func (q *search) pop() (hent, bool) {
	h, n, cs := q.h[:q.n], q.n, q.cs
	if n == 0 {
		return hent{}, false
	}
	var top hent
	if !q.heap && n <= lazyMax {
		bx := nearest(h)
		top = h[bx]
		last := h[n-1]
		h[bx] = last
		cs[last.j].pos = bx
	} else {
		if !q.heap {
			q.heap = true
			for p := n/2 - 1; p >= 0; p-- {
				siftDown(h, cs, p)
			}
		}
		top = h[0]
		h[0] = h[n-1]
		if n > 1 {
			siftDown(h[:n-1], cs, 0)
		}
	}
	q.n = n - 1
	return top, true
}

// nearest returns the place of the first entry of least distance in h (not empty). Its
// loop has no branch but its own (min and a conditional move, as in rowMin); it is not
// inlined, so that the place is not an address in the function, which would keep the
// compiler from the conditional move.
//
//go:noinline
func nearest(h []hent) int32 {
	bx, bd := int32(0), h[0].d
	for x := 1; x < len(h); x++ {
		d := h[x].d
		if d < bd {
			bx = int32(x)
		}
		bd = min(bd, d)
	}
	return bx
}

// lazyMax is the number of reached columns up to which augment finds the nearest one by a
// scan rather than a heap.
const lazyMax = 48

// siftUp moves up the entry of distance nd at place p of the heap h (whose entry at p is
// being replaced) and returns its new place; the entries it passes get their cs.pos.
func siftUp(h []hent, cs []cstate, p int32, nd float64) int32 {
	for p > 0 {
		q := (p - 1) >> 1
		f := h[q]
		if !(nd < f.d) {
			break
		}
		h[p] = f
		cs[f.j].pos = p
		p = q
	}
	return p
}

// siftDown restores the heap order of h below place p, updating cs.pos of what moves.
func siftDown(h []hent, cs []cstate, p int32) {
	n := int32(len(h))
	x := h[p]
	for {
		l := 2*p + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && h[r].d < h[l].d {
			l = r
		}
		if !(h[l].d < x.d) {
			break
		}
		h[p] = h[l]
		cs[h[p].j].pos = p
		p = l
	}
	h[p] = x
	cs[x.j].pos = p
}

// hent is an entry of augment's reached list or heap, then of its finalised columns: a
// column, its tentative (then final) distance, the candidate it was reached by, and the
// finalised entry whose owner's row that candidate is in (-1 for the search's own row), so
// that the augmenting path is followed back without reading the rows' columns. (Four
// fields, so that the compiler keeps an entry in registers.)
type hent struct {
	d           float64
	j, arc, par int32
}

// cstate is augment's record of one column: its owning row (-1 when free), which persists
// from search to search, and its place in the reached list or heap (-1 when not reached,
// -2 when finalised).
type cstate struct {
	own, pos int32
}

// conclude ends the search from row i (whose dual was ui when it started): augment to
// sink, or when sink < 0 try the swap.
func (s *searcher) conclude(st *state, i int32, ui float64, sink int32) {
	u, colRow := st.u, st.colRow
	if sink >= 0 {
		s.finish(st, i, sink, s.d[sink], false)
	} else if len(s.fin) > 0 {
		// No free column is reachable: every finalised column is assigned. Replacing
		// row r = colRow[x] by i along the path to x changes the cost by
		// d[x] + u[i] - u[r].
		best := math.Inf(1)
		bx := int32(-1)
		for _, x := range s.fin {
			if g := s.d[x] - u[colRow[x]]; g < best {
				best, bx = g, x
			}
		}
		if best+ui < 0 {
			s.finish(st, i, bx, s.d[bx], true)
		}
	}
}

// finish updates the duals for a path of reduced length D ending at column end and flips
// the path. With drop, end is assigned and its row becomes unassigned.
func (s *searcher) finish(st *state, i, end int32, D float64, drop bool) {
	u, v := st.u, st.v
	for _, x := range s.fin {
		dx := s.d[x]
		if dx < D {
			v[x] -= D - dx
			u[st.colRow[x]] += D - dx
		}
	}
	u[i] += D
	if drop {
		st.rowCol[st.colRow[end]] = -1
		st.rowArc[st.colRow[end]] = -1
	}
	y := end
	for {
		k := s.pred[y]
		prev := st.rowCol[k]
		st.rowCol[k] = y
		st.rowArc[k] = s.parc[y]
		st.colRow[y] = k
		if k == i {
			break
		}
		y = prev
	}
}
