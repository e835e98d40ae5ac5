package spatial

import "math"

// Attitude is the orientation of a sensor's body axes relative to the local NED frame
// at its position, as aerospace yaw, pitch and roll angles in radians, applied in that
// order (intrinsic Z-Y-X): the body → NED rotation is Rz(Yaw)·Ry(Pitch)·Rx(Roll).
//
// The body axes are x forward (boresight), y right, z down. With the zero Attitude
// the sensor looks north with a level horizon, so azimuth is the bearing clockwise
// from true north and elevation the angle above the local horizontal. Yaw is the
// heading of the boresight, clockwise from north; positive pitch raises the
// boresight; positive roll lowers the right side.
type Attitude struct {
	Yaw   float64 // heading of the boresight, radians clockwise from true north
	Pitch float64 // boresight elevation above the horizontal, radians
	Roll  float64 // rotation about the boresight, radians, right side down
}

// Sensor is a sensor at a fixed geodetic position and attitude. It converts
// sensor-local measurements into ECEF positions with covariances (the
// converted-measurement method) and predicts the measurement of an ECEF position with
// its Jacobian (the EKF path). It precomputes its ECEF position and rotations; it is a
// small immutable value, safe for concurrent use. Convert into a local Frame with
// Frame.ToLocalCov when the tracking frame is local (see Frame for the choice).
//
// Measurement conventions (body axes: x forward, y right, z down):
//
//   - range: straight-line (slant) distance in metres, ≥ 0;
//   - azimuth: radians from the body x axis toward the body y axis (clockwise seen
//     from above when level), any finite value;
//   - elevation: radians above the body x-y plane (toward −z);
//   - bearing (2-D, RangeBearing): radians clockwise from the sensor's yaw, measured
//     in the local horizontal plane; pitch and roll do not apply to 2-D measurements.
type Sensor struct {
	pos Geodetic
	o   ECEF
	att Attitude
	reb Mat3 // body → ECEF
	rel Mat3 // level-heading frame (yaw only: forward, right, down) → ECEF
}

// NewSensor returns a sensor at pos with attitude att. It returns an error when pos
// fails Geodetic.Check or an attitude angle is not finite.
func NewSensor(pos Geodetic, att Attitude) (Sensor, error) {
	if err := pos.Check(); err != nil {
		return Sensor{}, err
	}
	for _, a := range [...]struct {
		name string
		v    float64
	}{{"yaw", att.Yaw}, {"pitch", att.Pitch}, {"roll", att.Roll}} {
		if err := checkFinite(a.name, a.v); err != nil {
			return Sensor{}, err
		}
	}
	ne := localRotation(pos.Lat, pos.Lon, NED) // ECEF → NED
	ren := ne.T()                              // NED → ECEF
	sy, cy := math.Sincos(att.Yaw)
	sp, cp := math.Sincos(att.Pitch)
	sr, cr := math.Sincos(att.Roll)
	rz := Mat3{cy, -sy, 0, sy, cy, 0, 0, 0, 1}
	ry := Mat3{cp, 0, sp, 0, 1, 0, -sp, 0, cp}
	rx := Mat3{1, 0, 0, 0, cr, -sr, 0, sr, cr}
	ryx := ry.Mul(&rx)
	rnb := rz.Mul(&ryx)
	return Sensor{
		pos: pos,
		o:   geodeticToECEF(pos),
		att: att,
		reb: ren.Mul(&rnb),
		rel: ren.Mul(&rz),
	}, nil
}

// Position returns the sensor's geodetic position.
func (s *Sensor) Position() Geodetic { return s.pos }

// ECEF returns the sensor's ECEF position.
func (s *Sensor) ECEF() ECEF { return s.o }

// Attitude returns the sensor's attitude.
func (s *Sensor) Attitude() Attitude { return s.att }

// BodyToECEF returns the rotation from the sensor's body axes to ECEF axes.
func (s *Sensor) BodyToECEF() Mat3 { return s.reb }

// Conversion selects how a polar measurement is converted to Cartesian coordinates.
type Conversion uint8

const (
	// Linearised is the plain conversion (x = r·cos e·cos a, …) with the first-order
	// covariance J·R·Jᵀ, J the Jacobian of the conversion at the measured values. Lerro
	// and Bar-Shalom (IEEE Trans. AES 29(3), 1993) show it is biased and its covariance
	// inconsistent when r·σ²/σr exceeds about 0.4 (σ the angle standard deviation, σr
	// the range standard deviation): the converted point is pulled toward the sensor
	// by the factor exp(−σ²/2) per angle.
	Linearised Conversion = iota
	// Unbiased divides out that multiplicative bias: the unbiased converted
	// measurement of Mo, Song, Zhou, Sun and Bar-Shalom ("Unbiased converted
	// measurements for tracking", IEEE Trans. AES 34(3), 1998), x = r·cos e·cos a /
	// (λa·λe), y = r·cos e·sin a / (λa·λe), z = −r·sin e / λe, with λ = exp(−σ²/2) per
	// angle. Its covariance is the mean-squared error of that estimate about the
	// true position conditioned on the measurement (the form argued for by Duan, Han
	// and Li, "Comments on 'Unbiased converted measurements for tracking'", IEEE
	// Trans. AES 40(4), 2004), evaluated in closed form from the Gaussian moments
	// E[cos w] = λ, E[cos² w] = (1+λ⁴)/2 of the angle noises w. It reduces to
	// Linearised as the angle variances go to zero; use it when r·σ²/σr is large
	// (long ranges, coarse angles).
	Unbiased
)

// RangeAzEl is a 3-D polar measurement in the sensor's body axes with independent
// Gaussian errors. Variances are in m² and rad² and must be strictly positive.
type RangeAzEl struct {
	Range, Azimuth, Elevation          float64 // metres, radians, radians
	RangeVar, AzimuthVar, ElevationVar float64 // m², rad², rad²
}

// RangeBearing is a 2-D polar measurement in the sensor's local horizontal plane: a
// horizontal range and a bearing clockwise from the sensor's yaw. The target's height
// is not observed: the conversion places it in the sensor's horizontal plane (at the
// sensor's height, in the tangent plane) with the variance VerticalVar along the
// sensor's local vertical, which must be strictly positive and should cover the
// target's unknown height offset, including the tangent plane's rise above the
// ellipsoid, about d²/(2R) (785 m at 100 km).
type RangeBearing struct {
	Range, Bearing                    float64 // metres, radians
	RangeVar, BearingVar, VerticalVar float64 // m², rad², m²
}

// Bearing is a bearing-only (passive) measurement: azimuth and elevation in the
// sensor's body axes. A 2-D bearing-only sensor sets Elevation to 0 and ElevationVar
// to the spread it is willing to assume. Variances must be strictly positive.
type Bearing struct {
	Azimuth, Elevation       float64 // radians
	AzimuthVar, ElevationVar float64 // rad²
}

func (m *RangeAzEl) check() error {
	if err := checkFinite("range", m.Range); err != nil {
		return err
	}
	if !(m.Range >= 0) {
		return geoErr("range", m.Range, ErrNegativeRange)
	}
	if err := checkFinite("azimuth", m.Azimuth); err != nil {
		return err
	}
	if err := checkFinite("elevation", m.Elevation); err != nil {
		return err
	}
	if err := checkVar("range variance", m.RangeVar); err != nil {
		return err
	}
	if err := checkVar("azimuth variance", m.AzimuthVar); err != nil {
		return err
	}
	return checkVar("elevation variance", m.ElevationVar)
}

func (m *RangeBearing) check() error {
	if err := checkFinite("range", m.Range); err != nil {
		return err
	}
	if !(m.Range >= 0) {
		return geoErr("range", m.Range, ErrNegativeRange)
	}
	if err := checkFinite("bearing", m.Bearing); err != nil {
		return err
	}
	if err := checkVar("range variance", m.RangeVar); err != nil {
		return err
	}
	if err := checkVar("bearing variance", m.BearingVar); err != nil {
		return err
	}
	return checkVar("vertical variance", m.VerticalVar)
}

func (m *Bearing) check() error {
	if err := checkFinite("azimuth", m.Azimuth); err != nil {
		return err
	}
	if err := checkFinite("elevation", m.Elevation); err != nil {
		return err
	}
	if err := checkVar("azimuth variance", m.AzimuthVar); err != nil {
		return err
	}
	return checkVar("elevation variance", m.ElevationVar)
}

// polarToBody converts (r, a, e) with variances (vr, va, ve) to body coordinates (x
// forward, y right, z down) and covariance. ve = 0 with e = 0 gives the planar case
// (zero third row and column).
func polarToBody(r, a, e, vr, va, ve float64, method Conversion) ([3]float64, Mat3) {
	sa, ca := math.Sincos(a)
	se, ce := math.Sincos(e)
	if method != Unbiased {
		v := [3]float64{r * ce * ca, r * ce * sa, -r * se}
		dr := [3]float64{ce * ca, ce * sa, -se}
		da := [3]float64{-r * ce * sa, r * ce * ca, 0}
		de := [3]float64{-r * se * ca, -r * se * sa, -r * ce}
		var c Mat3
		for i := 0; i < 3; i++ {
			for j := i; j < 3; j++ {
				x := vr*dr[i]*dr[j] + va*da[i]*da[j] + ve*de[i]*de[j]
				c[3*i+j] = x
				c[3*j+i] = x
			}
		}
		return v, c
	}
	la := math.Exp(-va / 2)
	le := math.Exp(-ve / 2)
	la4 := la * la * la * la
	le4 := le * le * le * le
	// The estimate u and the conditional mean μ = E[x | measurement].
	u := [3]float64{r * ce * ca / (la * le), r * ce * sa / (la * le), -r * se / le}
	mu := [3]float64{la * le * r * ce * ca, la * le * r * ce * sa, -le * r * se}
	rho := r*r + vr
	cos2a, sin2a := ca*ca-sa*sa, 2*sa*ca
	cos2e, sin2e := ce*ce-se*se, 2*se*ce
	ca2 := (1 + cos2a*la4) / 2
	sa2 := (1 - cos2a*la4) / 2
	csa := sin2a * la4 / 2
	ce2 := (1 + cos2e*le4) / 2
	se2 := (1 - cos2e*le4) / 2
	cse := sin2e * le4 / 2
	// Conditional second moments E[x xᵀ | measurement].
	m := Mat3{
		rho * ce2 * ca2, rho * ce2 * csa, -rho * cse * la * ca,
		0, rho * ce2 * sa2, -rho * cse * la * sa,
		0, 0, rho * se2,
	}
	var c Mat3
	for i := 0; i < 3; i++ {
		for j := i; j < 3; j++ {
			x := m[3*i+j] - mu[i]*u[j] - u[i]*mu[j] + u[i]*u[j]
			c[3*i+j] = x
			c[3*j+i] = x
		}
	}
	return u, c
}

// bodyToECEF rotates a body-axes position and covariance into ECEF. It returns an
// ErrNonFinite error when the result overflowed (extreme ranges or variances).
func (s *Sensor) bodyToECEF(r *Mat3, v [3]float64, c *Mat3) (ECEF, Mat3, error) {
	d := r.MulVec(v)
	p := ECEF{s.o[0] + d[0], s.o[1] + d[1], s.o[2] + d[2]}
	cov := RotateCov(r, c)
	if !finiteVec(p) || !finiteMat(&cov) {
		return ECEF{}, Mat3{}, geoErr("converted position or covariance", p[0]+cov[0]+cov[4]+cov[8], ErrNonFinite)
	}
	return p, cov, nil
}

func finiteVec(v [3]float64) bool { return finite(v[0]) && finite(v[1]) && finite(v[2]) }

func finiteMat(m *Mat3) bool {
	var s float64
	for _, x := range m {
		s += x - x // NaN for NaN or ±Inf entries
	}
	return s == 0
}

// ConvertRangeAzEl converts a range-azimuth-elevation measurement to an ECEF position
// and its covariance (m², ECEF axes) by the chosen Conversion. It returns an error,
// wrapping ErrNonFinite, ErrNegativeRange or ErrNotPositiveDefinite and naming the
// quantity, when m is invalid. At zero range the Linearised covariance is singular
// (rank 1). It does not allocate.
func (s *Sensor) ConvertRangeAzEl(m RangeAzEl, method Conversion) (ECEF, Mat3, error) {
	if err := m.check(); err != nil {
		return ECEF{}, Mat3{}, err
	}
	v, c := polarToBody(m.Range, m.Azimuth, m.Elevation, m.RangeVar, m.AzimuthVar, m.ElevationVar, method)
	return s.bodyToECEF(&s.reb, v, &c)
}

// ConvertRangeBearing converts a 2-D range-bearing measurement to an ECEF position
// in the sensor's horizontal plane and its covariance (m², ECEF axes), with
// VerticalVar along the sensor's local vertical. Errors as for ConvertRangeAzEl.
func (s *Sensor) ConvertRangeBearing(m RangeBearing, method Conversion) (ECEF, Mat3, error) {
	if err := m.check(); err != nil {
		return ECEF{}, Mat3{}, err
	}
	v, c := polarToBody(m.Range, m.Bearing, 0, m.RangeVar, m.BearingVar, 0, method)
	c[8] += m.VerticalVar
	return s.bodyToECEF(&s.rel, v, &c)
}

// LineOfSight returns the ECEF unit vector from the sensor toward a bearing-only
// measurement, and the first-order covariance of that unit vector (rank 2: it has no
// variance along the line of sight). A bearing alone fixes no range, so it cannot be
// converted to a position: the target lies on the ray ECEF() + t·dir, t > 0. Use it
// to initialise tracks by triangulating several sensors, or filter bearings directly
// with PredictBearing in an EKF. Errors as for ConvertRangeAzEl.
func (s *Sensor) LineOfSight(m Bearing) ([3]float64, Mat3, error) {
	if err := m.check(); err != nil {
		return [3]float64{}, Mat3{}, err
	}
	v, c := polarToBody(1, m.Azimuth, m.Elevation, 0, m.AzimuthVar, m.ElevationVar, Linearised)
	cov := RotateCov(&s.reb, &c)
	if !finiteMat(&cov) {
		return [3]float64{}, Mat3{}, geoErr("line-of-sight covariance", cov[0]+cov[4]+cov[8], ErrNonFinite)
	}
	return s.reb.MulVec(v), cov, nil
}

// rel3 returns p − sensor in the axes of r (r rotates those axes into ECEF).
func (s *Sensor) rel3(r *Mat3, p ECEF) ([3]float64, error) {
	for i, name := range [3]string{"x", "y", "z"} {
		if err := checkFinite(name, p[i]); err != nil {
			return [3]float64{}, err
		}
	}
	return r.MulTVec(p.Sub(s.o)), nil
}

// PredictRangeAzEl returns the range-azimuth-elevation measurement that the sensor
// would make of the ECEF position p (range in metres, azimuth in (−π, π], elevation in
// [−π/2, π/2]) and its Jacobian H = ∂(range, azimuth, elevation)/∂(x, y, z) with
// respect to the ECEF coordinates (row i is the gradient of component i). For a
// local tracking frame multiply on the right by the local → ECEF rotation
// (Frame.Rotation transposed). Innovation azimuths must be wrapped into (−π, π] by the
// caller.
//
// It returns an ErrNonFinite error for non-finite p and an ErrOutOfDomain error when p
// is within 1 mm of the sensor's body z axis (at the sensor, or straight along its
// vertical), where azimuth and its derivative are undefined.
func (s *Sensor) PredictRangeAzEl(p ECEF) ([3]float64, Mat3, error) {
	v, err := s.rel3(&s.reb, p)
	if err != nil {
		return [3]float64{}, Mat3{}, err
	}
	rh2 := v[0]*v[0] + v[1]*v[1]
	rh := math.Sqrt(rh2)
	if !(rh > 1e-3) {
		return [3]float64{}, Mat3{}, geoErr("distance from the sensor's vertical axis", rh, ErrOutOfDomain)
	}
	r2 := rh2 + v[2]*v[2]
	if !finite(r2) {
		return [3]float64{}, Mat3{}, geoErr("squared range", r2, ErrNonFinite)
	}
	r := math.Sqrt(r2)
	z := [3]float64{r, math.Atan2(v[1], v[0]), math.Atan2(-v[2], rh)}
	jv := Mat3{
		v[0] / r, v[1] / r, v[2] / r,
		-v[1] / rh2, v[0] / rh2, 0,
		v[2] * v[0] / (rh * r2), v[2] * v[1] / (rh * r2), -rh / r2,
	}
	// H = Jv · R_be = Jv · R_ebᵀ.
	var h Mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			h[3*i+j] = jv[3*i]*s.reb[3*j] + jv[3*i+1]*s.reb[3*j+1] + jv[3*i+2]*s.reb[3*j+2]
		}
	}
	return z, h, nil
}

// PredictRangeBearing returns the 2-D measurement (horizontal range in metres,
// bearing clockwise from the sensor's yaw in (−π, π]) that the sensor would make of
// the ECEF position p, the projection of p onto its horizontal plane, and the 2×3
// Jacobian with respect to the ECEF coordinates. Errors as for PredictRangeAzEl, with
// the sensor's local vertical in place of its body z axis.
func (s *Sensor) PredictRangeBearing(p ECEF) ([2]float64, [2][3]float64, error) {
	v, err := s.rel3(&s.rel, p)
	if err != nil {
		return [2]float64{}, [2][3]float64{}, err
	}
	rh2 := v[0]*v[0] + v[1]*v[1]
	if !finite(rh2) {
		return [2]float64{}, [2][3]float64{}, geoErr("squared range", rh2, ErrNonFinite)
	}
	rh := math.Sqrt(rh2)
	if !(rh > 1e-3) {
		return [2]float64{}, [2][3]float64{}, geoErr("distance from the sensor's vertical axis", rh, ErrOutOfDomain)
	}
	j0 := [3]float64{v[0] / rh, v[1] / rh, 0}
	j1 := [3]float64{-v[1] / rh2, v[0] / rh2, 0}
	return [2]float64{rh, math.Atan2(v[1], v[0])}, [2][3]float64{s.rel.MulVec(j0), s.rel.MulVec(j1)}, nil
}

// PredictBearing returns the bearing-only measurement (azimuth, elevation) that the
// sensor would make of the ECEF position p and its 2×3 Jacobian with respect to the
// ECEF coordinates. Errors as for PredictRangeAzEl.
func (s *Sensor) PredictBearing(p ECEF) ([2]float64, [2][3]float64, error) {
	z, h, err := s.PredictRangeAzEl(p)
	if err != nil {
		return [2]float64{}, [2][3]float64{}, err
	}
	return [2]float64{z[1], z[2]}, [2][3]float64{{h[3], h[4], h[5]}, {h[6], h[7], h[8]}}, nil
}
