package kalman

import (
	"fmt"
	"math"
)

// Config holds the numeric settings of a KF or EKF. The zero Config is the default.
type Config struct {
	// Joseph selects the Joseph form of the covariance update,
	// P⁺ = (I - K H) P (I - K H)ᵀ + K R Kᵀ, which keeps P⁺ positive semi-definite even
	// with a suboptimal gain or rounding, at about twice the cost. The default is
	// P⁺ = P - K S Kᵀ, computed as P - K (P Hᵀ)ᵀ on the upper triangle and mirrored.
	// Either way P⁺ is exactly symmetric (the Joseph form averages its two triangles).
	Joseph bool
}

// Predicted is a predicted measurement for one state and one measurement model with
// noise R: the predicted measurement ẑ, the innovation covariance S = H P Hᵀ + R, its
// Cholesky factor, the cross-covariance P Hᵀ and the gain K = P Hᵀ S⁻¹. Compute it
// once with PredictMeasurement, score any number of measurements against it with Score
// (gating, JPDA), and apply one with Apply.
//
// A Predicted is about 1.3 kB of fixed arrays and holds no pointers; copying it is a deep
// copy. The zero Predicted is invalid (Dim 0) and Score and Apply reject it. It describes
// the state it was computed from: applying it to a state that has changed since is a
// programmer error the filter cannot detect.
type Predicted struct {
	n, m    int
	angles  uint8
	joseph  bool
	hasH    bool
	logNorm float64 // -(log det S + m·log 2π)/2; 0 for an IMM mixture (n = 0)
	zhat    MVec
	s       MMat // innovation covariance S
	l       MMat // lower Cholesky factor of S
	linv    MVec // 1/L_ii
	r       MMat // measurement noise R
	pht     [MaxDim][MaxMeas]float64
	k       [MaxDim][MaxMeas]float64
	h       HMat
}

// Dim returns the measurement dimension m (0 for an invalid Predicted).
func (p *Predicted) Dim() int { return p.m }

// Z returns the predicted measurement ẑ; only the first Dim() entries are meaningful.
func (p *Predicted) Z() MVec { return p.zhat }

// S returns the innovation covariance S = H P Hᵀ + R; only the leading Dim()×Dim() block
// is meaningful.
func (p *Predicted) S() MMat { return p.s }

// Score returns the squared Mahalanobis distance d² = yᵀ S⁻¹ y of measurement z from
// the prediction (y = z - ẑ with angle components wrapped to [-π, π]) and its Gaussian
// log-likelihood log N(y; 0, S) = -(d² + log det S + m·log 2π)/2. It costs O(m²) and
// does not allocate. Gate on d² against distuv.ChiSquared{K: m}.Quantile(p). d² is +Inf
// (not an error) when the innovation is too large to square; Apply rejects such a
// measurement. It returns ErrDimension if len(z) != Dim() and ErrNonFinite if z has a
// NaN or ±Inf.
func (p *Predicted) Score(z []float64) (d2, logLik float64, err error) {
	var y MVec
	if err := p.innovation(&y, z); err != nil {
		return 0, 0, err
	}
	d2 = p.mahalanobis(&y)
	return d2, p.logNorm - 0.5*d2, nil
}

// innovation writes y = z - ẑ (angles wrapped) after validating z.
func (p *Predicted) innovation(y *MVec, z []float64) error {
	if p.m == 0 || len(z) != p.m {
		return fmt.Errorf("%w: measurement has length %d, predicted measurement %d", ErrDimension, len(z), p.m)
	}
	for i := 0; i < p.m; i++ {
		v := z[i] - p.zhat[i]
		if v-v != 0 {
			return fmt.Errorf("%w: measurement component %d is %v", ErrNonFinite, i, z[i])
		}
		if p.angles&(1<<i) != 0 {
			v = wrapAngle(v)
		}
		y[i] = v
	}
	return nil
}

// mahalanobis returns yᵀ S⁻¹ y through the Cholesky factor.
func (p *Predicted) mahalanobis(y *MVec) float64 {
	var u MVec
	d2 := 0.0
	for i := 0; i < p.m; i++ {
		s := y[i]
		for k := 0; k < i; k++ {
			s -= p.l[i][k] * u[k]
		}
		s *= p.linv[i]
		u[i] = s
		d2 += s * s
	}
	return d2
}

// finish completes a Predicted whose n, m, angles, zhat, pht and s (= H P Hᵀ, without R)
// are filled: it adds R (already validated into p.r), symmetrises S, factorises it and
// computes the gain. It returns a wrapped ErrNotPositiveDefinite or ErrNonFinite.
// Sigma-point filters use it too, with s the predicted measurement covariance and pht
// the state–measurement cross-covariance.
func (p *Predicted) finish() error {
	m, n := p.m, p.n
	// Finite checks accumulate v*0, which is NaN exactly when v is NaN or ±Inf.
	acc := 0.0
	for i := 0; i < m; i++ {
		for j := 0; j < i; j++ {
			v := 0.5*(p.s[i][j]+p.s[j][i]) + p.r[i][j]
			p.s[i][j], p.s[j][i] = v, v
			acc += v * 0
		}
		p.s[i][i] += p.r[i][i]
		acc += p.s[i][i]*0 + p.zhat[i]*0
	}
	if acc != 0 {
		return fmt.Errorf("%w: predicted measurement or innovation covariance", ErrNonFinite)
	}
	if !cholInvM(&p.l, &p.linv, &p.s, m) {
		return fmt.Errorf("%w: innovation covariance", ErrNotPositiveDefinite)
	}
	// log det S = 2·Σ log L_ii, with one logarithm unless the product leaves the range.
	// The IMM mixture (n = 0, no gain) never reports a likelihood of its own (its
	// log-likelihood is that of the mixture): it is left 0, without the logarithm.
	p.logNorm = 0
	if n > 0 {
		prod := 1.0
		for i := 0; i < m; i++ {
			prod *= p.l[i][i]
		}
		var ld float64
		if prod > 1e-300 && prod < 1e300 {
			ld = math.Log(prod)
		} else {
			for i := 0; i < m; i++ {
				ld += math.Log(p.l[i][i])
			}
		}
		p.logNorm = -ld - 0.5*float64(m)*log2Pi
	}
	// K = P Hᵀ S⁻¹: each row k_r solves S k_r = (P Hᵀ)_r.
	// (Solved in place, element by element: copying a freshly written array as a whole
	// stalls store forwarding.)
	if m == 2 { // unrolled: the common position and range-bearing case
		l10, i0, i1 := p.l[1][0], p.linv[0], p.linv[1]
		for r := 0; r < n; r++ {
			a, b := p.pht[r][0], p.pht[r][1]
			acc += a*0 + b*0
			u0 := a * i0
			u1 := (b - l10*u0) * i1
			u1 *= i1
			p.k[r][0], p.k[r][1] = (u0-l10*u1)*i0, u1
		}
	} else if m == 3 { // unrolled: 3-D position, range-azimuth-elevation
		l10, l20, l21 := p.l[1][0], p.l[2][0], p.l[2][1]
		i0, i1, i2 := p.linv[0], p.linv[1], p.linv[2]
		for r := 0; r < n; r++ {
			a, b, c := p.pht[r][0], p.pht[r][1], p.pht[r][2]
			acc += a*0 + b*0 + c*0
			u0 := a * i0
			u1 := (b - l10*u0) * i1
			u2 := (c - l20*u0 - l21*u1) * i2
			v2 := u2 * i2
			v1 := (u1 - l21*v2) * i1
			p.k[r][0], p.k[r][1], p.k[r][2] = (u0-l10*v1-l20*v2)*i0, v1, v2
		}
	} else {
		for r := 0; r < n; r++ {
			u := (*MVec)(&p.k[r])
			for i := 0; i < m; i++ {
				u[i] = p.pht[r][i]
				acc += u[i] * 0
			}
			forwardInvM(&p.l, &p.linv, u, m)
			backwardInvM(&p.l, &p.linv, u, m)
		}
	}
	if acc != 0 {
		return fmt.Errorf("%w: state-measurement cross-covariance", ErrNonFinite)
	}
	return nil
}

// setR validates R (row-major m×m) into p.r: finite, symmetric within a relative 1e-9,
// positive definite.
func (p *Predicted) setR(R []float64) error {
	m := p.m
	if len(R) != m*m {
		return fmt.Errorf("%w: measurement noise has length %d, want %d", ErrDimension, len(R), m*m)
	}
	acc := 0.0
	diag := true
	for i := 0; i < m; i++ {
		row := R[i*m : i*m+m]
		for j, v := range row {
			p.r[i][j] = v
			acc += v * 0
			if i != j && v != 0 {
				diag = false
			}
		}
	}
	if acc != 0 {
		return fmt.Errorf("%w: measurement noise", ErrNonFinite)
	}
	for i := 0; i < m; i++ {
		if !(p.r[i][i] > 0) {
			return fmt.Errorf("%w: measurement noise has variance %v", ErrNotPositiveDefinite, p.r[i][i])
		}
	}
	if diag {
		return nil // a diagonal matrix with positive diagonal is positive definite
	}
	for i := 0; i < m; i++ {
		for j := 0; j < i; j++ {
			a, b := p.r[i][j], p.r[j][i]
			if a != b {
				if math.Abs(a-b) > symTol*math.Sqrt(p.r[i][i]*p.r[j][j]) {
					return fmt.Errorf("%w: measurement noise is not symmetric", ErrNotPositiveDefinite)
				}
				v := 0.5 * (a + b)
				p.r[i][j], p.r[j][i] = v, v
			}
		}
	}
	var l MMat
	var inv MVec
	if !cholInvM(&l, &inv, &p.r, m) {
		return fmt.Errorf("%w: measurement noise", ErrNotPositiveDefinite)
	}
	return nil
}

// applyTo writes the update of src by z into dst (dst != src) and fills inn (pass a zero
// Innovation). On error dst and inn are partly written and must be discarded; src is
// never written.
func (p *Predicted) applyTo(dst, src *State, z []float64, inn *Innovation) error {
	n, m := p.n, p.m
	if src.n != n {
		return fmt.Errorf("%w: predicted measurement is for dimension %d, state has %d", ErrDimension, n, src.n)
	}
	y := &inn.Y // written in place (entries from m on are left as they are)
	if err := p.innovation(y, z); err != nil {
		return err
	}
	d2 := p.mahalanobis(y)
	if math.IsInf(d2, 0) {
		return fmt.Errorf("%w: the innovation's Mahalanobis distance overflows", ErrNonFinite)
	}
	dst.n = n
	for r := 0; r < n; r++ {
		v := src.x[r]
		for i := 0; i < m; i++ {
			v += p.k[r][i] * y[i]
		}
		dst.x[r] = v
	}
	if p.joseph && p.hasH {
		p.josephCov(dst, src)
	} else {
		// P⁺ = P - K (P Hᵀ)ᵀ, upper triangle computed and mirrored (P is exactly
		// symmetric on entry, K (P Hᵀ)ᵀ = P Hᵀ S⁻¹ H P is symmetric up to rounding).
		// The inner sum is unrolled for the common measurement sizes.
		switch m {
		case 2:
			for i := 0; i < n; i++ {
				k0, k1 := p.k[i][0], p.k[i][1]
				for j := i; j < n; j++ {
					v := src.p[i][j] - k0*p.pht[j][0] - k1*p.pht[j][1]
					dst.p[i][j] = v
					dst.p[j][i] = v
				}
			}
		case 3:
			for i := 0; i < n; i++ {
				k0, k1, k2 := p.k[i][0], p.k[i][1], p.k[i][2]
				for j := i; j < n; j++ {
					v := src.p[i][j] - k0*p.pht[j][0] - k1*p.pht[j][1] - k2*p.pht[j][2]
					dst.p[i][j] = v
					dst.p[j][i] = v
				}
			}
		default:
			for i := 0; i < n; i++ {
				ki := &p.k[i]
				for j := i; j < n; j++ {
					v := src.p[i][j]
					hj := &p.pht[j]
					for k := 0; k < m; k++ {
						v -= ki[k] * hj[k]
					}
					dst.p[i][j] = v
					dst.p[j][i] = v
				}
			}
		}
	}
	if !dst.finite() {
		return fmt.Errorf("%w: updated state", ErrNonFinite)
	}
	if !dst.covDiagPositive() {
		return fmt.Errorf("%w: updated covariance lost positive variance", ErrNotPositiveDefinite)
	}
	inn.M = m
	inn.S = p.s
	inn.D2 = d2
	inn.LogLik = p.logNorm - 0.5*d2
	return nil
}

// josephCov writes (I - K H) P (I - K H)ᵀ + K R Kᵀ into dst.p.
func (p *Predicted) josephCov(dst, src *State) {
	n, m := p.n, p.m
	var a, t Mat
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := 0.0
			if i == j {
				v = 1
			}
			for k := 0; k < m; k++ {
				v -= p.k[i][k] * p.h[k][j]
			}
			a[i][j] = v
		}
	}
	// t = A P
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			v := 0.0
			for k := 0; k < n; k++ {
				v += a[i][k] * src.p[k][j]
			}
			t[i][j] = v
		}
	}
	// K R
	var kr [MaxDim][MaxMeas]float64
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			v := 0.0
			for k := 0; k < m; k++ {
				v += p.k[i][k] * p.r[k][j]
			}
			kr[i][j] = v
		}
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			v, w := 0.0, 0.0
			for k := 0; k < n; k++ {
				v += t[i][k] * a[j][k]
				w += t[j][k] * a[i][k]
			}
			for k := 0; k < m; k++ {
				v += kr[i][k] * p.k[j][k]
				w += kr[j][k] * p.k[i][k]
			}
			v = 0.5 * (v + w)
			dst.p[i][j] = v
			dst.p[j][i] = v
		}
	}
}

const log2Pi = 1.8378770664093453 // log(2π)

// Innovation is the outcome of one measurement update, for gating, track scoring and
// consistency checks.
type Innovation struct {
	// M is the measurement dimension; only the first M entries (rows, columns) of Y and S
	// are meaningful.
	M int
	// Y is the innovation z - ẑ, angle components wrapped to [-π, π].
	Y MVec
	// S is the innovation covariance H P Hᵀ + R.
	S MMat
	// D2 is the squared Mahalanobis distance Yᵀ S⁻¹ Y (the normalised innovation
	// squared, NIS), χ²(M)-distributed for a consistent filter.
	D2 float64
	// LogLik is log N(Y; 0, S) = -(D2 + log det S + M·log 2π)/2.
	LogLik float64
}

// workspace is a filter's scratch storage. Models are called through interfaces, so
// everything passed to them lives here (never on the stack, which would escape).
type workspace struct {
	st   State
	x    Vec
	f, q Mat
	pred Predicted
}

// core is the machinery shared by KF and EKF.
type core struct {
	motion  Motion
	cfg     Config
	linear  bool
	predict func(s *State, dt float64)
	cv      *CV // non-nil when the motion model is CV: its kernel is called directly
	ws      workspace
}

func (c *core) init(m Motion, cfg Config, linear bool) {
	n := m.Dim()
	if n < 1 || n > MaxDim {
		panic(fmt.Sprintf("kalman: motion model of dimension %d", n))
	}
	c.motion, c.cfg, c.linear = m, cfg, linear
	c.cv, _ = m.(*CV)
	if sp, ok := m.(statePredictor); ok {
		c.predict = sp.predictState
	} else {
		c.predict = c.densePredict
	}
}

// densePredict is the general prediction kernel: x ← f(x), P ← F P Fᵀ + Q with F and Q
// evaluated at the prior mean.
func (c *core) densePredict(s *State, dt float64) {
	n := s.n
	c.ws.x = s.x
	c.motion.Jacobian(&c.ws.f, &c.ws.x, dt)
	c.motion.Noise(&c.ws.q, &c.ws.x, dt)
	c.motion.Transition(&s.x, &c.ws.x, dt)
	predictCovDense(&s.p, &c.ws.f, &c.ws.q, n)
}

// predictCovDense sets p ← f p fᵀ + q (leading n×n blocks), exactly symmetric: t = F P
// row by row, skipping the zeros of F (transition matrices are sparse), then the upper
// triangle of t Fᵀ plus the symmetric part of q, mirrored.
func predictCovDense(p, f, q *Mat, n int) {
	var t Mat
	for i := 0; i < n; i++ {
		ti := &t[i]
		for k := 0; k < n; k++ {
			fik := f[i][k]
			if fik == 0 {
				continue
			}
			pk := &p[k]
			for j := 0; j < n; j++ {
				ti[j] += fik * pk[j]
			}
		}
	}
	for i := 0; i < n; i++ {
		ti := &t[i]
		for j := i; j < n; j++ {
			fj := &f[j]
			v := 0.0
			for k := 0; k < n; k++ {
				v += ti[k] * fj[k]
			}
			v += 0.5 * (q[i][j] + q[j][i])
			p[i][j] = v
			p[j][i] = v
		}
	}
}

func checkDt(dt float64) error {
	if dt-dt != 0 {
		return fmt.Errorf("%w: time step %v", ErrNonFinite, dt)
	}
	if dt < 0 {
		return fmt.Errorf("%w: %v s", ErrNegativeTimeStep, dt)
	}
	return nil
}

func (c *core) predictState(s *State, dt float64) error {
	if err := checkDt(dt); err != nil {
		return err
	}
	if s.n != c.motion.Dim() {
		return fmt.Errorf("%w: state dimension %d, motion model %d", ErrDimension, s.n, c.motion.Dim())
	}
	var ok bool
	if c.cv != nil {
		// CV's kernel is called directly (chosen at construction): out of place, with
		// the finite check folded in.
		ok = c.cv.predictInto(&c.ws.st, s, dt)
	} else {
		copyState(&c.ws.st, s)
		c.predict(&c.ws.st, dt)
		ok = c.ws.st.finite()
	}
	if !ok {
		return fmt.Errorf("%w: predicted state", ErrNonFinite)
	}
	copyState(s, &c.ws.st)
	return nil
}

// predictTo writes the prediction of src over dt into dst, src unchanged.
func (c *core) predictTo(dst, src *State, dt float64) error {
	if err := checkDt(dt); err != nil {
		return err
	}
	if src.n != c.motion.Dim() {
		return fmt.Errorf("%w: state dimension %d, motion model %d", ErrDimension, src.n, c.motion.Dim())
	}
	var ok bool
	if c.cv != nil {
		ok = c.cv.predictInto(dst, src, dt)
	} else {
		copyState(dst, src)
		c.predict(dst, dt)
		ok = dst.finite()
	}
	if !ok {
		return fmt.Errorf("%w: predicted state", ErrNonFinite)
	}
	return nil
}

// predictMeasurement computes the Predicted of s under h with noise R into p.
func (c *core) predictMeasurement(p *Predicted, s *State, h Measurement, R []float64) error {
	if c.linear && !h.Linear() {
		return fmt.Errorf("%w: measurement model", ErrNonlinear)
	}
	m := h.Dim()
	if h.StateDim() != s.n || m < 1 || m > MaxMeas {
		return fmt.Errorf("%w: measurement model for state dimension %d (m = %d), state has %d", ErrDimension, h.StateDim(), m, s.n)
	}
	p.n, p.m = s.n, m
	p.zhat, p.s = MVec{}, MMat{} // entries beyond m read as zero
	p.angles = h.Angles()
	p.joseph = c.cfg.Joseph
	p.hasH = true
	if err := p.setR(R); err != nil {
		p.m = 0
		return err
	}
	// The models are called through interfaces, so they get the workspace copy of the
	// state: the caller's State does not escape to the heap.
	st := &c.ws.st
	copyState(st, s)
	if pr, ok := h.(projector); ok {
		pr.project(p, st)
	} else {
		h.Measure(&p.zhat, &st.x)
		h.Jacobian(&p.h, &st.x)
		projectDense(p, st)
	}
	if err := p.finish(); err != nil {
		p.m = 0
		return err
	}
	return nil
}

// projectDense writes P Hᵀ and H P Hᵀ from p.h and the state covariance.
func projectDense(p *Predicted, s *State) {
	n, m := p.n, p.m
	for r := 0; r < n; r++ {
		for i := 0; i < m; i++ {
			v := 0.0
			for c := 0; c < n; c++ {
				v += s.p[r][c] * p.h[i][c]
			}
			p.pht[r][i] = v
		}
	}
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			v := 0.0
			for r := 0; r < n; r++ {
				v += p.h[i][r] * p.pht[r][j]
			}
			p.s[i][j] = v
		}
	}
}

func (c *core) exportedPredictMeasurement(dst *Predicted, s *State, h Measurement, R []float64) error {
	if err := c.predictMeasurement(&c.ws.pred, s, h, R); err != nil {
		return err
	}
	*dst = c.ws.pred
	return nil
}

func (c *core) apply(s *State, p *Predicted, z []float64) (Innovation, error) {
	var inn Innovation
	if err := p.applyTo(&c.ws.st, s, z, &inn); err != nil {
		return Innovation{}, err
	}
	copyState(s, &c.ws.st)
	return inn, nil
}

func (c *core) update(s *State, h Measurement, z, R []float64) (Innovation, error) {
	if err := c.predictMeasurement(&c.ws.pred, s, h, R); err != nil {
		return Innovation{}, err
	}
	return c.apply(s, &c.ws.pred, z)
}

// KF is the linear Kalman filter for a linear motion model and linear measurement
// models. It holds the motion model, the Config and a scratch workspace: a KF is not
// safe for concurrent use; give each worker its own (they are small and cheap to build).
type KF struct{ c core }

// NewKF returns a linear Kalman filter for motion model m. It returns an error wrapping
// ErrNonlinear if m is not linear; it panics if m.Dim() is not in 1..MaxDim.
func NewKF(m Motion, cfg Config) (*KF, error) {
	if !m.Linear() {
		return nil, fmt.Errorf("%w: motion model %T", ErrNonlinear, m)
	}
	f := &KF{}
	f.c.init(m, cfg, true)
	return f, nil
}

// Motion returns the filter's motion model.
func (f *KF) Motion() Motion { return f.c.motion }

// Predict propagates s over dt seconds: x ← F x, P ← F P Fᵀ + Q(dt). dt = 0 leaves the
// state as it is (Q(0) = 0). It returns an error wrapping ErrNegativeTimeStep for
// dt < 0, ErrNonFinite for a NaN or infinite dt (or a non-finite result), ErrDimension if
// s does not have the motion model's dimension; s is unchanged on error. It does not
// allocate.
func (f *KF) Predict(s *State, dt float64) error { return f.c.predictState(s, dt) }

// PredictTo writes into dst the prediction of src over dt seconds, bit for bit what
// Predict would leave in a copy of src, without copying src first: only the used part
// of dst (its dimension, mean and leading n×n covariance) is written, and src is
// unchanged. Errors as for Predict; on error dst is partly written and not to be used.
// dst may be src. It does not allocate.
func (f *KF) PredictTo(dst, src *State, dt float64) error { return f.c.predictTo(dst, src, dt) }

// PredictMeasurement writes into dst the prediction of measurement model h for state s
// with measurement noise R (row-major m×m): ẑ = H x, S = H P Hᵀ + R, its Cholesky
// factor, P Hᵀ and the gain. It returns an error wrapping ErrNonlinear (h is not
// linear), ErrDimension, ErrNonFinite or ErrNotPositiveDefinite (R or S); dst is
// unchanged on error. It does not allocate.
func (f *KF) PredictMeasurement(dst *Predicted, s *State, h Measurement, R []float64) error {
	return f.c.exportedPredictMeasurement(dst, s, h, R)
}

// Apply updates s with measurement z against p, which must have been computed from s
// as it is now. It returns the innovation, S, d² (NIS) and log-likelihood. It returns an
// error wrapping ErrDimension, ErrNonFinite (z, or a non-finite result) or
// ErrNotPositiveDefinite (the update lost a positive variance); s is unchanged on error.
// It does not allocate.
func (f *KF) Apply(s *State, p *Predicted, z []float64) (Innovation, error) {
	return f.c.apply(s, p, z)
}

// Update is PredictMeasurement followed by Apply, using the filter's own workspace: it
// updates s with measurement z of model h with noise R. On error s is unchanged.
func (f *KF) Update(s *State, h Measurement, z, R []float64) (Innovation, error) {
	return f.c.update(s, h, z, R)
}
