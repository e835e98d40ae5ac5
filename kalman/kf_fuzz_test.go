package kalman

import (
	"math"
	"testing"
)

// checkAfterUpdate fails the fuzz case if an update broke the contract: on error the
// state must be bit-for-bit unchanged; on success it must be finite, with an exactly
// symmetric covariance and positive variances.
func checkAfterUpdate(t *testing.T, err error, before, after *State, inn Innovation) {
	t.Helper()
	if err != nil {
		if !sameBits(before, after) {
			t.Fatalf("error %v but the state changed", err)
		}
		return
	}
	if !after.finite() {
		t.Fatalf("update succeeded with a non-finite state %v", after)
	}
	for i := 0; i < after.n; i++ {
		if !(after.p[i][i] > 0) {
			t.Fatalf("update succeeded with variance %d = %v", i, after.p[i][i])
		}
		for j := 0; j < i; j++ {
			if after.p[i][j] != after.p[j][i] {
				t.Fatalf("covariance not symmetric at (%d, %d)", i, j)
			}
		}
	}
	if math.IsNaN(inn.D2) || inn.D2 < 0 || math.IsNaN(inn.LogLik) {
		t.Fatalf("bad innovation statistics %+v", inn)
	}
}

// FuzzKFUpdate feeds arbitrary floats to a 2-D CV KF with a position measurement:
// the time step, the measurement, the measurement noise, and a scale and correlation of
// the initial covariance.
func FuzzKFUpdate(f *testing.F) {
	f.Add(1.0, 10.0, -3.0, 1.0, 0.0, 1.0, 1.0, 0.0, false)
	f.Add(0.0, 0.0, 0.0, 1e-300, 0.0, 1e-300, 1e-300, 0.99, true)
	f.Add(-1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, false)
	f.Add(math.NaN(), 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, true)
	f.Add(1.0, math.Inf(1), 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, false)
	f.Add(1.0, 1e308, -1e308, 1e-300, 0.0, 1e-300, 1e300, 0.0, true)
	f.Add(1e10, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 0.0, false)
	f.Add(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1.0, false)
	f.Add(1.0, 1.0, 1.0, -1.0, 0.0, 1.0, 1e308, 0.5, true)
	f.Fuzz(func(t *testing.T, dt, z0, z1, r00, r01, r11, pscale, pcorr float64, joseph bool) {
		kf, err := NewKF(NewCV(2, 0.5), Config{Joseph: joseph})
		if err != nil {
			t.Fatal(err)
		}
		c := pcorr * math.Sqrt(10*4)
		s, err := NewState([]float64{100, 5, -50, 2}, []float64{
			10 * pscale, c * pscale, 0, 0,
			c * pscale, 4 * pscale, 0, 0,
			0, 0, 10 * pscale, 0,
			0, 0, 0, 4 * pscale,
		})
		if err != nil {
			return // an invalid initial covariance is rejected at construction
		}
		before := s
		err = kf.Predict(&s, dt)
		if err != nil && !sameBits(&before, &s) {
			t.Fatalf("predict error %v but the state changed", err)
		}
		before = s
		h := NewPosition(4, []int{0, 2}, nil)
		inn, err := kf.Update(&s, h, []float64{z0, z1}, []float64{r00, r01, r01, r11})
		checkAfterUpdate(t, err, &before, &s, inn)
	})
}

// FuzzEKFUpdate feeds arbitrary floats to a coordinated-turn EKF with a range, bearing
// and range-rate measurement: the target position (to reach the sensor singularity), the
// turn rate, the time step, the measurement and the measurement noise.
func FuzzEKFUpdate(f *testing.F) {
	f.Add(1000.0, 500.0, 0.05, 1.0, 1100.0, 0.5, -3.0, 100.0, 1e-4, 1.0, 0.0)
	f.Add(0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0)
	f.Add(1000.0, 500.0, 1e6, 1e6, 1100.0, 10.0, -3.0, 100.0, 1e-4, 1.0, 0.0)
	f.Add(1000.0, 500.0, 0.05, 1.0, math.NaN(), 0.5, -3.0, 100.0, 1e-4, 1.0, 0.0)
	f.Add(1000.0, 500.0, 0.05, 1.0, 1100.0, 0.5, -3.0, 100.0, -1e-4, 1.0, 0.0)
	f.Add(1e300, -1e300, 0.05, 1.0, 1e300, 0.5, -3.0, 1e-300, 1e-300, 1e-300, 0.0)
	f.Add(1000.0, 500.0, 0.05, 1.0, 1100.0, 0.5, -3.0, 100.0, 1e-4, 1.0, 1e3)
	f.Fuzz(func(t *testing.T, px, py, w, dt, zr, zb, zrr, rr, rb, rrr, rcross float64) {
		m := NewCT(CTConfig{Q: 1, QRate: 1e-4})
		ekf, err := NewEKF(m, Config{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewState([]float64{px, 10, py, -5, w}, diagFlat([]float64{100, 10, 100, 10, 1e-3}))
		if err != nil {
			return
		}
		before := s
		err = ekf.Predict(&s, dt)
		if err != nil && !sameBits(&before, &s) {
			t.Fatalf("predict error %v but the state changed", err)
		}
		before = s
		h := NewRangeBearing(m.Layout(), [2]float64{0, 0}, true)
		R := []float64{rr, rcross, 0, rcross, rb, 0, 0, 0, rrr}
		var p Predicted
		if err := ekf.PredictMeasurement(&p, &s, h, R); err != nil {
			if !sameBits(&before, &s) {
				t.Fatalf("error %v but the state changed", err)
			}
			return
		}
		z := []float64{zr, zb, zrr}
		if _, _, err := p.Score(z); err == nil {
			inn, err := ekf.Apply(&s, &p, z)
			checkAfterUpdate(t, err, &before, &s, inn)
			return
		}
		inn, err := ekf.Apply(&s, &p, z)
		if err == nil {
			t.Fatal("Score rejected the measurement but Apply accepted it")
		}
		checkAfterUpdate(t, err, &before, &s, inn)
	})
}

// FuzzApplyPDA feeds arbitrary measurements and weights to ApplyPDA on a 2-D CV EKF with
// a range-bearing measurement.
func FuzzApplyPDA(f *testing.F) {
	f.Add(1100.0, 0.05, 1000.0, -0.05, 0.3, 0.6)
	f.Add(1100.0, 0.05, 1000.0, -0.05, 0.0, 0.0)
	f.Add(1100.0, 0.05, 1000.0, -0.05, 0.7, 0.7)
	f.Add(math.Inf(1), 0.05, 1000.0, 7.0, 0.5, 0.5)
	f.Add(1e308, -1e308, 1000.0, 4.0, 1.0, 0.0)
	f.Add(1100.0, 0.05, 1000.0, -0.05, -0.1, math.NaN())
	f.Fuzz(func(t *testing.T, r1, b1, r2, b2, w1, w2 float64) {
		cv := NewCV(2, 1)
		ekf, err := NewEKF(cv, Config{})
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewState([]float64{1000, 5, 50, -2}, diagFlat([]float64{100, 10, 100, 10}))
		if err != nil {
			t.Fatal(err)
		}
		var p Predicted
		h := NewRangeBearing(cv.Layout(), [2]float64{0, 0}, false)
		if err := ekf.PredictMeasurement(&p, &s, h, []float64{100, 0, 0, 1e-4}); err != nil {
			t.Fatal(err)
		}
		before := s
		inn, err := ekf.ApplyPDA(&s, &p, []float64{r1, b1, r2, b2}, []float64{w1, w2})
		checkAfterUpdate(t, err, &before, &s, inn)
	})
}
