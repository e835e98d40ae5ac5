package main

import (
	"fmt"
	"io"
	"math"

	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

// trackFew runs the tracker on a few simulated targets seen by one sensor with clutter and
// prints the confirmed tracks against the nearest truth. It returns the largest distance
// from a confirmed track to its nearest target and the number of confirmed tracks.
func trackFew(w io.Writer) (worst float64, confirmed int, err error) {
	g, err := bench.NewGenerator(bench.Scenario{Targets: 5, Scans: 10, AreaPerTarget: 1e6, ClutterPerScan: 3, Sigma: 5, Seed: seed})
	if err != nil {
		return 0, 0, err
	}
	conv, err := replay.NewConverter(g.Header("quickstart")) // sensors and scans for the tracker
	if err != nil {
		return 0, 0, err
	}
	tr, err := correlate.New(correlate.Config{Sensors: conv.Sensors()})
	if err != nil {
		return 0, 0, err
	}
	defer tr.Close()
	var truth *trackpb.TruthFrame
	var scan correlate.Scan
	var out correlate.Output
	for {
		ev, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, 0, err
		}
		if ev.Truth != nil {
			truth = ev.Truth
			continue
		}
		if err := conv.Scan(&scan, ev.Scan); err != nil {
			return 0, 0, err
		}
		if err := tr.Process(&scan, &out); err != nil {
			return 0, 0, err
		}
	}
	tr.Snapshot(&out)
	fmt.Fprintf(w, "\ntracking 5 targets with clutter, one sensor, 10 scans:\n%5s  %-9s  %17s  %13s  %9s\n", "track", "status", "x, y (m)", "vx, vy (m/s)", "error (m)")
	for _, t := range out.Tracks {
		if t.Status != correlate.Confirmed && t.Status != correlate.Coasting {
			continue
		}
		confirmed++
		dt := float64(truth.GetTimeNs()-t.Time) / 1e9
		x, y := t.State[0]+dt*t.State[1], t.State[2]+dt*t.State[3]
		nearest := math.Inf(1)
		for _, o := range truth.GetObjects() {
			nearest = math.Min(nearest, math.Hypot(o.GetX()[0]-x, o.GetX()[2]-y))
		}
		worst = math.Max(worst, nearest)
		fmt.Fprintf(w, "%5d  %-9s  %8.1f %8.1f  %6.1f %6.1f  %9.1f\n", t.ID, t.Status, x, y, t.State[1], t.State[3], nearest)
	}
	return worst, confirmed, nil
}
