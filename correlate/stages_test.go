package correlate_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/kalman"
)

// builtInStages returns cfg with the built-in stages plugged in explicitly as user
// stages: the Kalman predictor and updater of the tracker's own motion model (unless
// cfg uses an IMM), the one-point initiator (under OnePoint initiation) and a Deleter
// that keeps the logic's decisions.
func builtInStages(t testing.TB, cfg correlate.Config) correlate.Config {
	axes, q, sigma := cfg.Axes, cfg.Q, cfg.InitSpeedSigma
	if axes == 0 {
		axes = 2
	}
	if q == 0 {
		q = 0.1
	}
	if sigma == 0 {
		sigma = 10
	}
	if cfg.Filter == correlate.CV {
		p, err := correlate.NewKalmanPredictor(kalman.NewCV(axes, q), kalman.Config{})
		require.NoError(t, err)
		u, err := correlate.NewKalmanUpdater(kalman.NewCV(axes, q), kalman.Config{})
		require.NoError(t, err)
		cfg.Predictor, cfg.Updater = p, u
	}
	if cfg.Initiation == correlate.OnePoint {
		ini, err := correlate.NewOnePointInitiator(axes, sigma)
		require.NoError(t, err)
		cfg.Initiator = ini
	}
	cfg.Deleter = keepLogic{}
	return cfg
}

// keepLogic is a Deleter that changes nothing.
type keepLogic struct{}

func (keepLogic) Delete([]bool, []correlate.Track) {}

// jitter spreads each scan's detections over 0–4 ms, so that the updates of a batch
// happen at several times (predictions to each detection's own time).
func jitter(all []correlate.Scan) []correlate.Scan {
	out := make([]correlate.Scan, len(all))
	for i, s := range all {
		s.Detections = append([]correlate.Detection(nil), s.Detections...)
		for k := range s.Detections {
			s.Detections[k].Time = s.Time + int64(k%5)*1e6
		}
		out[i] = s
	}
	return out
}

// The built-in stages plugged in as user stages give the built-in path's output bit
// for bit, under every association, logic, filter and initiation, with detections at
// one time per scan and spread within the batches, for 1 and 2 workers.
func TestStagesBuiltInEquivalent(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 600, Scans: 12, Sensors: 3, Seed: 11})
	variants := append([]struct {
		name string
		cfg  correlate.Config
	}{
		{"twopoint", correlate.Config{Initiation: correlate.TwoPoint}},
		{"twopoint-jpda", correlate.Config{Initiation: correlate.TwoPoint, Association: correlate.AssociateJPDA}},
		{"maxvar", correlate.Config{MaxPositionVariance: 40}},
		{"sprt", correlate.Config{Logic: correlate.SPRT}},
	}, associations...)
	for _, sc := range []struct {
		name string
		all  []correlate.Scan
	}{{"one-time", all}, {"jittered", jitter(all)}} {
		for _, v := range variants {
			t.Run(sc.name+"/"+v.name, func(t *testing.T) {
				ref := runHash(t, v.cfg, sc.all, 1, nil)
				staged := builtInStages(t, v.cfg)
				assert.Equal(t, ref, runHash(t, staged, sc.all, 1, nil), "staged, 1 worker")
				assert.Equal(t, ref, runHash(t, staged, sc.all, 2, nil), "staged, 2 workers")
			})
		}
	}
}

// Polar sensors (extended Kalman updates) and bearings on the staged path give the
// built-in path's output.
func TestStagesBuiltInEquivalentPolar(t *testing.T) {
	sens, all := polarScenario(30)
	all = jitter(all)
	run := func(cfg correlate.Config) uint64 {
		cfg.Sensors = sens
		tr := newTracker(t, cfg)
		var out correlate.Output
		var h uint64
		for i := range all {
			require.NoError(t, tr.Process(&all[i], &out))
			h = hashOutput(h, &out)
		}
		return h
	}
	for _, a := range []correlate.Association{correlate.AssociateGNN, correlate.AssociateJPDA} {
		cfg := correlate.Config{Association: a}
		assert.Equal(t, run(cfg), run(builtInStages(t, cfg)), a.String())
	}
}

// counting wraps the built-in stages and counts their calls and items.
type counting struct {
	p                   *correlate.KalmanPredictor
	u                   *correlate.KalmanUpdater
	i                   *correlate.OnePointInitiator
	predicts, predicted int
	updates, updated    int
	initiates, offered  int
	deletes, seen       int
	bearings            int
}

func (c *counting) Predict(s []kalman.State, dt []float64, ok []bool) {
	c.predicts++
	c.predicted += len(s)
	c.p.Predict(s, dt, ok)
}

func (c *counting) Update(s []kalman.State, m []correlate.Measurement, ok []bool, d2 []float64) {
	c.updates++
	c.updated += len(s)
	c.u.Update(s, m, ok, d2)
}

func (c *counting) Initiate(s []kalman.State, m []correlate.Measurement, ok []bool) {
	c.initiates++
	c.offered += len(s)
	for i := range m {
		if m[i].Sensor.Kind == correlate.Bearing {
			c.bearings++
		}
	}
	c.i.Initiate(s, m, ok)
}

func (c *counting) Delete(del []bool, tr []correlate.Track) {
	c.deletes++
	c.seen += len(tr)
}

func newCounting(t *testing.T) *counting {
	p, err := correlate.NewKalmanPredictor(kalman.NewCV(2, 0.1), kalman.Config{})
	require.NoError(t, err)
	u, err := correlate.NewKalmanUpdater(kalman.NewCV(2, 0.1), kalman.Config{})
	require.NoError(t, err)
	i, err := correlate.NewOnePointInitiator(2, 10)
	require.NoError(t, err)
	return &counting{p: p, u: u, i: i}
}

// Each stage is called once per batch (the Updater once per association pass, the
// Deleter once per scan) with whole batches, never once per track.
func TestStagesCalledPerBatch(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 500, Scans: 10, Seed: 3})
	for _, a := range []correlate.Association{correlate.AssociateGNN, correlate.AssociateJPDA} {
		c := newCounting(t)
		tr := newTracker(t, correlate.Config{Association: a, Predictor: c, Updater: c, Initiator: c, Deleter: c})
		var out correlate.Output
		batches, associated, live := 0, 0, 0
		for i := range all {
			live += tr.Live()
			require.NoError(t, tr.Process(&all[i], &out))
			batches += out.Stats.Batches
			associated += out.Stats.Associated
		}
		t.Logf("%v: %d scans, %d batches; Predict %d calls/%d states, Update %d/%d, Initiate %d/%d, Delete %d/%d",
			a, len(all), batches, c.predicts, c.predicted, c.updates, c.updated, c.initiates, c.offered, c.deletes, c.seen)
		assert.Equal(t, len(all), batches) // one time per scan: one batch each
		// one time per scan: the gating predictions only (no track is updated at another time)
		assert.Equal(t, batches-1, c.predicts) // the first scan has no track to predict
		assert.Equal(t, live, c.predicted)
		assert.LessOrEqual(t, c.updates, 2*batches) // the confirmed, then the tentative tracks
		assert.GreaterOrEqual(t, c.updated, associated)
		assert.Equal(t, batches, c.initiates)
		assert.Equal(t, len(all), c.deletes)
		assert.Greater(t, associated, 4000)
	}
}

// accelScan makes one scan of n targets starting at positions p0 with velocities v0
// and a common acceleration a (m/s²) along x, at time k seconds, noise σ 5 m.
func accelScan(rng *rand.Rand, p0, v0 [][2]float64, a float64, k int64, id *uint64) correlate.Scan {
	s := correlate.Scan{Sensor: 0, Time: k * 1e9}
	tt := float64(k)
	for i := range p0 {
		d := correlate.Detection{ID: *id}
		*id++
		d.Z[0] = p0[i][0] + v0[i][0]*tt + 0.5*a*tt*tt + 5*rng.NormFloat64()
		d.Z[1] = p0[i][1] + v0[i][1]*tt + 5*rng.NormFloat64()
		d.R[0], d.R[3] = 25, 25
		s.Detections = append(s.Detections, d)
	}
	return s
}

// accelPredictor is a user Predictor with a known common acceleration along x (say a
// current or a wind): the constant-velocity prediction plus ½·a·dt² and a·dt.
type accelPredictor struct {
	kf *correlate.KalmanPredictor
	a  float64
	x  []float64
}

func (p *accelPredictor) Predict(s []kalman.State, dt []float64, ok []bool) {
	p.kf.Predict(s, dt, ok)
	for i := range s {
		if !ok[i] {
			continue
		}
		p.x = s[i].Mean(p.x[:0])
		p.x[0] += 0.5 * p.a * dt[i] * dt[i]
		p.x[1] += p.a * dt[i]
		ok[i] = s[i].SetMean(p.x) == nil
	}
}

// A user Predictor with the targets' known acceleration tracks them more accurately
// than the built-in constant-velocity prediction.
func TestUserPredictor(t *testing.T) {
	const n, a = 20, 1.5
	run := func(user bool) (rms float64, confirmed int) {
		rng := rand.New(rand.NewPCG(4, 4))
		var p0, v0 [][2]float64
		for i := range n {
			p0 = append(p0, [2]float64{-2000 + 200*float64(i%5), 400 * float64(i)})
			v0 = append(v0, [2]float64{5 * rng.NormFloat64(), 5 * rng.NormFloat64()})
		}
		cfg := correlate.Config{}
		if user {
			kf, err := correlate.NewKalmanPredictor(kalman.NewCV(2, 0.1), kalman.Config{})
			require.NoError(t, err)
			cfg.Predictor = &accelPredictor{kf: kf, a: a}
		}
		tr := newTracker(t, cfg)
		var out, snap correlate.Output
		id := uint64(1)
		var sum float64
		var k int
		for s := int64(0); s < 40; s++ {
			sc := accelScan(rng, p0, v0, a, s, &id)
			require.NoError(t, tr.Process(&sc, &out))
			if s < 10 {
				continue
			}
			tr.Snapshot(&snap)
			tt := float64(s)
			for _, tk := range snap.Tracks {
				if tk.Status != correlate.Confirmed {
					continue
				}
				// the nearest target
				best := math.Inf(1)
				for i := range p0 {
					dx := tk.State[0] - (p0[i][0] + v0[i][0]*tt + 0.5*a*tt*tt)
					dy := tk.State[2] - (p0[i][1] + v0[i][1]*tt)
					best = math.Min(best, dx*dx+dy*dy)
				}
				sum += best
				k++
			}
		}
		for _, tk := range snap.Tracks {
			if tk.Status == correlate.Confirmed {
				confirmed++
			}
		}
		return math.Sqrt(sum / float64(k)), confirmed
	}
	base, nBase := run(false)
	user, nUser := run(true)
	t.Logf("built-in CV: RMS %.2f m, %d confirmed at the end; known acceleration: RMS %.2f m, %d confirmed", base, nBase, user, nUser)
	assert.Equal(t, n, nUser)
	assert.Less(t, user, 5.0)
	assert.Less(t, user, 0.6*base)
}

// regionStages are a user Initiator that starts tracks only east of x = 0, and a
// user Deleter that ends tracks as soon as they cross x = 1,000 m (leaving the
// coverage) and keeps every other track alive whatever the logic says.
type regionStages struct {
	ini     *correlate.OnePointInitiator
	refused int
	births  []float64
}

func (r *regionStages) Initiate(s []kalman.State, m []correlate.Measurement, ok []bool) {
	r.ini.Initiate(s, m, ok)
	for i := range m {
		if m[i].Pos[0] < 0 {
			ok[i] = false
			r.refused++
		} else if ok[i] {
			r.births = append(r.births, m[i].Pos[0])
		}
	}
}

func (r *regionStages) Delete(del []bool, tr []correlate.Track) {
	for i := range tr {
		del[i] = tr[i].State[0] > 1000
	}
}

// A user Initiator and a user Deleter decide where tracks start and when they end.
func TestUserInitiatorAndDeleter(t *testing.T) {
	ini, err := correlate.NewOnePointInitiator(2, 10)
	require.NoError(t, err)
	rs := &regionStages{ini: ini}
	tr := newTracker(t, correlate.Config{Initiator: rs, Deleter: rs})
	rng := rand.New(rand.NewPCG(6, 6))
	// targets at x from -500 to 700 moving east at 20 m/s
	var p0, v0 [][2]float64
	for i := range 13 {
		p0 = append(p0, [2]float64{-500 + 100*float64(i), 300 * float64(i)})
		v0 = append(v0, [2]float64{20, 0})
	}
	id := uint64(1)
	var out correlate.Output
	rejected, deleted := 0, 0
	for s := int64(0); s < 30; s++ {
		sc := accelScan(rng, p0, v0, 0, s, &id)
		if s >= 20 {
			sc.Detections = sc.Detections[:0] // the targets vanish
		}
		require.NoError(t, tr.Process(&sc, &out))
		rejected += out.Stats.Rejected
		deleted += out.Stats.Deleted
		for _, tk := range out.Tracks {
			if tk.Status != correlate.Deleted {
				assert.LessOrEqual(t, tk.State[0], 1000.0, "a live track beyond the coverage")
			}
		}
	}
	for _, x := range rs.births {
		assert.GreaterOrEqual(t, x, 0.0)
	}
	assert.Equal(t, rs.refused, rejected)
	assert.Positive(t, rs.refused)
	// the targets that started east of 0 and crossed 1,000 m within 20 s were deleted
	// there; the others outlive DeleteAfter (10 s without detections) because the
	// Deleter keeps them
	assert.Positive(t, deleted)
	assert.Positive(t, tr.Live())
	var snap correlate.Output
	tr.Snapshot(&snap)
	for _, tk := range snap.Tracks {
		assert.Less(t, tk.State[0], 1000.0)
	}
}

// failing is a Predictor and Updater that fails on every other call's items.
type failing struct {
	*counting
	badPredict, badUpdate, badInit bool
}

func (f *failing) Predict(s []kalman.State, dt []float64, ok []bool) {
	f.counting.Predict(s, dt, ok)
	if f.badPredict {
		for i := range ok {
			if i%7 == 0 {
				ok[i] = false
			}
		}
	}
}

func (f *failing) Update(s []kalman.State, m []correlate.Measurement, ok []bool, d2 []float64) {
	f.counting.Update(s, m, ok, d2)
	if f.badUpdate {
		for i := range ok {
			if i%5 == 0 {
				ok[i] = false
			}
		}
	}
}

func (f *failing) Initiate(s []kalman.State, m []correlate.Measurement, ok []bool) {
	f.counting.Initiate(s, m, ok)
	if f.badInit {
		for i := range s {
			if i%3 == 0 {
				s[i] = kalman.State{} // the wrong dimension, reported ok
			}
		}
	}
}

// Failures of user stages are counted and contained: a failed prediction deletes its
// track as diverged, a failed update leaves the track coasting and its detection free
// to start a track, an initial state of the wrong dimension starts no track. Nothing
// panics and the tracker goes on.
func TestUserStageFailures(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 200, Scans: 12, Seed: 9})
	for _, tc := range []struct {
		name string
		f    failing
		a    correlate.Association
	}{
		{"predict", failing{badPredict: true}, correlate.AssociateGNN},
		{"update", failing{badUpdate: true}, correlate.AssociateGNN},
		{"update-jpda", failing{badUpdate: true}, correlate.AssociateJPDA},
		{"init", failing{badInit: true}, correlate.AssociateGNN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.counting = newCounting(t)
			tr := newTracker(t, correlate.Config{Association: tc.a, Predictor: &f, Updater: &f, Initiator: &f})
			var out correlate.Output
			var st correlate.Stats
			for i := range all {
				require.NoError(t, tr.Process(&all[i], &out))
				st.Diverged += out.Stats.Diverged
				st.Rejected += out.Stats.Rejected
				st.Confirmed += out.Stats.Confirmed
			}
			t.Logf("diverged %d, rejected %d, confirmed %d", st.Diverged, st.Rejected, st.Confirmed)
			if f.badPredict {
				assert.Positive(t, st.Diverged)
			} else {
				assert.Zero(t, st.Diverged)
			}
			if f.badUpdate || f.badInit {
				assert.Positive(t, st.Rejected)
			}
			assert.Positive(t, st.Confirmed)
			var snap correlate.Output
			tr.Snapshot(&snap)
			for _, tk := range snap.Tracks {
				require.Len(t, tk.State, 4)
				for _, v := range tk.State {
					require.False(t, math.IsNaN(v))
				}
			}
		})
	}
}

// A Predictor or Updater stage needs the CV filter.
func TestStagesConfig(t *testing.T) {
	c := newCounting(t)
	for _, cfg := range []correlate.Config{
		{Filter: correlate.IMM, Predictor: c},
		{Filter: correlate.IMM, Updater: c},
	} {
		cfg.Sensors = sensors(1)
		_, err := correlate.New(cfg)
		assert.True(t, errors.Is(err, correlate.ErrConfig), "%v", err)
	}
	_, err := correlate.NewOnePointInitiator(4, 10)
	assert.ErrorIs(t, err, correlate.ErrConfig)
	_, err = correlate.NewOnePointInitiator(2, math.NaN())
	assert.ErrorIs(t, err, correlate.ErrConfig)
	// an Initiator and a Deleter work under IMM
	cfg := correlate.Config{Filter: correlate.IMM, Initiator: c, Deleter: c, Sensors: sensors(1)}
	tr, err := correlate.New(cfg)
	require.NoError(t, err)
	require.NoError(t, tr.Close())
}

// The staged path allocates nothing in steady state either.
func TestStagesAllocs(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 200, Scans: 120, Seed: 5})
	for _, a := range []correlate.Association{correlate.AssociateGNN, correlate.AssociateJPDA} {
		t.Run(a.String(), func(t *testing.T) {
			tr := newTracker(t, builtInStages(t, correlate.Config{Association: a, MaxPositionVariance: 1e6}))
			var out correlate.Output
			k := 0
			for ; k < 80; k++ {
				require.NoError(t, tr.Process(&jitter(all[k : k+1])[0], &out))
			}
			scans := jitter(all[k:])
			k = 0
			allocs := testing.AllocsPerRun(30, func() {
				if err := tr.Process(&scans[k], &out); err != nil {
					t.Fatal(err)
				}
				k++
			})
			assert.Zero(t, allocs)
			assert.Greater(t, tr.Live(), 150)
		})
	}
}
