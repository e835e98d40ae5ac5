package replay

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/trackcorr/trackcorr/trackpb"
)

// sliceSource is a ScanSource over scans, failing with err after them when err is set.
type sliceSource struct {
	scans []*trackpb.Scan
	err   error
}

func (s *sliceSource) Next() (*trackpb.Scan, error) {
	if len(s.scans) == 0 {
		if s.err != nil {
			return nil, s.err
		}
		return nil, io.EOF
	}
	sc := s.scans[0]
	s.scans = s.scans[1:]
	return sc, nil
}

func scansAt(sensor uint32, times ...int64) []*trackpb.Scan {
	var out []*trackpb.Scan
	for i, t := range times {
		out = append(out, &trackpb.Scan{SensorId: sensor, TimeNs: t, Sequence: uint64(i),
			Detections: []*trackpb.Detection{{Id: uint64(sensor)*100 + uint64(i)}}})
	}
	return out
}

type delivery struct {
	source int
	sensor uint32
	t      int64
}

func play(t *testing.T, cfg PlayerConfig, sources ...ScanSource) ([]delivery, PlayStats, error) {
	t.Helper()
	p, err := NewPlayer(cfg, sources...)
	require.NoError(t, err)
	var got []delivery
	st, err := p.Run(context.Background(), func(src int, s *trackpb.Scan) error {
		got = append(got, delivery{src, s.GetSensorId(), s.GetTimeNs()})
		return nil
	})
	return got, st, err
}

func TestPlayerMergesInTimeOrder(t *testing.T) {
	got, st, err := play(t, PlayerConfig{},
		&sliceSource{scans: scansAt(1, 0, 30, 60, 90)},
		&sliceSource{scans: scansAt(2, 10, 30, 50)},
		&sliceSource{scans: scansAt(3, 30)},
	)
	require.NoError(t, err)
	assert.Equal(t, []delivery{
		{0, 1, 0}, {1, 2, 10}, {0, 1, 30}, {1, 2, 30}, {2, 3, 30}, {1, 2, 50}, {0, 1, 60}, {0, 1, 90},
	}, got, "time order, ties in source order")
	assert.Equal(t, 8, st.Scans)
	assert.Equal(t, 8, st.Detections)
	assert.Equal(t, []int{4, 3, 1}, st.PerSource)
}

// Any number of sources with random times: the output is sorted by (time, source) and
// holds every scan once.
func TestPlayerMergeProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for range 200 {
		k := 1 + rng.IntN(12)
		var sources []ScanSource
		total := 0
		for i := range k {
			var times []int64
			tm := int64(0)
			for range rng.IntN(20) {
				tm += int64(rng.IntN(5))
				times = append(times, tm)
			}
			total += len(times)
			sources = append(sources, &sliceSource{scans: scansAt(uint32(i), times...)})
		}
		got, _, err := play(t, PlayerConfig{}, sources...)
		require.NoError(t, err)
		require.Len(t, got, total)
		for j := 1; j < len(got); j++ {
			a, b := got[j-1], got[j]
			require.True(t, a.t < b.t || (a.t == b.t && a.source <= b.source), "%v then %v", a, b)
		}
	}
}

// fakeClock advances only when slept on.
type fakeClock struct {
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func TestPlayerPaced(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1000, 0)}
	src := &sliceSource{scans: scansAt(1, 5e9, 6e9, 6e9, 8e9)}
	got, st, err := play(t, PlayerConfig{Speed: 2, Clock: clock}, src)
	require.NoError(t, err)
	require.Len(t, got, 4)
	assert.Equal(t, []time.Duration{500 * time.Millisecond, time.Second}, clock.slept, "recorded gaps of 1 s and 2 s at speed 2")
	assert.Equal(t, time.Duration(0), st.Lag)

	// A consumer slower than recorded time is never slept for, and its lag is reported.
	clock = &fakeClock{now: time.Unix(1000, 0)}
	p, err := NewPlayer(PlayerConfig{Speed: 1, Clock: clock}, &sliceSource{scans: scansAt(1, 0, 1e9, 2e9)})
	require.NoError(t, err)
	st, err = p.Run(context.Background(), func(int, *trackpb.Scan) error {
		clock.now = clock.now.Add(3 * time.Second)
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, clock.slept)
	assert.Equal(t, 4*time.Second, st.Lag)
}

func TestPlayerStops(t *testing.T) {
	boom := errors.New("boom")
	got, st, err := play(t, PlayerConfig{}, &sliceSource{scans: scansAt(1, 0, 10), err: boom}, &sliceSource{scans: scansAt(2, 5)})
	require.ErrorIs(t, err, boom)
	assert.Len(t, got, 3, "every scan before the failure is delivered")
	assert.Equal(t, 3, st.Scans)

	p, err := NewPlayer(PlayerConfig{}, &sliceSource{scans: scansAt(1, 0, 10, 20)})
	require.NoError(t, err)
	n := 0
	_, err = p.Run(context.Background(), func(int, *trackpb.Scan) error {
		n++
		if n == 2 {
			return boom
		}
		return nil
	})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 2, n)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p, err = NewPlayer(PlayerConfig{}, &sliceSource{scans: scansAt(1, 0)})
	require.NoError(t, err)
	_, err = p.Run(ctx, func(int, *trackpb.Scan) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
}

func TestPlayerConfigErrors(t *testing.T) {
	src := &sliceSource{}
	for _, cfg := range []PlayerConfig{{Speed: -1}, {Speed: nan}} {
		_, err := NewPlayer(cfg, src)
		require.ErrorIs(t, err, ErrPlayer)
	}
	_, err := NewPlayer(PlayerConfig{})
	require.ErrorIs(t, err, ErrPlayer)
	_, err = NewPlayer(PlayerConfig{}, nil)
	require.ErrorIs(t, err, ErrPlayer)
}

// Two recordings, each of one sensor, play back merged, with their truth frames passed
// on to the callback.
func TestPlayerRecordings(t *testing.T) {
	write := func(sensor uint32, times ...int64) []byte {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, nil)
		require.NoError(t, err)
		for _, s := range scansAt(sensor, times...) {
			require.NoError(t, w.WriteTruth(&trackpb.TruthFrame{TimeNs: s.GetTimeNs()}))
			require.NoError(t, w.WriteScan(s))
		}
		require.NoError(t, w.Close())
		return buf.Bytes()
	}
	truths := 0
	var sources []ScanSource
	for i, rec := range [][]byte{write(1, 0, 20, 40), write(2, 10, 30)} {
		r, err := NewReader(bytes.NewReader(rec), ReaderOptions{})
		require.NoError(t, err, "recording %d", i)
		sources = append(sources, RecordingScans(r, func(rec *trackpb.Record) error {
			require.NotNil(t, rec.GetTruth())
			truths++
			return nil
		}))
	}
	got, _, err := play(t, PlayerConfig{}, sources...)
	require.NoError(t, err)
	assert.Equal(t, []delivery{{0, 1, 0}, {1, 2, 10}, {0, 1, 20}, {1, 2, 30}, {0, 1, 40}}, got)
	assert.Equal(t, 5, truths)
}
