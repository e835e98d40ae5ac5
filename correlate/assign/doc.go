// Package assign solves the linear assignment problems of data association: which
// detection goes with which track, at the least total cost.
//
// # Solvers
//
//   - Workspace.Dense: a dense rows×cols matrix, Jonker–Volgenant shortest augmenting
//     path over arrays. For small or truly dense problems.
//   - Workspace.Solve: a gated problem in compressed sparse rows (Sparse), the same
//     method over candidate lists, after a greedy start, with searches pruned at the
//     nearest free column reached (see Algorithms). Exact.
//   - Solver.Solve: the same result computed per connected component of the candidate
//     graph (union-find), components of at most 2×2 in closed form, on a fixed pool of
//     workers; output identical for any worker count.
//   - Workspace.KBest: the k best assignments in order (Murty's method), for k-best JPDA
//     and multiple-hypothesis tracking.
//
// # Conventions
//
// Costs are minimised by default (Sense Minimize); with Maximize they are maximised. A
// forbidden pair is +Inf when minimising and -Inf when maximising, or simply absent from
// a Sparse problem; the opposite infinity and NaN are errors. Costs may be negative.
//
// The plain form (Dense, or Sparse with Miss and New nil) returns the largest possible
// number of pairs first and, among assignments with that many pairs, the least total
// cost: when every row can be assigned (rows ≤ cols) that is the usual optimum; when some
// cannot, no cost, however low, buys a pair less. The tracking form (Sparse with Miss and
// New) has no such rule: a track may stay unassigned at its miss cost and a detection at
// its new-track or clutter cost, and the least total of pair, miss and new costs wins.
// It is solved without the (n+m)×(m+n) augmented matrix: each row gets one private
// dummy candidate at its miss cost and the new cost of column j is subtracted from the
// pairs of j, so the problem stays as sparse as the gate made it.
//
// Rows are tracks and columns detections in the tracker's use, but nothing here depends
// on it; costs carry whatever unit the caller uses (typically a squared Mahalanobis
// distance or a negative log-likelihood ratio, dimensionless).
//
// # Exactness and rounding
//
// The solvers are exact combinatorial algorithms over float64: they return an optimal
// assignment of the problem as rounded by floating point. Comparisons are plain float
// comparisons, no tolerance is added. The dual variables accumulate rounding of the
// order of n·2⁻⁵² times the largest |cost|, so two assignments whose totals differ by
// less than about that (for example a difference of 1e-9 among costs of 1e12) may be
// returned in either order; within that bound the returned total is the optimum. Ties are
// broken deterministically (by index), so the same input always gives the same output.
// Costs whose sums overflow float64 (|cost| near 1e308) give an undefined assignment but
// no panic.
//
// # Errors
//
// Bad input (NaN, a forbidden infinity of the wrong sign, mismatched lengths, offsets that
// decrease, a column index out of range, a negative k, an invalid Config) returns an
// *Error wrapping one of the sentinels ErrNaN, ErrNonFinite, ErrDimension, ErrIndex,
// ErrInvalidK, ErrConfig or ErrClosed, naming the row, column and candidate concerned.
// On error the destination is not modified. Nothing in this package panics on data.
//
// # Ownership and aliasing
//
// Inputs are never modified. Workspace.Solve reads a minimised Sparse problem (plain or
// tracking form) without forbidden candidates in place during the call; any other
// problem, and every problem given to Solver or KBest, is copied into the workspace.
// Nothing of the caller's is retained after a call returns. Results are written into the
// caller's Result (or Ranked) slices, reused when their capacity allows; a Result must not
// be shared between concurrent solves. A Workspace or Solver is used by one goroutine at a
// time; Solver's own goroutines end with Close.
//
// # Algorithms
//
// All solvers are successive shortest augmenting path methods with dual variables u (rows)
// and v (columns): between steps every assigned row's candidates have non-negative
// reduced cost c - u - v, zero on its pair, and unassigned columns have v = 0, which
// makes the current assignment the cheapest one of the rows it covers. A free row is
// added by a Dijkstra search over reduced costs to the nearest free column. In the plain
// form a row that reaches no free column may still replace an assigned row r along the
// cheapest alternating path when that lowers the total (by d + u_new − u_r); this is what
// makes the result the cheapest of the maximum-cardinality assignments rather than just
// a maximum one. Murty's children restart from the parent's duals with an explicit sink
// node, so that a freed column may end up unused.
//
// The sparse solver starts greedily: each row takes its cheapest candidate when that
// column is still free (u = that cost, v = 0). On a tracker-like problem about 22% of the
// rows collide there, and each of them is then added by its own search. The greedy start
// makes two passes: the first finds every row's least candidate and checks the
// candidates (column in range, finite cost) by a loop without branches (min, conditional
// moves, a running maximum of the columns and a sum of c - c tested once per row); the
// second settles the owners in row order, its reads of the columns' owners independent
// of one another so that their cache misses overlap. A search keeps the column duals in
// an array of their own, 8 bytes a column, which is all that the common candidate visit
// reads; each column's owner and place in the search (reached, finalised) in a second
// 8-byte record, read only for an offer that passes the first test; and the tentative
// distance, the candidate it came by and the finalised entry it was reached from in the
// list entry of the reached column, so that the augmenting path is flipped without
// reading the rows' columns. It drops every offer no nearer than the nearest free column
// already reached (only columns nearer than the one the search ends at change their
// duals, and each of them is reached by offers below it); and it finds the nearest
// reached column by a scan without branches while at most a few dozen are pending,
// switching to a binary heap beyond that so that long searches stay O(E log V). On the
// geometric problems of the benchmarks a search scans 3.4 rows and finalises about 2.4
// columns.
//
// Workspace.Solve solves the minimised tracking form in place as well: instead of
// copying the problem with New[j] subtracted from the pairs of column j, it starts the
// dual of column j at New[j] (the reduced costs c - u - v are then those of the copy) and
// lets the searches offer each row's dummy column at the row's miss cost (unassigned
// columns then keep v = New[j] rather than 0). The greedy passes check the candidates
// (column in range, finite cost) by reductions without branches.
//
// Tried and dropped: the augmenting row reduction of Jonker and Volgenant before the
// searches (its bidding between neighbours visited more candidates per resolved row than
// the pruned searches do); ordering the searches so that each follows one that reached
// the column it waits for (11% fewer simulated cache misses at n = 100,000, but more
// instructions and no measurable gain); 64-byte column records that also carry the
// owning row's dual and candidate range, so that a search step waits on one load less
// (per-round time ratio 0.99 at n = 100,000); renumbering rows and columns in
// breadth-first order inside the solver. Locality matters: the same n = 100,000 problem
// with rows and columns numbered in breadth-first order solved 1.5–2.2× faster in our
// runs. But a pass that visits rows in any order other than their own is as
// cache-hostile as the searches it would speed up (30–48 ms at n = 100,000 for the
// renumbering alone), so the order has to come from the caller: a gater that emits
// tracks and detections in spatial (grid cell) order gets the faster figure. Also tried
// and dropped, each measured against the version before it: computing a chunk of a row's
// distances in a first loop and offering them in a second (40% more instructions in the
// scan, no gain); keeping the places of the candidates below the limit by a loop without
// branches before offering them (20% more instructions, 5–12% slower); reading each
// reached owner's dual and candidate offset when its column is offered, as a prefetch
// for the row scan that follows if the column is finalised (time ratio 1.01 at
// n = 100,000), or the candidates of the row queued four searches ahead (no gain);
// order keys (the float's bits made monotone) for the branch-free minima,
// and two minima side by side (more instructions, or spilled registers; no gain over one
// float minimum); passing the row's bounds to the minimum rather than subslices (2%
// fewer instructions, no measurable time).
//
// # Performance
//
// After a first solve of the same size, Dense, Solve (both forms) and Solver allocate
// nothing (tested with testing.AllocsPerRun); KBest's node arenas grow to the largest
// call seen and are then reused. Memory is O(rows + cols + candidates) for the sparse
// solvers (per worker for Solver) and O(rows·cols) for Dense.
//
// Measured on tracker-like problems: n targets uniform at unit density, detections with
// N(0, 0.3²) noise, gate radius 2 (13.4 candidates per row), cost the squared distance;
// the tracking form with miss and new costs 9. Instructions per solve come from valgrind
// --tool=callgrind on the test binary (GOMAXPROCS=1, GODEBUG=asyncpreemptoff=1,
// collected inside Workspace.Solve), as the difference between -test.benchtime 30x and
// 10x runs (6x and 2x at n = 100,000) over the extra solves; they do not depend on the
// load. "Before" is commit e796d13, built and measured beside this version:
//
//	                                     instructions per solve
//	                                     before    after    after/before
//	Solve, plain, n = 10,000             10.2 M    10.1 M   0.99
//	Solve, plain, n = 100,000            105 M     104 M    0.99
//	Solve, tracking form, n = 10,000     14.3 M    12.3 M   0.86
//	Solve, tracking form, n = 100,000    127 M     126 M    0.99
//
// The instruction counts hardly moved; the time did, because the greedy start's minima
// and the search's choice of the nearest column lost their unpredictable branches, the
// owners' reads of the greedy start overlap, a candidate visit reads 8 bytes of a
// 0.8 MB array (plain form, n = 100,000) rather than a 32-byte record of a 3.2 MB one,
// and the path is flipped without random reads. Times: the two test binaries (go test -c) run
// alternately with -test.bench 'SparseGeometric|TrackingGeometric' -test.cpu 1
// -test.benchtime 20x, 15 times each, on the shared 2-core x86-64 VM (AMD EPYC, Go 1.26)
// under a load average of 0.6–0.9: medians in ms, best run in parentheses, and the
// median of the per-round ratios after/before:
//
//	                                         before          after           ratio
//	Solve, plain, n = 10,000                 1.95 (1.83)     1.29 (1.25)     0.68
//	Solve, plain, n = 100,000                37.9 (32.7)     28.4 (24.4)     0.72
//	Solve, tracking form, n = 10,000         2.13 (2.08)     1.45 (1.41)     0.68
//	Solve, tracking form, n = 100,000        44.2 (40.3)     33.6 (29.3)     0.74
//
// Under a load of 2–3 from other work, the same comparison of an earlier state (before
// the branch-free nearest column and the parent entries) gave ratios of 0.80–0.87. Solver (Decomposed benchmarks, 5 rounds, -test.cpu 1) went from
// 3.0 to 2.7 ms (plain, n = 10,000, 1 worker), 57 to 52 ms (n = 100,000) and 36 to 29 ms
// (gate 0.7, tracking form, n = 100,000); KBest (k = 100, 50×50) is unchanged within the
// noise (0.31 and 0.30 ms gated, 3.27 and 3.24 ms full matrix). Every solve allocates nothing (0 allocs/op).
// Dense was not measured again (unchanged).
//
// The targets of issue 4 are 1.5 ms at n = 10,000 and 25 ms at n = 100,000 (C++
// LAPJVsp: 1.9 ms and 32.5 ms). On the AMD EPYC VM above the first is met (both forms)
// and the second is not (28 ms plain, 34 ms tracking form). On the 2-core Intel Xeon VM
// (4 MB of L2 per core, Go 1.26.8, load below 1; -test.cpu 1, medians of 10 runs of
// -test.benchtime 20x) both are: plain 1.21 ms (1.16–1.29) and 19.7 ms (19.2–20.5),
// tracking form 1.40 ms and 22.2 ms (21.1–22.7), 0 allocations. At n = 100,000 the
// solve is bound by memory latency: a search follows rows and columns at random places
// of a 16 MB problem, so the machine's caches decide the margin. Problems numbered in
// breadth-first order solved 1.5–2.2× faster in an earlier version, so a caller that
// numbers tracks and detections in spatial order gains more; solving the greedy start
// and the searches block by block of rows (2,048 or 8,192) gave 0.90–0.97 of the time
// at n = 100,000 but 1.07–1.10 at n = 10,000 (more searches), and was dropped. On the
// same Xeon: Dense 0.15, 46 and 263 ms at n = 100, 1,000 and 2,000; KBest (k = 100,
// 50×50) 0.27 ms gated and 3.3 ms on the full matrix.
//
// Solver's workers take components from a shared counter, comps/(workers·32) at a time
// within [16, 256]. Taking them one at a time cost an atomic operation per component on
// a cache line both cores wrote, and claims of 16 one-row components (most of the
// tracker's) put every boundary between the two workers' claims on a cache line of the
// state's row arrays that both wrote. From 4,096 rows each worker also copies a shard of
// the rows into the internal form (once the candidates are checked, row i's place is
// Start[i] plus i dummies; a shard with a bad or forbidden candidate or bad offsets
// sends the whole problem through the serial copy, which reports the first error in row
// order), resets its shard of the state and begins its own searcher. Xeon, tracking form
// at n = 100,000 (gate 0.7, 28,219 components), medians of 5 interleaved runs: 18.0 ms
// with 1 worker, 12.8 ms with 2 (15.1 ms with claims of 16 and the serial copy). The
// union-find with the counting sort into components and the result were then serial:
// in the tracker's problem at 100,000 targets, 31% and 8% of the one-worker solve. That
// problem has about 0.9 candidates per row and 83,000–99,000 components, 84–99% of them
// a single row (BenchmarkDecomposed's tracking-sparse is shaped like it: 0.95
// candidates per row, 95,617 components, 96% a single row), so the split's cost lies in
// labelling the components and sorting rows and columns into them more than in the
// union-find. The result was left serial (0.9 ms of the tracker's 2-worker tick at
// 100,000 targets): its total is a float sum in row order, which a parallel version
// must keep to stay bit-identical, so only the gathering of the terms could move to the
// workers, at most about half of it, under 1% of the tick (not tried).
//
// Since then the split lists no columns (only their counts per component are read) and
// labels the rows in one pass (a component's root is its first row, and roots come in
// row order): on tracking-sparse at 100,000, 6.09 → 5.52 ms with 1 worker, 5.22 → 4.87
// ms with 2 (medians of 5 interleaved runs). With several workers it runs on worker 0,
// on the caller's problem, while the others load it (it reads only the candidates'
// columns, which the load copies as they are; a problem that fails the parallel load is
// split again after the serial load). And a worker's searcher no longer resets the
// records of every column at every Solve (twice the columns of the tracking form, on
// every worker, though most components are solved in closed form without it): it puts
// back those of each component it searched, up to a quarter of a full reset, past
// which the next Solve resets all (TestSolverReuseAcrossSizes). Against the previous
// session's version, 6 interleaved runs at n = 100,000: tracking-gate0.7 20.8 and 12.3
// ms with 1 and 2 workers (0.99× and 0.84×), plain 43.6 and 37.2 ms (1.00× and 0.93×);
// in the tracker's 2-worker tick the association went from 117 to 103 ns per track.
// The phases are handed over by internal/forkjoin, whose workers spin briefly before
// they block: a blocked goroutine took 13–26 µs to start (medians, gaps of 20 µs to
// 3 ms between calls, a quiet machine; the 65–120 µs below were seen while other
// tests ran on the machine).
//
// Splitting on the workers was tried and dropped (commit 856441f): each worker ran a
// union-find of its own over its rows, the columns attached to rows in an array of its
// own; the shards were joined through the columns they share by a lock-free union-find
// over the rows (compare-and-swap, the larger root under the smaller, so that a
// component's root stays its first row); the roots were marked in a bitmap and labelled
// by rank, and rows and columns placed by a counting sort with per-worker counts, the
// steps separated by spinning barriers inside one dispatched phase, because a worker
// blocked on its channel started a phase 65–120 µs after the caller. The output was
// identical (TestSolverShapes still checks the shapes it was tested on), but inside
// Solve with 2 workers the parallel split took as long as the serial one (3.98–4.07
// against 4.00–4.39 ms at gate 0.7, 2.07–2.15 against 2.04–2.11 ms on tracking-sparse,
// n = 100,000, fastest of 100 solves in each of 3 rounds): after the workers' own union-finds, every step reads at random
// what the other core wrote (the columns' rows, the roots, the counts), and on this VM
// that cost as much as the second core saved. Xeon, the two test binaries run
// alternately, 8 rounds of -test.benchtime 20x (tracker 7 rounds of 10x), medians, and
// the median of the per-round ratios parallel/serial:
//
//	                                            serial      parallel    ratio
//	Decomposed plain, 2 workers                 37.5 ms     35.4 ms     0.950
//	Decomposed tracking-gate0.7, 2 workers      14.25 ms    14.21 ms    0.994
//	Decomposed tracking-sparse, 2 workers       5.64 ms     5.51 ms     0.976
//	tracker GNN tick, 100,000 targets, 2 workers  65.1 ms   65.5 ms     0.997
//	tracker GNN tick, 100,000 targets, 1 worker   95.2 ms   94.0 ms     1.002
//
// (1 worker runs the serial split in both; the tracker's ratio workers=1/workers=2 was
// 1.46 and 1.43, its association stage 15.9 and 15.5 ms per tick with 2 workers.)
//
// At gate radius 2 the candidate graph is one giant component, so Solver only adds the
// cost of union-find and a copy there; it pays off when the gates split the scene.
package assign
