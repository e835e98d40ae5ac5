package spatial

import "math"

// Mat3 is a 3×3 matrix stored row-major: element (i, j) is m[3*i+j]. It holds the
// rotations between frames, 3-D covariances (m², symmetric positive definite) and
// measurement Jacobians. A fixed array, not a gonum matrix: at this size the generic
// type costs more than the arithmetic.
type Mat3 [9]float64

// At returns element (i, j).
func (m *Mat3) At(i, j int) float64 { return m[3*i+j] }

// T returns the transpose of m.
func (m *Mat3) T() Mat3 {
	return Mat3{m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]}
}

// Mul returns the product m·b.
func (m *Mat3) Mul(b *Mat3) Mat3 {
	var c Mat3
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			c[3*i+j] = m[3*i]*b[j] + m[3*i+1]*b[3+j] + m[3*i+2]*b[6+j]
		}
	}
	return c
}

// MulVec returns the product m·v.
func (m *Mat3) MulVec(v [3]float64) [3]float64 {
	return [3]float64{
		m[0]*v[0] + m[1]*v[1] + m[2]*v[2],
		m[3]*v[0] + m[4]*v[1] + m[5]*v[2],
		m[6]*v[0] + m[7]*v[1] + m[8]*v[2],
	}
}

// MulTVec returns the product mᵀ·v.
func (m *Mat3) MulTVec(v [3]float64) [3]float64 {
	return [3]float64{
		m[0]*v[0] + m[3]*v[1] + m[6]*v[2],
		m[1]*v[0] + m[4]*v[1] + m[7]*v[2],
		m[2]*v[0] + m[5]*v[1] + m[8]*v[2],
	}
}

// Trace returns the sum of the diagonal.
func (m *Mat3) Trace() float64 { return m[0] + m[4] + m[8] }

// Det returns the determinant.
func (m *Mat3) Det() float64 {
	return m[0]*(m[4]*m[8]-m[5]*m[7]) - m[1]*(m[3]*m[8]-m[5]*m[6]) + m[2]*(m[3]*m[7]-m[4]*m[6])
}

// RotateCov returns r·c·rᵀ, the covariance c expressed in the frame that r rotates
// into. Only the upper triangle is computed and mirrored, so the result is exactly
// symmetric; when c is symmetric the result equals r·c·rᵀ to rounding (a few ulps of
// the largest entry). When r is orthonormal the trace and determinant are preserved.
// r need not be orthonormal: with a Jacobian it gives the first-order propagated
// covariance J·c·Jᵀ.
func RotateCov(r, c *Mat3) Mat3 {
	// t = r·c
	var t Mat3
	for i := 0; i < 3; i++ {
		ri0, ri1, ri2 := r[3*i], r[3*i+1], r[3*i+2]
		t[3*i] = ri0*c[0] + ri1*c[3] + ri2*c[6]
		t[3*i+1] = ri0*c[1] + ri1*c[4] + ri2*c[7]
		t[3*i+2] = ri0*c[2] + ri1*c[5] + ri2*c[8]
	}
	// out = t·rᵀ, upper triangle, mirrored.
	var out Mat3
	for i := 0; i < 3; i++ {
		for j := i; j < 3; j++ {
			v := t[3*i]*r[3*j] + t[3*i+1]*r[3*j+1] + t[3*i+2]*r[3*j+2]
			out[3*i+j] = v
			out[3*j+i] = v
		}
	}
	return out
}

// CheckCov returns nil when m is a valid covariance: finite, symmetric to a relative
// 1e-9 of its largest diagonal entry, and positive definite (a Cholesky factorisation
// succeeds with every pivot above 1e-12 of the largest diagonal entry). Otherwise it
// returns a *GeoError wrapping ErrNonFinite, ErrNotSymmetric or ErrNotPositiveDefinite.
func (m *Mat3) CheckCov() error {
	for i, v := range m {
		if !finite(v) {
			return geoErr("covariance entry "+string(rune('0'+i)), v, ErrNonFinite)
		}
	}
	scale := math.Max(math.Abs(m[0]), math.Max(math.Abs(m[4]), math.Abs(m[8])))
	for _, ij := range [3][2]int{{0, 1}, {0, 2}, {1, 2}} {
		a, b := m[3*ij[0]+ij[1]], m[3*ij[1]+ij[0]]
		if !(math.Abs(a-b) <= 1e-9*scale) {
			return geoErr("covariance asymmetry", a-b, ErrNotSymmetric)
		}
	}
	// Cholesky of the upper triangle.
	eps := 1e-12 * scale
	l00 := m[0]
	if !(l00 > eps) {
		return geoErr("covariance pivot 0", l00, ErrNotPositiveDefinite)
	}
	l00 = math.Sqrt(l00)
	l10 := m[3] / l00
	l20 := m[6] / l00
	d1 := m[4] - l10*l10
	if !(d1 > eps) {
		return geoErr("covariance pivot 1", d1, ErrNotPositiveDefinite)
	}
	l11 := math.Sqrt(d1)
	l21 := (m[7] - l20*l10) / l11
	d2 := m[8] - l20*l20 - l21*l21
	if !(d2 > eps) {
		return geoErr("covariance pivot 2", d2, ErrNotPositiveDefinite)
	}
	return nil
}
