package kalman

import (
	"fmt"
	"math"
)

// CTConfig configures a coordinated-turn model. Spectral densities must be finite and
// ≥ 0; zero means no noise on that component.
type CTConfig struct {
	// Q is the spectral density of the white horizontal acceleration noise, m²/s³, on
	// each of x and y.
	Q float64
	// QRate is the spectral density of the turn-rate noise, rad²/s³ (a random walk on ω).
	QRate float64
	// Vertical appends [z, vz] with independent nearly-constant-velocity motion.
	Vertical bool
	// QZ is the vertical acceleration noise spectral density, m²/s³ (Vertical only).
	QZ float64
	// ZeroRate makes the model the straight-line (CV) mode of the CT layout for an IMM:
	// the horizontal motion is integrated with ω = 0, and ω is predicted as 0 with
	// variance QRate·dt (so keep QRate > 0 to keep the covariance positive definite).
	// The model is then linear.
	ZeroRate bool
}

// CT is the coordinated-turn model with the turn rate in the state. State layout:
// [x, vx, y, vy, ω] (m, m/s, m, m/s, rad/s), or with Vertical [x, vx, y, vy, ω, z, vz].
// ω > 0 turns counter-clockwise (from +x towards +y). With θ = ω·T the transition is
//
//	x'  = x + (sin θ/ω)·vx - ((1 - cos θ)/ω)·vy
//	vx' = cos θ·vx - sin θ·vy
//	y'  = y + ((1 - cos θ)/ω)·vx + (sin θ/ω)·vy
//	vy' = sin θ·vx + cos θ·vy
//	ω'  = ω
//
// and z, vz follow CV. For |θ| < 0.5 the coefficients sin θ/ω, (1 - cos θ)/ω and their
// ω-derivatives (in the analytic Jacobian) are evaluated by Taylor series, so the model
// is exact and smooth through ω = 0, where it is CV. The process noise is
// block-diagonal: Q·[T³/3 T²/2; T²/2 T] on (x, vx) and on (y, vy), QRate·T on ω, and
// QZ·[T³/3 T²/2; T²/2 T] on (z, vz).
type CT struct {
	cfg CTConfig
	n   int
}

var (
	_ Motion         = (*CT)(nil)
	_ statePredictor = (*CT)(nil)
)

// NewCT returns a coordinated-turn model. It panics on a negative or non-finite noise
// density.
func NewCT(cfg CTConfig) *CT {
	checkParam("CT", "Q", cfg.Q)
	checkParam("CT", "QRate", cfg.QRate)
	checkParam("CT", "QZ", cfg.QZ)
	n := 5
	if cfg.Vertical {
		n = 7
	}
	return &CT{cfg: cfg, n: n}
}

// Dim returns 5, or 7 with Vertical.
func (m *CT) Dim() int { return m.n }

// Layout returns positions at 0, 2 (and 5), velocities at 1, 3 (and 6).
func (m *CT) Layout() Layout {
	if m.cfg.Vertical {
		return Layout{Dim: 7, Axes: 3, Pos: [3]int{0, 2, 5}, Vel: [3]int{1, 3, 6}}
	}
	return Layout{Dim: 5, Axes: 2, Pos: [3]int{0, 2, -1}, Vel: [3]int{1, 3, -1}}
}

// Linear reports whether the model is the ZeroRate (straight-line) variant.
func (m *CT) Linear() bool { return m.cfg.ZeroRate }

// String names the model.
func (m *CT) String() string { return fmt.Sprintf("CT%+v", m.cfg) }

// ctSeriesMax is the |ω·T| below which the turn coefficients are evaluated by series.
// Nine terms leave a truncation error below 1e-19 at 0.5; above it the closed forms
// lose at most a factor 12 to cancellation.
const ctSeriesMax = 0.5

// ctSeries returns sin θ/θ, (1 - cos θ)/θ, (θ cos θ - sin θ)/θ² and
// (θ sin θ - (1 - cos θ))/θ² by their Taylor series.
func ctSeries(th float64) (sinc, cosc, dsinc, dcosc float64) {
	t2 := th * th
	a, b, c, d := 1.0, th/2, -th/3, 0.5
	sinc, cosc, dsinc, dcosc = a, b, c, d
	for k := 0; k < 8; k++ {
		fk := float64(k)
		a *= -t2 / ((2*fk + 2) * (2*fk + 3))
		b *= -t2 / ((2*fk + 3) * (2*fk + 4))
		c *= -t2 / ((2*fk + 2) * (2*fk + 5))
		d *= -t2 / ((2*fk + 1) * (2*fk + 4))
		sinc += a
		cosc += b
		dsinc += c
		dcosc += d
	}
	return sinc, cosc, dsinc, dcosc
}

// ctCoef holds sin θ/ω, (1 - cos θ)/ω, their ω-derivatives, cos θ and sin θ.
type ctCoef struct{ a, b, da, db, c, s float64 }

func ctCoefs(w, t float64) ctCoef {
	th := w * t
	c, s := math.Cos(th), math.Sin(th)
	var k ctCoef
	k.c, k.s = c, s
	if math.Abs(th) < ctSeriesMax {
		sinc, cosc, dsinc, dcosc := ctSeries(th)
		k.a, k.b = t*sinc, t*cosc
		k.da, k.db = t*t*dsinc, t*t*dcosc
		return k
	}
	k.a = s / w
	k.b = (1 - c) / w
	k.da = (th*c - s) / (w * w)
	k.db = (th*s - (1 - c)) / (w * w)
	return k
}

// Transition writes f(x, dt) into dst.
func (m *CT) Transition(dst, x *Vec, dt float64) {
	var k ctCoef
	if !m.cfg.ZeroRate {
		k = ctCoefs(x[4], dt)
	}
	m.transition(dst, x, dt, &k)
}

func (m *CT) transition(dst, x *Vec, dt float64, k *ctCoef) {
	px, vx, py, vy, w := x[0], x[1], x[2], x[3], x[4]
	if m.cfg.ZeroRate {
		dst[0] = px + dt*vx
		dst[1] = vx
		dst[2] = py + dt*vy
		dst[3] = vy
		dst[4] = 0
	} else {
		dst[0] = px + k.a*vx - k.b*vy
		dst[1] = k.c*vx - k.s*vy
		dst[2] = py + k.b*vx + k.a*vy
		dst[3] = k.s*vx + k.c*vy
		dst[4] = w
	}
	if m.cfg.Vertical {
		dst[5] = x[5] + dt*x[6]
		dst[6] = x[6]
	}
}

// Jacobian writes ∂f/∂x at x into dst.
func (m *CT) Jacobian(dst *Mat, x *Vec, dt float64) {
	var k ctCoef
	if !m.cfg.ZeroRate {
		k = ctCoefs(x[4], dt)
	}
	m.jacobian(dst, x, dt, &k)
}

func (m *CT) jacobian(dst *Mat, x *Vec, dt float64, k *ctCoef) {
	n := m.n
	for i := 0; i < n; i++ {
		dst[i] = [MaxDim]float64{}
	}
	if m.cfg.ZeroRate {
		dst[0][0], dst[0][1] = 1, dt
		dst[1][1] = 1
		dst[2][2], dst[2][3] = 1, dt
		dst[3][3] = 1
		// ω row stays zero: ω is reset to 0.
	} else {
		vx, vy := x[1], x[3]
		dst[0][0], dst[0][1], dst[0][3], dst[0][4] = 1, k.a, -k.b, k.da*vx-k.db*vy
		dst[1][1], dst[1][3], dst[1][4] = k.c, -k.s, -dt*(k.s*vx+k.c*vy)
		dst[2][1], dst[2][2], dst[2][3], dst[2][4] = k.b, 1, k.a, k.db*vx+k.da*vy
		dst[3][1], dst[3][3], dst[3][4] = k.s, k.c, dt*(k.c*vx-k.s*vy)
		dst[4][4] = 1
	}
	if m.cfg.Vertical {
		dst[5][5], dst[5][6] = 1, dt
		dst[6][6] = 1
	}
}

// predictState is the EKF prediction with the turn coefficients evaluated once:
// x ← f(x), P ← F P Fᵀ + Q with F at the prior mean.
func (m *CT) predictState(s *State, dt float64) {
	if m.cfg.ZeroRate {
		m.predictZeroRate(s, dt)
		return
	}
	var k ctCoef
	if !m.cfg.ZeroRate {
		k = ctCoefs(s.x[4], dt)
	}
	var F, Q Mat
	x := s.x
	m.jacobian(&F, &x, dt, &k)
	m.Noise(&Q, &x, dt)
	m.transition(&s.x, &x, dt, &k)
	predictCovCT(&s.p, &F, &Q, m.cfg.Vertical)
}

// predictCovCT is predictCovDense for the turning model's Jacobian f (ZeroRate off): it
// sets p ← f p fᵀ + q over the state (px, vx, py, vy, ω[, pz, vz]), visiting only the
// entries of f that its structure leaves nonzero, in the order predictCovDense adds
// them, so the sums are the same (up to the sign of an exact zero) at a fraction of the
// loop overhead. q must be symmetric, as CT.Noise writes it.
func predictCovCT(p, f, q *Mat, vertical bool) {
	n := 5
	if vertical {
		n = 7
	}
	// fRC is F's entry in row R, column C; the others are 0, or 1 on the diagonal of
	// rows 0, 2, 4 (and 5, 6)
	f01, f03, f04 := f[0][1], f[0][3], f[0][4]
	f11, f13, f14 := f[1][1], f[1][3], f[1][4]
	f21, f23, f24 := f[2][1], f[2][3], f[2][4]
	f31, f33, f34 := f[3][1], f[3][3], f[3][4]
	f56 := f[5][6]
	// t = F P, row by row
	var t Mat
	p0, p1, p2, p3, p4 := &p[0], &p[1], &p[2], &p[3], &p[4]
	for j := 0; j < n; j++ {
		t[0][j] = p0[j] + f01*p1[j] + f03*p3[j] + f04*p4[j]
		t[1][j] = f11*p1[j] + f13*p3[j] + f14*p4[j]
		t[2][j] = f21*p1[j] + p2[j] + f23*p3[j] + f24*p4[j]
		t[3][j] = f31*p1[j] + f33*p3[j] + f34*p4[j]
		t[4][j] = p4[j]
	}
	if vertical {
		p5, p6 := &p[5], &p[6]
		for j := 0; j < n; j++ {
			t[5][j] = p5[j] + f56*p6[j]
			t[6][j] = p6[j]
		}
	}
	// p = t Fᵀ + q, upper triangle mirrored: column j of the product is row j of F
	for i := 0; i < n; i++ {
		ti := &t[i]
		var r [MaxDim]float64
		r[0] = ti[0] + f01*ti[1] + f03*ti[3] + f04*ti[4]
		r[1] = f11*ti[1] + f13*ti[3] + f14*ti[4]
		r[2] = f21*ti[1] + ti[2] + f23*ti[3] + f24*ti[4]
		r[3] = f31*ti[1] + f33*ti[3] + f34*ti[4]
		r[4] = ti[4]
		if vertical {
			r[5] = ti[5] + f56*ti[6]
			r[6] = ti[6]
		}
		qi := &q[i]
		for j := i; j < n; j++ {
			v := r[j] + qi[j]
			p[i][j] = v
			p[j][i] = v
		}
	}
}

// Noise writes Q(dt) into dst.
func (m *CT) Noise(dst *Mat, _ *Vec, dt float64) {
	n := m.n
	for i := 0; i < n; i++ {
		dst[i] = [MaxDim]float64{}
	}
	t2 := dt * dt
	a, b, c := dt*t2/3, t2/2, dt
	q := m.cfg.Q
	dst[0][0], dst[0][1], dst[1][0], dst[1][1] = q*a, q*b, q*b, q*c
	dst[2][2], dst[2][3], dst[3][2], dst[3][3] = q*a, q*b, q*b, q*c
	dst[4][4] = m.cfg.QRate * dt
	if m.cfg.Vertical {
		q = m.cfg.QZ
		dst[5][5], dst[5][6], dst[6][5], dst[6][6] = q*a, q*b, q*b, q*c
	}
}

// predictZeroRate is predictState for the ZeroRate model, by blocks: each (position,
// velocity) pair is nearly-constant velocity, F = [1 T; 0 1] on it, and the ω row of F
// is zero, so with P's 2×2 blocks B = [a b; c d] between pairs,
// F B Fᵀ = [a + T(b + c) + T²d, b + Td; c + Td, d], plus Q on the diagonal blocks, and
// ω is predicted as 0 with variance QRate·T, uncorrelated. The upper triangle is
// computed and mirrored, so P stays exactly symmetric.
func (m *CT) predictZeroRate(s *State, dt float64) {
	blocks := [3]int{0, 2, 5}
	nb := 2
	if m.cfg.Vertical {
		nb = 3
	}
	t2 := dt * dt
	qa, qb, qc := dt*t2/3, t2/2, dt
	p := &s.p
	var r Mat
	for a := 0; a < nb; a++ {
		i := blocks[a]
		for b := a; b < nb; b++ {
			j := blocks[b]
			pa, pb, pc, pd := p[i][j], p[i][j+1], p[i+1][j], p[i+1][j+1]
			r00 := pa + dt*(pb+pc) + t2*pd
			r01 := pb + dt*pd
			r10 := pc + dt*pd
			r11 := pd
			if a == b {
				q := m.cfg.Q
				if a == 2 {
					q = m.cfg.QZ
				}
				r00 += q * qa
				r01 += q * qb
				r11 += q * qc
				r10 = r01
			}
			r[i][j], r[i][j+1], r[i+1][j], r[i+1][j+1] = r00, r01, r10, r11
			r[j][i], r[j+1][i], r[j][i+1], r[j+1][i+1] = r00, r01, r10, r11
		}
	}
	r[4][4] = m.cfg.QRate * dt
	n := m.n
	for i := 0; i < n; i++ {
		p[i] = r[i]
	}
	x := &s.x
	x[0] += dt * x[1]
	x[2] += dt * x[3]
	x[4] = 0
	if m.cfg.Vertical {
		x[5] += dt * x[6]
	}
}
