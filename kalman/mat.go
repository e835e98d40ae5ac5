package kalman

import "math"

// MaxDim is the largest state dimension a State holds (for example the 3-D
// nearly-constant-acceleration layout, or coordinated turn with vertical motion uses 7).
const MaxDim = 9

// MaxMeas is the largest measurement dimension: range, azimuth, elevation and range
// rate.
const MaxMeas = 4

// Vec is a fixed-capacity state vector. Only the first n entries are meaningful, where
// n is the dimension of the state or model it is used with; the rest are ignored.
type Vec [MaxDim]float64

// Mat is a fixed-capacity square state matrix (transition, covariance, process noise),
// row-major: m[i][j] is row i, column j. Only the leading n×n block is meaningful.
type Mat [MaxDim][MaxDim]float64

// MVec is a fixed-capacity measurement vector; only the first m entries are meaningful.
type MVec [MaxMeas]float64

// MMat is a fixed-capacity square measurement matrix (measurement noise, innovation
// covariance); only the leading m×m block is meaningful.
type MMat [MaxMeas][MaxMeas]float64

// HMat is a fixed-capacity measurement Jacobian: h[i][j] = ∂z_i/∂x_j, m rows and n
// columns meaningful.
type HMat [MaxMeas][MaxDim]float64

// symTol is the relative tolerance of the symmetry check on input covariances:
// |a_ij - a_ji| ≤ symTol·sqrt(a_ii·a_jj).
const symTol = 1e-9

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// finiteSlice reports whether all of v is finite.
func finiteSlice(v []float64) bool {
	for _, a := range v {
		if a-a != 0 { // NaN and ±Inf give NaN
			return false
		}
	}
	return true
}

// cholN writes the lower Cholesky factor of the leading n×n block of a into l and
// reports success; it fails (returns false) unless a is positive definite. Only the lower
// triangle of a is read. l must not alias a.
func cholN(l, a *Mat, n int) bool {
	for j := 0; j < n; j++ {
		d := a[j][j]
		for k := 0; k < j; k++ {
			d -= l[j][k] * l[j][k]
		}
		if !(d > 0) || math.IsInf(d, 0) {
			return false
		}
		d = math.Sqrt(d)
		l[j][j] = d
		inv := 1 / d
		for i := j + 1; i < n; i++ {
			s := a[i][j]
			for k := 0; k < j; k++ {
				s -= l[i][k] * l[j][k]
			}
			l[i][j] = s * inv
		}
		for i := 0; i < j; i++ {
			l[i][j] = 0
		}
	}
	return true
}

// cholM is cholN for a measurement-sized matrix.
func cholM(l, a *MMat, m int) bool {
	var inv MVec
	return cholInvM(l, &inv, a, m)
}

// cholInvM is cholM that also writes the reciprocals of the diagonal of l into inv.
func cholInvM(l *MMat, inv *MVec, a *MMat, m int) bool {
	for j := 0; j < m; j++ {
		lj := &l[j]
		d := a[j][j]
		for k := 0; k < j; k++ {
			d -= lj[k] * lj[k]
		}
		if !(d > 0) || d > math.MaxFloat64 {
			return false
		}
		d = math.Sqrt(d)
		lj[j] = d
		r := 1 / d
		inv[j] = r
		for i := j + 1; i < m; i++ {
			li := &l[i]
			s := a[i][j]
			for k := 0; k < j; k++ {
				s -= li[k] * lj[k]
			}
			li[j] = s * r
		}
		for i := j + 1; i < m; i++ {
			lj[i] = 0
		}
	}
	return true
}

// forwardInvM solves L u = y in place in y, with inv holding 1/L_ii.
func forwardInvM(l *MMat, inv *MVec, y *MVec, m int) {
	for i := 0; i < m; i++ {
		s := y[i]
		for k := 0; k < i; k++ {
			s -= l[i][k] * y[k]
		}
		y[i] = s * inv[i]
	}
}

// backwardInvM solves Lᵀ u = y in place in y, with inv holding 1/L_ii.
func backwardInvM(l *MMat, inv *MVec, y *MVec, m int) {
	for i := m - 1; i >= 0; i-- {
		s := y[i]
		for k := i + 1; k < m; k++ {
			s -= l[k][i] * y[k]
		}
		y[i] = s * inv[i]
	}
}

// checkCovN validates the leading n×n block of a as a covariance: finite, symmetric
// within symTol, positive definite. It symmetrises a in place (mean of the two
// triangles) and returns the Cholesky factor in l. It returns a sentinel (unwrapped).
func checkCovN(l, a *Mat, n int) error {
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if !finite(a[i][j]) {
				return ErrNonFinite
			}
		}
	}
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			if math.Abs(a[i][j]-a[j][i]) > symTol*math.Sqrt(math.Abs(a[i][i]*a[j][j])) {
				return ErrNotPositiveDefinite
			}
			v := 0.5 * (a[i][j] + a[j][i])
			a[i][j], a[j][i] = v, v
		}
	}
	if !cholN(l, a, n) {
		return ErrNotPositiveDefinite
	}
	return nil
}

// wrapAngle maps a to [-π, π] (a - 2π·round(a/2π)); exact for |a| ≤ π.
func wrapAngle(a float64) float64 {
	if a >= -math.Pi && a <= math.Pi {
		return a
	}
	return a - 2*math.Pi*math.Round(a/(2*math.Pi))
}

// WrapAngle maps an angle in radians to [-π, π]. Angles already in that range are
// returned unchanged (bit for bit); others have 2π·round(a/2π) subtracted. NaN and ±Inf
// give NaN.
func WrapAngle(a float64) float64 { return wrapAngle(a) }
