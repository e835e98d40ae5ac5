package spatial

import (
	"math/rand/v2"
	"testing"
)

func benchMeasurements() []RangeAzEl {
	rng := rand.New(rand.NewPCG(7, 7))
	out := make([]RangeAzEl, 1024)
	for i := range out {
		out[i] = RangeAzEl{
			Range: 1e3 + 2e5*rng.Float64(), Azimuth: 6.28 * rng.Float64(), Elevation: 0.5 * rng.Float64(),
			RangeVar: 900, AzimuthVar: 1e-6, ElevationVar: 1e-6,
		}
	}
	return out
}

// BenchmarkConvertRangeAzEl converts a validated range-azimuth-elevation measurement to
// an ECEF position with covariance, for both conversions.
func BenchmarkConvertRangeAzEl(b *testing.B) {
	s, err := NewSensor(FromDegrees(52, 4, 30), Attitude{Yaw: 0.3, Pitch: 0.01})
	if err != nil {
		b.Fatal(err)
	}
	in := benchMeasurements()
	for _, method := range []struct {
		name string
		c    Conversion
	}{{"method=linearised", Linearised}, {"method=unbiased", Unbiased}} {
		b.Run(method.name, func(b *testing.B) {
			var sink float64
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p, c, err := s.ConvertRangeAzEl(in[i&1023], method.c)
				if err != nil {
					b.Fatal(err)
				}
				sink += p[0] + c[0]
				i++
			}
		})
	}
}

// BenchmarkPredictRangeAzEl predicts the measurement of an ECEF position with its
// Jacobian (the EKF path).
func BenchmarkPredictRangeAzEl(b *testing.B) {
	s, err := NewSensor(FromDegrees(52, 4, 30), Attitude{Yaw: 0.3, Pitch: 0.01})
	if err != nil {
		b.Fatal(err)
	}
	meas := benchMeasurements()
	in := make([]ECEF, len(meas))
	for i := range meas {
		in[i], _, _ = s.ConvertRangeAzEl(meas[i], Linearised)
	}
	var sink float64
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		z, h, err := s.PredictRangeAzEl(in[i&1023])
		if err != nil {
			b.Fatal(err)
		}
		sink += z[0] + h[0]
		i++
	}
}
