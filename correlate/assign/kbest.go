package assign

import (
	"math"
	"slices"
)

// Ranked is one of the k best assignments returned by KBest.
type Ranked struct {
	RowCol []int32 // column assigned to each row, or -1; len Rows
	Cost   float64 // total cost in the problem's own sense and units
}

// knode is a subproblem of Murty's partition: the assignments of the parent's solution
// with rows order[:nfixed] fixed and the pairs of the exclusion list forbidden. A solved
// node owns its solution and duals; an unsolved one holds a lower bound and is solved
// from its parent's solution when the bound reaches the top of the heap.
type knode struct {
	cost   float64 // internal cost when solved, a lower bound otherwise
	seq    int32   // creation order, breaks ties
	parent int32   // unsolved: the solved node to start from
	excl   int32   // head of the exclusion list, -1 when empty
	order  int32   // offset of the row order in kbest.ord
	nfixed int32   // rows order[:nfixed] keep the parent's columns
	row    int32   // unsolved: the row whose parent pair is excluded
	sol    int32   // solved: offset of rowCol in kbest.rc, -1 otherwise
	uvo    int32   // solved: offset of u (then v) in kbest.uv
	pt     float64 // solved: the dual of the sink
}

type kexcl struct{ row, col, next int32 }

// kbest is the scratch of KBest, reused from call to call.
type kbest struct {
	nodes  []knode
	heap   []int32
	excl   []kexcl
	ord    []int32   // row orders, n per solved node
	rc     []int32   // rowCol, n per solved node
	uv     []float64 // u (n) then v (nc) per solved node
	arcM   []uint32  // arc marks: excluded when == stamp
	colM   []uint32  // column marks: blocked when == stamp
	stamp  uint32
	delta  []float64 // per row, partition ordering key
	colUse []bool
}

func (kb *kbest) less(a, b int32) bool {
	na, nb := &kb.nodes[a], &kb.nodes[b]
	return na.cost < nb.cost || (na.cost == nb.cost && na.seq < nb.seq)
}

func (kb *kbest) push(x int32) {
	kb.heap = append(kb.heap, x)
	h := kb.heap
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !kb.less(h[i], h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (kb *kbest) pop() int32 {
	h := kb.heap
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	kb.heap = h
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		if r := l + 1; r < n && kb.less(h[r], h[l]) {
			l = r
		}
		if !kb.less(h[l], h[i]) {
			break
		}
		h[i], h[l] = h[l], h[i]
		i = l
	}
	return top
}

func (kb *kbest) nextStamp() uint32 {
	kb.stamp++
	if kb.stamp == 0 { // wrapped: clear the marks
		clear(kb.arcM)
		clear(kb.colM)
		kb.stamp = 1
	}
	return kb.stamp
}

// KBest appends to dst[:0] the k assignments of p of least total cost (greatest when
// maximising), best first, and returns it. The slices of dst's elements are reused.
//
// In the tracking form every assignment is feasible, so min(k, number of assignments)
// are returned. In the plain form only assignments that assign every row are ranked;
// fewer than k (none when Rows > Cols or no such assignment exists) may be returned.
// Assignments of equal cost come in an unspecified but deterministic order.
//
// The method is Murty's partitioning with the optimisations of Miller, Stone and Cox:
// each child subproblem starts from its parent's solution and dual variables and is
// solved by a single shortest augmenting path search; children enter the heap with a
// lower bound (parent cost plus the least reduced cost of the excluded row's other
// candidates) and are solved only when that bound reaches the top; rows are partitioned
// in decreasing order of that bound. k < 0 is an error (ErrInvalidK).
func (w *Workspace) KBest(dst []Ranked, p *Sparse, k int) ([]Ranked, error) {
	if k < 0 {
		return dst, newErr(ErrInvalidK, -1, -1, -1, "k < 0")
	}
	if err := validateHeader(p); err != nil {
		return dst, err
	}
	pr := &w.pr
	if err := pr.load(p, false); err != nil {
		return dst, err
	}
	dst = dst[:0]
	if k == 0 {
		return dst, nil
	}
	n, nc := pr.n, pr.nc
	st := &w.st
	st.reset(n, nc)
	s := &w.s
	s.ensure(nc + 1) // column nc is the sink
	s.reserve(n, nc+1)
	s.begin(n, nc+1)
	w.rows = iota32(w.rows, n)
	s.solveRows(pr, st, w.rows)
	s.copyV(st, nc)
	for i := 0; i < n; i++ {
		if st.rowCol[i] < 0 {
			return dst, nil // plain form without a complete assignment
		}
	}
	kb := &w.kb
	kb.nodes = kb.nodes[:0]
	kb.heap = kb.heap[:0]
	kb.excl = kb.excl[:0]
	kb.ord = kb.ord[:0]
	kb.rc = kb.rc[:0]
	kb.uv = kb.uv[:0]
	if len(kb.arcM) < len(pr.col) {
		kb.arcM = make([]uint32, len(pr.col))
	}
	if len(kb.colM) < nc {
		kb.colM = make([]uint32, nc)
	}
	kb.delta = grow(kb.delta, n)

	root := knode{cost: internalCost(pr, st.rowCol), parent: -1, excl: -1, nfixed: 0, row: -1}
	root.order = int32(len(kb.ord))
	kb.ord = append(kb.ord, w.rows...)
	kb.store(&root, st, 0)
	kb.nodes = append(kb.nodes, root)
	kb.push(0)
	for len(kb.heap) > 0 {
		x := kb.pop()
		nd := &kb.nodes[x]
		if nd.sol < 0 {
			if w.solveChild(x) {
				kb.push(x)
			}
			continue
		}
		dst = kb.appendRanked(dst, pr, p, kb.rc[nd.sol:nd.sol+int32(n)])
		if len(dst) == k {
			break
		}
		w.partition(x)
	}
	return dst, nil
}

// store copies the solution and duals in st into the arenas for node nd.
func (kb *kbest) store(nd *knode, st *state, pt float64) {
	nd.sol = int32(len(kb.rc))
	nd.uvo = int32(len(kb.uv))
	kb.rc = append(kb.rc, st.rowCol...)
	kb.uv = append(kb.uv, st.u...)
	kb.uv = append(kb.uv, st.v...)
	nd.pt = pt
}

// load copies the solution of solved node x into st (rowCol, colRow, u, v).
func (kb *kbest) load(x int32, st *state, n, nc int) float64 {
	nd := &kb.nodes[x]
	rc := kb.rc[nd.sol : int(nd.sol)+n]
	uvOff := int(nd.uvo)
	copy(st.rowCol, rc)
	copy(st.u, kb.uv[uvOff:uvOff+n])
	copy(st.v, kb.uv[uvOff+n:uvOff+n+nc])
	for j := range st.colRow {
		st.colRow[j] = -1
	}
	for i, j := range rc {
		if j >= 0 {
			st.colRow[j] = int32(i)
		}
	}
	return nd.pt
}

// internalCost is the internal cost of a complete assignment.
func internalCost(pr *problem, rowCol []int32) float64 {
	c := 0.0
	for i, j := range rowCol {
		best := math.Inf(1)
		for k := pr.start[i]; k < pr.start[i+1]; k++ {
			if pr.col[k] == j {
				best = min(best, pr.cost[k])
			}
		}
		c += best
	}
	return c
}

func (kb *kbest) appendRanked(dst []Ranked, pr *problem, p *Sparse, rowCol []int32) []Ranked {
	var r Ranked
	if len(dst) < cap(dst) {
		r = dst[:len(dst)+1][len(dst)]
	}
	r.RowCol = grow(r.RowCol, pr.n)
	used := 0.0
	for i, j := range rowCol {
		if int(j) >= pr.m {
			r.RowCol[i] = -1
			used += p.Miss[i]
			continue
		}
		r.RowCol[i] = j
		used += pr.pairCost(p, int32(i), j)
	}
	if pr.track {
		// new costs of the columns left unassigned, in column order
		kb.colUse = grow(kb.colUse, pr.m)
		clear(kb.colUse)
		for _, j := range r.RowCol {
			if j >= 0 {
				kb.colUse[j] = true
			}
		}
		for j, u := range kb.colUse {
			if !u {
				used += p.New[j]
			}
		}
	}
	r.Cost = used
	return append(dst, r)
}

// mark sets the exclusion marks of node x's list and blocks the columns of rows
// order[:nfixed] of the given solution; it returns the stamp.
func (kb *kbest) mark(pr *problem, excl int32, order []int32, rc []int32) uint32 {
	stamp := kb.nextStamp()
	for e := excl; e >= 0; e = kb.excl[e].next {
		x := kb.excl[e]
		for k := pr.start[x.row]; k < pr.start[x.row+1]; k++ {
			if pr.col[k] == x.col {
				kb.arcM[k] = stamp
			}
		}
	}
	for _, i := range order {
		kb.colM[rc[i]] = stamp
	}
	return stamp
}

// bound returns the least reduced cost over row r's allowed pairs other than column j.
func (kb *kbest) bound(pr *problem, r, j int32, u []float64, v []float64, stamp uint32) float64 {
	best := math.Inf(1)
	for k := pr.start[r]; k < pr.start[r+1]; k++ {
		c := pr.col[k]
		if c == j || kb.arcM[k] == stamp || kb.colM[c] == stamp {
			continue
		}
		best = min(best, pr.cost[k]-u[r]-v[c])
	}
	return best
}

// partition creates the unsolved children of solved node x.
func (w *Workspace) partition(x int32) {
	kb, pr := &w.kb, &w.pr
	n, nc := pr.n, pr.nc
	nd := kb.nodes[x]
	order := kb.ord[nd.order : int(nd.order)+n]
	rc := kb.rc[nd.sol : int(nd.sol)+n]
	uvOff := int(nd.uvo)
	u := kb.uv[uvOff : uvOff+n]
	v := kb.uv[uvOff+n : uvOff+n+nc]
	fixed := order[:nd.nfixed]
	free := order[nd.nfixed:]
	// Partition ordering: rows whose exclusion costs most come first.
	stamp := kb.mark(pr, nd.excl, fixed, rc)
	for _, r := range free {
		kb.delta[r] = kb.bound(pr, r, rc[r], u, v, stamp)
	}
	no := int32(len(kb.ord))
	kb.ord = append(kb.ord, fixed...)
	start := len(kb.ord)
	kb.ord = append(kb.ord, free...)
	sorted := kb.ord[start:]
	delta := kb.delta
	slices.SortStableFunc(sorted, func(a, b int32) int {
		switch {
		case delta[a] > delta[b]:
			return -1
		case delta[a] < delta[b]:
			return 1
		}
		return 0
	})
	for i, r := range sorted {
		// child i: rows sorted[:i] fixed as well, pair (r, rc[r]) excluded
		if i > 0 {
			kb.colM[rc[sorted[i-1]]] = stamp
		}
		b := kb.bound(pr, r, rc[r], u, v, stamp)
		if math.IsInf(b, 1) {
			continue
		}
		kb.excl = append(kb.excl, kexcl{row: r, col: rc[r], next: nd.excl})
		kb.nodes = append(kb.nodes, knode{
			cost:   nd.cost + max(b, 0),
			seq:    int32(len(kb.nodes)),
			parent: x,
			excl:   int32(len(kb.excl) - 1),
			order:  no,
			nfixed: nd.nfixed + int32(i),
			row:    r,
			sol:    -1,
		})
		kb.push(int32(len(kb.nodes) - 1))
	}
}

// solveChild solves unsolved node x from its parent's solution: the excluded row is freed
// and a shortest path search over the residual graph (columns, their rows and the sink)
// finds the cheapest way to reassign it. It reports whether the child is feasible.
func (w *Workspace) solveChild(x int32) bool {
	kb, pr, st, s := &w.kb, &w.pr, &w.st, &w.s
	n, nc := pr.n, pr.nc
	nd := kb.nodes[x]
	pt := kb.load(nd.parent, st, n, nc)
	order := kb.ord[nd.order : nd.order+nd.nfixed]
	stamp := kb.mark(pr, nd.excl, order, st.rowCol)
	r := nd.row
	j := st.rowCol[r]
	st.rowCol[r] = -1
	st.colRow[j] = -1
	u, v, colRow := st.u, st.v, st.colRow
	T := int32(nc)
	ur := u[r]
	for k := pr.start[r]; k < pr.start[r+1]; k++ {
		c := pr.col[k]
		if kb.arcM[k] == stamp || kb.colM[c] == stamp {
			continue
		}
		s.relax(c, pr.cost[k]-ur-v[c], r, k)
	}
	found := false
	for len(s.heap) > 0 {
		y := s.pop()
		s.fin = append(s.fin, y)
		dy := s.d[y]
		switch {
		case y == j:
			found = true
		case y == T:
			for l := int32(0); l < T; l++ {
				if (colRow[l] >= 0 || l == j) && kb.colM[l] != stamp && s.pos[l] != -2 {
					s.relax(l, dy+pt-v[l], -2, -1)
				}
			}
		case colRow[y] < 0:
			s.relax(T, dy+v[y]-pt, y, -1)
		default:
			q := colRow[y]
			uq := u[q]
			for k := pr.start[q]; k < pr.start[q+1]; k++ {
				c := pr.col[k]
				if kb.arcM[k] == stamp || kb.colM[c] == stamp || s.pos[c] == -2 {
					continue
				}
				s.relax(c, dy+pr.cost[k]-uq-v[c], q, k)
			}
		}
		if found {
			break
		}
	}
	if !found {
		s.clean()
		return false
	}
	D := s.d[j]
	for _, y := range s.fin {
		dy := s.d[y]
		if dy >= D {
			continue
		}
		if y == T {
			pt -= D - dy
			continue
		}
		v[y] -= D - dy
		if q := colRow[y]; q >= 0 {
			u[q] += D - dy
		}
	}
	u[r] += D
	y := j
	for {
		q := s.pred[y]
		if q == -2 { // reached from the sink: y is released
			colRow[y] = -1
			y = s.pred[T]
			continue
		}
		prev := st.rowCol[q]
		st.rowCol[q] = y
		colRow[y] = q
		if q == r {
			break
		}
		y = prev
	}
	s.clean()
	child := &kb.nodes[x]
	child.cost = kb.nodes[nd.parent].cost + D
	// the child's own row order is made when it is partitioned; keep the parent's
	kb.store(child, st, pt)
	return true
}
