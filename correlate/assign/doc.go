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
// rows collide there, and each of them is then added by its own search. A search keeps
// each column's dual, owner and search state (distance, place, row and candidate it was
// reached by) in one 32-byte record, so that a candidate visit touches one cache line;
// it drops every offer no nearer than the nearest free column already reached (only
// columns nearer than the one the search ends at change their duals, and each of them is
// reached by offers below it); and it finds the nearest reached column by a plain scan
// while at most a few dozen are pending, switching to a binary heap beyond that so that
// long searches stay O(E log V). On the geometric problems of the benchmarks a search
// scans 3.4 rows and finalises about 2.4 columns.
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
// tracks and detections in spatial (grid cell) order gets the faster figure.
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
// --tool=callgrind on the test binary (GOMAXPROCS=1, GODEBUG=asyncpreemptoff=1), as the
// difference between -test.benchtime 60x and 20x runs (6x and 2x at n = 100,000) over
// the extra solves; they do not depend on the load. "Before" is the previous version
// (commit 8edd320), built and measured beside this one:
//
//	                                     instructions per solve
//	                                     before    after    after/before
//	Solve, plain, n = 10,000             11.0 M    10.3 M   0.94
//	Solve, plain, n = 100,000            113 M     106 M    0.94
//	Solve, tracking form, n = 10,000     19.1 M    12.4 M   0.65
//	Solve, tracking form, n = 100,000    195 M     122 M    0.63
//	Solver, 1 worker, plain, n = 10,000  25.0 M    22.1 M   0.88
//	Solver, 1 worker, n = 10,000,        11.6 M    11.4 M   0.98
//	  gate 0.7, tracking form
//
// A cache simulation (callgrind, 32 KiB L1, 1 MiB L2) gives 1.55 M L2 misses per plain
// solve at n = 100,000, against 1.63 M before.
//
// Times: the two test binaries (go test -c) run alternately with -test.bench
// 'SparseGeometric|TrackingGeometric|Decomposed' -test.cpu 1, 10 times each (16 times
// with -test.benchtime 15x at n = 100,000), on the shared 2-core x86-64 VM (AMD EPYC,
// Go 1.26) under a load average of 3.8–5.6 from other engineers' builds: medians in ms,
// best run in parentheses, and the median of the per-round ratios after/before:
//
//	                                         before          after           ratio
//	Solve, plain, n = 10,000                 3.43 (1.98)     3.32 (2.04)     0.84
//	Solve, plain, n = 100,000                98 (54)         100 (47)        1.06
//	Solve, tracking form, n = 10,000         4.55 (2.52)     3.69 (2.38)     0.79
//	Solve, tracking form, n = 100,000        109 (77)        116 (60)        0.97
//	Solver, 1 / 2 workers, plain, 10,000     5.5 / 5.6       5.3 / 5.1       0.92 / 0.85
//	Solver, 1 / 2 workers, plain, 100,000    109 / 119       109 / 114       1.11 / 0.96
//	Solver, 1 / 2 workers, gate 0.7,         3.2 / 3.4       2.4 / 2.5       0.74 / 0.82
//	  tracking form, 10,000
//	Solver, 1 / 2 workers, gate 0.7,         61 / 62         62 / 61         1.10 / 1.38
//	  tracking form, 100,000
//
// Every solve allocates nothing (0 allocs/op). On the idle machine, before these
// changes, the plain solve took 2.1–2.3 ms at n = 10,000 and 39–43 ms at n = 100,000,
// the tracking form 2.7–3.0 ms and 53–60 ms. Dense (n = 100 / 1,000 / 2,000: 0.20 ms /
// 62 ms / about 0.5 s) and KBest (k = 100, 50×50: gated tracking form 0.4 ms, full
// matrix 7–13 ms) were not measured again (Dense is unchanged; KBest only reads the
// column duals from the searches' records).
//
// The targets of issue 4, 1.5 ms at n = 10,000 and 25 ms at n = 100,000 (C++ LAPJVsp:
// 1.9 ms and 32.5 ms), are not met. At n = 10,000 the solve is bound by instructions:
// about 10 M, of which the greedy pass (finding and checking each row's least candidate)
// takes 3.8 M, about 22 instructions per candidate as Go compiles it, and the searches
// (2,244 of them, 7,548 row scans) 5.4 M; meeting 1.5 ms needs about 7 M. At n = 100,000
// it is bound by memory latency: a search follows rows and columns at random places of
// a 16 MB problem, and the instruction count, 6% lower, does not show in the time. The
// breadth-first numbered problem above solved in 24–29 ms, so a caller that numbers
// tracks and detections in spatial order could come near that target with this solver.
//
// At gate radius 2 the candidate graph is one giant component, so Solver only adds the
// cost of union-find and a copy there; it pays off when the gates split the scene.
package assign
