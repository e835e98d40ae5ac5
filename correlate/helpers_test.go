package correlate_test

import (
	"errors"
	"io"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/kalman"
	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

// fromPB converts a trackpb scan (2-D positions) into dst, reusing its storage.
func fromPB(dst *correlate.Scan, s *trackpb.Scan) {
	dst.Sensor = s.GetSensorId()
	dst.Time = s.GetTimeNs()
	dst.Detections = dst.Detections[:0]
	for _, d := range s.GetDetections() {
		var c correlate.Detection
		c.ID = d.GetId()
		c.Time = d.GetTimeNs()
		copy(c.Z[:], d.GetZ())
		copy(c.R[:], d.GetR())
		dst.Detections = append(dst.Detections, c)
	}
}

func truthPoints(dst []bench.Point, f *trackpb.TruthFrame) []bench.Point {
	dst = dst[:0]
	for _, o := range f.GetObjects() {
		x := o.GetX()
		dst = append(dst, bench.Point{ID: o.GetId(), X: x[0], Y: x[2]})
	}
	return dst
}

// estimates returns the positions of the confirmed (and coasting) tracks predicted to
// time tns, as a tracker reporting at that time would (a missed track's state is its
// prediction).
func estimates(dst []bench.Point, tr *correlate.Tracker, snap *correlate.Output, tns int64) []bench.Point {
	dst = dst[:0]
	tr.Snapshot(snap)
	cv := kalman.NewCV(2, 0.1)
	for _, k := range snap.Tracks {
		if k.Status != correlate.Confirmed && k.Status != correlate.Coasting {
			continue
		}
		var x, y kalman.Vec
		copy(x[:], k.State)
		cv.Transition(&y, &x, float64(tns-k.Time)*1e-9)
		dst = append(dst, bench.Point{ID: int64(k.ID), X: y[0], Y: y[2]})
	}
	return dst
}

var verbose = false

// gospaRun is the mean GOSPA over scans, overall and after the first three scan times.
type gospaRun struct {
	mean, after3 float64
	frames       int
	final        int
	mot          bench.MOTSummary
	per          []bench.GOSPA // per frame
}

// rms is the root-mean-square position error of the assigned (truth, track) pairs
// of the frames from k on, in metres.
func (r gospaRun) rms(k int) float64 {
	var loc float64
	var n int
	for _, g := range r.per[k:] {
		loc += g.Localisation
		n += g.Assigned
	}
	return math.Sqrt(loc / float64(n))
}

// tail sums the missed and false counts over the frames from k on.
func (r gospaRun) tail(k int) (missed, false_ int) {
	for _, g := range r.per[k:] {
		missed += g.MissedCount
		false_ += g.FalseCount
	}
	return
}

// runEvents feeds a stream of truth frames and scans to tr and scores GOSPA (c = 10,
// p = 2, alpha = 2) at each scan time, after the scans of that time.
func runEvents(t testing.TB, tr *correlate.Tracker, next func() (bench.Event, error)) gospaRun {
	sc, err := bench.NewScorer(bench.GOSPAConfig{C: 10, P: 2})
	require.NoError(t, err)
	defer sc.Close()
	mot, err := bench.NewMOT(bench.MOTConfig{Threshold: 10})
	require.NoError(t, err)
	defer mot.Close()
	var (
		out, snap correlate.Output
		scan      correlate.Scan
		truth     []bench.Point
		est       []bench.Point
		haveTruth bool
		tnow      int64
		sum, sum3 float64
		n, n3     int
		per       []bench.GOSPA
	)
	score := func() {
		if !haveTruth {
			return
		}
		est = estimates(est, tr, &snap, tnow)
		g, err := sc.GOSPA(truth, est)
		require.NoError(t, err)
		require.NoError(t, mot.Add(truth, est))
		per = append(per, g)
		sum += g.Distance
		if verbose {
			t.Logf("frame %d: d %.2f loc %.1f missed %d false %d assigned %d", n, g.Distance, g.Localisation, g.MissedCount, g.FalseCount, g.Assigned)
		}
		n++
		if n > 3 {
			sum3 += g.Distance
			n3++
		}
	}
	for {
		ev, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if ev.Truth != nil {
			score()
			truth = truthPoints(truth, ev.Truth)
			tnow = ev.Truth.GetTimeNs()
			haveTruth = true
			continue
		}
		fromPB(&scan, ev.Scan)
		require.NoError(t, tr.Process(&scan, &out))
	}
	score()
	confirmed := 0
	tr.Snapshot(&snap)
	for _, k := range snap.Tracks {
		if k.Status == correlate.Confirmed || k.Status == correlate.Coasting {
			confirmed++
		}
	}
	ms, err := mot.Summary()
	require.NoError(t, err)
	return gospaRun{mean: sum / float64(n), after3: sum3 / math.Max(1, float64(n3)), frames: n, final: confirmed, mot: ms, per: per}
}

// interchangeEvents merges an interchange scenario's truth and detections files into
// events: each truth frame before the scans of its time.
func interchangeEvents(t testing.TB, dets, truth string) func() (bench.Event, error) {
	df, err := os.Open(dets)
	require.NoError(t, err)
	t.Cleanup(func() { df.Close() })
	tf, err := os.Open(truth)
	require.NoError(t, err)
	t.Cleanup(func() { tf.Close() })
	dr := replay.NewInterchangeReader(df, dets)
	trr := replay.NewInterchangeTruthReader(tf, truth)
	scan, serr := dr.Next()
	frame, ferr := trr.Next()
	return func() (bench.Event, error) {
		if serr != nil && !errors.Is(serr, io.EOF) {
			return bench.Event{}, serr
		}
		if ferr != nil && !errors.Is(ferr, io.EOF) {
			return bench.Event{}, ferr
		}
		if ferr == nil && (serr != nil || frame.GetTimeNs() <= scan.GetTimeNs()) {
			ev := bench.Event{Truth: frame}
			frame, ferr = trr.Next()
			return ev, nil
		}
		if serr == nil {
			ev := bench.Event{Scan: scan}
			scan, serr = dr.Next()
			return ev, nil
		}
		return bench.Event{}, io.EOF
	}
}

func sensors(n int) []correlate.Sensor {
	s := make([]correlate.Sensor, n)
	for i := range s {
		s[i] = correlate.Sensor{ID: uint32(i), Kind: correlate.Position2D}
	}
	return s
}

// generator returns the events of a bench scenario.
func generator(t testing.TB, sc bench.Scenario) func() (bench.Event, error) {
	g, err := bench.NewGenerator(sc)
	require.NoError(t, err)
	return g.Next
}

// onlySensor filters a stream of events to the truth frames and the scans of sensor s.
func onlySensor(next func() (bench.Event, error), s uint32) func() (bench.Event, error) {
	return func() (bench.Event, error) {
		for {
			ev, err := next()
			if err != nil || ev.Truth != nil || ev.Scan.GetSensorId() == s {
				return ev, err
			}
		}
	}
}
