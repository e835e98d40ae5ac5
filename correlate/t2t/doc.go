// Package t2t correlates and fuses track reports from many trackers: track-to-track
// correlation in the strict sense. A fusion centre receives, from each source (a
// nation's tracker, a sensor site), estimates of that source's own tracks, with its
// own track numbers, rate, errors and biases; a Correlator decides which reports
// describe the same object, keeps one system track per object with a stable system ID
// and the mapping (source, source track) ↔ system track, and fuses the members of each
// system track without double counting.
//
//	c, _ := t2t.New(t2t.Config{Layout: t2t.CV2})
//	defer c.Close()
//	events, err := c.Round(events[:0], now, reports) // one round at time now (ns)
//	tracks = c.Tracks(tracks[:0])                     // system tracks, by ID
//
// # Units, frames and layouts
//
// Every report and system track uses one state layout (Config.Layout): CV2 is
// [x, vx, y, vy], CV3 is [x, vx, y, vy, z, vz], in metres and metres per second in one
// Cartesian frame (local ENU, or ECEF for wide areas; see package spatial) that the
// caller converts every source into. Covariances are row-major Dim×Dim, in m², m²/s
// and m²/s². Times are int64 nanoseconds on one time line and become float64 seconds
// once per prediction. Reports and system tracks are predicted with the
// nearly-constant-velocity model of kalman.NewCV (F = [1 T; 0 1], Q = q [T³/3 T²/2;
// T²/2 T] per axis, q = Config.Q in m²/s³), by a kernel specialised to its block
// structure and checked against kalman.KF.Predict.
//
// # A round
//
// Round(dst, t, reports) takes any number of reports, from any sources, with times at
// or before t, and:
//
//  1. validates every report (finite, symmetric positive-definite covariance, the
//     Correlator's layout, time not after t and not before the last report of the same
//     source track, no source track twice); any failure rejects the whole round;
//  2. updates the members of known source tracks with their new reports (a re-report
//     replaces that source's contribution, it is never added twice);
//  3. drops members silent for longer than DropAfter and deletes system tracks
//     without reports for DeleteAfter;
//  4. for each system track with news, predicts its members to t, checks hysteresis
//     (below) and re-fuses it from its members;
//  5. correlates the reports of new source tracks (and of decorrelated ones, and of
//     source tracks alone in their system track) source by source, in ascending source
//     ID: gate on position against every system track predicted to t with
//     spatial.Gater, forbid pairs by the rules below, assign with assign.Solver, join
//     the assigned reports to their system tracks and start a system track for each
//     of the others.
//
// Time never runs backwards: t must not be before the previous round's time, a report
// after t is rejected, and a report older than the last one accepted for its source
// track is rejected (ErrOutOfOrder). Reports between the previous round and t are
// predicted forward to t; nothing is retrodicted. Reports delivered one by one as
// they arrive go through Round with one report and t = max(c.Time(), its time), so a
// late report of one source is predicted forward rather than rejected (TestOneByOne).
//
// # Gating and assignment
//
// A report j and a system track i are compared on position (2 or 3 components) with
// d² = (z_j − ẑ_i)ᵀ (P_i + P_j)⁻¹ (z_j − ẑ_i), P_i the system track's and P_j the
// report's position covariance at t. The cross-covariance of the two errors is taken
// as zero. It is not: sources that track the same object share its manoeuvres
// (common process noise), which correlates their errors positively, so the true
// covariance of the difference is P_i + P_j − P_ij − P_ji, smaller than the one used.
// d² is therefore an underestimate and the gate errs on the side of accepting pairs;
// the assignment and the hysteresis then decide. The gate is γ = χ²_m quantile of
// Config.Gate (0.99: 9.21 in 2-D, 11.34 in 3-D).
//
// Per source the assignment is one sparse problem in the tracking form of package
// assign: rows are system tracks in ascending ID, columns the source's reports in
// ascending source track ID, a gated pair costs d² (less Config.IdentityBonus when an
// identity attribute agrees), leaving a report unassigned costs γ (it starts a system
// track), leaving a system track unassigned costs nothing. So each report goes to at
// most one system track and each system track takes at most one report of a source;
// a system track that already holds a track of that source is not a candidate at all
// (one member per source). Ties are broken by index order, that is by (cost, system
// ID, source, source track ID), and the result does not depend on the order of
// reports in the slice nor on Config.Workers.
//
// Identity rules (Report.ID): two known and different classes, or nationalities,
// forbid a pair; two known and equal ones favour it; NotWith forbids the named source
// track's system track, in both directions.
//
// # Hysteresis and decorrelation
//
// An established member is not re-gated. Each time it reports, its least position d²
// to the other members of its system track (same formula) is compared with the looser
// keep gate (Config.KeepGate, 0.9999: 18.4 in 2-D). Beyond it the member counts a
// miss, inside it the count resets; after Config.Hysteresis consecutive misses the
// member is decorrelated (EventDecorrelated) and its report is correlated afresh in
// the same round, never with the system track it has just left. A single bad report
// therefore never breaks a pair, and a persistent divergence breaks it after exactly K
// reports. When members of one system track diverge from each other, the one that
// joined last leaves, at most one per system track and round. A source track alone
// in its system track is correlated afresh every round and moves into another system
// track that it gates with, older than its own or with several members (its old one
// is deleted, so of two lone tracks of one object the older system ID survives); a
// pair missed once, for example a first report just outside the gate, is caught up
// later.
//
// # Fusion
//
// A system track's estimate is recomputed from its members (each predicted to t) in
// ascending source order, every time one of them reports: no contribution is ever
// counted twice. With Config.Fusion CI (the default) the members are combined by
// covariance intersection (Julier and Uhlmann 1997; see CovarianceIntersection), one
// after the other: P⁻¹ = ω P₁⁻¹ + (1−ω) P₂⁻¹ for the running result and the next
// member, ω minimising det P (Objective Det: the determinant is a polynomial of degree
// n in ω, sampled exactly at n+1 points and maximised by safeguarded Newton) or tr P
// (Objective Trace: golden-section search, about 7 times slower). The result is
// consistent whatever the correlation between the sources, at the price of being
// conservative; sequential CI is not the n-source optimum. With Information the
// information matrices are added, which is optimal for independent sources and
// overconfident for correlated ones (TestCovarianceIntersectionConsistent shows both).
//
// # Events
//
// Round appends Events in a deterministic order: drops and deletions (by system ID),
// decorrelations (by system ID), then per source (ascending) and per source track
// (ascending) joins and creations, a lone source track that moves giving the deletion
// of its old system track followed by its join. EventCreated carries the source track
// that started the system track.
//
// # Errors
//
// Bad reports return a *ReportError wrapping ErrNonFinite, ErrNotPositiveDefinite,
// ErrLayout, ErrOutOfOrder or ErrDuplicate and naming the report (its index and key);
// an invalid Config returns ErrConfig. A rejected round leaves the Correlator exactly
// as it was (TestBadReports compares the following rounds with a Correlator that never
// saw the bad one). Nothing panics on data.
//
// # Ownership and memory
//
// Round reads the reports and keeps copies of what it needs; Tracks and Members append
// copies to caller slices. System tracks and members live in slabs whose slots are
// reused after deletion, so memory is bounded by the largest number of live system
// tracks and source tracks, plus per-round workspaces sized to the largest round.
// A Correlator is not safe for concurrent use; Close stops the assignment solver's
// goroutines.
//
// # Performance
//
// A round in which every report belongs to a known source track allocates nothing
// (TestSteadyStateAllocs). Its cost is validation (one LDLᵀ factorisation per
// report), a hash lookup per report (skipped when the source sends its tracks in the
// same order as in the previous round), and per system track the prediction of its
// members, the hysteresis check and the fusion: with covariance intersection by
// determinant, a Cholesky factorisation and inversion per member and for the result,
// plus n-1 LDLᵀ determinants per CI step (n the state dimension). Reports that are
// correlated afresh (new, decorrelated and lone source tracks) add, per source that
// has any, a gating pass over all system tracks and one sparse assignment; a scene in
// which many objects are seen by one source only pays that every round.
//
// BenchmarkRound, 3 sources × 10,000 tracks at 1 Hz, every report already correlated,
// go test -run '^$' -bench Round -benchtime 30x -count 6 -cpu 1 on a shared 2-core
// Intel Xeon VM (Go 1.26) with a load average of about 3 from other builds; medians,
// with the on-CPU time per round (the cpu-ms/round metric: getrusage of the
// benchmark's locked thread, Linux only), which the load disturbs less. Earlier runs
// under heavier load measured up to 70% more wall time.
//
//	layout  fusion           ms/round   cpu-ms/round   ns/report   allocs
//	CV2     CI, determinant    11.1         11.0          369         0
//	CV2     information         9.1          9.2          304         0
//	CV3     CI, determinant    25.6         25.6          852         0
//	CV3     information        19.5         19.5          651         0
//	CV2     CI, trace          92 – 150 (3 runs of 10 rounds)            0
//
// The kernels (Cholesky factorisation, inverse, LDLᵀ determinant) are unrolled for
// 4×4 and 6×6, the CV2 and CV3 layouts, and general loops otherwise.
//
// With Config.Workers > 1 the system tracks with news are updated in parallel in
// contiguous chunks, each worker touching only its own system tracks and their
// members, and decorrelations are applied afterwards in system ID order, so the
// output is the same for any number of workers (TestDeterminism); on the loaded
// development machine two workers gave no measurable gain.
//
// The first round of the same scene (every report new: gating, assignment per source,
// creation) takes 70–80 ms and about 730 allocations, mostly the growth of slabs and
// of the source-track map (BenchmarkRoundCold). The trace objective is slow
// because it has no polynomial shortcut: golden-section search costs 46 inversions per
// CI step.
package t2t
