// Package spatial holds the geometry of trackcorr: the gating index that finds the
// (track, detection) pairs worth scoring, and (see the geodesy section) the frames in
// which tracks live.
//
// spatial imports nothing of trackcorr; it takes plain float64 slices.
//
// # Gating
//
// A Gater finds, for one batch of predicted tracks and one batch of detections, every
// pair whose squared Mahalanobis distance is within a chi-square gate, without comparing
// all pairs. It is documented in detail on the Gater type; the rest of this section is
// completed as the implementation lands.
//
// # Geodesy and frames
//
// Positions are WGS84: Geodetic (latitude, longitude in radians, height above the
// ellipsoid in metres), ECEF (metres) and local ENU or NED Frames about a geodetic
// origin. GeodeticToECEF is closed form; ECEFToGeodetic is Bowring's method with two
// fixed refinements, round-tripping within 1e-8 m from 1,000 km below to 10,000 km
// above the surface. Covariances are Mat3 (3×3 row-major, m²) and change frame as
// R·P·Rᵀ (RotateCov). A Sensor at a geodetic position and Attitude converts
// range-azimuth-elevation and range-bearing measurements into ECEF with covariance
// (Linearised, or the Unbiased conversion of Mo et al. 1998), gives the line of sight
// of a bearing-only measurement, and predicts measurements with their Jacobian for an
// EKF. Over a belt of sensors thousands of kilometres long, track in ECEF with a 3-D
// motion model; see Frame for the flat-earth error that this avoids. Bad input returns
// a *GeoError wrapping ErrNonFinite, ErrLatitude, ErrNegativeRange,
// ErrNotPositiveDefinite or ErrOutOfDomain; the conversions allocate nothing and cost
// 50–200 ns each (see BenchmarkECEFToGeodetic and neighbours).
package spatial
