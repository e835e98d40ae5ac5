package spatial

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// cvKF is a minimal linear Kalman filter for 3-D constant velocity, written with gonum
// in the textbook form; it exists only for this test (the project's kalman package is
// independent of spatial).
type cvKF struct {
	x *mat.VecDense // x, y, z, vx, vy, vz
	p *mat.Dense
	q float64 // white-noise acceleration spectral density, m²/s³
}

func newCVKF(pos [3]float64, posCov Mat3, velVar, q float64) *cvKF {
	k := &cvKF{x: mat.NewVecDense(6, []float64{pos[0], pos[1], pos[2], 0, 0, 0}), p: mat.NewDense(6, 6, nil), q: q}
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			k.p.Set(i, j, posCov[3*i+j])
		}
		k.p.Set(3+i, 3+i, velVar)
	}
	return k
}

func (k *cvKF) predict(dt float64) {
	f := mat.NewDense(6, 6, nil)
	q := mat.NewDense(6, 6, nil)
	for i := 0; i < 3; i++ {
		f.Set(i, i, 1)
		f.Set(3+i, 3+i, 1)
		f.Set(i, 3+i, dt)
		q.Set(i, i, k.q*dt*dt*dt/3)
		q.Set(i, 3+i, k.q*dt*dt/2)
		q.Set(3+i, i, k.q*dt*dt/2)
		q.Set(3+i, 3+i, k.q*dt)
	}
	k.x.MulVec(f, k.x)
	var fp, fpft mat.Dense
	fp.Mul(f, k.p)
	fpft.Mul(&fp, f.T())
	k.p.Add(&fpft, q)
}

func (k *cvKF) update(t *testing.T, z [3]float64, r Mat3) {
	h := mat.NewDense(3, 6, nil)
	for i := 0; i < 3; i++ {
		h.Set(i, i, 1)
	}
	var hp, s, kg mat.Dense
	hp.Mul(h, k.p)
	s.Mul(&hp, h.T())
	s.Add(&s, mat.NewDense(3, 3, r[:]))
	var sInv mat.Dense
	require.NoError(t, sInv.Inverse(&s)) // a test reference: clarity over speed
	kg.Mul(hp.T(), &sInv)
	var hx mat.VecDense
	hx.MulVec(h, k.x)
	y := mat.NewVecDense(3, z[:])
	y.SubVec(y, &hx)
	var ky mat.VecDense
	ky.MulVec(&kg, y)
	k.x.AddVec(k.x, &ky)
	// Joseph form.
	ikh := mat.NewDense(6, 6, nil)
	for i := 0; i < 6; i++ {
		ikh.Set(i, i, 1)
	}
	var kh mat.Dense
	kh.Mul(&kg, h)
	ikh.Sub(ikh, &kh)
	var a, apat, kr, krkt mat.Dense
	a.Mul(ikh, k.p)
	apat.Mul(&a, ikh.T())
	kr.Mul(&kg, mat.NewDense(3, 3, r[:]))
	krkt.Mul(&kr, kg.T())
	k.p.Add(&apat, &krkt)
}

func (k *cvKF) pos() [3]float64 { return [3]float64{k.x.AtVec(0), k.x.AtVec(1), k.x.AtVec(2)} }

func dist3(a, b [3]float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}

// A target flying at 10 km across 2,260 km of sensors (40°N 5°W to 50°N 20°E), seen
// every 5 s by the nearest of a chain of 3-D radars 150 km apart, is tracked by a 3-D
// constant-velocity filter in ECEF with converted measurements. Its position error
// stays at the level of the sensor noise from one end to the other. The same
// measurements composed "flat-earth" (each sensor's own ENU measurement added to its
// position in an ENU frame about the start, without rotating it) are kilometres off
// at the far end.
func TestTrackAcross2000km(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 3))
	start, end := FromDegrees(40, -5, 10e3), FromDegrees(50, 20, 10e3)
	at := func(u float64) Geodetic {
		return Geodetic{Lat: start.Lat + u*(end.Lat-start.Lat), Lon: start.Lon + u*(end.Lon-start.Lon), Height: 10e3}
	}
	ps, err := GeodeticToECEF(start)
	require.NoError(t, err)
	pe, err := GeodeticToECEF(end)
	require.NoError(t, err)
	length := ps.Dist(pe) // chord, within 0.1% of the ground distance at this length
	require.Greater(t, length, 2000e3)

	// Sensors every 150 km along the path, 20 km to alternating sides, on the ground,
	// with random headings and small tilts.
	var sensors []Sensor
	for d := 0.0; d <= length+1; d += 150e3 {
		g := at(d / length)
		side := 20e3 / 6371e3
		if len(sensors)%2 == 1 {
			side = -side
		}
		g.Lat += side
		g.Height = 300 * rng.Float64()
		s, err := NewSensor(g, Attitude{Yaw: 2 * math.Pi * rng.Float64(), Pitch: 0.02 * rng.NormFloat64(), Roll: 0.02 * rng.NormFloat64()})
		require.NoError(t, err)
		sensors = append(sensors, s)
	}
	require.GreaterOrEqual(t, len(sensors), 15)

	const (
		dt    = 5.0
		speed = 250.0 // m/s, approximately: the path is interpolated in latitude and longitude
		sr    = 30.0  // range standard deviation, m
		sa    = 1e-3  // angle standard deviations, rad
	)
	steps := int(length / speed / dt)
	origin, err := NewFrame(start, ENU)
	require.NoError(t, err)

	var kf, flat *cvKF
	var sumMeas, sumKF, sumFlat, sumFlatKF, sumNEES, sumTrR, maxKF float64
	var lastSegKF float64
	var n, nLast int
	const burnIn = 20
	for k := 0; k <= steps; k++ {
		truth, err := GeodeticToECEF(at(float64(k) / float64(steps)))
		require.NoError(t, err)
		// The nearest sensor measures.
		best := 0
		for i := range sensors {
			if sensors[i].ECEF().Dist(truth) < sensors[best].ECEF().Dist(truth) {
				best = i
			}
		}
		s := &sensors[best]
		zt, _, err := s.PredictRangeAzEl(truth)
		require.NoError(t, err)
		m := RangeAzEl{
			Range: zt[0] + sr*rng.NormFloat64(), Azimuth: zt[1] + sa*rng.NormFloat64(), Elevation: zt[2] + sa*rng.NormFloat64(),
			RangeVar: sr * sr, AzimuthVar: sa * sa, ElevationVar: sa * sa,
		}
		p, r, err := s.ConvertRangeAzEl(m, Linearised)
		require.NoError(t, err)

		// Flat-earth composition in the ENU frame about the start: the sensor's own
		// ENU measurement added to the sensor's position, with no rotation between
		// the two frames.
		sf, err := NewFrame(s.Position(), ENU)
		require.NoError(t, err)
		so := origin.ToLocal(s.ECEF())
		sl := sf.ToLocal(p)
		pFlat := [3]float64{so[0] + sl[0], so[1] + sl[1], so[2] + sl[2]}
		rFlat := sf.CovToLocal(&r)
		truthENU := origin.ToLocal(truth)

		if k == 0 {
			kf = newCVKF(p, r, 300*300, 1)
			flat = newCVKF(pFlat, rFlat, 300*300, 1)
			continue
		}
		kf.predict(dt)
		kf.update(t, p, r)
		flat.predict(dt)
		flat.update(t, pFlat, rFlat)
		if k < burnIn {
			continue
		}
		d := p.Sub(truth)
		var ch mat.Cholesky
		require.True(t, ch.Factorize(mat.NewSymDense(3, r[:])))
		var y mat.VecDense
		require.NoError(t, ch.SolveVecTo(&y, mat.NewVecDense(3, d[:])))
		sumNEES += mat.Dot(mat.NewVecDense(3, d[:]), &y)
		sumTrR += r.Trace()
		eMeas := p.Dist(truth)
		eKF := dist3(kf.pos(), truth)
		sumMeas += eMeas * eMeas
		sumKF += eKF * eKF
		maxKF = math.Max(maxKF, eKF)
		eFlat := dist3(pFlat, truthENU)
		sumFlat += eFlat * eFlat
		eFlatKF := dist3(flat.pos(), truthENU)
		sumFlatKF += eFlatKF * eFlatKF
		n++
		if k > steps-steps/10 { // the last 10% (about 226 km) of the crossing
			lastSegKF += eKF * eKF
			nLast++
		}
	}
	fn := float64(n)
	rmsMeas := math.Sqrt(sumMeas / fn)
	rmsKF := math.Sqrt(sumKF / fn)
	rmsLast := math.Sqrt(lastSegKF / float64(nLast))
	rmsFlat := math.Sqrt(sumFlat / fn)
	rmsFlatKF := math.Sqrt(sumFlatKF / fn)
	noise := math.Sqrt(sumTrR / fn) // RMS of the converted measurement noise, m
	t.Logf("%d sensors, %d steps over %.0f km: converted noise %.1f m (NEES %.3f), measurement RMS %.1f m, ECEF filter RMS %.1f m (max %.1f, last 10%% %.1f), flat-earth measurements RMS %.0f m, flat-earth filter RMS %.0f m",
		len(sensors), steps, length/1e3, noise, sumNEES/fn, rmsMeas, rmsKF, maxKF, rmsLast, rmsFlat, rmsFlatKF)

	// The conversions are consistent along the whole belt...
	assert.InDelta(t, 3, sumNEES/fn, 0.3)
	assert.InDelta(t, noise, rmsMeas, 0.2*noise)
	// ...the ECEF filter keeps its error at (below) the level of the measurement noise,
	// at the far end as at the start...
	assert.Less(t, rmsKF, noise)
	assert.Less(t, rmsLast, noise)
	assert.Less(t, maxKF, 4*noise)
	// ...and flat-earth composition is far worse.
	assert.Greater(t, rmsFlat, 20*noise)
	assert.Greater(t, rmsFlatKF, 20*rmsKF)
}
