package correlate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
)

// Reject: a scan older than what was processed fails with ErrOutOfOrder and changes
// nothing; a scan at the same time as the latest one (another sensor) is accepted.
func TestOutOfOrderReject(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 20, Scans: 6, Sensors: 2, Seed: 4})
	tr := newTracker(t, correlate.Config{Sensors: sensors(2)})
	var out, before, after correlate.Output
	for i := 0; i < 8; i++ {
		require.NoError(t, tr.Process(&all[i], &out))
	}
	tr.Snapshot(&before)
	err := tr.Process(&all[5], &out)
	require.ErrorIs(t, err, correlate.ErrOutOfOrder)
	tr.Snapshot(&after)
	assert.Equal(t, before.Tracks, after.Tracks)
	// same time as the latest processed detection: accepted
	same := correlate.Scan{Sensor: 0, Time: all[7].Time}
	require.NoError(t, tr.Process(&same, &out))
	for i := 8; i < len(all); i++ {
		require.NoError(t, tr.Process(&all[i], &out))
	}
}

// Drop: a late scan is counted and ignored.
func TestOutOfOrderDrop(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 20, Scans: 6, Sensors: 2, Seed: 4})
	tr := newTracker(t, correlate.Config{Sensors: sensors(2), OutOfOrder: correlate.Drop})
	var out, before, after correlate.Output
	for i := 0; i < 8; i++ {
		require.NoError(t, tr.Process(&all[i], &out))
	}
	tr.Snapshot(&before)
	require.NoError(t, tr.Process(&all[3], &out))
	assert.Equal(t, 1, out.Stats.Dropped)
	assert.Zero(t, out.Stats.Scans)
	assert.Empty(t, out.Tracks)
	tr.Snapshot(&after)
	assert.Equal(t, before.Tracks, after.Tracks)
}

// Reorder: scans arriving out of order within the lag are processed in time order;
// the events and final tracks equal those of the in-order run.
func TestOutOfOrderReorder(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 50, Scans: 10, Sensors: 3, Seed: 8})
	var want []correlate.Event
	ref := newTracker(t, correlate.Config{Sensors: sensors(3)})
	var out correlate.Output
	for i := range all {
		require.NoError(t, ref.Process(&all[i], &out))
		want = append(want, out.Events...)
	}
	var wantSnap correlate.Output
	ref.Snapshot(&wantSnap)

	// swap neighbouring scans (staggered by 1/3 s) and hold them for up to 1 s
	order := make([]int, len(all))
	for i := range order {
		order[i] = i
	}
	for i := 0; i+1 < len(order); i += 2 {
		order[i], order[i+1] = order[i+1], order[i]
	}
	tr := newTracker(t, correlate.Config{Sensors: sensors(3), OutOfOrder: correlate.Reorder, MaxLag: 1e9})
	var got []correlate.Event
	maxPending := 0
	for _, i := range order {
		require.NoError(t, tr.Process(&all[i], &out))
		assert.Zero(t, out.Stats.Dropped)
		got = append(got, out.Events...)
		maxPending = max(maxPending, out.Stats.Pending)
	}
	require.NoError(t, tr.Flush(&out))
	got = append(got, out.Events...)
	assert.Zero(t, out.Stats.Pending)
	assert.Equal(t, want, got)
	var gotSnap correlate.Output
	tr.Snapshot(&gotSnap)
	assert.Equal(t, wantSnap.Tracks, gotSnap.Tracks)
	assert.Greater(t, maxPending, 0)
	assert.LessOrEqual(t, maxPending, 5)

	// a scan older than what has been released is dropped and counted
	require.NoError(t, tr.Process(&all[0], &out))
	assert.Equal(t, 1, out.Stats.Dropped)
}

// Reorder's buffer is bounded: past its capacity the oldest scan is processed.
func TestReorderCapacity(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 10, Scans: 10, Seed: 8})
	tr := newTracker(t, correlate.Config{OutOfOrder: correlate.Reorder, MaxLag: 1e12, ReorderCapacity: 3})
	var out correlate.Output
	processed := 0
	for i := range all {
		require.NoError(t, tr.Process(&all[i], &out))
		assert.LessOrEqual(t, out.Stats.Pending, 3)
		processed += out.Stats.Scans
	}
	assert.Equal(t, len(all)-3, processed)
	require.NoError(t, tr.Flush(&out))
	assert.Equal(t, 3, out.Stats.Scans)
}

// Close stops the workers; Process and Flush fail afterwards; Close is idempotent.
func TestClose(t *testing.T) {
	tr, err := correlate.New(correlate.Config{Sensors: sensors(1), Workers: 3})
	require.NoError(t, err)
	var out correlate.Output
	require.NoError(t, tr.Process(&correlate.Scan{Sensor: 0}, &out))
	require.NoError(t, tr.Close())
	require.NoError(t, tr.Close())
	assert.ErrorIs(t, tr.Process(&correlate.Scan{Sensor: 0}, &out), correlate.ErrClosed)
	assert.ErrorIs(t, tr.Flush(&out), correlate.ErrClosed)
}
