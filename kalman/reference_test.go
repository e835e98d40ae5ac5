package kalman

// An independent textbook Kalman filter and EKF written with gonum mat, and reference
// motion and measurement models that share no code with the package: linear models'
// F and Q come from the continuous-time model by Van Loan's matrix-exponential method
// (mat.Dense.Exp), nonlinear models are written as plain formulas and differentiated
// exactly by forward-mode automatic differentiation (dual numbers), never by calling the
// package's kernels. The test-scope helpers here (tbMotions, tbMeasures, tbPredict,
// tbUpdate, tbState) are meant to be reused by the other filters' tests: tbMotion and
// tbMeasure have the same function shapes as refMotion and refMeasure in
// ukf_ref_test.go.

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// dual is a forward-mode automatic-differentiation number v + d·ε, ε² = 0.
type dual struct{ v, d float64 }

func dc(v float64) dual             { return dual{v: v} }
func (a dual) add(b dual) dual      { return dual{a.v + b.v, a.d + b.d} }
func (a dual) sub(b dual) dual      { return dual{a.v - b.v, a.d - b.d} }
func (a dual) mul(b dual) dual      { return dual{a.v * b.v, a.d*b.v + a.v*b.d} }
func (a dual) div(b dual) dual      { return dual{a.v / b.v, (a.d*b.v - a.v*b.d) / (b.v * b.v)} }
func (a dual) scale(k float64) dual { return dual{k * a.v, k * a.d} }
func dsin(a dual) dual              { return dual{math.Sin(a.v), math.Cos(a.v) * a.d} }
func dcos(a dual) dual              { return dual{math.Cos(a.v), -math.Sin(a.v) * a.d} }
func dsqrt(a dual) dual             { r := math.Sqrt(a.v); return dual{r, a.d / (2 * r)} }
func datan2(y, x dual) dual {
	return dual{math.Atan2(y.v, x.v), (x.v*y.d - y.v*x.d) / (x.v*x.v + y.v*y.v)}
}

func dvecSeed(x []float64, seed int) []dual {
	d := make([]dual, len(x))
	for i, v := range x {
		d[i] = dc(v)
	}
	if seed >= 0 {
		d[seed].d = 1
	}
	return d
}

// tbJacobian differentiates fn at x exactly, one column per forward pass.
func tbJacobian(fn func([]dual) []dual, x []float64) *mat.Dense {
	var J *mat.Dense
	for j := range x {
		out := fn(dvecSeed(x, j))
		if J == nil {
			J = mat.NewDense(len(out), len(x), nil)
		}
		for i, o := range out {
			J.Set(i, j, o.d)
		}
	}
	return J
}

func tbValue(fn func([]dual) []dual, x []float64) []float64 {
	out := fn(dvecSeed(x, -1))
	v := make([]float64, len(out))
	for i, o := range out {
		v[i] = o.v
	}
	return v
}

// tbVanLoan returns the discrete F = e^(A T) and Q = ∫₀ᵀ e^(A s) Qc e^(Aᵀ s) ds of the
// continuous model dx/dt = A x + w, E[w wᵀ] = Qc δ, by Van Loan's method:
// exp([-A Qc; 0 Aᵀ]·T) = [· F⁻¹Q; 0 Fᵀ].
func tbVanLoan(A, Qc *mat.Dense, T float64) (*mat.Dense, *mat.SymDense) {
	n, _ := A.Dims()
	M := mat.NewDense(2*n, 2*n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			M.Set(i, j, -A.At(i, j)*T)
			M.Set(i, n+j, Qc.At(i, j)*T)
			M.Set(n+i, n+j, A.At(j, i)*T)
		}
	}
	var E mat.Dense
	E.Exp(M)
	F := mat.DenseCopyOf(E.Slice(n, 2*n, n, 2*n).T())
	var Q mat.Dense
	Q.Mul(F, E.Slice(0, n, n, 2*n))
	return F, tbSym(&Q)
}

func tbSym(a mat.Matrix) *mat.SymDense {
	n, _ := a.Dims()
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			s.SetSym(i, j, 0.5*(a.At(i, j)+a.At(j, i)))
		}
	}
	return s
}

// tbMotion is a reference motion model (same function shapes as refMotion).
type tbMotion struct {
	name  string
	n     int
	model Motion // the package's model it describes
	x0    []float64
	p0    []float64 // diagonal of the initial covariance
	f     func(x []float64, dt float64) []float64
	F     func(x []float64, dt float64) *mat.Dense
	Q     func(x []float64, dt float64) *mat.SymDense
	axes  int
	pos   []int
	vel   []int
}

// tbLinear builds a reference linear model from its continuous-time form: axes blocks
// of the k×k drift a with white noise of density qc entering the last component.
func tbLinear(name string, model Motion, axes, k int, a [][]float64, qc float64, x0, p0 []float64) tbMotion {
	n := axes * k
	A := mat.NewDense(n, n, nil)
	Qc := mat.NewDense(n, n, nil)
	var pos, vel []int
	for ax := 0; ax < axes; ax++ {
		o := ax * k
		for r := 0; r < k; r++ {
			for c := 0; c < k; c++ {
				A.Set(o+r, o+c, a[r][c])
			}
		}
		Qc.Set(o+k-1, o+k-1, qc)
		pos = append(pos, o)
		vel = append(vel, o+1)
	}
	FQ := func(dt float64) (*mat.Dense, *mat.SymDense) { return tbVanLoan(A, Qc, dt) }
	return tbMotion{
		name: name, n: n, model: model, x0: x0, p0: p0, axes: axes, pos: pos, vel: vel,
		f: func(x []float64, dt float64) []float64 {
			F, _ := FQ(dt)
			var y mat.VecDense
			y.MulVec(F, mat.NewVecDense(n, append([]float64(nil), x...)))
			return y.RawVector().Data
		},
		F: func(_ []float64, dt float64) *mat.Dense { F, _ := FQ(dt); return F },
		Q: func(_ []float64, dt float64) *mat.SymDense { _, Q := FQ(dt); return Q },
	}
}

// tbCTf is the coordinated-turn transition written directly (ω ≠ 0 assumed).
func tbCTf(x []dual, dt float64, zero, vertical bool) []dual {
	out := make([]dual, len(x))
	T := dc(dt)
	if zero {
		out[0] = x[0].add(x[1].mul(T))
		out[1] = x[1]
		out[2] = x[2].add(x[3].mul(T))
		out[3] = x[3]
		out[4] = dc(0)
	} else {
		w := x[4]
		wt := w.mul(T)
		sn, cs := dsin(wt), dcos(wt)
		one := dc(1)
		out[0] = x[0].add(sn.div(w).mul(x[1])).sub(one.sub(cs).div(w).mul(x[3]))
		out[1] = cs.mul(x[1]).sub(sn.mul(x[3]))
		out[2] = x[2].add(one.sub(cs).div(w).mul(x[1])).add(sn.div(w).mul(x[3]))
		out[3] = sn.mul(x[1]).add(cs.mul(x[3]))
		out[4] = w
	}
	if vertical {
		out[5] = x[5].add(x[6].mul(T))
		out[6] = x[6]
	}
	return out
}

func tbCT(name string, cfg CTConfig) tbMotion {
	n := 5
	if cfg.Vertical {
		n = 7
	}
	// Q: Van Loan on the double integrators, QRate·T on ω.
	A := mat.NewDense(n, n, nil)
	Qc := mat.NewDense(n, n, nil)
	A.Set(0, 1, 1)
	A.Set(2, 3, 1)
	Qc.Set(1, 1, cfg.Q)
	Qc.Set(3, 3, cfg.Q)
	Qc.Set(4, 4, cfg.QRate)
	if cfg.Vertical {
		A.Set(5, 6, 1)
		Qc.Set(6, 6, cfg.QZ)
	}
	x0 := []float64{1500, 30, -800, 20, 0.05, 300, -2}[:n]
	p0 := []float64{400, 100, 400, 100, 1e-4, 400, 25}[:n]
	pos, vel := []int{0, 2}, []int{1, 3}
	axes := 2
	if cfg.Vertical {
		pos, vel, axes = []int{0, 2, 5}, []int{1, 3, 6}, 3
	}
	fd := func(dt float64) func([]dual) []dual {
		return func(x []dual) []dual { return tbCTf(x, dt, cfg.ZeroRate, cfg.Vertical) }
	}
	return tbMotion{
		name: name, n: n, model: NewCT(cfg), x0: x0, p0: p0, axes: axes, pos: pos, vel: vel,
		f: func(x []float64, dt float64) []float64 { return tbValue(fd(dt), x) },
		F: func(x []float64, dt float64) *mat.Dense { return tbJacobian(fd(dt), x) },
		Q: func(_ []float64, dt float64) *mat.SymDense { _, Q := tbVanLoan(A, Qc, dt); return Q },
	}
}

// tbMotions returns the reference of every motion model of the package, with initial
// states.
func tbMotions() []tbMotion {
	cv := [][]float64{{0, 1}, {0, 0}}
	ca := [][]float64{{0, 1, 0}, {0, 0, 1}, {0, 0, 0}}
	const tau, sigma = 8.0, 3.0
	singer := [][]float64{{0, 1, 0}, {0, 0, 1}, {0, 0, -1 / tau}}
	qs := 2 * sigma * sigma / tau
	return []tbMotion{
		tbLinear("CV1", NewCV(1, 0.5), 1, 2, cv, 0.5, []float64{1000, -20}, []float64{100, 25}),
		tbLinear("CV2", NewCV(2, 0.5), 2, 2, cv, 0.5, []float64{1000, -20, 2000, 15}, []float64{100, 25, 100, 25}),
		tbLinear("CV3", NewCV(3, 2), 3, 2, cv, 2, []float64{1000, -20, 2000, 15, 500, 3}, []float64{100, 25, 100, 25, 100, 9}),
		tbLinear("CA1", NewCA(1, 0.1), 1, 3, ca, 0.1, []float64{1000, -20, 1}, []float64{100, 25, 4}),
		tbLinear("CA2", NewCA(2, 0.1), 2, 3, ca, 0.1, []float64{1000, -20, 1, 2000, 15, -0.5}, []float64{100, 25, 4, 100, 25, 4}),
		tbLinear("CA3", NewCA(3, 0.1), 3, 3, ca, 0.1, []float64{1000, -20, 1, 2000, 15, -0.5, 500, 3, 0.1}, []float64{100, 25, 4, 100, 25, 4, 100, 9, 1}),
		tbLinear("Singer2", NewSinger(2, tau, sigma), 2, 3, singer, qs, []float64{1000, -20, 1, 2000, 15, -0.5}, []float64{100, 25, 4, 100, 25, 4}),
		tbLinear("Singer3", NewSinger(3, tau, sigma), 3, 3, singer, qs, []float64{1000, -20, 1, 2000, 15, -0.5, 500, 3, 0.1}, []float64{100, 25, 4, 100, 25, 4, 100, 9, 1}),
		tbCT("CT", CTConfig{Q: 0.5, QRate: 1e-4}),
		tbCT("CTVertical", CTConfig{Q: 0.5, QRate: 1e-4, Vertical: true, QZ: 0.2}),
		tbCT("CTZeroRate", CTConfig{Q: 0.5, QRate: 1e-4, ZeroRate: true}),
	}
}

// tbMeasure is a reference measurement model (same function shapes as refMeasure).
type tbMeasure struct {
	name  string
	m     int
	model Measurement
	h     func(x []float64) []float64
	H     func(x []float64) *mat.Dense
	angle []bool
	sd    []float64 // measurement noise standard deviations (R is diagonal)
}

func tbFromDual(name string, model Measurement, fn func([]dual) []dual, angle []bool, sd []float64) tbMeasure {
	return tbMeasure{
		name: name, m: len(sd), model: model, angle: angle, sd: sd,
		h: func(x []float64) []float64 { return tbValue(fn, x) },
		H: func(x []float64) *mat.Dense { return tbJacobian(fn, x) },
	}
}

// tbMeasures returns the reference of every measurement model applicable to mo.
func tbMeasures(mo tbMotion) []tbMeasure {
	l := mo.model.Layout()
	var out []tbMeasure
	// Linear position of every axis, with an offset.
	off := []float64{10, -20, 5}[:mo.axes]
	pos := mo.pos
	out = append(out, tbFromDual("Position", NewPosition(mo.n, pos, off), func(x []dual) []dual {
		z := make([]dual, len(pos))
		for i, k := range pos {
			z[i] = x[k].sub(dc(off[i]))
		}
		return z
	}, make([]bool, len(pos)), []float64{5, 7, 4}[:len(pos)]))
	// An arbitrary subset: the first velocity and the last position.
	sub := []int{mo.vel[0], mo.pos[len(mo.pos)-1]}
	if mo.axes == 1 {
		sub = []int{mo.vel[0]}
	}
	out = append(out, tbFromDual("Subset", NewPosition(mo.n, sub, nil), func(x []dual) []dual {
		z := make([]dual, len(sub))
		for i, k := range sub {
			z[i] = x[k]
		}
		return z
	}, make([]bool, len(sub)), []float64{2, 6}[:len(sub)]))
	if mo.axes < 2 {
		return out
	}
	s2 := [2]float64{-300, 200}
	polar2 := func(x []dual, rr, rng bool) []dual {
		dx, dy := x[pos[0]].sub(dc(s2[0])), x[pos[1]].sub(dc(s2[1]))
		r := dsqrt(dx.mul(dx).add(dy.mul(dy)))
		var z []dual
		if rng {
			z = append(z, r)
		}
		z = append(z, datan2(dy, dx))
		if rr {
			z = append(z, dx.mul(x[mo.vel[0]]).add(dy.mul(x[mo.vel[1]])).div(r))
		}
		return z
	}
	out = append(out,
		tbFromDual("RangeBearing", NewRangeBearing(l, s2, false), func(x []dual) []dual { return polar2(x, false, true) },
			[]bool{false, true}, []float64{10, 0.01}),
		tbFromDual("RangeBearingRate", NewRangeBearing(l, s2, true), func(x []dual) []dual { return polar2(x, true, true) },
			[]bool{false, true, false}, []float64{10, 0.01, 1}),
		tbFromDual("Bearing", NewBearing(l, s2), func(x []dual) []dual { return polar2(x, false, false) },
			[]bool{true}, []float64{0.005}),
	)
	if mo.axes < 3 {
		return out
	}
	s3 := [3]float64{-300, 200, 50}
	polar3 := func(x []dual, rr, rng bool) []dual {
		dx, dy, dz := x[pos[0]].sub(dc(s3[0])), x[pos[1]].sub(dc(s3[1])), x[pos[2]].sub(dc(s3[2]))
		rho := dsqrt(dx.mul(dx).add(dy.mul(dy)))
		r := dsqrt(dx.mul(dx).add(dy.mul(dy)).add(dz.mul(dz)))
		var z []dual
		if rng {
			z = append(z, r)
		}
		z = append(z, datan2(dy, dx), datan2(dz, rho))
		if rr {
			v := mo.vel
			z = append(z, dx.mul(x[v[0]]).add(dy.mul(x[v[1]])).add(dz.mul(x[v[2]])).div(r))
		}
		return z
	}
	out = append(out,
		tbFromDual("RangeAzEl", NewRangeAzEl(l, s3, false), func(x []dual) []dual { return polar3(x, false, true) },
			[]bool{false, true, true}, []float64{10, 0.01, 0.01}),
		tbFromDual("RangeAzElRate", NewRangeAzEl(l, s3, true), func(x []dual) []dual { return polar3(x, true, true) },
			[]bool{false, true, true, false}, []float64{10, 0.01, 0.01, 1}),
		tbFromDual("AzEl", NewAzEl(l, s3), func(x []dual) []dual { return polar3(x, false, false) },
			[]bool{true, true}, []float64{0.005, 0.005}),
	)
	return out
}

// tbR returns the diagonal measurement noise of mm, row-major.
func tbR(mm tbMeasure) []float64 {
	R := make([]float64, mm.m*mm.m)
	for i, s := range mm.sd {
		R[i*mm.m+i] = s * s
	}
	return R
}

// tbState is the reference filter's state.
type tbState struct {
	x []float64
	P *mat.SymDense
}

func tbNewState(x, pdiag []float64) tbState {
	P := mat.NewSymDense(len(x), nil)
	for i, v := range pdiag {
		P.SetSym(i, i, v)
	}
	return tbState{x: append([]float64(nil), x...), P: P}
}

// tbPredict is the textbook (E)KF prediction: x ← f(x), P ← F P Fᵀ + Q, F at the prior.
func tbPredict(s tbState, mo tbMotion, dt float64) tbState {
	F := mo.F(s.x, dt)
	var FP, FPFt mat.Dense
	FP.Mul(F, s.P)
	FPFt.Mul(&FP, F.T())
	FPFt.Add(&FPFt, mo.Q(s.x, dt))
	return tbState{x: mo.f(s.x, dt), P: tbSym(&FPFt)}
}

// tbWrap maps an angle to [-π, π].
func tbWrap(a float64) float64 { return math.Remainder(a, 2*math.Pi) }

// tbResult is what one textbook update reports.
type tbResult struct {
	y, zhat []float64
	S       *mat.SymDense
	d2, ll  float64
}

// tbUpdate is the textbook (E)KF update with K = P Hᵀ S⁻¹ (a linear solve) and
// P ← (I - K H) P.
func tbUpdate(s tbState, mm tbMeasure, z, Rraw []float64) (tbState, tbResult, error) {
	n, m := len(s.x), mm.m
	zhat := mm.h(s.x)
	H := mm.H(s.x)
	R := mat.NewSymDense(m, append([]float64(nil), Rraw...))
	var HP, S mat.Dense
	HP.Mul(H, s.P)
	S.Mul(&HP, H.T())
	S.Add(&S, R)
	y := make([]float64, m)
	for i := range y {
		y[i] = z[i] - zhat[i]
		if mm.angle[i] {
			y[i] = tbWrap(y[i])
		}
	}
	// Kᵀ = S⁻¹ H P.
	var Kt mat.Dense
	if err := Kt.Solve(&S, &HP); err != nil {
		return s, tbResult{}, fmt.Errorf("reference: %v", err)
	}
	yv := mat.NewVecDense(m, y)
	var Sy mat.VecDense
	if err := Sy.SolveVec(&S, yv); err != nil {
		return s, tbResult{}, err
	}
	d2 := mat.Dot(yv, &Sy)
	var chol mat.Cholesky
	if !chol.Factorize(tbSym(&S)) {
		return s, tbResult{}, fmt.Errorf("reference: S not positive definite")
	}
	ll := -0.5 * (d2 + chol.LogDet() + float64(m)*math.Log(2*math.Pi))
	var dx mat.VecDense
	dx.MulVec(Kt.T(), yv)
	x := make([]float64, n)
	for i := range x {
		x[i] = s.x[i] + dx.AtVec(i)
	}
	IKH := mat.NewDense(n, n, nil)
	IKH.Mul(Kt.T(), H)
	IKH.Scale(-1, IKH)
	for i := 0; i < n; i++ {
		IKH.Set(i, i, IKH.At(i, i)+1)
	}
	var P mat.Dense
	P.Mul(IKH, s.P)
	return tbState{x: x, P: tbSym(&P)}, tbResult{y: y, zhat: zhat, S: tbSym(&S), d2: d2, ll: ll}, nil
}
