package kalman

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// immTestModes are the mode sets of the differential tests: the classic CV + CT pair on
// the CT layout and a three-mode set with a second, more agile CT mode.
func immTestModes() []immModeSet {
	return []immModeSet{
		{
			name:  "CV+CT",
			modes: []tbMotion{tbCT("CV", CTConfig{Q: 0.5, QRate: 1e-4, ZeroRate: true}), refCT("CT", CTConfig{Q: 0.5, QRate: 1e-4})},
			trans: []float64{0.95, 0.05, 0.1, 0.9},
		},
		{
			name: "CV+CT+CTagile",
			modes: []tbMotion{
				tbCT("CV", CTConfig{Q: 0.5, QRate: 1e-4, ZeroRate: true}),
				refCT("CT", CTConfig{Q: 0.5, QRate: 1e-4}),
				refCT("CTagile", CTConfig{Q: 2, QRate: 1e-2}),
			},
			trans: []float64{0.9, 0.05, 0.05, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6},
		},
	}
}

type immModeSet struct {
	name  string
	modes []tbMotion
	trans []float64
}

// TestIMMMatchesReference runs the IMM and the textbook gonum IMM side by side, with EKF
// modes (NewIMM) and with UKF modes (NewUnscentedIMM), for every measurement model of the
// CT layout and two mode sets: 10 random initial estimates
// (random Gaussian, random mode probabilities), each followed by 20 predict+update steps
// with random time steps (200 in all). Mode probabilities, every mode-conditioned
// estimate, the combined estimate and the mixture innovation, S, d² and log-likelihood
// agree to 1e-9 (relative to the scale of each quantity).
func TestIMMMatchesReference(t *testing.T) {
	const tol = 1e-9
	seed := uint64(100)
	for _, unscented := range []bool{false, true} {
		for _, set := range immTestModes() {
			for _, mm := range tbMeasures(set.modes[1]) {
				seed++
				name := set.name + "/" + mm.name
				if unscented {
					name = "UKF/" + name
				}
				t.Run(name, func(t *testing.T) {
					immReferenceRun(t, set, mm, unscented, seed, tol)
				})
			}
		}
	}
}

func immReferenceRun(t *testing.T, set immModeSet, mm tbMeasure, unscented bool, seed uint64, tol float64) {
	rng := rand.New(rand.NewPCG(11, seed))
	M := len(set.modes)
	motions := make([]Motion, M)
	ref := &refIMM{trans: make([][]float64, M)}
	for j, mo := range set.modes {
		motions[j] = mo.model
		ref.modes = append(ref.modes, refMotionOf(mo))
		ref.trans[j] = set.trans[j*M : (j+1)*M]
	}
	f, err := NewIMM(motions, set.trans, Config{})
	if unscented {
		f, err = NewUnscentedIMM(motions, set.trans, UKFConfig{})
		ref.ut = &refUT{alpha: 1, beta: 2}
	}
	require.NoError(t, err)
	rmm := refMeasureOf(mm)
	R := tbR(mm)
	worst, steps := 0.0, 0
	for block := 0; block < 10; block++ {
		x, P := randomGaussian(rng, set.modes[1].x0, set.modes[1].p0)
		mu := make([]float64, M)
		sum := 0.0
		for j := range mu {
			mu[j] = 0.05 + rng.Float64()
			sum += mu[j]
		}
		for j := range mu {
			mu[j] /= sum
		}
		s0, err := NewState(x, symRaw(P))
		require.NoError(t, err)
		s, err := NewIMMState(s0, mu)
		require.NoError(t, err)
		ref.x, ref.P, ref.mu = nil, nil, append([]float64(nil), mu...)
		for j := 0; j < M; j++ {
			ref.x = append(ref.x, append([]float64(nil), x...))
			ref.P = append(ref.P, mat.NewSymDense(len(x), symRaw(P)))
		}
		for k := 0; k < 20; k++ {
			dt := 0.1 + 1.9*rng.Float64()
			require.NoError(t, f.Predict(&s, dt))
			ref.predict(dt)
			worst = math.Max(worst, immStateErr(&s, ref))

			xc, _ := ref.combined()
			z := rmm.h(xc)
			for i := range z {
				z[i] += mm.sd[i] * rng.NormFloat64()
			}
			inn, err := f.Update(&s, mm.model, z, R)
			require.NoError(t, err)
			res, ok := ref.update(rmm, z)
			require.True(t, ok)
			worst = math.Max(worst, innErr(inn, res.nu, res.S, res.d2, res.logL))
			worst = math.Max(worst, immStateErr(&s, ref))
			steps++
		}
	}
	assert.Equal(t, 200, steps)
	t.Logf("largest relative difference: %.2g", worst)
	assert.LessOrEqual(t, worst, tol, "largest relative difference from the reference")
}

// immStateErr compares every mode, the probabilities and the combined estimate.
func immStateErr(s *IMMState, ref *refIMM) float64 {
	e := 0.0
	if s.Modes() != len(ref.mu) {
		return math.Inf(1)
	}
	for j := range ref.mu {
		e = math.Max(e, math.Abs(s.Prob(j)-ref.mu[j]))
		m := s.Mode(j)
		e = math.Max(e, stateErr(&m, ref.x[j], ref.P[j]))
	}
	x, P := ref.combined()
	c := s.Combined()
	return math.Max(e, stateErr(&c, x, P))
}

// TestIMMOneModeIsEKF: an IMM with a single mode is the EKF of that mode (metamorphic),
// and its mixture statistics are the EKF's innovation statistics.
func TestIMMOneModeIsEKF(t *testing.T) {
	mot := NewCT(CTConfig{Q: 1, QRate: 1e-3})
	imm, err := NewIMM([]Motion{mot}, []float64{1}, Config{})
	require.NoError(t, err)
	ekf, err := NewEKF(mot, Config{})
	require.NoError(t, err)
	s, err := NewState([]float64{1000, 10, 500, -5, 0.03}, diagRaw(100, 9, 100, 9, 1e-4))
	require.NoError(t, err)
	is, err := NewIMMState(s, []float64{1})
	require.NoError(t, err)
	h := NewRangeBearing(mot.Layout(), [2]float64{10, 20}, true)
	R := diagRaw(25, 1e-4, 1)
	rng := rand.New(rand.NewPCG(3, 4))
	for k := 0; k < 50; k++ {
		require.NoError(t, ekf.Predict(&s, 1))
		require.NoError(t, imm.Predict(&is, 1))
		var zhat MVec
		x := Vec{}
		copy(x[:], s.Mean(nil))
		h.Measure(&zhat, &x)
		z := []float64{zhat[0] + 5*rng.NormFloat64(), zhat[1] + 0.01*rng.NormFloat64(), zhat[2] + rng.NormFloat64()}
		i1, err := ekf.Update(&s, h, z, R)
		require.NoError(t, err)
		i2, err := imm.Update(&is, h, z, R)
		require.NoError(t, err)
		assert.InDelta(t, i1.D2, i2.D2, 1e-9*math.Max(1, i1.D2))
		assert.InDelta(t, i1.LogLik, i2.LogLik, 1e-9*math.Max(1, math.Abs(i1.LogLik)))
		assert.InDeltaSlice(t, i1.Y[:], i2.Y[:], 1e-9)
	}
	c := is.Combined()
	assert.InDeltaSlice(t, s.Mean(nil), c.Mean(nil), 1e-9)
	assert.InDeltaSlice(t, s.Cov(nil), c.Cov(nil), 1e-9)
	assert.Equal(t, 1.0, is.Prob(0))
}

// TestIMMBeatsSingleModels: a target flies straight for 60 s at 100 m/s, turns at 3°/s
// for 30 s, and flies straight for 60 s, observed every second with 30 m position noise.
// Over 50 seeded runs the RMS position error of the IMM (CV + CT) over the whole run is
// lower than that of the CV filter and of the CT filter alone, each with the same
// models and noise as the IMM's modes.
func TestIMMBeatsSingleModels(t *testing.T) {
	const runs, dt, sd = 50, 1.0, 30.0
	cv := NewCT(CTConfig{Q: 0.1, QRate: 1e-6, ZeroRate: true})
	ct := NewCT(CTConfig{Q: 0.1, QRate: 1e-4})
	imm, err := NewIMM([]Motion{cv, ct}, []float64{0.95, 0.05, 0.05, 0.95}, Config{})
	require.NoError(t, err)
	fcv, err := NewEKF(cv, Config{})
	require.NoError(t, err)
	fct, err := NewEKF(ct, Config{})
	require.NoError(t, err)
	h := NewPosition(5, []int{0, 2}, nil)
	R := []float64{sd * sd, 0, 0, sd * sd}
	turn := 3 * math.Pi / 180
	rng := rand.New(rand.NewPCG(5, 50))
	var se [3]float64
	count := 0
	for r := 0; r < runs; r++ {
		px, py, vx, vy := 0.0, 0.0, 100.0, 0.0
		z0 := []float64{px + sd*rng.NormFloat64(), py + sd*rng.NormFloat64()}
		s0, err := NewState([]float64{z0[0], 100, z0[1], 0, 0}, diagRaw(sd*sd, 100, sd*sd, 100, 1e-4))
		require.NoError(t, err)
		sIMM, err := NewIMMState(s0, []float64{0.5, 0.5})
		require.NoError(t, err)
		sCV, sCT := s0, s0
		for k := 1; k <= 150; k++ {
			w := 0.0
			if k > 60 && k <= 90 {
				w = turn
			}
			if w == 0 {
				px, py = px+vx*dt, py+vy*dt
			} else {
				s, c := math.Sincos(w * dt)
				px += (s*vx - (1-c)*vy) / w
				py += ((1-c)*vx + s*vy) / w
				vx, vy = c*vx-s*vy, s*vx+c*vy
			}
			z := []float64{px + sd*rng.NormFloat64(), py + sd*rng.NormFloat64()}
			require.NoError(t, imm.Predict(&sIMM, dt))
			require.NoError(t, fcv.Predict(&sCV, dt))
			require.NoError(t, fct.Predict(&sCT, dt))
			_, err := imm.Update(&sIMM, h, z, R)
			require.NoError(t, err)
			_, err = fcv.Update(&sCV, h, z, R)
			require.NoError(t, err)
			_, err = fct.Update(&sCT, h, z, R)
			require.NoError(t, err)
			c := sIMM.Combined()
			for i, st := range []*State{&c, &sCV, &sCT} {
				dx, dy := st.MeanAt(0)-px, st.MeanAt(2)-py
				se[i] += dx*dx + dy*dy
			}
			count++
		}
	}
	rms := func(i int) float64 { return math.Sqrt(se[i] / float64(count)) }
	t.Logf("RMS position error: IMM %.2f m, CV %.2f m, CT %.2f m", rms(0), rms(1), rms(2))
	assert.Less(t, rms(0), rms(1), "IMM against CV")
	assert.Less(t, rms(0), rms(2), "IMM against CT")
}

// TestIMMProbabilitiesInLogSpace: a measurement so far from the prediction that every
// mode likelihood underflows to 0 in linear space still gives finite mode probabilities
// that sum to 1 and favour the mode that explains it better.
func TestIMMProbabilitiesInLogSpace(t *testing.T) {
	quiet := NewCT(CTConfig{Q: 0.1, QRate: 1e-6, ZeroRate: true})
	agile := NewCT(CTConfig{Q: 0.12, QRate: 1e-6, ZeroRate: true})
	imm, err := NewIMM([]Motion{quiet, agile}, []float64{0.9, 0.1, 0.1, 0.9}, Config{})
	require.NoError(t, err)
	s0, err := NewState([]float64{0, 100, 0, 0, 0}, diagRaw(100, 10, 100, 10, 1e-4))
	require.NoError(t, err)
	s, err := NewIMMState(s0, []float64{0.5, 0.5})
	require.NoError(t, err)
	require.NoError(t, imm.Predict(&s, 10))
	h := NewPosition(5, []int{0, 2}, nil)
	R := []float64{1, 0, 0, 1}
	z := []float64{2400, 0}
	var p IMMPredicted
	require.NoError(t, imm.PredictMeasurement(&p, &s, h, R))
	var ll [2]float64
	for j := 0; j < 2; j++ {
		_, ll[j], err = p.Mode(j).Score(z)
		require.NoError(t, err)
		require.Equal(t, 0.0, math.Exp(ll[j]), "mode %d likelihood must underflow for the test to mean anything", j)
	}
	c := s.Probs(nil)
	inn, err := imm.Apply(&s, &p, z)
	require.NoError(t, err)
	mu := s.Probs(nil)
	assert.InDelta(t, 1.0, mu[0]+mu[1], 1e-15)
	assert.Greater(t, mu[1], mu[0], "the noisier mode explains the outlier better")
	assert.Greater(t, mu[0], 0.0)
	// μ₀/μ₁ = c₀Λ₀/(c₁Λ₁), in logs.
	assert.InDelta(t, math.Log(c[0])+ll[0]-math.Log(c[1])-ll[1], math.Log(mu[0])-math.Log(mu[1]), 1e-9)
	assert.False(t, math.IsInf(inn.LogLik, 0) || math.IsNaN(inn.LogLik))
	// The mixture log-likelihood is log(c₀Λ₀ + c₁Λ₁).
	mx := math.Max(math.Log(c[0])+ll[0], math.Log(c[1])+ll[1])
	want := mx + math.Log(math.Exp(math.Log(c[0])+ll[0]-mx)+math.Exp(math.Log(c[1])+ll[1]-mx))
	assert.InDelta(t, want, inn.LogLik, 1e-9*math.Abs(want))
}

func TestNewIMMRejectsBadSwitchingMatrix(t *testing.T) {
	modes := []Motion{NewCT(CTConfig{Q: 1, QRate: 1e-4, ZeroRate: true}), NewCT(CTConfig{Q: 1, QRate: 1e-4})}
	cases := []struct {
		name  string
		trans []float64
		err   error
	}{
		{"short", []float64{1, 0, 0}, ErrDimension},
		{"row sum", []float64{0.9, 0.2, 0.5, 0.5}, ErrInvalidConfig},
		{"negative", []float64{1.1, -0.1, 0.5, 0.5}, ErrInvalidConfig},
		{"NaN", []float64{math.NaN(), 1, 0.5, 0.5}, ErrNonFinite},
		{"Inf", []float64{math.Inf(1), 1, 0.5, 0.5}, ErrNonFinite},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := NewIMM(modes, c.trans, Config{})
			assert.Nil(t, f)
			assert.True(t, errors.Is(err, c.err), "%v", err)
		})
	}
	assert.Panics(t, func() { _, _ = NewIMM(nil, nil, Config{}) })
	assert.Panics(t, func() { _, _ = NewIMM([]Motion{NewCV(2, 1), NewCT(CTConfig{})}, []float64{1, 0, 0, 1}, Config{}) })
	assert.Panics(t, func() {
		_, _ = NewIMM([]Motion{NewCV(1, 1), NewCV(1, 1), NewCV(1, 1), NewCV(1, 1), NewCV(1, 1)}, make([]float64, 25), Config{})
	})

	s0, err := NewState([]float64{1}, []float64{1})
	require.NoError(t, err)
	for _, prob := range [][]float64{{0.5, 0.6}, {-0.5, 1.5}, {}, {0.2, 0.2, 0.2, 0.2, 0.2}, {math.NaN(), 1}} {
		_, err := NewIMMState(s0, prob)
		assert.Error(t, err, "%v", prob)
	}
	_, err = NewIMMState(State{}, []float64{1})
	assert.True(t, errors.Is(err, ErrDimension), "%v", err)
}

// immFixture is a CV + CT IMM with a position measurement, mid-track.
func immFixture(t testing.TB) (*IMM, IMMState, *Position) {
	cv := NewCT(CTConfig{Q: 0.1, QRate: 1e-6, ZeroRate: true})
	ct := NewCT(CTConfig{Q: 0.1, QRate: 1e-4})
	f, err := NewIMM([]Motion{cv, ct}, []float64{0.95, 0.05, 0.05, 0.95}, Config{})
	require.NoError(t, err)
	s0, err := NewState([]float64{1000, 100, 2000, 10, 0.01}, diagRaw(100, 10, 100, 10, 1e-4))
	require.NoError(t, err)
	s, err := NewIMMState(s0, []float64{0.7, 0.3})
	require.NoError(t, err)
	h := NewPosition(5, []int{0, 2}, nil)
	require.NoError(t, f.Predict(&s, 1))
	_, err = f.Update(&s, h, []float64{1105, 2008}, []float64{900, 0, 0, 900})
	require.NoError(t, err)
	return f, s, h
}

func immBits(s *IMMState) []uint64 {
	var out []uint64
	for j := 0; j < s.Modes(); j++ {
		m := s.Mode(j)
		out = append(out, bitsOf(&m)...)
		out = append(out, math.Float64bits(s.Prob(j)))
	}
	return out
}

func TestIMMErrorsLeaveStateUnchanged(t *testing.T) {
	f, s, h := immFixture(t)
	before := immBits(&s)
	R := []float64{900, 0, 0, 900}
	other, err := NewIMMState(s.Mode(0), []float64{1})
	require.NoError(t, err)
	var p IMMPredicted
	require.NoError(t, f.PredictMeasurement(&p, &s, h, R))
	cases := []struct {
		name string
		err  error
		run  func(s *IMMState) error
	}{
		{"negative dt", ErrNegativeTimeStep, func(s *IMMState) error { return f.Predict(s, -0.1) }},
		{"Inf dt", ErrNonFinite, func(s *IMMState) error { return f.Predict(s, math.Inf(1)) }},
		{"NaN z", ErrNonFinite, func(s *IMMState) error { _, err := f.Update(s, h, []float64{math.NaN(), 0}, R); return err }},
		{"long z", ErrDimension, func(s *IMMState) error { _, err := f.Update(s, h, []float64{1, 2, 3}, R); return err }},
		{"R not PD", ErrNotPositiveDefinite, func(s *IMMState) error {
			_, err := f.Update(s, h, []float64{1, 0}, []float64{1, 0, 0, -1})
			return err
		}},
		{"Apply NaN z", ErrNonFinite, func(s *IMMState) error { _, err := f.Apply(s, &p, []float64{0, math.Inf(-1)}); return err }},
		{"Apply invalid prediction", ErrDimension, func(s *IMMState) error {
			_, err := f.Apply(s, &IMMPredicted{}, []float64{0, 0})
			return err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run(&s)
			require.Error(t, err)
			assert.True(t, errors.Is(err, c.err), "%v", err)
			assert.Equal(t, before, immBits(&s))
		})
	}
	t.Run("wrong number of modes", func(t *testing.T) {
		before := immBits(&other)
		assert.True(t, errors.Is(f.Predict(&other, 1), ErrDimension))
		_, err := f.Update(&other, h, []float64{1, 0}, R)
		assert.True(t, errors.Is(err, ErrDimension))
		assert.Equal(t, before, immBits(&other))
	})
	t.Run("PredictMeasurement leaves dst unchanged on error", func(t *testing.T) {
		saved := p
		err := f.PredictMeasurement(&p, &s, h, []float64{math.NaN(), 0, 0, 1})
		assert.True(t, errors.Is(err, ErrNonFinite), "%v", err)
		assert.Equal(t, saved, p)
	})
}

// TestIMMScoreMatchesApply: the two-phase Score returns the d² and log-likelihood that
// Apply then reports.
func TestIMMScoreMatchesApply(t *testing.T) {
	f, s, h := immFixture(t)
	require.NoError(t, f.Predict(&s, 1))
	var p IMMPredicted
	R := []float64{900, 0, 0, 900}
	require.NoError(t, f.PredictMeasurement(&p, &s, h, R))
	z := []float64{1230, 2021}
	d2, ll, err := p.Score(z)
	require.NoError(t, err)
	inn, err := f.Apply(&s, &p, z)
	require.NoError(t, err)
	assert.Equal(t, d2, inn.D2)
	assert.Equal(t, ll, inn.LogLik)
	assert.Equal(t, 2, p.Dim())
	assert.Equal(t, p.S(), inn.S)
	zh := p.Z()
	assert.Equal(t, z[0]-zh[0], inn.Y[0])
}

// FuzzIMMUpdate feeds arbitrary floats as the measurement, its noise and the time step:
// no panic, and an error leaves the IMM state bit-for-bit unchanged.
func FuzzIMMUpdate(f *testing.F) {
	f.Add(1200.0, 2010.0, 900.0, 0.0, 900.0, 1.0)
	f.Add(math.NaN(), 0.0, 1.0, 0.0, 1.0, 0.5)
	f.Add(1e308, -1e308, 1e-300, 0.0, 1e-300, 1e300)
	f.Add(0.0, 0.0, -1.0, 2.0, 1.0, -1.0)
	f.Add(math.Inf(1), 1.0, 1.0, 1.0, 1.0, 0.0)
	f.Fuzz(func(t *testing.T, z0, z1, r00, r01, r11, dt float64) {
		imm, s, h := immFixture(t)
		before := immBits(&s)
		if err := imm.Predict(&s, dt); err != nil {
			require.Equal(t, before, immBits(&s), "predict error %v changed the state", err)
		}
		before = immBits(&s)
		_, err := imm.Update(&s, h, []float64{z0, z1}, []float64{r00, r01, r01, r11})
		if err != nil {
			require.Equal(t, before, immBits(&s), "update error %v changed the state", err)
		}
	})
}

// TestIMMAllocs: predict, update and the combined estimate allocate nothing, with the
// IMM state and prediction as local variables.
func TestIMMAllocs(t *testing.T) {
	f, s, h := immFixture(t)
	R := []float64{900, 0, 0, 900}
	z := []float64{1210, 2019}
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
		var p IMMPredicted
		_ = f.PredictMeasurement(&p, &st, h, R)
		_, _, _ = p.Score(z)
		_, _ = f.Apply(&st, &p, z)
	})
	comb := testing.AllocsPerRun(100, func() { _ = s.Combined() })
	u, err := NewUnscentedIMM([]Motion{f.Motion(0), f.Motion(1)}, []float64{0.95, 0.05, 0.05, 0.95}, UKFConfig{})
	require.NoError(t, err)
	var rb Measurement = NewRangeBearing(f.Motion(0).Layout(), [2]float64{}, false)
	zrb, Rrb := []float64{2400, 1.1}, []float64{100, 0, 0, 1e-4}
	unscented := testing.AllocsPerRun(100, func() {
		st := s
		_ = u.Predict(&st, 1)
		_, _ = u.Update(&st, rb, zrb, Rrb)
	})
	assert.Equal(t, 0.0, pred, "Predict")
	assert.Equal(t, 0.0, upd, "Update")
	assert.Equal(t, 0.0, twoPhase, "PredictMeasurement+Score+Apply")
	assert.Equal(t, 0.0, comb, "Combined")
	assert.Equal(t, 0.0, unscented, "unscented IMM predict+update")
}

// TestIMMZeroProbabilityModes: MaxModes modes, two of them with zero probability and
// unreachable (their switching-matrix columns are zero): the filter runs, the
// unreachable modes keep probability exactly 0, and the others stay a distribution.
func TestIMMZeroProbabilityModes(t *testing.T) {
	modes := []Motion{
		NewCT(CTConfig{Q: 0.1, QRate: 1e-6, ZeroRate: true}),
		NewCT(CTConfig{Q: 0.1, QRate: 1e-4}),
		NewCT(CTConfig{Q: 1, QRate: 1e-3}),
		NewCT(CTConfig{Q: 2, QRate: 1e-6, ZeroRate: true}),
	}
	require.Len(t, modes, MaxModes)
	trans := []float64{
		0.9, 0.1, 0, 0,
		0.1, 0.9, 0, 0,
		0.5, 0.5, 0, 0,
		0.5, 0.5, 0, 0,
	}
	f, err := NewIMM(modes, trans, Config{})
	require.NoError(t, err)
	s0, err := NewState([]float64{0, 100, 0, 0, 0}, diagRaw(100, 10, 100, 10, 1e-4))
	require.NoError(t, err)
	s, err := NewIMMState(s0, []float64{0.6, 0.4, 0, 0})
	require.NoError(t, err)
	h := NewPosition(5, []int{0, 2}, nil)
	rng := rand.New(rand.NewPCG(8, 9))
	for k := 1; k <= 30; k++ {
		require.NoError(t, f.Predict(&s, 1))
		inn, err := f.Update(&s, h, []float64{100*float64(k) + 5*rng.NormFloat64(), 5 * rng.NormFloat64()}, []float64{25, 0, 0, 25})
		require.NoError(t, err)
		require.False(t, math.IsNaN(inn.LogLik) || math.IsInf(inn.LogLik, 0), "step %d", k)
		p := s.Probs(nil)
		assert.Equal(t, []float64{0, 0}, p[2:], "step %d", k)
		assert.InDelta(t, 1, p[0]+p[1], 1e-12, "step %d", k)
	}
	c := s.Combined()
	assert.InDelta(t, 3000, c.MeanAt(0), 30)
}

// TestIMMBearingAcrossPi: the modes' predicted bearings lie on both sides of the ±π cut;
// the mixture ẑ is their circular mean and the mixture S includes their wrapped spread,
// as in the reference.
func TestIMMBearingAcrossPi(t *testing.T) {
	cvm := tbCT("CV", CTConfig{Q: 0.5, QRate: 1e-4, ZeroRate: true})
	ctm := refCT("CT", CTConfig{Q: 0.5, QRate: 1e-4})
	trans := []float64{0.9, 0.1, 0.1, 0.9}
	f, err := NewIMM([]Motion{cvm.model, ctm.model}, trans, Config{})
	require.NoError(t, err)
	// Heading -x just below the axis, turning clockwise at 0.05 rad/s: after 2 s the CT
	// mode predicts the target above the axis (bearing near +π), the CV mode below it
	// (near -π).
	x := []float64{-3000, -50, -3, 0, -0.05}
	P := diagRaw(25, 4, 25, 4, 1e-6)
	s0, err := NewState(x, P)
	require.NoError(t, err)
	s, err := NewIMMState(s0, []float64{0.5, 0.5})
	require.NoError(t, err)
	ref := &refIMM{
		modes: []refMotion{refMotionOf(cvm), refMotionOf(ctm)},
		trans: [][]float64{trans[:2], trans[2:]},
		x:     [][]float64{x, x},
		P:     []*mat.SymDense{mat.NewSymDense(5, P), mat.NewSymDense(5, P)},
		mu:    []float64{0.5, 0.5},
	}
	require.NoError(t, f.Predict(&s, 2))
	ref.predict(2)
	h := NewRangeBearing(cvm.model.Layout(), [2]float64{0, 0}, false)
	R := []float64{100, 0, 0, 1e-6}
	var p IMMPredicted
	require.NoError(t, f.PredictMeasurement(&p, &s, h, R))
	z0, z1 := p.Mode(0).Z(), p.Mode(1).Z()
	require.Less(t, z0[1]*z1[1], 0.0, "the modes' bearings are on both sides of the cut")
	zh := p.Z()
	assert.Greater(t, math.Abs(zh[1]), 3.1)
	z := []float64{3100, math.Pi - 0.001}
	inn, err := f.Apply(&s, &p, z)
	require.NoError(t, err)
	rm := refMeasure{m: 2, R: mat.NewSymDense(2, R), angle: []bool{false, true},
		h: func(x []float64) []float64 { return []float64{math.Hypot(x[0], x[2]), math.Atan2(x[2], x[0])} },
		H: func(x []float64) *mat.Dense {
			r2 := x[0]*x[0] + x[2]*x[2]
			r := math.Sqrt(r2)
			return mat.NewDense(2, 5, []float64{x[0] / r, 0, x[2] / r, 0, 0, -x[2] / r2, 0, x[0] / r2, 0, 0})
		}}
	res, ok := ref.update(rm, z)
	require.True(t, ok)
	assert.Less(t, math.Abs(inn.Y[1]), 0.01)
	assert.LessOrEqual(t, innErr(inn, res.nu, res.S, res.d2, res.logL), 1e-9)
	assert.LessOrEqual(t, immStateErr(&s, ref), 1e-9)
}
