package correlate

import (
	"github.com/trackcorr/trackcorr/kalman"
	"github.com/trackcorr/trackcorr/spatial"
)

// MeasurementKind says what a sensor measures.
type MeasurementKind uint8

const (
	// Position2D measures z = (x, y) in metres in the tracking frame.
	Position2D MeasurementKind = iota + 1
	// Position3D measures z = (x, y, z) in metres in the tracking frame (needs
	// Config.Axes = 3).
	Position3D
	// RangeBearing measures z = (range m, azimuth rad) in the x-y plane of the tracking
	// frame from Sensor.Position, azimuth atan2(dy, dx) (from +x, counter-clockwise), or
	// with Sensor.RangeRate (range, azimuth, range rate m/s). Gated on the converted
	// Cartesian position, updated by the extended Kalman filter on the polar model.
	RangeBearing
	// RangeAzEl measures z = (range m, azimuth rad, elevation rad) from Sensor.Position,
	// elevation atan2(dz, horizontal range), or with Sensor.RangeRate (range, azimuth,
	// elevation, range rate m/s). Needs Config.Axes = 3.
	RangeAzEl
	// Bearing measures z = (azimuth rad) only, in the x-y plane from Sensor.Position.
	// Bearing-only detections update existing tracks (gated on the predicted bearing
	// with an angular window) and never start tracks.
	Bearing
)

// String names the kind.
func (k MeasurementKind) String() string {
	switch k {
	case Position2D:
		return "position2d"
	case Position3D:
		return "position3d"
	case RangeBearing:
		return "range-bearing"
	case RangeAzEl:
		return "range-az-el"
	case Bearing:
		return "bearing"
	}
	return "unknown"
}

// Dim returns the measurement dimension of the kind without range rate, 0 for an
// unknown kind.
func (k MeasurementKind) Dim() int {
	switch k {
	case Position2D, RangeBearing:
		return 2
	case Position3D, RangeAzEl:
		return 3
	case Bearing:
		return 1
	}
	return 0
}

// gateDim is the dimension of the space the kind is gated in: the Cartesian position
// (converted for polar kinds), or the bearing.
func (k MeasurementKind) gateDim() int {
	if k == RangeBearing {
		return 2
	}
	return k.Dim()
}

// Sensor registers a source of scans.
type Sensor struct {
	// ID identifies the sensor in Scan.Sensor. IDs must be distinct.
	ID uint32
	// Kind is the measurement model of the sensor's detections.
	Kind MeasurementKind
	// Position is the sensor's position in the tracking frame, metres (x, y, z; z is
	// ignored by the 2-D kinds). Polar kinds measure relative to it; position kinds
	// ignore it.
	Position [3]float64
	// Geodetic, when set, places the sensor at a WGS84 position instead of Position: it
	// is converted once, at New, into the tracking frame, which is then the local ENU
	// frame about Config.Origin (x east, y north, z up; see spatial.Frame). Angles are
	// still measured in the tracking frame's axes (azimuth from east, counter-clockwise;
	// a compass bearing β is π/2 − β), and the tilt between the sensor's local vertical
	// and the frame's (about d/6,371 km radians at a distance d from the origin) is
	// neglected: keep geodetic sensors within a few hundred kilometres of the origin.
	Geodetic *spatial.Geodetic
	// RangeRate appends the range rate (m/s) to RangeBearing and RangeAzEl
	// measurements.
	RangeRate bool
	// Pd is the sensor's detection probability in (0, 1); zero means Config.Pd.
	Pd float64
	// ClutterDensity is the sensor's false-alarm density per unit volume of the gating
	// space: per m² for Position2D and RangeBearing (converted positions), per m³ for
	// Position3D and RangeAzEl, per radian for Bearing. Zero means Config.ClutterDensity.
	ClutterDensity float64
}

// Detection is one measurement by one sensor.
type Detection struct {
	// ID identifies the detection; IDs must be distinct within a scan. Output refers to
	// detections by ID.
	ID uint64
	// Time is when the detection was made, in nanoseconds on the caller's clock. Zero
	// means the scan's Time.
	Time int64
	// Z is the measurement; the first m = Kind.Dim() entries are used (metres).
	Z [kalman.MaxMeas]float64
	// R is the measurement noise covariance, row-major m×m in its first m·m entries
	// (square metres). It must be finite, symmetric and positive definite.
	R [kalman.MaxMeas * kalman.MaxMeas]float64
	// Amplitude and SNR (dB) are optional signal attributes; they are carried, not used
	// by the built-in stages. NaN is allowed and means absent.
	Amplitude, SNR float64
	// Class is an optional classification label (0 means none).
	Class uint32
}

// Scan is a batch of detections from one sensor.
type Scan struct {
	// Sensor is the ID of a registered Sensor.
	Sensor uint32
	// Time is the scan's reference time in nanoseconds (used for detections whose Time
	// is zero, and as the time of the scan's deletion checks when it has no detections).
	Time int64
	// Detections are read, never modified or retained.
	Detections []Detection
	// Partial marks a scan that covers only part of the scene (a sector of a sweep, a
	// single detection): the tracks it does not update are not counted as missed, and
	// only Config.DeleteAfter ends them.
	Partial bool
}

// Status is a track's life-cycle state.
type Status uint8

const (
	// Tentative tracks have been started and are not yet confirmed.
	Tentative Status = iota + 1
	// Confirmed tracks passed the confirmation test and were updated on their last scan.
	Confirmed
	// Coasting tracks are confirmed tracks that missed their last scan.
	Coasting
	// Deleted tracks have ended; their ID is not reused.
	Deleted
)

// String names the status.
func (s Status) String() string {
	switch s {
	case Tentative:
		return "tentative"
	case Confirmed:
		return "confirmed"
	case Coasting:
		return "coasting"
	case Deleted:
		return "deleted"
	}
	return "invalid"
}

// Track is one track in an Output. Its slices point into the Output's arena and are
// valid until the Output is filled again.
type Track struct {
	// ID identifies the track for its whole life; IDs are 1, 2, 3, ... in order of
	// creation.
	ID uint64
	// Status is the track's status after the tick.
	Status Status
	// Time is the time of the state, in nanoseconds: the time of the last update.
	Time int64
	// State is the posterior mean at Time, in the layout of the motion model.
	State []float64
	// Cov is the posterior covariance at Time, row-major n×n.
	Cov []float64
	// Modes are the posterior mode probabilities at Time of a track filtered by an IMM
	// (Config.Filter = IMM), in the order of Config.IMM.Modes, summing to 1; nil for CV.
	// With IMM, State and Cov are the combined (moment-matched) estimate of the modes
	// without the turn rate.
	Modes []float64
	// Detections are the IDs of the detections associated with the track in this tick
	// (under AssociateJPDA, the most probable one, when the track is more likely
	// detected than missed).
	Detections []uint64
	// Score is the track's log-likelihood ratio (target versus clutter), dimensionless.
	Score float64
	// Hits is the number of detections associated with the track over its life.
	Hits int
	// Existence is the probability that the track's target exists, under Logic
	// Existence (JIPDA); zero under the other logics.
	Existence float64
}

// Event records a change of a track's status.
type Event struct {
	// Track is the track's ID.
	Track uint64
	// Status is the new status (Tentative for a new track, Deleted for its end).
	Status Status
	// Time is the time of the change in nanoseconds.
	Time int64
}
