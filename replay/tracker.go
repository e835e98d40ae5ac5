package replay

import (
	"errors"
	"fmt"
	"math"

	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/kalman"
	"github.com/trackcorr/trackcorr/trackpb"
)

// ErrUnsupported means a recording holds something the tracker cannot take yet: a
// measurement kind without a tracker sensor model, or a detection of the wrong size.
var ErrUnsupported = errors.New("replay: not supported by the tracker")

// SensorKind returns the tracker's measurement kind for a wire measurement kind.
func SensorKind(k trackpb.MeasurementKind) (correlate.MeasurementKind, error) {
	switch k {
	case trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D:
		return correlate.Position2D, nil
	case trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_3D:
		return correlate.Position3D, nil
	}
	return 0, fmt.Errorf("%w: measurement kind %v", ErrUnsupported, k)
}

// Sensors returns the tracker sensors described by a recording header, with their
// detection probabilities and clutter densities.
func Sensors(h *trackpb.Header) ([]correlate.Sensor, error) {
	out := make([]correlate.Sensor, 0, len(h.GetSensors()))
	for _, s := range h.GetSensors() {
		k, err := SensorKind(s.GetMeasurement())
		if err != nil {
			return nil, fmt.Errorf("sensor %d: %w", s.GetId(), err)
		}
		out = append(out, correlate.Sensor{ID: s.GetId(), Kind: k, Pd: s.GetDetectionProbability(), ClutterDensity: s.GetFalseAlarmDensity()})
	}
	return out, nil
}

// ScanToTracker converts a wire scan into dst for Tracker.Process, reusing dst's
// detection slice. A detection's covariance may be empty when the sensor's default r
// (row-major, may be nil) applies. Values are copied as they are: the tracker validates
// them (finite, symmetric positive definite) and names the culprit.
func ScanToTracker(dst *correlate.Scan, s *trackpb.Scan, defaultR map[uint32][]float64) error {
	dst.Sensor = s.GetSensorId()
	dst.Time = s.GetTimeNs()
	dst.Detections = dst.Detections[:0]
	for _, d := range s.GetDetections() {
		z, r := d.GetZ(), d.GetR()
		if len(r) == 0 {
			r = defaultR[s.GetSensorId()]
		}
		m := len(z)
		if m == 0 || m > kalman.MaxMeas || len(r) != m*m {
			return fmt.Errorf("%w: scan of sensor %d at %d ns: detection %d has %d values and a covariance of %d",
				ErrUnsupported, s.GetSensorId(), s.GetTimeNs(), d.GetId(), m, len(r))
		}
		dst.Detections = append(dst.Detections, correlate.Detection{ID: d.GetId(), Time: d.GetTimeNs()})
		cd := &dst.Detections[len(dst.Detections)-1]
		copy(cd.Z[:], z)
		copy(cd.R[:], r)
		cd.Amplitude, cd.SNR = nan, nan
		if d.Amplitude != nil {
			cd.Amplitude = d.GetAmplitude()
		}
		if d.SnrDb != nil {
			cd.SNR = d.GetSnrDb()
		}
	}
	return nil
}

// nan marks an absent optional attribute.
var nan = math.NaN()

// DefaultCovariances returns each header sensor's default measurement covariance, for
// ScanToTracker.
func DefaultCovariances(h *trackpb.Header) map[uint32][]float64 {
	out := map[uint32][]float64{}
	for _, s := range h.GetSensors() {
		if len(s.GetR()) > 0 {
			out[s.GetId()] = s.GetR()
		}
	}
	return out
}

// TrackStatus returns the wire status of a tracker status.
func TrackStatus(s correlate.Status) trackpb.TrackStatus {
	switch s {
	case correlate.Tentative:
		return trackpb.TrackStatus_TRACK_STATUS_TENTATIVE
	case correlate.Confirmed:
		return trackpb.TrackStatus_TRACK_STATUS_CONFIRMED
	case correlate.Coasting:
		return trackpb.TrackStatus_TRACK_STATUS_COASTING
	case correlate.Deleted:
		return trackpb.TrackStatus_TRACK_STATUS_DELETED
	}
	return trackpb.TrackStatus_TRACK_STATUS_UNSPECIFIED
}

// TrackSet converts tracker tracks (an Output's, or a Snapshot's) into a wire track set
// at time ns. The motion model is named from the state dimension: 4 is 2-D and 6 is 3-D
// nearly-constant velocity. The slices are copied: the set stays valid after the Output
// is reused.
func TrackSet(tracks []correlate.Track, ns int64) *trackpb.TrackSet {
	ts := &trackpb.TrackSet{TimeNs: ns, Tracks: make([]*trackpb.Track, len(tracks))}
	msgs := make([]trackpb.Track, len(tracks))
	for i := range tracks {
		t := &tracks[i]
		m := &msgs[i]
		m.Id, m.Status, m.TimeNs, m.Score = t.ID, TrackStatus(t.Status), t.Time, t.Score
		m.X = append([]float64(nil), t.State...)
		m.P = append([]float64(nil), t.Cov...)
		m.DetectionIds = append([]uint64(nil), t.Detections...)
		switch len(t.State) {
		case 4:
			m.Motion = trackpb.MotionModel_MOTION_MODEL_CV2
		case 6:
			m.Motion = trackpb.MotionModel_MOTION_MODEL_CV3
		}
		ts.Tracks[i] = m
	}
	return ts
}

// Feed returns a Player callback that converts each scan and processes it with tr, then
// hands the Output to onOutput (which may be nil). The scan and output buffers are reused
// from call to call.
func Feed(tr *correlate.Tracker, defaultR map[uint32][]float64, onOutput func(source int, s *trackpb.Scan, out *correlate.Output) error) func(int, *trackpb.Scan) error {
	var scan correlate.Scan
	var out correlate.Output
	return func(source int, s *trackpb.Scan) error {
		if err := ScanToTracker(&scan, s, defaultR); err != nil {
			return err
		}
		if err := tr.Process(&scan, &out); err != nil {
			return err
		}
		if onOutput != nil {
			return onOutput(source, s, &out)
		}
		return nil
	}
}
