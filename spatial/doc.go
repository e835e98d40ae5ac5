// Package spatial holds the geometry of trackcorr: the gating index that finds the
// (track, detection) pairs worth scoring, and (see the geodesy section) the frames in
// which tracks live.
//
// spatial imports nothing of trackcorr; it takes plain float64 slices.
//
// # Gating
//
// A Gater finds, for one batch of predicted tracks and one batch of detections, every
// (track, detection) pair inside a chi-square gate, without comparing all pairs. It is
// called once per tick (or once per sensor batch) with flat structure-of-arrays input:
//
//   - per track i, the predicted measurement ẑ_i (Tracks.Z) and the track part of the
//     innovation covariance H P_i Hᵀ (Tracks.Cov);
//   - per detection j, the measurement z_j (Detections.Z) and its noise covariance R_j
//     (Detections.Cov: one per detection, or one shared by the batch).
//
// Measurements have m = 2 (x, y) or m = 3 (x, y, z) components in metres in one
// Cartesian frame (local ENU, ECEF, ...; see the geodesy section), covariances are
// row-major m×m in square metres.
//
// # What d² means
//
// For each pair the Gater forms the innovation covariance S_ij = H P_i Hᵀ + R_j (the
// measurement noise is part of S: a gate built from the track covariance alone drops
// valid detections) and the squared Mahalanobis distance
//
//	d²_ij = (z_j − ẑ_i)ᵀ S_ij⁻¹ (z_j − ẑ_i),
//
// computed through the closed-form LDLᵀ factorisation of S_ij (2×2 or 3×3, no inverse;
// with a shared R the factor of S_i = H P_i Hᵀ + R is computed once per track, and d²
// is the same to the bit as with that R repeated for every detection,
// TestGateSharedRSameAsPerDetection). A pair
// is a candidate when d² ≤ γ, where γ = ChiSquared{K: m}.Quantile(P_G) for the gate
// probability P_G of Config (0.99 by default: γ = 9.21 in 2-D, 11.34 in 3-D), or γ is
// given as Config.Threshold. d² agrees with a Cholesky solve in gonum to about 1e-12
// relative for well-conditioned S; it is checked to 1e-9 relative in the tests.
//
// # Gate boxes, and why they never lose a valid pair
//
// Over the ellipse {e : eᵀ S⁻¹ e ≤ γ} the largest |e_k| is sqrt(γ·S_kk) (Cauchy–Schwarz
// in the S⁻¹ inner product: e_k = ⟨S u_k, e⟩ with u_k the k-th unit vector, and
// ⟨S u_k, S u_k⟩ = S_kk). So every valid pair satisfies
//
//	|z_jk − ẑ_ik| ≤ sqrt(γ (P_ikk + R_jkk)) ≤ sqrt(γ P_ikk) + sqrt(γ R_jkk)
//
// on each axis, because sqrt(a+b) ≤ sqrt(a) + sqrt(b) for a, b ≥ 0. The Gater gives
// each track the box ẑ_i ± sqrt(γ P_ikk) and each detection the box z_j ± sqrt(γ R_jkk);
// a valid pair's boxes always intersect (the test is their Minkowski sum), whatever
// the sizes of the R_j. With a shared R the track box is ẑ_i ± sqrt(γ (P_ikk + R_kk))
// and detections are points. Half-widths are padded by 1e-9 relative plus 1e-13 per
// metre of coordinate, so rounding in the corners cannot break the argument; padding
// only adds box candidates, which the exact test rejects. In 3-D the index works on
// the horizontal (x, y) boxes; the vertical interval is checked next, then the full
// 3-D d². TestGateBoxesContainGate checks the extreme points of random gates.
//
// # Indexes and the automatic choice
//
// Index is the one interface (Build over boxes with int32 payloads, Search with a
// callback); Grid (a hierarchy of uniform grids rebuilt by counting sort, in which
// oversized boxes move to coarser levels instead of degrading a fine grid to a full
// scan) and RTree (a packed Hilbert R-tree: runs of neighbouring boxes under static
// upper levels in flat arrays, rebuilt or updated in place, whichever costs less)
// implement it. Per call the Gater chooses, from a cost model whose constants were
// measured with BenchmarkIndexCosts, brute force or one of the two indexes, and which
// batch to index (the other batch queries it); Config.Index and Config.Indexed force
// either choice, and Stats reports what was done (index, batch, box candidates, pairs,
// grid levels, R-tree rebuilt or updated). All choices give the same pairs in the same
// order (TestGateMatchesBruteForce*, TestGateMovingMatchesBruteForce).
//
// Both indexes are queried in an order that follows space, not the order of the
// batches: the grid's queries in the order of its cells (a counting sort of the query
// boxes), the R-tree's in Hilbert order, in groups. The box candidates are then put in
// (track, detection) order by counting sorts and tested exactly, reading the tracks in
// order. Querying in the order of the batch (random in space, as a tracker's slots
// are) missed the cache about once per query on the index and once per candidate on
// the other batch; at 100k it took 1.4 times as long with the grid.
//
// The R-tree. RTree sorts the boxes along a Hilbert curve (an O(n) radix sort that
// allocates nothing once warm) and cuts them into runs of up to 16 neighbouring boxes
// (a run also ends before its box would exceed a length set by the spacing and
// 90th-percentile width of the boxes, so a kilometre-wide gate is a run of its own);
// every 16 consecutive runs get a node box, every 16 nodes one of the next level: the
// bottom-up packing of a Hilbert R-tree. The Gater then searches it once per group of
// up to 16 neighbouring query boxes (also in Hilbert order) and tests each hit against
// the boxes of the group, and in 3-D the vertical intervals too, before the exact
// test. A batch whose boxes moved a little since the last call (the tracks of a
// tracker, tick after tick, when the R-tree indexes the tracks) is updated in place:
// its runs are held enlarged ("fat") by 1/8 of their size, only the runs whose members
// left their fat box get a new box (and the upper levels are recomputed, one union per
// run), and it is rebuilt once as many runs were replaced as the rebuild made or the
// run boxes grew by half. A new batch (each tick's detections) gets tight runs.
// Until this version the runs were entries of github.com/tidwall/rtree: it has no bulk
// load (one insertion per run, about 0.4–0.5 µs each), allocates its nodes anew on
// every rebuild (0.45 MB in 166 allocations per 100k boxes) and reuses none through
// Clear, Delete or Replace (replacing every run of a tree instead of rebuilding it
// still allocated, about 4 nodes per pass); the packed levels rebuild in half the time
// and allocate nothing. tidwall/rtree used directly, one entry per box, stays in
// BenchmarkIndexCosts as the reference (tidwall/rebuild, tidwall/search). Measured
// alternatives that did not pay: inserting single boxes in Hilbert order into tidwall
// (slower, and worse trees: its splits leave sequential inserts half full); querying
// single boxes in Hilbert order (about 20% faster at 10k, nothing at 100k, where
// grouping gains far more); gathering what the exact test reads into the order of the
// visits (slower than sorting the candidates by track); groups of 8 query boxes, upper
// nodes of 8 children, a coarser curve (1–2 boxes per cell), sorting the grid's
// queries by row instead of by cell (none measurably different).
//
// Measured per-item costs at 100k boxes (BenchmarkIndexCosts; brute force and grid on
// a 2-vCPU Intel Xeon, the R-tree later on a 2-vCPU AMD EPYC, scaled by the grid's
// ratio between the two; Go 1.26; see gate_plan.go): a grid rebuild about 76 ns per
// box and 0 allocations, a grid query about 160 ns; an R-tree rebuild about 80 ns per
// box and 0 allocations (on the EPYC 40–50 ns, against 70–80 ns over tidwall and about
// 400 ns for tidwall used directly, with 2,200 allocations), a grouped query about
// 375 ns with its exact test, a replaced run in an update about 1 µs; an exact d² in
// brute force about 8 ns per pair. With these, the automatic choice is brute force for
// tiny batches, the grid otherwise, and the R-tree only when it already holds an
// (almost) unchanged copy of the indexed batch; the R-tree, when chosen, indexes the
// smaller batch (faster in every measured case) unless it holds the other one. The
// grid is faster in every measured 2-D scene (its coarser levels absorb the wide gates
// of the mixed scenes), by 1.4–1.7 times at 10k and at 100k; in 3-D the two are about
// even. The automatic choice stays with the grid; Config.Index: KindRTree selects the
// R-tree.
//
// # Output, ownership, errors
//
// Gate appends the candidate pairs {Track, Det, D2} to a caller-owned slice, ordered by
// track then detection whatever the index: dst = g.Gate(dst[:0], tracks, dets). Inputs
// are read, never modified or retained. Covariances must be finite, symmetric (to a
// relative 1e-9) and positive definite. Bad input returns dst unchanged and an error
// wrapping ErrLength, ErrNonFinite, ErrNotSymmetric or ErrNotPositiveDefinite (an
// *ItemError naming the track or detection); nothing panics and the Gater stays usable.
//
// # One detection batch, several goroutines
//
// To gate one batch of tracks on several goroutines, cut the tracks into contiguous
// shards, one Gater each, and let them share one DetectionIndex: the detections are
// validated, given their gate boxes and indexed by a Grid once, the goroutines taking
// turns in its steps (Reset for k shards; Step(s) on every shard, concurrently; Next
// on one goroutine; until Next reports the last step: the preparation of k ranges of
// detections, the filing of the same ranges into the grid's first level, the copy of
// k ranges of its cells into place, the last also building the coarser levels from
// the few boxes too wide for the first). Then each Gater's GateIndexed gates its shard
// against the index, which it only reads. The grid is the one Build makes over the
// same boxes, cell for cell, whatever k, and each shard's pairs are those of Gate
// over the shard and the detections (same order, same d² bits), so the shards' pairs
// concatenated in order are those of one Gate over all the tracks
// (TestGateIndexedMatchesGate, with 1 to 7 shards of each batch). The errors are
// Gate's, in Gate's order (lengths, the shared R, the shard's first bad track, the
// first bad detection: the same *ItemError as Gate of the shard), whatever k
// (TestGateIndexedBadInput). The index always indexes the detections with the grid;
// it suits batches large enough for that to be the automatic choice (in a tracker,
// tracks and detections of similar numbers). Gating against every detection from each
// goroutine instead repeats the preparation and the grid's build on each (about a
// quarter of a one-goroutine pass at 100k). BenchmarkGateShards, 100k tracks against
// 110k detections with one R each, on the 2-core Intel Xeon VM (Go 1.26.8, shared:
// medians of the three of six runs without a competing process): two goroutines
// 12.9 ms each gating against every detection, 11.6 ms sharing one index (0.90–0.96
// within each run); one goroutine about 20 ms either way.
//
// # Allocation and cost
//
// A Gater owns its workspaces: once warmed up to a batch size (and to the largest
// number of box candidates seen), a gating pass allocates nothing, whichever index:
// grid, brute force and R-tree alternating between unrelated ticks, and the R-tree on
// moving targets, updated in place or rebuilt (TestGateSteadyStateAllocs,
// TestGateMovingRTreeAllocs); so do a DetectionIndex's steps and GateIndexed
// (TestGateIndexedAllocs).
//
// Figures. Scenes at constant density (10,000 m² per target, track σ 1–4 m,
// measurement σ about 2 m, P_G 0.99, about 1 pair and 1.04 box candidates per track;
// "mixed": 1% of the tracks with kilometre-wide gates, about 2.2 pairs and 2.5 box
// candidates per track), one goroutine, on the 2-vCPU AMD EPYC, Go 1.26, shared with
// other engineers' work (load average 1.2–2.6 during the runs quoted; at load 3 the
// 100k figures were up to 1.6 times these, so absolute times are upper bounds; the
// ratios, within one interleaved run, are what to compare). Each figure is the median
// of 10 runs of 10 iterations, the previous version's binary and this one's run in
// turn (test binaries from go test -c, each round running every benchmark once):
//
//	spatial.test -test.run '^$' -test.bench '^BenchmarkGate(Moving)?$/(uniform|mixed)/n=(10000|100000)/(grid|rtree)$' -test.benchtime 10x
//
// Forced R-tree and grid, in ms, and in parentheses the ratio to the previous version
// (runs over tidwall, grid queries in batch order) in the same run:
//
//	                               10k × 10k                 100k × 100k
//	                               R-tree       grid         R-tree       grid
//	uniform  (BenchmarkGate)       1.7 (0.66)   1.0 (0.73)   22 (0.69)    14 (0.58)
//	mixed    (BenchmarkGate)       2.6 (0.79)   1.9 (0.83)   32 (0.76)    22 (0.66)
//	moving   (BenchmarkGateMoving) 1.8 (0.71)   1.1 (0.78)   23 (0.70)    15 (0.63)
//	3-D, R_j (BenchmarkGate3D)     3.5 (0.79)   3.4 (1.06)   53 (0.85)    54 (0.77)
//
// (3-D: medians of 6.) On the 2-core Intel Xeon VM (Go 1.26.8, load below 1, -test.cpu
// 1, medians of 5 runs of the same benchmarks), grid and R-tree: uniform 0.92 and 1.65
// ms at 10k, 12.8 and 21.7 ms at 100k; mixed 1.55 and 2.22, 20.7 and 29.2; moving 0.93
// and 1.61, 11.3 and 20.8; tidwall/rtree used directly, 36 ms and 2,221 allocations
// per 100k-box rebuild against 3.5 ms and none for the packed tree
// (BenchmarkIndexCosts). Brute force is 270–390 times slower than the grid at 10k
// (BenchmarkGate/*/n=10000/brute). The moving R-tree indexing the tracks (kept and
// updated in place, rebuilt about every 20 ticks) is slower than indexing the
// detections and rebuilding every tick (25 against 23 ms at 100k): keeping the tree
// saves the rebuild but pays the comparison of every box and fatter runs. The 3-D pass
// is bound by cache misses on the detections' data, about one per box candidate
// (about 3 per track), for both indexes alike, 2–3 times the 2-D figure. Where the
// time goes at 100k (CPU profile, uniform): with the grid, validating the batches and
// making the gate boxes about a quarter, the grid's build a fifth, the ordered queries
// with the candidates' sort and exact test the rest; the R-tree adds its two Hilbert
// sorts (about 2 ms each) and tests about 20 box pairs per query in its groups,
// against about 4 in the grid's cells. Compare runs with benchstat and quote medians.
//
// # Geodesy and frames
//
// Positions are WGS84: Geodetic (latitude, longitude in radians, height above the
// ellipsoid in metres), ECEF (metres) and local ENU or NED Frames about a geodetic
// origin. GeodeticToECEF is closed form; ECEFToGeodetic is Bowring's method with two
// fixed refinements, round-tripping within 1e-8 m from 1,000 km below to 10,000 km
// above the surface. Covariances are Mat3 (3×3 row-major, m²) and change frame as
// R·P·Rᵀ (RotateCov). A Sensor at a geodetic position and Attitude converts
// range-azimuth-elevation and range-bearing measurements into ECEF with covariance
// (Linearised, or the Unbiased conversion of Mo et al. 1998), gives the line of sight
// of a bearing-only measurement, and predicts measurements with their Jacobian for an
// EKF. Over a belt of sensors thousands of kilometres long, track in ECEF with a 3-D
// motion model; see Frame for the flat-earth error that this avoids. Bad input returns
// a *GeoError wrapping ErrNonFinite, ErrLatitude, ErrNegativeRange,
// ErrNotPositiveDefinite or ErrOutOfDomain; the conversions allocate nothing and cost
// 50–200 ns each (see BenchmarkECEFToGeodetic and neighbours).
package spatial
