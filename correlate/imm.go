package correlate

import (
	"fmt"
	"math"

	"github.com/trackcorr/trackcorr/kalman"
)

// Filter selects the filter of the tracks.
type Filter uint8

const (
	// CV filters every track with one nearly-constant-velocity Kalman filter (KF for
	// position sensors, EKF for polar ones) with Config.Q (the default).
	CV Filter = iota
	// IMM filters every track with an interacting multiple model (kalman.IMM) over the
	// coordinated-turn layout [x, vx, y, vy, ω] (with Axes 3, [x, vx, y, vy, ω, z, vz]:
	// a horizontal turn, nearly-constant velocity vertically), configured by
	// Config.IMM. Gating, costs, the track logic, Output.Tracks' State and Cov and the
	// History use the combined (moment-matched) estimate without ω, in the CV layout
	// as for CV, so everything downstream is unchanged; Track.Modes gives the mode
	// probabilities.
	IMM
)

// ModeKind is the motion model of one IMM mode.
type ModeKind uint8

const (
	// Straight is nearly-constant velocity on the coordinated-turn layout
	// (kalman.CTConfig.ZeroRate): ω is predicted as 0 with variance QRate·Δt.
	Straight ModeKind = iota
	// Turn is the coordinated turn with the turn rate ω in the state, a random walk of
	// spectral density QRate (kalman.CT).
	Turn
)

// IMMMode is one mode of the IMM filter.
type IMMMode struct {
	// Kind is Straight or Turn.
	Kind ModeKind
	// Q is the white-acceleration spectral density on each horizontal axis (and, with
	// Axes 3, vertically), m²/s³. Zero means Config.Q.
	Q float64
	// QRate is the turn-rate spectral density, rad²/s³: the random walk of ω for Turn,
	// the variance per second of the ω predicted as 0 for Straight. Zero means 1e-4
	// for Turn and 0.02 for Straight (so that a Straight track's ω is loose enough for
	// the Turn mode to take up a turn within a few updates; tuned on the 5°/s turn of
	// TestIMMHoldsTurn).
	QRate float64
	// Prob is the mode's probability at a track's start, in [0, 1]. When every mode's
	// Prob is zero the modes start equally likely; otherwise they must sum to 1.
	Prob float64
}

// IMMConfig configures the IMM filter (Config.Filter = IMM). Zero fields mean the
// documented defaults.
type IMMConfig struct {
	// Modes are the IMM's modes, 1 to kalman.MaxModes (4) of them. Nil means
	// [{Kind: Straight}, {Kind: Turn}] with their default noise.
	Modes []IMMMode
	// Switch is the Markov mode-switching matrix, row-major M×M for M = len(Modes):
	// Switch[i·M + j] is the probability that a track in mode i at its last update is
	// in mode j at its next (one switch per update, whatever the time between). Each
	// row must sum to 1 (within 1e-9). Nil means 0.95 on the diagonal and the rest
	// spread evenly over the other modes: a mean sojourn of 20 updates per mode.
	Switch []float64
	// TurnRateSigma is the standard deviation of the turn rate of a new track, rad/s
	// (its mean is 0). Zero means 0.05 (about 2.9°/s).
	TurnRateSigma float64
}

const (
	defaultTurnQRate     = 1e-4
	defaultStraightQRate = 0.02
	defaultSwitchStay    = 0.95
	defaultTurnRateSigma = 0.05
)

// resolveIMM applies the IMM defaults and validates Filter and IMM. The slices are
// copied.
func (r *resolved) resolveIMM() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...)
	}
	if r.Filter > IMM {
		return bad("Filter %d", r.Filter)
	}
	if r.Filter != IMM {
		return nil
	}
	c := &r.IMM
	if c.Modes == nil {
		c.Modes = []IMMMode{{Kind: Straight}, {Kind: Turn}}
	} else {
		c.Modes = append([]IMMMode(nil), c.Modes...)
	}
	M := len(c.Modes)
	if M < 1 || M > kalman.MaxModes {
		return bad("IMM.Modes: %d modes, want 1..%d", M, kalman.MaxModes)
	}
	pos := func(v float64) bool { return v > 0 && !math.IsInf(v, 1) }
	sum, allZero := 0.0, true
	for j := range c.Modes {
		m := &c.Modes[j]
		if m.Kind > Turn {
			return bad("IMM.Modes[%d].Kind %d", j, m.Kind)
		}
		if m.Q == 0 {
			m.Q = r.Q
		}
		if m.QRate == 0 {
			m.QRate = defaultStraightQRate
			if m.Kind == Turn {
				m.QRate = defaultTurnQRate
			}
		}
		if !pos(m.Q) {
			return bad("IMM.Modes[%d].Q %v", j, m.Q)
		}
		if !pos(m.QRate) {
			return bad("IMM.Modes[%d].QRate %v", j, m.QRate)
		}
		if !(m.Prob >= 0 && m.Prob <= 1) {
			return bad("IMM.Modes[%d].Prob %v", j, m.Prob)
		}
		sum += m.Prob
		allZero = allZero && m.Prob == 0
	}
	if allZero {
		for j := range c.Modes {
			c.Modes[j].Prob = 1 / float64(M)
		}
	} else if math.Abs(sum-1) > 1e-9 {
		return bad("IMM.Modes: Prob sums to %v, want 1", sum)
	}
	if c.Switch == nil {
		c.Switch = make([]float64, M*M)
		for i := 0; i < M; i++ {
			for j := 0; j < M; j++ {
				switch {
				case M == 1:
					c.Switch[0] = 1
				case i == j:
					c.Switch[i*M+j] = defaultSwitchStay
				default:
					c.Switch[i*M+j] = (1 - defaultSwitchStay) / float64(M-1)
				}
			}
		}
	} else {
		c.Switch = append([]float64(nil), c.Switch...)
	}
	if len(c.Switch) != M*M {
		return bad("IMM.Switch has %d entries, want %d", len(c.Switch), M*M)
	}
	for i := 0; i < M; i++ {
		s := 0.0
		for j := 0; j < M; j++ {
			v := c.Switch[i*M+j]
			if !(v >= 0 && v <= 1) {
				return bad("IMM.Switch[%d] %v", i*M+j, v)
			}
			s += v
		}
		if math.Abs(s-1) > 1e-9 {
			return bad("IMM.Switch row %d sums to %v, want 1", i, s)
		}
	}
	if c.TurnRateSigma == 0 {
		c.TurnRateSigma = defaultTurnRateSigma
	}
	if !pos(c.TurnRateSigma) {
		return bad("IMM.TurnRateSigma %v", c.TurnRateSigma)
	}
	return nil
}

// immData is the tracker's IMM part (Filter = IMM): per-slot IMM estimates next to
// Tracker.post, which holds their combined estimate without ω.
type immData struct {
	nm    int             // number of modes, 0 for CV
	n     int             // IMM state dimension: 5 or 7
	idx   []int           // CV-layout component k is IMM component idx[k]
	pos   []int           // the IMM components of the position, one per axis
	omega int             // index of ω
	prob  []float64       // initial mode probabilities
	modes []kalman.Motion // the modes' motion models
	per   int             // packed values per slot, kalman.PackedLen(nm, n)
	st    []float64       // per slot, the IMM estimate packed by kalman.IMMState.Pack
	pred  []float64       // per slot, packed, its prediction to the batch time (predictGate)
	probs []float64       // per slot, its modes' probabilities (a copy from st, for the output)
}

// store packs est as slot's IMM estimate and copies its mode probabilities.
func (d *immData) store(slot int32, est *kalman.IMMState) {
	d.stored(slot, est.Pack(d.slot(slot)[:0]))
}

// stored copies the mode probabilities of slot's packed estimate b (each mode's block
// starts with it) after b was written.
func (d *immData) stored(slot int32, b []float64) {
	per := kalman.PackedLen(1, d.n)
	p := d.probs[int(slot)*d.nm : int(slot+1)*d.nm]
	for j := range p {
		p[j] = b[j*per]
	}
}

// slot returns slot's packed IMM estimate.
func (d *immData) slot(slot int32) []float64 {
	o := int(slot) * d.per
	return d.st[o : o+d.per : o+d.per]
}

// predSlot returns slot's packed prediction to the batch time.
func (d *immData) predSlot(slot int32) []float64 {
	o := int(slot) * d.per
	return d.pred[o : o+d.per : o+d.per]
}

// initIMM sets up the IMM part of a new tracker: the workers' filters and the sensors'
// measurement models on the coordinated-turn layout.
func (t *Tracker) initIMM() error {
	if t.cfg.Filter != IMM {
		return nil
	}
	c := &t.cfg.IMM
	d := &t.imm
	d.nm = len(c.Modes)
	vert := t.cfg.Axes == 3
	for _, m := range c.Modes {
		d.modes = append(d.modes, kalman.NewCT(kalman.CTConfig{Q: m.Q, QRate: m.QRate, Vertical: vert, QZ: m.Q, ZeroRate: m.Kind == Straight}))
		d.prob = append(d.prob, m.Prob)
	}
	layout := d.modes[0].(*kalman.CT).Layout()
	d.n, d.omega = layout.Dim, 4
	d.per = kalman.PackedLen(d.nm, d.n)
	d.idx = []int{0, 1, 2, 3, 5, 6}[:t.n]
	d.pos = []int{0, 2, 5}[:t.cfg.Axes]
	for i := range t.pool.workers {
		f, err := kalman.NewIMM(d.modes, c.Switch, kalman.Config{})
		if err != nil {
			return fmt.Errorf("%w: IMM: %v", ErrConfig, err)
		}
		t.pool.workers[i].imm = f
	}
	for i := range t.sensors {
		s := &t.sensors[i]
		p2 := [2]float64{s.Position[0], s.Position[1]}
		var h kalman.Measurement
		switch s.Kind {
		case Position2D, Position3D:
			h = kalman.NewPosition(d.n, []int{0, 2, 5}[:s.m], nil)
		case RangeBearing:
			h = kalman.NewRangeBearing(layout, p2, s.RangeRate)
		case RangeAzEl:
			h = kalman.NewRangeAzEl(layout, s.Position, s.RangeRate)
		case Bearing:
			h = kalman.NewBearing(layout, p2)
		}
		s.hIMM = h
	}
	return nil
}

// predict predicts slot's estimate dt seconds ahead into p, which holds slot's
// posterior (the CV-layout estimate): in place with the worker's KF for CV; for IMM
// from slot's IMM estimate (into the worker's scratch w.immS), p receiving the
// combined estimate without ω. On error p and the IMM scratch are not to be used.
func (t *Tracker) predict(w *worker, slot int32, p *kalman.State, dt float64) error {
	if w.imm == nil {
		return w.kf.Predict(p, dt)
	}
	return t.predictIMM(w, slot, p, dt)
}

// predictGate is predict for the gating of a batch (at Tracker.batchTime), from slot's
// posterior rather than from p (which it overwrites): under IMM the
// prediction is also kept, packed, for the batch's updates at the same time
// (predictUpdate), which then need not predict again, and p receives only the combined
// position (one component per axis: the gating reads nothing else), whose values are
// those of the full combination's position block.
func (t *Tracker) predictGate(w *worker, slot int32, p *kalman.State, dt float64) error {
	if w.imm == nil {
		// unpacked into the worker's PDA scratch (free during prediction), predicted
		// into p without the copy back of an in-place Predict
		t.loadPost(&w.hyp, slot)
		return w.kf.PredictTo(p, &w.hyp, dt)
	}
	if err := w.immS.Unpack(t.imm.slot(slot), t.imm.nm, t.imm.n); err != nil {
		return err
	}
	if err := w.imm.Predict(&w.immS, dt); err != nil {
		return err
	}
	w.immS.CombinedMarginal(p, t.imm.pos)
	w.immS.Pack(t.imm.predSlot(slot)[:0])
	return nil
}

// predictUpdate is predict for the update of slot, gated in the current batch, with a
// detection at time td (ns): under IMM the gating prediction is reused when td is the
// batch time (the same computation, so the same result), otherwise slot is predicted
// again. Under IMM p receives the combined prediction only where jobUpdate reads it
// (two-point differencing).
func (t *Tracker) predictUpdate(w *worker, slot int32, p *kalman.State, dt float64, td int64) error {
	if w.imm == nil {
		return w.kf.Predict(p, dt)
	}
	if td != t.batchTime {
		return t.predictIMM(w, slot, p, dt)
	}
	if err := w.immS.Unpack(t.imm.predSlot(slot), t.imm.nm, t.imm.n); err != nil {
		return err
	}
	if t.cfg.Initiation == TwoPoint && t.hits[slot] == 1 {
		// p is read only by two-point differencing (Tracker.difference); the IMM
		// update overwrites it
		t.combine(w, p)
	}
	return nil
}

// predictIMM predicts slot's stored IMM estimate dt seconds ahead into the worker's
// scratch w.immS and writes its combined estimate without ω into p.
func (t *Tracker) predictIMM(w *worker, slot int32, p *kalman.State, dt float64) error {
	if err := w.immS.Unpack(t.imm.slot(slot), t.imm.nm, t.imm.n); err != nil {
		return err
	}
	if err := w.imm.Predict(&w.immS, dt); err != nil {
		return err
	}
	t.combine(w, p)
	return nil
}

// combine writes the combined estimate of the worker's IMM scratch, without ω, into p.
func (t *Tracker) combine(w *worker, p *kalman.State) {
	w.immS.CombinedMarginal(p, t.imm.idx)
}

// updateIMM updates the worker's predicted IMM scratch (from predict) with measurement
// z of noise covariance R (row-major) from sensor s and writes the combined estimate
// into st. On error neither is to be used.
func (t *Tracker) updateIMM(w *worker, s *sensorInfo, z, R []float64, st *kalman.State) (kalman.Innovation, error) {
	inn, err := w.imm.Update(&w.immS, s.hIMM, z, R)
	if err != nil {
		return inn, err
	}
	t.combine(w, st)
	return inn, nil
}

// updateIMMPDA is updateIMM for a weighted set of detections (JPDA): the worker's
// predicted IMM scratch (from predictUpdate) is updated by kalman.IMM.ApplyPDA with the
// k = len(wts) measurements in z (k·m values, sensor s's model) of weights wts, their
// noise covariances all R (row-major m×m), and the combined estimate is written into st.
// On error neither is to be used; commit with commitIMM.
func (t *Tracker) updateIMMPDA(w *worker, s *sensorInfo, z, R, wts []float64, st *kalman.State) (kalman.Innovation, error) {
	if err := w.imm.PredictMeasurement(&w.immP, &w.immS, s.hIMM, R); err != nil {
		return kalman.Innovation{}, err
	}
	inn, err := w.imm.ApplyPDA(&w.immS, &w.immP, z, wts)
	if err != nil {
		return inn, err
	}
	t.combine(w, st)
	return inn, nil
}

// startIMM writes into the worker's IMM scratch a new IMM estimate whose every mode
// starts from st (a CV-layout estimate) with ω = 0 of standard deviation
// IMM.TurnRateSigma, uncorrelated, and the initial mode probabilities. It does nothing
// for CV.
func (t *Tracker) startIMM(w *worker, st *kalman.State) error {
	if w.imm == nil {
		return nil
	}
	d := &t.imm
	n, ni := t.n, d.n
	x, P := &w.initX, &w.initP
	*x, *P = [kalman.MaxDim]float64{}, [kalman.MaxDim * kalman.MaxDim]float64{}
	for a := 0; a < n; a++ {
		x[d.idx[a]] = st.MeanAt(a)
		for b := 0; b < n; b++ {
			P[d.idx[a]*ni+d.idx[b]] = st.CovAt(a, b)
		}
	}
	sw := t.cfg.IMM.TurnRateSigma
	P[d.omega*ni+d.omega] = sw * sw
	s, err := kalman.NewState(x[:ni], P[:ni*ni])
	if err != nil {
		return err
	}
	w.immS, err = kalman.NewIMMState(s, d.prob)
	return err
}

// packStartIMM writes into dst (t.imm.per values) the packed IMM estimate that startIMM
// followed by kalman.IMMState.Pack would write for st, without building the estimate:
// every mode starts from st with ω = 0 of variance IMM.TurnRateSigma², uncorrelated
// (positive definite whenever st is, so nothing needs checking again).
func (t *Tracker) packStartIMM(dst []float64, st *kalman.State) {
	d := &t.imm
	n, ni := t.n, d.n
	var x [kalman.MaxDim]float64
	var P [kalman.MaxDim][kalman.MaxDim]float64
	for a := 0; a < n; a++ {
		x[d.idx[a]] = st.MeanAt(a)
		for b := 0; b < n; b++ {
			P[d.idx[a]][d.idx[b]] = st.CovAt(a, b)
		}
	}
	sw := t.cfg.IMM.TurnRateSigma
	P[d.omega][d.omega] = sw * sw
	o := 0
	for j := 0; j < d.nm; j++ {
		dst[o] = d.prob[j]
		o++
		for a := 0; a < ni; a++ {
			dst[o+a] = x[a]
		}
		o += ni
		for a := 0; a < ni; a++ {
			for b := a; b < ni; b++ {
				dst[o] = P[a][b]
				o++
			}
		}
	}
}

// commitIMM stores the worker's IMM scratch as slot's IMM estimate (IMM only).
func (t *Tracker) commitIMM(w *worker, slot int32) {
	if w.imm != nil {
		t.imm.store(slot, &w.immS)
	}
}

// growIMM adds a slot to the IMM estimates (IMM only).
func (t *Tracker) growIMM() {
	if t.imm.nm > 0 {
		t.imm.st = append(t.imm.st, make([]float64, t.imm.per)...)
		t.imm.pred = append(t.imm.pred, make([]float64, t.imm.per)...)
		t.imm.probs = append(t.imm.probs, make([]float64, t.imm.nm)...)
	}
}

// emitModes writes slot's mode probabilities into dst (len(dst) = number of modes; none
// for CV), from their copy next to the packed estimate, which the output does not
// otherwise read.
func (t *Tracker) emitModes(dst []float64, slot int32) {
	if len(dst) == 0 {
		return
	}
	copy(dst, t.imm.probs[int(slot)*t.imm.nm:int(slot+1)*t.imm.nm])
}

// ModeState is one IMM mode of a track in a TrackerState.
type ModeState struct {
	// Prob is the mode's posterior probability.
	Prob float64
	// X and P are the mode-conditioned mean and row-major covariance, in the IMM's
	// coordinated-turn layout ([x, vx, y, vy, ω], or [x, vx, y, vy, ω, z, vz] with
	// Axes 3).
	X, P []float64
}

// snapshotSize is the number of float64 values the modes of one track take in a
// TrackerState.
func (d *immData) snapshotSize() int { return d.nm * (d.n + d.n*d.n) }

// stateModes appends slot's modes to ms, their values carved from fa by carve.
func (t *Tracker) stateModes(ms []ModeState, slot int, carve func(n int) []float64) []ModeState {
	d := &t.imm
	if d.nm == 0 {
		return ms
	}
	var s kalman.IMMState
	if err := s.Unpack(d.slot(int32(slot)), d.nm, d.n); err != nil {
		panic(fmt.Sprintf("correlate: slot %d: stored IMM estimate: %v", slot, err)) // written by Pack
	}
	for j := 0; j < d.nm; j++ {
		m := s.Mode(j)
		x := carve(d.n)
		m.Mean(x[:0])
		p := carve(d.n * d.n)
		m.Cov(p[:0])
		ms = append(ms, ModeState{Prob: s.Prob(j), X: x, P: p})
	}
	return ms
}

// restoreModes checks a restored track's modes against the Config and returns its IMM
// estimate.
func (t *Tracker) restoreModes(ts *TrackState) (kalman.IMMState, error) {
	d := &t.imm
	if len(ts.Modes) != d.nm {
		return kalman.IMMState{}, fmt.Errorf("%d IMM modes, the Config has %d", len(ts.Modes), d.nm)
	}
	if d.nm == 0 {
		return kalman.IMMState{}, nil
	}
	var st [kalman.MaxModes]kalman.State
	var prob [kalman.MaxModes]float64
	for j := range ts.Modes {
		m := &ts.Modes[j]
		if len(m.X) != d.n || len(m.P) != d.n*d.n {
			return kalman.IMMState{}, fmt.Errorf("IMM mode %d has %d and %d values, want %d and %d", j, len(m.X), len(m.P), d.n, d.n*d.n)
		}
		s, err := kalman.NewState(m.X, m.P)
		if err != nil {
			return kalman.IMMState{}, fmt.Errorf("IMM mode %d: %v", j, err)
		}
		st[j], prob[j] = s, m.Prob
	}
	return kalman.NewIMMStateModes(st[:d.nm], prob[:d.nm])
}

// predLen returns the length of a row's packed prediction in Tracker.ws.pred: the
// packed CV state (kalman.StatePackedLen), or 0 under IMM, which keeps its own.
func (t *Tracker) predLen() int {
	if t.cfg.Filter == IMM {
		return 0
	}
	return kalman.StatePackedLen(t.n)
}

// predictRow writes into st slot's prediction for an update at time td (ns), slot being
// gating row r of the current batch: under CV the row's packed gating prediction when
// td is the batch time (the same computation, so the same result), otherwise slot's
// posterior predicted (predictUpdate). On error st is not to be used.
func (t *Tracker) predictRow(w *worker, r, slot int32, st *kalman.State, td int64) error {
	if pl := t.predLen(); pl > 0 && td == t.batchTime {
		return st.Unpack(t.ws.pred[int(r)*pl:int(r+1)*pl], t.n)
	}
	t.loadPost(st, slot)
	return t.predictUpdate(w, slot, st, float64(td-t.lastNS[slot])*1e-9, td)
}
