package spatial

import "math"

// Axes selects the axis convention of a local Cartesian frame.
type Axes uint8

const (
	// ENU is east, north, up: x east, y north, z along the ellipsoid normal, upward.
	ENU Axes = iota
	// NED is north, east, down: x north, y east, z along the ellipsoid normal,
	// downward.
	NED
)

// String returns "ENU" or "NED".
func (a Axes) String() string {
	if a == NED {
		return "NED"
	}
	return "ENU"
}

// Frame is a local Cartesian frame (ENU or NED) tangent to the WGS84 ellipsoid at a
// geodetic origin. It precomputes the origin's ECEF position and the rotation between
// ECEF and the local axes, so each conversion is one subtraction and one 3×3 product
// (exact to rounding: the local frame is ECEF translated and rotated, not a map
// projection). A Frame is a small immutable value, safe for concurrent use.
//
// # Tracking over long distances
//
// A local frame is Cartesian everywhere, so positions converted through it are exact
// at any distance; what degrades far from the origin is the meaning of its axes. At a
// ground distance d from the origin the local vertical is tilted by about d/R (R ≈
// 6,371 km): 9° at 1,000 km, 18° at 2,000 km, and a target flying at constant height
// sits d²/2R below the tangent plane (78 km at 1,000 km). A motion model that treats
// "up" as special (a 2-D horizontal model, a tighter vertical process noise) is
// therefore wrong far from the origin, and code that adds a sensor's own local
// measurement to its position in another frame without rotating it (a "flat-earth"
// composition) makes an error of about range × d/R: 12 km for a 75 km range at
// 1,000 km (TestTrackAcross2000km measures 14 km RMS over a 2,240 km crossing, against
// 49 m for the ECEF filter).
//
// The recommended tracking frame for a belt of sensors thousands of kilometres long is
// therefore ECEF itself, with a 3-D motion model (for example constant velocity in
// X, Y, Z) and every sensor converting into ECEF (Sensor.ConvertRangeAzEl, or the
// EKF path through Sensor.PredictRangeAzEl). The only modelling error is that a target
// following the curved Earth at constant height accelerates toward the centre at
// v²/(R+h): 0.01 m/s² at 250 m/s, 0.1 m/s² at 800 m/s, well inside a typical process
// noise. Use a Frame to present results locally (ENU about a site), or, with local
// tracking frames and handover between them, keep each frame's tracks within a few
// hundred kilometres of its origin, where the tilt is a few degrees.
type Frame struct {
	origin Geodetic
	o      ECEF
	r      Mat3 // ECEF → local: rows are the local axes expressed in ECEF
	axes   Axes
}

// NewFrame returns the local frame with the given axis convention tangent to the
// ellipsoid at origin. It returns an error when origin fails Geodetic.Check or axes is
// neither ENU nor NED.
//
// At a pole the east and north directions depend on the longitude given: east is
// (−sin λ, cos λ, 0) in ECEF for every latitude, so a polar frame is well defined and
// oriented by the supplied longitude.
func NewFrame(origin Geodetic, axes Axes) (Frame, error) {
	if err := origin.Check(); err != nil {
		return Frame{}, err
	}
	if axes != ENU && axes != NED {
		return Frame{}, geoErr("axes", float64(axes), ErrOutOfDomain)
	}
	return Frame{origin: origin, o: geodeticToECEF(origin), r: localRotation(origin.Lat, origin.Lon, axes), axes: axes}, nil
}

// localRotation returns the ECEF → local rotation at latitude lat, longitude lon.
func localRotation(lat, lon float64, axes Axes) Mat3 {
	sφ, cφ := math.Sincos(lat)
	sλ, cλ := math.Sincos(lon)
	east := [3]float64{-sλ, cλ, 0}
	north := [3]float64{-sφ * cλ, -sφ * sλ, cφ}
	up := [3]float64{cφ * cλ, cφ * sλ, sφ}
	if axes == NED {
		return Mat3{north[0], north[1], north[2], east[0], east[1], east[2], -up[0], -up[1], -up[2]}
	}
	return Mat3{east[0], east[1], east[2], north[0], north[1], north[2], up[0], up[1], up[2]}
}

// Origin returns the geodetic origin of the frame.
func (f *Frame) Origin() Geodetic { return f.origin }

// OriginECEF returns the ECEF position of the origin.
func (f *Frame) OriginECEF() ECEF { return f.o }

// Axes returns the axis convention.
func (f *Frame) Axes() Axes { return f.axes }

// Rotation returns the ECEF → local rotation R (orthonormal; its rows are the local
// axes expressed in ECEF). The local → ECEF rotation is its transpose.
func (f *Frame) Rotation() Mat3 { return f.r }

// ToLocal returns the local coordinates (metres) of the ECEF position p:
// R·(p − origin).
func (f *Frame) ToLocal(p ECEF) [3]float64 { return f.r.MulVec(p.Sub(f.o)) }

// FromLocal returns the ECEF position of the local coordinates v (metres):
// origin + Rᵀ·v.
func (f *Frame) FromLocal(v [3]float64) ECEF {
	d := f.r.MulTVec(v)
	return ECEF{f.o[0] + d[0], f.o[1] + d[1], f.o[2] + d[2]}
}

// VecToLocal rotates an ECEF displacement or velocity into the local axes, without
// translation.
func (f *Frame) VecToLocal(v [3]float64) [3]float64 { return f.r.MulVec(v) }

// VecFromLocal rotates a local displacement or velocity into ECEF axes.
func (f *Frame) VecFromLocal(v [3]float64) [3]float64 { return f.r.MulTVec(v) }

// CovToLocal returns the covariance c (m², ECEF axes) expressed in the local axes:
// R·c·Rᵀ (see RotateCov).
func (f *Frame) CovToLocal(c *Mat3) Mat3 { return RotateCov(&f.r, c) }

// CovFromLocal returns the covariance c (m², local axes) expressed in ECEF axes:
// Rᵀ·c·R.
func (f *Frame) CovFromLocal(c *Mat3) Mat3 {
	rt := f.r.T()
	return RotateCov(&rt, c)
}

// ToLocalCov converts a position and its covariance from ECEF to the local frame in
// one call. Neither is validated: check untrusted input once at ingest with
// ECEFToGeodetic or Mat3.CheckCov.
func (f *Frame) ToLocalCov(p ECEF, c *Mat3) ([3]float64, Mat3) {
	return f.ToLocal(p), RotateCov(&f.r, c)
}

// FromLocalCov converts a position and its covariance from the local frame to ECEF.
func (f *Frame) FromLocalCov(v [3]float64, c *Mat3) (ECEF, Mat3) {
	return f.FromLocal(v), f.CovFromLocal(c)
}
