package correlate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/correlate/assign"
	"github.com/trackcorr/trackcorr/kalman"
)

// fixedWeights is an Associator that gives row 0's candidates the weights w in order
// (and every other candidate 0).
type fixedWeights struct{ w []float64 }

func (f *fixedWeights) Associate(w []float64, p *assign.Sparse) error {
	clear(w)
	if p.Rows > 0 {
		for k := p.Start[0]; k < p.Start[1] && int(k) < len(f.w); k++ {
			w[k] = f.w[k]
		}
	}
	return nil
}

// With weights 0 or 1 (GNN's) the PDA update is the Kalman update: a tracker with
// AssociateJPDA and the GNN associator gives GNN's output, to rounding.
func TestPDAHardWeightsEqualGNN(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 100, Scans: 20, Seed: 3})
	gnn, err := correlate.NewGNN(1)
	require.NoError(t, err)
	defer gnn.Close()
	ref := newTracker(t, correlate.Config{})
	pda := newTracker(t, correlate.Config{Association: correlate.AssociateJPDA, Associator: gnn})
	var a, b correlate.Output
	for i := range all {
		require.NoError(t, ref.Process(&all[i], &a))
		require.NoError(t, pda.Process(&all[i], &b))
		require.Equal(t, a.Events, b.Events, "scan %d", i)
		require.Equal(t, len(a.Tracks), len(b.Tracks), "scan %d", i)
		for k := range a.Tracks {
			x, y := a.Tracks[k], b.Tracks[k]
			require.Equal(t, x.ID, y.ID)
			require.Equal(t, x.Status, y.Status)
			require.Equal(t, x.Time, y.Time)
			require.Equal(t, x.Detections, y.Detections)
			assert.InDeltaSlice(t, x.State, y.State, 1e-9)
			assert.InDeltaSlice(t, x.Cov, y.Cov, 1e-9)
			assert.InDelta(t, x.Score, y.Score, 1e-9)
		}
		assert.Equal(t, a.Stats.Associated, b.Stats.Associated)
		assert.InDelta(t, a.Stats.NIS, b.Stats.NIS, 1e-9)
	}
}

// With detections that share one time and one R, the tracker's moment-matched PDA
// update equals the textbook PDA update with the spread-of-innovations term
// (kalman.KF.ApplyPDA).
func TestPDAUpdateMatchesKalman(t *testing.T) {
	weights := []float64{0.5, 0.2, 0.1}
	tr := newTracker(t, correlate.Config{Association: correlate.AssociateJPDA, Associator: &fixedWeights{w: weights},
		Sensors: []correlate.Sensor{{ID: 1, Kind: correlate.Position2D}}})
	// one track: started and updated along x at 10 m/s
	var out correlate.Output
	pos := func(id uint64, tns int64, x, y float64) correlate.Detection {
		d := correlate.Detection{ID: id, Time: tns}
		d.Z[0], d.Z[1] = x, y
		d.R[0], d.R[1], d.R[2], d.R[3] = 4, 0.5, 0.5, 3
		return d
	}
	for k := 0; k < 4; k++ {
		tns := int64(k) * 1e9
		require.NoError(t, tr.Process(&correlate.Scan{Sensor: 1, Time: tns, Detections: []correlate.Detection{pos(uint64(k+1), tns, 10*float64(k), 0)}}, &out))
	}
	var snap correlate.Output
	tr.Snapshot(&snap)
	require.Len(t, snap.Tracks, 1)
	prior, err := kalman.NewState(snap.Tracks[0].State, snap.Tracks[0].Cov)
	require.NoError(t, err)

	tns := int64(5e9)
	dets := []correlate.Detection{pos(11, tns, 51, 1), pos(12, tns, 48, -2), pos(13, tns, 50.5, 3)}
	require.NoError(t, tr.Process(&correlate.Scan{Sensor: 1, Time: tns, Detections: dets}, &out))
	// the track, and two tentative tracks from the detections it more likely did not make
	require.Len(t, out.Tracks, 3)
	got := out.Tracks[0]
	require.Equal(t, snap.Tracks[0].ID, got.ID)

	cv := kalman.NewCV(2, 0.1)
	kf, err := kalman.NewKF(cv, kalman.Config{})
	require.NoError(t, err)
	require.NoError(t, kf.Predict(&prior, 2))
	var pm kalman.Predicted
	require.NoError(t, kf.PredictMeasurement(&pm, &prior, kalman.NewPosition(4, []int{0, 2}, nil), dets[0].R[:4]))
	var z []float64
	for _, d := range dets {
		z = append(z, d.Z[0], d.Z[1])
	}
	_, err = kf.ApplyPDA(&prior, &pm, z, weights)
	require.NoError(t, err)
	assert.InDeltaSlice(t, prior.Mean(nil), got.State, 1e-9)
	assert.InDeltaSlice(t, prior.Cov(nil), got.Cov, 1e-9)
	assert.Equal(t, tns, got.Time)
	assert.Equal(t, []uint64{11}, got.Detections, "the most probable detection")
	assert.Equal(t, correlate.Confirmed, got.Status, "detected with probability 0.8")
}
