package kalman

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newCV2State(t testing.TB) State {
	s, err := NewState([]float64{100, 5, -50, 2}, []float64{
		10, 1, 0, 0,
		1, 4, 0, 0,
		0, 0, 10, 1,
		0, 0, 1, 4,
	})
	require.NoError(t, err)
	return s
}

func TestPredictErrorsLeaveStateUnchanged(t *testing.T) {
	f, err := NewKF(NewCV(2, 1), Config{})
	require.NoError(t, err)
	e, err := NewEKF(NewCT(CTConfig{Q: 1, QRate: 1e-3}), Config{})
	require.NoError(t, err)
	tests := []struct {
		name string
		dt   float64
		want error
	}{
		{"negative", -0.1, ErrNegativeTimeStep},
		{"negative zero is fine", math.Copysign(0, -1), nil},
		{"NaN", math.NaN(), ErrNonFinite},
		{"+Inf", math.Inf(1), ErrNonFinite},
		{"-Inf", math.Inf(-1), ErrNonFinite},
		{"overflow", 1e300, ErrNonFinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newCV2State(t)
			before := s
			err := f.Predict(&s, tt.dt)
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.want)
			assert.True(t, sameBits(&before, &s), "state changed on error")
		})
	}
	// Wrong state dimension.
	s := newCV2State(t)
	before := s
	assert.ErrorIs(t, e.Predict(&s, 1), ErrDimension)
	assert.True(t, sameBits(&before, &s))
}

func TestUpdateErrorsLeaveStateUnchanged(t *testing.T) {
	f, err := NewKF(NewCV(2, 1), Config{})
	require.NoError(t, err)
	pos := NewPosition(4, []int{0, 2}, nil)
	rb := NewRangeBearing(NewCV(2, 1).Layout(), [2]float64{100, -50}, false)
	nan, inf := math.NaN(), math.Inf(1)
	R := []float64{1, 0, 0, 1}
	tests := []struct {
		name string
		h    Measurement
		z, R []float64
		want error
	}{
		{"NaN measurement", pos, []float64{nan, 1}, R, ErrNonFinite},
		{"Inf measurement", pos, []float64{1, inf}, R, ErrNonFinite},
		{"short measurement", pos, []float64{1}, R, ErrDimension},
		{"long measurement", pos, []float64{1, 2, 3}, R, ErrDimension},
		{"R length", pos, []float64{1, 2}, []float64{1, 0, 1}, ErrDimension},
		{"R NaN", pos, []float64{1, 2}, []float64{1, 0, 0, nan}, ErrNonFinite},
		{"R negative", pos, []float64{1, 2}, []float64{1, 0, 0, -1}, ErrNotPositiveDefinite},
		{"R indefinite", pos, []float64{1, 2}, []float64{1, 3, 3, 1}, ErrNotPositiveDefinite},
		{"R asymmetric", pos, []float64{1, 2}, []float64{1, 0.5, 0, 1}, ErrNotPositiveDefinite},
		{"R zero", pos, []float64{1, 2}, []float64{0, 0, 0, 0}, ErrNotPositiveDefinite},
		{"nonlinear model in KF", rb, []float64{1, 2}, R, ErrNonlinear},
		{"huge measurement overflows", pos, []float64{1e308, -1e308}, []float64{1e-300, 0, 0, 1e-300}, ErrNonFinite},
		{"model for another state size", NewPosition(6, []int{0, 2}, nil), []float64{1, 2}, R, ErrDimension},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newCV2State(t)
			before := s
			_, err := f.Update(&s, tt.h, tt.z, tt.R)
			require.ErrorIs(t, err, tt.want)
			assert.True(t, sameBits(&before, &s), "state changed on error")

			// The two-phase path: PredictMeasurement leaves dst unchanged on error; Score and
			// Apply reject the measurement without touching anything.
			var p Predicted
			good := pos
			require.NoError(t, f.PredictMeasurement(&p, &s, good, R))
			pBefore := p
			if err := f.PredictMeasurement(&p, &s, tt.h, tt.R); err != nil {
				assert.Equal(t, pBefore, p, "Predicted changed on error")
				return
			}
			d2, _, serr := p.Score(tt.z)
			assert.True(t, serr != nil || math.IsInf(d2, 1), "Score accepted the measurement: d2 = %v", d2)
			_, aerr := f.Apply(&s, &p, tt.z)
			assert.Error(t, aerr)
			assert.True(t, sameBits(&before, &s), "state changed on error")
		})
	}
}

func TestZeroPredictedIsRejected(t *testing.T) {
	f, err := NewKF(NewCV(2, 1), Config{})
	require.NoError(t, err)
	s := newCV2State(t)
	before := s
	var p Predicted
	_, _, err = p.Score(nil)
	assert.ErrorIs(t, err, ErrDimension)
	_, err = f.Apply(&s, &p, []float64{1, 2})
	assert.ErrorIs(t, err, ErrDimension)
	assert.True(t, sameBits(&before, &s))
}

func TestEKFAtSensorIsAnError(t *testing.T) {
	l := NewCV(2, 1).Layout()
	f, err := NewEKF(NewCV(2, 1), Config{})
	require.NoError(t, err)
	s := newCV2State(t)
	before := s
	h := NewRangeBearing(l, [2]float64{100, -50}, true) // the sensor sits on the mean
	_, err = f.Update(&s, h, []float64{1, 0, 0}, []float64{1, 0, 0, 0, 1e-4, 0, 0, 0, 1})
	assert.ErrorIs(t, err, ErrNonFinite)
	assert.True(t, sameBits(&before, &s))
}

// TestAngleInnovationWrapped checks that a bearing measured across ±π gives a small
// innovation.
func TestAngleInnovationWrapped(t *testing.T) {
	f, err := NewEKF(NewCV(2, 1), Config{})
	require.NoError(t, err)
	s, err := NewState([]float64{-1000, 0, 1e-3, 0}, diagFlat([]float64{100, 1, 100, 1}))
	require.NoError(t, err)
	h := NewBearing(NewCV(2, 1).Layout(), [2]float64{0, 0})
	var p Predicted
	require.NoError(t, f.PredictMeasurement(&p, &s, h, []float64{1e-4}))
	require.InDelta(t, math.Pi, p.Z()[0], 1e-5)
	inn, err := f.Apply(&s, &p, []float64{-math.Pi + 0.001})
	require.NoError(t, err)
	assert.InDelta(t, 0.001-(p.Z()[0]-math.Pi), inn.Y[0], 1e-12)
	assert.Less(t, inn.D2, 1.0)
}

func TestModelConstructorsPanicOnProgrammerErrors(t *testing.T) {
	l := NewCV(2, 1).Layout()
	for name, fn := range map[string]func(){
		"CV axes":          func() { NewCV(0, 1) },
		"CV q":             func() { NewCV(2, -1) },
		"CA NaN":           func() { NewCA(2, math.NaN()) },
		"Singer tau":       func() { NewSinger(2, 0, 1) },
		"CT QRate":         func() { NewCT(CTConfig{QRate: math.Inf(1)}) },
		"Position index":   func() { NewPosition(4, []int{4}, nil) },
		"Position repeat":  func() { NewPosition(4, []int{1, 1}, nil) },
		"Position empty":   func() { NewPosition(4, nil, nil) },
		"Position offsets": func() { NewPosition(4, []int{0}, []float64{1, 2}) },
		"RAE on 2-D":       func() { NewRangeAzEl(l, [3]float64{}, false) },
		"range rate, no vel": func() {
			NewRangeBearing(Layout{Dim: 2, Axes: 2, Pos: [3]int{0, 1}, Vel: [3]int{-1, -1}}, [2]float64{}, true)
		},
		"sensor NaN": func() { NewBearing(l, [2]float64{math.NaN(), 0}) },
	} {
		assert.Panics(t, fn, name)
	}
}
