package bench

import (
	"fmt"
	"math"
	"slices"

	"github.com/trackcorr/trackcorr/correlate/assign"
)

// GOSPAConfig configures GOSPA and OSPA.
type GOSPAConfig struct {
	// C is the cut-off distance in metres. Default 10.
	C float64
	// P is the order, at least 1. Default 2.
	P float64
	// Dims is 2 (x, y) or 3 (x, y, z). Default 2.
	Dims int
}

func (c GOSPAConfig) withDefaults() (GOSPAConfig, error) {
	if c.C == 0 {
		c.C = 10
	}
	if c.P == 0 {
		c.P = 2
	}
	if c.Dims == 0 {
		c.Dims = 2
	}
	if !(c.C > 0) || math.IsInf(c.C, 0) || !(c.P >= 1) || math.IsInf(c.P, 0) || (c.Dims != 2 && c.Dims != 3) {
		return c, fmt.Errorf("%w: GOSPA c=%v p=%v dims=%d (want c > 0, p ≥ 1, dims 2 or 3)", ErrMetric, c.C, c.P, c.Dims)
	}
	return c, nil
}

// GOSPA is the generalised optimal sub-pattern assignment metric with alpha = 2 between
// one frame's truth and estimates (Rahmathullah, García-Fernández and Svensson, 2017):
//
//	Distance = (Localisation + Missed + False)^(1/p)
//	Localisation = Σ over assigned pairs of d^p (only pairs with d < c are assigned)
//	Missed = c^p/2 · MissedCount,  False = c^p/2 · FalseCount
//
// The parts are in the p-th power, as in the paper and in Stone Soup, so that they add up.
type GOSPA struct {
	Distance, Localisation, Missed, False float64
	Assigned, MissedCount, FalseCount     int
}

// Scorer computes GOSPA and OSPA for frames of truth and estimates. Candidate pairs come
// from a grid (pairs at least c apart are never compared) and the optimal assignment from
// correlate/assign's decomposed sparse solver, so a frame of n truths and n estimates
// costs about O(n) at constant density. A Scorer reuses its buffers: once it has seen a
// frame of a given size, frames up to that size allocate nothing. It is not safe for concurrent use; Close releases it.
type Scorer struct {
	cfg GOSPAConfig
	cp  float64
	m   *matcher
}

// NewScorer returns a Scorer for cfg.
func NewScorer(cfg GOSPAConfig) (*Scorer, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	m, err := newMatcher(cfg.Dims)
	if err != nil {
		return nil, err
	}
	return &Scorer{cfg: cfg, cp: math.Pow(cfg.C, cfg.P), m: m}, nil
}

// Close releases the Scorer's solver.
func (s *Scorer) Close() error { return s.m.close() }

func (s *Scorer) pow(d float64) float64 {
	if s.cfg.P == 2 {
		return d * d
	}
	return math.Pow(d, s.cfg.P)
}

// solve computes the optimal GOSPA assignment of truth to estimates into s.m.res.
func (s *Scorer) solve(truth, est []Point) error {
	if err := checkPoints("truth", truth, s.cfg.Dims); err != nil {
		return err
	}
	if err := checkPoints("estimate", est, s.cfg.Dims); err != nil {
		return err
	}
	s.m.candidates(truth, est, s.cfg.C, s.pow)
	half := s.cp / 2
	s.m.p.Miss = fill(s.m.p.Miss, len(truth), half)
	s.m.p.New = fill(s.m.p.New, len(est), half)
	return s.m.solver.Solve(&s.m.res, &s.m.p)
}

// GOSPA returns the GOSPA metric of one frame.
func (s *Scorer) GOSPA(truth, est []Point) (GOSPA, error) {
	if err := s.solve(truth, est); err != nil {
		return GOSPA{}, err
	}
	var g GOSPA
	for i := range truth {
		j := s.m.res.RowCol[i]
		if j < 0 {
			continue
		}
		g.Assigned++
		g.Localisation += s.pow(s.m.distance(&truth[i], &est[j]))
	}
	g.MissedCount = len(truth) - g.Assigned
	g.FalseCount = len(est) - g.Assigned
	g.Missed = s.cp / 2 * float64(g.MissedCount)
	g.False = s.cp / 2 * float64(g.FalseCount)
	g.Distance = math.Pow(g.Localisation+g.Missed+g.False, 1/s.cfg.P)
	return g, nil
}

// OSPA returns the optimal sub-pattern assignment metric of one frame (Schuhmacher, Vo
// and Vo, 2008) with the Scorer's cut-off c and order p:
//
//	OSPA = ( (min over assignments Σ min(d, c)^p + c^p·(n−m)) / n )^(1/p)
//
// with m ≤ n the two set sizes; 0 when both are empty. It shares GOSPA's assignment: an
// assigned pair at or beyond c costs c^p, as two unassigned points cost c^p/2 each, so the
// GOSPA optimum is an OSPA optimum, and OSPA^p·n = GOSPA^p + c^p·(n−m)/2.
func (s *Scorer) OSPA(truth, est []Point) (float64, error) {
	g, err := s.GOSPA(truth, est)
	if err != nil {
		return 0, err
	}
	n, m := max(len(truth), len(est)), min(len(truth), len(est))
	if n == 0 {
		return 0, nil
	}
	total := g.Localisation + g.Missed + g.False + s.cp*float64(n-m)/2
	return math.Pow(total/float64(n), 1/s.cfg.P), nil
}

func fill(s []float64, n int, v float64) []float64 {
	s = resize(s, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// MOTConfig configures CLEAR MOT and identity metrics.
type MOTConfig struct {
	// Threshold is the largest distance in metres at which an estimate can match a truth
	// object. Default 10.
	Threshold float64
	// Dims is 2 or 3. Default 2.
	Dims int
}

// MOT accumulates the CLEAR MOT metrics (Bernardin and Stiefelhagen, 2008), the identity
// metrics IDF1, IDP and IDR (Ristani et al., 2016), identity switches, fragmentations and
// mostly tracked / partly tracked / mostly lost counts over a sequence of frames.
//
// Per frame, a truth object keeps its previous estimate when that estimate is still
// within Threshold; the others are matched by an optimal assignment of the largest number
// of pairs within Threshold at the least total distance. A match whose estimate differs
// from the truth object's last matched estimate is an identity switch. Memory grows with
// the number of distinct truth objects, estimates and (truth, estimate) pairs ever within
// Threshold of each other.
type MOT struct {
	cfg MOTConfig
	m   *matcher

	frames, gt, pred, matches, fp, fn, idsw int
	distSum                                 float64

	last    map[int64]int64   // truth → estimate of its last match
	prev    map[int64]int64   // truth → estimate matched in the previous frame
	objects map[int64]*object // per truth object
	co      map[[2]int64]int  // (truth, estimate) → frames within Threshold
	predN   map[int64]int     // estimate → frames present

	estIndex map[int64]int32    // scratch: estimate ID → index in this frame
	matched  []bool             // scratch: estimate matched in this frame
	truthOf  []int32            // scratch: matched estimate index of each truth, or -1
	seen     map[int64]struct{} // scratch: truth IDs of this frame
}

type object struct {
	present, tracked, frags int
	wasTracked, interrupted bool
}

// NewMOT returns an empty accumulator.
func NewMOT(cfg MOTConfig) (*MOT, error) {
	if cfg.Threshold == 0 {
		cfg.Threshold = 10
	}
	if cfg.Dims == 0 {
		cfg.Dims = 2
	}
	if !(cfg.Threshold > 0) || math.IsInf(cfg.Threshold, 0) || (cfg.Dims != 2 && cfg.Dims != 3) {
		return nil, fmt.Errorf("%w: MOT threshold %v dims %d", ErrMetric, cfg.Threshold, cfg.Dims)
	}
	m, err := newMatcher(cfg.Dims)
	if err != nil {
		return nil, err
	}
	return &MOT{cfg: cfg, m: m, last: map[int64]int64{}, prev: map[int64]int64{}, objects: map[int64]*object{},
		co: map[[2]int64]int{}, predN: map[int64]int{}, estIndex: map[int64]int32{}, seen: map[int64]struct{}{}}, nil
}

// Close releases the accumulator's solver.
func (a *MOT) Close() error { return a.m.close() }

// Add scores one frame. IDs must be unique within truth and within est. On error nothing
// is accumulated.
func (a *MOT) Add(truth, est []Point) error {
	if err := checkPoints("truth", truth, a.cfg.Dims); err != nil {
		return err
	}
	if err := checkPoints("estimate", est, a.cfg.Dims); err != nil {
		return err
	}
	clear(a.estIndex)
	for j := range est {
		if _, dup := a.estIndex[est[j].ID]; dup {
			return fmt.Errorf("%w: estimate ID %d twice in one frame", ErrMetric, est[j].ID)
		}
		a.estIndex[est[j].ID] = int32(j)
	}
	clear(a.seen)
	for i := range truth {
		if _, dup := a.seen[truth[i].ID]; dup {
			return fmt.Errorf("%w: truth ID %d twice in one frame", ErrMetric, truth[i].ID)
		}
		a.seen[truth[i].ID] = struct{}{}
	}
	T := a.cfg.Threshold
	a.m.candidates(truth, est, T, func(d float64) float64 { return d })

	// Keep last frame's matches that are still within the threshold: remove their rows
	// and columns from the problem by forbidding every other candidate of theirs.
	a.matched = resize(a.matched, len(est))
	clear(a.matched)
	a.truthOf = resize(a.truthOf, len(truth))
	for i := range truth {
		a.truthOf[i] = -1
		if e, ok := a.prev[truth[i].ID]; ok {
			if j, ok := a.estIndex[e]; ok && a.m.distance(&truth[i], &est[j]) < T {
				a.truthOf[i] = j
				a.matched[j] = true
			}
		}
	}
	p := &a.m.p
	for i := range truth {
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			if a.truthOf[i] >= 0 || a.matched[p.Col[k]] {
				p.Cost[k] = math.Inf(1)
			}
		}
	}
	p.Miss, p.New = nil, nil
	if err := a.m.solver.Solve(&a.m.res, p); err != nil {
		return err
	}
	a.addIdentity(truth, est)
	for i := range truth {
		if a.truthOf[i] < 0 {
			a.truthOf[i] = a.m.res.RowCol[i]
		}
	}

	// Count.
	frameMatches := 0
	clear(a.prev)
	a.frames++
	a.gt += len(truth)
	a.pred += len(est)
	for j := range est {
		a.predN[est[j].ID]++
	}
	for i := range truth {
		id := truth[i].ID
		o := a.objects[id]
		if o == nil {
			o = &object{}
			a.objects[id] = o
		}
		o.present++
		j := a.truthOf[i]
		if j < 0 {
			a.fn++
			if o.wasTracked {
				o.interrupted = true
			}
			continue
		}
		e := est[j].ID
		frameMatches++
		a.matches++
		a.distSum += a.m.distance(&truth[i], &est[j])
		if l, ok := a.last[id]; ok && l != e {
			a.idsw++
		}
		a.last[id] = e
		a.prev[id] = e
		o.tracked++
		if o.interrupted {
			o.frags++
			o.interrupted = false
		}
		o.wasTracked = true
	}
	a.fp += len(est) - frameMatches
	return nil
}

// addIdentity counts, for IDF1, the frames in which each (truth, estimate) pair is within
// the threshold: every candidate pair, not only the CLEAR MOT matches.
func (a *MOT) addIdentity(truth, est []Point) {
	p := &a.m.p
	for i := range truth {
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			a.co[[2]int64{truth[i].ID, est[p.Col[k]].ID}]++
		}
	}
}

// MOTSummary holds the accumulated metrics.
type MOTSummary struct {
	Frames int
	// GT and Pred are the numbers of truth and estimate points over all frames.
	GT, Pred int
	// Matches, FP (false positives), FN (misses) and IDSW (identity switches) over all
	// frames.
	Matches, FP, FN, IDSW int
	// MOTA = 1 − (FN + FP + IDSW)/GT; MOTP is the mean distance of matches in metres.
	MOTA, MOTP float64
	// IDF1, IDP and IDR from the identity-preserving global assignment, and its IDTP.
	IDF1, IDP, IDR float64
	IDTP           int
	// Frag counts interruptions of a truth object's tracking that are later resumed.
	Frag int
	// MT, PT and ML count truth objects tracked for at least 80%, between 20% and 80%, and
	// at most 20% of the frames they are present in.
	MT, PT, ML int
}

// Summary returns the metrics of every frame added so far.
func (a *MOT) Summary() (MOTSummary, error) {
	s := MOTSummary{Frames: a.frames, GT: a.gt, Pred: a.pred, Matches: a.matches, FP: a.fp, FN: a.fn, IDSW: a.idsw}
	if a.gt > 0 {
		s.MOTA = 1 - float64(a.fn+a.fp+a.idsw)/float64(a.gt)
	}
	if a.matches > 0 {
		s.MOTP = a.distSum / float64(a.matches)
	}
	for _, o := range a.objects {
		s.Frag += o.frags
		r := float64(o.tracked) / float64(o.present)
		switch {
		case r >= 0.8:
			s.MT++
		case r <= 0.2:
			s.ML++
		default:
			s.PT++
		}
	}
	idtp, err := a.idtp()
	if err != nil {
		return s, err
	}
	s.IDTP = idtp
	if a.gt+a.pred > 0 {
		s.IDF1 = 2 * float64(idtp) / float64(a.gt+a.pred)
	}
	if a.pred > 0 {
		s.IDP = float64(idtp) / float64(a.pred)
	}
	if a.gt > 0 {
		s.IDR = float64(idtp) / float64(a.gt)
	}
	return s, nil
}

// idtp solves the maximum-weight matching of truth objects to estimates whose weight is
// the number of frames the pair is within the threshold.
func (a *MOT) idtp() (int, error) {
	keys := make([][2]int64, 0, len(a.co))
	for k := range a.co {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y [2]int64) int {
		if x[0] != y[0] {
			return cmpInt(x[0], y[0])
		}
		return cmpInt(x[1], y[1])
	})
	row := map[int64]int32{}
	col := map[int64]int32{}
	p := assign.Sparse{Sense: assign.Maximize, Start: []int32{0}}
	for _, k := range keys {
		if _, ok := row[k[0]]; !ok {
			row[k[0]] = int32(len(row))
			if len(row) > 1 {
				p.Start = append(p.Start, int32(len(p.Col)))
			}
		}
		c, ok := col[k[1]]
		if !ok {
			c = int32(len(col))
			col[k[1]] = c
		}
		p.Col = append(p.Col, c)
		p.Cost = append(p.Cost, float64(a.co[k]))
	}
	if len(row) == 0 {
		return 0, nil
	}
	p.Start = append(p.Start, int32(len(p.Col)))
	p.Rows, p.Cols = len(row), len(col)
	p.Miss = make([]float64, p.Rows)
	p.New = make([]float64, p.Cols)
	var res assign.Result
	if err := a.m.solver.Solve(&res, &p); err != nil {
		return 0, err
	}
	return int(math.Round(res.Cost)), nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
