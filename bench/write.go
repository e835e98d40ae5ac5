package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

// Header returns the recording header of the generator's scenario: a local frame, one
// simulated 2-D position sensor per sensor with its R, detection probability and clutter
// density, and the scenario's parameters as metadata.
func (g *Generator) Header(name string) *trackpb.Header {
	sc := g.sc
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	h := &trackpb.Header{
		Frame: trackpb.FrameKind_FRAME_KIND_LOCAL,
		Metadata: map[string]string{
			"scenario":     name,
			"kind":         sc.Kind.String(),
			"time_base":    "scenario",
			"targets":      strconv.Itoa(sc.Targets),
			"scans":        strconv.Itoa(sc.Scans),
			"sensors":      strconv.Itoa(sc.Sensors),
			"dt_s":         f(sc.Dt),
			"q":            f(sc.Q),
			"sigma_m":      f(sc.Sigma),
			"pd":           f(sc.Pd),
			"clutter":      f(sc.ClutterPerScan),
			"side_m":       f(g.side),
			"seed":         strconv.FormatUint(sc.Seed, 10),
			"generated_by": "trackcorr bench",
		},
	}
	density := sc.ClutterPerScan / (g.side * g.side)
	for s := range sc.Sensors {
		r := g.r[s]
		h.Sensors = append(h.Sensors, &trackpb.Sensor{
			Id: uint32(s), Name: fmt.Sprintf("sensor-%d", s), Kind: trackpb.SensorKind_SENSOR_KIND_SIMULATED,
			Measurement: trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D,
			Pose:        &trackpb.Sensor_Local{Local: &trackpb.LocalPose{}},
			RateHz:      1 / sc.Dt, DetectionProbability: sc.Pd, FalseAlarmDensity: density,
			R: r[:],
		})
	}
	return h
}

// EventSource is a scenario generator: Generator and BeltGenerator.
type EventSource interface {
	// Next returns the next truth frame or scan, or io.EOF after the last.
	Next() (Event, error)
	// Header returns the recording header describing the scenario.
	Header(name string) *trackpb.Header
}

var (
	_ EventSource = (*Generator)(nil)
	_ EventSource = (*BeltGenerator)(nil)
)

// WriteRecording writes the whole scenario to w as a recording (package replay): the
// header, then truth frames and scans in time order. It returns the number of scans and
// detections written.
func WriteRecording(w io.Writer, name string, sc Scenario) (scans, detections int, err error) {
	g, err := NewGenerator(sc)
	if err != nil {
		return 0, 0, err
	}
	return WriteEvents(w, name, g)
}

// WriteEvents writes every event of src to w as a recording and returns the number of
// scans and detections written.
func WriteEvents(w io.Writer, name string, src EventSource) (scans, detections int, err error) {
	rw, err := replay.NewWriter(w, src.Header(name))
	if err != nil {
		return 0, 0, err
	}
	for {
		ev, err := src.Next()
		if err == io.EOF {
			return scans, detections, rw.Close()
		}
		if err != nil {
			return scans, detections, err
		}
		if ev.Truth != nil {
			err = rw.WriteTruth(ev.Truth)
		} else {
			err = rw.WriteScan(ev.Scan)
			scans++
			detections += len(ev.Scan.GetDetections())
		}
		if err != nil {
			return scans, detections, err
		}
	}
}

// WriteInterchange writes the whole scenario in the JSON-lines interchange format that
// other trackers read (see the shared data README): one scan per line to dets, one truth
// frame per distinct scan time to truth, and the parameters to meta. Any writer may be
// nil to skip that file.
func WriteInterchange(dets, truth, meta io.Writer, sc Scenario) error {
	g, err := NewGenerator(sc)
	if err != nil {
		return err
	}
	bw := func(w io.Writer) *bufio.Writer {
		if w == nil {
			return bufio.NewWriter(io.Discard)
		}
		return bufio.NewWriter(w)
	}
	dw, tw := bw(dets), bw(truth)
	var b []byte
	num := func(v float64) { b = strconv.AppendFloat(b, v, 'g', -1, 64) }
	for {
		ev, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		b = b[:0]
		if ev.Truth != nil {
			b = append(b, `{"t": `...)
			num(float64(ev.Truth.GetTimeNs()) / 1e9)
			b = append(b, `, "truth": [`...)
			for i, o := range ev.Truth.GetObjects() {
				if i > 0 {
					b = append(b, ", "...)
				}
				b = append(b, `{"id": `...)
				b = strconv.AppendInt(b, o.GetId(), 10)
				b = append(b, `, "x": [`...)
				for j, v := range o.GetX() {
					if j > 0 {
						b = append(b, ", "...)
					}
					num(v)
				}
				b = append(b, "]}"...)
			}
			b = append(b, "]}\n"...)
			if _, err := tw.Write(b); err != nil {
				return err
			}
			continue
		}
		s := ev.Scan
		b = append(b, `{"t": `...)
		num(float64(s.GetTimeNs()) / 1e9)
		b = append(b, `, "sensor": `...)
		b = strconv.AppendUint(b, uint64(s.GetSensorId()), 10)
		b = append(b, `, "detections": [`...)
		for i, d := range s.GetDetections() {
			if i > 0 {
				b = append(b, ", "...)
			}
			z, r := d.GetZ(), d.GetR()
			b = append(b, `{"z": [`...)
			num(z[0])
			b = append(b, ", "...)
			num(z[1])
			b = append(b, `], "R": [[`...)
			num(r[0])
			b = append(b, ", "...)
			num(r[1])
			b = append(b, "], ["...)
			num(r[2])
			b = append(b, ", "...)
			num(r[3])
			b = append(b, `]], "truth_id": `...)
			if d.TruthId != nil {
				b = strconv.AppendInt(b, d.GetTruthId(), 10)
			} else {
				b = append(b, "null"...)
			}
			b = append(b, '}')
		}
		b = append(b, "]}\n"...)
		if _, err := dw.Write(b); err != nil {
			return err
		}
	}
	if err := dw.Flush(); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if meta == nil {
		return nil
	}
	sc = g.sc
	rs := make([][][]float64, sc.Sensors)
	for s := range rs {
		r := g.r[s]
		rs[s] = [][]float64{{r[0], r[1]}, {r[2], r[3]}}
	}
	m := map[string]any{
		"targets": sc.Targets, "scans": sc.Scans, "dt": sc.Dt, "sensors": sc.Sensors,
		"simultaneous": false, "side_m": g.side, "area_m2": g.side * g.side,
		"area_per_target_m2": sc.AreaPerTarget, "speed_range": []float64{sc.MinSpeed, sc.MaxSpeed},
		"q": sc.Q, "sigma": sc.Sigma, "pd": sc.Pd, "clutter_per_scan": sc.ClutterPerScan,
		"clutter_spatial_density": sc.ClutterPerScan / (g.side * g.side), "seed": sc.Seed,
		"kind": sc.Kind.String(), "R": rs,
	}
	enc := json.NewEncoder(meta)
	enc.SetIndent("", " ")
	return enc.Encode(m)
}
