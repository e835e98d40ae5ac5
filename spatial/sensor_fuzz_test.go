package spatial

import (
	"errors"
	"math"
	"testing"
)

// FuzzConvert drives every sensor conversion with arbitrary input: no panic; either a
// GeoError with zero outputs, or finite outputs; within the documented domain (valid
// position and attitude, range ≥ 0, positive variances, magnitudes a tracker can
// meet) the conversions succeed.
func FuzzConvert(f *testing.F) {
	f.Add(0.8, 0.1, 100.0, 0.3, 0.0, 0.0, 5e4, 0.5, 0.1, 100.0, 1e-6, 1e-6)
	f.Add(math.Pi/2, 0.0, 0.0, 0.0, math.Pi/2, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 1.0, 1.0, 1.0)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1e300, 0.0, 0.0, 1e300, 1e300, 1e300)
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1e3, math.NaN(), 0.0, 1.0, 1.0, 1.0)
	f.Fuzz(func(t *testing.T, lat, lon, h, yaw, pitch, roll, r, a, e, vr, va, ve float64) {
		s, err := NewSensor(Geodetic{Lat: lat, Lon: lon, Height: h}, Attitude{Yaw: yaw, Pitch: pitch, Roll: roll})
		if err != nil {
			var ge *GeoError
			if !errors.As(err, &ge) || s != (Sensor{}) {
				t.Fatalf("NewSensor: %v", err)
			}
			return
		}
		valid := allFinite(r, a, e, vr, va, ve) && r >= 0 && vr > 0 && va > 0 && ve > 0 &&
			r < 1e9 && vr < 1e12 && va < 100 && ve < 100 && math.Abs(a) < 1e6 && math.Abs(e) < 1e6
		m := RangeAzEl{Range: r, Azimuth: a, Elevation: e, RangeVar: vr, AzimuthVar: va, ElevationVar: ve}
		for _, method := range []Conversion{Linearised, Unbiased} {
			p, c, err := s.ConvertRangeAzEl(m, method)
			check(t, "ConvertRangeAzEl", valid, err, append(p[:], c[:]...))
			p, c, err = s.ConvertRangeBearing(RangeBearing{Range: r, Bearing: a, RangeVar: vr, BearingVar: va, VerticalVar: ve}, method)
			check(t, "ConvertRangeBearing", valid, err, append(p[:], c[:]...))
		}
		d, c, err := s.LineOfSight(Bearing{Azimuth: a, Elevation: e, AzimuthVar: va, ElevationVar: ve})
		check(t, "LineOfSight", valid, err, append(d[:], c[:]...))
		// Predict the measurement of a target at (r, a, e) read as an ECEF offset.
		o := s.ECEF()
		z, hj, err := s.PredictRangeAzEl(ECEF{o[0] + r, o[1] + a, o[2] + e})
		if err == nil && !allFinite(append(z[:], hj[:]...)...) {
			t.Fatalf("PredictRangeAzEl: non-finite output %v %v", z, hj)
		}
		z2, h2, err := s.PredictRangeBearing(ECEF{o[0] + r, o[1] + a, o[2] + e})
		if err == nil && !allFinite(z2[0], z2[1], h2[0][0], h2[0][1], h2[0][2], h2[1][0], h2[1][1], h2[1][2]) {
			t.Fatalf("PredictRangeBearing: non-finite output %v %v", z2, h2)
		}
	})
}

func check(t *testing.T, what string, valid bool, err error, out []float64) {
	t.Helper()
	if err != nil {
		var ge *GeoError
		if valid || !errors.As(err, &ge) {
			t.Fatalf("%s: unexpected error %v", what, err)
		}
		for _, x := range out {
			if x != 0 {
				t.Fatalf("%s: error with non-zero output", what)
			}
		}
		return
	}
	if !allFinite(out...) {
		t.Fatalf("%s: non-finite output %v", what, out)
	}
}
