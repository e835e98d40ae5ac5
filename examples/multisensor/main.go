// Command multisensor fuses rotating radars and passive bearing-only sensors placed at
// geodetic positions along a 300 km stretch of border, and tracks aircraft crossing it.
//
//	go run ./examples/multisensor
//
// The scenario comes from bench.Belt (sensors and truth on the WGS84 ellipsoid). The
// radars sweep at the same time, so their detections are sent plot by plot in time order,
// each as a partial scan (correlate.Scan.Partial: tracks it does not update are not
// missed). The tracker works in a local east-north-up frame about the middle of the
// stretch: each
// sensor's position is converted into that frame with spatial.Frame, and its north —
// which turns by the meridian convergence away from the frame's origin — becomes the
// sensor's yaw in the frame, so that its bearings are rotated correctly. Over longer belts
// track in ECEF or in several local frames (see spatial.Frame).
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"slices"

	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/spatial"
	"github.com/trackcorr/trackcorr/trackpb"
)

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "multisensor:", err)
		os.Exit(1)
	}
}

// result is what the example measured, for its test.
type result struct {
	radars, passive     int
	meanGOSPA, rmsError float64
	confirmed, targets  int
}

// localHeader rewrites the belt's geodetic sensors as sensors in the local frame f.
func localHeader(g *bench.BeltGenerator, f spatial.Frame) (*trackpb.Header, error) {
	h := g.Header("border")
	h.Frame = trackpb.FrameKind_FRAME_KIND_ENU
	for i, s := range h.GetSensors() {
		site, _ := g.Sensor(i)
		p := f.ToLocal(site.ECEF())
		// The site's north in ECEF is its body x axis at zero attitude; in the frame it is
		// turned by the meridian convergence, which the wire format carries as yaw.
		b := site.BodyToECEF()
		n := f.VecToLocal([3]float64{b[0], b[3], b[6]})
		s.Pose = &trackpb.Sensor_Local{Local: &trackpb.LocalPose{XM: p[0], YM: p[1], ZM: p[2], YawRad: math.Atan2(n[0], n[1])}}
	}
	return h, nil
}

func run(w io.Writer) (result, error) {
	var res result
	belt := bench.Belt{LengthKm: 300, Targets: 60, Scans: 40, Dt: 5, Seed: 7}
	g, err := bench.NewBeltGenerator(belt)
	if err != nil {
		return res, err
	}
	mid, _ := g.Sensor(g.Sites() / 2)
	f, err := spatial.NewFrame(mid.Position(), spatial.ENU)
	if err != nil {
		return res, err
	}
	h, err := localHeader(g, f)
	if err != nil {
		return res, err
	}
	for i := range g.Sites() {
		if _, passive := g.Sensor(i); passive {
			res.passive++
		} else {
			res.radars++
		}
	}
	conv, err := replay.NewConverter(h)
	if err != nil {
		return res, err
	}
	// Aircraft: a looser motion model than the ground-truth straight lines need, wide gates
	// for 50 m / 0.2° radars at up to 150 km, and a fast velocity prior.
	tr, err := correlate.New(correlate.Config{Sensors: conv.Sensors(), Q: 1, InitSpeedSigma: 200,
		ClutterDensity: 1e-10, NewTargetDensity: 1e-11, DeleteAfter: 30e9})
	if err != nil {
		return res, err
	}
	defer tr.Close()
	scorer, err := bench.NewScorer(bench.GOSPAConfig{C: 2000, P: 2})
	if err != nil {
		return res, err
	}
	defer scorer.Close()

	var truth *trackpb.TruthFrame
	var snap correlate.Output
	var gt, est []bench.Point
	var sum, sq float64
	var frames, pairs int
	src := &beltSource{g: g, truth: &truth}
	p, err := replay.NewPlayer(replay.PlayerConfig{}, src)
	if err != nil {
		return res, err
	}
	lastSite := uint32(g.Sites() - 1)
	var scan correlate.Scan
	var out correlate.Output
	_, err = p.Run(context.Background(), func(_ int, s *trackpb.Scan) error {
		if err := conv.Scan(&scan, s); err != nil {
			return err
		}
		// A plot covers only part of the scene: tracks it does not update are not missed
		// (they end only after Config.DeleteAfter without an update).
		scan.Partial = true
		if err := tr.Process(&scan, &out); err != nil {
			return err
		}
		if s.GetSensorId() != lastSite || len(s.GetDetections()) > 0 {
			return nil // score once per sweep, at the empty scan that closes it
		}
		// Truth in the frame: ECEF positions through the frame.
		gt = gt[:0]
		for _, o := range truth.GetObjects() {
			x := o.GetX()
			l := f.ToLocal(spatial.ECEF{x[0], x[2], x[4]})
			gt = append(gt, bench.Point{ID: o.GetId(), X: l[0], Y: l[1]})
		}
		tr.Snapshot(&snap)
		est = est[:0]
		res.confirmed = 0
		for _, t := range snap.Tracks {
			if t.Status != correlate.Confirmed && t.Status != correlate.Coasting {
				continue
			}
			dt := float64(s.GetTimeNs()-t.Time) / 1e9
			est = append(est, bench.Point{ID: int64(t.ID), X: t.State[0] + dt*t.State[1], Y: t.State[2] + dt*t.State[3]})
			res.confirmed++
		}
		gs, err := scorer.GOSPA(gt, est)
		if err != nil {
			return err
		}
		frames++
		if frames > 6 { // after the tracks have formed
			sum += gs.Distance
			sq += gs.Localisation
			pairs += gs.Assigned
		}
		if frames%10 == 0 {
			fmt.Fprintf(w, "t=%4.0f s  %3d targets in the scene, %3d confirmed tracks, GOSPA %6.0f m\n",
				float64(s.GetTimeNs())/1e9, len(gt), res.confirmed, gs.Distance)
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	res.targets = len(gt)
	res.meanGOSPA = sum / float64(frames-6)
	res.rmsError = math.Sqrt(sq / float64(max(pairs, 1)))
	fmt.Fprintf(w, "%d radars and %d passive sensors over %.0f km: %d confirmed tracks for %d targets at the end;\n",
		res.radars, res.passive, belt.LengthKm, res.confirmed, res.targets)
	fmt.Fprintf(w, "after the first minute, mean GOSPA %.0f m (c = 2 km) and RMS position error %.0f m of the matched tracks\n",
		res.meanGOSPA, res.rmsError)
	return res, nil
}

// beltSource turns the belt's sweeps into a stream of plots: the overlapping radars sweep
// at the same time, so each sweep's detections of every site are sorted by time and sent
// one plot (a one-detection scan) at a time, as a radar network reports them. It keeps
// the latest truth frame.
type beltSource struct {
	g       *bench.BeltGenerator
	truth   **trackpb.TruthFrame
	pending []*trackpb.Scan // plots of the current sweep, in time order
	end     []*trackpb.Scan // the sweep's last plot per site, for sweeps with no detection
}

func (s *beltSource) Next() (*trackpb.Scan, error) {
	for len(s.pending) == 0 {
		if err := s.sweep(); err != nil {
			return nil, err
		}
	}
	sc := s.pending[0]
	s.pending = s.pending[1:]
	return sc, nil
}

// sweep reads the next truth frame and every site's scan of the sweep that ends then.
func (s *beltSource) sweep() error {
	var scans []*trackpb.Scan
	for {
		ev, err := s.g.Next()
		if err != nil {
			if err == io.EOF && len(scans) > 0 {
				break
			}
			return err
		}
		if ev.Truth != nil {
			if len(scans) > 0 {
				return fmt.Errorf("multisensor: truth frame inside a sweep")
			}
			*s.truth = ev.Truth
			continue
		}
		scans = append(scans, ev.Scan)
		if int(ev.Scan.GetSensorId()) == s.g.Sites()-1 {
			break
		}
	}
	for _, sc := range scans {
		for _, d := range sc.GetDetections() {
			s.pending = append(s.pending, &trackpb.Scan{SensorId: sc.GetSensorId(), TimeNs: d.GetTimeNs(), Detections: []*trackpb.Detection{d}})
		}
	}
	slices.SortStableFunc(s.pending, func(a, b *trackpb.Scan) int { return cmp.Compare(a.GetTimeNs(), b.GetTimeNs()) })
	// Close the sweep with an empty scan of the last site at the sweep's end, so that the
	// scoring below runs once per sweep.
	last := scans[len(scans)-1]
	s.pending = append(s.pending, &trackpb.Scan{SensorId: last.GetSensorId(), TimeNs: last.GetTimeNs()})
	return nil
}
