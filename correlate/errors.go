package correlate

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps one of them; test with
// errors.Is. Errors about a scan are *ScanError values naming the sensor and detection.
var (
	// ErrConfig reports an invalid Config.
	ErrConfig = errors.New("correlate: invalid configuration")
	// ErrUnknownSensor reports a scan from a sensor that was not registered.
	ErrUnknownSensor = errors.New("correlate: unknown sensor")
	// ErrNonFinite reports a NaN or ±Inf in a measurement or covariance.
	ErrNonFinite = errors.New("correlate: non-finite value")
	// ErrNotPositiveDefinite reports a measurement covariance that is not symmetric
	// positive definite.
	ErrNotPositiveDefinite = errors.New("correlate: covariance not symmetric positive definite")
	// ErrDimension reports a measurement of the wrong size for its sensor (non-zero
	// entries of Z or R beyond the sensor's measurement dimension).
	ErrDimension = errors.New("correlate: measurement size does not match the sensor")
	// ErrDomain reports a polar measurement outside its domain: a range that is not
	// positive, an elevation not inside (-π/2, π/2).
	ErrDomain = errors.New("correlate: measurement outside its domain")
	// ErrDuplicate reports two detections of one scan with the same ID and time.
	ErrDuplicate = errors.New("correlate: duplicate detection")
	// ErrOutOfOrder reports a scan older than what the tracker has already processed,
	// under the Reject policy.
	ErrOutOfOrder = errors.New("correlate: out-of-order scan")
	// ErrClosed reports a call after Close.
	ErrClosed = errors.New("correlate: tracker closed")
)

// ScanError names the sensor, and where one is to blame the detection, of a rejected
// scan. It wraps one of the sentinels.
type ScanError struct {
	Sensor    uint32 // the scan's sensor
	Detection uint64 // the detection's ID (meaningful when Index ≥ 0)
	Index     int    // the detection's index in Scan.Detections, or -1
	Msg       string // detail
	Err       error  // the sentinel
}

// Error implements error.
func (e *ScanError) Error() string {
	if e.Index < 0 {
		return fmt.Sprintf("%v: sensor %d: %s", e.Err, e.Sensor, e.Msg)
	}
	return fmt.Sprintf("%v: sensor %d, detection %d (index %d): %s", e.Err, e.Sensor, e.Detection, e.Index, e.Msg)
}

// Unwrap returns the sentinel.
func (e *ScanError) Unwrap() error { return e.Err }
