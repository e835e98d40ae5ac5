package correlate

import (
	"math"
	"slices"
	"time"

	"github.com/trackcorr/trackcorr/kalman"
)

// pdaItem is one track's probabilistic-data-association update: gating row r with the
// problem's candidates [lo, hi) and their weights ws.w[lo:hi] (scaled by scale).
type pdaItem struct {
	r      int32   // gating row
	lo, hi int32   // the row's candidates in ws.prob
	best   int32   // the candidate of greatest weight
	scale  float64 // factor from the associator's weights to the update's weights
	sum    float64 // Σ update weights: the probability that the track was detected
	exist  float64 // Logic Existence: the posterior existence probability
	logN   float64 // log-likelihood of the best candidate in the gating space
	logR   float64 // log of the predicted existence probability (Logic Existence), else 0
	nis    float64 // d² of the best candidate's innovation
	ok     bool
}

// logExist returns the log of slot's existence probability predicted over one scan,
// or 0 when the logic carries no existence.
func (t *Tracker) logExist(slot int32) float64 {
	if t.cfg.Logic != Existence {
		return 0
	}
	return math.Log(t.cfg.Survival * t.exist[slot])
}

// existAfterMiss is the existence probability of a track whose predicted existence is
// r and whose target, if it exists, was detected inside the gate with probability q
// = P_D·P_G and was not.
func existAfterMiss(r, q float64) float64 { return (1 - q) * r / (1 - q*r) }

// applyPDA applies the weights of the solved problem ws.prob (in ws.w) as
// probabilistic-data-association updates of every track with a candidate of positive
// weight, and marks as used the detections whose association probabilities sum to at
// least one half. It returns the time spent updating.
func (t *Tracker) applyPDA(dets []Detection, keys []detKey, s *sensorInfo, out *Output) time.Duration {
	ws := &t.ws
	p := &ws.prob
	nc := len(keys)
	ws.colW = slices.Grow(ws.colW[:0], nc)[:nc]
	clear(ws.colW)
	ws.pda = ws.pda[:0]
	for i := 0; i < p.Rows; i++ {
		lo, hi := p.Start[i], p.Start[i+1]
		sum, best, bw := 0.0, int32(-1), 0.0
		for k := lo; k < hi; k++ {
			wk := ws.w[k]
			if !(wk > 0) {
				continue
			}
			sum += math.Min(wk, 1)
			if wk > bw {
				best, bw = k, wk
			}
		}
		if best < 0 {
			continue
		}
		scale := 1.0
		if sum > 1 {
			scale, sum = 1/sum, 1
		}
		for k := lo; k < hi; k++ {
			if wk := ws.w[k]; wk > 0 {
				ws.colW[p.Col[k]] += math.Min(wk, 1) * scale
			}
		}
		lr := 0.0
		if len(ws.logR) > 0 {
			lr = ws.logR[ws.prow[i]]
		}
		it := pdaItem{r: ws.prow[i], lo: lo, hi: hi, best: best, scale: scale, sum: sum,
			logN: -p.Cost[best] - s.logPd - lr, logR: lr}
		if t.cfg.Logic == Existence {
			// the weights are joint with the target's existence; the state, which is
			// conditioned on existence, is updated with β_ij / r⁺
			r := math.Exp(lr)
			it.exist = (1-sum)*existAfterMiss(r, s.Pd*t.cfg.GateProbability) + sum
			it.scale /= it.exist
			it.sum = math.Min(sum/it.exist, 1)
		}
		ws.pda = append(ws.pda, it)
	}
	for c := 0; c < nc; c++ {
		if ws.colW[c] >= usedWeight {
			ws.used[c] = true
		}
	}
	t0 := time.Now()
	t.batchDets, t.batchKeys, t.batchSensor = dets, keys, s
	if t.staged() {
		t.pdaStaged(keys)
	} else {
		t.pool.do(jobPDA, len(ws.pda))
	}
	t.batchDets, t.batchKeys = nil, nil
	for i := range ws.pda {
		it := &ws.pda[i]
		if !it.ok {
			out.Stats.Rejected++
			continue
		}
		if it.sum >= 0.5 {
			out.Stats.Associated++
			if !math.IsNaN(it.nis) {
				out.Stats.NIS += it.nis
				out.Stats.NISDoF += s.m
			}
		}
	}
	return time.Since(t0)
}

// runPDA runs the PDA updates [lo, hi) of ws.pda on worker w. The posterior is the
// moment-matched mixture of the association hypotheses at the batch time tb: the miss
// (the prediction, weight 1 − Σ w) and, for each candidate j of weight w_j, the update
// with detection j at its own time, predicted on to tb. With x̂ the prediction and
// d_j = x_j − x̂ (d_0 = 0):
//
//	x = x̂ + Σ w_j d_j,   P = Σ_{j≥0} w_j P_j + Σ w_j d_j d_jᵀ − (Σ w_j d_j)(Σ w_j d_j)ᵀ,
//
// which is the PDA update with its spread-of-innovations term when the detections
// share one time and one R, and stays exact for the mixture when they do not.
func (t *Tracker) runPDA(w *worker, lo, hi int) {
	ws := &t.ws
	p := &ws.prob
	s := t.batchSensor
	n, m := t.n, s.m
	tb := t.batchTime
	for i := lo; i < hi; i++ {
		it := &ws.pda[i]
		slot := ws.rows[it.r]
		it.ok, it.nis = false, math.NaN()
		bc := p.Col[it.best]
		if t.cfg.Initiation == TwoPoint && t.hits[slot] == 1 && s.Kind != Bearing && it.sum >= 0.5 {
			// the second detection of a two-point track: differencing on the most
			// probable detection, as under GNN
			td := t.batchKeys[bc].time
			st := &w.tmp
			t.loadPost(st, slot)
			if err := t.predictUpdate(w, slot, st, float64(td-t.lastNS[slot])*1e-9, td); err != nil {
				continue
			}
			if err := t.difference(w, slot, st, bc, td); err != nil {
				continue
			}
			if err := t.startIMM(w, st); err != nil {
				continue
			}
			t.commitPDA(w, it, slot, st, td)
			continue
		}
		if w.imm != nil {
			t.runPDAIMM(w, it, slot)
			continue
		}
		base := &w.tmp
		t.loadPost(base, slot)
		if err := w.kf.Predict(base, float64(tb-t.lastNS[slot])*1e-9); err != nil {
			continue
		}
		w.pdaBegin(base, n, 1-it.sum)
		failed := false
		for k := it.lo; k < it.hi && !failed; k++ {
			wk := ws.w[k]
			c := p.Col[k]
			if !(wk > 0) {
				continue
			}
			wk = math.Min(wk, 1) * it.scale
			d := &t.batchDets[t.batchKeys[c].idx]
			td := t.batchKeys[c].time
			h := &w.hyp
			*h = *base
			if td != tb {
				t.loadPost(h, slot)
				if err := w.kf.Predict(h, float64(td-t.lastNS[slot])*1e-9); err != nil {
					failed = true
					break
				}
			}
			d2, err := t.updateOne(w, h, d, m)
			if err == nil && td != tb {
				err = w.kf.Predict(h, float64(tb-td)*1e-9)
			}
			if err != nil {
				failed = true
				break
			}
			if k == it.best {
				it.nis = d2
			}
			w.pdaAdd(h, base, n, wk)
		}
		if failed {
			continue
		}
		st, err := w.pdaState(base, n)
		if err != nil {
			continue
		}
		t.commitPDA(w, it, slot, &st, tb)
	}
}

// pdaBegin starts worker w's moment matching of a PDA mixture about the prediction
// base (dimension n) with the miss hypothesis of weight w0.
func (w *worker) pdaBegin(base *kalman.State, n int, w0 float64) {
	accD, accDD, accP := &w.accD, &w.accDD, &w.accP
	for a := 0; a < n; a++ {
		accD[a] = 0
		for b := 0; b < n; b++ {
			accDD[a*n+b] = 0
			accP[a*n+b] = w0 * base.CovAt(a, b)
		}
	}
}

// pdaAdd adds the hypothesis h of weight wk to worker w's mixture about base.
func (w *worker) pdaAdd(h, base *kalman.State, n int, wk float64) {
	accD, accDD, accP, dx := &w.accD, &w.accDD, &w.accP, &w.dx
	for a := 0; a < n; a++ {
		dx[a] = h.MeanAt(a) - base.MeanAt(a)
		accD[a] += wk * dx[a]
	}
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			accDD[a*n+b] += wk * dx[a] * dx[b]
			accP[a*n+b] += wk * h.CovAt(a, b)
		}
	}
}

// pdaState returns worker w's moment-matched mixture about base.
func (w *worker) pdaState(base *kalman.State, n int) (kalman.State, error) {
	accD, accDD, accP := &w.accD, &w.accDD, &w.accP
	x, P := &w.initX, &w.initP
	for a := 0; a < n; a++ {
		x[a] = base.MeanAt(a) + accD[a]
	}
	for a := 0; a < n; a++ {
		for b := 0; b <= a; b++ {
			v := accP[a*n+b] + accDD[a*n+b] - accD[a]*accD[b]
			v = 0.5 * (v + accP[b*n+a] + accDD[b*n+a] - accD[b]*accD[a])
			P[a*n+b], P[b*n+a] = v, v
		}
	}
	return kalman.NewState(x[:n], P[:n*n])
}

// runPDAIMM is runPDA's update of one track filtered by an IMM: every mode is updated
// by the PDA with the candidates' weights (kalman.IMM.ApplyPDA), the mode
// probabilities by the modes' mixture likelihoods. ApplyPDA takes one noise
// covariance and one time for all the candidates: the most probable detection's R,
// and the batch time (its detections lie within Config.BatchWindow of it), which is
// exact when the sensor reports one R and one time per scan, as the position sensors
// of the interchange scenarios do.
func (t *Tracker) runPDAIMM(w *worker, it *pdaItem, slot int32) {
	ws := &t.ws
	p := &ws.prob
	s := t.batchSensor
	m := s.m
	tb := t.batchTime
	st := &w.tmp
	t.loadPost(st, slot)
	if err := t.predictUpdate(w, slot, st, float64(tb-t.lastNS[slot])*1e-9, tb); err != nil {
		return
	}
	w.pdaZ, w.pdaW = w.pdaZ[:0], w.pdaW[:0]
	for k := it.lo; k < it.hi; k++ {
		wk := ws.w[k]
		if !(wk > 0) {
			continue
		}
		d := &t.batchDets[t.batchKeys[p.Col[k]].idx]
		w.pdaZ = append(w.pdaZ, d.Z[:m]...)
		w.pdaW = append(w.pdaW, min(math.Min(wk, 1)*it.scale, 1))
	}
	best := &t.batchDets[t.batchKeys[p.Col[it.best]].idx]
	inn, err := t.updateIMMPDA(w, s, w.pdaZ, best.R[:m*m], w.pdaW, st)
	if err != nil {
		return
	}
	it.nis = inn.D2
	t.commitPDA(w, it, slot, st, tb)
}

// updateOne updates h with detection d (m values) by the sensor's filter and returns
// the innovation's d².
func (t *Tracker) updateOne(w *worker, h *kalman.State, d *Detection, m int) (float64, error) {
	s := t.batchSensor
	var inn kalman.Innovation
	var err error
	if s.polar {
		if err = w.ekf.PredictMeasurement(&w.predM, h, s.h, d.R[:m*m]); err == nil {
			inn, err = w.ekf.Apply(h, &w.predM, d.Z[:m])
		}
	} else {
		if err = w.kf.PredictMeasurement(&w.predM, h, s.h, d.R[:m*m]); err == nil {
			inn, err = w.kf.Apply(h, &w.predM, d.Z[:m])
		}
	}
	return inn.D2, err
}

// commitPDA commits the PDA posterior st at time td of item it to slot: the track
// counts a hit when its detection probability it.sum is at least one half, a miss
// (scored by the track logic) otherwise; Logic Existence's probability is updated from
// the weights.
func (t *Tracker) commitPDA(w *worker, it *pdaItem, slot int32, st *kalman.State, td int64) {
	s := t.batchSensor
	it.ok = true
	t.storePost(slot, st)
	t.commitIMM(w, slot)
	t.record(slot, td)
	t.lastNS[slot] = td
	t.touched[slot] = t.tick
	t.assocDet[slot] = t.batchDets[t.batchKeys[t.ws.prob.Col[it.best]].idx].ID
	if it.sum >= 0.5 {
		t.hitNS[slot] = td
		t.hits[slot]++
		t.score[slot] += s.logPd + it.logN - s.logFA
	} else {
		t.ws.pdaMiss[slot] = true
	}
	if t.cfg.Logic == Existence {
		t.exist[slot] = it.exist
	}
}

// usedWeight is the association probability, summed over the tracks, at which a
// detection counts as associated under AssociateJPDA: it is then not offered to the
// tentative tracks and does not start a track.
const usedWeight = 0.5
