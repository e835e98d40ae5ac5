package spatial

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned for bad input wraps one of them, so callers
// test with errors.Is; the concrete type (*ItemError for gating input) names the item.
var (
	// ErrNonFinite reports a NaN or ±Inf value, or a gate box whose size overflows.
	ErrNonFinite = errors.New("spatial: non-finite value")
	// ErrNotPositiveDefinite reports a covariance that is not symmetric positive definite.
	ErrNotPositiveDefinite = errors.New("spatial: covariance not positive definite")
	// ErrNotSymmetric reports a covariance whose off-diagonal entries differ by more
	// than a relative 1e-9.
	ErrNotSymmetric = errors.New("spatial: covariance not symmetric")
	// ErrLength reports slice lengths that do not match the dimension or each other.
	ErrLength = errors.New("spatial: inconsistent slice lengths")
	// ErrConfig reports an invalid configuration.
	ErrConfig = errors.New("spatial: invalid configuration")
)

// ItemError names the track or detection whose input was rejected.
type ItemError struct {
	Set   string // "track" or "detection"
	Index int    // index of the item in its batch; -1 for the R shared by a detection batch
	Err   error  // one of the sentinels above
}

// Error implements error.
func (e *ItemError) Error() string {
	return e.Err.Error() + ": " + e.Set + " " + strconv.Itoa(e.Index)
}

// Unwrap returns the sentinel.
func (e *ItemError) Unwrap() error { return e.Err }
