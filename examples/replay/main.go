// Command replay records a simulated scenario, replays the recording through trackcorr's
// tracker with the player, and scores the tracks against the recorded truth with GOSPA.
//
//	go run ./examples/replay
//
// It shows the path a test or a researcher takes with recorded data: every run of the
// tracker sees the same detections, read back from a CRC-checked recording.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
}

// result is what the example measured, for its test.
type result struct {
	scans         int
	meanGOSPA     float64
	confirmedLast int
}

func run(w io.Writer) (result, error) {
	var res result
	// 1. Record: 500 targets, two staggered sensors, 15 scans each.
	var rec bytes.Buffer
	scans, dets, err := bench.WriteRecording(&rec, "example", bench.Scenario{Targets: 500, Scans: 15, Sensors: 2, Seed: 42})
	if err != nil {
		return res, err
	}
	fmt.Fprintf(w, "recorded %d scans, %d detections, %d bytes\n", scans, dets, rec.Len())

	// 2. Replay through a tracker whose sensors come from the recording's header.
	r, err := replay.NewReader(&rec, replay.ReaderOptions{})
	if err != nil {
		return res, err
	}
	conv, err := replay.NewConverter(r.Header())
	if err != nil {
		return res, err
	}
	tr, err := correlate.New(correlate.Config{Sensors: conv.Sensors()})
	if err != nil {
		return res, err
	}
	defer tr.Close()
	scorer, err := bench.NewScorer(bench.GOSPAConfig{C: 10, P: 2})
	if err != nil {
		return res, err
	}
	defer scorer.Close()

	var truth *trackpb.TruthFrame
	var snap correlate.Output
	var total float64
	var est, gt []bench.Point
	src := replay.RecordingScans(r, func(rec *trackpb.Record) error {
		truth = rec.GetTruth() // truth frames precede the scans of their time
		return nil
	})
	p, err := replay.NewPlayer(replay.PlayerConfig{}, src)
	if err != nil {
		return res, err
	}
	_, err = p.Run(context.Background(), replay.Feed(tr, conv, func(_ int, s *trackpb.Scan, _ *correlate.Output) error {
		res.scans++
		// 3. Score the confirmed tracks against the truth at the scan's time.
		tr.Snapshot(&snap)
		est = est[:0]
		res.confirmedLast = 0
		for _, t := range snap.Tracks {
			if t.Status == correlate.Confirmed || t.Status == correlate.Coasting {
				dt := float64(s.GetTimeNs()-t.Time) / 1e9 // predict the position to the scan time
				est = append(est, bench.Point{ID: int64(t.ID), X: t.State[0] + dt*t.State[1], Y: t.State[2] + dt*t.State[3]})
				res.confirmedLast++
			}
		}
		gt = gt[:0]
		for _, o := range truth.GetObjects() {
			gt = append(gt, bench.Point{ID: o.GetId(), X: o.GetX()[0], Y: o.GetX()[2]})
		}
		g, err := scorer.GOSPA(gt, est)
		if err != nil {
			return err
		}
		total += g.Distance
		if res.scans%5 == 0 {
			fmt.Fprintf(w, "scan %2d  t=%5.2f s  confirmed %3d  GOSPA %7.2f m\n", res.scans, float64(s.GetTimeNs())/1e9, res.confirmedLast, g.Distance)
		}
		return nil
	}))
	if err != nil {
		return res, err
	}
	res.meanGOSPA = total / float64(res.scans)
	fmt.Fprintf(w, "mean GOSPA over %d scans: %.2f m; %d confirmed tracks for 500 targets at the end\n", res.scans, res.meanGOSPA, res.confirmedLast)
	return res, nil
}
