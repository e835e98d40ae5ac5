package spatial

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Pair is a candidate (track, detection) pair and its squared Mahalanobis distance
// d² = (z − ẑ)ᵀ S⁻¹ (z − ẑ), with S = H P Hᵀ + R the innovation covariance of the pair.
type Pair struct {
	Track, Det int32   // indices into the Tracks and Detections batches
	D2         float64 // squared Mahalanobis distance, dimensionless
}

// Tracks is one batch of predicted tracks, in structure-of-arrays form, m = Config.Dim
// values per track. Units are metres in a Cartesian frame shared with the detections.
type Tracks struct {
	// Z holds the predicted measurements ẑ: len(Z) = n·m.
	Z []float64
	// Cov holds H P Hᵀ, the track part of the innovation covariance (square metres),
	// one row-major m×m matrix per track: len(Cov) = n·m·m. It must be symmetric (to a
	// relative 1e-9) and positive definite; the lower triangle is the one used.
	Cov []float64
}

// Detections is one batch of detections, in structure-of-arrays form.
type Detections struct {
	// Z holds the measurements z: len(Z) = k·m, metres.
	Z []float64
	// Cov holds the measurement noise covariances R (square metres), row-major m×m:
	// either one per detection (len k·m·m) or one shared by the batch (len m·m).
	// Same requirements as Tracks.Cov.
	Cov []float64
}

// Len returns the number of tracks in t for dimension m.
func (t Tracks) Len(m int) int { return len(t.Z) / m }

// Len returns the number of detections in d for dimension m.
func (d Detections) Len(m int) int { return len(d.Z) / m }

// Kind selects the way a Gater finds candidate pairs.
type Kind uint8

// Kinds of index.
const (
	KindAuto  Kind = iota // choose per call from the cost model (the default)
	KindBrute             // test every pair: O(tracks·detections)
	KindGrid              // Grid
	KindRTree             // RTree
)

var kindNames = [...]string{"auto", "brute", "grid", "rtree"}

// String returns "auto", "brute", "grid" or "rtree".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + fmt.Sprint(uint8(k)) + ")"
}

// Set names which batch a Gater indexes; the other one queries the index.
type Set uint8

// Sets.
const (
	SetAuto       Set = iota // index the smaller batch (the default)
	SetTracks                // index the track gate boxes, query with detection boxes
	SetDetections            // index the detection boxes, query with track gate boxes
)

var setNames = [...]string{"auto", "tracks", "detections"}

// String returns "auto", "tracks" or "detections".
func (s Set) String() string {
	if int(s) < len(setNames) {
		return setNames[s]
	}
	return "Set(" + fmt.Sprint(uint8(s)) + ")"
}

// Config configures a Gater. Zero fields mean the documented defaults.
type Config struct {
	// Dim is the measurement dimension m: 2 (x, y) or 3 (x, y, z). Zero means 2.
	Dim int
	// Probability is the gate probability P_G: a detection of the track falls inside
	// the gate with this probability when the model is right. Zero means 0.99. The
	// threshold is γ = ChiSquared{K: Dim}.Quantile(P_G).
	Probability float64
	// Threshold, when positive, is γ itself and overrides Probability.
	Threshold float64
	// Index forces the way candidates are found; KindAuto (zero) lets the Gater choose.
	Index Kind
	// Indexed forces the batch that is indexed; SetAuto (zero) lets the Gater choose.
	Indexed Set
}

// Stats reports what the last successful Gate call did.
type Stats struct {
	Index         Kind // way used (never KindAuto)
	Indexed       Set  // batch indexed (SetAuto for KindBrute)
	Tracks        int  // tracks in the batch
	Detections    int  // detections in the batch
	BoxCandidates int  // pairs whose gate boxes intersect (all pairs for KindBrute)
	Pairs         int  // pairs within the gate, appended to dst
	GridLevels    int  // KindGrid: levels built
	RTreeRebuilt  bool // KindRTree: the tree was rebuilt rather than updated in place
}

// Gater finds the (track, detection) pairs inside a chi-square gate. See the package
// documentation for what it computes, its guarantees and its costs.
//
// A Gater owns reusable workspaces: after the first calls at a given batch size, Gate
// allocates nothing (with the R-tree, nothing as long as the indexed boxes repeat; see
// RTree). A Gater is not safe for concurrent use; use one per goroutine.
type Gater struct {
	cfg   Config
	m     int
	gamma float64

	grid  Grid
	rtree RTree
	rtSet Set // batch the R-tree holds, SetAuto if none

	// per-call workspaces
	tBox, dBox  []Box
	tZ, dZ      []float64 // 3-D: half-width of the vertical interval, padded
	tFac        []float64 // shared R: LDLᵀ of P_i + R per track (d1, l21, d2 | 3-D: 1/d1, l21, l31, 1/d2, l32, 1/d3)
	tHist       [130]int32
	dHist       [130]int32
	shared      bool
	sharedR     [9]float64
	hits        []int32
	scratch     []Pair
	offs        []int32
	qPerm       []int32      // grid queries: the query boxes in the order of the grid's cells
	qCount      []int32      // grid queries: counting sort by cell
	qCell       []int32      // grid queries: the cell of each query box
	qOrder      curveOrder   // grouped queries: Hilbert order of the query boxes
	qSorted     []Box        // the query boxes in that order (grid queries too)
	hitB        []Box        // boxes of the hits of one grouped query
	cand, cand2 []candidate  // grouped queries: box candidates, found and sorted
	qV, mV      [][2]float64 // grouped queries, 3-D: vertical intervals of queries and members
	orig        gateData     // the batches of the current call, as given
	sorted      gateData     // gathered in the order of grouped queries
	dCovBuf     []float64
	ez          []float64           // exact test, 2-D: the detections' coordinates of the candidates
	gatherForce int                 // experiment: 1 gather, 2 not
	collect     func(id int32) bool // g.collectHit, bound once
	stats       Stats
}

// Box padding: relative, and per metre of coordinate magnitude. Padding only adds
// candidates, which the exact test then rejects; it protects the containment argument
// against rounding in the box corners.
const (
	boxRelPad = 1e-9
	boxAbsPad = 1e-13
)

// NewGater returns a Gater for cfg, or an error wrapping ErrConfig.
func NewGater(cfg Config) (*Gater, error) {
	cfg, gamma, err := checkConfig(cfg)
	if err != nil {
		return nil, err
	}
	g := &Gater{cfg: cfg, m: cfg.Dim, gamma: gamma}
	g.collect = g.collectHit
	return g, nil
}

// checkConfig returns cfg with its defaults and γ, or an error wrapping ErrConfig.
func checkConfig(cfg Config) (Config, float64, error) {
	if cfg.Dim == 0 {
		cfg.Dim = 2
	}
	if cfg.Dim != 2 && cfg.Dim != 3 {
		return cfg, 0, fmt.Errorf("%w: Dim %d, want 2 or 3", ErrConfig, cfg.Dim)
	}
	if cfg.Index > KindRTree {
		return cfg, 0, fmt.Errorf("%w: Index %v", ErrConfig, cfg.Index)
	}
	if cfg.Indexed > SetDetections {
		return cfg, 0, fmt.Errorf("%w: Indexed %v", ErrConfig, cfg.Indexed)
	}
	switch {
	case cfg.Threshold > 0 && !math.IsInf(cfg.Threshold, 0):
		return cfg, cfg.Threshold, nil
	case cfg.Threshold != 0:
		return cfg, 0, fmt.Errorf("%w: Threshold %v", ErrConfig, cfg.Threshold)
	}
	p := cfg.Probability
	if p == 0 {
		p = 0.99
	}
	if !(p > 0 && p < 1) {
		return cfg, 0, fmt.Errorf("%w: Probability %v, want (0, 1)", ErrConfig, p)
	}
	return cfg, distuv.ChiSquared{K: float64(cfg.Dim)}.Quantile(p), nil
}

// Threshold returns γ, the gate on d².
func (g *Gater) Threshold() float64 { return g.gamma }

// Dim returns the measurement dimension m.
func (g *Gater) Dim() int { return g.m }

// Stats returns what the last successful Gate call did.
func (g *Gater) Stats() Stats { return g.stats }

func (g *Gater) collectHit(id int32) bool {
	g.hits = append(g.hits, id)
	return true
}

// Gate appends to dst every pair (i, j) of track i and detection j with
// d² = (z_j − ẑ_i)ᵀ (P_i + R_j)⁻¹ (z_j − ẑ_i) ≤ γ, ordered by track then detection, and
// returns the extended slice: dst = g.Gate(dst[:0], tracks, dets).
//
// On bad input it returns dst unchanged and an error wrapping ErrLength, ErrNonFinite,
// ErrNotSymmetric or ErrNotPositiveDefinite (an *ItemError naming the track or
// detection when one is to blame); the Gater stays usable. Inputs are never modified.
func (g *Gater) Gate(dst []Pair, tracks Tracks, dets Detections) ([]Pair, error) {
	m := g.m
	mm := m * m
	nT, nD := len(tracks.Z)/m, len(dets.Z)/m
	if len(tracks.Z)%m != 0 || len(tracks.Cov) != nT*mm || nT > math.MaxInt32 {
		return dst, fmt.Errorf("%w: tracks: len(Z) %d, len(Cov) %d for dimension %d",
			ErrLength, len(tracks.Z), len(tracks.Cov), m)
	}
	if len(dets.Z)%m != 0 || (len(dets.Cov) != nD*mm && len(dets.Cov) != mm) || nD > math.MaxInt32 {
		return dst, fmt.Errorf("%w: detections: len(Z) %d, len(Cov) %d for dimension %d",
			ErrLength, len(dets.Z), len(dets.Cov), m)
	}
	if err := g.prepare(tracks, dets, nT, nD); err != nil {
		return dst, err
	}
	g.orig = gateData{
		tZ: tracks.Z, tCov: tracks.Cov, tFac: g.tFac, tH: g.tZ,
		dZ: dets.Z, dCov: dets.Cov, dH: g.dZ,
	}
	st := Stats{Tracks: nT, Detections: nD}
	if nT == 0 || nD == 0 {
		st.Index = KindBrute
		g.stats = st
		return dst, nil
	}
	kind, set := g.plan(nT, nD)
	st.Index, st.Indexed = kind, set
	base := len(dst)
	if kind == KindBrute {
		st.Indexed = SetAuto
		st.BoxCandidates = nT * nD
		dst = g.brute(dst, tracks, dets, nT, nD)
	} else {
		var idx Index = &g.grid
		if kind == KindRTree {
			idx = &g.rtree
		}
		switch {
		case kind == KindRTree && set == SetDetections:
			idx.Build(g.dBox)
			dst, st.BoxCandidates = g.queryGrouped(dst, &g.rtree, g.tBox, true, nT, nD)
		case kind == KindRTree:
			idx.Build(g.tBox)
			dst, st.BoxCandidates = g.queryGrouped(dst, &g.rtree, g.dBox, false, nT, nD)
		case set == SetDetections:
			idx.Build(g.dBox)
			dst, st.BoxCandidates = g.queryGrid(dst, &g.grid, g.tBox, true, nT, nD)
		default:
			idx.Build(g.tBox)
			dst, st.BoxCandidates = g.queryGrid(dst, &g.grid, g.dBox, false, nT, nD)
		}
		if kind == KindRTree {
			g.rtSet = set
			st.RTreeRebuilt = g.rtree.rebuilt
		} else {
			st.GridLevels = g.grid.nlev
		}
	}
	st.Pairs = len(dst) - base
	g.stats = st
	return dst, nil
}

// queryGrid searches the grid (over one batch) with the boxes qb of the other batch
// (the tracks' if qTracks) in the order of the grid's cells (Grid.cellOrder), so that
// consecutive queries read neighbouring cells instead of missing the cache on each;
// the box candidates are then put in (track, detection) order and tested exactly
// (exactSorted).
func (g *Gater) queryGrid(dst []Pair, gr *Grid, qb []Box, qTracks bool, nT, nD int) ([]Pair, int) {
	g.qPerm, g.qSorted, g.qCount, g.qCell = gr.cellOrder(qb, g.qPerm, g.qSorted, g.qCount, g.qCell)
	g.cand = g.cand[:0]
	for k, q := range g.qPerm {
		g.hits = gr.appendHits(g.qSorted[k], g.hits[:0])
		if !qTracks {
			for _, id := range g.hits {
				g.cand = append(g.cand, candidate{track: id, det: q})
			}
			continue
		}
		// A track's candidates are contiguous: in detection order, they need only the
		// sort by track.
		sortSmall(g.hits)
		for _, id := range g.hits {
			g.cand = append(g.cand, candidate{track: q, det: id})
		}
	}
	return g.exactSorted(dst, !qTracks, nT, nD), len(g.cand)
}

// sortSmall sorts the few values of s (insertion sort: cheaper than slices.Sort for
// the one or two hits of a query).
func sortSmall(s []int32) {
	for i := 1; i < len(s); i++ {
		v, j := s[i], i
		for ; j > 0 && s[j-1] > v; j-- {
			s[j] = s[j-1]
		}
		s[j] = v
	}
}

// queryGroup is the largest number of query boxes searched together by queryGrouped.
const queryGroup = 16

// queryGrouped searches the R-tree (over one batch) with the boxes qb of the other
// batch (the tracks' if qTracks) in groups: qb in Hilbert order of their centres, cut
// into runs of at most queryGroup neighbouring boxes whose bounding box stays within
// the length of an RTree run (a wide box makes a group of its own); one search per
// group with the group's bounding box, then every hit is tested against each box of
// the group. This replaces queryGroup descents of the tree by one.
// In 3-D the vertical intervals are tested there too, from copies in the order of the
// visits, so that only the pairs that pass reach the (cache-missing) reads of the
// exact test. The box candidates are put in (track, detection) order by two stable
// counting sorts, and the exact test then reads the tracks in order. (Gathering all
// that the exact test reads into the order of the visits was measured slower: the
// gather misses the cache once per item, the candidates only about once per pair.)
func (g *Gater) queryGrouped(dst []Pair, rt *RTree, qb []Box, qTracks bool, nT, nD int) ([]Pair, int) {
	g.qOrder.sort(qb)
	perm := g.qOrder.perm
	limit := g.qOrder.runLimit(queryGroup)
	g.qSorted = resizeBoxes(g.qSorted, len(perm))
	for k, q := range perm {
		g.qSorted[k] = qb[q]
	}
	qs := g.qSorted
	vert := g.m == 3
	if vert { // vertical intervals, in the order of the visits
		g.qV = resizeV(g.qV, len(perm))
		g.mV = resizeV(g.mV, len(rt.memID))
		qH, mH := g.dZ, g.tZ
		qZ, mZ := g.orig.dZ, g.orig.tZ
		if qTracks {
			qH, mH, qZ, mZ = mH, qH, mZ, qZ
		}
		for k, q := range perm {
			z, h := qZ[3*q+2], qH[q]
			g.qV[k] = [2]float64{z - h, z + h}
		}
		for p, id := range rt.memID {
			if id >= 0 {
				z, h := mZ[3*id+2], mH[id]
				g.mV[p] = [2]float64{z - h, z + h}
			}
		}
	}
	g.cand = g.cand[:0]
	boxHits := 0
	for p := 0; p < len(qs); {
		e, gb := extendRun(qs, p, queryGroup, limit)
		group, first := qs[p:e], p
		p = e
		g.hits, g.hitB = rt.searchPos(gb, g.hits[:0], g.hitB[:0])
		one := len(group) == 1 // the search has tested the box already
		for h := range g.hitB {
			mp := int(g.hits[h])
			// Box.meets by hand: the compiler does not inline it.
			x0, x1, y0, y1 := g.hitB[h].Min[0], g.hitB[h].Max[0], g.hitB[h].Min[1], g.hitB[h].Max[1]
			for k := range group {
				bq := &group[k]
				if !one && b2u(x0 <= bq.Max[0])&b2u(bq.Min[0] <= x1)&b2u(y0 <= bq.Max[1])&b2u(bq.Min[1] <= y1) == 0 {
					continue
				}
				qp := first + k
				boxHits++
				// 3-D: the vertical intervals must meet too (the sum of the padded
				// half-widths bounds |z_j − ẑ_i|, with a margin far above the rounding
				// of z ± h; pairD2 repeats the test).
				if vert && !(g.mV[mp][0] <= g.qV[qp][1] && g.qV[qp][0] <= g.mV[mp][1]) {
					continue
				}
				id, q := rt.memID[mp], perm[qp]
				c := candidate{track: id, det: q}
				if qTracks {
					c = candidate{track: q, det: id}
				}
				g.cand = append(g.cand, c)
			}
		}
	}
	return g.exactSorted(dst, true, nT, nD), boxHits
}

// exactSorted puts the box candidates g.cand in (track, detection) order by stable
// counting sorts, by detection (if byDet: the candidates of a track are not already in
// detection order) then by track, and appends those within the gate to dst; the exact
// test then reads the tracks in order.
func (g *Gater) exactSorted(dst []Pair, byDet bool, nT, nD int) []Pair {
	n := len(g.cand)
	g.cand2 = slices.Grow(g.cand2[:0], n)[:n]
	g.offs = resizeInt32(g.offs, max(nT, nD)+1)
	src := g.cand
	if byDet {
		clear(g.offs[:nD+1])
		for _, c := range g.cand {
			g.offs[c.det+1]++
		}
		for j := 1; j <= nD; j++ {
			g.offs[j] += g.offs[j-1]
		}
		for _, c := range g.cand {
			k := g.offs[c.det]
			g.cand2[k] = c
			g.offs[c.det] = k + 1
		}
		src = g.cand2
		g.cand2 = g.cand
	}
	clear(g.offs[:nT+1])
	for _, c := range src {
		g.offs[c.track+1]++
	}
	for i := 1; i <= nT; i++ {
		g.offs[i] += g.offs[i-1]
	}
	out := g.cand2
	for _, c := range src {
		k := g.offs[c.track]
		out[k] = c
		g.offs[c.track] = k + 1
	}
	g.cand, g.cand2 = out, src
	if g.m == 2 && g.shared {
		// The common case. The detections' coordinates are read first, in a loop of
		// loads alone, which keeps more of their cache misses in flight than the test.
		ez := slices.Grow(g.ez[:0], 2*n)[:2*n] // with headroom, as g.cand grows
		g.ez = ez
		dz, tz, tf := g.orig.dZ, g.orig.tZ, g.orig.tFac
		for k, c := range g.cand {
			ez[2*k], ez[2*k+1] = dz[2*c.det], dz[2*c.det+1]
		}
		for k, c := range g.cand {
			i := int(c.track)
			d2 := d2Shared2(tf[3*i:3*i+3:3*i+3], ez[2*k]-tz[2*i], ez[2*k+1]-tz[2*i+1])
			if d2 <= g.gamma {
				dst = append(dst, Pair{Track: c.track, Det: c.det, D2: d2})
			}
		}
		return dst
	}
	for _, c := range g.cand {
		if d2, ok := g.pairD2(&g.orig, int(c.track), int(c.det)); ok {
			dst = append(dst, Pair{Track: c.track, Det: c.det, D2: d2})
		}
	}
	return dst
}

// d2Shared2 returns d² in 2-D from the factors f of S (see ldl2) and the innovation:
// the operations of mahal2.
func d2Shared2(f []float64, e0, e1 float64) float64 {
	y1 := e1 - f[1]*e0
	return e0*e0/f[0] + y1*y1/f[2]
}

// candidate is a pair whose boxes intersect, before the exact test.
type candidate struct{ track, det int32 }

// brute tests every pair, in (track, detection) order.
func (g *Gater) brute(dst []Pair, tracks Tracks, dets Detections, nT, nD int) []Pair {
	for i := range nT {
		for j := range nD {
			if d2, ok := g.pairD2Exact(&g.orig, i, j); ok {
				dst = append(dst, Pair{Track: int32(i), Det: int32(j), D2: d2})
			}
		}
	}
	return dst
}

// gateData is what the exact test reads, per track and per detection: the batches
// and the per-call workspaces.
type gateData struct {
	tZ, tCov, tFac, tH []float64 // ẑ, H P Hᵀ (per-detection R), LDLᵀ of P + R (shared R), 3-D vertical half-width
	dZ, dCov, dH       []float64 // z, R (per detection), 3-D vertical half-width
}

// pairD2 returns d² of a pair whose horizontal boxes intersect, after the vertical
// interval check in 3-D, and whether it is within the gate.
func (g *Gater) pairD2(d *gateData, i, j int) (float64, bool) {
	if g.m == 3 {
		if !(math.Abs(d.dZ[3*j+2]-d.tZ[3*i+2]) <= d.tH[i]+d.dH[j]) {
			return 0, false
		}
	}
	return g.pairD2Exact(d, i, j)
}

// pairD2Exact returns d² of the pair and whether it is within the gate.
func (g *Gater) pairD2Exact(d *gateData, i, j int) (float64, bool) {
	var d2 float64
	if g.m == 2 {
		e0 := d.dZ[2*j] - d.tZ[2*i]
		e1 := d.dZ[2*j+1] - d.tZ[2*i+1]
		if g.shared {
			d2 = d2Shared2(d.tFac[3*i:3*i+3:3*i+3], e0, e1)
		} else {
			p := d.tCov[4*i : 4*i+4 : 4*i+4]
			r := d.dCov[4*j : 4*j+4 : 4*j+4]
			d2 = mahal2(p[0]+r[0], p[2]+r[2], p[3]+r[3], e0, e1)
		}
	} else {
		e0 := d.dZ[3*j] - d.tZ[3*i]
		e1 := d.dZ[3*j+1] - d.tZ[3*i+1]
		e2 := d.dZ[3*j+2] - d.tZ[3*i+2]
		if g.shared {
			f := d.tFac[6*i : 6*i+6 : 6*i+6]
			y1 := e1 - f[1]*e0
			y2 := e2 - f[2]*e0 - f[4]*y1
			d2 = e0*e0*f[0] + y1*y1*f[3] + y2*y2*f[5]
		} else {
			p := d.tCov[9*i : 9*i+9 : 9*i+9]
			r := d.dCov[9*j : 9*j+9 : 9*j+9]
			d2 = mahal3(p[0]+r[0], p[3]+r[3], p[4]+r[4], p[6]+r[6], p[7]+r[7], p[8]+r[8], e0, e1, e2)
		}
	}
	return d2, d2 <= g.gamma
}

// mahal2 returns eᵀS⁻¹e for S = [[a, b], [b, c]] through S = L D Lᵀ; +Inf if a pivot is
// not positive (S not positive definite after rounding).
func mahal2(a, b, c, e0, e1 float64) float64 {
	l := b / a
	d2 := c - l*b
	if !(a > 0 && d2 > 0) {
		return math.Inf(1)
	}
	y1 := e1 - l*e0
	return e0*e0/a + y1*y1/d2
}

// mahal3 returns eᵀS⁻¹e for the symmetric S with lower triangle
// s00; s10 s11; s20 s21 s22, through S = L D Lᵀ; +Inf if a pivot is not positive.
func mahal3(s00, s10, s11, s20, s21, s22, e0, e1, e2 float64) float64 {
	var f [6]float64
	if !ldl3(s00, s10, s11, s20, s21, s22, &f) {
		return math.Inf(1)
	}
	y1 := e1 - f[1]*e0
	y2 := e2 - f[2]*e0 - f[4]*y1
	return e0*e0*f[0] + y1*y1*f[3] + y2*y2*f[5]
}

// ldl2 factors [[a, b], [b, c]] = L D Lᵀ into f = (d1, l21, d2) and reports whether
// both pivots are positive (and their reciprocals finite). d2Shared2 divides by the
// pivots as mahal2 does, so that d² is the same to the bit whether R is shared or given
// per detection.
func ldl2(a, b, c float64, f *[3]float64) bool {
	l := b / a
	d2 := c - l*b
	f[0], f[1], f[2] = a, l, d2
	return a > 0 && d2 > 0 && !math.IsInf(1/a, 0) && !math.IsInf(1/d2, 0)
}

// ldl3 factors the symmetric 3×3 matrix with lower triangle s00; s10 s11; s20 s21 s22
// into f = (1/d1, l21, l31, 1/d2, l32, 1/d3) and reports whether all pivots are
// positive.
func ldl3(s00, s10, s11, s20, s21, s22 float64, f *[6]float64) bool {
	d1 := s00
	l21 := s10 / d1
	l31 := s20 / d1
	d2 := s11 - l21*s10
	l32 := (s21 - l31*s10) / d2
	d3 := s22 - l31*s20 - l32*(s21-l31*s10)
	f[0], f[1], f[2], f[3], f[4], f[5] = 1/d1, l21, l31, 1/d2, l32, 1/d3
	return d1 > 0 && d2 > 0 && d3 > 0 &&
		!math.IsInf(f[0], 0) && !math.IsInf(f[3], 0) && !math.IsInf(f[5], 0)
}

func resizeV(s [][2]float64, n int) [][2]float64 {
	if cap(s) < n {
		return make([][2]float64, n)
	}
	return s[:n]
}
