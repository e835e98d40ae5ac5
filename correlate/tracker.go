package correlate

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/trackcorr/trackcorr/correlate/assign"
	"github.com/trackcorr/trackcorr/kalman"
	"github.com/trackcorr/trackcorr/spatial"
)

// Stats reports what one call of Process (or Flush) did.
type Stats struct {
	Scans       int // scans processed (0 when a scan was dropped or is held by Reorder)
	Detections  int // detections processed
	Batches     int // time sub-batches gated
	Gated       int // candidate (track, detection) pairs inside the gates
	Components  int // independent components (JPDA: clusters) of the association problems
	Approximate int // JPDA clusters solved by the k-best approximation
	Associated  int // detections associated with tracks
	Initiated   int // tracks started
	Confirmed   int // tracks confirmed
	Deleted     int // tracks deleted
	Rejected    int // associated detections whose update failed (counted as misses)
	Diverged    int // tracks whose prediction failed or whose covariance outgrew the limit
	Dropped     int // out-of-sequence scans dropped
	Unused      int // unassociated detections that cannot start a track (bearing-only)
	Pending     int // scans held by the Reorder buffer after the call
	Live        int // live tracks after the call

	// NIS is the sum of the normalised innovations squared (d² of the applied innovation,
	// with its own S) of the call's updates, and NISDoF the sum of their measurement
	// dimensions: NIS/NISDoF is near 1 for a consistent filter (χ²(NISDoF)/NISDoF).
	// Updates that start a track by two-point differencing are not counted.
	NIS    float64
	NISDoF int

	// Wall-clock time per stage, summed over the call's scans. Not deterministic.
	Predict, Gate, Associate, Update, Manage time.Duration
}

// Output receives the result of Process. Reuse one Output from call to call: its
// slices are reset and reused, so a steady-state Process allocates nothing.
type Output struct {
	// Tracks are the tracks that changed (updated, started, or whose status changed), in
	// a deterministic order. Their State, Cov and Detections point into the Output's
	// arena, valid until the next fill. A track appears once per processed scan that
	// changed it.
	Tracks []Track
	// Events are the status changes, in processing order.
	Events []Event
	// Stats are the call's statistics.
	Stats Stats

	// Track i's State, Cov and Modes are arena[i·per:(i+1)·per] (per = n + n² + modes),
	// its Detections ids[i:i+1] or none.
	arena []float64
	ids   []uint64
}

// Reset empties the Output, keeping its storage.
func (o *Output) Reset() {
	o.Tracks = o.Tracks[:0]
	o.Events = o.Events[:0]
	o.Stats = Stats{}
	o.arena = o.arena[:0]
	o.ids = o.ids[:0]
}

// fix points the slices of tracks [lo, hi) into the arena and the detection IDs again
// (n state components and nm mode probabilities per track), after these moved.
func (o *Output) fix(lo, hi, n, nm int) {
	for i := lo; i < hi; i++ {
		o.point(i, len(o.Tracks[i].Detections), n, nm)
	}
}

// point sets track i's slices: its place in the arena, and nid (0 or 1) detection IDs.
func (o *Output) point(i, nid, n, nm int) {
	k := &o.Tracks[i]
	x := i * (n + n*n + nm)
	k.State = o.arena[x : x+n : x+n]
	k.Cov = o.arena[x+n : x+n+n*n : x+n+n*n]
	if nm > 0 {
		m := x + n + n*n
		k.Modes = o.arena[m : m+nm : m+nm]
	}
	k.Detections = o.ids[i : i+nid : i+nid]
}

type sensorInfo struct {
	Sensor
	m       int // measurement dimension
	g       int // gating dimension: position (converted for polar kinds) or bearing
	h       kalman.Measurement
	hIMM    kalman.Measurement // h on the IMM layout (Filter IMM)
	polar   bool
	logPd   float64
	logMiss float64 // log(1 - Pd·P_G)
	logBeta float64 // log(clutter density + new-target density)
	logFA   float64 // log(clutter density)
	gamma   float64
}

// Tracker is a multi-sensor, multi-target tracker (global nearest neighbour). Build it
// with New, feed it scans with Process, read tracks from the Output or with Snapshot,
// and stop it with Close. A Tracker is not safe for concurrent use.
type Tracker struct {
	cfg     resolved
	n       int // state dimension
	motion  *kalman.CV
	kf      *kalman.KF // the caller's filter, for initiation checks
	pool    *pool
	sensors []sensorInfo
	gater   Gater
	assoc   Associator
	gnn     *GNN  // the built-in GNN associator, closed by Close
	jpda    *JPDA // the built-in JPDA associator, closed by Close
	tentGNN *GNN  // under JPDA with M-of-N or SPRT logic: the tentative tracks' GNN
	closed  bool

	started   bool
	watermark int64 // latest detection time processed, ns
	nextID    uint64
	tick      uint64

	// track slots, structure of arrays
	status   []Status
	id       []uint64
	lastNS   []int64 // time of the posterior, ns
	hitNS    []int64 // time of the last associated detection, ns (Config.DeleteAfter)
	post     []float64
	hits     []int32
	scans    []int32 // scans seen since creation, creation included
	score    []float64
	maxScore []float64 // running maximum of score (of exist under Logic Existence)
	exist    []float64 // Logic Existence: probability that the target exists
	touched  []uint64  // tick of the last update or creation
	created  []uint64  // tick of creation
	changed  []uint64  // tick of the last status change
	assocDet []uint64  // detection associated in the touched tick
	histT    []int64   // History entries per slot: times
	histX    []float64 // and means (n each)
	histLen  []int32   // entries stored
	histHead []int32   // index of the next entry to write
	free     []int32
	live     int
	imm      immData // Filter IMM: the tracks' IMM estimates
	stg      stages  // the user's stages and their scratch (staged.go)

	ws      workspace
	pending []pendingScan
	seq     uint64

	// the batch being processed, read by the workers
	batchTime        int64
	batchM           int
	batchDets        []Detection
	batchScan        Scan // a copy of the scan of jobValidate and jobKeys, and its sensor's index
	batchSensorIndex int
	batchConf        int // rows [0, batchConf) are not tentative (the first association pass)
	batchK0          int // and have pairs [0, batchK0)
	batchKeys        []detKey
	batchSensor      *sensorInfo
	batchG           int
	batchSharedR     bool // every detection of the batch has the same gating covariance
	emitOut          *Output
	emitBase         int
	dropped          int // scans dropped within the current call

	// the scan being managed, read by the workers
	manageEnd     int64
	managePartial bool
	manageSensor  *sensorInfo
}

type detKey struct {
	time int64
	id   uint64
	idx  int32
}

type workspace struct {
	keys     []detKey
	keys2    []detKey // mergeKeys' second buffer
	starts   []start  // the batch's new tracks, in order of creation
	runs     []int    // mergeKeys' sorted runs, as bounds
	rows     []int32  // gating row → slot
	tz       []float64
	tcov     []float64
	dz       []float64
	dcov     []float64
	pairs    []spatial.Pair
	prob     assign.Sparse
	w        []float64
	used     []bool // per batch column: associated
	kill     []bool // per slot: delete (diverged) at the end of the scan
	pdaMiss  []bool // per slot: PDA-updated in this scan, but more likely missed
	pda      []pdaItem
	colW     []float64 // per batch column: Σ of its association probabilities
	ok       []bool    // per gating row: prediction succeeded
	upd      []update
	newDet   []int32
	prow     []int32   // problem row → gating row
	gtc      []float64 // per gating row: the track part of the gating covariance
	pcost    []float64 // per gated pair: −log(P_D·N(z; ẑ, S))
	tcost    []float64 // the second (tentative) association pass's costs
	miss     []float64 // the miss costs of the tentative pass, or of both under existence
	prow1    []int32   // the tentative pass's rows (ws.prow then points here)
	iota     iotaBuf   // 0, 1, 2, …: the first pass's rows
	missC    constBuf  // a constant miss cost, and a constant new-track cost
	newC     constBuf
	tent     []int32   // scratch: the tentative rows, while the rows are listed
	logR     []float64 // Logic Existence: per gating row, the log of its predicted existence
	emit     []emitItem
	bvar     []float64 // bearing gating: per row, the predicted bearing's variance
	bz       []float64 // bearing gating: per row, the predicted bearing
	border   []int32   // bearing gating: batch columns sorted by bearing
	cand     []int32
	pred     []float64 // Filter CV: per gating row, its packed prediction (kalman.State.Pack)
	init     []float64 // per batch column, the packed state of a new track,
	initIMM  []float64 // under IMM its packed IMM estimate,
	initOK   []bool    // and whether it is valid
	col2     []col2    // 2-D position sensors: per batch column, what its update reads
	ucol     []col2    // and per update of ws.upd, its column's record (update2)
	spareBuf []pendingScan
}

// plain2 reports whether the sensor measures 2-D positions only (ws.col2 is filled).
func (s *sensorInfo) plain2() bool { return s.Kind == Position2D && s.m == 2 }

// col2 is what the update of a 2-D position detection reads, in one 64-byte record:
// the updates visit the columns in random order, and one cache line per column is
// cheaper than one in each of the keys, the positions and the covariances.
type col2 struct {
	time int64
	id   uint64
	z    [2]float64
	r    [4]float64
}

// update is one (gating row, batch column) association to apply.
type update struct {
	r, c int32
	logN float64 // log-likelihood of the pair in the gating space, for the score
	nis  float64 // squared Mahalanobis distance of the applied innovation, NaN if none
	m    int     // measurement dimension of nis
	ok   bool
}

type pendingScan struct {
	sensor   int
	scanTime int64
	min, max int64
	seq      uint64
	dets     []Detection
	partial  bool
}

// New returns a Tracker for cfg, or an error wrapping ErrConfig naming the bad field.
func New(cfg Config) (*Tracker, error) {
	r, err := cfg.resolve()
	if err != nil {
		return nil, err
	}
	t := &Tracker{cfg: r, n: 2 * r.Axes, nextID: 1}
	t.motion = kalman.NewCV(r.Axes, r.Q)
	if t.kf, err = kalman.NewKF(t.motion, kalman.Config{}); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	layout := t.motion.Layout()
	for _, s := range r.Sensors {
		m := s.Kind.Dim()
		if s.RangeRate {
			m++
		}
		g := s.Kind.gateDim()
		si := sensorInfo{Sensor: s, m: m, g: g, gamma: r.gamma[g], polar: s.Kind >= RangeBearing}
		p2 := [2]float64{s.Position[0], s.Position[1]}
		switch s.Kind {
		case Position2D, Position3D:
			si.h = kalman.NewPosition(t.n, []int{0, 2, 4}[:m], nil)
		case RangeBearing:
			si.h = kalman.NewRangeBearing(layout, p2, s.RangeRate)
		case RangeAzEl:
			si.h = kalman.NewRangeAzEl(layout, s.Position, s.RangeRate)
		case Bearing:
			si.h = kalman.NewBearing(layout, p2)
		}
		si.logPd = math.Log(s.Pd)
		si.logMiss = math.Log(1 - s.Pd*r.GateProbability)
		si.logBeta = math.Log(s.ClutterDensity + r.NewTargetDensity)
		si.logFA = math.Log(s.ClutterDensity)
		t.sensors = append(t.sensors, si)
	}
	if t.pool, err = newPool(r.Workers, t.motion, t.runJob); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if err := t.initIMM(); err != nil {
		return nil, err
	}
	if err := t.initStages(); err != nil {
		return nil, err
	}
	if r.Gater == nil {
		for i := range t.pool.workers {
			if t.pool.workers[i].gater, err = NewDefaultGater(r.GateProbability); err != nil {
				return nil, err
			}
		}
		if r.Workers > 1 {
			if t.pool.detIndex, err = newDetectionIndexes(r.GateProbability); err != nil {
				return nil, err
			}
		}
	}
	t.gater = r.Gater
	if t.gater == nil {
		if t.gater, err = NewDefaultGater(r.GateProbability); err != nil {
			return nil, err
		}
	}
	t.assoc = r.Associator
	if t.assoc == nil && r.Association == AssociateJPDA {
		jc := r.JPDA
		if jc.Workers == 0 {
			jc.Workers = r.Workers
		}
		if t.jpda, err = NewJPDA(jc); err != nil {
			return nil, err
		}
		t.assoc = t.jpda
		if r.Logic != Existence {
			if t.tentGNN, err = NewGNN(r.Workers); err != nil {
				t.jpda.Close()
				return nil, err
			}
		}
	} else if t.assoc == nil {
		if t.gnn, err = NewGNN(r.Workers); err != nil {
			return nil, err
		}
		t.assoc = t.gnn
	}
	t.pending = make([]pendingScan, 0, r.ReorderCapacity)
	return t, nil
}

// Close stops the tracker's goroutines. Process fails with ErrClosed afterwards. Close
// is idempotent.
func (t *Tracker) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	t.pool.close()
	if t.gnn != nil {
		return t.gnn.Close()
	}
	if t.tentGNN != nil {
		t.tentGNN.Close()
	}
	if t.jpda != nil {
		return t.jpda.Close()
	}
	return nil
}

// Reset deletes every track and held scan and forgets the time, keeping the Config and
// every buffer: the Tracker is as if new, without the allocations of a new one. No
// events are reported for the deleted tracks. Track IDs start again from 1.
func (t *Tracker) Reset() {
	for _, a := range [][]uint64{t.id, t.touched, t.created, t.changed, t.assocDet} {
		clear(a)
	}
	t.status = t.status[:0]
	t.id, t.lastNS, t.hitNS, t.post = t.id[:0], t.lastNS[:0], t.hitNS[:0], t.post[:0]
	t.hits, t.scans, t.score, t.maxScore = t.hits[:0], t.scans[:0], t.score[:0], t.maxScore[:0]
	t.exist, t.ws.pdaMiss = t.exist[:0], t.ws.pdaMiss[:0]
	t.touched, t.created, t.changed, t.assocDet = t.touched[:0], t.created[:0], t.changed[:0], t.assocDet[:0]
	t.ws.kill = t.ws.kill[:0]
	t.histT, t.histX, t.histLen, t.histHead = t.histT[:0], t.histX[:0], t.histLen[:0], t.histHead[:0]
	t.free = t.free[:0]
	t.imm.st, t.imm.pred, t.imm.probs = t.imm.st[:0], t.imm.pred[:0], t.imm.probs[:0]
	t.live = 0
	t.pending = t.pending[:0]
	t.started, t.watermark, t.nextID, t.tick, t.seq = false, 0, 1, 0, 0
}

// HistoryPoint is a past posterior state of a track.
type HistoryPoint struct {
	// Time is the time of the state in nanoseconds.
	Time int64
	// State is the posterior mean; the first StateDim() entries are meaningful.
	State [kalman.MaxDim]float64
}

// record stores slot's posterior at time td in its history ring.
func (t *Tracker) record(slot int32, td int64) {
	h := t.cfg.History
	if h == 0 {
		return
	}
	i := int(slot)*h + int(t.histHead[slot])
	t.histT[i] = td
	x := t.histX[i*t.n : (i+1)*t.n]
	for k := range x {
		x[k] = t.postMean(slot, k)
	}
	t.histHead[slot] = (t.histHead[slot] + 1) % int32(h)
	if t.histLen[slot] < int32(h) {
		t.histLen[slot]++
	}
}

// History appends to dst the stored past states of the live track id, oldest first (at
// most Config.History, the newest being its current posterior), and returns the
// extended slice and whether the track is live. It scans the track slots: O(slots).
func (t *Tracker) History(dst []HistoryPoint, id uint64) ([]HistoryPoint, bool) {
	for slot := range t.status {
		if t.id[slot] != id || t.status[slot] == 0 || t.status[slot] == Deleted {
			continue
		}
		h := t.cfg.History
		if h == 0 {
			return dst, true
		}
		n := int(t.histLen[slot])
		for j := 0; j < n; j++ {
			i := slot*h + (int(t.histHead[slot])-n+j+h)%h
			var p HistoryPoint
			p.Time = t.histT[i]
			copy(p.State[:], t.histX[i*t.n:(i+1)*t.n])
			dst = append(dst, p)
		}
		return dst, true
	}
	return dst, false
}

// Live returns the number of live (not deleted) tracks.
func (t *Tracker) Live() int { return t.live }

// StateDim returns the state dimension n of the tracks (4 or 6).
func (t *Tracker) StateDim() int { return t.n }

func (t *Tracker) sensorIndex(id uint32) int {
	for i := range t.sensors {
		if t.sensors[i].ID == id {
			return i
		}
	}
	return -1
}

// detTime returns the effective time of a detection.
func detTime(d *Detection, scanTime int64) int64 {
	if d.Time == 0 {
		return scanTime
	}
	return d.Time
}

// validate checks a whole scan without touching any state. It returns the sensor index
// and the scan's earliest and latest detection times.
func (t *Tracker) validate(sc *Scan) (si int, lo, hi int64, err error) {
	si = t.sensorIndex(sc.Sensor)
	if si < 0 {
		return -1, 0, 0, &ScanError{Sensor: sc.Sensor, Index: -1, Msg: "not registered", Err: ErrUnknownSensor}
	}
	m := t.sensors[si].m
	lo, hi = sc.Time, sc.Time
	// the checks, the time range and the canonical order are sharded over the
	// workers: each checks its detections (the first error in its shard), finds their
	// earliest and latest times and sorts their keys; the shards' sorted runs are
	// merged here
	nd := len(sc.Detections)
	t.batchScan, t.batchSensorIndex, t.batchM = *sc, si, m
	t.startShards(nd)
	t.pool.do(jobValidate, nd)
	t.batchScan = Scan{}
	first := true
	for i := range t.pool.workers {
		w := &t.pool.workers[i]
		if !w.ran {
			continue
		}
		if w.valErr != nil {
			return -1, 0, 0, w.valErr
		}
		if w.hi > w.lo {
			if first || w.tmin < lo {
				lo = w.tmin
			}
			if first || w.tmax > hi {
				hi = w.tmax
			}
			first = false
		}
	}
	keys := t.mergeKeys(nd)
	// duplicates: detections with the same (time, ID) would make the canonical order
	// ambiguous.
	for i := 1; i < len(keys); i++ {
		if keys[i].time == keys[i-1].time && keys[i].id == keys[i-1].id {
			d := &sc.Detections[keys[i].idx]
			return -1, 0, 0, &ScanError{Sensor: sc.Sensor, Detection: d.ID, Index: int(keys[i].idx), Msg: "same ID and time as another detection", Err: ErrDuplicate}
		}
	}
	return si, lo, hi, nil
}

// plainDetection reports whether detection d of sensor si (measurement dimension m)
// passes every check of checkDetection by a fast path: z and R finite, zero beyond m,
// R diagonal with positive variances (for which spd's Cholesky reduces to exactly that),
// and no polar-domain concern. When it returns false checkDetection decides, and names
// the first problem.
func (t *Tracker) plainDetection(d *Detection, m, si int) bool {
	return plainDetection(d, m, t.sensors[si].Kind)
}

// plainDetection is Tracker.plainDetection for a sensor of the given kind.
func plainDetection(d *Detection, m int, kind MeasurementKind) bool {
	if kind >= RangeBearing {
		return false
	}
	var rest uint64
	acc := 0.0
	if m == 2 {
		// unrolled: the 2-D position
		z, r := &d.Z, &d.R
		if !(r[0] > 0 && r[3] > 0) {
			return false
		}
		acc = z[0]*0 + z[1]*0 + r[0]*0 + r[3]*0 // NaN exactly when one is NaN or ±Inf
		rest = math.Float64bits(z[2]) | math.Float64bits(z[3]) | math.Float64bits(r[1]) | math.Float64bits(r[2])
		for _, v := range r[4:] {
			rest |= math.Float64bits(v)
		}
	} else {
		for k := 0; k < kalman.MaxMeas; k++ {
			if k < m {
				acc += d.Z[k] * 0
			} else {
				rest |= math.Float64bits(d.Z[k])
			}
		}
		for k := 0; k < kalman.MaxMeas*kalman.MaxMeas; k++ {
			v := d.R[k]
			if k < m*m && k%(m+1) == 0 {
				if !(v > 0) {
					return false
				}
				acc += v * 0
			} else {
				rest |= math.Float64bits(v)
			}
		}
	}
	// ±0 beyond m and off the diagonal: only the sign bit may be set
	return acc == 0 && rest&^(1<<63) == 0
}

// checkDetection validates detection i of scan sc (sensor si, measurement dimension m)
// and returns a *ScanError naming the first problem found, or nil.
func (t *Tracker) checkDetection(sc *Scan, i, m, si int) error {
	d := &sc.Detections[i]
	bad := func(e error, msg string) error {
		return &ScanError{Sensor: sc.Sensor, Detection: d.ID, Index: i, Msg: msg, Err: e}
	}
	for k := 0; k < kalman.MaxMeas; k++ {
		v := d.Z[k]
		if k >= m {
			if v != 0 {
				return bad(ErrDimension, fmt.Sprintf("z has %d components, want %d", k+1, m))
			}
			continue
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return bad(ErrNonFinite, "z")
		}
	}
	for k, v := range d.R {
		if k >= m*m {
			if v != 0 {
				return bad(ErrDimension, fmt.Sprintf("R has more than %d×%d entries", m, m))
			}
			continue
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return bad(ErrNonFinite, "R")
		}
	}
	if !spd(d.R[:m*m], m) {
		return bad(ErrNotPositiveDefinite, "R")
	}
	switch t.sensors[si].Kind {
	case RangeBearing, RangeAzEl:
		if !(d.Z[0] > 0) {
			return bad(ErrDomain, "range not positive")
		}
		if t.sensors[si].Kind == RangeAzEl && !(math.Abs(d.Z[2]) < math.Pi/2) {
			return bad(ErrDomain, "elevation outside (-π/2, π/2)")
		}
	}
	return nil
}

// cmpKey orders detections by (time, ID), then by index: the index only orders
// duplicates, which validate rejects, naming the later one.
func cmpKey(a, b detKey) int {
	if c := cmp.Compare(a.time, b.time); c != 0 {
		return c
	}
	if c := cmp.Compare(a.id, b.id); c != 0 {
		return c
	}
	return cmp.Compare(a.idx, b.idx)
}

// sortKeys fills the workspace with the scan's detections in canonical (time, ID) order
// (the workers sort their shards, merged by mergeKeys).
func (t *Tracker) sortKeys(sc *Scan) []detKey {
	t.batchScan = *sc
	t.startShards(len(sc.Detections))
	t.pool.do(jobKeys, len(sc.Detections))
	t.batchScan = Scan{}
	return t.mergeKeys(len(sc.Detections))
}

// startShards sizes ws.keys for n detections and marks the workers as not having
// run, before jobValidate or jobKeys.
func (t *Tracker) startShards(n int) {
	t.ws.keys = slices.Grow(t.ws.keys[:0], n)[:n]
	t.pool.unmark()
}

// shardKeys writes the keys of detections [lo, hi) of t.batchScan into ws.keys[lo:hi]
// sorted, and their earliest and latest times into w.
func (t *Tracker) shardKeys(w *worker, lo, hi int) {
	sc := &t.batchScan
	k := t.ws.keys[lo:hi]
	for i := range k {
		d := &sc.Detections[lo+i]
		tt := detTime(d, sc.Time)
		k[i] = detKey{time: tt, id: d.ID, idx: int32(lo + i)}
		if i == 0 || tt < w.tmin {
			w.tmin = tt
		}
		if i == 0 || tt > w.tmax {
			w.tmax = tt
		}
	}
	slices.SortFunc(k, cmpKey)
}

// mergeKeys merges the workers' sorted runs of ws.keys (n keys) into one sorted
// sequence and returns it. Runs already in order, as when a scan comes sorted, cost one
// comparison each.
func (t *Tracker) mergeKeys(n int) []detKey {
	ws := &t.ws
	keys := ws.keys[:n]
	// the runs' bounds, in order
	ws.runs = ws.runs[:0]
	for i := range t.pool.workers {
		if w := &t.pool.workers[i]; w.ran && w.hi > w.lo {
			if len(ws.runs) > 0 && cmpKey(keys[w.lo-1], keys[w.lo]) <= 0 {
				ws.runs[len(ws.runs)-1] = w.hi // continues the previous run
				continue
			}
			ws.runs = append(ws.runs, w.lo, w.hi)
		}
	}
	for len(ws.runs) > 2 {
		// merge neighbouring pairs of runs into ws.keys2, then swap the buffers
		ws.keys2 = slices.Grow(ws.keys2[:0], n)[:n]
		r := ws.runs
		k := 0
		for i := 0; i+1 < len(r); i += 4 {
			a, b := r[i], r[i+1]
			if i+3 < len(r) {
				c := r[i+3]
				mergeRuns(ws.keys2[a:c], keys[a:b], keys[b:c])
				r[k], r[k+1] = a, c
			} else {
				copy(ws.keys2[a:b], keys[a:b])
				r[k], r[k+1] = a, b
			}
			k += 2
		}
		ws.runs = r[:k]
		ws.keys, ws.keys2 = ws.keys2, ws.keys
		keys = ws.keys[:n]
	}
	return keys
}

// mergeRuns merges the sorted runs a and b into dst (len(a)+len(b) long).
func mergeRuns(dst, a, b []detKey) {
	i, j := 0, 0
	for k := range dst {
		if j == len(b) || (i < len(a) && cmpKey(a[i], b[j]) <= 0) {
			dst[k] = a[i]
			i++
		} else {
			dst[k] = b[j]
			j++
		}
	}
}

// spd reports whether the row-major m×m matrix a is symmetric (relative 1e-9) and
// positive definite (Cholesky).
func spd(a []float64, m int) bool {
	var l [kalman.MaxMeas][kalman.MaxMeas]float64
	for i := 0; i < m; i++ {
		for j := 0; j < i; j++ {
			aij, aji := a[i*m+j], a[j*m+i]
			if !(math.Abs(aij-aji) <= 1e-9*math.Sqrt(math.Abs(a[i*m+i]*a[j*m+j]))) {
				return false
			}
		}
	}
	for j := 0; j < m; j++ {
		s := a[j*m+j]
		for k := 0; k < j; k++ {
			s -= l[j][k] * l[j][k]
		}
		if !(s > 0) {
			return false
		}
		l[j][j] = math.Sqrt(s)
		for i := j + 1; i < m; i++ {
			v := a[i*m+j]
			for k := 0; k < j; k++ {
				v -= l[i][k] * l[j][k]
			}
			l[i][j] = v / l[j][j]
		}
	}
	return true
}

// Process ingests one scan and writes what changed into out (reset first). A scan
// with bad input returns an error wrapping ErrUnknownSensor, ErrNonFinite,
// ErrNotPositiveDefinite, ErrDimension, ErrDuplicate or (policy Reject) ErrOutOfOrder,
// as a *ScanError naming the sensor and detection, and leaves the tracker exactly as it
// was. Process does not modify or retain sc.
func (t *Tracker) Process(sc *Scan, out *Output) error {
	out.Reset()
	if t.closed {
		return ErrClosed
	}
	si, lo, hi, err := t.validate(sc)
	if err != nil {
		return err
	}
	late := t.started && lo < t.watermark
	switch t.cfg.OutOfOrder {
	case Reject:
		if late {
			return &ScanError{Sensor: sc.Sensor, Index: -1, Err: ErrOutOfOrder,
				Msg: fmt.Sprintf("earliest detection at %d ns, already processed up to %d ns", lo, t.watermark)}
		}
	case Drop:
		if late {
			out.Stats.Dropped++
			t.finish(out)
			return nil
		}
	case Reorder:
		if late {
			out.Stats.Dropped++
		} else {
			t.hold(sc, si, lo, hi)
		}
		t.release(out, false)
		t.finish(out)
		return nil
	}
	t.run(sc.Detections, sc.Time, sc.Partial, si, true, out)
	t.finish(out)
	return nil
}

// Flush processes every scan held by the Reorder policy, in time order.
func (t *Tracker) Flush(out *Output) error {
	out.Reset()
	if t.closed {
		return ErrClosed
	}
	t.release(out, true)
	t.finish(out)
	return nil
}

func (t *Tracker) finish(out *Output) {
	out.Stats.Pending = len(t.pending)
	out.Stats.Live = t.live
}

// hold copies a scan into the reorder buffer.
func (t *Tracker) hold(sc *Scan, si int, lo, hi int64) {
	var p *pendingScan
	if len(t.pending) < cap(t.pending) {
		t.pending = t.pending[:len(t.pending)+1]
	} else {
		t.pending = append(t.pending, pendingScan{})
	}
	p = &t.pending[len(t.pending)-1]
	p.sensor, p.scanTime, p.min, p.max, p.seq, p.partial = si, sc.Time, lo, hi, t.seq, sc.Partial
	t.seq++
	p.dets = append(p.dets[:0], sc.Detections...)
	// keep the buffer sorted by (earliest time, arrival)
	for i := len(t.pending) - 1; i > 0; i-- {
		a, b := &t.pending[i-1], &t.pending[i]
		if a.min < b.min || (a.min == b.min && a.seq < b.seq) {
			break
		}
		*a, *b = *b, *a
	}
}

// release processes the held scans that are due: all of them when all is set,
// otherwise those older than the newest held time minus MaxLag, and the oldest while the
// buffer is over capacity.
func (t *Tracker) release(out *Output, all bool) {
	var newest int64
	for i := range t.pending {
		if i == 0 || t.pending[i].max > newest {
			newest = t.pending[i].max
		}
	}
	n := 0
	for n < len(t.pending) {
		p := &t.pending[n]
		if !all && p.min > newest-t.cfg.maxLagNS && len(t.pending)-n <= t.cfg.ReorderCapacity {
			break
		}
		t.run(p.dets, p.scanTime, p.partial, p.sensor, false, out)
		n++
	}
	if n > 0 {
		// rotate processed entries to the end, keeping their detection buffers
		k := copy(t.ws.spare(n), t.pending[:n])
		copy(t.pending, t.pending[n:])
		copy(t.pending[len(t.pending)-n:], t.ws.spareBuf[:k])
		t.pending = t.pending[:len(t.pending)-n]
	}
}

func (w *workspace) spare(n int) []pendingScan {
	if cap(w.spareBuf) < n {
		w.spareBuf = make([]pendingScan, n)
	}
	w.spareBuf = w.spareBuf[:n]
	return w.spareBuf
}

// newSlot returns a free slot, growing the arrays when none is free.
func (t *Tracker) newSlot() int32 {
	if n := len(t.free); n > 0 {
		s := t.free[n-1]
		t.free = t.free[:n-1]
		return s
	}
	t.status = append(t.status, 0)
	t.id = append(t.id, 0)
	t.lastNS = append(t.lastNS, 0)
	t.hitNS = append(t.hitNS, 0)
	t.post = append(t.post, zeroPost[:t.postLen()]...)
	t.hits = append(t.hits, 0)
	t.scans = append(t.scans, 0)
	t.score = append(t.score, 0)
	t.maxScore = append(t.maxScore, 0)
	t.exist = append(t.exist, 0)
	t.ws.pdaMiss = append(t.ws.pdaMiss, false)
	t.touched = append(t.touched, 0)
	t.created = append(t.created, 0)
	t.changed = append(t.changed, 0)
	t.assocDet = append(t.assocDet, 0)
	t.ws.kill = append(t.ws.kill, false)
	t.growIMM()
	if h := t.cfg.History; h > 0 {
		t.histT = append(t.histT, make([]int64, h)...)
		t.histX = append(t.histX, make([]float64, h*t.n)...)
		t.histLen = append(t.histLen, 0)
		t.histHead = append(t.histHead, 0)
	}
	return int32(len(t.status) - 1)
}

// run processes one validated scan.
// sorted says that ws.keys already holds the scan's canonical order (from validate).
func (t *Tracker) run(dets []Detection, scanTime int64, partial bool, si int, sorted bool, out *Output) {
	sc := Scan{Sensor: t.sensors[si].ID, Time: scanTime, Detections: dets}
	keys := t.ws.keys
	if !sorted {
		keys = t.sortKeys(&sc)
	}
	t.tick++
	out.Stats.Scans++
	out.Stats.Detections += len(keys)
	end := scanTime
	if len(keys) > 0 {
		end = keys[len(keys)-1].time
	}
	if !t.started || end > t.watermark {
		t.watermark = end
	}
	t.started = true
	for a := 0; a < len(keys); {
		b := a + 1
		for b < len(keys) && keys[b].time-keys[a].time <= t.cfg.windowNS {
			b++
		}
		t.batch(dets, keys[a:b], si, out)
		out.Stats.Batches++
		a = b
	}
	t.manage(end, partial, si, out)
}

// batch gates, associates and updates one time sub-batch of a scan.
func (t *Tracker) batch(dets []Detection, keys []detKey, si int, out *Output) {
	s := &t.sensors[si]
	ws := &t.ws
	tb := keys[len(keys)-1].time
	// gm is the dimension of the predicted positions written for gating: the gating
	// dimension, or (x, y) for bearings
	gm := s.g
	if s.Kind == Bearing {
		gm = 2
	}

	// Predict every live track not yet updated in this scan to the batch time, from
	// its posterior (nothing is committed). The rows are the confirmed and coasting
	// tracks, then the tentative ones, each in slot order: the rows of the two
	// association passes, so that the first pass's problem is a prefix of the pairs.
	t0 := time.Now()
	ws.rows, ws.tent = ws.rows[:0], ws.tent[:0]
	for slot := range t.status {
		st := t.status[slot]
		if st == 0 || st == Deleted || t.touched[slot] == t.tick || ws.kill[slot] {
			continue
		}
		if st == Tentative {
			ws.tent = append(ws.tent, int32(slot))
			continue
		}
		ws.rows = append(ws.rows, int32(slot))
	}
	nconf := len(ws.rows)
	ws.rows = append(ws.rows, ws.tent...)
	nr := len(ws.rows)
	ws.ok = slices.Grow(ws.ok[:0], nr)[:nr]
	ws.tz = slices.Grow(ws.tz[:0], nr*gm)[:nr*gm]
	ws.tcov = slices.Grow(ws.tcov[:0], nr*gm*gm)[:nr*gm*gm]
	pl := t.predLen()
	ws.pred = slices.Grow(ws.pred[:0], nr*pl)[:nr*pl]
	t.batchTime, t.batchM, t.batchSensor = tb, gm, s
	if t.staged() {
		t.predictRowsStaged()
	}
	t.pool.claim(jobPredict, nr)
	// drop the rows whose prediction failed (rare), keeping the order
	k, kconf := 0, nconf
	for i := 0; i < nr; i++ {
		if !ws.ok[i] {
			ws.kill[ws.rows[i]] = true
			out.Stats.Diverged++
			if i < nconf {
				kconf--
			}
			continue
		}
		if k != i {
			ws.rows[k] = ws.rows[i]
			copy(ws.tz[k*gm:(k+1)*gm], ws.tz[i*gm:(i+1)*gm])
			copy(ws.tcov[k*gm*gm:(k+1)*gm*gm], ws.tcov[i*gm*gm:(i+1)*gm*gm])
			copy(ws.pred[k*pl:(k+1)*pl], ws.pred[i*pl:(i+1)*pl])
		}
		k++
	}
	ws.rows, ws.tz, ws.tcov, ws.pred = ws.rows[:k], ws.tz[:k*gm], ws.tcov[:k*gm*gm], ws.pred[:k*pl]
	t.batchConf = kconf
	g := s.g
	nk := len(keys)
	ws.dz = slices.Grow(ws.dz[:0], nk*g)[:nk*g]
	ws.dcov = slices.Grow(ws.dcov[:0], nk*g*g)[:nk*g*g]
	if s.plain2() {
		ws.col2 = slices.Grow(ws.col2[:0], nk)[:nk]
	}
	t.batchDets, t.batchKeys = dets, keys
	t.pool.unmark()
	t.pool.do(jobConvert, nk)
	t.batchDets, t.batchKeys = nil, nil
	t.batchSharedR = true
	for i := range t.pool.workers {
		if w := &t.pool.workers[i]; w.ran {
			t.batchSharedR = t.batchSharedR && w.sharedR && sameBits(ws.dcov[w.lo*g*g:(w.lo+1)*g*g], ws.dcov[:g*g])
		}
	}
	t1 := time.Now()
	out.Stats.Predict += t1.Sub(t0)

	// Gate.
	var err error
	ws.pairs = ws.pairs[:0]
	ws.gtc = ws.tcov
	if s.Kind == Bearing {
		t.gateBearing(s)
	} else if len(ws.rows) > 0 && t.cfg.Gater == nil {
		// the built-in gater: each worker gates a contiguous shard of the tracks with its
		// own spatial.Gater, against the detections indexed once by all the workers
		// (gateShared) or, for small batches, against every detection on its own; the
		// shards' pairs, each ordered by track then detection, are concatenated in shard
		// order, which is the order of one Gate over all tracks
		t.batchG = g
		var shared bool
		if shared, err = t.gateShared(g); !shared {
			t.pool.unmark()
			t.pool.do(jobGate, len(ws.rows))
			for i := range t.pool.workers {
				w := &t.pool.workers[i]
				if !w.ran {
					continue
				}
				if w.gateErr != nil {
					err = w.gateErr
				}
				for _, pr := range w.pairs {
					pr.Track += int32(w.lo)
					ws.pairs = append(ws.pairs, pr)
				}
			}
		}
		if err != nil {
			ws.pairs = ws.pairs[:0]
		}
	} else if len(ws.rows) > 0 {
		ws.pairs, err = t.gater.Gate(ws.pairs, g, spatial.Tracks{Z: ws.tz, Cov: ws.tcov}, t.gateDets(g))
		if err != nil {
			// Validated input cannot fail the built-in gater; a user stage may. Treat the
			// batch as ungated.
			ws.pairs = ws.pairs[:0]
		}
	}
	out.Stats.Gated += len(ws.pairs)
	t2 := time.Now()
	out.Stats.Gate += t2.Sub(t1)

	// Pair costs, sharded over the workers; under Logic Existence each row's predicted
	// existence once per row, not per pair.
	ws.logR = ws.logR[:0]
	if t.cfg.Logic == Existence {
		for _, slot := range ws.rows {
			ws.logR = append(ws.logR, t.logExist(slot))
		}
	}
	ws.pcost = slices.Grow(ws.pcost[:0], len(ws.pairs))[:len(ws.pairs)]
	// the first pass's problem (the rows before batchConf, every detection) is written
	// by the cost job: its columns and the offsets of its rows
	nc0 := t.batchConf
	k0, _ := slices.BinarySearchFunc(ws.pairs, nc0, func(p spatial.Pair, r int) int { return cmp.Compare(int(p.Track), r) })
	t.batchK0 = k0
	p0 := &ws.prob
	p0.Col = slices.Grow(p0.Col[:0], k0)[:k0]
	p0.Start = slices.Grow(p0.Start[:0], nc0+1)[:nc0+1]
	t.pool.claim(jobCost, len(ws.pairs))
	// the rows after the first pass's last pair
	r := 0
	if k0 > 0 {
		r = int(ws.pairs[k0-1].Track) + 1
	}
	for ; r <= nc0; r++ {
		p0.Start[r] = int32(k0)
	}

	// Associate in two passes, as in Stone Soup's composition of a tracker and a
	// multi-measurement initiator: first the confirmed (and coasting) tracks against
	// every detection, then the tentative tracks against the detections left. A
	// one-detection tentative track, with its wide velocity prior, would otherwise
	// compete on almost equal likelihood with an established track for its detection.
	nc := len(keys)
	ws.used = slices.Grow(ws.used[:0], nc)[:nc]
	clear(ws.used)
	var upd time.Duration
	for pass := 0; pass < 2; pass++ {
		upd += t.associate(pass == 1, dets, keys, s, out)
	}
	t3 := time.Now()
	out.Stats.Associate += t3.Sub(t2) - upd
	out.Stats.Update += upd

	// Start tentative tracks from the unassociated detections, in canonical order. Their
	// states are computed by the workers (jobInit, into ws.init and under IMM
	// ws.initIMM) and the slots taken in order here.
	il, iml := kalman.StatePackedLen(t.n), t.imm.per
	user := t.cfg.Initiator != nil
	if s.Kind != Bearing || user {
		ws.init = slices.Grow(ws.init[:0], nc*il)[:nc*il]
		ws.initIMM = slices.Grow(ws.initIMM[:0], nc*iml)[:nc*iml]
		ws.initOK = slices.Grow(ws.initOK[:0], nc)[:nc]
		if user {
			t.initStaged(dets, keys, s)
		} else {
			t.pool.claim(jobInit, nc)
		}
	}
	for c := 0; c < nc; c++ {
		if ws.used[c] {
			continue
		}
		if s.Kind == Bearing && !user {
			out.Stats.Unused++
			continue
		}
		if !ws.initOK[c] && s.Kind == Bearing {
			out.Stats.Unused++ // an Initiator's refusal of a bearing
			continue
		}
		if !ws.initOK[c] {
			out.Stats.Rejected++
			continue
		}
		t.newTrack(int32(c), keys[c].time, out)
	}
	// the new tracks' slots are written by the workers (each item its own slot)
	t.batchDets, t.batchKeys, t.batchSensor = dets, keys, s
	t.pool.claim(jobStart, len(ws.starts))
	t.batchDets, t.batchKeys = nil, nil
	ws.starts = ws.starts[:0]
	out.Stats.Manage += time.Since(t3)
}

// associate builds the tracking-form problem of the rows of one class (tentative or
// not) over the detections not used yet, solves it and applies the updates.
func (t *Tracker) associate(tentative bool, dets []Detection, keys []detKey, s *sensorInfo, out *Output) time.Duration {
	ws := &t.ws
	nc := len(keys)
	p := &ws.prob
	p.Cols = nc
	miss := func(r int) float64 {
		if t.cfg.Logic == Existence {
			return -math.Log1p(-s.Pd * t.cfg.GateProbability * math.Exp(ws.logR[r]))
		}
		return -s.logMiss
	}
	if !tentative {
		// the rows before batchConf against every detection: written by the cost job
		nc0, k0 := t.batchConf, t.batchK0
		p.Col, p.Cost, p.Start = p.Col[:k0], ws.pcost[:k0], p.Start[:nc0+1]
		// the rows are the gating rows themselves; without existence every miss cost
		// is the sensor's
		ws.prow = ws.iota.upTo(nc0)
		if t.cfg.Logic == Existence {
			p.Miss = ws.miss[:0]
			for r := 0; r < nc0; r++ {
				p.Miss = append(p.Miss, miss(r))
			}
			ws.miss = p.Miss
		} else {
			p.Miss = ws.missC.filled(nc0, -s.logMiss)
		}
	} else {
		// the tentative rows against the detections left
		p.Start = append(p.Start[:0], 0)
		p.Col, p.Cost, p.Miss = p.Col[:0], ws.tcost[:0], ws.miss[:0]
		ws.prow = ws.prow1[:0]
		k := t.batchK0
		for r := t.batchConf; r < len(ws.rows); r++ {
			lo := k
			for k < len(ws.pairs) && int(ws.pairs[k].Track) == r {
				k++
			}
			for q := lo; q < k; q++ {
				if c := ws.pairs[q].Det; !ws.used[c] {
					p.Col = append(p.Col, c)
					p.Cost = append(p.Cost, ws.pcost[q])
				}
			}
			p.Start = append(p.Start, int32(len(p.Col)))
			p.Miss = append(p.Miss, miss(r))
			ws.prow = append(ws.prow, int32(r))
		}
		ws.tcost, ws.miss, ws.prow1 = p.Cost, p.Miss, ws.prow
	}
	p.Rows = len(ws.prow)
	if len(p.Col) == 0 {
		return 0
	}
	p.New = ws.newC.filled(nc, -s.logBeta)
	assoc, soft := t.assoc, t.cfg.Association == AssociateJPDA
	if tentative && t.tentGNN != nil {
		// Stone Soup's composition: a JPDA tracker's initiator confirms its tentative
		// tracks by GNN
		assoc, soft = t.tentGNN, false
	}
	// a GNN's assignment is read directly, unless the probabilistic update reads its
	// weights; other associators give weights
	var rowCol []int32
	g, direct := assoc.(*GNN)
	direct = direct && !soft
	if direct {
		rowCol, _ = g.solve(p) // on an error (none on validated input) nothing is updated
	} else {
		ws.w = slices.Grow(ws.w[:0], len(p.Col))[:len(p.Col)]
		clear(ws.w)
		if err := assoc.Associate(ws.w, p); err != nil {
			clear(ws.w)
		}
	}
	switch {
	case assoc == t.gnn && t.gnn != nil:
		out.Stats.Components += t.gnn.Components
	case assoc == t.tentGNN:
		out.Stats.Components += t.tentGNN.Components
	case assoc == t.jpda && t.jpda != nil:
		out.Stats.Components += t.jpda.Clusters
		out.Stats.Approximate += t.jpda.Approximate
	}
	if soft {
		return t.applyPDA(dets, keys, s, out)
	}
	t0 := time.Now()

	// Update the associated tracks at each detection's own time, sharded over the
	// workers (each row and each slot is written by one item only).
	ws.upd = ws.upd[:0]
	// each row's pair: under a GNN its first candidate in its assigned column, otherwise
	// its first candidate of weight above 1/2, whose column is still unused
	for i := 0; i < p.Rows; i++ {
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			c := p.Col[k]
			var chosen bool
			if direct {
				chosen = c == rowCol[i]
			} else {
				chosen = ws.w[k] > 0.5
			}
			if chosen && !ws.used[c] {
				ws.used[c] = true
				ws.upd = append(ws.upd, update{r: ws.prow[i], c: c, logN: -p.Cost[k] - s.logPd})
				break
			}
		}
	}
	t.batchDets, t.batchKeys, t.batchSensor = dets, keys, s
	if t.staged() {
		t.updateStaged(dets, keys, s)
	} else {
		if s.plain2() {
			ws.ucol = slices.Grow(ws.ucol[:0], len(ws.upd))[:len(ws.upd)]
		}
		t.pool.claim(jobUpdate, len(ws.upd))
	}
	t.batchDets, t.batchKeys = nil, nil
	for _, u := range ws.upd {
		if u.ok {
			out.Stats.Associated++
			if !math.IsNaN(u.nis) {
				out.Stats.NIS += u.nis
				out.Stats.NISDoF += u.m
			}
		} else {
			ws.used[u.c] = false // the detection may start a track
			out.Stats.Rejected++
		}
	}
	return time.Since(t0)
}

// runJob runs a sharded stage over items [lo, hi) on worker w.
func (t *Tracker) runJob(j job, w *worker, lo, hi int) {
	ws := &t.ws
	switch j {
	case jobPredict:
		m, tb := t.batchM, t.batchTime
		if t.staged() {
			t.gateStaged(lo, hi)
			break
		}
		for i := lo; i < hi; i++ {
			slot := ws.rows[i]
			// the prediction lives in the worker's scratch; the gating data are kept, and
			// under CV the prediction itself, packed (112 bytes in 2-D instead of a
			// 728-byte kalman.State), for the batch's updates (under IMM predictGate
			// keeps it)
			p := &w.tmp
			ws.ok[i] = false
			if err := t.predictGate(w, slot, p, float64(tb-t.lastNS[slot])*1e-9); err != nil {
				continue
			}
			pl := t.predLen()
			if pl > 0 {
				p.Pack(ws.pred[i*pl : i*pl : (i+1)*pl])
			}
			// p's position components: every other one under CV, all under IMM
			// (predictGate)
			step := 2
			if w.imm != nil {
				step = 1
			}
			if t.cfg.MaxPositionVariance > 0 {
				v := 0.0
				for k := 0; k < t.cfg.Axes; k++ {
					v += p.CovAt(step*k, step*k)
				}
				if !(v <= t.cfg.MaxPositionVariance) {
					continue
				}
			}
			ws.ok[i] = true
			z := ws.tz[i*m : (i+1)*m]
			c := ws.tcov[i*m*m : (i+1)*m*m]
			if pl > 0 {
				gateFromPacked(z, c, ws.pred[i*pl:(i+1)*pl], t.n)
				continue
			}
			for a := 0; a < m; a++ {
				z[a] = p.MeanAt(step * a)
				for b := 0; b < m; b++ {
					c[a*m+b] = p.CovAt(step*a, step*b)
				}
			}
		}
	case jobGate:
		t.gateJob(w, lo, hi)
	case jobEmit:
		out, n := t.emitOut, t.n
		per := n + n*n + t.imm.nm
		for i := lo; i < hi; i++ {
			it, j := ws.emit[i], t.emitBase+i
			nid := 0
			if it.hit {
				out.ids[j] = t.assocDet[it.slot]
				nid = 1
			}
			x := j * per
			unpackTo(out.arena[x:x+n+n*n], t.postSlot(it.slot), n)
			t.emitModes(out.arena[x+n+n*n:x+per], it.slot)
			out.Tracks[j] = Track{ID: t.id[it.slot], Status: t.status[it.slot], Time: t.lastNS[it.slot], Score: t.score[it.slot], Hits: int(t.hits[it.slot]), Existence: t.exist[it.slot]}
			out.point(j, nid, n, t.imm.nm)
		}
	case jobCost:
		s := t.batchSensor
		m := s.g
		const log2pi = 1.8378770664093453
		lastR, ld := -1, 0.0
		for q := lo; q < hi; q++ {
			pr := ws.pairs[q]
			r, c := int(pr.Track), int(pr.Det)
			// the pairs come by track: with one R for the batch, log det S is the row's
			if !t.batchSharedR {
				ld = logDetSum(ws.gtc[r*m*m:(r+1)*m*m], ws.dcov[c*m*m:(c+1)*m*m], m)
			} else if r != lastR {
				// the shared R read where it is cached, not at a column taken at random
				ld = logDetSum(ws.gtc[r*m*m:(r+1)*m*m], ws.dcov[:m*m], m)
				lastR = r
			}
			cost := -s.logPd + 0.5*(pr.D2+ld+float64(m)*log2pi)
			if len(ws.logR) > 0 {
				cost -= ws.logR[r]
			}
			ws.pcost[q] = cost
			if q < t.batchK0 {
				// the first pass's problem: the column, and the offsets of the rows up
				// to this pair's (each row's by the worker holding its first pair)
				ws.prob.Col[q] = pr.Det
				prev := -1
				if q > 0 {
					prev = int(ws.pairs[q-1].Track)
				}
				for k := prev + 1; k <= r; k++ {
					ws.prob.Start[k] = int32(q)
				}
			}
		}
	case jobPDA:
		t.runPDA(w, lo, hi)
	case jobInit:
		s := t.batchSensor
		g, il, iml := s.g, kalman.StatePackedLen(t.n), t.imm.per
		for c := lo; c < hi; c++ {
			ws.initOK[c] = false
			if ws.used[c] {
				continue
			}
			// packed directly: kalman.NewState's validation costs more than the rest of
			// a track's start
			x := ws.init[c*il : (c+1)*il]
			z, R := ws.dz[c*g:(c+1)*g], ws.dcov[c*g*g:(c+1)*g*g]
			ws.initOK[c] = packOnePoint(x, t.cfg.Axes, z, R, t.initVar(s))
			if iml == 0 || !ws.initOK[c] {
				continue
			}
			if w.tmp.Unpack(x, t.n) != nil {
				ws.initOK[c] = false
				continue
			}
			t.packStartIMM(ws.initIMM[c*iml:(c+1)*iml], &w.tmp)
		}
	case jobStart:
		for i := lo; i < hi; i++ {
			t.startTrack(ws.starts[i])
		}
	case jobManage:
		t.manageSlots(w, lo, hi)
	case jobApply:
		t.applySlots(w, lo, hi)
	case jobValidate:
		// the checks (the first error of the shard), then the shard's keys
		sc, si, m := &t.batchScan, t.batchSensorIndex, t.batchM
		kind := t.sensors[si].Kind
		w.ran, w.lo, w.hi, w.valErr = true, lo, hi, nil
		for i := lo; i < hi; i++ {
			if !plainDetection(&sc.Detections[i], m, kind) {
				if err := t.checkDetection(sc, i, m, si); err != nil {
					w.valErr = err
					return
				}
			}
		}
		t.shardKeys(w, lo, hi)
	case jobKeys:
		w.ran, w.lo, w.hi = true, lo, hi
		t.shardKeys(w, lo, hi)
	case jobConvert:
		// the batch's detections in the gating space, in column order
		// and whether the shard's covariances are all the same (Tracker.batchSharedR),
		// compared while they are cached
		s := t.batchSensor
		g := s.g
		w.ran, w.lo, w.sharedR = lo < hi, lo, true
		if lo == hi {
			break
		}
		first := ws.dcov[lo*g*g : (lo+1)*g*g]
		for c := lo; c < hi; c++ {
			d := &t.batchDets[t.batchKeys[c].idx]
			z, r := ws.dz[c*g:(c+1)*g], ws.dcov[c*g*g:(c+1)*g*g]
			switch s.Kind {
			case RangeBearing, RangeAzEl:
				convert(z, r, s, d)
			default:
				for i := 0; i < g; i++ {
					z[i] = d.Z[i]
					for j := 0; j < g; j++ {
						r[i*g+j] = d.R[i*s.m+j]
					}
				}
				if s.plain2() {
					k := &t.batchKeys[c]
					ws.col2[c] = col2{time: k.time, id: k.id, z: [2]float64{z[0], z[1]}, r: [4]float64{r[0], r[1], r[2], r[3]}}
				}
			}
			if w.sharedR && c > lo {
				w.sharedR = sameBits(r, first)
			}
		}
	case jobUpdate:
		s := t.batchSensor
		m := s.m
		if s.plain2() && t.cfg.Initiation != TwoPoint {
			t.update2(w, lo, hi)
			break
		}
		for i := lo; i < hi; i++ {
			u := &ws.upd[i]
			slot := ws.rows[u.r]
			d := &t.batchDets[t.batchKeys[u.c].idx]
			td := t.batchKeys[u.c].time
			st := &w.tmp
			u.ok = false
			if err := t.predictRow(w, u.r, slot, st, td); err != nil {
				continue
			}
			var err error
			var inn kalman.Innovation
			u.nis, u.m = math.NaN(), m
			if t.cfg.Initiation == TwoPoint && t.hits[slot] == 1 && s.Kind != Bearing {
				if err = t.difference(w, slot, st, u.c, td); err == nil {
					err = t.startIMM(w, st)
				}
			} else if w.imm != nil {
				z, r := d.Z[:m], d.R[:m*m]
				if m == s.g && !s.polar {
					// as for the KF below: the batch's compact copies, in column order
					c := int(u.c)
					z, r = ws.dz[c*m:(c+1)*m], ws.dcov[c*m*m:(c+1)*m*m]
				}
				inn, err = t.updateIMM(w, s, z, r, st)
				u.nis = inn.D2
			} else if s.polar {
				// Update is PredictMeasurement then Apply in the filter's own workspace:
				// the same arithmetic without copying the 1.3 kB kalman.Predicted
				if inn, err = w.ekf.Update(st, s.h, d.Z[:m], d.R[:m*m]); err == nil {
					u.nis = inn.D2
				}
			} else if m == s.g {
				// a position sensor: z and R are the batch's copies, compact and in column
				// order, rather than the scan's detections, read in random order
				c := int(u.c)
				if inn, err = w.kf.Update(st, s.h, ws.dz[c*m:(c+1)*m], ws.dcov[c*m*m:(c+1)*m*m]); err == nil {
					u.nis = inn.D2
				}
			} else {
				if inn, err = w.kf.Update(st, s.h, d.Z[:m], d.R[:m*m]); err == nil {
					u.nis = inn.D2
				}
			}
			if err != nil {
				continue
			}
			u.ok = true
			t.commitIMM(w, slot)
			t.commitHit(slot, st, td, t.batchKeys[u.c].id, u.logN, s)
		}
	}
}

// sameBits reports whether a and b (len(b) ≥ len(a)) hold the same values, bit for bit.
func sameBits(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// gateFromPacked writes the gating data of a packed CV prediction x (kalman.State.Pack
// of dimension n): the predicted positions z (m = len(z) axes) and their m×m
// covariance c, the same values as MeanAt(2a) and CovAt(2a, 2b).
func gateFromPacked(z, c, x []float64, n int) {
	m := len(z)
	c = c[:m*m]
	for a := 0; a < m; a++ {
		z[a] = x[2*a]
		// row 2a of the upper triangle starts at n + Σ_{i<2a} (n − i)
		i := 2 * a
		row := n + i*n - i*(i-1)/2
		for b := a; b < m; b++ {
			v := x[row+2*b-i]
			c[a*m+b], c[b*m+a] = v, v
		}
	}
}

// update2 is jobUpdate's loop for a 2-D position sensor with one-point initiation
// (the default configuration), under CV or IMM, reading each column's data from
// ws.col2.
func (t *Tracker) update2(w *worker, lo, hi int) {
	ws := &t.ws
	s := t.batchSensor
	// the updates visit the columns in random order: gathering their records first, in
	// a loop of independent loads, overlaps the cache misses that the update loop
	// would take one at a time
	ucol := ws.ucol[lo:hi]
	for i := range ucol {
		ucol[i] = ws.col2[ws.upd[lo+i].c]
	}
	for i := lo; i < hi; i++ {
		u := &ws.upd[i]
		slot := ws.rows[u.r]
		cd := &ucol[i-lo]
		td := cd.time
		st := &w.tmp
		u.ok = false
		if err := t.predictRow(w, u.r, slot, st, td); err != nil {
			continue
		}
		u.nis, u.m = math.NaN(), 2
		var inn kalman.Innovation
		var err error
		if w.imm != nil {
			inn, err = t.updateIMM(w, s, cd.z[:], cd.r[:], st)
		} else {
			inn, err = w.kf.Update(st, s.h, cd.z[:], cd.r[:])
		}
		if err != nil {
			continue
		}
		u.nis = inn.D2
		u.ok = true
		if w.imm != nil {
			t.commitIMM(w, slot)
		}
		t.commitHit(slot, st, td, cd.id, u.logN, s)
	}
}

// commitHit commits the posterior st at time td of slot, updated with detection det
// of sensor s whose pair log-likelihood is logN.
func (t *Tracker) commitHit(slot int32, st *kalman.State, td int64, det uint64, logN float64, s *sensorInfo) {
	t.storePost(slot, st)
	t.record(slot, td)
	t.lastNS[slot], t.hitNS[slot] = td, td
	t.touched[slot] = t.tick
	t.assocDet[slot] = det
	t.hits[slot]++
	t.score[slot] += s.logPd + logN - s.logFA
}

func pair(r, c int32, d2 float64) spatial.Pair { return spatial.Pair{Track: r, Det: c, D2: d2} }

// difference starts slot's state by two-point differencing of its first detection
// (its posterior: position z₁, covariance R₁) and batch column c at time td (position
// z₂ and covariance R₂ in the gating space, converted for polar sensors), writing the
// result into st.
func (t *Tracker) difference(w *worker, slot int32, st *kalman.State, c int32, td int64) error {
	g := t.batchSensor.g
	n := t.n
	dt := float64(td-t.lastNS[slot]) * 1e-9
	if !(dt > 0) {
		return ErrNonFinite
	}
	z2 := t.ws.dz[int(c)*g : int(c+1)*g]
	R2 := t.ws.dcov[int(c)*g*g : int(c+1)*g*g]
	p1 := t.postSlot(slot)
	x, P := &w.initX, &w.initP
	*x, *P = [kalman.MaxDim]float64{}, [kalman.MaxDim * kalman.MaxDim]float64{}
	for a := 0; a < t.cfg.Axes; a++ {
		if a >= g {
			// an axis the sensor does not measure keeps its prediction
			x[2*a], x[2*a+1] = st.MeanAt(2*a), st.MeanAt(2*a+1)
			for k := 0; k < 2; k++ {
				for l := 0; l < 2; l++ {
					P[(2*a+k)*n+2*a+l] = st.CovAt(2*a+k, 2*a+l)
				}
			}
			continue
		}
		x[2*a] = z2[a]
		x[2*a+1] = (z2[a] - p1[2*a]) / dt
		for b := 0; b < g; b++ {
			r2, r1 := R2[a*g+b], packedAt(p1, n, 2*a, 2*b)
			P[(2*a)*n+2*b] = r2
			P[(2*a)*n+2*b+1] = r2 / dt
			P[(2*a+1)*n+2*b] = r2 / dt
			P[(2*a+1)*n+2*b+1] = (r1 + r2) / (dt * dt)
		}
	}
	s, err := kalman.NewState(x[:n], P[:n*n])
	if err != nil {
		return err
	}
	*st = s
	return nil
}

// logDetSum returns log det(A + B) for symmetric m×m A, B (m = 1, 2 or 3).
func logDetSum(a, b []float64, m int) float64 {
	if m == 1 {
		return math.Log(a[0] + b[0])
	}
	if m == 2 {
		s00, s01, s11 := a[0]+b[0], a[1]+b[1], a[3]+b[3]
		return math.Log(s00*s11 - s01*s01)
	}
	s00, s01, s02 := a[0]+b[0], a[1]+b[1], a[2]+b[2]
	s11, s12, s22 := a[4]+b[4], a[5]+b[5], a[8]+b[8]
	det := s00*(s11*s22-s12*s12) - s01*(s01*s22-s12*s02) + s02*(s01*s12-s11*s02)
	return math.Log(det)
}

// initVar is the velocity variance per axis of a track started by sensor s, m²/s².
func (t *Tracker) initVar(s *sensorInfo) float64 {
	if t.cfg.Initiation == TwoPoint {
		// the chi-square gate at the next scan then spans MaxSpeed·Δt
		return t.cfg.MaxSpeed * t.cfg.MaxSpeed / s.gamma
	}
	return t.cfg.InitSpeedSigma * t.cfg.InitSpeedSigma
}

// packOnePoint writes into dst (kalman.StatePackedLen(2·axes) values) the packed state
// of onePoint(z, R, v), without building a kalman.State: the same values (the position
// block is R symmetrized, as kalman.NewState stores it), and
// false where NewState would fail (z not finite, R not positive definite).
func packOnePoint(dst []float64, axes int, z, R []float64, v float64) bool {
	n, m := 2*axes, len(z)
	clear(dst)
	var sym [kalman.MaxMeas * kalman.MaxMeas]float64
	for i := 0; i < m; i++ {
		if math.IsNaN(z[i]) || math.IsInf(z[i], 0) {
			return false
		}
		dst[2*i] = z[i]
		for j := 0; j < m; j++ {
			sym[i*m+j] = 0.5 * (R[i*m+j] + R[j*m+i])
		}
	}
	if !spd(sym[:m*m], m) {
		return false
	}
	for i := 0; i < axes; i++ {
		dst[packedIndex(n, 2*i+1, 2*i+1)] = v
		if i >= m {
			dst[packedIndex(n, 2*i, 2*i)] = 1e6 // unobserved axis: a wide prior, as onePoint
			continue
		}
		for j := i; j < m; j++ {
			dst[packedIndex(n, 2*i, 2*j)] = sym[i*m+j]
		}
	}
	return true
}

// newTrack starts a tentative track at time td from the batch's column c: it takes the
// track's slot and ID and writes its event; jobStart (startTrack) then fills the slot.
func (t *Tracker) newTrack(c int32, td int64, out *Output) {
	slot := t.newSlot()
	t.ws.starts = append(t.ws.starts, start{c: c, slot: slot, id: t.nextID})
	t.live++
	out.Stats.Initiated++
	out.Events = append(out.Events, Event{Track: t.nextID, Status: Tentative, Time: td})
	t.nextID++
}

// startTrack writes new track it into its slot, from the batch's detection it.c
// (whose state jobInit packed into ws.init, and under IMM ws.initIMM).
func (t *Tracker) startTrack(it start) {
	ws, s := &t.ws, t.batchSensor
	slot, c := it.slot, int(it.c)
	td, il, iml := t.batchKeys[c].time, kalman.StatePackedLen(t.n), t.imm.per
	t.status[slot] = Tentative
	t.id[slot] = it.id
	t.lastNS[slot], t.hitNS[slot] = td, td
	copy(t.postSlot(slot), ws.init[c*il:(c+1)*il])
	if t.imm.nm > 0 {
		copy(t.imm.slot(slot), ws.initIMM[c*iml:(c+1)*iml])
		t.imm.stored(slot, t.imm.slot(slot))
	}
	if t.cfg.History > 0 {
		t.histLen[slot], t.histHead[slot] = 0, 0
	}
	t.record(slot, td)
	t.hits[slot] = 1
	t.scans[slot] = 1
	t.score[slot] = math.Log(t.cfg.NewTargetDensity / s.ClutterDensity)
	t.maxScore[slot] = t.score[slot]
	t.exist[slot] = 0
	if t.cfg.Logic == Existence {
		t.exist[slot] = t.cfg.NewTargetDensity / (t.cfg.NewTargetDensity + s.ClutterDensity)
		t.maxScore[slot] = t.exist[slot]
	}
	t.touched[slot] = t.tick
	t.created[slot] = t.tick
	t.changed[slot] = t.tick
	t.assocDet[slot] = t.batchKeys[c].id
	ws.kill[slot] = false
}

// manage runs the track logic after a scan at time end (ns) and writes the changed
// tracks into out. The slots are sharded over the workers (manageSlots); their
// events, output items and freed slots are concatenated in shard order, which is slot
// order, as one pass over the slots would give.
func (t *Tracker) manage(end int64, partial bool, si int, out *Output) {
	t0 := time.Now()
	t.manageEnd, t.managePartial, t.manageSensor = end, partial, &t.sensors[si]
	for i := range t.pool.workers {
		w := &t.pool.workers[i]
		w.ran = false
		w.mEvents, w.mEmit, w.mFree = w.mEvents[:0], w.mEmit[:0], w.mFree[:0]
		w.mDiverged, w.mConfirmed, w.mDeleted = 0, 0, 0
	}
	if t.staged() && t.cfg.MaxPositionVariance > 0 {
		t.varOKStaged(end)
	}
	if t.cfg.Deleter != nil {
		// the logic's decisions, the Deleter's, then their application
		g := &t.stg
		g.next = slices.Grow(g.next[:0], len(t.status))[:len(t.status)]
		g.hit = slices.Grow(g.hit[:0], len(t.status))[:len(t.status)]
		t.pool.do(jobManage, len(t.status))
		t.runDeleter()
		t.pool.do(jobApply, len(t.status))
	} else {
		t.pool.do(jobManage, len(t.status))
	}
	for i := range t.pool.workers {
		w := &t.pool.workers[i]
		if !w.ran {
			continue
		}
		out.Events = append(out.Events, w.mEvents...)
		t.ws.emit = append(t.ws.emit, w.mEmit...)
		t.free = append(t.free, w.mFree...)
		t.live -= len(w.mFree)
		out.Stats.Diverged += w.mDiverged
		out.Stats.Confirmed += w.mConfirmed
		out.Stats.Deleted += w.mDeleted
	}
	t.emitAll(out)
	out.Stats.Manage += time.Since(t0)
}

// manageSlots is manage's pass over slots [lo, hi) on worker w.
func (t *Tracker) manageSlots(w *worker, lo, hi int) {
	w.ran = true
	for slot := lo; slot < hi; slot++ {
		st := t.status[slot]
		if st == 0 || st == Deleted {
			continue
		}
		next, hit := t.decide(w, slot, st)
		if t.cfg.Deleter != nil {
			t.stg.next[slot], t.stg.hit[slot] = next, hit
			continue
		}
		t.apply(w, slot, st, next, hit)
	}
}

// applySlots applies the decisions of the track logic and the Deleter (stg.next,
// stg.hit) to slots [lo, hi) on worker w.
func (t *Tracker) applySlots(w *worker, lo, hi int) {
	w.ran = true
	for slot := lo; slot < hi; slot++ {
		if st := t.status[slot]; st != 0 && st != Deleted {
			t.apply(w, slot, st, t.stg.next[slot], t.stg.hit[slot])
		}
	}
}

// decide runs the track logic of live slot (status st) after a scan and returns the
// slot's next status and whether the scan hit it.
func (t *Tracker) decide(w *worker, slot int, st Status) (Status, bool) {
	end, partial, s := t.manageEnd, t.managePartial, t.manageSensor
	cfg := &t.cfg
	processed := t.touched[slot] == t.tick
	hit := processed && !t.ws.pdaMiss[slot]
	t.ws.pdaMiss[slot] = false
	isNew := t.created[slot] == t.tick
	next := st
	if !isNew && (processed || !partial) {
		t.scans[slot]++
		if !hit {
			t.score[slot] += s.logMiss
		}
		if cfg.Logic == Existence && !processed {
			t.exist[slot] = existAfterMiss(cfg.Survival*t.exist[slot], s.Pd*cfg.GateProbability)
		}
		if cfg.Logic == Existence {
			t.maxScore[slot] = math.Max(t.maxScore[slot], t.exist[slot])
		} else {
			t.maxScore[slot] = math.Max(t.maxScore[slot], t.score[slot])
		}
		switch st {
		case Tentative:
			if cfg.Logic == MofN {
				misses := t.scans[slot] - t.hits[slot]
				if int(t.hits[slot]) >= cfg.ConfirmM && int(t.scans[slot]) <= cfg.ConfirmN {
					next = Confirmed
				} else if int(misses) > cfg.ConfirmN-cfg.ConfirmM || int(t.scans[slot]) >= cfg.ConfirmN {
					next = Deleted
				}
			} else if cfg.Logic == SPRT {
				if t.score[slot] >= cfg.logConfirm {
					next = Confirmed
				} else if t.score[slot] <= cfg.logDelete {
					next = Deleted
				}
			} else {
				if t.exist[slot] >= cfg.ConfirmExistence {
					next = Confirmed
				} else if t.exist[slot] <= cfg.DeleteExistence*t.maxScore[slot] {
					next = Deleted
				}
			}
		case Confirmed, Coasting:
			if hit {
				next = Confirmed
			} else {
				next = Coasting
			}
			if cfg.Logic == SPRT && t.score[slot]-t.maxScore[slot] <= cfg.logDelete {
				next = Deleted
			}
			if cfg.Logic == Existence && t.exist[slot] <= cfg.DeleteExistence*t.maxScore[slot] {
				next = Deleted
			}
		}
	}
	if !hit && cfg.MaxPositionVariance > 0 && !t.ws.kill[slot] && !t.posVarOK(w, int32(slot), end) {
		t.ws.kill[slot] = true
		w.mDiverged++
	}
	if end-t.hitNS[slot] > cfg.deleteNS || t.ws.kill[slot] {
		next = Deleted
	}
	return next, hit
}

// apply moves slot from status st to next (hit: the scan hit it), recording the
// event, the output item and the freed slot in worker w.
func (t *Tracker) apply(w *worker, slot int, st, next Status, hit bool) {
	if next != st {
		t.status[slot] = next
		t.changed[slot] = t.tick
		w.mEvents = append(w.mEvents, Event{Track: t.id[slot], Status: next, Time: t.manageEnd})
		switch next {
		case Confirmed:
			if st == Tentative {
				w.mConfirmed++
			}
		case Deleted:
			w.mDeleted++
		}
	}
	if hit || next != st {
		w.mEmit = append(w.mEmit, emitItem{slot: int32(slot), hit: hit})
	}
	if next == Deleted {
		t.ws.kill[slot] = false
		w.mFree = append(w.mFree, int32(slot))
	}
}

// posVarOK reports whether slot's position variance predicted to time end (by worker w)
// is within Config.MaxPositionVariance.
func (t *Tracker) posVarOK(w *worker, slot int32, end int64) bool {
	if t.staged() {
		return t.stg.varOK[slot]
	}
	p := &w.tmp
	t.loadPost(p, slot)
	if err := t.predict(w, slot, p, float64(end-t.lastNS[slot])*1e-9); err != nil {
		return false
	}
	v := 0.0
	for k := 0; k < t.cfg.Axes; k++ {
		v += p.CovAt(2*k, 2*k)
	}
	return v <= t.cfg.MaxPositionVariance
}

// iotaBuf holds 0, 1, 2, … as far as it was asked for.
type iotaBuf []int32

// upTo returns 0, …, n−1 (read-only).
func (b *iotaBuf) upTo(n int) []int32 {
	for len(*b) < n {
		*b = append(*b, int32(len(*b)))
	}
	return (*b)[:n]
}

// constBuf holds one value repeated.
type constBuf struct {
	v    float64
	vals []float64
}

// filled returns n copies of v (read-only), refilling only when v changes.
func (b *constBuf) filled(n int, v float64) []float64 {
	if math.Float64bits(v) != math.Float64bits(b.v) {
		b.v, b.vals = v, b.vals[:0]
	}
	for len(b.vals) < n {
		b.vals = append(b.vals, v)
	}
	return b.vals[:n]
}

// start is a new track: the batch's column it starts from, its slot and its ID.
type start struct {
	c, slot int32
	id      uint64
}

// emitItem is a track to write into the Output.
type emitItem struct {
	slot int32
	hit  bool
}

// emitAll appends the tracks of ws.emit to out: the arena is reserved serially, and
// the tracks, their states and their slices are written by the workers. When the arena
// or the detection IDs had to move, the slices of the tracks already in out (from an
// earlier scan of the same call, under Reorder) are pointed at the new storage.
func (t *Tracker) emitAll(out *Output) {
	items := t.ws.emit
	n := t.n
	per := n + n*n + t.imm.nm
	base, k := len(out.Tracks), len(items)
	arenaCap, idsCap := cap(out.arena), cap(out.ids)
	out.Tracks = slices.Grow(out.Tracks, k)[:base+k]
	// per track its values and one detection ID place (written only for a track
	// updated), so that every track's place follows from its index
	out.arena = slices.Grow(out.arena, k*per)[:(base+k)*per]
	out.ids = slices.Grow(out.ids, k)[:base+k]
	if base > 0 && (cap(out.arena) != arenaCap || cap(out.ids) != idsCap) {
		out.fix(0, base, n, t.imm.nm)
	}
	t.emitOut, t.emitBase = out, base
	t.pool.claim(jobEmit, k)
	t.emitOut = nil
	t.ws.emit = t.ws.emit[:0]
}

// Snapshot writes every live track into out (reset first), in slot order, with no
// events and no associated detections.
func (t *Tracker) Snapshot(out *Output) {
	out.Reset()
	t.ws.emit = t.ws.emit[:0]
	for slot := range t.status {
		if st := t.status[slot]; st != 0 && st != Deleted {
			t.ws.emit = append(t.ws.emit, emitItem{slot: int32(slot)})
		}
	}
	t.emitAll(out)
	out.Stats.Live = t.live
	out.Stats.Pending = len(t.pending)
}
