package kalman

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// userMotion and userMeasurement hide the package models' specialised kernels, so that
// the general dense kernels are exercised (as for a user-written model).
type userMotion struct{ Motion }
type userMeasurement struct{ Measurement }

func TestZeroAllocations(t *testing.T) {
	cv2, cv3 := NewCV(2, 1), NewCV(3, 1)
	ct := NewCT(CTConfig{Q: 1, QRate: 1e-4, Vertical: true, QZ: 0.1})
	tests := []struct {
		name   string
		linear bool
		motion Motion
		h      Measurement
		x, p   []float64
		z, R   []float64
	}{
		{"KF CV2 position", true, cv2, NewPosition(4, []int{0, 2}, nil),
			[]float64{100, 1, 50, -1}, diagFlat([]float64{10, 1, 10, 1}), []float64{101, 49}, diagFlat([]float64{4, 4})},
		{"KF CA3 position", true, NewCA(3, 0.1), NewPosition(9, []int{0, 3, 6}, nil),
			[]float64{100, 1, 0, 50, -1, 0, 10, 0, 0}, diagFlat([]float64{10, 1, 1, 10, 1, 1, 10, 1, 1}), []float64{101, 49, 10}, diagFlat([]float64{4, 4, 4})},
		{"KF user models", true, userMotion{cv2}, userMeasurement{NewPosition(4, []int{0, 2}, nil)},
			[]float64{100, 1, 50, -1}, diagFlat([]float64{10, 1, 10, 1}), []float64{101, 49}, diagFlat([]float64{4, 4})},
		{"EKF CV3 range-az-el", false, cv3, NewRangeAzEl(cv3.Layout(), [3]float64{}, false),
			[]float64{1000, 1, 500, -1, 100, 0}, diagFlat([]float64{10, 1, 10, 1, 10, 1}), []float64{1123, 0.46, 0.09}, diagFlat([]float64{25, 1e-4, 1e-4})},
		{"EKF CT range-az-el-rate", false, ct, NewRangeAzEl(ct.Layout(), [3]float64{}, true),
			[]float64{1000, 10, 500, -5, 0.01, 100, 0}, diagFlat([]float64{10, 1, 10, 1, 1e-4, 10, 1}), []float64{1123, 0.46, 0.09, 6}, diagFlat([]float64{25, 1e-4, 1e-4, 1})},
		{"EKF user models", false, userMotion{ct}, userMeasurement{NewRangeBearing(ct.Layout(), [2]float64{}, false)},
			[]float64{1000, 10, 500, -5, 0.01, 100, 0}, diagFlat([]float64{10, 1, 10, 1, 1e-4, 10, 1}), []float64{1118, 0.46}, diagFlat([]float64{25, 1e-4})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f filterUnderTest
			if tt.linear {
				kf, err := NewKF(tt.motion, Config{})
				require.NoError(t, err)
				f = kf
			} else {
				ekf, err := NewEKF(tt.motion, Config{Joseph: true})
				require.NoError(t, err)
				f = ekf
			}
			s0, err := NewState(tt.x, tt.p)
			require.NoError(t, err)
			s := s0
			var p Predicted
			var firstErr error
			keep := func(err error) {
				if err != nil && firstErr == nil {
					firstErr = err
				}
			}
			assert.Zero(t, testing.AllocsPerRun(100, func() {
				s = s0
				keep(f.Predict(&s, 0.5))
			}), "Predict")
			assert.Zero(t, testing.AllocsPerRun(100, func() {
				_, err := f.Update(&s, tt.h, tt.z, tt.R)
				keep(err)
			}), "Update")
			assert.Zero(t, testing.AllocsPerRun(100, func() {
				keep(f.PredictMeasurement(&p, &s, tt.h, tt.R))
			}), "PredictMeasurement")
			assert.Zero(t, testing.AllocsPerRun(100, func() {
				_, _, err := p.Score(tt.z)
				keep(err)
			}), "Score")
			assert.Zero(t, testing.AllocsPerRun(100, func() {
				s = s0
				_, err := f.Apply(&s, &p, tt.z)
				keep(err)
			}), "Apply")
			require.NoError(t, firstErr)
		})
	}
}

var sinkFloat float64

// TestLocalsDoNotEscape: a State, a Predicted and measurement slices declared as local
// variables stay on the stack (the filters never hand caller storage to the models'
// interfaces), so even code that copies states in and out of a loop does not allocate.
func TestLocalsDoNotEscape(t *testing.T) {
	cv := NewCV(2, 1)
	kf, err := NewKF(cv, Config{})
	require.NoError(t, err)
	ekf, err := NewEKF(cv, Config{})
	require.NoError(t, err)
	pos := NewPosition(4, []int{0, 2}, nil)
	rb := NewRangeBearing(cv.Layout(), [2]float64{-1000, 0}, false)
	s0, err := NewState([]float64{100, 1, 50, -1}, diagFlat([]float64{10, 1, 10, 1}))
	require.NoError(t, err)
	var firstErr error
	allocs := testing.AllocsPerRun(100, func() {
		s := s0
		z := []float64{101, 49}
		R := []float64{4, 0, 0, 4}
		if err := kf.Predict(&s, 0.5); err != nil && firstErr == nil {
			firstErr = err
		}
		var p Predicted
		if err := kf.PredictMeasurement(&p, &s, pos, R); err != nil && firstErr == nil {
			firstErr = err
		}
		d2, _, _ := p.Score(z)
		if _, err := kf.Apply(&s, &p, z); err != nil && firstErr == nil {
			firstErr = err
		}
		zr := []float64{1100, 0.045}
		Rr := []float64{100, 0, 0, 1e-4}
		if _, err := ekf.Update(&s, rb, zr, Rr); err != nil && firstErr == nil {
			firstErr = err
		}
		sinkFloat = s.MeanAt(0) + d2
	})
	require.NoError(t, firstErr)
	assert.Zero(t, allocs)
}
