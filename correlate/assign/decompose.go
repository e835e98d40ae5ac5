package assign

import (
	"math"
	"slices"
	"sync/atomic"

	"github.com/trackcorr/trackcorr/internal/forkjoin"
)

// Config holds the settings of a Solver.
type Config struct {
	// Workers is the number of goroutines that solve components, the caller's included.
	// Zero means 1 (everything on the caller's goroutine). Output does not depend on it.
	Workers int
}

// Solver solves sparse problems by splitting them into independent components (connected
// components of the candidate graph, found with union-find), solving components of at most
// 2 rows and 2 columns in closed form and the others with the shortest augmenting path
// solver, in parallel on a fixed pool of workers, each with its own scratch. Every
// component writes only its own rows and columns and the total is computed afterwards in
// row order, so the result is identical for any number of workers and any GOMAXPROCS.
//
// A Solver is not safe for concurrent use. Close stops its goroutines.
type Solver struct {
	workers int
	pr      problem
	st      state
	ss      []searcher // one per worker

	parent []int32 // union-find over rows 0..n-1 and columns n..n+m-1
	rowOff []int32 // rows of component c: rowList[rowOff[c]:rowOff[c+1]]
	rowLst []int32
	colOff []int32 // component c has colOff[c+1]-colOff[c] columns
	comps  int
	fill   []int32
	comp   []int32 // component of each row

	next    atomic.Int64
	claim   int     // components a worker takes at a time (see claimMin)
	job     *Sparse // the problem of the running phase
	bad     []bool  // per worker: its shard failed loadShard
	splitOK bool    // the prepare phase split the caller's problem
	group   *forkjoin.Group
	phase   phase // the running phase
	closed  bool
}

// NewSolver returns a Solver with cfg.Workers workers; it starts cfg.Workers-1 goroutines.
func NewSolver(cfg Config) (*Solver, error) {
	if cfg.Workers < 0 || cfg.Workers > 1024 {
		return nil, newErr(ErrConfig, -1, -1, -1, "Workers must be in [0, 1024]")
	}
	w := max(cfg.Workers, 1)
	s := &Solver{workers: w, ss: make([]searcher, w), bad: make([]bool, w)}
	s.group = forkjoin.New(w, func(k int) { s.run(s.phase, k) })
	return s, nil
}

// phase is a part of Solve that every worker runs.
type phase uint8

const (
	// prepare: split (worker 0) or load a shard of the rows (the others), reset a
	// shard of the state, begin a searcher
	prepare phase = iota
	solve         // solve components
)

// parRows is the number of rows from which Solve loads the problem and resets its state
// on every worker: below it, handing the work over costs more than it saves.
const parRows = 4096

// run runs phase ph on worker k.
func (s *Solver) run(ph phase, k int) {
	switch ph {
	case prepare:
		// worker 0 splits the caller's problem into components while the others load
		// it (the split reads only the candidates' columns, which the load copies
		// unchanged, and a problem that fails the load is split again after the
		// serial load)
		pr, w := &s.pr, s.workers
		n, nc := pr.n, pr.nc
		if k == 0 {
			s.bad[0] = false
			s.splitOK = s.unite(s.job.Start, s.job.Col, n, pr.m, true)
			if s.splitOK {
				s.label(n, pr.m)
			}
		} else {
			s.bad[k] = !pr.loadShard(s.job, (k-1)*n/(w-1), k*n/(w-1))
		}
		s.st.clear(k*n/w, (k+1)*n/w, k*nc/w, (k+1)*nc/w)
		s.begin(k)
	case solve:
		s.work(k)
	}
}

// all runs phase ph on every worker, the caller's goroutine being worker 0, and waits.
func (s *Solver) all(ph phase) {
	s.phase = ph
	s.group.Do()
}

// begin prepares worker k's searcher for the loaded problem. Its column records are
// reset here only when the last Solve left them dirty: work puts back those of the
// components it solved while that costs less than resetting every column (on the
// tracker's problems most components are solved in closed form, without the searcher,
// and resetting every column on every worker cost more than the searches), and
// leaves them dirty otherwise.
func (s *Solver) begin(k int) {
	pr, sr := &s.pr, &s.ss[k]
	sr.ensure(pr.nc)
	sr.reserve(pr.n, pr.nc)
	if sr.dirty {
		// all of them: a later problem may have more columns than this one
		sr.begin(pr.n, len(sr.cs))
		sr.dirty = false
	}
	sr.budget = pr.nc / 4 // at most a quarter of a full reset, one by one
}

// Close stops the worker goroutines and waits for them to exit. Solve fails with ErrClosed
// afterwards. Close is idempotent.
func (s *Solver) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	s.group.Close()
	return nil
}

// Components returns the number of components of the last problem solved (rows without
// candidates count as components of their own; columns without candidates do not).
func (s *Solver) Components() int { return s.comps }

// Solve solves p exactly, like Workspace.Solve, and writes the assignment into dst. When
// optimal assignments tie, the one returned may differ from Workspace.Solve's, not its
// cost. On error dst is left unchanged. From 4,096 rows with more than one worker, the
// caller splits the problem into components while the other workers load it in shards;
// the result runs on the caller, the components are solved on every worker.
func (s *Solver) Solve(dst *Result, p *Sparse) error {
	if s.closed {
		return newErr(ErrClosed, -1, -1, -1, "")
	}
	if err := validateHeader(p); err != nil {
		return err
	}
	pr := &s.pr
	if s.workers > 1 && p.Rows >= parRows {
		// worker 0 splits, the others copy a shard of the rows each; every worker
		// resets a shard of the state and begins its searcher. A shard with a bad or
		// forbidden candidate or bad offsets sends the whole problem through the serial
		// load, which finds the first error in row order, and the split after it
		pr.size(p)
		s.st.size(pr.n, pr.nc)
		s.job = p
		s.all(prepare)
		s.job = nil
		if slices.Contains(s.bad, true) {
			if err := pr.load(p, false); err != nil {
				return err
			}
			s.split()
		} else {
			pr.trim(p)
			if !s.splitOK {
				s.split()
			}
		}
	} else {
		if err := pr.load(p, false); err != nil {
			return err
		}
		s.st.reset(pr.n, pr.nc)
		for k := range s.ss {
			s.begin(k)
		}
		s.split()
	}
	s.next.Store(0)
	s.claim = max(claimMin, min(claimMax, s.comps/(s.workers*claimShare)))
	s.all(solve)
	pr.result(dst, &s.st, p)
	pr.release()
	return nil
}

func (s *Solver) find(x int32) int32 {
	par := s.parent
	for par[x] != x {
		par[x] = par[par[x]]
		x = par[x]
	}
	return x
}

// split labels the components of the loaded problem in order of their first row, lists
// their rows in increasing index order and counts their columns. From parRows rows
// with several workers, worker 0 does the same on the caller's problem while the
// others load it (the prepare phase), and split runs only when that load failed. A
// version that split on every worker gave the same arrays but was no faster with 2
// workers on the tracker's problems (see the package documentation, Performance).
func (s *Solver) split() {
	pr := &s.pr
	s.unite(pr.start, pr.col, pr.n, pr.m, false)
	s.label(pr.n, pr.m)
}

// unite runs the union-find over rows 0..n-1 and columns n..n+m-1 linked by the
// candidates col[start[i]:start[i+1]] of each row i: the internal problem's, whose
// columns from m on are the rows' dummies (private to their row, skipped), or with
// check the caller's, whose offsets and columns it checks, returning false at the
// first that is out of place (the load then reports it).
func (s *Solver) unite(start, col []int32, n, m int, check bool) bool {
	s.parent = grow(s.parent, n+m)
	for x := range s.parent {
		s.parent[x] = int32(x)
	}
	for i := 0; i < n; i++ {
		a, b := start[i], start[i+1]
		if check && (a < 0 || b < a || int(b) > len(col)) {
			return false
		}
		ri := s.find(int32(i))
		for k := a; k < b; k++ {
			j := col[k]
			if uint32(j) >= uint32(m) {
				if check {
					return false
				}
				continue // a dummy column is private to its row
			}
			rj := s.find(int32(n) + j)
			if rj == ri {
				continue
			}
			if rj < ri { // the smaller index becomes the root
				ri, rj = rj, ri
			}
			s.parent[rj] = ri
		}
	}
	return true
}

// label labels the components found by unite in order of their first row, lists their
// rows in increasing index order and counts their columns.
func (s *Solver) label(n, m int) {
	// The smaller index being the root, a component with a row has its first row as
	// root, and the roots come in row order: a row's component is a new label when it
	// is its own root and its root's otherwise (already labelled).
	comps := int32(0)
	comp := grow(s.comp, n) // the component of each row
	for i := 0; i < n; i++ {
		if r := s.find(int32(i)); r == int32(i) {
			comp[i] = comps
			comps++
		} else {
			comp[i] = comp[r]
		}
	}
	s.comp = comp
	s.comps = int(comps)
	s.rowOff = grow(s.rowOff, int(comps)+1)
	s.colOff = grow(s.colOff, int(comps)+1)
	clear(s.rowOff)
	clear(s.colOff)
	// the columns are only counted (a column without rows is its own root, ≥ n)
	for j := 0; j < m; j++ {
		if r := s.find(int32(n + j)); int(r) < n {
			s.colOff[comp[r]+1]++
		}
	}
	for i := 0; i < n; i++ {
		s.rowOff[comp[i]+1]++
	}
	for c := 1; c <= int(comps); c++ {
		s.rowOff[c] += s.rowOff[c-1]
		s.colOff[c] += s.colOff[c-1]
	}
	// Place the rows in index order within each component.
	fill := append(s.fill[:0], s.rowOff[:comps]...)
	s.fill = fill
	s.rowLst = grow(s.rowLst, n)
	for i := 0; i < n; i++ {
		c := comp[i]
		s.rowLst[fill[c]] = int32(i)
		fill[c]++
	}
}

// A worker takes s.claim consecutive components at a time: s.comps/(workers·claimShare)
// within [claimMin, claimMax]. One atomic operation per component made the workers fight
// over the counter's cache line (most components are tiny), and consecutive components
// write neighbouring rows, so that small claims also share the cache lines of the
// state's row arrays at every boundary between two workers' claims; claimShare claims
// per worker leave enough to balance components of unequal cost.
const (
	claimMin   = 16
	claimMax   = 256
	claimShare = 32
)

// work solves components until none is left; k is the worker.
func (s *Solver) work(k int) {
	sr := &s.ss[k]
	for {
		claim := s.claim
		lo := int(s.next.Add(int64(claim))) - claim
		if lo >= s.comps {
			return
		}
		for c := lo; c < min(lo+claim, s.comps); c++ {
			rows := s.rowLst[s.rowOff[c]:s.rowOff[c+1]]
			if len(rows) <= 2 && s.colOff[c+1]-s.colOff[c] <= 2 {
				s.tiny(rows)
				continue
			}
			sr.solveRows(&s.pr, &s.st, rows)
			sr.cleanCols(&s.pr, rows)
		}
	}
}

// tiny solves a component of at most 2 rows and 2 columns by enumeration: each row takes
// one of its candidates (its dummy in the tracking form) or, in the plain form, nothing;
// the most pairs win, then the least cost, the first found on ties.
func (s *Solver) tiny(rows []int32) {
	pr, st := &s.pr, &s.st
	plain := !pr.track
	a := rows[0]
	b := int32(-1)
	if len(rows) == 2 {
		b = rows[1]
	}
	bestP, bestC := -1, math.Inf(1)
	bestA, bestB := int32(-1), int32(-1) // arc indices
	try := func(ka, kb int32) {
		p, c := 0, 0.0
		ja, jb := int32(-1), int32(-2)
		if ka >= 0 {
			ja = pr.col[ka]
			c += pr.cost[ka]
			p++
		}
		if kb >= 0 {
			jb = pr.col[kb]
			c += pr.cost[kb]
			p++
		}
		if ja == jb {
			return
		}
		if plain && p != bestP {
			if p < bestP {
				return
			}
		} else if !(c < bestC) {
			return
		}
		bestP, bestC, bestA, bestB = p, c, ka, kb
	}
	lo := int32(0)
	if !plain {
		lo = 1 // the dummy arc stands for "unassigned"
	}
	for ka := pr.start[a] - 1 + lo; ka < pr.start[a+1]; ka++ {
		if ka < pr.start[a] {
			ka = -1
		}
		if b < 0 {
			try(ka, -1)
		} else {
			for kb := pr.start[b] - 1 + lo; kb < pr.start[b+1]; kb++ {
				if kb < pr.start[b] {
					kb = -1
				}
				try(ka, kb)
				if kb < 0 {
					kb = pr.start[b] - 1
				}
			}
		}
		if ka < 0 {
			ka = pr.start[a] - 1
		}
	}
	set := func(i, k int32) {
		if k < 0 {
			return
		}
		j := pr.col[k]
		st.rowCol[i] = j
		st.colRow[j] = i
		st.rowArc[i] = k
	}
	set(a, bestA)
	if b >= 0 {
		set(b, bestB)
	}
}
