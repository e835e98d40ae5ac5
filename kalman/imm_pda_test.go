package kalman

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// immPDAFixture is immFixture predicted one step further, with its measurement
// prediction.
func immPDAFixture(t testing.TB) (*IMM, IMMState, IMMPredicted) {
	f, s, h := immFixture(t)
	require.NoError(t, f.Predict(&s, 1))
	var p IMMPredicted
	require.NoError(t, f.PredictMeasurement(&p, &s, h, []float64{900, 0, 0, 900}))
	return f, s, p
}

// gauss2 is the 2-D normal density N(z; zhat, S), written out.
func gauss2(z []float64, zhat MVec, S MMat) float64 {
	y0, y1 := z[0]-zhat[0], z[1]-zhat[1]
	det := S[0][0]*S[1][1] - S[0][1]*S[1][0]
	d2 := (S[1][1]*y0*y0 - 2*S[0][1]*y0*y1 + S[0][0]*y1*y1) / det
	return math.Exp(-0.5*d2) / (2 * math.Pi * math.Sqrt(det))
}

// With one measurement of weight 1, ApplyPDA is Apply.
func TestIMMApplyPDAOneMeasurementIsApply(t *testing.T) {
	f, s, p := immPDAFixture(t)
	z := []float64{1210, 2030}
	a, b := s, s
	innA, err := f.Apply(&a, &p, z)
	require.NoError(t, err)
	innB, err := f.ApplyPDA(&b, &p, z, []float64{1})
	require.NoError(t, err)
	for j := 0; j < s.Modes(); j++ {
		ma, mb := a.Mode(j), b.Mode(j)
		assert.InDeltaSlice(t, ma.Mean(nil), mb.Mean(nil), 1e-9, "mode %d mean", j)
		assert.InDeltaSlice(t, ma.Cov(nil), mb.Cov(nil), 1e-9, "mode %d cov", j)
		assert.InDelta(t, a.Prob(j), b.Prob(j), 1e-12, "mode %d probability", j)
	}
	assert.InDeltaSlice(t, innA.Y[:2], innB.Y[:2], 1e-12)
	assert.Equal(t, innA.S, innB.S)
	assert.InDelta(t, innA.D2, innB.D2, 1e-12)
	assert.InDelta(t, innA.LogLik, innB.LogLik, 1e-12)
}

// With all weights zero (or no measurements) every mode keeps its mean and covariance
// and the probabilities stay the predicted ones.
func TestIMMApplyPDANoWeight(t *testing.T) {
	cases := []struct {
		name string
		z, w []float64
	}{
		{"no measurements", nil, nil},
		{"weights zero", []float64{1210, 2030, 900, 1800}, []float64{0, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, s, p := immPDAFixture(t)
			before := immBits(&s)
			_, err := f.ApplyPDA(&s, &p, c.z, c.w)
			require.NoError(t, err)
			assert.Equal(t, before, immBits(&s))
		})
	}
}

// Against the formula written out: each mode by the PDA (EKF.ApplyPDA on the mode's
// prediction), μⱼ ∝ cⱼ (w0 + Σᵢ wᵢ N(zᵢ; ẑⱼ, Sⱼ) / Σₗ cₗ N(zᵢ; ẑₗ, Sₗ)).
func TestIMMApplyPDAAgainstFormula(t *testing.T) {
	f, s, p := immPDAFixture(t)
	z := []float64{1210, 2030, 1190, 2075, 1250, 1990}
	w := []float64{0.5, 0.2, 0.15}
	got := s
	_, err := f.ApplyPDA(&got, &p, z, w)
	require.NoError(t, err)
	M := s.Modes()
	c := s.Probs(nil)
	mu := make([]float64, M)
	w0 := 1 - w[0] - w[1] - w[2]
	for j := range mu {
		mu[j] = c[j] * w0
	}
	for i := range w {
		zi := z[2*i : 2*i+2]
		L := 0.0
		for l := 0; l < M; l++ {
			L += c[l] * gauss2(zi, p.Mode(l).Z(), p.Mode(l).S())
		}
		for j := range mu {
			mu[j] += c[j] * w[i] * gauss2(zi, p.Mode(j).Z(), p.Mode(j).S()) / L
		}
	}
	sum := 0.0
	for _, v := range mu {
		sum += v
	}
	assert.InDelta(t, 1, sum, 1e-12, "Σ cⱼ Λⱼ = 1")
	for j := 0; j < M; j++ {
		e, err := NewEKF(f.Motion(j), Config{})
		require.NoError(t, err)
		want := s.Mode(j)
		_, err = e.ApplyPDA(&want, p.Mode(j), z, w)
		require.NoError(t, err)
		m := got.Mode(j)
		assert.InDeltaSlice(t, want.Mean(nil), m.Mean(nil), 1e-9, "mode %d mean", j)
		assert.InDeltaSlice(t, want.Cov(nil), m.Cov(nil), 1e-9, "mode %d cov", j)
		assert.InDelta(t, mu[j]/sum, got.Prob(j), 1e-12, "mode %d probability", j)
	}
}

func TestIMMApplyPDAErrorsLeaveStateUnchanged(t *testing.T) {
	z := []float64{1210, 2030, 1190, 2075}
	cases := []struct {
		name string
		err  error
		z, w []float64
		bad  bool // use an invalid prediction
	}{
		{"negative weight", ErrInvalidWeight, z, []float64{-0.1, 0.5}, false},
		{"NaN weight", ErrInvalidWeight, z, []float64{math.NaN(), 0.5}, false},
		{"weights above 1", ErrInvalidWeight, z, []float64{0.6, 0.5}, false},
		{"NaN z", ErrNonFinite, []float64{1210, math.NaN(), 1190, 2075}, []float64{0.3, 0.3}, false},
		{"Inf z", ErrNonFinite, []float64{1210, 2030, math.Inf(1), 2075}, []float64{0.3, 0.3}, false},
		{"short z", ErrDimension, z[:3], []float64{0.3, 0.3}, false},
		{"invalid prediction", ErrDimension, z, []float64{0.3, 0.3}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, s, p := immPDAFixture(t)
			before := immBits(&s)
			pp := &p
			if c.bad {
				pp = &IMMPredicted{}
			}
			_, err := f.ApplyPDA(&s, pp, c.z, c.w)
			require.Error(t, err)
			assert.True(t, errors.Is(err, c.err), "%v", err)
			assert.Equal(t, before, immBits(&s))
		})
	}
}

func TestIMMApplyPDAAllocs(t *testing.T) {
	f, s, p := immPDAFixture(t)
	z := []float64{1210, 2030, 1190, 2075}
	w := []float64{0.5, 0.3}
	allocs := testing.AllocsPerRun(50, func() {
		st := s
		if _, err := f.ApplyPDA(&st, &p, z, w); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

func TestMarginal(t *testing.T) {
	s, err := NewState([]float64{1, 2, 3, 4, 5}, diagRaw(1, 2, 3, 4, 5))
	require.NoError(t, err)
	require.NoError(t, s.SetCov([]float64{
		1, 0.1, 0, 0, 0.2,
		0.1, 2, 0, 0, 0,
		0, 0, 3, 0.3, 0,
		0, 0, 0.3, 4, 0,
		0.2, 0, 0, 0, 5,
	}))
	var d State
	s.Marginal(&d, []int{0, 2, 4})
	assert.Equal(t, []float64{1, 3, 5}, d.Mean(nil))
	assert.Equal(t, []float64{1, 0, 0.2, 0, 3, 0, 0.2, 0, 5}, d.Cov(nil))
	assert.Panics(t, func() { s.Marginal(&d, []int{5}) })
	assert.Panics(t, func() { s.Marginal(&d, nil) })
}

func TestNewIMMStateModes(t *testing.T) {
	a, err := NewState([]float64{1, 2}, diagRaw(1, 1))
	require.NoError(t, err)
	b, err := NewState([]float64{3, 4}, diagRaw(2, 2))
	require.NoError(t, err)
	c, err := NewState([]float64{3}, diagRaw(2))
	require.NoError(t, err)
	s, err := NewIMMStateModes([]State{a, b}, []float64{0.25, 0.75})
	require.NoError(t, err)
	assert.Equal(t, a, s.Mode(0))
	assert.Equal(t, b, s.Mode(1))
	assert.Equal(t, []float64{0.25, 0.75}, s.Probs(nil))
	_, err = NewIMMStateModes([]State{a, c}, []float64{0.5, 0.5})
	assert.True(t, errors.Is(err, ErrDimension), "%v", err)
	_, err = NewIMMStateModes([]State{a}, []float64{0.5, 0.5})
	assert.True(t, errors.Is(err, ErrDimension), "%v", err)
	_, err = NewIMMStateModes([]State{a, b}, []float64{0.5, 0.6})
	assert.True(t, errors.Is(err, ErrInvalidConfig), "%v", err)
}

// Pack and Unpack round-trip an estimate exactly; Unpack refuses bad input and leaves
// the state unchanged.
func TestIMMStatePackUnpack(t *testing.T) {
	_, s, _ := immPDAFixture(t)
	packed := s.Pack(nil)
	require.Len(t, packed, PackedLen(2, 5))
	var u IMMState
	require.NoError(t, u.Unpack(packed, 2, 5))
	assert.Equal(t, immBits(&s), immBits(&u))
	allocs := testing.AllocsPerRun(20, func() {
		packed = s.Pack(packed[:0])
		if err := u.Unpack(packed, 2, 5); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
	per := PackedLen(1, 5)
	cases := []struct {
		name string
		mut  func(p []float64) []float64
		m, n int
		err  error
	}{
		{"short", func(p []float64) []float64 { return p[:len(p)-1] }, 2, 5, ErrDimension},
		{"wrong modes", func(p []float64) []float64 { return p }, 3, 5, ErrDimension},
		{"NaN mean", func(p []float64) []float64 { p[2] = math.NaN(); return p }, 2, 5, ErrNonFinite},
		{"Inf covariance", func(p []float64) []float64 { p[per+7] = math.Inf(1); return p }, 2, 5, ErrNonFinite},
		{"zero variance", func(p []float64) []float64 { p[per+1+5] = 0; return p }, 2, 5, ErrNotPositiveDefinite},
		{"probabilities", func(p []float64) []float64 { p[0] = 0.9; p[per] = 0.9; return p }, 2, 5, ErrInvalidConfig},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := s
			before := immBits(&v)
			err := v.Unpack(c.mut(s.Pack(nil)), c.m, c.n)
			assert.True(t, errors.Is(err, c.err), "%v", err)
			assert.Equal(t, before, immBits(&v))
		})
	}
}

// CombinedMarginal is Combined followed by Marginal.
func TestIMMStateCombinedMarginal(t *testing.T) {
	_, s, _ := immPDAFixture(t)
	for _, idx := range [][]int{{0, 1, 2, 3}, {4}, {2, 0}, {0, 1, 2, 3, 4}} {
		c := s.Combined()
		var want, got State
		c.Marginal(&want, idx)
		s.CombinedMarginal(&got, idx)
		assert.Equal(t, want.Dim(), got.Dim())
		assert.InDeltaSlice(t, want.Mean(nil), got.Mean(nil), 1e-9, "%v", idx)
		assert.InDeltaSlice(t, want.Cov(nil), got.Cov(nil), 1e-9, "%v", idx)
		gc := got.Cov(nil)
		for a := 0; a < len(idx); a++ {
			for b := 0; b < len(idx); b++ {
				assert.Equal(t, gc[a*len(idx)+b], gc[b*len(idx)+a], "symmetric")
			}
		}
	}
	var d State
	assert.Panics(t, func() { s.CombinedMarginal(&d, []int{5}) })
	assert.Panics(t, func() { s.CombinedMarginal(&d, nil) })
}
