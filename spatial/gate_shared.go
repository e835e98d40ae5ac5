package spatial

import (
	"fmt"
	"math"
)

// DetectionIndex is one batch of detections prepared for gating once and then shared
// by several Gaters, each gating its own batch of tracks against it concurrently
// (GateIndexed): the detections validated, their gate boxes made and indexed by a
// Grid. The preparation and the build can be split between goroutines: Reset the
// index for k shards, then, until Next reports that nothing is left, run Step(s) for
// every shard s in [0, k) (concurrently, one goroutine per shard or any other split)
// and call Next from one goroutine once they have all returned:
//
//	if err := x.Reset(dets, k); err != nil { ... }
//	for more := true; more; {
//		// Step(0) … Step(k-1), concurrently; wait for them
//		if more, err = x.Next(); err != nil { ... }
//	}
//
// Build does all of it on the calling goroutine. The index is the Grid that Build
// would make over the same boxes, box for box, whatever k; the pairs of GateIndexed
// are those of Gate over the same tracks and detections, in the same order, with the
// same d².
//
// The index keeps dets (it does not copy it): the caller must not modify dets until it
// has gated against the index for the last time. Once warmed up to a batch size it
// allocates nothing. Between Next and the following Reset it is only read, so any
// number of Gaters may call GateIndexed on it concurrently; Reset, Step and Next must
// not run concurrently with GateIndexed.
type DetectionIndex struct {
	m     int
	gamma float64

	dets    Detections
	n, k    int
	shared  bool
	sharedR [9]float64
	lenErr  error // ErrLength of the batch
	rErr    error // the shared R's
	err     error // the first bad detection's
	step    int   // 0 preparation, 1 filing, 2 filling, 3 built
	box     []Box
	h       []float64 // 3-D: the padded half-widths of the vertical intervals
	parts   []detPart
	grid    Grid
}

// detPart is one shard's result of the preparation.
type detPart struct {
	err  error
	hist [130]int32
	bnd  [4]float64
}

// Steps of a DetectionIndex.
const (
	stepPrepare = iota
	stepFile
	stepFill
	stepBuilt
)

// NewDetectionIndex returns a DetectionIndex for Gaters of the same Dim and gate
// (Probability or Threshold) as cfg; Index and Indexed are ignored (the index is a
// Grid over the detections). The error wraps ErrConfig.
func NewDetectionIndex(cfg Config) (*DetectionIndex, error) {
	cfg, gamma, err := checkConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &DetectionIndex{m: cfg.Dim, gamma: gamma, step: stepBuilt}, nil
}

// Reset starts indexing dets in k shards (k < 1 means 1). It returns an error
// wrapping ErrLength when the lengths of dets do not match the dimension; the error is
// kept, Step does nothing and Next and GateIndexed return it.
func (x *DetectionIndex) Reset(dets Detections, k int) error {
	m := x.m
	mm := m * m
	x.dets, x.k = dets, max(k, 1)
	x.lenErr, x.rErr, x.err = nil, nil, nil
	x.step = stepPrepare
	x.n = len(dets.Z) / m
	if len(dets.Z)%m != 0 || (len(dets.Cov) != x.n*mm && len(dets.Cov) != mm) || x.n > math.MaxInt32 {
		x.lenErr = fmt.Errorf("%w: detections: len(Z) %d, len(Cov) %d for dimension %d",
			ErrLength, len(dets.Z), len(dets.Cov), m)
		x.n = 0
		return x.lenErr
	}
	x.shared = len(dets.Cov) == mm
	if x.shared {
		if err := checkGateCov(dets.Cov, m); err != nil {
			x.rErr = &ItemError{Set: "detection", Index: -1, Err: err}
		}
		copy(x.sharedR[:], dets.Cov)
	}
	x.box = resizeBoxes(x.box, x.n)
	if m == 3 {
		x.h = resizeFloat64(x.h, x.n)
	}
	if cap(x.parts) < x.k {
		x.parts = make([]detPart, x.k)
	}
	x.parts = x.parts[:x.k]
	return nil
}

// Step runs shard s (0 ≤ s < k) of the current step: the preparation of detections
// [s·n/k, (s+1)·n/k) (validation, gate boxes), then the filing of the same boxes into
// the grid's first level, then the copy of the boxes of the grid's cells
// [s·c/k, (s+1)·c/k) into place (the last shard also building the coarser levels).
// Different shards of a step may run concurrently.
func (x *DetectionIndex) Step(s int) {
	if x.lenErr != nil || x.rErr != nil || x.err != nil {
		return
	}
	switch x.step {
	case stepPrepare:
		p := &x.parts[s]
		var hist [130]int32
		bnd := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		p.err = prepareDets(x.gamma, x.m, x.shared, x.dets, s*x.n/x.k, (s+1)*x.n/x.k, x.box, x.h, &hist, &bnd)
		p.hist, p.bnd = hist, bnd
	case stepFile:
		x.grid.fileShard(s)
	case stepFill:
		x.grid.fillShard(s)
	}
}

// Next ends the current step, once Step has returned for every shard, and reports
// whether another one follows. Its error (the *ItemError of the first bad detection,
// as Gate names it, or the shared R's; or Reset's) is also returned by GateIndexed,
// after the checks of the tracks.
func (x *DetectionIndex) Next() (bool, error) {
	switch {
	case x.lenErr != nil:
		return false, x.lenErr
	case x.rErr != nil:
		return false, x.rErr
	case x.err != nil:
		return false, x.err
	}
	switch x.step {
	case stepPrepare:
		var hist [130]int32
		bnd := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for s := range x.parts {
			p := &x.parts[s]
			if p.err != nil {
				x.err = p.err // the shards are in detection order: the first bad one
				return false, x.err
			}
			for b := range hist {
				hist[b] += p.hist[b]
			}
			bnd[0], bnd[1] = min(bnd[0], p.bnd[0]), min(bnd[1], p.bnd[1])
			bnd[2], bnd[3] = max(bnd[2], p.bnd[2]), max(bnd[3], p.bnd[3])
		}
		if !x.grid.beginShards(x.box, &hist, bnd, x.k) {
			x.step = stepBuilt
			return false, nil
		}
		x.step = stepFile
	case stepFile:
		x.step = stepFill
	case stepFill:
		x.step = stepBuilt
	}
	return x.step != stepBuilt, nil
}

// Build indexes dets on the calling goroutine: Reset(dets, 1), then every step.
func (x *DetectionIndex) Build(dets Detections) error {
	if err := x.Reset(dets, 1); err != nil {
		return err
	}
	for more := true; more; {
		x.Step(0)
		var err error
		if more, err = x.Next(); err != nil {
			return err
		}
	}
	return nil
}

// Len returns the number of detections of the batch.
func (x *DetectionIndex) Len() int { return x.n }

// GateIndexed is Gate for the detections of x: it appends to dst every pair (i, j) of
// track i and detection j of x within the gate, ordered by track then detection, and
// returns the extended slice. The pairs, their order and their d² are those of Gate
// over the same batches. x must have been built (Build, or the steps to the last
// Next) for the same Dim and gate as g. x is only read: Gaters may call GateIndexed
// with one x concurrently. Stats reports KindGrid indexing SetDetections.
//
// The errors are Gate's, in the same order: the tracks' lengths (ErrLength), the
// detections' (x's Reset), the shared R, the first bad track, the first bad detection
// (an *ItemError naming the item), so a batch of tracks cut into shards, each gated
// against x, names the same item as Gate of the shard against the detections. A
// Dim or gate different from x's, or an x not built, returns an error wrapping
// ErrConfig. On error dst is returned unchanged and g stays usable.
func (g *Gater) GateIndexed(dst []Pair, tracks Tracks, x *DetectionIndex) ([]Pair, error) {
	m := g.m
	mm := m * m
	if x.m != m || x.gamma != g.gamma {
		return dst, fmt.Errorf("%w: detection index for dimension %d and γ %v, gater %d and %v",
			ErrConfig, x.m, x.gamma, m, g.gamma)
	}
	nT := len(tracks.Z) / m
	if len(tracks.Z)%m != 0 || len(tracks.Cov) != nT*mm || nT > math.MaxInt32 {
		return dst, fmt.Errorf("%w: tracks: len(Z) %d, len(Cov) %d for dimension %d",
			ErrLength, len(tracks.Z), len(tracks.Cov), m)
	}
	if x.lenErr != nil {
		return dst, x.lenErr
	}
	if x.rErr != nil {
		return dst, x.rErr
	}
	g.shared, g.sharedR = x.shared, x.sharedR
	if err := g.prepareTracks(tracks, nT); err != nil {
		return dst, err
	}
	if x.err != nil {
		return dst, x.err
	}
	if x.step != stepBuilt {
		return dst, fmt.Errorf("%w: detection index not built", ErrConfig)
	}
	nD := x.n
	g.orig = gateData{
		tZ: tracks.Z, tCov: tracks.Cov, tFac: g.tFac, tH: g.tZ,
		dZ: x.dets.Z, dCov: x.dets.Cov, dH: x.h,
	}
	st := Stats{Tracks: nT, Detections: nD}
	if nT == 0 || nD == 0 {
		st.Index = KindBrute
		g.stats = st
		return dst, nil
	}
	st.Index, st.Indexed = KindGrid, SetDetections
	base := len(dst)
	dst, st.BoxCandidates = g.queryGrid(dst, &x.grid, g.tBox, true, nT, nD)
	st.GridLevels = x.grid.nlev
	st.Pairs = len(dst) - base
	g.stats = st
	return dst, nil
}
