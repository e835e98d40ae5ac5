package correlate

import (
	"fmt"
	"math"
	"slices"

	"github.com/trackcorr/trackcorr/correlate/assign"
	"github.com/trackcorr/trackcorr/kalman"
	"github.com/trackcorr/trackcorr/spatial"
)

// Gater finds the candidate (track, detection) pairs of one batch. It is called once
// per batch, never per pair. tracks holds the predicted measurements ẑ and the track
// parts H P Hᵀ of the innovation covariances of the batch's tracks, dets the
// detections and their noise covariances, all in m = dim components (see
// spatial.Tracks and spatial.Detections: dets.Cov holds a single covariance when every
// detection of the batch has the same one, bit for bit). It appends to dst the pairs
// with their squared Mahalanobis distance d² on S = H P Hᵀ + R, ordered by track then
// detection, and returns the extended slice. The tracker gives it validated input; an error
// means a programmer error or a diverged track and fails the batch's gating.
type Gater interface {
	Gate(dst []spatial.Pair, dim int, tracks spatial.Tracks, dets spatial.Detections) ([]spatial.Pair, error)
}

// Associator chooses the association of one batch. p is the gated problem in the
// tracking form of package assign: rows are tracks, columns detections, p.Cost[k] is
// the negative log-likelihood ratio of candidate k, p.Miss[i] the cost of track i
// missing, p.New[j] the cost of detection j being clutter or a new target (see the
// package documentation for the model). Associate writes into w[k] (len(w) =
// len(p.Col)) the weight of candidate k in [0, 1], the weights of a row and of a
// column summing to at most 1. GNN writes 0 or 1. The built-in updater applies the
// candidate of weight above 0.5 of each track, if any.
type Associator interface {
	Associate(w []float64, p *assign.Sparse) error
}

// DefaultGater is the built-in Gater: a spatial.Gater per measurement dimension
// with the tracker's gate probability.
type DefaultGater struct {
	g [4]*spatial.Gater
}

var _ Gater = (*DefaultGater)(nil)

// NewDefaultGater returns the built-in Gater with gate probability p (zero means 0.99).
func NewDefaultGater(p float64) (*DefaultGater, error) {
	d := &DefaultGater{}
	for m := 2; m <= 3; m++ {
		g, err := spatial.NewGater(spatial.Config{Dim: m, Probability: p})
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConfig, err)
		}
		d.g[m] = g
	}
	return d, nil
}

// newDetectionIndexes returns the detection indexes that the workers' built-in gaters
// share, one per gating dimension, with gate probability p.
func newDetectionIndexes(p float64) ([4]*spatial.DetectionIndex, error) {
	var ix [4]*spatial.DetectionIndex
	for m := 2; m <= 3; m++ {
		var err error
		if ix[m], err = spatial.NewDetectionIndex(spatial.Config{Dim: m, Probability: p}); err != nil {
			return ix, fmt.Errorf("%w: %v", ErrConfig, err)
		}
	}
	return ix, nil
}

// gateStep is what jobGate does.
type gateStep uint8

const (
	gateWhole gateStep = iota // each worker: its shard of the tracks against every detection (Gate)
	gateIndex                 // each worker: its shard of a step of the detections' index
	gateQuery                 // each worker: its shard of the tracks against the index (GateIndexed)
	gateMerge                 // each worker: its pairs copied into the batch's
)

// minSharedIndex is the smallest detection batch indexed once for all the workers;
// below it each worker gates against the detections on its own (the same pairs).
const minSharedIndex = 2 * minShard

// gateShared gates the batch's rows (ws.tz, ws.gtc) against its detections (ws.dz,
// ws.dcov) in dimension m with the built-in gater on every worker, into ws.pairs, and
// reports whether it did (it needs several workers, a batch that the pool shards and
// at least minSharedIndex detections). The detections are prepared and indexed once,
// the workers taking turns in the steps of one spatial.DetectionIndex (the pool's);
// each worker then gates its shard of the rows against it, and copies its pairs,
// ordered by track then detection, to its place in ws.pairs: the order of one Gate
// over all the rows. The error is the last failing worker's, as with gateWhole.
func (t *Tracker) gateShared(m int) (bool, error) {
	ws, p := &t.ws, t.pool
	nr, nw := len(ws.rows), len(p.workers)
	if nw == 1 || nr < 2*minShard || len(ws.dz) < minSharedIndex*m || m < 2 || m > 3 {
		return false, nil
	}
	ix := p.detIndex[m]
	defer func() { p.gate = gateWhole }()
	// The steps' errors are left to GateIndexed, which returns Gate's error for each
	// worker's shard.
	if ix.Reset(t.gateDets(m), nw) == nil {
		p.gate = gateIndex
		for more := true; more; {
			p.do(jobGate, nr)
			var err error
			if more, err = ix.Next(); err != nil {
				break
			}
		}
	}
	p.gate = gateQuery
	p.do(jobGate, nr)
	var err error
	n := 0
	for i := range p.workers {
		w := &p.workers[i]
		if w.gateErr != nil {
			err = w.gateErr
		}
		w.pairOff = n
		n += len(w.pairs)
	}
	if err != nil {
		return true, err
	}
	ws.pairs = slices.Grow(ws.pairs[:0], n)[:n]
	p.gate = gateMerge
	p.do(jobGate, nr)
	return true, nil
}

// gateJob is jobGate on worker w for rows [lo, hi) (see gateStep).
func (t *Tracker) gateJob(w *worker, lo, hi int) {
	ws, m := &t.ws, t.batchG
	switch t.pool.gate {
	case gateIndex:
		t.pool.detIndex[m].Step(w.id)
		return
	case gateMerge:
		dst := ws.pairs[w.pairOff : w.pairOff+len(w.pairs)]
		for k, pr := range w.pairs {
			pr.Track += int32(lo)
			dst[k] = pr
		}
		return
	}
	w.ran, w.lo, w.gateErr = true, lo, nil
	tracks := spatial.Tracks{Z: ws.tz[lo*m : hi*m], Cov: ws.tcov[lo*m*m : hi*m*m]}
	if t.pool.gate == gateQuery {
		w.pairs, w.gateErr = w.gater.g[m].GateIndexed(w.pairs[:0], tracks, t.pool.detIndex[m])
		return
	}
	w.pairs, w.gateErr = w.gater.Gate(w.pairs[:0], m, tracks, t.gateDets(m))
}

// gateDets returns the batch's detections for its gating, in m components: with one
// covariance when every detection has the same (Tracker.batchSharedR), which spares the
// gating the reads of a covariance per candidate pair.
func (t *Tracker) gateDets(m int) spatial.Detections {
	d := spatial.Detections{Z: t.ws.dz, Cov: t.ws.dcov}
	if t.batchSharedR && len(d.Cov) >= m*m {
		d.Cov = d.Cov[:m*m]
	}
	return d
}

// Gate implements Gater for dim 2 and 3.
func (d *DefaultGater) Gate(dst []spatial.Pair, dim int, tracks spatial.Tracks, dets spatial.Detections) ([]spatial.Pair, error) {
	if dim < 2 || dim > 3 {
		return dst, fmt.Errorf("%w: gating dimension %d", ErrDimension, dim)
	}
	return d.g[dim].Gate(dst, tracks, dets)
}

// GNN is the built-in global-nearest-neighbour Associator: the assignment of least
// total cost, found by assign.Solver on the decomposed problem.
type GNN struct {
	s   *assign.Solver
	res assign.Result
	// Components is the number of independent components of the last problem.
	Components int
}

var _ Associator = (*GNN)(nil)

// NewGNN returns a GNN associator whose solver uses the given number of workers
// (the caller's goroutine included; zero means 1). Close stops them.
func NewGNN(workers int) (*GNN, error) {
	s, err := assign.NewSolver(assign.Config{Workers: workers})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return &GNN{s: s}, nil
}

// Associate implements Associator with weights 0 or 1.
func (g *GNN) Associate(w []float64, p *assign.Sparse) error {
	if _, err := g.solve(p); err != nil {
		return err
	}
	for i := 0; i < p.Rows; i++ {
		c := g.res.RowCol[i]
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			w[k] = 0
			if p.Col[k] == c {
				w[k] = 1
				c = -2 // a duplicated column gets one weight only
			}
		}
	}
	return nil
}

// solve solves p and returns the column assigned to each row, or -1 (valid until the
// next call).
func (g *GNN) solve(p *assign.Sparse) ([]int32, error) {
	if err := g.s.Solve(&g.res, p); err != nil {
		return nil, err
	}
	g.Components = g.s.Components()
	return g.res.RowCol, nil
}

// Close stops the solver's goroutines.
func (g *GNN) Close() error { return g.s.Close() }

// Predictor predicts track states forward in time: Stone Soup's Predictor over a
// batch. The tracker calls it once for the gating predictions of a batch (every track
// to predict, to the batch time) and once for each further group of predictions the
// batch needs — tracks updated at their detections' own times, PDA hypotheses, the
// Config.MaxPositionVariance check — never once per track. The states are in the
// tracker's layout: Config.Axes pairs [position m, velocity m/s].
type Predictor interface {
	// Predict predicts states[i] in place by dt[i] ≥ 0 seconds and sets ok[i] to
	// whether it succeeded (len(states) = len(dt) = len(ok)). A track whose prediction
	// fails is deleted as diverged.
	Predict(states []kalman.State, dt []float64, ok []bool)
}

// Updater updates predicted track states with their associated detections: Stone
// Soup's Updater over a batch. The tracker calls it once per association pass of a
// batch with every update to apply (under AssociateJPDA, every hypothesis of the
// probabilistic update, which the tracker then mixes).
type Updater interface {
	// Update updates states[i], predicted to meas[i].Time, in place with meas[i] and
	// sets ok[i] to whether it succeeded and d2[i] to the squared Mahalanobis distance
	// of the innovation (NaN if the updater does not know it). A failed update leaves
	// the track as it was before the batch; its detection may start a track.
	Update(states []kalman.State, meas []Measurement, ok []bool, d2 []float64)
}

// Initiator starts tracks from the detections that no track took: Stone Soup's
// Initiator over a batch. The tracker calls it once per batch with the batch's
// unassociated detections in canonical (time, ID) order.
type Initiator interface {
	// Initiate writes into states[i] the initial state at meas[i].Time of a tentative
	// track started from meas[i] and sets ok[i]; a detection with ok[i] false starts no
	// track and counts in Stats.Rejected (a bearing in Stats.Unused).
	Initiate(states []kalman.State, meas []Measurement, ok []bool)
}

// Deleter decides which tracks end: Stone Soup's Deleter over a batch. The tracker
// calls it once per scan, after the built-in track logic of Config.Logic,
// Config.DeleteAfter and Config.MaxPositionVariance has run, with every live track.
type Deleter interface {
	// Delete receives in del[i] the built-in decision for tracks[i] and may change it:
	// true ends the track in this scan, false keeps it. tracks[i].Status is the status
	// the logic gives the track if it is kept; State and Cov hold its posterior, valid
	// during the call; Detections and Modes are nil. A track whose filter diverged is
	// deleted whatever del says.
	Delete(del []bool, tracks []Track)
}

// Measurement is one detection as an Updater or an Initiator sees it. Its slices and
// pointers are valid during the call only.
type Measurement struct {
	// Detection is the scan's detection (read only).
	Detection *Detection
	// Time is the detection's effective time, ns (Detection.Time, or the scan's).
	Time int64
	// Sensor is the registered sensor (read only; a Geodetic sensor's Position is in
	// the tracking frame).
	Sensor *Sensor
	// Model is the sensor's measurement model on the tracker's state.
	Model kalman.Measurement
	// Z and R are the measurement and its m×m noise covariance as the sensor reported
	// them (m = Model.Dim()).
	Z, R []float64
	// Pos and PosCov are the detection in the Cartesian gating space (Z and R for the
	// position kinds, the converted measurement for RangeBearing and RangeAzEl, in the
	// first Kind.Dim() axes); nil for Bearing.
	Pos, PosCov []float64
}

// KalmanPredictor is the Predictor of a Kalman filter over a motion model; with the
// tracker's own model (kalman.NewCV(Config.Axes, Config.Q)) it predicts as the built-in
// stage does.
type KalmanPredictor struct{ kf *kalman.KF }

var _ Predictor = (*KalmanPredictor)(nil)

// NewKalmanPredictor returns the Predictor of the Kalman filter of m (kalman.NewKF).
func NewKalmanPredictor(m kalman.Motion, cfg kalman.Config) (*KalmanPredictor, error) {
	kf, err := kalman.NewKF(m, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return &KalmanPredictor{kf: kf}, nil
}

// Predict implements Predictor.
func (p *KalmanPredictor) Predict(states []kalman.State, dt []float64, ok []bool) {
	for i := range states {
		ok[i] = p.kf.Predict(&states[i], dt[i]) == nil
	}
}

// KalmanUpdater is the Updater of the Kalman filter for linear measurement models and
// of the extended Kalman filter for the others: the built-in stage's update.
type KalmanUpdater struct {
	kf  *kalman.KF
	ekf *kalman.EKF
}

var _ Updater = (*KalmanUpdater)(nil)

// NewKalmanUpdater returns the KalmanUpdater of the filters over m (whose prediction
// it never uses; m fixes the state dimension).
func NewKalmanUpdater(m kalman.Motion, cfg kalman.Config) (*KalmanUpdater, error) {
	kf, err := kalman.NewKF(m, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	ekf, err := kalman.NewEKF(m, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return &KalmanUpdater{kf: kf, ekf: ekf}, nil
}

// Update implements Updater.
func (u *KalmanUpdater) Update(states []kalman.State, meas []Measurement, ok []bool, d2 []float64) {
	for i := range states {
		ms := &meas[i]
		var inn kalman.Innovation
		var err error
		if ms.Model.Linear() {
			inn, err = u.kf.Update(&states[i], ms.Model, ms.Z, ms.R)
		} else {
			inn, err = u.ekf.Update(&states[i], ms.Model, ms.Z, ms.R)
		}
		ok[i], d2[i] = err == nil, inn.D2
		if err != nil {
			d2[i] = math.NaN()
		}
	}
}

// OnePointInitiator is the Initiator of Config.Initiation OnePoint: the position and
// its covariance from the detection (Measurement.Pos, PosCov), a zero velocity of
// standard deviation speedSigma per axis, and a wide prior (standard deviation 1 km)
// on an axis the sensor does not measure. It starts no track from a bearing.
type OnePointInitiator struct {
	axes int
	v    float64
	x    [kalman.MaxDim]float64 // scratch: kalman.NewState's arguments escape
	P    [kalman.MaxDim * kalman.MaxDim]float64
}

var _ Initiator = (*OnePointInitiator)(nil)

// NewOnePointInitiator returns the OnePointInitiator for a tracker of the given
// Config.Axes (2 or 3) with a velocity prior of standard deviation speedSigma > 0
// m/s per axis.
func NewOnePointInitiator(axes int, speedSigma float64) (*OnePointInitiator, error) {
	if axes != 2 && axes != 3 {
		return nil, fmt.Errorf("%w: one-point initiator: Axes %d, want 2 or 3", ErrConfig, axes)
	}
	if !(speedSigma > 0) || math.IsInf(speedSigma, 1) {
		return nil, fmt.Errorf("%w: one-point initiator: speed sigma %v", ErrConfig, speedSigma)
	}
	return &OnePointInitiator{axes: axes, v: speedSigma * speedSigma}, nil
}

// Initiate implements Initiator.
func (o *OnePointInitiator) Initiate(states []kalman.State, meas []Measurement, ok []bool) {
	for i := range states {
		ok[i] = false
		if meas[i].Pos == nil {
			continue
		}
		st, err := onePoint(&o.x, &o.P, o.axes, meas[i].Pos, meas[i].PosCov, o.v)
		if err == nil {
			states[i], ok[i] = st, true
		}
	}
}

// onePoint returns the state of a track started from one position z with covariance
// R (m = len(z) axes measured) and velocity variance v per axis, built in x and P.
func onePoint(x *[kalman.MaxDim]float64, P *[kalman.MaxDim * kalman.MaxDim]float64, axes int, z, R []float64, v float64) (kalman.State, error) {
	*x, *P = [kalman.MaxDim]float64{}, [kalman.MaxDim * kalman.MaxDim]float64{}
	n, m := 2*axes, len(z)
	for i := 0; i < axes; i++ {
		P[(2*i+1)*n+2*i+1] = v
		if i < m {
			x[2*i] = z[i]
			for j := 0; j < m; j++ {
				P[(2*i)*n+2*j] = R[i*m+j]
			}
		} else {
			P[(2*i)*n+2*i] = 1e6 // unobserved axis: a wide prior
		}
	}
	return kalman.NewState(x[:n], P[:n*n])
}
