package spatial

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

func mustSensor(t testing.TB, pos Geodetic, att Attitude) Sensor {
	t.Helper()
	s, err := NewSensor(pos, att)
	require.NoError(t, err)
	return s
}

// enuOf returns the ENU coordinates of p about the sensor's position.
func enuOf(t testing.TB, s *Sensor, p ECEF) [3]float64 {
	t.Helper()
	f, err := NewFrame(s.Position(), ENU)
	require.NoError(t, err)
	return f.ToLocal(p)
}

// The documented conventions: azimuth clockwise from north with the zero attitude,
// yaw turns the boresight clockwise, pitch raises it, roll lowers the right side.
func TestSensorConventions(t *testing.T) {
	pos := FromDegrees(48, 11, 500)
	const r = 10000.0
	noise := RangeAzEl{RangeVar: 1, AzimuthVar: 1e-6, ElevationVar: 1e-6}
	deg := math.Pi / 180
	tests := []struct {
		name    string
		att     Attitude
		az, el  float64
		wantENU [3]float64 // unit direction
	}{
		{"level, azimuth 0 is north", Attitude{}, 0, 0, [3]float64{0, 1, 0}},
		{"level, azimuth 90° is east", Attitude{}, 90 * deg, 0, [3]float64{1, 0, 0}},
		{"level, elevation 90° is up", Attitude{}, 0, 90 * deg, [3]float64{0, 0, 1}},
		{"yaw 90°, azimuth 0 is east", Attitude{Yaw: 90 * deg}, 0, 0, [3]float64{1, 0, 0}},
		{"yaw -90°, azimuth 90° is north", Attitude{Yaw: -90 * deg}, 90 * deg, 0, [3]float64{0, 1, 0}},
		{"pitch 30°, boresight is 30° above north", Attitude{Pitch: 30 * deg}, 0, 0, [3]float64{0, math.Cos(30 * deg), math.Sin(30 * deg)}},
		{"roll 90°, body right is down", Attitude{Roll: 90 * deg}, 90 * deg, 0, [3]float64{0, 0, -1}},
		{"yaw 90° pitch 45°, boresight north-east-up", Attitude{Yaw: 90 * deg, Pitch: 45 * deg}, 0, 0, [3]float64{math.Sqrt(0.5), 0, math.Sqrt(0.5)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustSensor(t, pos, tc.att)
			m := noise
			m.Range, m.Azimuth, m.Elevation = r, tc.az, tc.el
			p, _, err := s.ConvertRangeAzEl(m, Linearised)
			require.NoError(t, err)
			l := enuOf(t, &s, p)
			assert.InDeltaSlice(t, []float64{r * tc.wantENU[0], r * tc.wantENU[1], r * tc.wantENU[2]}, l[:], 1e-6)
		})
	}
	t.Run("range-bearing ignores pitch and roll", func(t *testing.T) {
		s := mustSensor(t, pos, Attitude{Yaw: 90 * deg, Pitch: 20 * deg, Roll: 10 * deg})
		p, _, err := s.ConvertRangeBearing(RangeBearing{Range: r, Bearing: 90 * deg, RangeVar: 1, BearingVar: 1e-6, VerticalVar: 1}, Linearised)
		require.NoError(t, err)
		l := enuOf(t, &s, p)
		assert.InDeltaSlice(t, []float64{0, -r, 0}, l[:], 1e-6) // yaw east + 90° = south
	})
	t.Run("accessors", func(t *testing.T) {
		att := Attitude{Yaw: 1, Pitch: 0.1, Roll: 0.2}
		s := mustSensor(t, pos, att)
		assert.Equal(t, pos, s.Position())
		assert.Equal(t, att, s.Attitude())
		want, err := GeodeticToECEF(pos)
		require.NoError(t, err)
		assert.Equal(t, want, s.ECEF())
		r := s.BodyToECEF()
		rt := r.T()
		id := r.Mul(&rt)
		assert.InDeltaSlice(t, identity3[:], id[:], 1e-15)
		assert.InDelta(t, 1, r.Det(), 1e-15)
	})
}

func randomSensor(t testing.TB, rng *rand.Rand) Sensor {
	pos := Geodetic{Lat: math.Asin(2*rng.Float64() - 1), Lon: math.Pi * (2*rng.Float64() - 1), Height: 1000 * rng.Float64()}
	att := Attitude{Yaw: math.Pi * (2*rng.Float64() - 1), Pitch: 0.5 * (rng.Float64() - 0.5), Roll: 0.5 * (rng.Float64() - 0.5)}
	return mustSensor(t, pos, att)
}

// Predict then convert (linearised, whose position does not depend on the variances)
// gives the position back, and the predicted Jacobians match central differences.
func TestSensorPredictConvertAndJacobians(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 500; i++ {
		s := randomSensor(t, rng)
		// A target 1–300 km away in a random direction.
		d := [3]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		n := math.Sqrt(d[0]*d[0] + d[1]*d[1] + d[2]*d[2])
		rr := 1e3 + 3e5*rng.Float64()
		o := s.ECEF()
		p := ECEF{o[0] + rr*d[0]/n, o[1] + rr*d[1]/n, o[2] + rr*d[2]/n}

		z, h, err := s.PredictRangeAzEl(p)
		require.NoError(t, err)
		assert.InDelta(t, rr, z[0], 1e-6)
		back, _, err := s.ConvertRangeAzEl(RangeAzEl{Range: z[0], Azimuth: z[1], Elevation: z[2], RangeVar: 1, AzimuthVar: 1e-6, ElevationVar: 1e-6}, Linearised)
		require.NoError(t, err)
		assert.Less(t, back.Dist(p), 1e-6)

		zb, hb, err := s.PredictBearing(p)
		require.NoError(t, err)
		assert.Equal(t, [2]float64{z[1], z[2]}, zb)
		dir, _, err := s.LineOfSight(Bearing{Azimuth: zb[0], Elevation: zb[1], AzimuthVar: 1e-6, ElevationVar: 1e-6})
		require.NoError(t, err)
		los := p.Sub(o)
		assert.InDeltaSlice(t, []float64{los[0] / rr, los[1] / rr, los[2] / rr}, dir[:], 1e-9)

		z2, h2, err := s.PredictRangeBearing(p)
		require.NoError(t, err)

		// Central differences, step 0.1 m.
		const step = 0.1
		for j := 0; j < 3; j++ {
			pp, pm := p, p
			pp[j] += step
			pm[j] -= step
			zp, _, err := s.PredictRangeAzEl(pp)
			require.NoError(t, err)
			zm, _, err := s.PredictRangeAzEl(pm)
			require.NoError(t, err)
			for k := 0; k < 3; k++ {
				diff := zp[k] - zm[k]
				if k == 1 {
					diff = math.Remainder(diff, 2*math.Pi)
				}
				num := diff / (2 * step)
				assert.InDelta(t, num, h.At(k, j), 1e-6*math.Abs(num)+1e-11, "range-az-el d%d/d%d", k, j)
			}
			assert.InDelta(t, h.At(1, j), hb[0][j], 0)
			assert.InDelta(t, h.At(2, j), hb[1][j], 0)
			zp2, _, err := s.PredictRangeBearing(pp)
			require.NoError(t, err)
			zm2, _, err := s.PredictRangeBearing(pm)
			require.NoError(t, err)
			for k := 0; k < 2; k++ {
				diff := zp2[k] - zm2[k]
				if k == 1 {
					diff = math.Remainder(diff, 2*math.Pi)
				}
				num := diff / (2 * step)
				assert.InDelta(t, num, h2[k][j], 1e-6*math.Abs(num)+1e-11, "range-bearing d%d/d%d", k, j)
			}
		}
		// Range-bearing round trip: converting the predicted 2-D measurement gives the
		// projection of p onto the sensor's horizontal plane, which predicts the same.
		pb, _, err := s.ConvertRangeBearing(RangeBearing{Range: z2[0], Bearing: z2[1], RangeVar: 1, BearingVar: 1e-6, VerticalVar: 1}, Linearised)
		require.NoError(t, err)
		z3, _, err := s.PredictRangeBearing(pb)
		require.NoError(t, err)
		assert.InDelta(t, z2[0], z3[0], 1e-6)
		assert.InDelta(t, z2[1], z3[1], 1e-12)
	}
}

// sampleRangeAzEl draws a noisy measurement of the true (r, a, e).
func sampleRangeAzEl(rng *rand.Rand, r, a, e float64, m RangeAzEl) RangeAzEl {
	m.Range = r + math.Sqrt(m.RangeVar)*rng.NormFloat64()
	m.Azimuth = a + math.Sqrt(m.AzimuthVar)*rng.NormFloat64()
	m.Elevation = e + math.Sqrt(m.ElevationVar)*rng.NormFloat64()
	return m
}

type mcResult struct {
	meanErr  [3]float64 // mean of converted − true, ECEF
	biasD2   float64    // squared Mahalanobis distance of the mean error from 0 (sample covariance / n)
	nees     float64    // average NEES with the conversion's covariance
	biasLOS  float64    // mean error along the line of sight, m
	n        int
	rms      float64
	neesHigh float64 // chi-square(3n)/n upper 99.9% bound
	neesLow  float64
}

// monteCarlo converts n noisy measurements of one fixed target and summarises the
// errors.
func monteCarlo(t *testing.T, s *Sensor, r, a, e float64, noise RangeAzEl, method Conversion, n int, seed uint64) mcResult {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 99))
	truth, _, err := s.ConvertRangeAzEl(RangeAzEl{Range: r, Azimuth: a, Elevation: e, RangeVar: 1, AzimuthVar: 1, ElevationVar: 1}, Linearised)
	require.NoError(t, err)
	errs := mat.NewDense(n, 3, nil)
	var sum [3]float64
	var nees, sq float64
	for i := 0; i < n; i++ {
		p, c, err := s.ConvertRangeAzEl(sampleRangeAzEl(rng, r, a, e, noise), method)
		require.NoError(t, err)
		d := p.Sub(truth)
		var ch mat.Cholesky
		require.True(t, ch.Factorize(mat.NewSymDense(3, c[:])))
		x := mat.NewVecDense(3, d[:])
		var y mat.VecDense
		require.NoError(t, ch.SolveVecTo(&y, x))
		nees += mat.Dot(x, &y)
		for j := 0; j < 3; j++ {
			sum[j] += d[j]
			errs.Set(i, j, d[j])
			sq += d[j] * d[j]
		}
	}
	var res mcResult
	res.n = n
	for j := range sum {
		res.meanErr[j] = sum[j] / float64(n)
	}
	// Sample covariance of the errors, then the mean's covariance is that / n.
	var cov mat.SymDense
	stat.CovarianceMatrix(&cov, errs, nil)
	cov.ScaleSym(1/float64(n), &cov)
	var ch mat.Cholesky
	require.True(t, ch.Factorize(&cov))
	mv := mat.NewVecDense(3, res.meanErr[:])
	var y mat.VecDense
	require.NoError(t, ch.SolveVecTo(&y, mv))
	res.biasD2 = mat.Dot(mv, &y)
	res.nees = nees / float64(n)
	res.rms = math.Sqrt(sq / float64(n))
	los := truth.Sub(s.ECEF())
	for j := range los {
		res.biasLOS += res.meanErr[j] * los[j] / r
	}
	chi := distuv.ChiSquared{K: float64(3 * n)}
	res.neesLow = chi.Quantile(0.0005) / float64(n)
	res.neesHigh = chi.Quantile(0.9995) / float64(n)
	return res
}

func TestConvertedMeasurementMonteCarlo(t *testing.T) {
	s := mustSensor(t, FromDegrees(52, 4, 30), Attitude{Yaw: 0.3, Pitch: 0.05, Roll: -0.02})
	const n = 20000
	t.Run("small angle noise: linearised is unbiased and consistent", func(t *testing.T) {
		noise := RangeAzEl{RangeVar: 20 * 20, AzimuthVar: 1e-3 * 1e-3, ElevationVar: 1e-3 * 1e-3}
		res := monteCarlo(t, s.ptr(), 80e3, 0.4, 0.05, noise, Linearised, n, 1)
		t.Logf("linearised, small noise: %+v", res)
		assert.Less(t, res.biasD2, 16.27, "mean error is significant (chi-square 3, p = 0.001)")
		assert.Greater(t, res.nees, res.neesLow)
		assert.Less(t, res.nees, res.neesHigh)
	})
	// r·σ²/σr = 80e3 · 0.15² / 20 = 90, far beyond Lerro and Bar-Shalom's 0.4.
	large := RangeAzEl{RangeVar: 20 * 20, AzimuthVar: 0.15 * 0.15, ElevationVar: 0.15 * 0.15}
	var plainBias float64
	t.Run("large angle noise: linearised is biased toward the sensor", func(t *testing.T) {
		res := monteCarlo(t, s.ptr(), 80e3, 0.4, 0.3, large, Linearised, n, 2)
		t.Logf("linearised, large noise: %+v", res)
		plainBias = res.biasLOS
		// The expected bias is r·(λa·λe − 1) = −1,780 m along the line of sight.
		want := 80e3 * (math.Exp(-0.15*0.15) - 1)
		assert.InDelta(t, want, res.biasLOS, 0.1*math.Abs(want))
		assert.Greater(t, res.biasD2, 100.0)
		// Its first-order covariance is far too small along the line of sight.
		assert.Greater(t, res.nees, 10*res.neesHigh)
	})
	t.Run("large angle noise: unbiased conversion removes the bias and stays consistent", func(t *testing.T) {
		res := monteCarlo(t, s.ptr(), 80e3, 0.4, 0.3, large, Unbiased, n, 2)
		t.Logf("unbiased, large noise: %+v", res)
		assert.Less(t, res.biasD2, 16.27, "mean error is significant (chi-square 3, p = 0.001)")
		assert.Less(t, math.Abs(res.biasLOS), 0.1*math.Abs(plainBias))
		assert.InDelta(t, 3, res.nees, 0.3)
	})
}

func (s Sensor) ptr() *Sensor { return &s }

func TestUnbiasedApproachesLinearised(t *testing.T) {
	s := mustSensor(t, FromDegrees(-33, 151, 10), Attitude{Yaw: 2})
	m := RangeAzEl{Range: 50e3, Azimuth: 0.7, Elevation: 0.1, RangeVar: 25, AzimuthVar: 1e-8, ElevationVar: 1e-8}
	p1, c1, err := s.ConvertRangeAzEl(m, Linearised)
	require.NoError(t, err)
	p2, c2, err := s.ConvertRangeAzEl(m, Unbiased)
	require.NoError(t, err)
	assert.Less(t, p1.Dist(p2), 1e-3)
	assert.InDeltaSlice(t, c1[:], c2[:], 1e-3*c1.Trace())
	require.NoError(t, c2.CheckCov())
}

func TestSensorBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	s := mustSensor(t, FromDegrees(10, 20, 0), Attitude{})
	good := RangeAzEl{Range: 1000, Azimuth: 0.1, Elevation: 0.1, RangeVar: 1, AzimuthVar: 1e-6, ElevationVar: 1e-6}
	rae := []struct {
		name  string
		edit  func(*RangeAzEl)
		want  error
		field string
	}{
		{"NaN range", func(m *RangeAzEl) { m.Range = nan }, ErrNonFinite, "range"},
		{"negative range", func(m *RangeAzEl) { m.Range = -1 }, ErrNegativeRange, "range"},
		{"Inf azimuth", func(m *RangeAzEl) { m.Azimuth = inf }, ErrNonFinite, "azimuth"},
		{"NaN elevation", func(m *RangeAzEl) { m.Elevation = nan }, ErrNonFinite, "elevation"},
		{"zero range variance", func(m *RangeAzEl) { m.RangeVar = 0 }, ErrNotPositiveDefinite, "range variance"},
		{"negative azimuth variance", func(m *RangeAzEl) { m.AzimuthVar = -1 }, ErrNotPositiveDefinite, "azimuth variance"},
		{"NaN elevation variance", func(m *RangeAzEl) { m.ElevationVar = nan }, ErrNonFinite, "elevation variance"},
		{"overflowing range", func(m *RangeAzEl) { m.Range = 1e300; m.RangeVar = 1e300 }, ErrNonFinite, "converted position or covariance"},
	}
	for _, tc := range rae {
		t.Run("RangeAzEl "+tc.name, func(t *testing.T) {
			m := good
			tc.edit(&m)
			for _, method := range []Conversion{Linearised, Unbiased} {
				p, c, err := s.ConvertRangeAzEl(m, method)
				require.ErrorIs(t, err, tc.want)
				var ge *GeoError
				require.True(t, errors.As(err, &ge))
				assert.Equal(t, tc.field, ge.Field)
				assert.Equal(t, ECEF{}, p)
				assert.Equal(t, Mat3{}, c)
			}
		})
	}
	goodRB := RangeBearing{Range: 1000, Bearing: 0.1, RangeVar: 1, BearingVar: 1e-6, VerticalVar: 100}
	rb := []struct {
		name string
		edit func(*RangeBearing)
		want error
	}{
		{"negative range", func(m *RangeBearing) { m.Range = -5 }, ErrNegativeRange},
		{"NaN bearing", func(m *RangeBearing) { m.Bearing = nan }, ErrNonFinite},
		{"zero vertical variance", func(m *RangeBearing) { m.VerticalVar = 0 }, ErrNotPositiveDefinite},
		{"Inf bearing variance", func(m *RangeBearing) { m.BearingVar = inf }, ErrNonFinite},
	}
	for _, tc := range rb {
		t.Run("RangeBearing "+tc.name, func(t *testing.T) {
			m := goodRB
			tc.edit(&m)
			_, _, err := s.ConvertRangeBearing(m, Unbiased)
			require.ErrorIs(t, err, tc.want)
		})
	}
	_, _, err := s.LineOfSight(Bearing{Azimuth: nan, AzimuthVar: 1, ElevationVar: 1})
	require.ErrorIs(t, err, ErrNonFinite)
	_, _, err = s.LineOfSight(Bearing{AzimuthVar: 1, ElevationVar: 0})
	require.ErrorIs(t, err, ErrNotPositiveDefinite)

	for _, tc := range []struct {
		name string
		p    ECEF
		want error
	}{
		{"NaN position", ECEF{nan, 0, 0}, ErrNonFinite},
		{"at the sensor", s.ECEF(), ErrOutOfDomain},
		{"straight above the sensor", func() ECEF {
			f, err := NewFrame(s.Position(), ENU)
			require.NoError(t, err)
			return f.FromLocal([3]float64{0, 0, 5000})
		}(), ErrOutOfDomain},
		{"overflowing position", ECEF{1e200, 1e200, 0}, ErrNonFinite},
	} {
		t.Run("predict "+tc.name, func(t *testing.T) {
			_, _, err := s.PredictRangeAzEl(tc.p)
			require.ErrorIs(t, err, tc.want)
			_, _, err = s.PredictRangeBearing(tc.p)
			require.ErrorIs(t, err, tc.want)
			_, _, err = s.PredictBearing(tc.p)
			require.ErrorIs(t, err, tc.want)
		})
	}
	for _, tc := range []struct {
		name string
		pos  Geodetic
		att  Attitude
		want error
	}{
		{"latitude out of range", Geodetic{Lat: 2}, Attitude{}, ErrLatitude},
		{"NaN yaw", Geodetic{}, Attitude{Yaw: nan}, ErrNonFinite},
		{"Inf roll", Geodetic{}, Attitude{Roll: -inf}, ErrNonFinite},
	} {
		t.Run("NewSensor "+tc.name, func(t *testing.T) {
			s, err := NewSensor(tc.pos, tc.att)
			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, Sensor{}, s)
		})
	}
}

func TestSensorNoAllocs(t *testing.T) {
	s := mustSensor(t, FromDegrees(40, -3, 600), Attitude{Yaw: 0.2})
	m := RangeAzEl{Range: 40e3, Azimuth: 0.3, Elevation: 0.02, RangeVar: 100, AzimuthVar: 1e-6, ElevationVar: 1e-6}
	rb := RangeBearing{Range: 40e3, Bearing: 0.3, RangeVar: 100, BearingVar: 1e-6, VerticalVar: 1e6}
	b := Bearing{Azimuth: 0.3, Elevation: 0.02, AzimuthVar: 1e-6, ElevationVar: 1e-6}
	var sink float64
	allocs := testing.AllocsPerRun(100, func() {
		p, c, _ := s.ConvertRangeAzEl(m, Unbiased)
		_, c2, _ := s.ConvertRangeBearing(rb, Linearised)
		d, _, _ := s.LineOfSight(b)
		z, h, _ := s.PredictRangeAzEl(p)
		z2, _, _ := s.PredictRangeBearing(p)
		z3, _, _ := s.PredictBearing(p)
		sink += c[0] + c2[0] + d[0] + z[0] + h[0] + z2[0] + z3[0]
	})
	assert.Equal(t, 0.0, allocs)
	assert.True(t, sink > 0)
}

// The 2-D conversions in the sensor's horizontal plane: with a coarse bearing
// (r·σ²/σr = 60e3·0.2²/10 = 240) the linearised conversion is biased toward the sensor
// and the unbiased one is not, and its horizontal covariance is consistent (NEES near
// 2).
func TestRangeBearingMonteCarlo(t *testing.T) {
	s := mustSensor(t, FromDegrees(-20, 130, 50), Attitude{Yaw: 1.2, Pitch: 0.3, Roll: 0.1})
	site, err := NewFrame(s.Position(), ENU)
	require.NoError(t, err)
	const (
		n  = 20000
		r  = 60e3
		b  = 0.8
		sr = 10.0
		sb = 0.2
	)
	truth, _, err := s.ConvertRangeBearing(RangeBearing{Range: r, Bearing: b, RangeVar: 1, BearingVar: 1, VerticalVar: 1}, Linearised)
	require.NoError(t, err)
	tl := site.ToLocal(truth)
	require.InDelta(t, 0, tl[2], 1e-6, "in the sensor's horizontal plane")
	for _, tc := range []struct {
		name       string
		method     Conversion
		biased     bool
		consistent bool
	}{
		{"linearised", Linearised, true, false},
		{"unbiased", Unbiased, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(77, 1))
			var mean [2]float64
			var nees float64
			for i := 0; i < n; i++ {
				m := RangeBearing{Range: r + sr*rng.NormFloat64(), Bearing: b + sb*rng.NormFloat64(), RangeVar: sr * sr, BearingVar: sb * sb, VerticalVar: 1}
				p, c, err := s.ConvertRangeBearing(m, tc.method)
				require.NoError(t, err)
				l, lc := site.ToLocalCov(p, &c)
				assert.InDelta(t, 0, l[2], 1e-6)
				assert.InDelta(t, 1, lc[8], 1e-14*lc.Trace(), "vertical variance")
				e0, e1 := l[0]-tl[0], l[1]-tl[1]
				det := lc[0]*lc[4] - lc[1]*lc[3]
				nees += (lc[4]*e0*e0 - 2*lc[1]*e0*e1 + lc[0]*e1*e1) / det
				mean[0] += e0 / n
				mean[1] += e1 / n
			}
			nees /= n
			// Mean error along the line of sight (the bias direction).
			along := (mean[0]*tl[0] + mean[1]*tl[1]) / r
			want := r * (math.Exp(-sb*sb/2) - 1) // −1,188 m
			t.Logf("%s: mean error along the line of sight %.0f m (linearised bias %.0f m), NEES %.3f", tc.name, along, want, nees)
			// Cross-range spread is r·σb = 12 km, so the standard error of the mean is ~85 m.
			assert.Equal(t, tc.biased, math.Abs(along) > 0.5*math.Abs(want))
			assert.Equal(t, tc.consistent, math.Abs(nees-2) < 0.2)
		})
	}
}

// The line-of-sight covariance matches the spread of the unit vectors it describes.
func TestLineOfSightCovariance(t *testing.T) {
	s := mustSensor(t, FromDegrees(35, 139, 20), Attitude{Yaw: -0.4, Pitch: 0.1})
	rng := rand.New(rand.NewPCG(8, 8))
	const n = 20000
	const sa, se = 2e-3, 1e-3
	dir0, c, err := s.LineOfSight(Bearing{Azimuth: 0.3, Elevation: 0.2, AzimuthVar: sa * sa, ElevationVar: se * se})
	require.NoError(t, err)
	assert.InDelta(t, 1, math.Sqrt(dir0[0]*dir0[0]+dir0[1]*dir0[1]+dir0[2]*dir0[2]), 1e-15)
	var sample Mat3
	for i := 0; i < n; i++ {
		d, _, err := s.LineOfSight(Bearing{Azimuth: 0.3 + sa*rng.NormFloat64(), Elevation: 0.2 + se*rng.NormFloat64(), AzimuthVar: 1, ElevationVar: 1})
		require.NoError(t, err)
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				sample[3*j+k] += (d[j] - dir0[j]) * (d[k] - dir0[k]) / n
			}
		}
	}
	assert.InDeltaSlice(t, c[:], sample[:], 0.05*c.Trace())
	// No variance along the line of sight.
	along := c.MulVec(dir0)
	assert.InDelta(t, 0, along[0]*dir0[0]+along[1]*dir0[1]+along[2]*dir0[2], 1e-12*c.Trace())
}

// The documented composition for a local tracking frame: the Jacobian with respect to
// local coordinates is H·Rᵀ, R = Frame.Rotation (ECEF → local).
func TestPredictJacobianInLocalFrame(t *testing.T) {
	s := mustSensor(t, FromDegrees(60, 25, 40), Attitude{Yaw: 0.5, Pitch: 0.02})
	f, err := NewFrame(FromDegrees(60.5, 24, 0), NED)
	require.NoError(t, err)
	local := [3]float64{20e3, -35e3, -8e3} // 8 km up in NED
	_, h, err := s.PredictRangeAzEl(f.FromLocal(local))
	require.NoError(t, err)
	rt := f.Rotation()
	rt = rt.T()
	hl := h.Mul(&rt)
	const step = 0.1
	for j := 0; j < 3; j++ {
		lp, lm := local, local
		lp[j] += step
		lm[j] -= step
		zp, _, err := s.PredictRangeAzEl(f.FromLocal(lp))
		require.NoError(t, err)
		zm, _, err := s.PredictRangeAzEl(f.FromLocal(lm))
		require.NoError(t, err)
		for k := 0; k < 3; k++ {
			num := (zp[k] - zm[k]) / (2 * step)
			assert.InDelta(t, num, hl.At(k, j), 1e-6*math.Abs(num)+1e-11)
		}
	}
}
