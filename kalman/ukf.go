package kalman

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalidConfig reports a filter configuration that cannot be used: UKF parameters
// out of range, an IMM switching matrix whose rows are not probability distributions,
// or initial mode probabilities that are not one.
var ErrInvalidConfig = errors.New("kalman: invalid configuration")

// MaxSigma is the largest number of sigma points a UKF uses: 2·MaxDim + 1.
const MaxSigma = 2*MaxDim + 1

// UKFConfig holds the parameters of the scaled unscented transform. The zero UKFConfig
// is the default: α = 1, β = 2, κ = 0.
//
// With λ = α²(n+κ) − n the 2n+1 sigma points of N(x, P) are x and x ± γ·Lᵢ, where Lᵢ
// are the columns of the lower Cholesky factor of P and γ = √(n+λ) = α·√(n+κ); the mean
// weights are W₀ᵐ = λ/(n+λ), Wᵢ = 1/(2(n+λ)), and the covariance weight of the centre is
// W₀ᶜ = W₀ᵐ + 1 − α² + β. The defaults give λ = 0, so W₀ᵐ = 0, W₀ᶜ = 2 and every weight
// is non-negative: the predicted covariances are then sums of positive semi-definite
// terms plus the noise, and stay positive definite. A small α (such as 10⁻³) keeps the
// points close to the mean but gives a large negative W₀, which can make a covariance
// indefinite; the filter then returns ErrNotPositiveDefinite.
type UKFConfig struct {
	// Alpha is the spread of the sigma points, in (0, 1]; 0 means 1.
	Alpha float64
	// Beta encodes prior knowledge of the distribution (2 is optimal for a Gaussian);
	// finite and ≥ 0; 0 means 2 (use a tiny positive value for an effective 0).
	Beta float64
	// Kappa is the secondary scaling parameter; finite with n+κ > 0; 0 means 0.
	Kappa float64
}

// UKF is the unscented Kalman filter with additive process and measurement noise. The
// state and the measurement are propagated through the nonlinear models at the 2n+1
// sigma points of the scaled unscented transform (see UKFConfig).
//
// Prediction: the points of the prior (x, P) are moved by the motion model, the
// predicted mean is their weighted mean and the predicted covariance their weighted
// scatter plus Q(dt) (evaluated at the prior mean). Measurement prediction: the points
// are redrawn from the current (x, P) (so Q is reflected in them, and an update does not
// need a preceding Predict), measured by h; ẑ is their weighted mean, with angle
// components (Measurement.Angles) averaged on the circle as
// atan2(Σ Wᵢ sin zᵢ, Σ Wᵢ cos zᵢ); S is the weighted scatter of the wrapped residuals
// zᵢ − ẑ plus R, and the cross-covariance Pxz the weighted products of the state and
// wrapped measurement residuals. The update is then x⁺ = x + K y, P⁺ = P − K Pxzᵀ with
// K = Pxz S⁻¹ (Cholesky solves) and y = z − ẑ wrapped, exactly as for KF and EKF, through
// the same Predicted. Joseph form does not apply (there is no H).
//
// State components are averaged linearly: none of this package's motion models has an
// angle in its state (the coordinated-turn heading is carried by the velocity).
//
// For a linear model the unscented transform is exact, so the UKF uses the model's
// linear kernels for it (a linear motion model is predicted as by KF, a linear
// measurement model is projected as by KF); the result is the same up to rounding and
// much cheaper. A UKF holds the sigma points in a scratch workspace (fixed arrays, about
// 6 kB): it is not safe for concurrent use; give each worker its own.
type UKF struct {
	c         core
	n, npts   int
	gamma     float64 // √(n+λ)
	wm0, wc0  float64 // centre weights
	wi        float64 // weight of every other point
	linMotion bool
	ws        ukfWorkspace
}

type ukfWorkspace struct {
	l   Mat            // Cholesky factor of the prior covariance
	x   Vec            // prior mean (passed to Noise)
	q   Mat            // process noise
	sig [MaxSigma]Vec  // sigma points
	y   [MaxSigma]Vec  // propagated sigma points, then residuals from the mean
	z   [MaxSigma]MVec // measured sigma points, then residuals from ẑ
	st  State          // predicted state before it is committed
	cfg UKFConfig      // resolved parameters
}

// NewUKF returns an unscented Kalman filter for motion model m with the given unscented
// transform parameters (zero values mean the defaults of UKFConfig). It returns an error
// wrapping ErrInvalidConfig if α is not in (0, 1], β is negative or not finite, or n+κ
// is not positive; it panics if m.Dim() is not in 1..MaxDim.
func NewUKF(m Motion, cfg UKFConfig) (*UKF, error) {
	f := &UKF{}
	f.c.init(m, Config{}, false)
	n := m.Dim()
	if cfg.Alpha == 0 {
		cfg.Alpha = 1
	}
	if cfg.Beta == 0 {
		cfg.Beta = 2
	}
	if !(cfg.Alpha > 0 && cfg.Alpha <= 1) {
		return nil, fmt.Errorf("%w: UKF alpha %v, want (0, 1]", ErrInvalidConfig, cfg.Alpha)
	}
	if !(cfg.Beta >= 0) || math.IsInf(cfg.Beta, 0) {
		return nil, fmt.Errorf("%w: UKF beta %v, want finite and ≥ 0", ErrInvalidConfig, cfg.Beta)
	}
	if !(float64(n)+cfg.Kappa > 0) || math.IsInf(cfg.Kappa, 0) {
		return nil, fmt.Errorf("%w: UKF kappa %v, want finite with n+kappa > 0 (n = %d)", ErrInvalidConfig, cfg.Kappa, n)
	}
	a2 := cfg.Alpha * cfg.Alpha
	c := a2 * (float64(n) + cfg.Kappa) // n + λ
	lam := c - float64(n)
	f.n, f.npts = n, 2*n+1
	f.gamma = math.Sqrt(c)
	f.wm0 = lam / c
	f.wc0 = f.wm0 + 1 - a2 + cfg.Beta
	f.wi = 1 / (2 * c)
	f.linMotion = m.Linear()
	f.ws.cfg = cfg
	return f, nil
}

// Motion returns the filter's motion model.
func (f *UKF) Motion() Motion { return f.c.motion }

// Config returns the unscented transform parameters in use (defaults resolved).
func (f *UKF) Config() UKFConfig { return f.ws.cfg }

// Weights returns the mean weight and the covariance weight of the centre sigma point
// and the common weight of the other 2n points.
func (f *UKF) Weights() (wm0, wc0, wi float64) { return f.wm0, f.wc0, f.wi }

// sigma fills ws.sig with the sigma points of s and ws.l with the Cholesky factor of
// its covariance.
func (f *UKF) sigma(s *State) error {
	n := f.n
	if !cholN(&f.ws.l, &s.p, n) {
		return fmt.Errorf("%w: state covariance", ErrNotPositiveDefinite)
	}
	g := f.gamma
	f.ws.sig[0] = s.x
	for i := 0; i < n; i++ {
		p, m := &f.ws.sig[1+i], &f.ws.sig[1+n+i]
		*p, *m = s.x, s.x
		for r := i; r < n; r++ { // column i of L is zero above row i
			d := g * f.ws.l[r][i]
			p[r] += d
			m[r] -= d
		}
	}
	return nil
}

// Predict propagates s over dt seconds through the unscented transform of the motion
// model (see UKF). It returns an error wrapping ErrNegativeTimeStep for dt < 0,
// ErrNonFinite for a NaN or infinite dt or a non-finite result, ErrDimension if s does
// not have the model's dimension, and ErrNotPositiveDefinite if the prior or the
// predicted covariance is not positive definite; s is unchanged on error. It does not
// allocate.
func (f *UKF) Predict(s *State, dt float64) error {
	if err := checkDt(dt); err != nil {
		return err
	}
	n := f.n
	if s.n != n {
		return fmt.Errorf("%w: state dimension %d, motion model %d", ErrDimension, s.n, n)
	}
	if f.linMotion {
		return f.c.predictState(s, dt)
	}
	if err := f.sigma(s); err != nil {
		return err
	}
	ws := &f.ws
	mot := f.c.motion
	for i := 0; i < f.npts; i++ {
		mot.Transition(&ws.y[i], &ws.sig[i], dt)
	}
	st := &ws.st
	st.n = n
	for k := 0; k < n; k++ {
		v := 0.0
		for i := 1; i < f.npts; i++ {
			v += ws.y[i][k]
		}
		st.x[k] = f.wm0*ws.y[0][k] + f.wi*v
	}
	for i := 0; i < f.npts; i++ {
		for k := 0; k < n; k++ {
			ws.y[i][k] -= st.x[k]
		}
	}
	ws.x = s.x
	mot.Noise(&ws.q, &ws.x, dt)
	for a := 0; a < n; a++ {
		for b := a; b < n; b++ {
			v := 0.0
			for i := 1; i < f.npts; i++ {
				v += ws.y[i][a] * ws.y[i][b]
			}
			v = f.wc0*ws.y[0][a]*ws.y[0][b] + f.wi*v + 0.5*(ws.q[a][b]+ws.q[b][a])
			st.p[a][b] = v
			st.p[b][a] = v
		}
	}
	if !st.finite() {
		return fmt.Errorf("%w: predicted state", ErrNonFinite)
	}
	if !cholN(&ws.l, &st.p, n) {
		return fmt.Errorf("%w: predicted covariance", ErrNotPositiveDefinite)
	}
	copyState(s, st)
	return nil
}

// predictMeasurement computes the unscented prediction of h for s into p.
func (f *UKF) predictMeasurement(p *Predicted, s *State, h Measurement, R []float64) error {
	if h.Linear() {
		return f.c.predictMeasurement(p, s, h, R)
	}
	n, m := s.n, h.Dim()
	if h.StateDim() != n || n != f.n || m < 1 || m > MaxMeas {
		return fmt.Errorf("%w: measurement model for state dimension %d (m = %d), state has %d", ErrDimension, h.StateDim(), m, s.n)
	}
	p.n, p.m = n, m
	p.angles = h.Angles()
	p.joseph = false
	p.hasH = false
	if err := p.setR(R); err != nil {
		p.m = 0
		return err
	}
	if err := f.sigma(s); err != nil {
		p.m = 0
		return err
	}
	ws := &f.ws
	for i := 0; i < f.npts; i++ {
		h.Measure(&ws.z[i], &ws.sig[i])
	}
	p.zhat = MVec{}
	for k := 0; k < m; k++ {
		if p.angles&(1<<k) != 0 {
			// atan2(Σ Wᵢ sin zᵢ, Σ Wᵢ cos zᵢ) = z₀ + atan2(Σ Wᵢ sin δᵢ, Σ Wᵢ cos δᵢ) with
			// δᵢ = zᵢ − z₀ wrapped: the same circular mean, with small arguments.
			z0 := ws.z[0][k]
			sn, cs := 0.0, 0.0
			for i := 1; i < f.npts; i++ {
				d := wrapAngle(ws.z[i][k] - z0)
				ws.z[i][k] = d
				a, b := sincosSmall(d)
				sn += a
				cs += b
			}
			dm := math.Atan2(f.wi*sn, f.wm0+f.wi*cs)
			p.zhat[k] = wrapAngle(z0 + dm)
			ws.z[0][k] = -dm
			for i := 1; i < f.npts; i++ {
				ws.z[i][k] = wrapAngle(ws.z[i][k] - dm)
			}
			continue
		}
		v := 0.0
		for i := 1; i < f.npts; i++ {
			v += ws.z[i][k]
		}
		p.zhat[k] = f.wm0*ws.z[0][k] + f.wi*v
		for i := 0; i < f.npts; i++ {
			ws.z[i][k] -= p.zhat[k]
		}
	}
	p.s = MMat{}
	for a := 0; a < m; a++ {
		for b := a; b < m; b++ {
			v := 0.0
			for i := 1; i < f.npts; i++ {
				v += ws.z[i][a] * ws.z[i][b]
			}
			v = f.wc0*ws.z[0][a]*ws.z[0][b] + f.wi*v
			p.s[a][b] = v
			p.s[b][a] = v
		}
	}
	// Pxz = Σ Wᵢ (Xᵢ − x)(Zᵢ − ẑ)ᵀ; the centre residual is zero and the others are
	// ±γ·Lᵢ, so Pxz = Wᵢ·γ·Σᵢ Lᵢ (Zᵢ⁺ − Zᵢ⁻)ᵀ.
	var dz [MaxDim]MVec
	for i := 0; i < n; i++ {
		for a := 0; a < m; a++ {
			dz[i][a] = ws.z[1+i][a] - ws.z[1+n+i][a]
		}
	}
	gw := f.gamma * f.wi
	for r := 0; r < n; r++ {
		for a := 0; a < m; a++ {
			v := 0.0
			for i := 0; i <= r; i++ {
				v += ws.l[r][i] * dz[i][a]
			}
			p.pht[r][a] = gw * v
		}
	}
	if err := p.finish(); err != nil {
		p.m = 0
		return err
	}
	return nil
}

// PredictMeasurement writes into dst the unscented prediction of measurement model h for
// state s with measurement noise R (row-major m×m): ẑ, S (including R), its Cholesky
// factor, the cross-covariance Pxz and the gain (see UKF). It returns an error wrapping
// ErrDimension, ErrNonFinite (R, or a sigma point at a measurement singularity) or
// ErrNotPositiveDefinite (R, P or S); dst is unchanged on error. It does not allocate.
func (f *UKF) PredictMeasurement(dst *Predicted, s *State, h Measurement, R []float64) error {
	if err := f.predictMeasurement(&f.c.ws.pred, s, h, R); err != nil {
		return err
	}
	*dst = f.c.ws.pred
	return nil
}

// Apply updates s with measurement z against p (computed from s as it is now): y = z − ẑ
// (angles wrapped), x ← x + K y, P ← P − K Pxzᵀ. It returns the innovation, S, d² (NIS)
// and the Gaussian log-likelihood. Errors as for KF.Apply; s is unchanged on error. It
// does not allocate.
func (f *UKF) Apply(s *State, p *Predicted, z []float64) (Innovation, error) {
	return f.c.apply(s, p, z)
}

// Update is PredictMeasurement followed by Apply, using the filter's own workspace: it
// updates s with measurement z of model h with noise R. On error s is unchanged. It does
// not allocate.
func (f *UKF) Update(s *State, h Measurement, z, R []float64) (Innovation, error) {
	if err := f.predictMeasurement(&f.c.ws.pred, s, h, R); err != nil {
		return Innovation{}, err
	}
	return f.c.apply(s, &f.c.ws.pred, z)
}

// sincosSmall returns sin d and cos d, by their Taylor series (truncation error below
// 1e-18) when |d| < 0.1, which is where the angle residuals of sigma points lie.
func sincosSmall(d float64) (sin, cos float64) {
	if !(math.Abs(d) < 0.1) {
		return math.Sincos(d)
	}
	d2 := d * d
	sin = d * (1 - d2/6*(1-d2/20*(1-d2/42*(1-d2/72))))
	cos = 1 - d2/2*(1-d2/12*(1-d2/30*(1-d2/56*(1-d2/90))))
	return sin, cos
}
