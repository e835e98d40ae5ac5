package t2t

import (
	"math"
	"strconv"
)

// Layout is the state layout shared by every report and system track of a
// Correlator. Positions are metres and velocities metres per second in one Cartesian
// frame (local ENU, or ECEF) that every source uses; converting a source's tracks into
// it is the caller's job, done once at the boundary.
type Layout uint8

const (
	// CV2 is the 2-D constant-velocity layout [x, vx, y, vy] (4 states).
	CV2 Layout = iota + 1
	// CV3 is the 3-D constant-velocity layout [x, vx, y, vy, z, vz] (6 states).
	CV3
)

// Dim returns the state dimension of the layout, or 0 for an unknown layout.
func (l Layout) Dim() int {
	switch l {
	case CV2:
		return 4
	case CV3:
		return 6
	}
	return 0
}

// Axes returns the number of position axes (2 or 3), or 0 for an unknown layout.
func (l Layout) Axes() int { return l.Dim() / 2 }

// String returns "CV2", "CV3" or "Layout(n)".
func (l Layout) String() string {
	switch l {
	case CV2:
		return "CV2"
	case CV3:
		return "CV3"
	}
	return "Layout(" + strconv.Itoa(int(l)) + ")"
}

// Key names a source track: the reporting source and its own track number.
type Key struct {
	Source uint32 // source (tracker, site, nation) ID
	Track  uint64 // the source's track ID
}

// less orders keys by source, then track.
func (k Key) less(o Key) bool {
	if k.Source != o.Source {
		return k.Source < o.Source
	}
	return k.Track < o.Track
}

// Identity holds optional identity attributes of a source track. Zero means unknown
// for every field.
type Identity struct {
	// Class is a target class code (for example air, surface, land). Two known,
	// different classes forbid a pair; two known, equal classes favour it.
	Class uint16
	// Nation is a nationality or IFF code, with the same rule as Class.
	Nation uint16
	// NotWith, when its Source is non-zero, names a source track that this one must
	// not be correlated with (a source that knows two of its or another source's tracks
	// are distinct objects). The rule is symmetric: a system track holding NotWith, or
	// holding a member whose NotWith is this track, is forbidden.
	NotWith Key
}

// Report is one source's estimate of one of its tracks at one time. X holds the mean
// in the Layout's order, P the covariance row-major Dim×Dim in its first Dim² entries
// (m², m²/s, m²/s²). P must be symmetric to a relative 1e-9 of its largest diagonal
// entry and positive definite. A Report is a plain value; a Correlator copies what it
// keeps.
type Report struct {
	Key    Key
	Time   int64 // nanoseconds, on the time line of the round times
	Layout Layout
	X      [MaxDim]float64
	P      [MaxDim * MaxDim]float64
	ID     Identity
}

// validate checks r against layout l and writes its mean and (symmetrised) covariance
// into x and p.
func (r *Report) validate(l Layout, x *vec, p *mtx) error {
	if r.Layout != l {
		return ErrLayout
	}
	n := l.Dim()
	for i := 0; i < n; i++ {
		x[i] = r.X[i]
		if math.IsNaN(x[i]) || math.IsInf(x[i], 0) {
			return ErrNonFinite
		}
		for j := 0; j < n; j++ {
			v := r.P[i*n+j]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return ErrNonFinite
			}
			p[i][j] = v
		}
	}
	return checkSym(p, n)
}

// loadReport copies the mean and covariance of a validated report into x and p,
// symmetrised exactly as validate does.
func loadReport(x *vec, p *mtx, r *Report, n int) {
	copy(x[:n], r.X[:n])
	for i := 0; i < n; i++ {
		copy(p[i][:n], r.P[i*n:i*n+n])
	}
	symmetrise(p, n)
}
