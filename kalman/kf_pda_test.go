package kalman

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// tbPDA is the textbook PDA update (Bar-Shalom, Daum & Huang 2009, eqs. 39-42) with
// gonum: K = P Hᵀ S⁻¹, y = Σ βᵢ yᵢ, x⁺ = x + K y,
// P⁺ = β₀ P + (1 - β₀)(P - K S Kᵀ) + K (Σ βᵢ yᵢ yᵢᵀ - y yᵀ) Kᵀ.
func tbPDA(s tbState, mm tbMeasure, zs [][]float64, beta []float64, Rraw []float64) tbState {
	n, m := len(s.x), mm.m
	zhat := mm.h(s.x)
	H := mm.H(s.x)
	var HP, S mat.Dense
	HP.Mul(H, s.P)
	S.Mul(&HP, H.T())
	S.Add(&S, mat.NewDense(m, m, append([]float64(nil), Rraw...)))
	var Kt mat.Dense
	if err := Kt.Solve(&S, &HP); err != nil {
		panic(err)
	}
	K := mat.DenseCopyOf(Kt.T())
	beta0 := 1.0
	y := mat.NewVecDense(m, nil)
	spread := mat.NewDense(m, m, nil)
	for i, z := range zs {
		beta0 -= beta[i]
		yi := mat.NewVecDense(m, nil)
		for a := 0; a < m; a++ {
			v := z[a] - zhat[a]
			if mm.angle[a] {
				v = tbWrap(v)
			}
			yi.SetVec(a, v)
		}
		y.AddScaledVec(y, beta[i], yi)
		var o mat.Dense
		o.Outer(beta[i], yi, yi)
		spread.Add(spread, &o)
	}
	var yy mat.Dense
	yy.Outer(1, y, y)
	spread.Sub(spread, &yy)
	var dx mat.VecDense
	dx.MulVec(K, y)
	x := make([]float64, n)
	for i := range x {
		x[i] = s.x[i] + dx.AtVec(i)
	}
	var KSKt, KS, Ksp, KspKt, P mat.Dense
	KS.Mul(K, &S)
	KSKt.Mul(&KS, K.T())
	Ksp.Mul(K, spread)
	KspKt.Mul(&Ksp, K.T())
	P.Scale(beta0, s.P)
	var Pc mat.Dense
	Pc.Sub(s.P, &KSKt)
	Pc.Scale(1-beta0, &Pc)
	P.Add(&P, &Pc)
	P.Add(&P, &KspKt)
	return tbState{x: x, P: tbSym(&P)}
}

func TestApplyPDAAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cv := tbMotions()[1] // CV2
	for _, mm := range tbMeasures(cv) {
		t.Run(mm.name, func(t *testing.T) {
			f, err := NewEKF(cv.model, Config{})
			require.NoError(t, err)
			R := tbR(mm)
			for trial := 0; trial < 50; trial++ {
				x := make([]float64, cv.n)
				for i := range x {
					x[i] = cv.x0[i] + math.Sqrt(cv.p0[i])*rng.NormFloat64()
				}
				s, err := NewState(x, diagFlat(cv.p0))
				require.NoError(t, err)
				ref := tbNewState(x, cv.p0)
				k := rng.IntN(4)
				zs := make([][]float64, k)
				var flat []float64
				w := make([]float64, k)
				total := rng.Float64()
				for i := range zs {
					zs[i] = mm.h(x)
					for a := range zs[i] {
						zs[i][a] += 3 * mm.sd[a] * rng.NormFloat64()
					}
					flat = append(flat, zs[i]...)
					w[i] = total / float64(k)
				}
				var p Predicted
				require.NoError(t, f.PredictMeasurement(&p, &s, mm.model, R))
				inn, err := f.ApplyPDA(&s, &p, flat, w)
				require.NoError(t, err)
				ref = tbPDA(ref, mm, zs, w, R)
				requireClose(t, "PDA mean", trial, s.Mean(nil), ref.x)
				requireClose(t, "PDA cov", trial, s.Cov(nil), symFlat(ref.P))
				assert.Equal(t, mm.m, inn.M)
			}
		})
	}
}

func TestApplyPDASpecialCases(t *testing.T) {
	f, err := NewKF(NewCV(2, 1), Config{})
	require.NoError(t, err)
	h := NewPosition(4, []int{0, 2}, nil)
	R := []float64{4, 1, 1, 9}
	s0 := newCV2State(t)
	var p Predicted
	require.NoError(t, f.PredictMeasurement(&p, &s0, h, R))

	// One measurement of weight 1 is Apply.
	s1, s2 := s0, s0
	z := []float64{104, -47}
	i1, err := f.Apply(&s1, &p, z)
	require.NoError(t, err)
	i2, err := f.ApplyPDA(&s2, &p, z, []float64{1})
	require.NoError(t, err)
	assert.InDeltaSlice(t, s1.Mean(nil), s2.Mean(nil), 1e-12)
	assert.InDeltaSlice(t, s1.Cov(nil), s2.Cov(nil), 1e-12)
	assert.InDelta(t, i1.D2, i2.D2, 1e-12)

	// No measurement, or weight zero: unchanged.
	for _, w := range [][]float64{nil, {0}} {
		s := s0
		zz := z[:len(w)*2]
		_, err := f.ApplyPDA(&s, &p, zz, w)
		require.NoError(t, err)
		assert.True(t, sameBits(&s0, &s), "weights %v changed the state", w)
	}

	// Bad input: typed errors, state unchanged.
	nan := math.NaN()
	for name, tc := range map[string]struct {
		z, w []float64
		want error
	}{
		"length":        {[]float64{1, 2, 3}, []float64{0.5}, ErrDimension},
		"negative":      {[]float64{1, 2}, []float64{-0.1}, ErrInvalidWeight},
		"NaN weight":    {[]float64{1, 2}, []float64{nan}, ErrInvalidWeight},
		"sum above one": {[]float64{1, 2, 3, 4}, []float64{0.6, 0.6}, ErrInvalidWeight},
		"NaN z":         {[]float64{1, nan}, []float64{0.5}, ErrNonFinite},
	} {
		s := s0
		_, err := f.ApplyPDA(&s, &p, tc.z, tc.w)
		assert.ErrorIs(t, err, tc.want, name)
		assert.True(t, sameBits(&s0, &s), "%s changed the state", name)
	}

	// No allocation.
	zs := []float64{104, -47, 99, -52, 101, -49}
	ws := []float64{0.3, 0.2, 0.4}
	s := s0
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		s = s0
		_, _ = f.ApplyPDA(&s, &p, zs, ws)
	}))
}
