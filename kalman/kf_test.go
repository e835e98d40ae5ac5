package kalman

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKFOneStepByHand checks one predict and one update of a 1-D CV filter against
// numbers worked out by hand.
//
//	x = [0, 1], P = I, q = 1, dt = 1:
//	F = [1 1; 0 1], x⁻ = F x = [1, 1]
//	F P Fᵀ = [2 1; 1 1], Q = q·[1/3 1/2; 1/2 1], P⁻ = [7/3 3/2; 3/2 2]
//	H = [1 0], R = 1, z = 2:
//	S = 7/3 + 1 = 10/3, y = 2 - 1 = 1, d² = y²/S = 0.3
//	K = P⁻Hᵀ/S = [7/3, 3/2]·3/10 = [0.7, 0.45]
//	x⁺ = x⁻ + K y = [1.7, 1.45]
//	P⁺ = P⁻ - K S Kᵀ = [7/3 - 49/30, 3/2 - 21/20; ·, 2 - 27/40] = [0.7 0.45; 0.45 1.325]
//	log-likelihood = -(0.3 + log(10/3) + log 2π)/2
func TestKFOneStepByHand(t *testing.T) {
	f, err := NewKF(NewCV(1, 1), Config{})
	require.NoError(t, err)
	s, err := NewState([]float64{0, 1}, []float64{1, 0, 0, 1})
	require.NoError(t, err)
	require.NoError(t, f.Predict(&s, 1))
	assert.InDeltaSlice(t, []float64{1, 1}, s.Mean(nil), 1e-15)
	assert.InDeltaSlice(t, []float64{7.0 / 3, 1.5, 1.5, 2}, s.Cov(nil), 1e-15)

	inn, err := f.Update(&s, NewPosition(2, []int{0}, nil), []float64{2}, []float64{1})
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{1.7, 1.45}, s.Mean(nil), 1e-14)
	assert.InDeltaSlice(t, []float64{0.7, 0.45, 0.45, 1.325}, s.Cov(nil), 1e-14)
	assert.Equal(t, 1, inn.M)
	assert.InDelta(t, 1.0, inn.Y[0], 1e-15)
	assert.InDelta(t, 10.0/3, inn.S[0][0], 1e-14)
	assert.InDelta(t, 0.3, inn.D2, 1e-14)
	assert.InDelta(t, -0.5*(0.3+math.Log(10.0/3)+math.Log(2*math.Pi)), inn.LogLik, 1e-14)
}

func TestKFJosephMatchesStandard(t *testing.T) {
	std, err := NewKF(NewCV(2, 0.5), Config{})
	require.NoError(t, err)
	jos, err := NewKF(NewCV(2, 0.5), Config{Joseph: true})
	require.NoError(t, err)
	s1, err := NewState([]float64{1, 2, 3, 4}, []float64{4, 1, 0, 0, 1, 2, 0, 0, 0, 0, 3, 0.5, 0, 0, 0.5, 1})
	require.NoError(t, err)
	s2 := s1
	h := NewPosition(4, []int{0, 2}, nil)
	R := []float64{0.5, 0.1, 0.1, 0.7}
	for k := 0; k < 20; k++ {
		z := []float64{float64(k), float64(2 * k)}
		require.NoError(t, std.Predict(&s1, 0.5))
		require.NoError(t, jos.Predict(&s2, 0.5))
		i1, err := std.Update(&s1, h, z, R)
		require.NoError(t, err)
		i2, err := jos.Update(&s2, h, z, R)
		require.NoError(t, err)
		assert.InDelta(t, i1.D2, i2.D2, 1e-9)
	}
	assert.InDeltaSlice(t, s1.Mean(nil), s2.Mean(nil), 1e-9)
	assert.InDeltaSlice(t, s1.Cov(nil), s2.Cov(nil), 1e-9)
}

func TestNewKFRejectsNonlinear(t *testing.T) {
	_, err := NewKF(NewCT(CTConfig{Q: 1, QRate: 1e-4}), Config{})
	assert.True(t, errors.Is(err, ErrNonlinear), "%v", err)
}

func TestKFAgainstReference(t *testing.T) {
	n := 0
	for mi, mo := range tbMotions() {
		if !mo.model.Linear() {
			continue
		}
		for hi, mm := range tbMeasures(mo) {
			if !mm.model.Linear() {
				continue
			}
			n++
			t.Run(mo.name+"/"+mm.name, func(t *testing.T) {
				for _, joseph := range []bool{false, true} {
					f, err := NewKF(mo.model, Config{Joseph: joseph})
					require.NoError(t, err)
					runAgainstReference(t, f, mo, mm, uint64(100*mi+hi+1))
				}
			})
		}
	}
	require.Equal(t, 18, n, "linear motion × measurement combinations")
}

func TestKFPredictToMatchesPredict(t *testing.T) {
	tests := []struct {
		name   string
		motion Motion
		n      int
	}{
		{"CV 2-D", NewCV(2, 0.3), 4},
		{"CV 3-D", NewCV(3, 0.3), 6},
		{"CA 1-D", NewCA(1, 0.2), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewKF(tt.motion, Config{})
			require.NoError(t, err)
			x := make([]float64, tt.n)
			p := make([]float64, tt.n*tt.n)
			for i := range x {
				x[i] = float64(i) + 0.5
				p[i*tt.n+i] = 1 + float64(i)
				if i > 0 {
					p[i*tt.n+i-1], p[(i-1)*tt.n+i] = 0.25, 0.25
				}
			}
			src, err := NewState(x, p)
			require.NoError(t, err)
			want := src
			require.NoError(t, f.Predict(&want, 0.7))
			keep := src
			var got State
			require.NoError(t, f.PredictTo(&got, &src, 0.7))
			assert.True(t, sameBits(&want, &got), "PredictTo = Predict")
			assert.True(t, sameBits(&keep, &src), "src unchanged")
			assert.ErrorIs(t, f.PredictTo(&got, &src, -1), ErrNegativeTimeStep)
			assert.ErrorIs(t, f.PredictTo(&got, &src, math.NaN()), ErrNonFinite)
		})
	}
}
