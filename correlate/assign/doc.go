// Package assign solves the linear assignment problems of data association: which
// detection goes with which track, at the least total cost.
//
// # Solvers
//
//   - Workspace.Dense: a dense rows×cols matrix, Jonker–Volgenant shortest augmenting
//     path over arrays. For small or truly dense problems.
//   - Workspace.Solve: a gated problem in compressed sparse rows (Sparse), the same
//     method over candidate lists with a binary heap, after a greedy start and the
//     augmenting row reduction of Jonker and Volgenant. Exact.
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
// Inputs are never modified. A plain, minimised Sparse problem without forbidden
// candidates is read in place during the call; any other is copied into the workspace.
// Nothing of the caller's is retained after a call returns. Results are written into the
// caller's Result (or Ranked) slices, reused when their capacity allows; a Result must not
// be shared between concurrent solves. A Workspace or Solver is used by one goroutine at a
// time; Solver's own goroutines end with Close.
//
// # Performance
//
// After the first solve of a given size a Workspace or Solver allocates nothing (tested
// with testing.AllocsPerRun for Dense, Solve in both forms, Solver with 1 and 2 workers
// and KBest). Memory is O(rows + cols + candidates) for the sparse solvers and
// O(rows·cols) for Dense. See the benchmarks in bench_test.go; README figures were
// measured on a shared 2-core machine and are noisy.
package assign
