package correlate_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/spatial"
)

// cvTargets are straight-line targets: position p + v·t.
type cvTargets struct{ p, v [][3]float64 }

func newTargets(rng *rand.Rand, n int, centre [3]float64, spread, speed float64, vertical bool) cvTargets {
	var c cvTargets
	for range n {
		p := [3]float64{centre[0] + spread*(rng.Float64()-0.5), centre[1] + spread*(rng.Float64()-0.5), centre[2]}
		h := 2 * math.Pi * rng.Float64()
		v := [3]float64{speed * math.Cos(h), speed * math.Sin(h), 0}
		if vertical {
			p[2] += 500 * rng.Float64()
			v[2] = 2 * (rng.Float64() - 0.5)
		}
		c.p, c.v = append(c.p, p), append(c.v, v)
	}
	return c
}

func (c cvTargets) at(i int, tns int64) [3]float64 {
	s := float64(tns) * 1e-9
	return [3]float64{c.p[i][0] + c.v[i][0]*s, c.p[i][1] + c.v[i][1]*s, c.p[i][2] + c.v[i][2]*s}
}

// polarScan makes one scan of a polar sensor at pos: every target detected (kind
// RangeBearing, RangeAzEl or Bearing) with noise σr (m) and σa (rad), plus clutter.
func polarScan(rng *rand.Rand, tg cvTargets, kind correlate.MeasurementKind, sensor uint32, pos [3]float64, tns int64, sr, sa float64, clutter int, id *uint64, owner map[uint64]int) correlate.Scan {
	sc := correlate.Scan{Sensor: sensor, Time: tns}
	add := func(p [3]float64, target int) {
		dx, dy, dz := p[0]-pos[0], p[1]-pos[1], p[2]-pos[2]
		d := correlate.Detection{ID: *id, Time: tns}
		owner[*id] = target
		*id++
		switch kind {
		case correlate.RangeBearing:
			d.Z[0] = math.Hypot(dx, dy) + sr*rng.NormFloat64()
			d.Z[1] = math.Atan2(dy, dx) + sa*rng.NormFloat64()
			d.R[0], d.R[3] = sr*sr, sa*sa
		case correlate.RangeAzEl:
			h := math.Hypot(dx, dy)
			d.Z[0] = math.Sqrt(h*h+dz*dz) + sr*rng.NormFloat64()
			d.Z[1] = math.Atan2(dy, dx) + sa*rng.NormFloat64()
			d.Z[2] = math.Atan2(dz, h) + sa*rng.NormFloat64()
			d.R[0], d.R[4], d.R[8] = sr*sr, sa*sa, sa*sa
		case correlate.Bearing:
			d.Z[0] = math.Atan2(dy, dx) + sa*rng.NormFloat64()
			d.R[0] = sa * sa
		}
		sc.Detections = append(sc.Detections, d)
	}
	for i := range tg.p {
		add(tg.at(i, tns), i)
	}
	for range clutter {
		p := tg.at(rng.IntN(len(tg.p)), tns)
		add([3]float64{p[0] + 400*(rng.Float64()-0.5), p[1] + 400*(rng.Float64()-0.5), p[2]}, -1)
	}
	return sc
}

// rmsConfirmed is the RMS position error of the confirmed tracks updated in out against
// the truth of their detection's target (all axes of dims).
func accumulate(out *correlate.Output, tg cvTargets, owner map[uint64]int, dims int, sum *float64, n *int) {
	for _, tk := range out.Tracks {
		if tk.Status != correlate.Confirmed || len(tk.Detections) == 0 || owner[tk.Detections[0]] < 0 {
			continue
		}
		p := tg.at(owner[tk.Detections[0]], tk.Time)
		for a := 0; a < dims; a++ {
			e := tk.State[2*a] - p[a]
			*sum += e * e
		}
		*n++
	}
}

// accumulateByTrack is accumulate in 2-D with the target of each track given.
func accumulateByTrack(out *correlate.Output, tg cvTargets, target map[uint64]int, sum *float64, n *int) {
	for _, tk := range out.Tracks {
		i, ok := target[tk.ID]
		if tk.Status != correlate.Confirmed || !ok || i < 0 {
			continue
		}
		p := tg.at(i, tk.Time)
		e := (tk.State[0]-p[0])*(tk.State[0]-p[0]) + (tk.State[2]-p[1])*(tk.State[2]-p[1])
		*sum += e
		*n++
	}
}

func countConfirmed(tr *correlate.Tracker) int {
	var o correlate.Output
	tr.Snapshot(&o)
	n := 0
	for _, tk := range o.Tracks {
		if tk.Status == correlate.Confirmed || tk.Status == correlate.Coasting {
			n++
		}
	}
	return n
}

// Range-bearing radar (σr = 10 m, σa = 2 mrad, so about 4 m cross-range at 2 km) with
// clutter: every target tracked, position error below the measurement noise.
func TestRangeBearingSensor(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tg := newTargets(rng, 20, [3]float64{2000, 500, 0}, 1500, 10, false)
	pos := [3]float64{-100, 50, 0}
	tr := newTracker(t, correlate.Config{Sensors: []correlate.Sensor{{ID: 4, Kind: correlate.RangeBearing, Position: pos, ClutterDensity: 1e-6}}})
	owner := map[uint64]int{}
	id := uint64(1)
	var out correlate.Output
	var sum float64
	var n int
	for k := int64(0); k < 30; k++ {
		sc := polarScan(rng, tg, correlate.RangeBearing, 4, pos, k*1e9, 10, 0.002, 3, &id, owner)
		require.NoError(t, tr.Process(&sc, &out))
		if k >= 10 {
			accumulate(&out, tg, owner, 2, &sum, &n)
		}
	}
	rms := math.Sqrt(sum / float64(n))
	t.Logf("range-bearing: %d confirmed, RMS position error %.2f m over %d updates", countConfirmed(tr), rms, n)
	assert.Equal(t, 20, countConfirmed(tr))
	assert.Less(t, rms, 8.0) // per update σ about 10 m along range, 4 m across
	assert.Greater(t, n, 20*18)
}

// Range-azimuth-elevation in 3-D (Axes 3).
func TestRangeAzElSensor(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tg := newTargets(rng, 20, [3]float64{1500, -800, 1000}, 1500, 15, true)
	pos := [3]float64{0, 0, 10}
	tr := newTracker(t, correlate.Config{Axes: 3, Sensors: []correlate.Sensor{{ID: 2, Kind: correlate.RangeAzEl, Position: pos, ClutterDensity: 1e-9}}})
	owner := map[uint64]int{}
	id := uint64(1)
	var out correlate.Output
	var sum float64
	var n int
	for k := int64(0); k < 30; k++ {
		sc := polarScan(rng, tg, correlate.RangeAzEl, 2, pos, k*1e9, 10, 0.002, 3, &id, owner)
		require.NoError(t, tr.Process(&sc, &out))
		if k >= 10 {
			accumulate(&out, tg, owner, 3, &sum, &n)
		}
	}
	rms := math.Sqrt(sum / float64(n))
	t.Logf("range-az-el: %d confirmed, RMS 3-D position error %.2f m over %d updates", countConfirmed(tr), rms, n)
	assert.Equal(t, 20, countConfirmed(tr))
	assert.Less(t, rms, 12.0)
	assert.Greater(t, n, 20*18)
}

// Bearing-only detections update the tracks of a coarse position sensor, never start
// tracks, and are gated correctly across ±π (the targets lie west of the passive
// sensor, where the bearing wraps). Targets that line up as seen from the passive
// sensor make some bearings ambiguous; the errors are measured against each track's
// target (the target of its latest position detection).
func TestBearingOnlySensor(t *testing.T) {
	run := func(withBearings bool) (rms float64, confirmed, bearingAssoc, bearingDets, started int) {
		rng := rand.New(rand.NewPCG(5, 6))
		// targets on an arc west of the passive sensor, around azimuth ±π from it, 0.15
		// rad apart so that their bearings stay distinct
		passive := [3]float64{1500, 0, 0}
		var tg cvTargets
		for i := range 8 {
			a := math.Pi + 0.15*(float64(i)-3.5)
			r := 1000 + 100*float64(i%3)
			h := 2 * math.Pi * rng.Float64()
			tg.p = append(tg.p, [3]float64{passive[0] + r*math.Cos(a), passive[1] + r*math.Sin(a), 0})
			tg.v = append(tg.v, [3]float64{3 * math.Cos(h), 3 * math.Sin(h), 0})
		}
		tr := newTracker(t, correlate.Config{Sensors: []correlate.Sensor{
			{ID: 1, Kind: correlate.Position2D, ClutterDensity: 1e-6},
			{ID: 2, Kind: correlate.Bearing, Position: passive, ClutterDensity: 0.01},
		}})
		owner := map[uint64]int{}
		trackTarget := map[uint64]int{} // from the position sensor's latest detection
		id := uint64(1)
		var out correlate.Output
		var sum float64
		var n int
		for k := int64(0); k < 40; k++ {
			tns := k * 1e9
			// position sensor: σ = 15 m
			sc := correlate.Scan{Sensor: 1, Time: tns}
			for i := range tg.p {
				p := tg.at(i, tns)
				d := correlate.Detection{ID: id, Time: tns}
				owner[id] = i
				id++
				d.Z[0], d.Z[1] = p[0]+15*rng.NormFloat64(), p[1]+15*rng.NormFloat64()
				d.R[0], d.R[3] = 225, 225
				sc.Detections = append(sc.Detections, d)
			}
			require.NoError(t, tr.Process(&sc, &out))
			for _, tk := range out.Tracks {
				if len(tk.Detections) > 0 {
					trackTarget[tk.ID] = owner[tk.Detections[0]]
				}
			}
			if k >= 15 {
				accumulateByTrack(&out, tg, trackTarget, &sum, &n)
			}
			if !withBearings {
				continue
			}
			// passive sensor half a second later: σ = 1 mrad, and one false bearing
			bs := polarScan(rng, tg, correlate.Bearing, 2, passive, tns+5e8, 0, 0.001, 1, &id, owner)
			require.NoError(t, tr.Process(&bs, &out))
			bearingDets += len(bs.Detections) - 1
			bearingAssoc += out.Stats.Associated
			started += out.Stats.Initiated
			if k >= 15 {
				accumulateByTrack(&out, tg, trackTarget, &sum, &n)
			}
		}
		return math.Sqrt(sum / float64(n)), countConfirmed(tr), bearingAssoc, bearingDets, started
	}
	base, nBase, _, _, _ := run(false)
	fused, nFused, assoc, dets, started := run(true)
	t.Logf("position only: RMS %.2f m (%d tracks); with bearings: RMS %.2f m (%d tracks), %d of %d bearings associated, %d tracks started by bearing scans",
		base, nBase, fused, nFused, assoc, dets, started)
	assert.Equal(t, 8, nBase)
	assert.Equal(t, 8, nFused)
	assert.Zero(t, started)
	assert.GreaterOrEqual(t, float64(assoc), 0.9*float64(dets))
	assert.LessOrEqual(t, assoc, dets+40) // at most the false bearings besides
	assert.Less(t, fused, 0.85*base)
}

// Polar measurements outside their domain are rejected, naming the detection.
func TestPolarDomain(t *testing.T) {
	tr := newTracker(t, correlate.Config{Axes: 3, Sensors: []correlate.Sensor{
		{ID: 1, Kind: correlate.RangeBearing}, {ID: 2, Kind: correlate.RangeAzEl}}})
	var out correlate.Output
	d := correlate.Detection{ID: 9}
	d.Z[0], d.Z[1] = -5, 0.1
	d.R[0], d.R[3] = 1, 1e-4
	err := tr.Process(&correlate.Scan{Sensor: 1, Detections: []correlate.Detection{d}}, &out)
	assert.ErrorIs(t, err, correlate.ErrDomain)
	e := correlate.Detection{ID: 10}
	e.Z[0], e.Z[1], e.Z[2] = 100, 0.1, 2
	e.R[0], e.R[4], e.R[8] = 1, 1e-4, 1e-4
	err = tr.Process(&correlate.Scan{Sensor: 2, Detections: []correlate.Detection{e}}, &out)
	assert.ErrorIs(t, err, correlate.ErrDomain)
	assert.Zero(t, tr.Live())
}

// polarScenario is 30 targets seen for the given number of seconds by a range-bearing
// sensor and, half a second later each time, a bearing-only one: its sensors and its
// scans in time order.
func polarScenario(seconds int64) ([]correlate.Sensor, []correlate.Scan) {
	rng := rand.New(rand.NewPCG(8, 9))
	tg := newTargets(rng, 30, [3]float64{0, 0, 0}, 2000, 5, false)
	sens := []correlate.Sensor{
		{ID: 1, Kind: correlate.RangeBearing, Position: [3]float64{3000, 0, 0}, ClutterDensity: 1e-6},
		{ID: 2, Kind: correlate.Bearing, Position: [3]float64{-3000, 0, 0}, ClutterDensity: 0.01},
	}
	owner := map[uint64]int{}
	id := uint64(1)
	var scans []correlate.Scan
	for k := int64(0); k < seconds; k++ {
		scans = append(scans,
			polarScan(rng, tg, correlate.RangeBearing, 1, sens[0].Position, k*1e9, 10, 0.002, 2, &id, owner),
			polarScan(rng, tg, correlate.Bearing, 2, sens[1].Position, k*1e9+5e8, 0, 0.001, 2, &id, owner))
	}
	return sens, scans
}

// Steady-state ticks with polar and bearing-only sensors allocate nothing.
func TestPolarAllocs(t *testing.T) {
	sens, scans := polarScenario(60)
	tr := newTracker(t, correlate.Config{Sensors: sens})
	var out correlate.Output
	k := 0
	for ; k < 80; k++ {
		require.NoError(t, tr.Process(&scans[k], &out))
	}
	allocs := testing.AllocsPerRun(20, func() {
		if err := tr.Process(&scans[k], &out); err != nil {
			t.Fatal(err)
		}
		k++
	})
	assert.Zero(t, allocs)
	assert.InDelta(t, 30, countConfirmed(tr), 2)
}

// A range-bearing sensor registered by its geodetic position is placed in the local ENU
// frame about Config.Origin: its detections of a target at a known local position
// start a track there.
func TestGeodeticSensor(t *testing.T) {
	origin := spatial.FromDegrees(50, 4, 0)
	// about 1 km east and 2 km north of the origin
	site := spatial.FromDegrees(50+2000/111_230.0, 4+1000/(111_320.0*math.Cos(50*math.Pi/180)), 0)
	tr := newTracker(t, correlate.Config{Origin: &origin, Sensors: []correlate.Sensor{
		{ID: 3, Kind: correlate.RangeBearing, Geodetic: &site}}})
	// the same sensor in the frame, computed independently
	f, err := spatial.NewFrame(origin, spatial.ENU)
	require.NoError(t, err)
	e, err := spatial.GeodeticToECEF(site)
	require.NoError(t, err)
	pos := f.ToLocal(e)
	assert.InDelta(t, 1000, pos[0], 5)
	assert.InDelta(t, 2000, pos[1], 5)
	// a target at (3000, 2000): 2 km east of the sensor, azimuth 0 in frame axes
	d := correlate.Detection{ID: 1}
	d.Z[0], d.Z[1] = math.Hypot(3000-pos[0], 2000-pos[1]), math.Atan2(2000-pos[1], 3000-pos[0])
	d.R[0], d.R[3] = 25, 1e-6
	var out correlate.Output
	require.NoError(t, tr.Process(&correlate.Scan{Sensor: 3, Detections: []correlate.Detection{d}}, &out))
	require.Len(t, out.Tracks, 1)
	assert.InDelta(t, 3000, out.Tracks[0].State[0], 1e-6)
	assert.InDelta(t, 2000, out.Tracks[0].State[2], 1e-6)

	_, err = correlate.New(correlate.Config{Sensors: []correlate.Sensor{{ID: 3, Kind: correlate.RangeBearing, Geodetic: &site}}})
	assert.ErrorIs(t, err, correlate.ErrConfig, "no origin")
}
