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
// with a shared R the factor of S_i = H P_i Hᵀ + R is computed once per track). A pair
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
// scan) and RTree (github.com/tidwall/rtree, rebuilt or updated in place with Replace,
// whichever costs less) implement it. Per call the Gater chooses, from a cost model
// whose constants were measured with BenchmarkIndexCosts, brute force or one of the two
// indexes, and which batch to index (the other batch queries it); Config.Index and
// Config.Indexed force either choice, and Stats reports what was done (index, batch,
// box candidates, pairs, grid levels, R-tree rebuilt or updated). All choices give the
// same pairs in the same order (TestGateMatchesBruteForce*).
//
// Measured per-item costs at 100k boxes (BenchmarkIndexCosts, medians of 6 runs on a
// 2-vCPU Intel Xeon, Go 1.26, while other builds loaded the machine): a grid rebuild
// about 76 ns per box and 0 allocations, a grid query about 160 ns; an R-tree rebuild
// about 530 ns per box with 6 MB and 2,200 allocations of garbage per 100k, a Replace
// about 2.4 µs, a query about 510 ns; an exact d² in brute force about 8 ns per pair.
// With these, the automatic choice is brute force for tiny batches, the grid
// otherwise, and the R-tree only when it already holds an (almost) unchanged copy of
// the indexed batch, for example the same tracks gated against several small
// detection batches after Config.Index forced it once. On this machine the grid beat
// the R-tree in every measured scene, mixed gate sizes included, because its coarser
// levels absorb the wide gates.
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
// # Allocation and cost
//
// A Gater owns its workspaces: once warmed up to a batch size, a gating pass allocates
// nothing with the grid and brute force, and nothing with the R-tree as long as the
// indexed boxes repeat (tidwall/rtree allocates its nodes on every rebuild);
// TestGateSteadyStateAllocs shows it. At constant density (10,000 m² per target,
// track σ 1–4 m, measurement σ about 2 m, P_G 0.99, about 1 pair per track),
// BenchmarkGate measured on one goroutine of the machine above (medians of 6, wall
// clock, load average 2–4 from other builds, so upper bounds): 10k tracks × 10k
// detections in about 2.8 ms (280 ns per track) with the automatic choice (the grid),
// 12 ms with the R-tree, 0.6–0.8 s by brute force (about 270 times slower); 100k ×
// 100k in about 30 ms with the grid, 115 ms with the R-tree (its rebuild alone is
// about 55 ms). With 1% of the tracks given kilometre-wide gates (about 2.2 pairs per
// track) the automatic choice takes about 3.1 ms at 10k and 38 ms at 100k (grid runs
// measured 38–83 ms at 100k depending on the load). 3-D with one R per detection
// (BenchmarkGate3D, mixed gates) takes about 4–6 ms at 10k and 105–115 ms at 100k.
// While other builds saturated both cores the same benchmarks ran up to 10 times
// slower; compare runs with benchstat and quote medians.
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
