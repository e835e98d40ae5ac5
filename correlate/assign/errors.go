package assign

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned by this package wraps exactly one of them and can
// be tested with errors.Is.
var (
	// ErrNaN reports a NaN cost.
	ErrNaN = errors.New("assign: NaN cost")
	// ErrNonFinite reports an infinite cost where only finite values (or the forbidden
	// infinity of the chosen sense) are allowed.
	ErrNonFinite = errors.New("assign: non-finite cost")
	// ErrDimension reports sizes that do not agree: a cost slice of the wrong length, row
	// offsets that are not Rows+1 long, decreasing or out of range, negative sizes.
	ErrDimension = errors.New("assign: dimension mismatch")
	// ErrIndex reports a column index outside [0, Cols).
	ErrIndex = errors.New("assign: column index out of range")
	// ErrInvalidK reports a negative k for KBest.
	ErrInvalidK = errors.New("assign: invalid k")
	// ErrConfig reports an invalid Config.
	ErrConfig = errors.New("assign: invalid configuration")
	// ErrClosed reports a call on a Solver after Close.
	ErrClosed = errors.New("assign: solver closed")
)

// Error is the error type returned for bad input. It names the row, column or candidate
// (arc) concerned; fields that do not apply are -1.
type Error struct {
	Err error  // one of the sentinels above
	Row int    // row concerned, or -1
	Col int    // column concerned, or -1
	Arc int    // index into Sparse.Col/Cost, or -1
	Msg string // short detail, may be empty
}

// Error describes the bad input: the sentinel's message, then the row, column or
// candidate concerned and the detail.
func (e *Error) Error() string {
	s := e.Err.Error()
	if e.Row >= 0 {
		s += " at row " + strconv.Itoa(e.Row)
	}
	if e.Col >= 0 {
		s += " column " + strconv.Itoa(e.Col)
	}
	if e.Arc >= 0 {
		s += " (candidate " + strconv.Itoa(e.Arc) + ")"
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func newErr(err error, row, col, arc int, msg string) error {
	return &Error{Err: err, Row: row, Col: col, Arc: arc, Msg: msg}
}
