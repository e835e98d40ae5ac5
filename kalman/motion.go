package kalman

import (
	"fmt"
	"math"
)

// Motion is a discrete-time motion model x_k+1 = f(x_k, dt) + w, w ~ N(0, Q(dt)).
//
// The filters call Transition, Jacobian and Noise with dt ≥ 0 seconds and x holding a
// state of dimension Dim(). Implementations write the leading Dim()×Dim() block of dst
// in full (zeros included) and must not retain the pointers they are given. The models of
// this package also carry a specialised in-place prediction kernel that the filters
// select when they are constructed; a user-written Motion is predicted with the general
// dense kernel (P ← F P Fᵀ + Q).
type Motion interface {
	// Dim returns the state dimension n.
	Dim() int
	// Layout describes where positions and velocities are in the state.
	Layout() Layout
	// Linear reports whether f is linear in x (Jacobian independent of x).
	Linear() bool
	// Transition writes f(x, dt) into dst. dst and x may be the same vector.
	Transition(dst, x *Vec, dt float64)
	// Jacobian writes F = ∂f/∂x evaluated at x into dst; for a linear model this is the
	// transition matrix.
	Jacobian(dst *Mat, x *Vec, dt float64)
	// Noise writes the discrete process-noise covariance Q(dt) into dst.
	Noise(dst *Mat, x *Vec, dt float64)
}

// statePredictor is implemented by the models of this package: an in-place prediction
// kernel exploiting the model's structure. The filters select it once, at construction.
type statePredictor interface {
	predictState(s *State, dt float64)
}

// Layout describes a state layout: its dimension and where the Cartesian position and
// velocity components are. Measurement models are built from a Layout, so that one
// measurement model works with every motion model of the same geometry.
type Layout struct {
	// Dim is the state dimension.
	Dim int
	// Axes is the number of spatial axes (1, 2 or 3); Pos and Vel use the first Axes
	// entries.
	Axes int
	// Pos holds the state indices of the x, y, z positions (metres); -1 beyond Axes.
	Pos [3]int
	// Vel holds the state indices of the x, y, z velocities (metres per second); -1
	// beyond Axes or where the layout has no velocity.
	Vel [3]int
}

// blockLayout is the layout of axes blocks of size k: [p, v, (a)] per axis.
func blockLayout(axes, k int) Layout {
	l := Layout{Dim: axes * k, Axes: axes, Pos: [3]int{-1, -1, -1}, Vel: [3]int{-1, -1, -1}}
	for a := 0; a < axes; a++ {
		l.Pos[a] = a * k
		l.Vel[a] = a*k + 1
	}
	return l
}

func checkAxes(model string, axes int) {
	if axes < 1 || axes > 3 {
		panic(fmt.Sprintf("kalman: %s with %d axes, want 1, 2 or 3", model, axes))
	}
}

func checkParam(model, name string, v float64) {
	if !(v >= 0) || math.IsInf(v, 0) {
		panic(fmt.Sprintf("kalman: %s parameter %s = %v, want finite and ≥ 0", model, name, v))
	}
}

// blockPredict predicts s in place for a block-diagonal transition: axes blocks of size
// k, each with transition fb and process noise qb (k ≤ 3). Cost O(n²·k).
func blockPredict(s *State, k, axes int, fb, qb *[3][3]float64) {
	n := k * axes
	// Mean.
	for a := 0; a < axes; a++ {
		o := a * k
		var t [3]float64
		for r := 0; r < k; r++ {
			v := 0.0
			for c := r; c < k; c++ { // fb is upper triangular for every model here
				v += fb[r][c] * s.x[o+c]
			}
			t[r] = v
		}
		copy(s.x[o:o+k], t[:k])
	}
	// P ← F P: rows.
	for a := 0; a < axes; a++ {
		o := a * k
		for j := 0; j < n; j++ {
			var t [3]float64
			for r := 0; r < k; r++ {
				v := 0.0
				for c := r; c < k; c++ {
					v += fb[r][c] * s.p[o+c][j]
				}
				t[r] = v
			}
			for r := 0; r < k; r++ {
				s.p[o+r][j] = t[r]
			}
		}
	}
	// P ← P Fᵀ: columns, then add Q and mirror so P is exactly symmetric.
	for i := 0; i < n; i++ {
		row := &s.p[i]
		for a := 0; a < axes; a++ {
			o := a * k
			var t [3]float64
			for r := 0; r < k; r++ {
				v := 0.0
				for c := r; c < k; c++ {
					v += row[o+c] * fb[r][c]
				}
				t[r] = v
			}
			copy(row[o:o+k], t[:k])
		}
	}
	for a := 0; a < axes; a++ {
		o := a * k
		for r := 0; r < k; r++ {
			for c := 0; c < k; c++ {
				s.p[o+r][o+c] += qb[r][c]
			}
		}
	}
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			v := 0.5 * (s.p[i][j] + s.p[j][i])
			s.p[i][j], s.p[j][i] = v, v
		}
	}
}

// blockTransition applies a block-diagonal transition to the mean.
func blockTransition(dst, x *Vec, k, axes int, fb *[3][3]float64) {
	for a := 0; a < axes; a++ {
		o := a * k
		var t [3]float64
		for r := 0; r < k; r++ {
			for c := 0; c < k; c++ {
				t[r] += fb[r][c] * x[o+c]
			}
		}
		copy(dst[o:o+k], t[:k])
	}
}

// blockMat writes the block-diagonal matrix with axes copies of b (k×k) into dst.
func blockMat(dst *Mat, k, axes int, b *[3][3]float64) {
	n := k * axes
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			dst[i][j] = 0
		}
	}
	for a := 0; a < axes; a++ {
		o := a * k
		for r := 0; r < k; r++ {
			for c := 0; c < k; c++ {
				dst[o+r][o+c] = b[r][c]
			}
		}
	}
}

// CV is the nearly-constant-velocity (white-noise acceleration) model in 1, 2 or 3
// axes. State layout, per axis: [position (m), velocity (m/s)], so 2-D is
// [x, vx, y, vy] and 3-D is [x, vx, y, vy, z, vz]. Each axis is driven independently by
// continuous white acceleration noise of spectral density q (m²/s³), giving per axis
//
//	F(T) = [1 T; 0 1],   Q(T) = q·[T³/3 T²/2; T²/2 T].
type CV struct {
	axes int
	q    float64
}

var _ Motion = (*CV)(nil)

// NewCV returns a nearly-constant-velocity model with the given number of axes (1..3)
// and acceleration noise spectral density q ≥ 0 in m²/s³. It panics on other values.
func NewCV(axes int, q float64) *CV {
	checkAxes("CV", axes)
	checkParam("CV", "q", q)
	return &CV{axes: axes, q: q}
}

// Dim returns 2·axes.
func (m *CV) Dim() int { return 2 * m.axes }

// Layout returns [x, vx, (y, vy, (z, vz))].
func (m *CV) Layout() Layout { return blockLayout(m.axes, 2) }

// Linear returns true.
func (m *CV) Linear() bool { return true }

func (m *CV) blocks(fb, qb *[3][3]float64, t float64) {
	fb[0][0], fb[0][1] = 1, t
	fb[1][1] = 1
	t2 := t * t
	qb[0][0] = m.q * t2 * t / 3
	qb[0][1] = m.q * t2 / 2
	qb[1][0] = qb[0][1]
	qb[1][1] = m.q * t
}

// Transition writes F(dt)·x into dst.
func (m *CV) Transition(dst, x *Vec, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockTransition(dst, x, 2, m.axes, &fb)
}

// Jacobian writes F(dt) into dst.
func (m *CV) Jacobian(dst *Mat, _ *Vec, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockMat(dst, 2, m.axes, &fb)
}

// Noise writes Q(dt) into dst.
func (m *CV) Noise(dst *Mat, _ *Vec, dt float64) {
	var fb, qb [3][3]float64
	m.blocks(&fb, &qb, dt)
	blockMat(dst, 2, m.axes, &qb)
}

func (m *CV) predictState(s *State, dt float64) {
	m.predictInto(s, s, dt)
}

// predictInto writes the prediction of src over dt into dst (which may be src). Per
// pair of axis blocks (a, b), with F = [1 T; 0 1]:
//
//	[p00 p01; p10 p11] → [p00 + T(p01 + p10) + T²p11, p01 + T p11; p10 + T p11, p11]
//
// computed on the upper block triangle and mirrored, plus Q on the diagonal blocks. It
// returns false if the result is not finite.
func (m *CV) predictInto(dst, src *State, t float64) bool {
	axes := m.axes
	t2 := t * t
	q00, q01, q11 := m.q*t2*t/3, m.q*t2/2, m.q*t
	dst.n = src.n
	acc := 0.0
	for a := 0; a < axes; a++ {
		o := 2 * a
		x := src.x[o] + t*src.x[o+1]
		dst.x[o], dst.x[o+1] = x, src.x[o+1]
		acc += x*0 + src.x[o+1]*0
		r0, r1 := &src.p[o], &src.p[o+1]
		d0, d1 := &dst.p[o], &dst.p[o+1]
		for b := a; b < axes; b++ {
			c := 2 * b
			p00, p01, p10, p11 := r0[c], r0[c+1], r1[c], r1[c+1]
			n00 := p00 + t*(p01+p10) + t2*p11
			n01 := p01 + t*p11
			n10 := p10 + t*p11
			if a == b {
				n00 += q00
				n01 += q01
				n10 = n01
				p11 += q11
			}
			acc += n00*0 + n01*0 + n10*0 + p11*0
			d0[c], d0[c+1], d1[c], d1[c+1] = n00, n01, n10, p11
			dst.p[c][o], dst.p[c+1][o], dst.p[c][o+1], dst.p[c+1][o+1] = n00, n01, n10, p11
		}
	}
	return acc == 0
}
