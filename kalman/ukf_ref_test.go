package kalman

// An independent textbook unscented Kalman filter and IMM, written with gonum mat in the
// allocating style of the literature (Wan & van der Merwe 2000; Bar-Shalom, Li &
// Kirubarajan 2001, ch. 11). The fast filters are checked against them step by step.
// Nothing here shares code with the filters under test except the model functions
// f, Q, h, R themselves, which are adapted through closures.

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// refMotion is a motion model seen by the references: the transition f, its Jacobian F
// (for the EKF modes of the reference IMM) and the process noise Q.
type refMotion struct {
	n int
	f func(x []float64, dt float64) []float64
	F func(x []float64, dt float64) *mat.Dense
	Q func(x []float64, dt float64) *mat.SymDense
}

// refMeasure is a measurement model seen by the references.
type refMeasure struct {
	m     int
	h     func(x []float64) []float64
	H     func(x []float64) *mat.Dense
	R     *mat.SymDense
	angle []bool // components that are angles in radians
}

// refWrap maps an angle difference into [-π, π).
func refWrap(a float64) float64 {
	a = math.Mod(a+math.Pi, 2*math.Pi)
	if a < 0 {
		a += 2 * math.Pi
	}
	return a - math.Pi
}

// refResidual is a − b with angle components wrapped.
func refResidual(a, b []float64, angle []bool) []float64 {
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
		if angle != nil && angle[i] {
			d[i] = refWrap(d[i])
		}
	}
	return d
}

// refUT holds the scaled unscented transform parameters.
type refUT struct{ alpha, beta, kappa float64 }

// sigma returns the 2n+1 scaled sigma points of (x, P) and their mean and covariance
// weights: λ = α²(n+κ) − n, X₀ = x, X_i = x ± (√((n+λ)P))_i with the lower Cholesky
// factor, W₀ᵐ = λ/(n+λ), W₀ᶜ = W₀ᵐ + 1 − α² + β, W_i = 1/(2(n+λ)).
func (u refUT) sigma(x []float64, P *mat.SymDense) (pts [][]float64, wm, wc []float64, ok bool) {
	n := len(x)
	lam := u.alpha*u.alpha*(float64(n)+u.kappa) - float64(n)
	c := float64(n) + lam
	var scaled mat.SymDense
	scaled.ScaleSym(c, P)
	var ch mat.Cholesky
	if !ch.Factorize(&scaled) {
		return nil, nil, nil, false
	}
	var L mat.TriDense
	ch.LTo(&L)
	pts = make([][]float64, 2*n+1)
	pts[0] = append([]float64(nil), x...)
	for i := 0; i < n; i++ {
		p := make([]float64, n)
		q := make([]float64, n)
		for r := 0; r < n; r++ {
			p[r] = x[r] + L.At(r, i)
			q[r] = x[r] - L.At(r, i)
		}
		pts[1+i] = p
		pts[1+n+i] = q
	}
	wm = make([]float64, 2*n+1)
	wc = make([]float64, 2*n+1)
	wm[0] = lam / c
	wc[0] = wm[0] + 1 - u.alpha*u.alpha + u.beta
	for i := 1; i < 2*n+1; i++ {
		wm[i] = 1 / (2 * c)
		wc[i] = wm[i]
	}
	return pts, wm, wc, true
}

// refMean is the weighted mean of points; angle components use the circular mean
// atan2(Σ wᵢ sin θᵢ, Σ wᵢ cos θᵢ).
func refMean(pts [][]float64, w []float64, angle []bool) []float64 {
	d := len(pts[0])
	mean := make([]float64, d)
	for k := 0; k < d; k++ {
		if angle != nil && angle[k] {
			var s, c float64
			for i, p := range pts {
				s += w[i] * math.Sin(p[k])
				c += w[i] * math.Cos(p[k])
			}
			mean[k] = math.Atan2(s, c)
			continue
		}
		for i, p := range pts {
			mean[k] += w[i] * p[k]
		}
	}
	return mean
}

// refUKFPredict is one textbook UKF prediction with additive process noise.
func refUKFPredict(u refUT, mot refMotion, x []float64, P *mat.SymDense, dt float64) ([]float64, *mat.SymDense, bool) {
	n := len(x)
	pts, wm, wc, ok := u.sigma(x, P)
	if !ok {
		return nil, nil, false
	}
	ys := make([][]float64, len(pts))
	for i, p := range pts {
		ys[i] = mot.f(p, dt)
	}
	xm := refMean(ys, wm, nil)
	Pn := mat.NewSymDense(n, nil)
	for i, y := range ys {
		d := mat.NewVecDense(n, refResidual(y, xm, nil))
		Pn.SymRankOne(Pn, wc[i], d)
	}
	Pn.AddSym(Pn, mot.Q(x, dt))
	return xm, Pn, true
}

// refUKFResult is what a reference update returns.
type refUKFResult struct {
	x     []float64
	P     *mat.SymDense
	nu    []float64
	S     *mat.SymDense
	d2    float64
	logL  float64
	zPred []float64
}

// refUKFUpdate is one textbook UKF update: sigma points redrawn from the predicted
// (x, P), predicted measurement by the (circular) weighted mean, S and Pxz from wrapped
// residuals, K = Pxz S⁻¹, x⁺ = x + Kν, P⁺ = P − K S Kᵀ.
func refUKFUpdate(u refUT, mea refMeasure, x []float64, P *mat.SymDense, z []float64) (refUKFResult, bool) {
	n, m := len(x), mea.m
	pts, wm, wc, ok := u.sigma(x, P)
	if !ok {
		return refUKFResult{}, false
	}
	zs := make([][]float64, len(pts))
	for i, p := range pts {
		zs[i] = mea.h(p)
	}
	zm := refMean(zs, wm, mea.angle)
	S := mat.NewSymDense(m, nil)
	Pxz := mat.NewDense(n, m, nil)
	for i := range pts {
		dz := mat.NewVecDense(m, refResidual(zs[i], zm, mea.angle))
		dx := mat.NewVecDense(n, refResidual(pts[i], x, nil))
		S.SymRankOne(S, wc[i], dz)
		Pxz.RankOne(Pxz, wc[i], dx, dz)
	}
	S.AddSym(S, mea.R)
	return refKalmanApply(x, P, Pxz, S, zm, z, mea.angle)
}

// refKalmanApply applies a measurement given the predicted measurement zm, its
// covariance S and the state-measurement cross-covariance Pxz.
func refKalmanApply(x []float64, P *mat.SymDense, Pxz *mat.Dense, S *mat.SymDense, zm, z []float64, angle []bool) (refUKFResult, bool) {
	n, m := len(x), len(z)
	var ch mat.Cholesky
	if !ch.Factorize(S) {
		return refUKFResult{}, false
	}
	nu := refResidual(z, zm, angle)
	nuv := mat.NewVecDense(m, nu)
	var sinvNu mat.VecDense
	if err := ch.SolveVecTo(&sinvNu, nuv); err != nil {
		return refUKFResult{}, false
	}
	d2 := mat.Dot(nuv, &sinvNu)
	logL := -0.5 * (d2 + float64(m)*math.Log(2*math.Pi) + ch.LogDet())
	// K = Pxz S⁻¹, i.e. Kᵀ = S⁻¹ Pxzᵀ.
	var Kt mat.Dense
	if err := ch.SolveTo(&Kt, Pxz.T()); err != nil {
		return refUKFResult{}, false
	}
	xn := make([]float64, n)
	var dx mat.VecDense
	dx.MulVec(Kt.T(), nuv)
	for i := range xn {
		xn[i] = x[i] + dx.AtVec(i)
	}
	// P − K S Kᵀ = P − Pxz S⁻¹ Pxzᵀ = P − Pxz Kᵀ.
	var KSKt mat.Dense
	KSKt.Mul(Pxz, &Kt)
	Pn := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			Pn.SetSym(i, j, P.At(i, j)-0.5*(KSKt.At(i, j)+KSKt.At(j, i)))
		}
	}
	Sc := mat.NewSymDense(m, nil)
	Sc.CopySym(S)
	return refUKFResult{x: xn, P: Pn, nu: nu, S: Sc, d2: d2, logL: logL, zPred: zm}, true
}
