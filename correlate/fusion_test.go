package correlate_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
)

// Three staggered sensors with different covariances (sensor 0 isotropic σ = 2 m, the
// others anisotropic and rotated): the fused tracks are more accurate than the tracks
// of any one sensor alone.
func TestFusionBeatsEachSensor(t *testing.T) {
	sc := bench.Scenario{Targets: 100, Scans: 25, Sensors: 3, Seed: 21}
	tr := newTracker(t, correlate.Config{Sensors: sensors(3)})
	fused := runEvents(t, tr, generator(t, sc))
	rf := fused.rms(30)
	t.Logf("fused: RMS position error %.2f m, final %d", rf, fused.final)
	assert.InDelta(t, 100, fused.final, 2)
	for s := uint32(0); s < 3; s++ {
		tr := newTracker(t, correlate.Config{Sensors: sensors(3)})
		single := runEvents(t, tr, onlySensor(generator(t, sc), s))
		rs := single.rms(30)
		t.Logf("sensor %d alone: RMS position error %.2f m, final %d", s, rs, single.final)
		assert.Less(t, rf, 0.9*rs, "sensor %d", s)
	}
}

// rotating builds the scans of a sensor at the origin sweeping once per second: target i
// is seen when the beam passes its azimuth, so each detection has its own time within
// the revolution. It returns the scans and the truth function.
func rotating(targets, revs int, seed uint64) ([]correlate.Scan, func(id int, tns int64) (x, y float64)) {
	rng := rand.New(rand.NewPCG(seed, 99))
	type tgt struct{ x, y, vx, vy float64 }
	ts := make([]tgt, targets)
	for i := range ts {
		r, a := 300+1700*rng.Float64(), 2*math.Pi*rng.Float64()
		h, v := 2*math.Pi*rng.Float64(), 30+30*rng.Float64()
		ts[i] = tgt{r * math.Cos(a), r * math.Sin(a), v * math.Cos(h), v * math.Sin(h)}
	}
	truth := func(id int, tns int64) (float64, float64) {
		s := float64(tns) * 1e-9
		return ts[id].x + ts[id].vx*s, ts[id].y + ts[id].vy*s
	}
	var scans []correlate.Scan
	id := uint64(1)
	for k := 0; k < revs; k++ {
		start := int64(k) * 1e9
		sc := correlate.Scan{Sensor: 0, Time: start + 1e9 - 1}
		for i := range ts {
			// the time the beam (starting at azimuth -π each revolution) meets the target,
			// iterated twice for its motion
			tt := start
			for range 3 {
				x, y := truth(i, tt)
				tt = start + int64((math.Atan2(y, x)+math.Pi)/(2*math.Pi)*(1e9-1))
			}
			x, y := truth(i, tt)
			d := correlate.Detection{ID: id, Time: tt}
			id++
			d.Z[0], d.Z[1] = x+2*rng.NormFloat64(), y+2*rng.NormFloat64()
			d.R[0], d.R[3] = 4, 4
			sc.Detections = append(sc.Detections, d)
		}
		scans = append(scans, sc)
	}
	return scans, truth
}

// rotError feeds scans to a tracker and returns the RMS error of the confirmed tracks'
// posteriors against truth at their own times, over the second half of the run, and the
// number of confirmed tracks at the end. Tracks are matched to truths by their first
// detection's ID.
func rotError(t *testing.T, scans []correlate.Scan, truth func(int, int64) (float64, float64), targets int) (float64, int) {
	// targets at 30-60 m/s: a velocity prior to match
	tr := newTracker(t, correlate.Config{Sensors: sensors(1), InitSpeedSigma: 50})
	owner := map[uint64]int{} // detection ID → target
	for _, sc := range scans {
		for j, d := range sc.Detections {
			owner[d.ID] = int(d.ID-1) % targets
			_ = j
		}
	}
	var out correlate.Output
	var sum float64
	var n int
	for k, sc := range scans {
		require.NoError(t, tr.Process(&sc, &out))
		if k < len(scans)/2 {
			continue
		}
		for _, tk := range out.Tracks {
			if tk.Status != correlate.Confirmed || len(tk.Detections) == 0 {
				continue
			}
			x, y := truth(owner[tk.Detections[0]], tk.Time)
			sum += (tk.State[0]-x)*(tk.State[0]-x) + (tk.State[2]-y)*(tk.State[2]-y)
			n++
		}
	}
	var snap correlate.Output
	tr.Snapshot(&snap)
	conf := 0
	for _, tk := range snap.Tracks {
		if tk.Status == correlate.Confirmed {
			conf++
		}
	}
	return math.Sqrt(sum / float64(n)), conf
}

// A rotating sensor's scans with per-detection timestamps give the same accuracy as the
// same detections fed one by one in time order, and a much better one than stamping
// the whole sweep with one time.
func TestRotatingSensorTimestamps(t *testing.T) {
	const targets, revs = 30, 20
	scans, truth := rotating(targets, revs, 3)

	perDet, nPer := rotError(t, scans, truth, targets)

	var single []correlate.Scan
	for _, sc := range scans {
		ds := slices.Clone(sc.Detections)
		slices.SortFunc(ds, func(a, b correlate.Detection) int { return int(a.Time - b.Time) })
		for _, d := range ds {
			single = append(single, correlate.Scan{Sensor: 0, Time: d.Time, Detections: []correlate.Detection{d}, Partial: true})
		}
	}
	oneByOne, nOne := rotError(t, single, truth, targets)

	var stamped []correlate.Scan
	for _, sc := range scans {
		ds := slices.Clone(sc.Detections)
		for i := range ds {
			ds[i].Time = sc.Time
		}
		stamped = append(stamped, correlate.Scan{Sensor: 0, Time: sc.Time, Detections: ds})
	}
	scanTime, nStamped := rotError(t, stamped, truth, targets)

	t.Logf("RMS error: per-detection times %.2f m (%d tracks), one by one %.2f m (%d), scan time only %.2f m (%d)",
		perDet, nPer, oneByOne, nOne, scanTime, nStamped)
	assert.Equal(t, targets, nPer)
	assert.Equal(t, targets, nOne)
	assert.InEpsilon(t, oneByOne, perDet, 0.05)
	assert.Less(t, 2*perDet, scanTime)
}
