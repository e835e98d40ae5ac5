package replay

import (
	"errors"
	"fmt"
	"math"

	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/kalman"
	"github.com/trackcorr/trackcorr/trackpb"
	"google.golang.org/protobuf/proto"
)

// ErrUnsupported means a recording holds something the tracker cannot take yet: a
// measurement kind without a tracker sensor model, or a detection of the wrong size.
var ErrUnsupported = errors.New("replay: not supported by the tracker")

// SensorKind returns the tracker's measurement kind for a wire measurement kind, and
// whether the tracker's sensor appends a range rate.
func SensorKind(k trackpb.MeasurementKind) (correlate.MeasurementKind, bool, error) {
	switch k {
	case trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D:
		return correlate.Position2D, false, nil
	case trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_3D:
		return correlate.Position3D, false, nil
	case trackpb.MeasurementKind_MEASUREMENT_KIND_RANGE_BEARING:
		return correlate.RangeBearing, false, nil
	case trackpb.MeasurementKind_MEASUREMENT_KIND_RANGE_BEARING_RATE:
		return correlate.RangeBearing, true, nil
	case trackpb.MeasurementKind_MEASUREMENT_KIND_RANGE_AZIMUTH_ELEVATION:
		return correlate.RangeAzEl, false, nil
	case trackpb.MeasurementKind_MEASUREMENT_KIND_RANGE_AZIMUTH_ELEVATION_RATE:
		return correlate.RangeAzEl, true, nil
	case trackpb.MeasurementKind_MEASUREMENT_KIND_BEARING:
		return correlate.Bearing, false, nil
	}
	return 0, false, fmt.Errorf("%w: measurement kind %v", ErrUnsupported, k)
}

// Converter converts a recording's scans for a tracker that works in the recording's
// local Cartesian frame (FRAME_KIND_LOCAL or ENU: x east, y north, z up). Position
// detections pass through. The wire format measures bearings and azimuths clockwise from
// north relative to the sensor's yaw; the tracker measures azimuth counter-clockwise
// from +x: a = π/2 − (β + yaw). The converter maps the angle and flips the sign of its
// covariances with the other components (the map's derivative is −1), so the
// measurement's uncertainty is unchanged. Sensors at geodetic poses (an ECEF tracking
// frame) are not supported yet.
type Converter struct {
	sensors []correlate.Sensor
	info    map[uint32]sensorInfo
}

type sensorInfo struct {
	kind     correlate.MeasurementKind
	yaw      float64
	angle    int // index of the bearing/azimuth component, or -1
	defaultR []float64
}

// NewConverter reads the sensors of a recording header.
func NewConverter(h *trackpb.Header) (*Converter, error) {
	c := &Converter{info: map[uint32]sensorInfo{}}
	for _, s := range h.GetSensors() {
		k, rate, err := SensorKind(s.GetMeasurement())
		if err != nil {
			return nil, fmt.Errorf("sensor %d: %w", s.GetId(), err)
		}
		cs := correlate.Sensor{ID: s.GetId(), Kind: k, RangeRate: rate, Pd: s.GetDetectionProbability(), ClutterDensity: s.GetFalseAlarmDensity()}
		info := sensorInfo{kind: k, angle: -1, defaultR: s.GetR()}
		switch k {
		case correlate.RangeBearing, correlate.RangeAzEl:
			info.angle = 1
		case correlate.Bearing:
			info.angle = 0
		}
		if info.angle >= 0 {
			if s.GetGeodetic() != nil {
				return nil, fmt.Errorf("sensor %d: %w: polar sensor at a geodetic pose", s.GetId(), ErrUnsupported)
			}
			p := s.GetLocal()
			cs.Position = [3]float64{p.GetXM(), p.GetYM(), p.GetZM()}
			info.yaw = p.GetYawRad()
		}
		if _, dup := c.info[cs.ID]; dup {
			return nil, fmt.Errorf("%w: sensor %d twice in the header", ErrUnsupported, cs.ID)
		}
		c.info[cs.ID] = info
		c.sensors = append(c.sensors, cs)
	}
	return c, nil
}

// Sensors returns the tracker sensors of the header, in header order.
func (c *Converter) Sensors() []correlate.Sensor { return c.sensors }

// Scan converts a wire scan into dst for Tracker.Process, reusing dst's detection slice.
// A detection with no covariance takes its sensor's default. Values are otherwise copied
// as they are: the tracker validates them (finite, symmetric positive definite) and names
// the culprit. A scan of an unknown sensor passes through for the tracker to reject.
func (c *Converter) Scan(dst *correlate.Scan, s *trackpb.Scan) error {
	info, known := c.info[s.GetSensorId()]
	dst.Sensor = s.GetSensorId()
	dst.Time = s.GetTimeNs()
	dst.Detections = dst.Detections[:0]
	for _, d := range s.GetDetections() {
		z, r := d.GetZ(), d.GetR()
		if len(r) == 0 {
			r = info.defaultR
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
		if known && info.angle >= 0 && info.angle < m {
			a := info.angle
			cd.Z[a] = math.Remainder(math.Pi/2-(z[a]+info.yaw), 2*math.Pi)
			for j := range m {
				if j != a {
					cd.R[a*m+j], cd.R[j*m+a] = -cd.R[a*m+j], -cd.R[j*m+a]
				}
			}
		}
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
// nearly-constant velocity (also for an IMM tracker, whose State is the combined
// estimate without the turn rate; its mode probabilities go into mode_probabilities).
// The slices are copied: the set stays valid after the Output
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
		if t.Existence > 0 {
			m.Existence = proto.Float64(t.Existence)
		}
		if len(t.Modes) > 0 {
			m.ModeProbabilities = append([]float64(nil), t.Modes...)
		}
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

// Feed returns a Player callback that converts each scan with c and processes it with
// tr, then hands the Output to onOutput (which may be nil). The scan and output buffers
// are reused from call to call.
func Feed(tr *correlate.Tracker, c *Converter, onOutput func(source int, s *trackpb.Scan, out *correlate.Output) error) func(int, *trackpb.Scan) error {
	var scan correlate.Scan
	var out correlate.Output
	return func(source int, s *trackpb.Scan) error {
		if err := c.Scan(&scan, s); err != nil {
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
