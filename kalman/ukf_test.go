package kalman

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ukfTestConfigs are the unscented transform parameters the differential tests use: the
// defaults, and a setting with a negative central mean weight.
var ukfTestConfigs = []UKFConfig{{}, {Alpha: 0.8, Beta: 1.5, Kappa: 1}}

func refUTOf(c UKFConfig) refUT {
	if c.Alpha == 0 {
		c.Alpha = 1
	}
	if c.Beta == 0 {
		c.Beta = 2
	}
	return refUT{alpha: c.Alpha, beta: c.Beta, kappa: c.Kappa}
}

// refMotionOf adapts a reference model (the coordinated turn in the form of refCT). For a linear model the transition matrix of the
// last time step is cached (the reference computes it by a matrix exponential, and the
// unscented transform evaluates f at 2n+1 points with the same dt).
func refMotionOf(mo tbMotion) refMotion {
	if ct, ok := mo.model.(*CT); ok {
		mo = refCT(mo.name, ct.cfg)
	}
	r := refMotion{n: mo.n, f: mo.f, F: mo.F, Q: mo.Q}
	if mo.model.Linear() {
		lastDt := math.NaN()
		var F *mat.Dense
		r.f = func(x []float64, dt float64) []float64 {
			if dt != lastDt {
				F, lastDt = mo.F(x, dt), dt
			}
			var y mat.VecDense
			y.MulVec(F, mat.NewVecDense(len(x), append([]float64(nil), x...)))
			return y.RawVector().Data
		}
	}
	return r
}

func refMeasureOf(mm tbMeasure) refMeasure {
	R := mat.NewSymDense(mm.m, nil)
	for i, s := range mm.sd {
		R.SetSym(i, i, s*s)
	}
	return refMeasure{m: mm.m, h: mm.h, H: mm.H, R: R, angle: mm.angle}
}

// randomGaussian draws a mean around x0 (standard deviations √p0) and a random
// correlated covariance with variances of the order of p0.
func randomGaussian(rng *rand.Rand, x0, p0 []float64) ([]float64, *mat.SymDense) {
	n := len(x0)
	x := make([]float64, n)
	for i := range x {
		x[i] = x0[i] + math.Sqrt(p0[i])*rng.NormFloat64()
	}
	B := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			B.Set(i, j, rng.NormFloat64())
		}
	}
	var BBt mat.Dense
	BBt.Mul(B, B.T())
	P := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			c := 0.5 * BBt.At(i, j) / float64(n)
			if i == j {
				c += 0.5
			}
			P.SetSym(i, j, c*math.Sqrt(p0[i]*p0[j]))
		}
	}
	return x, P
}

func symRaw(P *mat.SymDense) []float64 {
	n := P.SymmetricDim()
	out := make([]float64, 0, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			out = append(out, P.At(i, j))
		}
	}
	return out
}

// closeness measures: the largest error relative to the given scales.
func maxRelErr(got, want, scale []float64) float64 {
	e := 0.0
	for i := range want {
		s := math.Max(1, math.Max(math.Abs(want[i]), scale[i]))
		e = math.Max(e, math.Abs(got[i]-want[i])/s)
	}
	return e
}

// stateErr returns the largest relative error of s against (x, P): means relative to
// max(1, |x|, sd), covariances relative to max(√(Pᵢᵢ Pⱼⱼ), 1e-12).
func stateErr(s *State, x []float64, P *mat.SymDense) float64 {
	n := len(x)
	sd := make([]float64, n)
	for i := range sd {
		sd[i] = math.Sqrt(P.At(i, i))
	}
	e := maxRelErr(s.Mean(nil), x, sd)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			sc := math.Max(sd[i]*sd[j], 1e-12)
			e = math.Max(e, math.Abs(s.CovAt(i, j)-P.At(i, j))/sc)
		}
	}
	return e
}

// innErr compares an Innovation with a reference result.
func innErr(inn Innovation, nu []float64, S *mat.SymDense, d2, logL float64) float64 {
	m := len(nu)
	sd := make([]float64, m)
	for i := range sd {
		sd[i] = math.Sqrt(S.At(i, i))
	}
	e := maxRelErr(inn.Y[:m], nu, sd)
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			e = math.Max(e, math.Abs(inn.S[i][j]-S.At(i, j))/(sd[i]*sd[j]))
		}
	}
	e = math.Max(e, math.Abs(inn.D2-d2)/math.Max(1, d2))
	e = math.Max(e, math.Abs(inn.LogLik-logL)/math.Max(1, math.Abs(logL)))
	if inn.M != m {
		e = math.Inf(1)
	}
	return e
}

// TestUKFMatchesReference runs the UKF and the textbook gonum UKF side by side for every
// motion model and every measurement model that applies to it: 20 random initial
// Gaussians, each followed by 10 predict+update steps with random time steps, 200 steps
// in all, alternating two unscented transform settings. Every predicted state, updated
// state, innovation, S, d² and log-likelihood agrees to 1e-7 (relative to the scale of
// each quantity).
func TestUKFMatchesReference(t *testing.T) {
	const tol = 1e-7
	seed := uint64(0)
	for _, mo := range tbMotions() {
		for _, mm := range tbMeasures(mo) {
			seed++
			t.Run(mo.name+"/"+mm.name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(7, seed))
				var filters [2]*UKF
				for i, c := range ukfTestConfigs {
					f, err := NewUKF(mo.model, c)
					require.NoError(t, err)
					filters[i] = f
				}
				rmo, rmm := refMotionOf(mo), refMeasureOf(mm)
				R := tbR(mm)
				worst := 0.0
				steps := 0
				for block := 0; block < 20; block++ {
					f := filters[block%2]
					ut := refUTOf(ukfTestConfigs[block%2])
					x, P := randomGaussian(rng, mo.x0, mo.p0)
					s, err := NewState(x, symRaw(P))
					require.NoError(t, err)
					for k := 0; k < 10; k++ {
						dt := 0.1 + 1.9*rng.Float64()
						require.NoError(t, f.Predict(&s, dt))
						var ok bool
						x, P, ok = refUKFPredict(ut, rmo, x, P, dt)
						require.True(t, ok)
						worst = math.Max(worst, stateErr(&s, x, P))

						z := rmm.h(x)
						for i := range z {
							z[i] += mm.sd[i] * rng.NormFloat64()
						}
						inn, err := f.Update(&s, mm.model, z, R)
						require.NoError(t, err)
						res, ok := refUKFUpdate(ut, rmm, x, P, z)
						require.True(t, ok)
						worst = math.Max(worst, innErr(inn, res.nu, res.S, res.d2, res.logL))
						x, P = res.x, res.P
						worst = math.Max(worst, stateErr(&s, x, P))
						steps++
					}
				}
				assert.Equal(t, 200, steps)
				t.Logf("largest relative difference: %.2g", worst)
				assert.LessOrEqual(t, worst, tol, "largest relative difference from the reference")
			})
		}
	}
}

// TestUKFSigmaPointsExactForLinear checks the linear shortcut claim on its own: for a
// linear measurement model the unscented prediction (forced through the sigma-point
// path) equals the KF projection.
func TestUKFSigmaPointsExactForLinear(t *testing.T) {
	f, err := NewUKF(NewCT(CTConfig{Q: 1, QRate: 1e-3}), UKFConfig{})
	require.NoError(t, err)
	s, err := NewState([]float64{100, 10, -50, 5, 0.02}, []float64{
		9, 1, 0, 0, 0,
		1, 4, 0, 0, 0.01,
		0, 0, 9, 1, 0,
		0, 0, 1, 4, 0,
		0, 0.01, 0, 0, 1e-3,
	})
	require.NoError(t, err)
	h := &nonlinearWrapper{NewPosition(5, []int{0, 2}, []float64{1, 2})}
	var pSigma, pLin Predicted
	R := []float64{2, 0.5, 0.5, 3}
	require.NoError(t, f.PredictMeasurement(&pSigma, &s, h, R))
	require.NoError(t, f.PredictMeasurement(&pLin, &s, h.Measurement, R))
	zs, zl := pSigma.Z(), pLin.Z()
	assert.InDeltaSlice(t, zl[:2], zs[:2], 1e-12)
	Ss, Sl := pSigma.S(), pLin.S()
	for i := 0; i < 2; i++ {
		assert.InDeltaSlice(t, Sl[i][:2], Ss[i][:2], 1e-12)
	}
	for r := 0; r < 5; r++ {
		assert.InDeltaSlice(t, pLin.k[r][:2], pSigma.k[r][:2], 1e-12)
	}
}

// TestUKFSigmaPointsExactForLinearMotion: predicting through sigma points a linear model
// whose linearity is hidden gives the linear kernel's prediction, for every linear model.
func TestUKFSigmaPointsExactForLinearMotion(t *testing.T) {
	for _, mo := range tbMotions() {
		if !mo.model.Linear() {
			continue
		}
		t.Run(mo.name, func(t *testing.T) {
			lin, err := NewUKF(mo.model, UKFConfig{})
			require.NoError(t, err)
			sig, err := NewUKF(nonlinearMotion{mo.model}, UKFConfig{})
			require.NoError(t, err)
			x, P := randomGaussian(rand.New(rand.NewPCG(1, uint64(mo.n))), mo.x0, mo.p0)
			s1, err := NewState(x, symRaw(P))
			require.NoError(t, err)
			s2 := s1
			require.NoError(t, lin.Predict(&s1, 1.5))
			require.NoError(t, sig.Predict(&s2, 1.5))
			P1 := mat.NewSymDense(mo.n, s1.Cov(nil))
			assert.LessOrEqual(t, stateErr(&s2, s1.Mean(nil), P1), 1e-12)
		})
	}
}

type nonlinearMotion struct{ Motion }

func (nonlinearMotion) Linear() bool { return false }

// nonlinearWrapper hides the linearity (and the projection kernel) of a model.
type nonlinearWrapper struct{ Measurement }

func (nonlinearWrapper) Linear() bool { return false }

// TestUKFConsistencyMonteCarlo: 100 seeded runs of a target seen by a range-bearing
// sensor with correctly matched process and measurement noise (the truth follows the
// filter's own discrete model, x ← f(x, dt) + w, w ~ N(0, Q(dt))), for a 2-D CV target
// and for a coordinated-turn target (whose prediction goes through the sigma points).
// At every one of the 40 steps the NEES and NIS averaged over the runs are
// χ²-distributed with N·n and N·m degrees of freedom (divided by N) for a consistent
// filter; the test requires the final-step averages inside the two-sided 95% bounds, and
// the average over steps of the run-averages inside them too (the steps of one run are
// correlated, so no tighter bound applies to that average). A filter whose covariance
// is off by a factor of 1.3 either way fails.
func TestUKFConsistencyMonteCarlo(t *testing.T) {
	cases := []struct {
		name   string
		mot    Motion
		x0, p0 []float64
	}{
		{"CV", NewCV(2, 0.5), []float64{3000, -15, 2000, 20}, diagRaw(400, 25, 400, 25)},
		{"CT", NewCT(CTConfig{Q: 0.5, QRate: 1e-5}), []float64{3000, -15, 2000, 20, 0.02}, diagRaw(400, 25, 400, 25, 1e-4)},
	}
	// The seed is fixed: at a single step each 95% check fails by chance for about one
	// seed in twenty. (The step-averaged NEES and NIS of the CT case over seeds 0..7 were
	// within 8% of n and 3% of m.)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ukfConsistency(t, c.mot, c.x0, c.p0, 0)
		})
	}
}

func ukfConsistency(t *testing.T, mot Motion, x0, p0 []float64, seed uint64) {
	const runs, steps, dt = 100, 40, 1.0
	h := NewRangeBearing(mot.Layout(), [2]float64{0, 0}, false)
	R := []float64{100, 0, 0, 1e-4} // 10 m, 10 mrad
	f, err := NewUKF(mot, UKFConfig{})
	require.NoError(t, err)
	n, m := mot.Dim(), 2

	var Qm Mat
	var zero Vec
	mot.Noise(&Qm, &zero, dt) // Q does not depend on x for these models
	Q := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			Q.SetSym(i, j, Qm[i][j])
		}
	}
	var qChol, p0Chol mat.Cholesky
	require.True(t, qChol.Factorize(Q))
	require.True(t, p0Chol.Factorize(mat.NewSymDense(n, p0)))
	var qL, p0L mat.TriDense
	qChol.LTo(&qL)
	p0Chol.LTo(&p0L)

	rng := rand.New(rand.NewPCG(2026, 11+seed))
	draw := func(L *mat.TriDense) *mat.VecDense {
		w := mat.NewVecDense(n, nil)
		for i := 0; i < n; i++ {
			w.SetVec(i, rng.NormFloat64())
		}
		w.MulVec(L, w)
		return w
	}
	nees := make([]float64, steps)
	nis := make([]float64, steps)
	for r := 0; r < runs; r++ {
		truth := mat.NewVecDense(n, append([]float64(nil), x0...))
		truth.AddVec(truth, draw(&p0L))
		s, err := NewState(x0, p0)
		require.NoError(t, err)
		for k := 0; k < steps; k++ {
			var tv, tn Vec
			copy(tv[:], truth.RawVector().Data)
			mot.Transition(&tn, &tv, dt)
			truth = mat.NewVecDense(n, append([]float64(nil), tn[:n]...))
			truth.AddVec(truth, draw(&qL))
			require.NoError(t, f.Predict(&s, dt))
			dx, dy := truth.AtVec(0), truth.AtVec(2)
			z := []float64{math.Hypot(dx, dy) + 10*rng.NormFloat64(), math.Atan2(dy, dx) + 0.01*rng.NormFloat64()}
			inn, err := f.Update(&s, h, z, R)
			require.NoError(t, err)
			nis[k] += inn.D2 / runs
			e := mat.NewVecDense(n, nil)
			e.SubVec(truth, mat.NewVecDense(n, s.Mean(nil)))
			var ch mat.Cholesky
			require.True(t, ch.Factorize(mat.NewSymDense(n, s.Cov(nil))))
			var u mat.VecDense
			require.NoError(t, ch.SolveVecTo(&u, e))
			nees[k] += mat.Dot(e, &u) / runs
		}
	}
	bounds := func(dof int) (lo, hi float64) {
		c := distuv.ChiSquared{K: float64(runs * dof)}
		return c.Quantile(0.025) / runs, c.Quantile(0.975) / runs
	}
	check := func(name string, v []float64, dof int) {
		lo, hi := bounds(dof)
		mean := 0.0
		for _, a := range v {
			mean += a / float64(len(v))
		}
		t.Logf("%s: mean %.3f, final %.3f, bounds [%.3f, %.3f]", name, mean, v[len(v)-1], lo, hi)
		assert.GreaterOrEqual(t, v[len(v)-1], lo, name+" at the final step")
		assert.LessOrEqual(t, v[len(v)-1], hi, name+" at the final step")
		assert.GreaterOrEqual(t, mean, lo, name+" averaged over steps")
		assert.LessOrEqual(t, mean, hi, name+" averaged over steps")
	}
	check("NEES", nees, n)
	check("NIS", nis, m)
}

func TestNewUKFRejectsBadConfig(t *testing.T) {
	mot := NewCV(2, 1)
	for _, c := range []UKFConfig{
		{Alpha: -1}, {Alpha: 1.5}, {Alpha: math.NaN()},
		{Beta: -1}, {Beta: math.Inf(1)},
		{Kappa: -4}, {Kappa: -10}, {Kappa: math.NaN()},
	} {
		f, err := NewUKF(mot, c)
		assert.Nil(t, f, "%+v", c)
		assert.True(t, errors.Is(err, ErrInvalidConfig), "%+v: %v", c, err)
	}
	f, err := NewUKF(mot, UKFConfig{})
	require.NoError(t, err)
	assert.Equal(t, UKFConfig{Alpha: 1, Beta: 2, Kappa: 0}, f.Config())
	wm0, wc0, wi := f.Weights()
	assert.Equal(t, 0.0, wm0)
	assert.Equal(t, 2.0, wc0)
	assert.Equal(t, 1.0/8, wi)
}

// ukfFixture is a CT state with a range-bearing model, used by the error, fuzz and
// allocation tests.
func ukfFixture(t testing.TB) (*UKF, State, *Polar) {
	mot := NewCT(CTConfig{Q: 0.5, QRate: 1e-4})
	f, err := NewUKF(mot, UKFConfig{})
	require.NoError(t, err)
	s, err := NewState([]float64{2000, -10, 1000, 15, 0.02}, []float64{
		100, 5, 0, 0, 0,
		5, 16, 0, 0, 0,
		0, 0, 100, 5, 0,
		0, 0, 5, 16, 0,
		0, 0, 0, 0, 1e-4,
	})
	require.NoError(t, err)
	return f, s, NewRangeBearing(mot.Layout(), [2]float64{-100, 50}, false)
}

func bitsOf(s *State) []uint64 {
	var out []uint64
	for _, v := range append(s.Mean(nil), s.Cov(nil)...) {
		out = append(out, math.Float64bits(v))
	}
	return out
}

func TestUKFErrorsLeaveStateUnchanged(t *testing.T) {
	f, s, h := ukfFixture(t)
	before := bitsOf(&s)
	R := []float64{25, 0, 0, 1e-4}
	cases := []struct {
		name string
		err  error
		run  func(s *State) error
	}{
		{"negative dt", ErrNegativeTimeStep, func(s *State) error { return f.Predict(s, -1) }},
		{"NaN dt", ErrNonFinite, func(s *State) error { return f.Predict(s, math.NaN()) }},
		{"NaN z", ErrNonFinite, func(s *State) error { _, err := f.Update(s, h, []float64{math.NaN(), 0}, R); return err }},
		{"Inf z", ErrNonFinite, func(s *State) error { _, err := f.Update(s, h, []float64{1, math.Inf(1)}, R); return err }},
		{"short z", ErrDimension, func(s *State) error { _, err := f.Update(s, h, []float64{1}, R); return err }},
		{"R not PD", ErrNotPositiveDefinite, func(s *State) error {
			_, err := f.Update(s, h, []float64{1, 0}, []float64{1, 2, 2, 1})
			return err
		}},
		{"R NaN", ErrNonFinite, func(s *State) error {
			_, err := f.Update(s, h, []float64{1, 0}, []float64{math.NaN(), 0, 0, 1})
			return err
		}},
		{"wrong model dimension", ErrDimension, func(s *State) error {
			_, err := f.Update(s, NewRangeBearing(NewCV(2, 1).Layout(), [2]float64{}, false), []float64{1, 0}, R)
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run(&s)
			require.Error(t, err)
			assert.True(t, errors.Is(err, c.err), "%v", err)
			assert.Equal(t, before, bitsOf(&s))
		})
	}
	t.Run("Apply with a stale prediction of another dimension", func(t *testing.T) {
		g, err := NewUKF(NewCV(2, 1), UKFConfig{})
		require.NoError(t, err)
		s4, err := NewState([]float64{1000, 1, 1000, 1}, []float64{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1})
		require.NoError(t, err)
		var p Predicted
		require.NoError(t, g.PredictMeasurement(&p, &s4, NewRangeBearing(NewCV(2, 1).Layout(), [2]float64{}, false), R))
		_, err = f.Apply(&s, &p, []float64{1, 0})
		assert.True(t, errors.Is(err, ErrDimension), "%v", err)
		assert.Equal(t, before, bitsOf(&s))
	})
	t.Run("PredictMeasurement leaves dst unchanged on error", func(t *testing.T) {
		var p Predicted
		require.NoError(t, f.PredictMeasurement(&p, &s, h, R))
		saved := p
		err := f.PredictMeasurement(&p, &s, h, []float64{-1, 0, 0, 1})
		assert.True(t, errors.Is(err, ErrNotPositiveDefinite), "%v", err)
		assert.Equal(t, saved, p)
	})
}

// FuzzUKFUpdate feeds arbitrary floats as the measurement, its noise and the time step:
// no panic, and an error leaves the state bit-for-bit unchanged.
func FuzzUKFUpdate(f *testing.F) {
	f.Add(2200.0, 0.45, 25.0, 0.0, 1e-4, 1.0)
	f.Add(math.NaN(), 0.0, 1.0, 0.0, 1.0, 0.5)
	f.Add(1.0, 1e308, 1e-300, 0.0, 1e-300, 1e300)
	f.Add(0.0, -100.0, -1.0, 2.0, 1.0, -1.0)
	f.Add(math.Inf(1), math.Inf(-1), 1.0, 1.0, 1.0, 0.0)
	f.Fuzz(func(t *testing.T, z0, z1, r00, r01, r11, dt float64) {
		ukf, s, h := ukfFixture(t)
		before := bitsOf(&s)
		if err := ukf.Predict(&s, dt); err != nil {
			require.Equal(t, before, bitsOf(&s), "predict error %v changed the state", err)
		}
		before = bitsOf(&s)
		_, err := ukf.Update(&s, h, []float64{z0, z1}, []float64{r00, r01, r01, r11})
		if err != nil {
			require.Equal(t, before, bitsOf(&s), "update error %v changed the state", err)
		}
	})
}

// TestUKFAllocs: predict and update allocate nothing, with the state, the Predicted
// and the measurement as local variables (the filter never hands them to a model).
func TestUKFAllocs(t *testing.T) {
	f, s, h := ukfFixture(t)
	R := []float64{25, 0, 0, 1e-4}
	z := []float64{2300, 0.46}
	pred := testing.AllocsPerRun(100, func() {
		st := s
		_ = f.Predict(&st, 1)
	})
	upd := testing.AllocsPerRun(100, func() {
		st := s
		_, _ = f.Update(&st, h, z, R)
	})
	twoPhase := testing.AllocsPerRun(100, func() {
		st := s
		var p Predicted
		_ = f.PredictMeasurement(&p, &st, h, R)
		_, _, _ = p.Score(z)
		_, _ = f.Apply(&st, &p, z)
	})
	// The linear CV path too, and a user-written nonlinear model.
	g, err := NewUKF(NewCV(3, 1), UKFConfig{})
	require.NoError(t, err)
	s6, err := NewState([]float64{1000, 1, 1000, 1, 100, 0}, diagRaw(100, 4, 100, 4, 100, 4))
	require.NoError(t, err)
	h3 := NewRangeAzEl(g.Motion().Layout(), [3]float64{}, false)
	z3, R3 := []float64{1400, 0.78, 0.07}, diagRaw(25, 1e-4, 1e-4)
	cv := testing.AllocsPerRun(100, func() {
		st := s6
		_ = g.Predict(&st, 1)
		_, _ = g.Update(&st, h3, z3, R3)
	})
	u, err := NewUKF(nonlinearMotion{NewCT(CTConfig{Q: 1, QRate: 1e-4})}, UKFConfig{})
	require.NoError(t, err)
	var hu Measurement = nonlinearWrapper{h} // converted once, outside the measured loop
	user := testing.AllocsPerRun(100, func() {
		st := s
		_ = u.Predict(&st, 1)
		_, _ = u.Update(&st, hu, z, R)
	})
	assert.Equal(t, 0.0, pred, "Predict")
	assert.Equal(t, 0.0, upd, "Update")
	assert.Equal(t, 0.0, twoPhase, "PredictMeasurement+Score+Apply")
	assert.Equal(t, 0.0, cv, "CV predict+update")
	assert.Equal(t, 0.0, user, "user-written models")
}

// diagRaw returns a row-major diagonal matrix.
func diagRaw(d ...float64) []float64 {
	n := len(d)
	out := make([]float64, n*n)
	for i, v := range d {
		out[i*n+i] = v
	}
	return out
}

// TestUKFBearingAcrossPi: a target due -x of the sensor, where the bearing jumps from π
// to -π. The sigma points straddle the cut and the measurement is on the other side of
// it from the prediction: ẑ is the circular mean, the innovation is small, and
// everything agrees with the reference.
func TestUKFBearingAcrossPi(t *testing.T) {
	mot := NewCV(2, 0.5)
	h := NewRangeBearing(mot.Layout(), [2]float64{0, 0}, false)
	f, err := NewUKF(mot, UKFConfig{})
	require.NoError(t, err)
	x := []float64{-3000, 10, 5, 1} // bearing just below π
	P := diagRaw(400, 25, 400, 25)  // sigma points reach ±35 m across the -x axis
	s, err := NewState(x, P)
	require.NoError(t, err)
	R := []float64{100, 0, 0, 1e-6}
	z := []float64{3001, -math.Pi + 0.002} // just past the cut
	var p Predicted
	require.NoError(t, f.PredictMeasurement(&p, &s, h, R))
	zh := p.Z()
	assert.Greater(t, math.Abs(zh[1]), 3.1, "ẑ bearing is near ±π, not a linear average near 0")
	inn, err := f.Apply(&s, &p, z)
	require.NoError(t, err)
	assert.Less(t, math.Abs(inn.Y[1]), 0.01, "wrapped bearing innovation")

	ref := refMeasure{m: 2, R: mat.NewSymDense(2, R), angle: []bool{false, true}, h: func(x []float64) []float64 {
		return []float64{math.Hypot(x[0], x[2]), math.Atan2(x[2], x[0])}
	}}
	res, ok := refUKFUpdate(refUT{alpha: 1, beta: 2}, ref, x, mat.NewSymDense(4, P), z)
	require.True(t, ok)
	assert.LessOrEqual(t, innErr(inn, res.nu, res.S, res.d2, res.logL), 1e-9)
	assert.LessOrEqual(t, stateErr(&s, res.x, res.P), 1e-9)
}
