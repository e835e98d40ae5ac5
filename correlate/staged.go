package correlate

import (
	"math"
	"slices"

	"github.com/trackcorr/trackcorr/kalman"
)

// The staged path runs the user's stages (Config.Predictor, Updater, Initiator,
// Deleter) on the caller's goroutine, one call per stage and group of items, with the
// tracker's own work around them unchanged: the user's predictions of a batch are
// packed into the rows' gating predictions (Tracker.ws.pred), from which gating,
// association and the updates at the batch time proceed as on the built-in path.
// With the built-in stages plugged in explicitly (KalmanPredictor, KalmanUpdater,
// OnePointInitiator) it computes what the built-in path computes
// (TestStagesBuiltInEquivalent).

// stages holds the staged path's stages and scratch. pred and upd are nil on the
// built-in path.
type stages struct {
	pred Predictor
	upd  Updater

	st    []kalman.State // the items' states
	sub   []kalman.State // a gathered subset of them, passed to a stage
	dt    []float64
	ok    []bool
	d2    []float64
	meas  []Measurement
	idx   []int32 // the subset's items
	good  []bool  // per item: every stage so far succeeded
	rowOK []bool  // per gating row: the staged prediction succeeded
	varOK []bool  // per slot: Config.MaxPositionVariance holds (staged prediction)
	hyp   []hypothesis

	// Deleter: per slot the logic's decision, and the call's arguments
	next   []Status
	hit    []bool
	tracks []Track
	del    []bool
	dslot  []int32
	arena  []float64
}

// hypothesis is one PDA hypothesis of the staged path: candidate k of pda item it.
type hypothesis struct {
	it, k int32
	td    int64
	two   bool // two-point differencing instead of an update
}

// staged reports whether predictions and updates take the staged path.
func (t *Tracker) staged() bool { return t.stg.pred != nil }

// initStages sets up the staged path's stages from the resolved configuration.
func (t *Tracker) initStages() error {
	r := &t.cfg
	if r.Predictor == nil && r.Updater == nil {
		return nil
	}
	t.stg.pred, t.stg.upd = r.Predictor, r.Updater
	var err error
	if t.stg.pred == nil {
		if t.stg.pred, err = NewKalmanPredictor(t.motion, kalman.Config{}); err != nil {
			return err
		}
	}
	if t.stg.upd == nil {
		if t.stg.upd, err = NewKalmanUpdater(t.motion, kalman.Config{}); err != nil {
			return err
		}
	}
	return nil
}

// items sizes the per-item scratch for k items and returns the states.
func (g *stages) items(k int) []kalman.State {
	g.st = slices.Grow(g.st[:0], k)[:k]
	g.good = slices.Grow(g.good[:0], k)[:k]
	for i := range g.good {
		g.good[i] = true
	}
	return g.st
}

// gather sizes the subset scratch for k items.
func (g *stages) gather(k int) {
	g.sub = slices.Grow(g.sub[:0], k)[:k]
	g.dt = slices.Grow(g.dt[:0], k)[:k]
	g.ok = slices.Grow(g.ok[:0], k)[:k]
	g.d2 = slices.Grow(g.d2[:0], k)[:k]
	g.meas = slices.Grow(g.meas[:0], k)[:k]
}

// predictSubset predicts the states of the items in g.idx by g.dt (filled by the
// caller, one per item of g.idx) with one Predict call, and clears g.good of the items
// that failed. n is the tracker's state dimension.
func (g *stages) predictSubset(n int) {
	k := len(g.idx)
	if k == 0 {
		return
	}
	g.sub, g.ok = slices.Grow(g.sub[:0], k)[:k], slices.Grow(g.ok[:0], k)[:k]
	for a, i := range g.idx {
		g.sub[a] = g.st[i]
	}
	g.pred.Predict(g.sub, g.dt[:k], g.ok)
	for a, i := range g.idx {
		if g.ok[a] && g.sub[a].Dim() == n {
			g.st[i] = g.sub[a]
		} else {
			g.good[i] = false
		}
	}
}

// updateSubset updates the states of the items in g.idx with g.meas (one per item of
// g.idx) with one Update call, clears g.good of the items that failed and leaves each
// item's d² in g.d2 (by position in g.idx).
func (g *stages) updateSubset(n int) {
	k := len(g.idx)
	if k == 0 {
		return
	}
	g.sub, g.ok = slices.Grow(g.sub[:0], k)[:k], slices.Grow(g.ok[:0], k)[:k]
	g.d2 = slices.Grow(g.d2[:0], k)[:k]
	for a, i := range g.idx {
		g.sub[a] = g.st[i]
		g.d2[a] = math.NaN()
	}
	g.upd.Update(g.sub, g.meas[:k], g.ok, g.d2)
	for a, i := range g.idx {
		if g.ok[a] && g.sub[a].Dim() == n {
			g.st[i] = g.sub[a]
		} else {
			g.good[i] = false
		}
	}
}

// measurement writes into dst batch column c of the current batch as a stage sees it.
func (t *Tracker) measurement(dst *Measurement, c int32, dets []Detection, keys []detKey, s *sensorInfo) {
	d := &dets[keys[c].idx]
	m, g := s.m, s.g
	*dst = Measurement{Detection: d, Time: keys[c].time, Sensor: &s.Sensor, Model: s.h, Z: d.Z[:m], R: d.R[:m*m]}
	if s.Kind != Bearing {
		dst.Pos = t.ws.dz[int(c)*g : int(c+1)*g]
		dst.PosCov = t.ws.dcov[int(c)*g*g : int(c+1)*g*g]
	}
}

// predictRowsStaged predicts every gating row of the batch to the batch time with the
// Predictor, packing the predictions into ws.pred and their success into stg.rowOK;
// jobPredict then derives the gating data from them.
func (t *Tracker) predictRowsStaged() {
	g, ws := &t.stg, &t.ws
	nr, pl, tb := len(ws.rows), t.predLen(), t.batchTime
	st := g.items(nr)
	g.idx = g.idx[:0]
	g.gather(nr)
	for i, slot := range ws.rows {
		t.loadPost(&st[i], slot)
		g.idx = append(g.idx, int32(i))
		g.dt[i] = float64(tb-t.lastNS[slot]) * 1e-9
	}
	g.predictSubset(t.n)
	g.rowOK = slices.Grow(g.rowOK[:0], nr)[:nr]
	for i := range nr {
		g.rowOK[i] = g.good[i]
		if g.good[i] {
			st[i].Pack(ws.pred[i*pl : i*pl : (i+1)*pl])
		}
	}
}

// updateStaged applies the GNN updates ws.upd with the staged path's stages: the
// rows' gating predictions where a detection is at the batch time, one Predict call
// for the others, one Update call (two-point differencing on a track's second
// detection, as on the built-in path), then the commits.
func (t *Tracker) updateStaged(dets []Detection, keys []detKey, s *sensorInfo) {
	g, ws := &t.stg, &t.ws
	n, pl, tb := t.n, t.predLen(), t.batchTime
	nu := len(ws.upd)
	st := g.items(nu)
	g.gather(nu)
	g.idx = g.idx[:0]
	for i := range ws.upd {
		u := &ws.upd[i]
		u.ok, u.nis, u.m = false, math.NaN(), s.m
		slot, td := ws.rows[u.r], keys[u.c].time
		if td == tb {
			if st[i].Unpack(ws.pred[int(u.r)*pl:int(u.r+1)*pl], n) != nil {
				g.good[i] = false
			}
			continue
		}
		t.loadPost(&st[i], slot)
		g.dt[len(g.idx)] = float64(td-t.lastNS[slot]) * 1e-9
		g.idx = append(g.idx, int32(i))
	}
	g.predictSubset(n)
	w := &t.pool.workers[0]
	g.idx = g.idx[:0]
	for i := range ws.upd {
		u := &ws.upd[i]
		if !g.good[i] {
			continue
		}
		slot := ws.rows[u.r]
		if t.cfg.Initiation == TwoPoint && t.hits[slot] == 1 && s.Kind != Bearing {
			if t.difference(w, slot, &st[i], u.c, keys[u.c].time) != nil {
				g.good[i] = false
			}
			continue
		}
		t.measurement(&g.meas[len(g.idx)], u.c, dets, keys, s)
		g.idx = append(g.idx, int32(i))
	}
	g.updateSubset(n)
	for a, i := range g.idx {
		ws.upd[i].nis = g.d2[a]
	}
	for i := range ws.upd {
		u := &ws.upd[i]
		if !g.good[i] {
			continue
		}
		u.ok = true
		t.commitHit(ws.rows[u.r], &st[i], keys[u.c].time, keys[u.c].id, u.logN, s)
	}
}

// pdaStaged runs the PDA updates ws.pda with the staged path's stages: the
// hypotheses (every candidate of positive weight) start from the row's gating
// prediction when their detection is at the batch time and from the posterior
// predicted to their own time otherwise (one Predict call), are updated (one Update
// call) and predicted on to the batch time (one Predict call), and each track's
// posterior is their moment-matched mixture, as in runPDA. A track's second
// detection under TwoPoint is differenced, as in runPDA.
func (t *Tracker) pdaStaged(keys []detKey) {
	g, ws := &t.stg, &t.ws
	p := &ws.prob
	s := t.batchSensor
	n, pl, tb := t.n, t.predLen(), t.batchTime
	g.hyp = g.hyp[:0]
	for i := range ws.pda {
		it := &ws.pda[i]
		it.ok, it.nis = false, math.NaN()
		slot := ws.rows[it.r]
		if t.cfg.Initiation == TwoPoint && t.hits[slot] == 1 && s.Kind != Bearing && it.sum >= 0.5 {
			g.hyp = append(g.hyp, hypothesis{it: int32(i), k: it.best, td: keys[p.Col[it.best]].time, two: true})
			continue
		}
		for k := it.lo; k < it.hi; k++ {
			if ws.w[k] > 0 {
				g.hyp = append(g.hyp, hypothesis{it: int32(i), k: k, td: keys[p.Col[k]].time})
			}
		}
	}
	nh := len(g.hyp)
	st := g.items(nh)
	g.gather(nh)
	g.idx = g.idx[:0]
	for h, hy := range g.hyp {
		r := ws.pda[hy.it].r
		slot := ws.rows[r]
		if hy.td == tb && !hy.two {
			if st[h].Unpack(ws.pred[int(r)*pl:int(r+1)*pl], n) != nil {
				g.good[h] = false
			}
			continue
		}
		t.loadPost(&st[h], slot)
		g.dt[len(g.idx)] = float64(hy.td-t.lastNS[slot]) * 1e-9
		g.idx = append(g.idx, int32(h))
	}
	g.predictSubset(n)
	w := &t.pool.workers[0]
	g.idx = g.idx[:0]
	for h, hy := range g.hyp {
		if !g.good[h] {
			continue
		}
		if hy.two {
			if t.difference(w, ws.rows[ws.pda[hy.it].r], &st[h], p.Col[hy.k], hy.td) != nil {
				g.good[h] = false
			}
			continue
		}
		t.measurement(&g.meas[len(g.idx)], p.Col[hy.k], t.batchDets, keys, s)
		g.idx = append(g.idx, int32(h))
	}
	g.updateSubset(n)
	for a, h := range g.idx {
		if hy := g.hyp[h]; hy.k == ws.pda[hy.it].best {
			ws.pda[hy.it].nis = g.d2[a]
		}
	}
	g.idx = g.idx[:0]
	for h, hy := range g.hyp {
		if g.good[h] && !hy.two && hy.td != tb {
			g.dt[len(g.idx)] = float64(tb-hy.td) * 1e-9
			g.idx = append(g.idx, int32(h))
		}
	}
	g.predictSubset(n)

	// the mixtures, item by item in the order of their hypotheses
	var base kalman.State
	for h := 0; h < nh; {
		i := g.hyp[h].it
		e := h + 1
		for e < nh && g.hyp[e].it == i {
			e++
		}
		it := &ws.pda[i]
		slot := ws.rows[it.r]
		ok := true
		for q := h; q < e; q++ {
			ok = ok && g.good[q]
		}
		if ok && g.hyp[h].two {
			it.nis = math.NaN()
			t.commitPDA(w, it, slot, &st[h], g.hyp[h].td)
		} else if ok && base.Unpack(ws.pred[int(it.r)*pl:int(it.r+1)*pl], n) == nil {
			w.pdaBegin(&base, n, 1-it.sum)
			for q := h; q < e; q++ {
				w.pdaAdd(&st[q], &base, n, math.Min(ws.w[g.hyp[q].k], 1)*it.scale)
			}
			if post, err := w.pdaState(&base, n); err == nil {
				t.commitPDA(w, it, slot, &post, tb)
			}
		}
		h = e
	}
}

// varOKStaged evaluates Config.MaxPositionVariance at time end, with one Predict
// call, for every live slot that manageSlots will check (not hit in this scan, not
// diverged), into stg.varOK.
func (t *Tracker) varOKStaged(end int64) {
	g, ws := &t.stg, &t.ws
	g.varOK = slices.Grow(g.varOK[:0], len(t.status))[:len(t.status)]
	g.dslot = g.dslot[:0]
	for slot, st := range t.status {
		hit := t.touched[slot] == t.tick && !ws.pdaMiss[slot]
		if st != 0 && st != Deleted && !hit && !ws.kill[slot] {
			g.dslot = append(g.dslot, int32(slot))
		}
	}
	k := len(g.dslot)
	states := g.items(k)
	g.gather(k)
	g.idx = g.idx[:0]
	for i, slot := range g.dslot {
		t.loadPost(&states[i], slot)
		g.dt[i] = float64(end-t.lastNS[slot]) * 1e-9
		g.idx = append(g.idx, int32(i))
	}
	g.predictSubset(t.n)
	for i, slot := range g.dslot {
		v := 0.0
		for a := 0; a < t.cfg.Axes && g.good[i]; a++ {
			v += states[i].CovAt(2*a, 2*a)
		}
		g.varOK[slot] = g.good[i] && v <= t.cfg.MaxPositionVariance
	}
}

// initStaged computes with the Initiator the initial states of the batch's
// unassociated detections into ws.init, ws.initIMM and ws.initOK, as jobInit does for
// the built-in initiation.
func (t *Tracker) initStaged(dets []Detection, keys []detKey, s *sensorInfo) {
	g, ws := &t.stg, &t.ws
	nc := len(keys)
	il, iml := kalman.StatePackedLen(t.n), t.imm.per
	g.idx = g.idx[:0]
	for c := 0; c < nc; c++ {
		ws.initOK[c] = false
		if !ws.used[c] {
			g.idx = append(g.idx, int32(c))
		}
	}
	k := len(g.idx)
	if k == 0 {
		return
	}
	states := g.items(k)
	g.gather(k)
	for a, c := range g.idx {
		states[a] = kalman.State{}
		t.measurement(&g.meas[a], c, dets, keys, s)
	}
	t.cfg.Initiator.Initiate(states, g.meas[:k], g.ok[:k])
	for a, c := range g.idx {
		if !g.ok[a] || states[a].Dim() != t.n {
			continue
		}
		ws.initOK[c] = true
		states[a].Pack(ws.init[int(c)*il : int(c)*il : int(c+1)*il])
		if iml > 0 {
			t.packStartIMM(ws.initIMM[int(c)*iml:int(c+1)*iml], &states[a])
		}
	}
}

// runDeleter calls the Deleter on every live track with the decisions of the track
// logic (stg.next, from manageSlots) and writes the final decisions back into
// stg.next: Deleted where the Deleter says so or the track diverged, the status
// before the scan where the Deleter keeps a track the logic ended.
func (t *Tracker) runDeleter() {
	g, n := &t.stg, t.n
	g.dslot, g.del, g.tracks = g.dslot[:0], g.del[:0], g.tracks[:0]
	for slot, st := range t.status {
		if st != 0 && st != Deleted {
			g.dslot = append(g.dslot, int32(slot))
		}
	}
	per := n + n*n
	g.arena = slices.Grow(g.arena[:0], len(g.dslot)*per)[:len(g.dslot)*per]
	for i, slot := range g.dslot {
		next, st := g.next[slot], t.status[slot]
		shown := next
		if next == Deleted {
			shown = st
		}
		a := g.arena[i*per : (i+1)*per : (i+1)*per]
		unpackTo(a, t.postSlot(slot), n)
		g.tracks = append(g.tracks, Track{ID: t.id[slot], Status: shown, Time: t.lastNS[slot],
			State: a[:n:n], Cov: a[n:], Score: t.score[slot], Hits: int(t.hits[slot]), Existence: t.exist[slot]})
		g.del = append(g.del, next == Deleted)
	}
	t.cfg.Deleter.Delete(g.del, g.tracks)
	for i, slot := range g.dslot {
		switch {
		case g.del[i] || t.ws.kill[slot]:
			g.next[slot] = Deleted
		case g.next[slot] == Deleted:
			g.next[slot] = t.status[slot]
		}
	}
}

// gateStaged is jobPredict on the staged path for rows [lo, hi): the gating data of
// the rows' staged predictions (predictRowsStaged) and the Config.MaxPositionVariance
// check.
func (t *Tracker) gateStaged(lo, hi int) {
	ws := &t.ws
	m, n, pl := t.batchM, t.n, t.predLen()
	for i := lo; i < hi; i++ {
		ws.ok[i] = false
		if !t.stg.rowOK[i] {
			continue
		}
		x := ws.pred[i*pl : (i+1)*pl]
		if t.cfg.MaxPositionVariance > 0 {
			v := 0.0
			for a := 0; a < t.cfg.Axes; a++ {
				v += packedAt(x, n, 2*a, 2*a)
			}
			if !(v <= t.cfg.MaxPositionVariance) {
				continue
			}
		}
		ws.ok[i] = true
		gateFromPacked(ws.tz[i*m:(i+1)*m], ws.tcov[i*m*m:(i+1)*m*m], x, n)
	}
}
