package t2t

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned for bad input wraps exactly one of them; test
// with errors.Is. The concrete type for a rejected report is *ReportError.
var (
	// ErrNonFinite reports a NaN or ±Inf in a report's mean or covariance, or in a
	// fusion input.
	ErrNonFinite = errors.New("t2t: non-finite value")
	// ErrNotPositiveDefinite reports a covariance that is not symmetric (to a relative
	// 1e-9) positive definite.
	ErrNotPositiveDefinite = errors.New("t2t: covariance not symmetric positive definite")
	// ErrLayout reports a report whose state layout is unknown or differs from the
	// Correlator's, or estimates of different dimensions given to a fusion function.
	ErrLayout = errors.New("t2t: unknown or mismatched state layout")
	// ErrOutOfOrder reports time going backwards: a round time before the previous
	// round's, a report time after its round's time, or a report older than the last
	// report accepted for the same source track.
	ErrOutOfOrder = errors.New("t2t: time goes backwards")
	// ErrDuplicate reports two reports of the same source track in one round.
	ErrDuplicate = errors.New("t2t: source track reported twice in one round")
	// ErrConfig reports an invalid Config.
	ErrConfig = errors.New("t2t: invalid configuration")
)

// ReportError names the report that a round rejected. It wraps one of the sentinels.
// New also returns it, with Index -1, for an invalid Config (ErrConfig).
type ReportError struct {
	Index int    // index of the report in the round's slice, or -1 for the round or Config
	Key   Key    // the report's source and source track (zero for the round or Config)
	Err   error  // the sentinel
	Msg   string // short detail, may be empty
}

// Error implements error.
func (e *ReportError) Error() string {
	s := e.Err.Error()
	if e.Index >= 0 {
		s += ": report " + strconv.Itoa(e.Index) + " (source " +
			strconv.FormatUint(uint64(e.Key.Source), 10) + ", track " +
			strconv.FormatUint(e.Key.Track, 10) + ")"
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Unwrap returns the sentinel.
func (e *ReportError) Unwrap() error { return e.Err }
