package kalman

// A textbook interacting multiple model filter (Bar-Shalom, Li & Kirubarajan 2001,
// §11.6.6) with an extended Kalman filter per mode, written with gonum mat.

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

type refIMM struct {
	modes []refMotion
	trans [][]float64 // trans[i][j] = P(mode j at k+1 | mode i at k)
	x     [][]float64
	P     []*mat.SymDense
	mu    []float64
	ut    *refUT // UKF modes when set, EKF modes otherwise
}

// predict mixes the mode-conditioned estimates and predicts each with its own model.
func (r *refIMM) predict(dt float64) {
	M := len(r.modes)
	c := make([]float64, M)
	for j := 0; j < M; j++ {
		for i := 0; i < M; i++ {
			c[j] += r.trans[i][j] * r.mu[i]
		}
	}
	nx := make([][]float64, M)
	nP := make([]*mat.SymDense, M)
	for j := 0; j < M; j++ {
		n := len(r.x[j])
		x0 := make([]float64, n)
		P0 := mat.NewSymDense(n, nil)
		if c[j] > 0 {
			for i := 0; i < M; i++ {
				w := r.trans[i][j] * r.mu[i] / c[j]
				for k := range x0 {
					x0[k] += w * r.x[i][k]
				}
			}
			for i := 0; i < M; i++ {
				w := r.trans[i][j] * r.mu[i] / c[j]
				d := mat.NewVecDense(n, refResidual(r.x[i], x0, nil))
				P0.AddSym(P0, scaledSym(w, r.P[i]))
				P0.SymRankOne(P0, w, d)
			}
		} else {
			copy(x0, r.x[j])
			P0.CopySym(r.P[j])
		}
		mot := r.modes[j]
		if r.ut != nil {
			xp, Pp, ok := refUKFPredict(*r.ut, mot, x0, P0, dt)
			if !ok {
				panic("reference UKF prediction failed")
			}
			nx[j], nP[j] = xp, Pp
			continue
		}
		nx[j] = mot.f(x0, dt)
		F := mot.F(x0, dt)
		var FP, FPFt mat.Dense
		FP.Mul(F, P0)
		FPFt.Mul(&FP, F.T())
		Pn := mat.NewSymDense(n, nil)
		Q := mot.Q(x0, dt)
		for a := 0; a < n; a++ {
			for b := a; b < n; b++ {
				Pn.SetSym(a, b, 0.5*(FPFt.At(a, b)+FPFt.At(b, a))+Q.At(a, b))
			}
		}
		nP[j] = Pn
	}
	r.x, r.P, r.mu = nx, nP, c
}

func scaledSym(w float64, P *mat.SymDense) *mat.SymDense {
	var s mat.SymDense
	s.ScaleSym(w, P)
	return &s
}

// refIMMResult is the mixture output of a reference IMM update.
type refIMMResult struct {
	nu, zPred []float64
	S         *mat.SymDense
	d2, logL  float64
}

// update applies z to each mode with an EKF update, updates the mode probabilities and
// returns the moment-matched mixture innovation.
func (r *refIMM) update(mea refMeasure, z []float64) (refIMMResult, bool) {
	M := len(r.modes)
	m := mea.m
	res := make([]refUKFResult, M)
	for j := 0; j < M; j++ {
		if r.ut != nil {
			rr, ok := refUKFUpdate(*r.ut, mea, r.x[j], r.P[j], z)
			if !ok {
				return refIMMResult{}, false
			}
			res[j] = rr
			continue
		}
		H := mea.H(r.x[j])
		zm := mea.h(r.x[j])
		var PHt mat.Dense
		PHt.Mul(r.P[j], H.T())
		var HPHt mat.Dense
		HPHt.Mul(H, &PHt)
		S := mat.NewSymDense(m, nil)
		for a := 0; a < m; a++ {
			for b := a; b < m; b++ {
				S.SetSym(a, b, 0.5*(HPHt.At(a, b)+HPHt.At(b, a))+mea.R.At(a, b))
			}
		}
		rr, ok := refKalmanApply(r.x[j], r.P[j], &PHt, S, zm, z, mea.angle)
		if !ok {
			return refIMMResult{}, false
		}
		res[j] = rr
	}
	// Mixture moments with the predicted mode probabilities.
	zs := make([][]float64, M)
	for j := range zs {
		zs[j] = res[j].zPred
	}
	zbar := refMean(zs, r.mu, mea.angle)
	S := mat.NewSymDense(m, nil)
	for j := 0; j < M; j++ {
		S.AddSym(S, scaledSym(r.mu[j], res[j].S))
		d := mat.NewVecDense(m, refResidual(res[j].zPred, zbar, mea.angle))
		S.SymRankOne(S, r.mu[j], d)
	}
	var ch mat.Cholesky
	if !ch.Factorize(S) {
		return refIMMResult{}, false
	}
	nu := refResidual(z, zbar, mea.angle)
	var sn mat.VecDense
	nuv := mat.NewVecDense(m, nu)
	if err := ch.SolveVecTo(&sn, nuv); err != nil {
		return refIMMResult{}, false
	}
	d2 := mat.Dot(nuv, &sn)
	// Mode probabilities in log space.
	l := make([]float64, M)
	mx := math.Inf(-1)
	for j := 0; j < M; j++ {
		l[j] = math.Log(r.mu[j]) + res[j].logL
		mx = math.Max(mx, l[j])
	}
	var sum float64
	for j := 0; j < M; j++ {
		sum += math.Exp(l[j] - mx)
	}
	logL := mx + math.Log(sum)
	for j := 0; j < M; j++ {
		r.mu[j] = math.Exp(l[j] - logL)
		r.x[j] = res[j].x
		r.P[j] = res[j].P
	}
	return refIMMResult{nu: nu, zPred: zbar, S: S, d2: d2, logL: logL}, true
}

// combined returns the moment-matched combined estimate.
func (r *refIMM) combined() ([]float64, *mat.SymDense) {
	n := len(r.x[0])
	x := make([]float64, n)
	for j := range r.x {
		for k := range x {
			x[k] += r.mu[j] * r.x[j][k]
		}
	}
	P := mat.NewSymDense(n, nil)
	for j := range r.x {
		P.AddSym(P, scaledSym(r.mu[j], r.P[j]))
		d := mat.NewVecDense(n, refResidual(r.x[j], x, nil))
		P.SymRankOne(P, r.mu[j], d)
	}
	return x, P
}

// refCT returns the reference coordinated-turn model of tbCT with its transition
// written in a form that stays accurate as ω → 0: the coefficients sin(ωT)/ω and
// (1 − cos ωT)/ω and their ω-derivatives are dual numbers computed from their power
// series for |ωT| < 0.1 (truncation below 1e-17 relative) and from the closed forms
// otherwise. (The closed forms differentiated directly lose about ε/(ωT)² of relative
// accuracy, which exceeds 1e-9 for the small turn rates that the IMM's mixing with a
// straight-line mode produces.)
func refCT(name string, cfg CTConfig) tbMotion {
	mo := tbCT(name, cfg)
	if cfg.ZeroRate {
		return mo
	}
	fd := func(dt float64) func([]dual) []dual {
		return func(x []dual) []dual {
			out := make([]dual, len(x))
			a, b := refCTCoef(x[4], dt)
			c, s := dcos(x[4].scale(dt)), dsin(x[4].scale(dt))
			out[0] = x[0].add(a.mul(x[1])).sub(b.mul(x[3]))
			out[1] = c.mul(x[1]).sub(s.mul(x[3]))
			out[2] = x[2].add(b.mul(x[1])).add(a.mul(x[3]))
			out[3] = s.mul(x[1]).add(c.mul(x[3]))
			out[4] = x[4]
			if cfg.Vertical {
				out[5] = x[5].add(x[6].scale(dt))
				out[6] = x[6]
			}
			return out
		}
	}
	mo.f = func(x []float64, dt float64) []float64 { return tbValue(fd(dt), x) }
	mo.F = func(x []float64, dt float64) *mat.Dense { return tbJacobian(fd(dt), x) }
	return mo
}

// refCTCoef returns sin(ωT)/ω and (1 − cos ωT)/ω as duals in ω.
func refCTCoef(w dual, T float64) (a, b dual) {
	th := w.v * T
	if math.Abs(th) >= 0.1 {
		return dsin(w.scale(T)).div(w), dc(1).sub(dcos(w.scale(T))).div(w)
	}
	t2 := th * th
	sinc := 1 - t2/6 + t2*t2/120 - t2*t2*t2/5040 + t2*t2*t2*t2/362880
	dsinc := -th/3 + th*t2/30 - th*t2*t2/840 + th*t2*t2*t2/45360
	cosc := th/2 - th*t2/24 + th*t2*t2/720 - th*t2*t2*t2/40320 + th*t2*t2*t2*t2/3628800
	dcosc := 0.5 - t2/8 + t2*t2/144 - t2*t2*t2/5760 + t2*t2*t2*t2/403200
	// d/dω f(ωT)·T = T²·f'(ωT).
	a = dual{T * sinc, T * T * dsinc * w.d}
	b = dual{T * cosc, T * T * dcosc * w.d}
	return a, b
}
