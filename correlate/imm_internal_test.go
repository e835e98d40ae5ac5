package correlate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/kalman"
)

// updateIMMPDA, the JPDA hook of the IMM filter, with one detection of weight 1 is
// updateIMM, and with weight 0 leaves the predicted estimate as it is.
func TestUpdateIMMPDA(t *testing.T) {
	tr, err := New(Config{Filter: IMM, Sensors: []Sensor{{ID: 1, Kind: Position2D}}})
	require.NoError(t, err)
	defer tr.Close()
	var out Output
	for k := 0; k < 5; k++ {
		s := scene(k)
		require.NoError(t, tr.Process(&s, &out))
	}
	const slot = int32(0)
	w := &tr.pool.workers[0]
	s := &tr.sensors[0]
	next := scene(5)
	d := &next.Detections[0]
	td := next.Time
	dt := float64(td-tr.lastNS[slot]) * 1e-9
	predict := func() {
		var p kalman.State
		require.NoError(t, tr.predictIMM(w, slot, &p, dt))
	}
	var want, got, zero kalman.State
	predict()
	_, err = tr.updateIMM(w, s, d.Z[:2], d.R[:4], &want)
	require.NoError(t, err)
	wantIMM := w.immS.Pack(nil)
	predict()
	_, err = tr.updateIMMPDA(w, s, d.Z[:2], d.R[:4], []float64{1}, &got)
	require.NoError(t, err)
	assert.InDeltaSlice(t, want.Mean(nil), got.Mean(nil), 1e-9)
	assert.InDeltaSlice(t, want.Cov(nil), got.Cov(nil), 1e-9)
	assert.InDeltaSlice(t, wantIMM, w.immS.Pack(nil), 1e-9)

	predict()
	predicted := w.immS.Pack(nil)
	_, err = tr.updateIMMPDA(w, s, d.Z[:2], d.R[:4], []float64{0}, &zero)
	require.NoError(t, err)
	assert.Equal(t, predicted, w.immS.Pack(nil))
}
