package correlate

import (
	"github.com/trackcorr/trackcorr/kalman"
)

// MeasurementKind says what a sensor measures.
type MeasurementKind uint8

const (
	// Position2D measures z = (x, y) in metres in the tracking frame.
	Position2D MeasurementKind = iota + 1
	// Position3D measures z = (x, y, z) in metres in the tracking frame (needs
	// Config.Axes = 3).
	Position3D
)

// String names the kind.
func (k MeasurementKind) String() string {
	switch k {
	case Position2D:
		return "position2d"
	case Position3D:
		return "position3d"
	}
	return "unknown"
}

// Dim returns the measurement dimension of the kind, 0 for an unknown kind.
func (k MeasurementKind) Dim() int {
	switch k {
	case Position2D:
		return 2
	case Position3D:
		return 3
	}
	return 0
}

// Sensor registers a source of scans.
type Sensor struct {
	// ID identifies the sensor in Scan.Sensor. IDs must be distinct.
	ID uint32
	// Kind is the measurement model of the sensor's detections.
	Kind MeasurementKind
	// Pd is the sensor's detection probability in (0, 1); zero means Config.Pd.
	Pd float64
	// ClutterDensity is the sensor's false-alarm density per m^m (per m² for Position2D);
	// zero means Config.ClutterDensity.
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
	// Detections are the IDs of the detections associated with the track in this tick.
	Detections []uint64
	// Score is the track's log-likelihood ratio (target versus clutter), dimensionless.
	Score float64
	// Hits is the number of detections associated with the track over its life.
	Hits int
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
