package correlate

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"sync"

	"github.com/trackcorr/trackcorr/correlate/assign"
)

// ErrAssociation reports an association problem that JPDA cannot use: sizes that do not
// agree, a column out of range, a NaN cost, a cost of −Inf, a missing, NaN or infinite
// miss or new cost, a maximised problem. It is always returned inside an
// *AssociationError, which also wraps the matching sentinel of package assign
// (assign.ErrDimension, assign.ErrIndex, assign.ErrNaN or assign.ErrNonFinite).
var ErrAssociation = errors.New("correlate: invalid association problem")

// AssociationError names the track (row), detection (column) and candidate of a problem
// rejected by JPDA.Associate; fields that do not apply are -1. errors.Is finds both
// ErrAssociation and Err in it.
type AssociationError struct {
	Row, Col, Arc int    // row, column and candidate index concerned, or -1
	Msg           string // detail
	Err           error  // the sentinel of package assign
}

// Error implements error.
func (e *AssociationError) Error() string {
	s := ErrAssociation.Error() + ": " + e.Err.Error()
	if e.Row >= 0 {
		s += " at row " + strconv.Itoa(e.Row)
	}
	if e.Col >= 0 {
		s += " column " + strconv.Itoa(e.Col)
	}
	if e.Arc >= 0 {
		s += " (candidate " + strconv.Itoa(e.Arc) + ")"
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Unwrap returns ErrAssociation and the sentinel of package assign.
func (e *AssociationError) Unwrap() []error { return []error{ErrAssociation, e.Err} }

func assocErr(err error, row, col, arc int, msg string) error {
	return &AssociationError{Row: row, Col: col, Arc: arc, Msg: msg, Err: err}
}

// Defaults of JPDAConfig.
const (
	// DefaultMaxExact is the default node budget of a cluster's hypothesis net.
	DefaultMaxExact = 1 << 14
	// DefaultK is the default number of joint events of the k-best approximation.
	DefaultK = 100
	// DefaultKBestRows is the default of JPDAConfig.KBestRows.
	DefaultKBestRows = 32
	// maxExactRows is the largest number of rows of a cluster solved exactly,
	// whatever the budget: the row ordering is quadratic in it.
	maxExactRows = 256
	// minClusterShard is the smallest number of clusters worth handing to a worker.
	minClusterShard = 64
)

// JPDAConfig holds the settings of a JPDA associator. Zero values mean the defaults.
type JPDAConfig struct {
	// MaxExact is the node budget of the hypothesis net: a cluster whose net has more
	// than MaxExact nodes (or whose frontier needs more than 64 columns at once, or
	// that has more than 256 rows) is solved approximately instead (see KBestRows).
	// Zero means DefaultMaxExact (16,384). A net of N nodes takes 24·N bytes plus 12
	// bytes per edge (about N times the mean number of options per row).
	MaxExact int
	// K is the number of best joint events the k-best approximation uses. Zero means
	// DefaultK (100).
	K int
	// KBestRows is the largest number of rows of a cluster approximated by k-best;
	// larger clusters beyond the exact budget are approximated by loopy belief
	// propagation, whose cost per sweep is linear in the cluster's candidates (k-best's
	// grows about quadratically with the rows: 2 ms at 100 rows, 70 ms at 400, 1 s at
	// 3,000 for K = 100) and whose accuracy matched k-best's from 20 to 32 rows and
	// beat it on a 53-row cluster (see JPDA). Zero means DefaultKBestRows (32); negative means no limit
	// (always k-best).
	KBestRows int
	// Workers is the number of goroutines that solve clusters, the caller's included.
	// Zero means 1. The output does not depend on it.
	Workers int
}

// JPDA is the joint probabilistic data association Associator: it writes into w[k] the
// marginal probability β_ij that track i (row) is associated with detection j =
// p.Col[k] over all feasible joint association events θ (each row assigned to at most
// one of its candidates or missed, each column to at most one row), with
//
//	P(θ) ∝ Π_{(i,j)∈θ} exp(−Cost_ij) · Π_{i missed} exp(−Miss_i) · Π_{j unassigned} exp(−New_j)
//
// or equivalently P(θ) ∝ Π L_ij · Π m_i with the likelihood ratios L_ij = exp(New_j −
// Cost_ij) and the miss terms m_i = exp(−Miss_i). Track i's miss probability is then
// 1 − Σ_{k in row i} w[k] and detection j's probability of being clutter or a new target
// 1 − Σ_i β_ij. Associate requires the tracking form of assign.Sparse (Miss and New
// set) and Sense Minimize.
//
// # Method
//
// The candidate graph (finite-cost candidates only) is split into clusters, its connected
// components, by union-find over rows and columns; clusters are numbered in order of
// their first row and list their rows and columns in index order. A row without
// candidates is a cluster of its own and writes nothing (its miss probability is 1). A
// cluster of one row is solved in closed form: β_ij = L_ij / (m_i + Σ_j' L_ij').
//
// Larger clusters are solved exactly on a hypothesis net (the "fast JPDA" of Zhou and
// Bose, in its frontier form). The rows are ordered greedily so that columns retire
// early: each step takes the row that opens the fewest new columns less the columns it
// is the last row of, ties to the row with the most columns already open, then to the
// lower row (the second key halves the nets of crowded geometric clusters). Each column holds one of 64 bit slots
// from its first to its last row, and level l of the net holds the distinct sets of
// occupied slots after l rows, a column's bit dropped after its last row, so a node
// stands for every partial event that leaves the same columns taken for the rows still
// to come. Each node is reached from the previous level by the row's miss or one of
// its free candidates; the last level is the single empty set. Forward sums F (over
// partial events from the root) and backward sums B (to the end) give
// β_ij = Σ_{edges of (i,j)} F·L·B / Z, Z the sum over all events. The cost is
// O(edges) = O(nodes · options per row) instead of the number of joint events: a fully
// gated 8×10 cluster has 3,085 nodes and 21,014 edges for 13.0 million events, 12×14
// has 81,937 nodes and 712,734 edges for 6.9e11 events. Nodes are found by key in a
// direct table when a cluster uses at most 16 slots, in a hash table otherwise.
//
// A cluster is solved approximately when its net would exceed JPDAConfig.MaxExact nodes
// (the net is built level by level and abandoned there), when more than 64 of its
// columns would be open at once, or when it has more than 256 rows:
//
//   - with at most JPDAConfig.KBestRows rows (32 by default), by its K best joint events
//     (JPDAConfig.K, 100 by default), found by Murty's method ((*assign.Workspace).KBest
//     on the cluster's sub-problem), weighted by exp(−(cost − least cost)) and
//     normalised over themselves. Its marginals differ from the exact ones by at most the
//     probability of the events left out (the total variation distance between the
//     truncated and the exact distribution), which is non-increasing in K and zero once
//     K reaches the number of joint events: the approximation converges to the exact
//     marginals as K grows (TestJPDAKBestConverges).
//   - with more rows, by loopy belief propagation (Williams and Lau, 2014): linear in
//     the cluster's candidates per sweep, where k-best's cost grows about quadratically
//     with the rows (K = 100: 2 ms at 100 rows, 70 ms at 400, 1 s at 3,000, and several
//     times that on the first call). Its sweeps stop when no message changes by more
//     than 1e-9, after at most 500. It is exact on clusters without cycles; on loopy
//     ones it is the Bethe approximation, without a bound, and poor on tight loops of
//     likely pairs: a fully gated 2×2 cluster whose likelihood ratios are 100 to 300
//     times its misses gets 0.99 instead of 0.85 on its best pairs. Measured against
//     the exact nets on crowded tracker-like clusters of 4 to 32 rows (four scenes
//     of 400 targets at 11 m spacing), its mean error per candidate was 0.01 to 0.15
//     (largest 0.45), k-best's (K = 100) 0 to 0.09 (largest 0.43): k-best better on
//     most clusters up to about 20 rows, the two alike from 20 to 32, belief
//     propagation better on a 53-row cluster (mean 0.03 against 0.10), hence the
//     default of 32 rows. On the random clusters of TestJPDAPropagation its mean error
//     is 0.009. It is the fallback for clusters too large for k-best to finish in
//     time, not a substitute for the exact net.
//
// JPDA.Approximate and JPDA.Propagated count these clusters.
//
// # Numerical care
//
// Each row's likelihood ratios and miss term are divided by the row's largest one, so
// that costs of any magnitude (−1e3 to 1e3 and beyond) and any common offset cancel
// exactly; every event's weight is then a product of factors in (0, 1]. When the
// factors of a cluster are so spread that a product could fall below about 1e-260
// (rows × the widest log-ratio within a row above 600), the net is evaluated in log
// space (log-sum-exp per edge) instead of linear space, so no event underflows and Z
// never vanishes: two rows competing for one column at a likelihood e^1000 times their
// misses still get 1/2 each (TestJPDAExtremeCosts). In linear space the sums are of
// positive terms only, so the marginals are accurate to a few units of 2⁻⁵² times the
// number of rows: within 1.2e-13 of brute-force enumeration on 1,200 random problems
// up to 6×8 (TestJPDABruteForce, asserted to 1e-12, in linear and log space).
//
// # Special cases
//
// A +Inf cost is a forbidden candidate: weight 0, and it links nothing. A pair (i, j)
// given more than once counts once, at the least of its costs (as in package assign);
// its weight goes to the first candidate with that cost and the others get 0.
//
// # Errors
//
// Bad input returns an *AssociationError wrapping ErrAssociation and one of
// assign.ErrDimension (len(w) ≠ len(p.Col), offsets, Miss or New missing or of the
// wrong length, Sense Maximize, a nil problem), assign.ErrIndex, assign.ErrNaN (a cost,
// Miss or New) or assign.ErrNonFinite (a cost of −Inf, an infinite Miss or New). The
// whole problem is validated before anything is written, so on error w is unchanged.
// After Close, Associate returns an error wrapping ErrClosed.
//
// # Parallelism, determinism, allocation
//
// Clusters are shared among JPDAConfig.Workers goroutines (the caller's included) in
// fixed contiguous shards of the cluster list, at least 64 clusters each (fewer than
// 128 clusters run on the caller's goroutine); each worker has its own scratch,
// including its own assign.Workspace. Every cluster writes only its own entries of w and
// its result depends only on the cluster, so the output is bitwise identical for any
// number of workers (TestJPDAWorkers); permuting rows and columns permutes the exact
// and k-best weights (to 1e-12, TestJPDAPermutation). No map decides anything. After a
// first call of the same size Associate allocates nothing (TestJPDAAllocs): every
// buffer, the nets' and KBest's included, belongs to the JPDA and is reused. A JPDA is
// used by one goroutine at a time; Close stops its goroutines.
//
// # Performance
//
// Measured on the shared 2-vCPU AMD EPYC development machine (Go 1.26, one worker)
// while other builds kept its load average at 2.2 to 3.7, so the times are medians of 6
// noisy runs, with instruction counts (valgrind --tool=callgrind, per call, independent
// of the load) where they were taken:
//
//	go test ./correlate -run '^$' -bench JPDA -count 6
//
// BenchmarkJPDA: tracker-like problems (targets at 10,000 m² each, σ = 2 m, Pd 0.9,
// clutter 10 % of the targets, costs of the package's likelihood model, gate χ²₂ 0.99;
// 0.93 candidates per track), beside GNN (NewGNN(1)) on the same problems:
//
//	targets   JPDA       GNN        clusters   largest   approximate
//	1,000     98 µs      72 µs      987        2         0
//	10,000    1.6 ms     1.2 ms     9,867      3         0
//	100,000   14 ms      9.0 ms     98,539     4         0
//
// about 100 to 140 ns per track, 1.3 to 1.5 times GNN; 8.7 M instructions at 10,000
// targets against GNN's 8.2 M. BenchmarkJPDACrowded, 1,000 targets packed closer
// (gates of 8.6 m radius; times from a second run at load average 5.5):
//
//	spacing   JPDA instr   JPDA time   GNN instr   GNN time   largest cluster   approximate
//	30 m      1.35 M       0.19 ms     0.93 M      0.10 ms    4                 0
//	15 m      2.68 M       0.28 ms     1.02 M      0.07 ms    14                0
//	10 m      31.6 M       5.1 ms      1.36 M      0.15 ms    61                1 (37 rows, BP)
//
// where the nets of clusters of 25 to 60 rows (3,000 to 16,000 nodes) dominate, and
// the abandoned net and belief propagation of the one 37-row cluster beyond the budget
// (by k-best, KBestRows 64, the total was 25.9 M instructions); a smaller MaxExact
// trades exactness for time there. BenchmarkJPDADense, one fully
// gated cluster: 8×10 exact 0.17 to 0.23 ms, k-best 0.11 to 0.27 ms, belief
// propagation 0.04 ms, brute-force enumeration of its 13.0 million events 0.97 to 1.7 s;
// 12×14 exact 8.4 to 8.9 ms, k-best 0.6 to 0.9 ms, belief propagation 0.2 to 0.3 ms.
type JPDA struct {
	maxExact  int
	k         int
	kbestRows int
	workers   int
	forceLog  bool // tests: evaluate every net in log space
	forceHash bool // tests: find the nets' nodes by hashing, whatever the slots

	// the clusters of the last problem
	parent  []int32 // union-find over rows 0..n-1 and columns n..n+m-1
	label   []int32
	rowOff  []int32 // rows of cluster c: rowLst[rowOff[c]:rowOff[c+1]]
	rowLst  []int32
	colOff  []int32
	colLst  []int32
	colLoc  []int32 // index of each column within its cluster's list
	fill    []int32
	comp    []int32
	nclust  int
	largest int

	ws     []jpdaWorker
	start  []chan struct{}
	done   sync.WaitGroup
	exited sync.WaitGroup
	closed bool
	nw     int // workers of the current call
	w      []float64
	p      *assign.Sparse

	// Clusters is the number of clusters of the last problem (connected components
	// of the candidate graph with at least one row; a row without candidates is a
	// cluster of its own, columns without candidates are in none), as GNN's
	// Components.
	Clusters int
	// Largest is the number of rows of the largest cluster of the last problem.
	Largest int
	// Approximate is the number of clusters of the last problem solved approximately
	// (beyond the exact budget), by k-best or by belief propagation.
	Approximate int
	// Propagated is the number of those solved by belief propagation (more rows than
	// JPDAConfig.KBestRows).
	Propagated int
}

var _ Associator = (*JPDA)(nil)

// NewJPDA returns a JPDA associator; it starts cfg.Workers−1 goroutines, which Close
// stops. Negative or too large settings return an error wrapping ErrConfig.
func NewJPDA(cfg JPDAConfig) (*JPDA, error) {
	switch {
	case cfg.MaxExact < 0 || cfg.MaxExact > 1<<26:
		return nil, fmt.Errorf("%w: JPDA MaxExact must be in [0, 2^26]", ErrConfig)
	case cfg.K < 0 || cfg.K > 1<<20:
		return nil, fmt.Errorf("%w: JPDA K must be in [0, 2^20]", ErrConfig)
	case cfg.Workers < 0 || cfg.Workers > 1024:
		return nil, fmt.Errorf("%w: JPDA Workers must be in [0, 1024]", ErrConfig)
	}
	j := &JPDA{maxExact: cfg.MaxExact, k: cfg.K, workers: max(cfg.Workers, 1)}
	if j.maxExact == 0 {
		j.maxExact = DefaultMaxExact
	}
	if j.k == 0 {
		j.k = DefaultK
	}
	j.kbestRows = cfg.KBestRows
	if j.kbestRows == 0 {
		j.kbestRows = DefaultKBestRows
	}
	j.ws = make([]jpdaWorker, j.workers)
	j.start = make([]chan struct{}, j.workers)
	for k := 1; k < j.workers; k++ {
		j.start[k] = make(chan struct{})
		j.exited.Add(1)
		go j.loop(k)
	}
	return j, nil
}

func (j *JPDA) loop(k int) {
	defer j.exited.Done()
	for range j.start[k] {
		j.work(k)
		j.done.Done()
	}
}

// Close stops the worker goroutines and waits for them to exit. Associate fails
// afterwards. Close is idempotent.
func (j *JPDA) Close() error {
	if j.closed {
		return nil
	}
	j.closed = true
	for k := 1; k < j.workers; k++ {
		close(j.start[k])
	}
	j.exited.Wait()
	return nil
}

// Associate implements Associator with the JPDA marginal association probabilities
// (see JPDA). On error w is unchanged.
func (j *JPDA) Associate(w []float64, p *assign.Sparse) error {
	if j.closed {
		return fmt.Errorf("%w: JPDA closed", ErrClosed)
	}
	if err := validateJPDA(w, p); err != nil {
		return err
	}
	j.split(p)
	j.w, j.p = w, p
	j.nw = j.workers
	if j.nclust < 2*minClusterShard {
		j.nw = 1
	}
	j.nw = min(j.nw, max(j.nclust/minClusterShard, 1))
	if j.nw > 1 {
		j.done.Add(j.nw - 1)
		for k := 1; k < j.nw; k++ {
			j.start[k] <- struct{}{}
		}
	}
	j.work(0)
	if j.nw > 1 {
		j.done.Wait()
	}
	j.w, j.p = nil, nil
	j.Clusters = j.nclust
	j.Largest = j.largest
	j.Approximate, j.Propagated = 0, 0
	for k := range j.ws {
		j.Approximate += j.ws[k].approx
		j.Propagated += j.ws[k].propagated
		j.ws[k].approx, j.ws[k].propagated = 0, 0
	}
	return nil
}

// validateJPDA checks the whole problem before anything is written.
func validateJPDA(w []float64, p *assign.Sparse) error {
	if p == nil {
		return assocErr(assign.ErrDimension, -1, -1, -1, "nil problem")
	}
	n, m := p.Rows, p.Cols
	switch {
	case n < 0 || m < 0 || n >= math.MaxInt32/2 || m >= math.MaxInt32/2:
		return assocErr(assign.ErrDimension, -1, -1, -1, "negative or too large Rows/Cols")
	case len(p.Start) != n+1:
		return assocErr(assign.ErrDimension, -1, -1, -1, "len(Start) != Rows+1")
	case len(p.Cost) != len(p.Col):
		return assocErr(assign.ErrDimension, -1, -1, -1, "len(Cost) != len(Col)")
	case len(w) != len(p.Col):
		return assocErr(assign.ErrDimension, -1, -1, -1, "len(w) != len(Col)")
	case p.Start[0] != 0 || int(p.Start[n]) != len(p.Col):
		return assocErr(assign.ErrDimension, -1, -1, -1, "Start[0] != 0 or Start[Rows] != len(Col)")
	case p.Miss == nil || p.New == nil:
		return assocErr(assign.ErrDimension, -1, -1, -1, "JPDA needs the tracking form (Miss and New)")
	case len(p.Miss) != n:
		return assocErr(assign.ErrDimension, -1, -1, -1, "len(Miss) != Rows")
	case len(p.New) != m:
		return assocErr(assign.ErrDimension, -1, -1, -1, "len(New) != Cols")
	case p.Sense != assign.Minimize:
		return assocErr(assign.ErrDimension, -1, -1, -1, "JPDA needs Sense Minimize")
	}
	for i, x := range p.Miss {
		if x-x != 0 { // NaN or ±Inf
			if x != x {
				return assocErr(assign.ErrNaN, i, -1, -1, "miss cost")
			}
			return assocErr(assign.ErrNonFinite, i, -1, -1, "miss cost")
		}
	}
	for c, x := range p.New {
		if x-x != 0 {
			if x != x {
				return assocErr(assign.ErrNaN, -1, c, -1, "new cost")
			}
			return assocErr(assign.ErrNonFinite, -1, c, -1, "new cost")
		}
	}
	inf := math.Inf(1)
	for i := 0; i < n; i++ {
		a, b := p.Start[i], p.Start[i+1]
		if a > b || int(b) > len(p.Col) {
			return assocErr(assign.ErrDimension, i, -1, -1, "row offsets decrease or exceed len(Col)")
		}
		for k := a; k < b; k++ {
			c, x := p.Col[k], p.Cost[k]
			if uint32(c) >= uint32(m) {
				return assocErr(assign.ErrIndex, i, int(c), int(k), "")
			}
			if !(x < inf) && x != inf { // NaN
				return assocErr(assign.ErrNaN, i, int(c), int(k), "")
			}
			if x == -inf {
				return assocErr(assign.ErrNonFinite, i, int(c), int(k), "cost -Inf")
			}
		}
	}
	return nil
}

func (j *JPDA) find(x int32) int32 {
	par := j.parent
	for par[x] != x {
		par[x] = par[par[x]]
		x = par[x]
	}
	return x
}

// split finds the clusters of p (validated): labels in order of their first row, rows
// and columns listed in index order, colLoc the place of each column in its list.
func (j *JPDA) split(p *assign.Sparse) {
	n, m := p.Rows, p.Cols
	j.parent = growSlice(j.parent, n+m)
	for x := range j.parent {
		j.parent[x] = int32(x)
	}
	inf := math.Inf(1)
	for i := 0; i < n; i++ {
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			if p.Cost[k] == inf {
				continue
			}
			ri := j.find(int32(i))
			rj := j.find(int32(n) + p.Col[k])
			if ri == rj {
				continue
			}
			if rj < ri {
				ri, rj = rj, ri
			}
			j.parent[rj] = ri
		}
	}
	j.label = growSlice(j.label, n+m)
	for x := range j.label {
		j.label[x] = -1
	}
	comps := int32(0)
	j.comp = growSlice(j.comp, n+m) // cluster of each row, then of each column
	for i := 0; i < n; i++ {
		r := j.find(int32(i))
		if j.label[r] < 0 {
			j.label[r] = comps
			comps++
		}
		j.comp[i] = j.label[r]
	}
	for c := 0; c < m; c++ {
		j.comp[n+c] = j.label[j.find(int32(n+c))]
	}
	j.nclust = int(comps)
	j.rowOff = growSlice(j.rowOff, int(comps)+1)
	j.colOff = growSlice(j.colOff, int(comps)+1)
	clear(j.rowOff)
	clear(j.colOff)
	for i := 0; i < n; i++ {
		j.rowOff[j.comp[i]+1]++
	}
	for c := 0; c < m; c++ {
		if l := j.comp[n+c]; l >= 0 {
			j.colOff[l+1]++
		}
	}
	j.largest = 0
	for l := 1; l <= int(comps); l++ {
		j.largest = max(j.largest, int(j.rowOff[l]))
		j.rowOff[l] += j.rowOff[l-1]
		j.colOff[l] += j.colOff[l-1]
	}
	j.fill = append(j.fill[:0], j.rowOff[:comps]...)
	j.fill = append(j.fill, j.colOff[:comps]...)
	j.rowLst = growSlice(j.rowLst, n)
	j.colLst = growSlice(j.colLst, int(j.colOff[comps]))
	j.colLoc = growSlice(j.colLoc, m)
	for i := 0; i < n; i++ {
		l := j.comp[i]
		j.rowLst[j.fill[l]] = int32(i)
		j.fill[l]++
	}
	for c := 0; c < m; c++ {
		l := j.comp[n+c]
		j.colLoc[c] = -1
		if l < 0 {
			continue
		}
		f := &j.fill[int(comps)+int(l)]
		j.colLst[*f] = int32(c)
		j.colLoc[c] = *f - j.colOff[l]
		*f++
	}
}

// work solves worker k's fixed shard of the clusters.
func (j *JPDA) work(k int) {
	wk := &j.ws[k]
	lo, hi := k*j.nclust/j.nw, (k+1)*j.nclust/j.nw
	for c := lo; c < hi; c++ {
		wk.cluster(j, c)
	}
}

func growSlice[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// jpdaWorker is one worker's scratch. Options are indexed per cluster: the options of
// local row r are opt*[rowOpt[r]:rowOpt[r+1]], the first being the miss (col -1).
type jpdaWorker struct {
	approx     int
	propagated int

	seen    []uint32 // per local column: stamp of the row that last saw it
	seenOpt []int32
	stamp   uint32

	rowOpt  []int32
	optCol  []int32   // local column, -1 for the miss
	optArc  []int32   // candidate index in p, -1 for the miss
	optCost []float64 // the caller's cost (Miss for the miss)
	optLW   []float64 // scaled log weight: New_j − Cost_ij (or −Miss_i) − the row's largest
	optR    []float64 // exp(optLW), linear space
	acc     []float64 // per option: Σ F·L·B

	// row order and column slots
	order  []int32
	cnt    []int32 // per local column: rows not yet ordered that use it
	active []bool
	taken  []bool
	slot   []uint8
	retire []uint64 // per level: slots released after it
	width  []uint8  // per level: slots occupied after it
	slots  int      // slots used: every key is below 1<<slots

	// the net
	key    []uint64
	lvl    []int32
	edges  []netEdge
	optBit []uint64 // per option: its column slot bit, 0 for the miss
	f, b   []float64
	ht     []htEntry // open addressing over the child keys of one level
	htCur  uint32
	dir    []uint64 // direct table over keys (few slots): stamp<<32 | node
	dirCur uint32

	// belief propagation
	colStart []int32 // options of local column c: colOpt[colStart[c]:colStart[c+1]]
	colOpt   []int32
	colFill  []int32
	mu, nu   []float64 // per option: row-to-column and column-to-row messages
	tmp      []float64

	// k-best
	kws    assign.Workspace
	ranked []assign.Ranked
	sub    assign.Sparse
}

// netEdge is an edge of the hypothesis net: from a node of level l to one of level
// l+1 through option opt of the row at level l.
type netEdge struct{ from, to, opt int32 }

// htEntry is a slot of the net's hash table: valid when stamp is the table's current.
type htEntry struct {
	key   uint64
	node  int32
	stamp uint32
}

// cluster solves cluster c of j's current problem.
func (wk *jpdaWorker) cluster(j *JPDA, c int) {
	p, w := j.p, j.w
	rows := j.rowLst[j.rowOff[c]:j.rowOff[c+1]]
	nc := int(j.colOff[c+1] - j.colOff[c])
	for _, i := range rows {
		clear(w[p.Start[i]:p.Start[i+1]])
	}
	if nc == 0 {
		return // a row without candidates
	}
	wk.options(j, p, rows, nc)
	nr := len(rows)
	if nr == 1 {
		// closed form: β_j = r_j / (r_0 + Σ r_j), the r scaled by the largest
		z := 0.0
		for o, x := range wk.optLW {
			r := 1.0 // the row's largest, exactly
			if x != 0 {
				r = math.Exp(x)
			}
			wk.optR[o] = r
			z += r
		}
		for o := 1; o < len(wk.optR); o++ {
			w[wk.optArc[o]] = wk.optR[o] / z
		}
		return
	}
	if nr <= maxExactRows && wk.orderRows(nr, nc) && wk.buildNet(nr, j.maxExact, j.forceHash) {
		if j.forceLog || wk.spread(nr) {
			wk.evalLog()
		} else {
			wk.evalLinear()
		}
		for o, a := range wk.optArc {
			if a >= 0 {
				w[a] = wk.acc[o]
			}
		}
		return
	}
	wk.approx++
	if j.kbestRows < 0 || nr <= j.kbestRows {
		wk.kbest(j, p, w, c)
		return
	}
	wk.propagated++
	wk.propagate(w, nc)
}

// Belief propagation settings.
const (
	bpTol     = 1e-9 // largest change of a column-to-row message at convergence
	bpMaxIter = 500
)

// propagate approximates the cluster's marginals by loopy belief propagation over the
// track-detection graph in the form of Williams and Lau (2014): with w_ij and w_i0 the
// row-scaled likelihood ratios and miss term,
//
//	μ_ij = w_ij / (w_i0 + Σ_{j'≠j} w_ij' ν_j'i),  ν_ji = 1 / (1 + Σ_{i'≠i} μ_i'j),
//
// from ν = 1 until no ν changes by more than bpTol (at most bpMaxIter sweeps), then
// β_ij = w_ij ν_ji / (w_i0 + Σ_j' w_ij' ν_j'i). The sums that exclude one term are
// formed from prefix and suffix sums, never by subtraction, so a dominant term cannot
// cancel the others away.
//
// The miss terms are kept at 1e-300 or more (against the row's largest term, 1), so
// that no denominator vanishes when a miss is more than e^690 less likely than the
// row's best candidate; that changes the marginals by less than 1e-300.
func (wk *jpdaWorker) propagate(w []float64, nc int) {
	no := len(wk.optCol)
	for o, x := range wk.optLW {
		wk.optR[o] = math.Exp(x)
		if wk.optCol[o] < 0 {
			wk.optR[o] = max(wk.optR[o], 1e-300)
		}
	}
	// the options of each column (counting sort, in option order)
	wk.colStart = growSlice(wk.colStart, nc+1)
	clear(wk.colStart)
	for _, c := range wk.optCol {
		if c >= 0 {
			wk.colStart[c+1]++
		}
	}
	for c := 1; c <= nc; c++ {
		wk.colStart[c] += wk.colStart[c-1]
	}
	wk.colOpt = growSlice(wk.colOpt, int(wk.colStart[nc]))
	wk.colFill = append(wk.colFill[:0], wk.colStart[:nc]...)
	for o, c := range wk.optCol {
		if c >= 0 {
			wk.colOpt[wk.colFill[c]] = int32(o)
			wk.colFill[c]++
		}
	}
	wk.mu = growSlice(wk.mu, no)
	wk.nu = growSlice(wk.nu, no)
	wk.tmp = growSlice(wk.tmp, no)
	mu, nu, tmp, r := wk.mu, wk.nu, wk.tmp, wk.optR
	for o := range nu {
		nu[o] = 1
	}
	nr := len(wk.rowOpt) - 1
	for it := 0; it < bpMaxIter; it++ {
		for i := 0; i < nr; i++ {
			o0, o1 := wk.rowOpt[i], wk.rowOpt[i+1]
			s := r[o0] // the miss
			for o := o0 + 1; o < o1; o++ {
				tmp[o] = s // prefix
				s += r[o] * nu[o]
			}
			suf := 0.0
			for o := o1 - 1; o > o0; o-- {
				mu[o] = r[o] / (tmp[o] + suf)
				suf += r[o] * nu[o]
			}
		}
		change := 0.0
		for c := 0; c < nc; c++ {
			ops := wk.colOpt[wk.colStart[c]:wk.colStart[c+1]]
			s := 1.0
			for _, o := range ops {
				tmp[o] = s
				s += mu[o]
			}
			suf := 0.0
			for x := len(ops) - 1; x >= 0; x-- {
				o := ops[x]
				v := 1 / (tmp[o] + suf)
				change = max(change, math.Abs(v-nu[o]))
				nu[o] = v
				suf += mu[o]
			}
		}
		if change <= bpTol {
			break
		}
	}
	for i := 0; i < nr; i++ {
		o0, o1 := wk.rowOpt[i], wk.rowOpt[i+1]
		s := r[o0]
		for o := o0 + 1; o < o1; o++ {
			s += r[o] * nu[o]
		}
		for o := o0 + 1; o < o1; o++ {
			w[wk.optArc[o]] = r[o] * nu[o] / s
		}
	}
}

// options builds the options of the cluster's rows: the miss, then one per distinct
// finite candidate column (its least cost, the first candidate with it), with log
// weights scaled by the row's largest.
func (wk *jpdaWorker) options(j *JPDA, p *assign.Sparse, rows []int32, nc int) {
	if len(wk.seen) < nc {
		wk.seen = make([]uint32, nc)
		wk.seenOpt = make([]int32, nc)
		wk.stamp = 0
	}
	wk.rowOpt = append(wk.rowOpt[:0], 0)
	wk.optCol = wk.optCol[:0]
	wk.optArc = wk.optArc[:0]
	wk.optCost = wk.optCost[:0]
	wk.optLW = wk.optLW[:0]
	inf := math.Inf(1)
	for _, i := range rows {
		wk.stamp++
		if wk.stamp == 0 {
			clear(wk.seen)
			wk.stamp = 1
		}
		first := len(wk.optCol)
		wk.optCol = append(wk.optCol, -1)
		wk.optArc = append(wk.optArc, -1)
		wk.optCost = append(wk.optCost, p.Miss[i])
		wk.optLW = append(wk.optLW, -p.Miss[i])
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			x := p.Cost[k]
			if x == inf {
				continue
			}
			gc := p.Col[k]
			lc := j.colLoc[gc]
			if wk.seen[lc] == wk.stamp {
				if o := wk.seenOpt[lc]; x < wk.optCost[o] {
					wk.optCost[o] = x
					wk.optArc[o] = k
					wk.optLW[o] = p.New[gc] - x
				}
				continue
			}
			wk.seen[lc] = wk.stamp
			wk.seenOpt[lc] = int32(len(wk.optCol))
			wk.optCol = append(wk.optCol, lc)
			wk.optArc = append(wk.optArc, k)
			wk.optCost = append(wk.optCost, x)
			wk.optLW = append(wk.optLW, p.New[gc]-x)
		}
		hi := wk.optLW[first]
		for _, x := range wk.optLW[first+1:] {
			hi = max(hi, x)
		}
		for o := first; o < len(wk.optLW); o++ {
			wk.optLW[o] -= hi
		}
		wk.rowOpt = append(wk.rowOpt, int32(len(wk.optCol)))
	}
	no := len(wk.optCol)
	wk.optR = growSlice(wk.optR, no)
	wk.acc = growSlice(wk.acc, no)
}

// spread reports whether some event's weight could fall below about 1e-260 in linear
// space: nr times the widest scaled log weight beyond 600.
func (wk *jpdaWorker) spread(nr int) bool {
	lo := 0.0
	for _, x := range wk.optLW {
		lo = min(lo, x)
	}
	return -lo*float64(nr) > 600
}

// orderRows orders the cluster's rows greedily so that columns retire early and gives
// every column a bit slot from its first to its last row. It reports false when more
// than 64 columns would be open at once.
func (wk *jpdaWorker) orderRows(nr, nc int) bool {
	wk.cnt = growSlice(wk.cnt, nc)
	wk.active = growSlice(wk.active, nc)
	wk.slot = growSlice(wk.slot, nc)
	wk.taken = growSlice(wk.taken, nr)
	clear(wk.cnt)
	clear(wk.active)
	clear(wk.taken)
	for _, c := range wk.optCol {
		if c >= 0 {
			wk.cnt[c]++
		}
	}
	wk.order = wk.order[:0]
	wk.retire = wk.retire[:0]
	wk.width = wk.width[:0]
	wk.slots = 0
	var used uint64 // occupied slots
	for step := 0; step < nr; step++ {
		best, bs, ba := -1, math.MaxInt, 0
		for r := 0; r < nr; r++ {
			if wk.taken[r] {
				continue
			}
			s, a := 0, 0
			for _, c := range wk.optCol[wk.rowOpt[r]+1 : wk.rowOpt[r+1]] {
				if !wk.active[c] {
					s++
				} else {
					a++
				}
				if wk.cnt[c] == 1 {
					s--
				}
			}
			if s < bs || (s == bs && a > ba) {
				best, bs, ba = r, s, a
			}
		}
		wk.taken[best] = true
		wk.order = append(wk.order, int32(best))
		var ret uint64
		for _, c := range wk.optCol[wk.rowOpt[best]+1 : wk.rowOpt[best+1]] {
			if !wk.active[c] {
				if used == math.MaxUint64 {
					return false
				}
				s := uint8(bits.TrailingZeros64(^used))
				used |= 1 << s
				wk.slots = max(wk.slots, int(s)+1)
				wk.slot[c] = s
				wk.active[c] = true
			}
			wk.cnt[c]--
			if wk.cnt[c] == 0 {
				ret |= 1 << wk.slot[c]
			}
		}
		used &^= ret
		wk.retire = append(wk.retire, ret)
		wk.width = append(wk.width, uint8(bits.OnesCount64(used)))
	}
	return true
}

// maxDirectSlots is the largest number of slots for which the net's nodes are found
// in a direct table of 1<<slots entries instead of a hash table.
const maxDirectSlots = 16

// buildNet builds the hypothesis net over the ordered rows; it reports false when the
// net would have more than budget nodes. Each level's nodes are found by key in a
// direct table when the cluster uses at most maxDirectSlots slots (and hash is false),
// in a hash table otherwise.
func (wk *jpdaWorker) buildNet(nr, budget int, hash bool) bool {
	wk.optBit = growSlice(wk.optBit, len(wk.optCol))
	for o, c := range wk.optCol {
		wk.optBit[o] = 0
		if c >= 0 {
			wk.optBit[o] = 1 << wk.slot[c]
		}
	}
	wk.key = append(wk.key[:0], 0)
	wk.lvl = append(wk.lvl[:0], 0, 1)
	wk.edges = wk.edges[:0]
	direct := wk.slots <= maxDirectSlots && !hash
	if direct {
		if size := 1 << wk.slots; len(wk.dir) < size {
			wk.dir = make([]uint64, size)
			wk.dirCur = 0
		}
	}
	for l := 0; l < nr; l++ {
		r := wk.order[l]
		o0, o1 := wk.rowOpt[r], wk.rowOpt[r+1]
		ok := false
		if direct {
			ok = wk.levelDirect(l, o0, o1, budget)
		} else {
			ok = wk.levelHash(l, o0, o1, budget)
		}
		if !ok {
			return false
		}
		wk.lvl = append(wk.lvl, int32(len(wk.key)))
	}
	return true
}

// levelDirect adds level l+1 of the net, reached from level l through options
// [o0, o1), its nodes found in the direct table.
func (wk *jpdaWorker) levelDirect(l int, o0, o1 int32, budget int) bool {
	wk.dirCur++
	if wk.dirCur == 0 {
		clear(wk.dir)
		wk.dirCur = 1
	}
	size := 1 << wk.slots
	dir := wk.dir[:size]
	mask := uint64(size - 1)
	cur := uint32(wk.dirCur)
	ret := wk.retire[l]
	key, edges := wk.key, wk.edges
	obs := wk.optBit[o0:o1]
	p0, p1 := wk.lvl[l], wk.lvl[l+1]
	for x := p0; x < p1; x++ {
		kx := key[x]
		for oi, b := range obs {
			if kx&b != 0 {
				continue
			}
			ck := (kx | b) &^ ret
			h := ck & mask
			d := dir[h]
			y := int32(uint32(d))
			if uint32(d>>32) != cur {
				if len(key) >= budget {
					wk.key, wk.edges = key, edges
					return false
				}
				y = int32(len(key))
				key = append(key, ck)
				dir[h] = uint64(cur)<<32 | uint64(uint32(y))
			}
			edges = append(edges, netEdge{x, y, o0 + int32(oi)})
		}
	}
	wk.key, wk.edges = key, edges
	return true
}

// levelHash is levelDirect with the nodes found in an open-addressing hash table.
func (wk *jpdaWorker) levelHash(l int, o0, o1 int32, budget int) bool {
	p0, p1 := wk.lvl[l], wk.lvl[l+1]
	bound := min(int(p1-p0)*int(o1-o0), budget+1)
	if wd := wk.width[l]; wd < 30 {
		bound = min(bound, 1<<wd) // distinct children
	}
	size := 1 << bits.Len(uint(2*bound-1)) // power of two ≥ 2·bound
	if len(wk.ht) < size {
		wk.ht = make([]htEntry, size)
		wk.htCur = 0
	}
	wk.htCur++
	if wk.htCur == 0 {
		clear(wk.ht)
		wk.htCur = 1
	}
	ht, cur := wk.ht[:size], wk.htCur
	mask := uint64(size - 1)
	shift := uint(64 - bits.Len(uint(size-1)))
	ret := wk.retire[l]
	key, edges := wk.key, wk.edges
	obs := wk.optBit[o0:o1]
	for x := p0; x < p1; x++ {
		kx := key[x]
		for oi, b := range obs {
			if kx&b != 0 {
				continue
			}
			ck := (kx | b) &^ ret
			h := (ck * 0x9E3779B97F4A7C15) >> shift & mask
			y := int32(-1)
			for ht[h].stamp == cur {
				if ht[h].key == ck {
					y = ht[h].node
					break
				}
				h = (h + 1) & mask
			}
			if y < 0 {
				if len(key) >= budget {
					wk.key, wk.edges = key, edges
					return false
				}
				y = int32(len(key))
				key = append(key, ck)
				ht[h] = htEntry{key: ck, node: y, stamp: cur}
			}
			edges = append(edges, netEdge{x, y, o0 + int32(oi)})
		}
	}
	wk.key, wk.edges = key, edges
	return true
}

// evalLinear computes the marginals of every option into acc in linear space.
func (wk *jpdaWorker) evalLinear() {
	for o, x := range wk.optLW {
		wk.optR[o] = math.Exp(x)
	}
	nn := len(wk.key)
	wk.f = growSlice(wk.f, nn)
	wk.b = growSlice(wk.b, nn)
	f, b, r := wk.f, wk.b, wk.optR
	clear(f)
	clear(b)
	f[0] = 1
	edges := wk.edges
	for _, e := range edges {
		f[e.to] += f[e.from] * r[e.opt]
	}
	b[nn-1] = 1
	acc := wk.acc
	clear(acc)
	for x := len(edges) - 1; x >= 0; x-- {
		e := edges[x]
		t := r[e.opt] * b[e.to]
		acc[e.opt] += f[e.from] * t
		b[e.from] += t
	}
	z := f[nn-1]
	for o := range acc {
		acc[o] /= z
	}
}

// logAdd returns log(exp(a) + exp(b)).
func logAdd(a, b float64) float64 {
	if a < b {
		a, b = b, a
	}
	d := b - a
	if !(d > -40) { // exp(-40) is below the rounding of a; also a or b = -Inf
		return a
	}
	return a + math.Log1p(math.Exp(d))
}

// evalLog computes the marginals of every option into acc in log space.
func (wk *jpdaWorker) evalLog() {
	nn := len(wk.key)
	wk.f = growSlice(wk.f, nn)
	wk.b = growSlice(wk.b, nn)
	f, b, lr := wk.f, wk.b, wk.optLW
	ninf := math.Inf(-1)
	for x := range f {
		f[x], b[x] = ninf, ninf
	}
	f[0] = 0
	edges := wk.edges
	for _, e := range edges {
		f[e.to] = logAdd(f[e.to], f[e.from]+lr[e.opt])
	}
	b[nn-1] = 0
	acc := wk.acc
	for o := range acc {
		acc[o] = ninf
	}
	for x := len(edges) - 1; x >= 0; x-- {
		e := edges[x]
		t := lr[e.opt] + b[e.to]
		acc[e.opt] = logAdd(acc[e.opt], f[e.from]+t)
		b[e.from] = logAdd(b[e.from], t)
	}
	z := f[nn-1]
	for o := range acc {
		acc[o] = math.Exp(acc[o] - z)
	}
}

// kbest approximates the cluster's marginals by its K best joint events.
func (wk *jpdaWorker) kbest(j *JPDA, p *assign.Sparse, w []float64, c int) {
	rows := j.rowLst[j.rowOff[c]:j.rowOff[c+1]]
	cols := j.colLst[j.colOff[c]:j.colOff[c+1]]
	nr, nc := len(rows), len(cols)
	sub := &wk.sub
	sub.Rows, sub.Cols = nr, nc
	sub.Start = append(sub.Start[:0], 0)
	sub.Col = sub.Col[:0]
	sub.Cost = sub.Cost[:0]
	sub.Miss = sub.Miss[:0]
	for r, i := range rows {
		for o := wk.rowOpt[r] + 1; o < wk.rowOpt[r+1]; o++ {
			sub.Col = append(sub.Col, wk.optCol[o])
			sub.Cost = append(sub.Cost, wk.optCost[o])
		}
		sub.Start = append(sub.Start, int32(len(sub.Col)))
		sub.Miss = append(sub.Miss, p.Miss[i])
	}
	sub.New = sub.New[:0]
	for _, gc := range cols {
		sub.New = append(sub.New, p.New[gc])
	}
	var err error
	wk.ranked, err = wk.kws.KBest(wk.ranked[:0], sub, j.k)
	if err != nil || len(wk.ranked) == 0 {
		return // not reached: the sub-problem is valid and has an event (all missed)
	}
	best := wk.ranked[0].Cost
	for _, e := range wk.ranked {
		best = min(best, e.Cost)
	}
	clear(wk.acc)
	sum := 0.0
	for _, e := range wk.ranked {
		x := math.Exp(best - e.Cost)
		sum += x
		for r, c := range e.RowCol {
			if c < 0 {
				continue
			}
			for o := wk.rowOpt[r] + 1; o < wk.rowOpt[r+1]; o++ {
				if wk.optCol[o] == c {
					wk.acc[o] += x
					break
				}
			}
		}
	}
	for o, a := range wk.optArc {
		if a >= 0 {
			w[a] = wk.acc[o] / sum
		}
	}
}
