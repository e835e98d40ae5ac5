package kalman

import "math"

// CA is the nearly-constant-acceleration (white-noise jerk, Wiener-process
// acceleration) model in 1, 2 or 3 axes. State layout, per axis: [position (m),
// velocity (m/s), acceleration (m/s²)], so 2-D is [x, vx, ax, y, vy, ay] and 3-D appends
// [z, vz, az]. Each axis is driven by continuous white jerk noise of spectral density
// q (m²/s⁵), giving per axis
//
//	F(T) = [1 T T²/2; 0 1 T; 0 0 1],
//	Q(T) = q·[T⁵/20 T⁴/8 T³/6; T⁴/8 T³/3 T²/2; T³/6 T²/2 T].
type CA struct {
	axes int
	q    float64
}

var _ Motion = (*CA)(nil)

// NewCA returns a nearly-constant-acceleration model with the given number of axes
// (1..3) and jerk noise spectral density q ≥ 0 in m²/s⁵. It panics on other values.
func NewCA(axes int, q float64) *CA {
	checkAxes("CA", axes)
	checkParam("CA", "q", q)
	return &CA{axes: axes, q: q}
}

// Dim returns 3·axes.
func (m *CA) Dim() int { return 3 * m.axes }

// Layout returns [x, vx, ax, (y, vy, ay, (z, vz, az))].
func (m *CA) Layout() Layout { return blockLayout(m.axes, 3) }

// Linear returns true.
func (m *CA) Linear() bool { return true }

func (m *CA) blocks(fb, qb *[3][3]float64, t float64) {
	t2 := t * t
	t3 := t2 * t
	*fb = [3][3]float64{{1, t, t2 / 2}, {0, 1, t}, {0, 0, 1}}
	q := m.q
	*qb = [3][3]float64{
		{q * t3 * t2 / 20, q * t2 * t2 / 8, q * t3 / 6},
		{q * t2 * t2 / 8, q * t3 / 3, q * t2 / 2},
		{q * t3 / 6, q * t2 / 2, q * t},
	}
}

// Transition writes F(dt)·x into dst.
func (m *CA) Transition(dst, x *Vec, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockTransition(dst, x, 3, m.axes, &fb)
}

// Jacobian writes F(dt) into dst.
func (m *CA) Jacobian(dst *Mat, _ *Vec, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockMat(dst, 3, m.axes, &fb)
}

// Noise writes Q(dt) into dst.
func (m *CA) Noise(dst *Mat, _ *Vec, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockMat(dst, 3, m.axes, &qb)
}

func (m *CA) predictState(s *State, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockPredict(s, 3, m.axes, &fb, &qb)
}

// Singer is Singer's model (1970): per axis the acceleration is a first-order
// Gauss-Markov process with time constant tau (s) and standard deviation sigma (m/s²),
// da/dt = -a/tau + w with w white of spectral density 2σ²/τ. State layout as CA: per
// axis [position (m), velocity (m/s), acceleration (m/s²)]. With α = 1/τ, x = αT and
// E = e^(-x), per axis
//
//	F(T) = [1 T (x - 1 + E)/α²; 0 1 (1 - E)/α; 0 0 E],
//	Q(T)_ij = 2σ²·α^-(a_i + a_j)·∫₀^x G_i(u) G_j(u) du,  a = (2, 1, 0),
//	G_1(u) = u - 1 + e^(-u),  G_2(u) = 1 - e^(-u),  G_3(u) = e^(-u),
//
// which are Singer's closed forms. For x ≥ 0.3 the closed forms are used; below, where
// they cancel catastrophically, a Taylor series in x of degree 17 (relative error below
// 1e-15). As τ → ∞ with 2σ²/τ fixed, the model tends to CA.
type Singer struct {
	axes         int
	alpha, sigma float64
}

var _ Motion = (*Singer)(nil)

// NewSinger returns a Singer model with the given axes (1..3), manoeuvre time constant
// tau > 0 in seconds and acceleration standard deviation sigma ≥ 0 in m/s². It panics on
// other values.
func NewSinger(axes int, tau, sigma float64) *Singer {
	checkAxes("Singer", axes)
	checkParam("Singer", "sigma", sigma)
	if !(tau > 0) || math.IsInf(tau, 0) {
		panic("kalman: Singer time constant tau must be finite and > 0")
	}
	return &Singer{axes: axes, alpha: 1 / tau, sigma: sigma}
}

// Dim returns 3·axes.
func (m *Singer) Dim() int { return 3 * m.axes }

// Layout returns [x, vx, ax, (y, vy, ay, (z, vz, az))].
func (m *Singer) Layout() Layout { return blockLayout(m.axes, 3) }

// Linear returns true.
func (m *Singer) Linear() bool { return true }

// singerSeriesDeg is the degree of the Taylor series of the Singer integrals.
const singerSeriesDeg = 17

// singerCoef[p][k] is the coefficient of x^(k+1) in I_p(x), p indexing the pairs
// (1,1), (1,2), (1,3), (2,2), (2,3), (3,3).
var singerCoef = func() (c [6][singerSeriesDeg + 1]float64) {
	var g [3][singerSeriesDeg + 1]float64
	f := 1.0
	for k := 0; k <= singerSeriesDeg; k++ {
		if k > 0 {
			f *= float64(k)
		}
		e := 1 / f
		if k%2 == 1 {
			e = -e
		}
		g[2][k] = e
		if k >= 1 {
			g[1][k] = -e
		}
		if k >= 2 {
			g[0][k] = e
		}
	}
	pairs := [6][2]int{{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}}
	for p, ij := range pairs {
		for k := 0; k <= singerSeriesDeg; k++ {
			v := 0.0
			for a := 0; a <= k; a++ {
				v += g[ij[0]][a] * g[ij[1]][k-a]
			}
			c[p][k] = v / float64(k+1)
		}
	}
	return c
}()

// singerIntegrals returns I_p(x) = ∫₀^x G_i G_j du for the six pairs.
func singerIntegrals(x float64) (I [6]float64) {
	if x < 0.3 {
		for p := range I {
			v := 0.0
			for k := singerSeriesDeg; k >= 0; k-- {
				v = v*x + singerCoef[p][k]
			}
			I[p] = v * x
		}
		return I
	}
	E := math.Exp(-x)
	omE := -math.Expm1(-x) // 1 - E
	half := 0.5 * (1 - E*E)
	I[0] = ((x-1)*(x-1)*(x-1)+1)/3 - 2*x*E + half
	I[1] = x*x/2 - x + 2*omE - (1 - (1+x)*E) - half
	I[2] = -x*E + half
	I[3] = x - 2*omE + half
	I[4] = 0.5 * omE * omE
	I[5] = half
	return I
}

func (m *Singer) blocks(fb, qb *[3][3]float64, t float64) {
	a := m.alpha
	x := a * t
	E := math.Exp(-x)
	g2 := -math.Expm1(-x) // 1 - e^-x
	var g1 float64        // x - 1 + e^-x
	if x < 0.3 {
		for k := singerSeriesDeg; k >= 2; k-- {
			g1 = g1*x + singerG1[k]
		}
		g1 *= x * x
	} else {
		g1 = x - g2
	}
	*fb = [3][3]float64{{1, t, g1 / (a * a)}, {0, 1, g2 / a}, {0, 0, E}}
	I := singerIntegrals(x)
	s2 := 2 * m.sigma * m.sigma
	ia := 1 / a
	ia2 := ia * ia
	qb[0][0] = s2 * ia2 * ia2 * I[0]
	qb[0][1] = s2 * ia2 * ia * I[1]
	qb[0][2] = s2 * ia2 * I[2]
	qb[1][1] = s2 * ia2 * I[3]
	qb[1][2] = s2 * ia * I[4]
	qb[2][2] = s2 * I[5]
	qb[1][0], qb[2][0], qb[2][1] = qb[0][1], qb[0][2], qb[1][2]
}

// singerG1[k] is the coefficient of x^(k-2)·x² in x - 1 + e^-x (k ≥ 2): (-1)^k/k!.
var singerG1 = func() (c [singerSeriesDeg + 1]float64) {
	f := 1.0
	for k := 1; k <= singerSeriesDeg; k++ {
		f *= float64(k)
		if k >= 2 {
			c[k] = 1 / f
			if k%2 == 1 {
				c[k] = -c[k]
			}
		}
	}
	return c
}()

// Transition writes F(dt)·x into dst.
func (m *Singer) Transition(dst, x *Vec, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockTransition(dst, x, 3, m.axes, &fb)
}

// Jacobian writes F(dt) into dst.
func (m *Singer) Jacobian(dst *Mat, _ *Vec, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockMat(dst, 3, m.axes, &fb)
}

// Noise writes Q(dt) into dst.
func (m *Singer) Noise(dst *Mat, _ *Vec, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockMat(dst, 3, m.axes, &qb)
}

func (m *Singer) predictState(s *State, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockPredict(s, 3, m.axes, &fb, &qb)
}
