package correlate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
)

// Score-based logic (SPRT): the same scene is tracked about as well as with M-of-N.
func TestSPRTLogic(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		sc := bench.Scenario{Targets: 100, Scans: 30, Seed: seed}
		mofn := runEvents(t, newTracker(t, correlate.Config{}), generator(t, sc))
		sprt := runEvents(t, newTracker(t, correlate.Config{Logic: correlate.SPRT}), generator(t, sc))
		t.Logf("seed %d: GOSPA after 3 scans M-of-N %.2f, SPRT %.2f; final %d / %d", seed, mofn.after3, sprt.after3, mofn.final, sprt.final)
		assert.InDelta(t, 100, sprt.final, 3)
		assert.Less(t, sprt.after3, 1.1*mofn.after3)
		m, f := sprt.tail(8)
		assert.LessOrEqual(t, m, 10)
		assert.LessOrEqual(t, f, 15)
	}
}

// SPRT deletes a confirmed track that stops being detected once its score has fallen
// by log((1-α)/β) from its maximum: before the time-based deletion.
func TestSPRTDeletion(t *testing.T) {
	tr := newTracker(t, correlate.Config{Logic: correlate.SPRT, DeleteAfter: 100e9})
	var out correlate.Output
	deleted := int64(-1)
	for k := int64(0); k < 40; k++ {
		sc := correlate.Scan{Sensor: 0, Time: k * 1e9}
		if k < 10 {
			d := correlate.Detection{ID: uint64(k + 1), Time: k * 1e9}
			d.Z[0], d.Z[1] = 5*float64(k), 0
			d.R[0], d.R[3] = 4, 4
			sc.Detections = append(sc.Detections, d)
		}
		require.NoError(t, tr.Process(&sc, &out))
		for _, e := range out.Events {
			if e.Status == correlate.Deleted {
				deleted = e.Time
			}
		}
	}
	// a miss costs log(1 - 0.9·0.99) ≈ -2.2; the threshold log(0.01/0.99) ≈ -4.6: the
	// third miss deletes it
	assert.Equal(t, int64(12e9), deleted)
}

// A track whose predicted position variance exceeds MaxPositionVariance is deleted
// before DeleteAfter.
func TestCovarianceDeletion(t *testing.T) {
	run := func(maxVar float64) int64 {
		tr := newTracker(t, correlate.Config{MaxPositionVariance: maxVar, DeleteAfter: 20e9})
		var out correlate.Output
		for k := int64(0); k < 100; k++ {
			tns := k * 2e8 // 5 Hz
			sc := correlate.Scan{Sensor: 0, Time: tns, Partial: k >= 15}
			if k < 15 {
				d := correlate.Detection{ID: uint64(k + 1), Time: tns}
				d.Z[0], d.Z[1] = float64(k), 0
				d.R[0], d.R[3] = 4, 4
				sc.Detections = append(sc.Detections, d)
			}
			require.NoError(t, tr.Process(&sc, &out))
			for _, e := range out.Events {
				if e.Status == correlate.Deleted {
					return e.Time
				}
			}
		}
		return -1
	}
	byTime := run(0)
	byCov := run(100)
	t.Logf("deleted at %.1f s by time, %.1f s by covariance", float64(byTime)*1e-9, float64(byCov)*1e-9)
	assert.Equal(t, int64(-1), byTime, "20 s without update not reached")
	assert.Greater(t, byCov, int64(3e9))
	assert.Less(t, byCov, int64(20e9))
}

// History keeps the last Config.History posteriors of a track, oldest first.
func TestHistory(t *testing.T) {
	tr := newTracker(t, correlate.Config{History: 3})
	var out correlate.Output
	for k := int64(0); k < 6; k++ {
		d := correlate.Detection{ID: uint64(k + 1), Time: k * 1e9}
		d.Z[0], d.Z[1] = 10*float64(k), 0
		d.R[0], d.R[3] = 4, 4
		require.NoError(t, tr.Process(&correlate.Scan{Sensor: 0, Time: k * 1e9, Detections: []correlate.Detection{d}}, &out))
	}
	h, ok := tr.History(nil, 1)
	require.True(t, ok)
	require.Len(t, h, 3)
	for i, p := range h {
		assert.Equal(t, int64(3+i)*1e9, p.Time)
		assert.InDelta(t, 10*float64(3+i), p.State[0], 2)
	}
	assert.Equal(t, out.Tracks[0].State[0], h[2].State[0])
	_, ok = tr.History(nil, 99)
	assert.False(t, ok)
}

// Two-point initiation: the second detection sets the velocity by differencing,
// exactly, whatever the prior.
func TestTwoPointInitiation(t *testing.T) {
	tr := newTracker(t, correlate.Config{Initiation: correlate.TwoPoint, MaxSpeed: 40})
	var out correlate.Output
	for k := int64(0); k < 2; k++ {
		d := correlate.Detection{ID: uint64(k + 1), Time: k * 2e9}
		d.Z[0], d.Z[1] = 100+50*float64(k), 20-30*float64(k) // 25 m/s, -15 m/s
		d.R[0], d.R[3] = 4, 9
		require.NoError(t, tr.Process(&correlate.Scan{Sensor: 0, Time: k * 2e9, Detections: []correlate.Detection{d}}, &out))
	}
	require.Len(t, out.Tracks, 1)
	tk := out.Tracks[0]
	assert.Equal(t, []float64{150, 25, -10, -15}, tk.State)
	// Cov(v) = (R1 + R2)/Δt² per axis, Cov(x, v) = R2/Δt
	assert.InDelta(t, 2.0, tk.Cov[1*4+1], 1e-12)
	assert.InDelta(t, 4.5, tk.Cov[3*4+3], 1e-12)
	assert.InDelta(t, 2.0, tk.Cov[0*4+1], 1e-12)
	assert.InDelta(t, 9.0, tk.Cov[2*4+2], 1e-12)

	// and it tracks a scene as well as one-point initiation
	sc := bench.Scenario{Targets: 100, Scans: 30, Seed: 3}
	one := runEvents(t, newTracker(t, correlate.Config{}), generator(t, sc))
	two := runEvents(t, newTracker(t, correlate.Config{Initiation: correlate.TwoPoint, MaxSpeed: 20}), generator(t, sc))
	t.Logf("GOSPA after 3 scans: one-point %.2f, two-point %.2f; final %d / %d", one.after3, two.after3, one.final, two.final)
	assert.InDelta(t, 100, two.final, 3)
	assert.Less(t, two.after3, 1.15*one.after3)
}
