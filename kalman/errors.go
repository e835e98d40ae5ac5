package kalman

import "errors"

// Sentinel errors. Every error returned by this package wraps exactly one of them with
// the name of the item concerned; test with errors.Is. On any error the state, the
// Predicted and every other argument are left bit-for-bit unchanged.
var (
	// ErrNonFinite reports a NaN or ±Inf in an input (time step, measurement,
	// covariance, mean) or in a result that would otherwise be committed.
	ErrNonFinite = errors.New("kalman: non-finite value")
	// ErrNotPositiveDefinite reports a covariance (initial, noise or innovation) that is
	// not symmetric positive definite (its Cholesky factorisation failed).
	ErrNotPositiveDefinite = errors.New("kalman: matrix not symmetric positive definite")
	// ErrNegativeTimeStep reports a negative prediction interval. Predicting backwards
	// is never done silently: the process noise would not be positive semi-definite.
	ErrNegativeTimeStep = errors.New("kalman: negative time step")
	// ErrDimension reports a slice whose length does not match the state or
	// measurement dimension it is used with.
	ErrDimension = errors.New("kalman: dimension mismatch")
	// ErrNonlinear reports a nonlinear model given to the linear Kalman filter KF; use
	// EKF (or UKF) for it.
	ErrNonlinear = errors.New("kalman: nonlinear model in a linear filter")
	// ErrInvalidWeight reports association weights (ApplyPDA) that are not in [0, 1] or
	// that sum to more than 1.
	ErrInvalidWeight = errors.New("kalman: invalid association weight")
)
