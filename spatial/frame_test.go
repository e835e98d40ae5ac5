package spatial

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// Published reference values for ECEF → local ENU.
//
//   - EPSG: IOGP Publication 373-7-2 (EPSG Guidance Note 7-2), "Geocentric/topocentric
//     conversions" (EPSG method 9836), worked example: origin 55°N 5°E h = 200 m; the
//     point X = 3771793.968, Y = 140253.342, Z = 5124304.349 m has U (east) =
//     -189013.869, V (north) = -128642.040, W (up) = -4220.171 m.
//   - GeographicLib: CartConvert(1) manual page, EXAMPLES: `echo 33.3 44.4 6000 |
//     CartConvert -l 33 44 20` prints 37288.97 33374.29 5783.64 (east, north, up, m).
//     The page prints two decimals and its up value is truncated (we get 5783.6466,
//     as does a third-party port that uses it as an oracle), so the tolerance is one
//     unit of the last printed digit, 1 cm.
func TestFrameReference(t *testing.T) {
	tests := []struct {
		name   string
		origin Geodetic
		point  func() (ECEF, error)
		want   [3]float64
		tol    float64
	}{
		{"EPSG GN7-2 method 9836", FromDegrees(55, 5, 200),
			func() (ECEF, error) { return ECEF{3771793.968, 140253.342, 5124304.349}, nil },
			[3]float64{-189013.869, -128642.040, -4220.171}, 0.0005},
		{"GeographicLib CartConvert -l", FromDegrees(33, 44, 20),
			func() (ECEF, error) { return GeodeticToECEF(FromDegrees(33.3, 44.4, 6000)) },
			[3]float64{37288.97, 33374.29, 5783.64}, 0.01},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewFrame(tc.origin, ENU)
			require.NoError(t, err)
			p, err := tc.point()
			require.NoError(t, err)
			got := f.ToLocal(p)
			assert.InDeltaSlice(t, tc.want[:], got[:], tc.tol)
			// NED is the same point with axes swapped and up negated.
			n, err := NewFrame(tc.origin, NED)
			require.NoError(t, err)
			gotNED := n.ToLocal(p)
			assert.InDeltaSlice(t, []float64{tc.want[1], tc.want[0], -tc.want[2]}, gotNED[:], tc.tol)
		})
	}
}

// gonumRotation builds the ECEF → ENU rotation the textbook way, as a product of
// elementary frame rotations R1(π/2 − φ)·R3(π/2 + λ), with gonum: a differential
// reference for the closed form in localRotation.
func gonumRotation(lat, lon float64) *mat.Dense {
	r3 := func(a float64) *mat.Dense {
		s, c := math.Sincos(a)
		return mat.NewDense(3, 3, []float64{c, s, 0, -s, c, 0, 0, 0, 1})
	}
	r1 := func(a float64) *mat.Dense {
		s, c := math.Sincos(a)
		return mat.NewDense(3, 3, []float64{1, 0, 0, 0, c, s, 0, -s, c})
	}
	var out mat.Dense
	out.Mul(r1(math.Pi/2-lat), r3(math.Pi/2+lon))
	return &out
}

func randomSPD(rng *rand.Rand, scale float64) Mat3 {
	var a Mat3
	for i := range a {
		a[i] = rng.NormFloat64() * scale
	}
	at := a.T()
	c := a.Mul(&at)
	for i := 0; i < 3; i++ {
		c[4*i] += 0.1 * scale * scale
	}
	return c
}

func TestFrameRotationMatchesGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 2000; i++ {
		g := Geodetic{Lat: math.Asin(2*rng.Float64() - 1), Lon: math.Pi * (2*rng.Float64() - 1), Height: 1e4 * rng.Float64()}
		if i == 0 {
			g.Lat = math.Pi / 2
		}
		if i == 1 {
			g.Lat = -math.Pi / 2
		}
		f, err := NewFrame(g, ENU)
		require.NoError(t, err)
		r := f.Rotation()
		want := gonumRotation(g.Lat, g.Lon)
		assert.InDeltaSlice(t, want.RawMatrix().Data, r[:], 1e-15)
		// Orthonormal with determinant +1 (right-handed) for both conventions.
		n, err := NewFrame(g, NED)
		require.NoError(t, err)
		for _, m := range []Mat3{r, n.Rotation()} {
			mt := m.T()
			id := m.Mul(&mt)
			assert.InDeltaSlice(t, identity3[:], id[:], 1e-15)
			assert.InDelta(t, 1, m.Det(), 1e-15)
		}
	}
}

// Covariance rotation P' = R·P·Rᵀ against gonum, preserving trace and determinant, and
// round-tripping.
func TestFrameCovarianceRotation(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 2000; i++ {
		g := Geodetic{Lat: math.Asin(2*rng.Float64() - 1), Lon: math.Pi * (2*rng.Float64() - 1)}
		axes := Axes(i % 2)
		f, err := NewFrame(g, axes)
		require.NoError(t, err)
		c := randomSPD(rng, 10+1000*rng.Float64())
		got := f.CovToLocal(&c)

		r := f.Rotation()
		rd := mat.NewDense(3, 3, r[:])
		cd := mat.NewDense(3, 3, c[:])
		var tmp, want mat.Dense
		tmp.Mul(rd, cd)
		want.Mul(&tmp, rd.T())
		scale := c.Trace()
		assert.InDeltaSlice(t, want.RawMatrix().Data, got[:], 1e-13*scale)
		assert.InDelta(t, c.Trace(), got.Trace(), 1e-13*scale)
		assert.InDelta(t, c.Det(), got.Det(), 1e-12*math.Abs(c.Det()))
		assert.InDelta(t, mat.Det(cd), got.Det(), 1e-12*math.Abs(c.Det()))
		assert.Equal(t, got, got.T(), "exactly symmetric")
		require.NoError(t, got.CheckCov())

		back := f.CovFromLocal(&got)
		assert.InDeltaSlice(t, c[:], back[:], 1e-12*scale)
	}
}

func TestFramePositionRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 2000; i++ {
		origin := Geodetic{Lat: math.Asin(2*rng.Float64() - 1), Lon: math.Pi * (2*rng.Float64() - 1), Height: 1e4 * rng.Float64()}
		f, err := NewFrame(origin, Axes(i%2))
		require.NoError(t, err)
		target := Geodetic{Lat: origin.Lat + 0.2*(rng.Float64()-0.5), Lon: origin.Lon + 0.2*(rng.Float64()-0.5), Height: 1e4 * rng.Float64()}
		target.Lat = math.Max(-math.Pi/2, math.Min(math.Pi/2, target.Lat))
		p, err := GeodeticToECEF(target)
		require.NoError(t, err)
		c := randomSPD(rng, 100)
		l, lc := f.ToLocalCov(p, &c)
		back, bc := f.FromLocalCov(l, &lc)
		assert.Less(t, p.Dist(back), 1e-8)
		assert.InDeltaSlice(t, c[:], bc[:], 1e-9)
		// Velocity rotation is the same rotation without translation.
		v := [3]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		vb := f.VecFromLocal(f.VecToLocal(v))
		assert.InDeltaSlice(t, v[:], vb[:], 1e-14)
		// The origin maps to zero.
		o := f.ToLocal(f.OriginECEF())
		assert.InDeltaSlice(t, []float64{0, 0, 0}, o[:], 1e-9)
	}
}

func TestFrameAxesMeaning(t *testing.T) {
	origin := FromDegrees(45, 7, 0)
	f, err := NewFrame(origin, ENU)
	require.NoError(t, err)
	assert.Equal(t, ENU, f.Axes())
	assert.Equal(t, "ENU", f.Axes().String())
	assert.Equal(t, "NED", NED.String())
	assert.Equal(t, origin, f.Origin())
	// A point slightly north, slightly east and slightly higher.
	for _, tc := range []struct {
		name string
		to   Geodetic
		axis int
		sign float64
	}{
		{"north", FromDegrees(45.001, 7, 0), 1, 1},
		{"east", FromDegrees(45, 7.001, 0), 0, 1},
		{"up", FromDegrees(45, 7, 100), 2, 1},
		{"south", FromDegrees(44.999, 7, 0), 1, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := GeodeticToECEF(tc.to)
			require.NoError(t, err)
			l := f.ToLocal(p)
			norm := math.Sqrt(l[0]*l[0] + l[1]*l[1] + l[2]*l[2])
			assert.InDelta(t, tc.sign, l[tc.axis]/norm, 1e-4)
		})
	}
}

func TestNewFrameBadInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		origin Geodetic
		axes   Axes
		want   error
	}{
		{"NaN latitude", Geodetic{Lat: math.NaN()}, ENU, ErrNonFinite},
		{"latitude out of range", Geodetic{Lat: 3}, ENU, ErrLatitude},
		{"unknown axes", Geodetic{}, Axes(7), ErrOutOfDomain},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewFrame(tc.origin, tc.axes)
			require.ErrorIs(t, err, tc.want)
			assert.Equal(t, Frame{}, f)
		})
	}
}

func TestCheckCov(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Mat3
		want error
	}{
		{"identity", identity3, nil},
		{"NaN entry", Mat3{1, 0, 0, 0, math.NaN(), 0, 0, 0, 1}, ErrNonFinite},
		{"asymmetric", Mat3{1, 0.5, 0, 0.4, 1, 0, 0, 0, 1}, ErrNotSymmetric},
		{"indefinite", Mat3{1, 2, 0, 2, 1, 0, 0, 0, 1}, ErrNotPositiveDefinite},
		{"singular", Mat3{1, 1, 0, 1, 1, 0, 0, 0, 1}, ErrNotPositiveDefinite},
		{"negative diagonal", Mat3{-1, 0, 0, 0, 1, 0, 0, 0, 1}, ErrNotPositiveDefinite},
		{"zero last pivot", Mat3{1, 0, 0, 0, 1, 0, 0, 0, 0}, ErrNotPositiveDefinite},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.CheckCov()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
			var ge *GeoError
			require.True(t, errors.As(err, &ge))
		})
	}
}

func TestFrameNoAllocs(t *testing.T) {
	f, err := NewFrame(FromDegrees(50, 10, 0), NED)
	require.NoError(t, err)
	p, err := GeodeticToECEF(FromDegrees(50.5, 10.5, 3000))
	require.NoError(t, err)
	c := Mat3{100, 1, 2, 1, 200, 3, 2, 3, 300}
	var sink Mat3
	allocs := testing.AllocsPerRun(100, func() {
		l, lc := f.ToLocalCov(p, &c)
		_, sink = f.FromLocalCov(l, &lc)
	})
	assert.Equal(t, 0.0, allocs)
	assert.InDelta(t, 100, sink[0], 1e-9)
}
