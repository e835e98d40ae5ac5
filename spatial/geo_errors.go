package spatial

import (
	"errors"
	"strconv"
)

// Sentinel errors of the geodesy and sensor conversions, beside the shared ones
// (ErrNonFinite, ErrNotPositiveDefinite, ErrNotSymmetric) that they also return.
var (
	// ErrLatitude reports a latitude outside [-π/2, π/2] radians.
	ErrLatitude = errors.New("spatial: latitude out of range")
	// ErrNegativeRange reports a measured range below zero.
	ErrNegativeRange = errors.New("spatial: negative range")
	// ErrOutOfDomain reports an input outside the documented domain of a conversion:
	// a height below MinHeight, an ECEF point closer than MinRadius to the Earth's
	// centre, or a target at the sensor or straight above or below it, where azimuth
	// is undefined.
	ErrOutOfDomain = errors.New("spatial: outside the domain of the conversion")
)

// GeoError names the quantity that a geodesy or sensor conversion rejected. It wraps
// one of the sentinels, so callers test it with errors.Is.
type GeoError struct {
	Field string  // the rejected quantity, e.g. "latitude", "range variance"
	Value float64 // its value
	Err   error   // the sentinel
}

// Error implements error.
func (e *GeoError) Error() string {
	return e.Err.Error() + ": " + e.Field + " = " + strconv.FormatFloat(e.Value, 'g', -1, 64)
}

// Unwrap returns the sentinel.
func (e *GeoError) Unwrap() error { return e.Err }

func geoErr(field string, v float64, err error) error {
	return &GeoError{Field: field, Value: v, Err: err}
}

// finite reports whether x is neither NaN nor ±Inf; the comparison fails on NaN.
func finite(x float64) bool { return x-x == 0 }

// checkFinite returns an ErrNonFinite GeoError naming field when x is NaN or ±Inf.
func checkFinite(field string, x float64) error {
	if !finite(x) {
		return geoErr(field, x, ErrNonFinite)
	}
	return nil
}

// checkVar returns an error unless v is a finite, strictly positive variance.
func checkVar(field string, v float64) error {
	if !finite(v) {
		return geoErr(field, v, ErrNonFinite)
	}
	if !(v > 0) {
		return geoErr(field, v, ErrNotPositiveDefinite)
	}
	return nil
}
