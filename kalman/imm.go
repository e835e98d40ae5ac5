package kalman

import (
	"fmt"
	"math"
	"slices"
)

// MaxModes is the largest number of modes of an IMM. An IMMState stores one State per
// possible mode (about 730 B each), so the bound keeps a track's estimate small and
// fixed in size.
const MaxModes = 4

// probTol is the tolerance on probabilities summing to one (switching matrix rows and
// initial mode probabilities).
const probTol = 1e-9

// IMMState is the estimate of an interacting multiple model filter: one mode-conditioned
// State per mode, all of the same dimension (one common state layout), and the mode
// probabilities. Build it with NewIMMState. Like State it holds no slices or pointers:
// assigning it is a deep copy.
//
// After IMM.Predict the probabilities are the predicted ones, P(mode j at k | Z_k-1);
// after an update they are the posterior ones, P(mode j at k | Z_k).
type IMMState struct {
	nm   int
	mode [MaxModes]State
	prob [MaxModes]float64
}

// NewIMMState returns an IMM estimate with len(prob) modes, each starting from s, with
// initial mode probabilities prob (each in [0, 1], summing to 1 within 1e-9). It returns
// an error wrapping ErrDimension if len(prob) is not in 1..MaxModes or s has dimension
// 0, ErrNonFinite for a NaN or infinite probability and ErrInvalidConfig for
// probabilities out of range.
func NewIMMState(s State, prob []float64) (IMMState, error) {
	var st IMMState
	if len(prob) < 1 || len(prob) > MaxModes {
		return st, fmt.Errorf("%w: %d mode probabilities, want 1..%d", ErrDimension, len(prob), MaxModes)
	}
	if s.n < 1 {
		return st, fmt.Errorf("%w: IMM state from a state of dimension 0", ErrDimension)
	}
	if err := checkDistribution(prob, "mode probabilities"); err != nil {
		return st, err
	}
	st.nm = len(prob)
	for j := range prob {
		st.mode[j] = s
		st.prob[j] = prob[j]
	}
	return st, nil
}

// checkDistribution checks that p is a probability distribution.
func checkDistribution(p []float64, what string) error {
	sum := 0.0
	for _, v := range p {
		if v-v != 0 {
			return fmt.Errorf("%w: %s %v", ErrNonFinite, what, p)
		}
		if v < 0 || v > 1 {
			return fmt.Errorf("%w: %s %v: entries must be in [0, 1]", ErrInvalidConfig, what, p)
		}
		sum += v
	}
	if math.Abs(sum-1) > probTol {
		return fmt.Errorf("%w: %s %v sum to %v, want 1", ErrInvalidConfig, what, p, sum)
	}
	return nil
}

// Modes returns the number of modes.
func (s *IMMState) Modes() int { return s.nm }

// Dim returns the common state dimension.
func (s *IMMState) Dim() int { return s.mode[0].n }

// Prob returns the probability of mode j. It panics if j is not in [0, Modes()).
func (s *IMMState) Prob(j int) float64 {
	s.checkMode(j)
	return s.prob[j]
}

// Probs appends the mode probabilities to dst and returns the extended slice.
func (s *IMMState) Probs(dst []float64) []float64 { return append(dst, s.prob[:s.nm]...) }

// Mode returns (a copy of) the estimate conditioned on mode j. It panics if j is not in
// [0, Modes()).
func (s *IMMState) Mode(j int) State {
	s.checkMode(j)
	return s.mode[j]
}

func (s *IMMState) checkMode(j int) {
	if j < 0 || j >= s.nm {
		panic(fmt.Sprintf("kalman: mode %d of an IMM state with %d modes", j, s.nm))
	}
}

// Combined returns the combined estimate, the moment-matched Gaussian of the mixture:
// x = Σ μⱼ xⱼ, P = Σ μⱼ (Pⱼ + (xⱼ − x)(xⱼ − x)ᵀ). It does not allocate.
func (s *IMMState) Combined() State {
	var c State
	n := s.mode[0].n
	c.n = n
	for j := 0; j < s.nm; j++ {
		w := s.prob[j]
		for k := 0; k < n; k++ {
			c.x[k] += w * s.mode[j].x[k]
		}
	}
	for j := 0; j < s.nm; j++ {
		w := s.prob[j]
		if w == 0 {
			continue
		}
		m := &s.mode[j]
		var d Vec
		for k := 0; k < n; k++ {
			d[k] = m.x[k] - c.x[k]
		}
		for a := 0; a < n; a++ {
			for b := a; b < n; b++ {
				c.p[a][b] += w * (m.p[a][b] + d[a]*d[b])
			}
		}
	}
	for a := 0; a < n; a++ {
		for b := 0; b < a; b++ {
			c.p[a][b] = c.p[b][a]
		}
	}
	return c
}

// IMM is the interacting multiple model estimator (Blom & Bar-Shalom 1988) with a
// Markov mode-switching matrix and any number of modes up to MaxModes. Each mode has its
// own motion model over one common state layout (for example the coordinated turn
// [x, vx, y, vy, ω] for the turning mode and CTConfig.ZeroRate, the straight-line model
// on the same layout with ω held at zero, for the straight mode) and is filtered by an
// EKF (which is the KF for a linear mode), or by a UKF with NewUnscentedIMM.
//
// One cycle is Predict (mixing, then mode-matched prediction) followed by an update
// (mode-matched updates, mode probabilities, mixture statistics):
//
//   - Mixing: cⱼ = Σᵢ pᵢⱼ μᵢ, μᵢ|ⱼ = pᵢⱼ μᵢ / cⱼ, x0ⱼ = Σᵢ μᵢ|ⱼ xᵢ,
//     P0ⱼ = Σᵢ μᵢ|ⱼ (Pᵢ + (xᵢ − x0ⱼ)(xᵢ − x0ⱼ)ᵀ). A mode with cⱼ = 0 keeps its own
//     estimate.
//   - Prediction: each mixed estimate is predicted with its mode's model; the
//     probabilities become cⱼ.
//   - Update: each mode is updated by its filter, giving its likelihood Λⱼ = N(yⱼ; 0, Sⱼ);
//     μⱼ ∝ cⱼ Λⱼ, computed in log space (log cⱼ + log Λⱼ, normalised by log-sum-exp) so
//     that no likelihood underflows.
//
// The combined estimate is IMMState.Combined. An IMM holds per-mode scratch workspaces
// and is not safe for concurrent use; give each worker its own.
type IMM struct {
	nm, n int
	modes [MaxModes]core
	ukf   [MaxModes]*UKF              // per-mode UKF (NewUnscentedIMM), nil for the EKF
	trans [MaxModes][MaxModes]float64 // trans[i][j] = P(mode j | mode i)
	ws    immWorkspace
}

type immWorkspace struct {
	st   [MaxModes]State
	pred IMMPredicted
}

// NewIMM returns an IMM whose mode j uses motion model modes[j] (filtered by an EKF
// with settings cfg), with the Markov switching matrix trans, row-major M×M for
// M = len(modes): trans[i·M + j] is the probability of switching from mode i to mode j
// over one step (whatever dt). It returns an error wrapping ErrDimension if trans has
// the wrong length, ErrNonFinite for a NaN or infinite entry and ErrInvalidConfig for an
// entry outside [0, 1] or a row whose sum differs from 1 by more than 1e-9. It panics if
// len(modes) is not in 1..MaxModes, a mode is nil or the modes do not share one state
// dimension (programmer errors).
func NewIMM(modes []Motion, trans []float64, cfg Config) (*IMM, error) {
	return newIMM(modes, trans, cfg, nil)
}

// NewUnscentedIMM is NewIMM with every mode filtered by a UKF with parameters ucfg
// (instead of an EKF), for strongly nonlinear models: the nonlinear modes are predicted
// and nonlinear measurements predicted through sigma points (linear ones are exact and
// cheap either way). It returns the errors of NewIMM and of NewUKF (ErrInvalidConfig).
func NewUnscentedIMM(modes []Motion, trans []float64, ucfg UKFConfig) (*IMM, error) {
	return newIMM(modes, trans, Config{}, &ucfg)
}

func newIMM(modes []Motion, trans []float64, cfg Config, ucfg *UKFConfig) (*IMM, error) {
	M := len(modes)
	if M < 1 || M > MaxModes {
		panic(fmt.Sprintf("kalman: NewIMM with %d modes, want 1..%d", M, MaxModes))
	}
	f := &IMM{nm: M}
	for j, m := range modes {
		if m == nil {
			panic(fmt.Sprintf("kalman: NewIMM mode %d is nil", j))
		}
		if j == 0 {
			f.n = m.Dim()
		}
		if m.Dim() != f.n {
			panic(fmt.Sprintf("kalman: NewIMM mode %d has dimension %d, mode 0 has %d", j, m.Dim(), f.n))
		}
		f.modes[j].init(m, cfg, false)
		if ucfg != nil {
			u, err := NewUKF(m, *ucfg)
			if err != nil {
				return nil, err
			}
			f.ukf[j] = u
		}
	}
	if len(trans) != M*M {
		return nil, fmt.Errorf("%w: switching matrix has %d entries, want %d", ErrDimension, len(trans), M*M)
	}
	for i := 0; i < M; i++ {
		row := trans[i*M : (i+1)*M]
		if err := checkDistribution(row, fmt.Sprintf("switching matrix row %d", i)); err != nil {
			return nil, err
		}
		copy(f.trans[i][:M], row)
	}
	return f, nil
}

// Modes returns the number of modes.
func (f *IMM) Modes() int { return f.nm }

// Motion returns the motion model of mode j.
func (f *IMM) Motion(j int) Motion { return f.modes[j].motion }

func (f *IMM) checkState(s *IMMState) error {
	if s.nm != f.nm || s.mode[0].n != f.n {
		return fmt.Errorf("%w: IMM state with %d modes of dimension %d, filter has %d of dimension %d",
			ErrDimension, s.nm, s.mode[0].n, f.nm, f.n)
	}
	return nil
}

// Predict mixes the mode-conditioned estimates of s and predicts each over dt seconds
// with its mode's model; the mode probabilities become the predicted ones. It returns an
// error wrapping ErrNegativeTimeStep for dt < 0, ErrNonFinite for a NaN or infinite dt
// or a non-finite result, ErrDimension if s does not match the filter; s is unchanged on
// error. It does not allocate.
func (f *IMM) Predict(s *IMMState, dt float64) error {
	if err := checkDt(dt); err != nil {
		return err
	}
	if err := f.checkState(s); err != nil {
		return err
	}
	M, n := f.nm, f.n
	var c [MaxModes]float64
	for j := 0; j < M; j++ {
		v := 0.0
		for i := 0; i < M; i++ {
			v += f.trans[i][j] * s.prob[i]
		}
		c[j] = v
	}
	for j := 0; j < M; j++ {
		st := &f.ws.st[j]
		if !(c[j] > 0) {
			copyState(st, &s.mode[j])
		} else {
			st.n = n
			st.x = Vec{}
			for a := 0; a < n; a++ {
				st.p[a] = [MaxDim]float64{}
			}
			var w [MaxModes]float64
			for i := 0; i < M; i++ {
				w[i] = f.trans[i][j] * s.prob[i] / c[j]
				for k := 0; k < n; k++ {
					st.x[k] += w[i] * s.mode[i].x[k]
				}
			}
			for i := 0; i < M; i++ {
				if w[i] == 0 {
					continue
				}
				m := &s.mode[i]
				var d Vec
				for k := 0; k < n; k++ {
					d[k] = m.x[k] - st.x[k]
				}
				for a := 0; a < n; a++ {
					for b := a; b < n; b++ {
						st.p[a][b] += w[i] * (m.p[a][b] + d[a]*d[b])
					}
				}
			}
			for a := 0; a < n; a++ {
				for b := 0; b < a; b++ {
					st.p[a][b] = st.p[b][a]
				}
			}
		}
		if u := f.ukf[j]; u != nil {
			if err := u.Predict(st, dt); err != nil {
				return fmt.Errorf("IMM mode %d: %w", j, err)
			}
		} else {
			f.modes[j].predict(st, dt)
		}
		if !st.finite() {
			return fmt.Errorf("%w: predicted state of IMM mode %d", ErrNonFinite, j)
		}
	}
	for j := 0; j < M; j++ {
		copyState(&s.mode[j], &f.ws.st[j])
		s.prob[j] = c[j]
	}
	return nil
}

// IMMPredicted is the predicted measurement of an IMM estimate: one Predicted per mode,
// the log mode probabilities, and the moment-matched mixture
//
//	ẑ = Σ cⱼ ẑⱼ (angle components averaged on the circle, atan2(Σ cⱼ sin ẑⱼ, Σ cⱼ cos ẑⱼ)),
//	S = Σ cⱼ (Sⱼ + (ẑⱼ − ẑ)(ẑⱼ − ẑ)ᵀ) (angle differences wrapped),
//
// with cⱼ the current (predicted) mode probabilities. The squared Mahalanobis distance
// of a measurement is that of the moment-matched Gaussian, d² = yᵀ S⁻¹ y with y = z − ẑ
// (angles wrapped), so it can be gated against χ²(m) like a single filter's (it is only
// approximately χ² distributed, the predicted measurement being a mixture). The
// log-likelihood is that of the exact mixture, log Σ cⱼ N(z; ẑⱼ, Sⱼ).
//
// An IMMPredicted is about 7 kB of fixed arrays and holds no pointers.
type IMMPredicted struct {
	nm   int
	logc [MaxModes]float64
	mix  Predicted // moment-matched ẑ, S and its Cholesky factor (no gain)
	mode [MaxModes]Predicted
}

// Dim returns the measurement dimension (0 for an invalid IMMPredicted).
func (p *IMMPredicted) Dim() int { return p.mix.m }

// Z returns the moment-matched predicted measurement ẑ.
func (p *IMMPredicted) Z() MVec { return p.mix.zhat }

// S returns the moment-matched innovation covariance S.
func (p *IMMPredicted) S() MMat { return p.mix.s }

// Mode returns the predicted measurement of mode j. It panics if j is not in
// [0, number of modes).
func (p *IMMPredicted) Mode(j int) *Predicted {
	if j < 0 || j >= p.nm {
		panic(fmt.Sprintf("kalman: mode %d of an IMM prediction with %d modes", j, p.nm))
	}
	return &p.mode[j]
}

// Score returns the squared Mahalanobis distance of z from the moment-matched
// prediction and the log-likelihood of z under the mixture (see IMMPredicted). It costs
// O(M·m²), does not allocate, and returns ErrDimension if len(z) != Dim() and
// ErrNonFinite if z has a NaN or ±Inf.
func (p *IMMPredicted) Score(z []float64) (d2, logLik float64, err error) {
	var y MVec
	if err := p.mix.innovation(&y, z); err != nil {
		return 0, 0, err
	}
	d2 = p.mix.mahalanobis(&y)
	var l [MaxModes]float64
	for j := 0; j < p.nm; j++ {
		var yj MVec
		if err := p.mode[j].innovation(&yj, z); err != nil {
			return 0, 0, err
		}
		l[j] = p.logc[j] + (p.mode[j].logNorm - 0.5*p.mode[j].mahalanobis(&yj))
	}
	return d2, logSumExp(l[:p.nm]), nil
}

// logSumExp returns log Σ exp(l_j), exact for very negative l_j.
func logSumExp(l []float64) float64 {
	mx := math.Inf(-1)
	for _, v := range l {
		if v > mx {
			mx = v
		}
	}
	if math.IsInf(mx, -1) {
		return mx
	}
	s := 0.0
	for _, v := range l {
		s += math.Exp(v - mx)
	}
	return mx + math.Log(s)
}

// predictMeasurement computes the IMM prediction of h for s into p.
func (f *IMM) predictMeasurement(p *IMMPredicted, s *IMMState, h Measurement, R []float64) error {
	if err := f.checkState(s); err != nil {
		return err
	}
	M := f.nm
	p.nm = 0
	for j := 0; j < M; j++ {
		var err error
		if u := f.ukf[j]; u != nil {
			err = u.predictMeasurement(&p.mode[j], &s.mode[j], h, R)
		} else {
			err = f.modes[j].predictMeasurement(&p.mode[j], &s.mode[j], h, R)
		}
		if err != nil {
			return fmt.Errorf("IMM mode %d: %w", j, err)
		}
		p.logc[j] = math.Log(s.prob[j])
	}
	m := p.mode[0].m
	x := &p.mix
	x.n, x.m, x.angles, x.joseph, x.hasH = 0, m, p.mode[0].angles, false, false
	x.zhat, x.s, x.r = MVec{}, MMat{}, MMat{}
	for k := 0; k < m; k++ {
		if x.angles&(1<<k) != 0 {
			sn, cs := 0.0, 0.0
			for j := 0; j < M; j++ {
				a, b := math.Sincos(p.mode[j].zhat[k])
				sn += s.prob[j] * a
				cs += s.prob[j] * b
			}
			x.zhat[k] = math.Atan2(sn, cs)
			continue
		}
		v := 0.0
		for j := 0; j < M; j++ {
			v += s.prob[j] * p.mode[j].zhat[k]
		}
		x.zhat[k] = v
	}
	for j := 0; j < M; j++ {
		w := s.prob[j]
		if w == 0 {
			continue
		}
		pj := &p.mode[j]
		var d MVec
		for k := 0; k < m; k++ {
			d[k] = pj.zhat[k] - x.zhat[k]
			if x.angles&(1<<k) != 0 {
				d[k] = wrapAngle(d[k])
			}
		}
		for a := 0; a < m; a++ {
			for b := a; b < m; b++ {
				x.s[a][b] += w * (pj.s[a][b] + d[a]*d[b])
			}
		}
	}
	for a := 0; a < m; a++ {
		for b := 0; b < a; b++ {
			x.s[a][b] = x.s[b][a]
		}
	}
	// x.n = 0: the mixture has no gain; finish adds R = 0, factorises S and sets logNorm.
	if err := x.finish(); err != nil {
		return fmt.Errorf("IMM mixture: %w", err)
	}
	p.nm = M
	return nil
}

// PredictMeasurement writes into dst the prediction of measurement model h with noise R
// (row-major m×m) for every mode of s and their moment-matched mixture (see
// IMMPredicted). It returns an error wrapping ErrDimension, ErrNonFinite or
// ErrNotPositiveDefinite (naming the mode concerned); dst is unchanged on error. It does
// not allocate.
func (f *IMM) PredictMeasurement(dst *IMMPredicted, s *IMMState, h Measurement, R []float64) error {
	if err := f.predictMeasurement(&f.ws.pred, s, h, R); err != nil {
		return err
	}
	*dst = f.ws.pred
	return nil
}

// Apply updates every mode of s with measurement z against p (computed from s as it is
// now) and updates the mode probabilities from the mode likelihoods. It returns the
// mixture's statistics: Y = z − ẑ and S of the moment-matched prediction, D2 = Yᵀ S⁻¹ Y,
// and LogLik = log Σ cⱼ N(z; ẑⱼ, Sⱼ), the exact mixture log-likelihood (see
// IMMPredicted); the posterior mode probabilities are then s.Probs. Errors as for
// KF.Apply (naming the mode); s is unchanged on error. It does not allocate.
func (f *IMM) Apply(s *IMMState, p *IMMPredicted, z []float64) (Innovation, error) {
	if err := f.checkState(s); err != nil {
		return Innovation{}, err
	}
	M := f.nm
	if p.nm != M || p.mode[0].n != f.n {
		return Innovation{}, fmt.Errorf("%w: IMM prediction for %d modes of dimension %d, filter has %d of dimension %d",
			ErrDimension, p.nm, p.mode[0].n, M, f.n)
	}
	var y MVec
	if err := p.mix.innovation(&y, z); err != nil {
		return Innovation{}, err
	}
	d2 := p.mix.mahalanobis(&y)
	var l [MaxModes]float64
	for j := 0; j < M; j++ {
		var inn Innovation
		if err := p.mode[j].applyTo(&f.ws.st[j], &s.mode[j], z, &inn); err != nil {
			return Innovation{}, fmt.Errorf("IMM mode %d: %w", j, err)
		}
		l[j] = p.logc[j] + inn.LogLik
	}
	// μⱼ = exp(lⱼ − max l) / Σₖ exp(lₖ − max l): no underflow of the largest term, and
	// the probabilities sum to 1 within rounding whatever the size of the log terms.
	mx := math.Inf(-1)
	for j := 0; j < M; j++ {
		if l[j] > mx {
			mx = l[j]
		}
	}
	var e [MaxModes]float64
	sum := 0.0
	for j := 0; j < M; j++ {
		e[j] = math.Exp(l[j] - mx)
		sum += e[j]
	}
	ll := mx + math.Log(sum)
	if ll-ll != 0 {
		return Innovation{}, fmt.Errorf("%w: IMM mixture likelihood", ErrNonFinite)
	}
	for j := 0; j < M; j++ {
		copyState(&s.mode[j], &f.ws.st[j])
		s.prob[j] = e[j] / sum
	}
	return Innovation{M: p.mix.m, Y: y, S: p.mix.s, D2: d2, LogLik: ll}, nil
}

// Update is PredictMeasurement followed by Apply, using the filter's own workspace: it
// updates s with measurement z of model h with noise R. On error s is unchanged. It does
// not allocate.
func (f *IMM) Update(s *IMMState, h Measurement, z, R []float64) (Innovation, error) {
	if err := f.predictMeasurement(&f.ws.pred, s, h, R); err != nil {
		return Innovation{}, err
	}
	return f.Apply(s, &f.ws.pred, z)
}

// NewIMMStateModes returns an IMM estimate with mode j starting from modes[j] and mode
// probabilities prob, for restoring an estimate saved with IMMState.Mode and Probs. It
// returns the errors of NewIMMState, and ErrDimension if len(modes) != len(prob) or the
// modes differ in dimension.
func NewIMMStateModes(modes []State, prob []float64) (IMMState, error) {
	var st IMMState
	if len(modes) != len(prob) || len(modes) == 0 {
		return st, fmt.Errorf("%w: %d mode states for %d probabilities", ErrDimension, len(modes), len(prob))
	}
	st, err := NewIMMState(modes[0], prob)
	if err != nil {
		return IMMState{}, err
	}
	for j := range modes {
		if modes[j].n != modes[0].n {
			return IMMState{}, fmt.Errorf("%w: IMM mode %d has dimension %d, mode 0 has %d", ErrDimension, j, modes[j].n, modes[0].n)
		}
		st.mode[j] = modes[j]
	}
	return st, nil
}

// PackedLen returns the number of values IMMState.Pack writes for an estimate of m modes
// of dimension n: m·(1 + n + n(n+1)/2).
func PackedLen(m, n int) int { return m * (1 + n + n*(n+1)/2) }

// Pack appends the estimate to dst in a compact form, for storing many estimates in one
// flat array: per mode its probability, its mean and the upper triangle of its
// covariance, row by row (PackedLen(s.Modes(), s.Dim()) values). It does not allocate
// when dst has the capacity.
func (s *IMMState) Pack(dst []float64) []float64 {
	n := s.mode[0].n
	// element by element into the grown slice: the rows are too short for copy's call
	// to pay
	o := len(dst)
	dst = slices.Grow(dst, PackedLen(s.nm, n))[:o+PackedLen(s.nm, n)]
	for j := 0; j < s.nm; j++ {
		m := &s.mode[j]
		dst[o] = s.prob[j]
		o++
		for a := 0; a < n; a++ {
			dst[o+a] = m.x[a]
		}
		o += n
		for a := 0; a < n; a++ {
			row := &m.p[a]
			for b := a; b < n; b++ {
				dst[o] = row[b]
				o++
			}
		}
	}
	return dst
}

// Unpack sets s to the estimate of m modes of dimension n that Pack wrote into src. It
// checks the sizes (ErrDimension), that every value is finite (ErrNonFinite), the
// variances positive (ErrNotPositiveDefinite) and the probabilities a distribution
// (ErrInvalidConfig), but not that the covariances are positive definite beyond their
// diagonal: give it only what Pack wrote (NewIMMStateModes validates fully). On error s
// is unchanged. It does not allocate.
func (s *IMMState) Unpack(src []float64, m, n int) error {
	if m < 1 || m > MaxModes || n < 1 || n > MaxDim || len(src) != PackedLen(m, n) {
		return fmt.Errorf("%w: %d packed values for %d modes of dimension %d", ErrDimension, len(src), m, n)
	}
	sum := 0.0
	if !allFinite(src) {
		return fmt.Errorf("%w: packed IMM estimate", ErrNonFinite)
	}
	per := PackedLen(1, n)
	for j := 0; j < m; j++ {
		b := src[j*per:]
		if !(b[0] >= 0 && b[0] <= 1) {
			return fmt.Errorf("%w: packed mode probability %v", ErrInvalidConfig, b[0])
		}
		sum += b[0]
		k := 1 + n
		for a := 0; a < n; a++ {
			if !(b[k] > 0) {
				return fmt.Errorf("%w: packed IMM mode %d: variance %d is %v", ErrNotPositiveDefinite, j, a, b[k])
			}
			k += n - a
		}
	}
	if math.Abs(sum-1) > probTol {
		return fmt.Errorf("%w: packed mode probabilities sum to %v", ErrInvalidConfig, sum)
	}
	s.nm = m
	for j := 0; j < m; j++ {
		b := src[j*per : (j+1)*per]
		md := &s.mode[j]
		s.prob[j] = b[0]
		md.n = n
		for a := 0; a < n; a++ {
			md.x[a] = b[1+a]
		}
		k := 1 + n
		for a := 0; a < n; a++ {
			md.p[a][a] = b[k]
			for c := 1; c < n-a; c++ {
				v := b[k+c]
				md.p[a][a+c], md.p[a+c][a] = v, v
			}
			k += n - a
		}
	}
	return nil
}

// CombinedMarginal writes into dst the marginal over the components idx (in that
// order) of the combined estimate (see Combined), computed directly, without the other
// components: the same values as Combined followed by State.Marginal, at less cost when
// idx is short. It panics if len(idx) is 0 or above MaxDim, or an index is not in
// [0, Dim()). It does not allocate.
func (s *IMMState) CombinedMarginal(dst *State, idx []int) {
	k := len(idx)
	n := s.mode[0].n
	if k < 1 || k > MaxDim {
		panic(fmt.Sprintf("kalman: CombinedMarginal over %d components", k))
	}
	for _, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("kalman: CombinedMarginal component %d of a state of dimension %d", i, n))
		}
	}
	dst.n = k
	var x Vec
	for j := 0; j < s.nm; j++ {
		w := s.prob[j]
		for a, i := range idx {
			x[a] += w * s.mode[j].x[i]
		}
	}
	var p Mat
	for j := 0; j < s.nm; j++ {
		w := s.prob[j]
		if w == 0 {
			continue
		}
		m := &s.mode[j]
		var d Vec
		for a, i := range idx {
			d[a] = m.x[i] - x[a]
		}
		for a, i := range idx {
			for b := a; b < k; b++ {
				p[a][b] += w * (m.p[i][idx[b]] + d[a]*d[b])
			}
		}
	}
	dst.x = x
	for a := 0; a < k; a++ {
		dst.p[a][a] = p[a][a]
		for b := a + 1; b < k; b++ {
			dst.p[a][b], dst.p[b][a] = p[a][b], p[a][b]
		}
	}
}
