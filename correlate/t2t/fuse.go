package t2t

import (
	"math"
	"strconv"
)

// MaxDim is the largest state dimension this package handles: the 3-D
// constant-velocity layout.
const MaxDim = 6

// Estimate is a Gaussian estimate of dimension Dim (1..MaxDim): mean X and covariance
// P, row-major Dim×Dim in the first Dim² entries of P. It is a plain value; copying it
// is a deep copy.
type Estimate struct {
	Dim int
	X   [MaxDim]float64
	P   [MaxDim * MaxDim]float64
}

// Objective selects what the covariance-intersection weight minimises.
type Objective uint8

const (
	// Det minimises the determinant of the fused covariance (the volume of its
	// ellipsoid), the criterion of Julier and Uhlmann. The default.
	Det Objective = iota
	// Trace minimises the trace of the fused covariance (the mean squared error).
	Trace
)

// mtx is a fixed-capacity square matrix; only the leading n×n block is used.
type mtx [MaxDim][MaxDim]float64
type vec [MaxDim]float64

// cholesky writes the lower Cholesky factor of the symmetric a (lower triangle read)
// into l and returns false when a pivot is not positive (or NaN).
func cholesky(l, a *mtx, n int) bool {
	switch n {
	case 4:
		return cholesky4(l, a)
	case 6:
		return cholesky6(l, a)
	}
	for j := 0; j < n; j++ {
		d := a[j][j]
		for k := 0; k < j; k++ {
			d -= l[j][k] * l[j][k]
		}
		if !(d > 0 && d <= math.MaxFloat64) {
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
	}
	return true
}

// invChol writes A⁻¹ = L⁻ᵀ L⁻¹ into dst from the Cholesky factor l of A (exactly
// symmetric), and returns tr(A⁻¹) = ‖L⁻¹‖²_F.
func invChol(dst, l *mtx, n int) float64 {
	switch n {
	case 4:
		return invChol4(dst, l)
	case 6:
		return invChol6(dst, l)
	}
	var li mtx // L⁻¹, lower triangular
	var rd vec // reciprocals of the diagonal: n divisions instead of n(n+1)/2
	for j := 0; j < n; j++ {
		rd[j] = 1 / l[j][j]
	}
	for j := 0; j < n; j++ {
		li[j][j] = rd[j]
		for i := j + 1; i < n; i++ {
			s := 0.0
			for k := j; k < i; k++ {
				s -= l[i][k] * li[k][j]
			}
			li[i][j] = s * rd[i]
		}
	}
	tr := 0.0
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			s := 0.0
			for k := i; k < n; k++ { // (L⁻ᵀ L⁻¹)_ij = Σ_k L⁻¹_ki L⁻¹_kj, k ≥ max(i, j) = i
				s += li[k][i] * li[k][j]
			}
			dst[i][j] = s
			dst[j][i] = s
		}
		tr += dst[i][i]
	}
	return tr
}

// solveChol writes A⁻¹ b into dst from the Cholesky factor l of A.
func solveChol(dst *vec, l *mtx, b *vec, n int) {
	var y vec
	for i := 0; i < n; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= l[i][k] * y[k]
		}
		y[i] = s / l[i][i]
	}
	for i := n - 1; i >= 0; i-- {
		s := y[i]
		for k := i + 1; k < n; k++ {
			s -= l[k][i] * dst[k]
		}
		dst[i] = s / l[i][i]
	}
}

// info is an estimate in information form: Y = P⁻¹, y = P⁻¹ x.
type info struct {
	Y mtx
	y vec
}

// toInfo converts (x, P) to information form. It returns false when P is not
// positive definite.
func toInfo(dst *info, x *vec, p *mtx, n int) bool {
	var l mtx
	if !cholesky(&l, p, n) {
		return false
	}
	invChol(&dst.Y, &l, n)
	for i := 0; i < n; i++ {
		s := 0.0
		for k := 0; k < n; k++ {
			s += dst.Y[i][k] * x[k]
		}
		dst.y[i] = s
	}
	return true
}

// fromInfo converts an information pair back to (x, P). It returns false when Y is
// not positive definite.
func fromInfo(x *vec, p *mtx, src *info, n int) bool {
	var l mtx
	if !cholesky(&l, &src.Y, n) {
		return false
	}
	invChol(p, &l, n)
	solveChol(x, &l, &src.y, n)
	return true
}

// blend writes ω A + (1-ω) B into dst (lower triangle and diagonal; symmetric).
func blend(dst, a, b *mtx, w float64, n int) {
	u := 1 - w
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			v := w*a[i][j] + u*b[i][j]
			dst[i][j] = v
			dst[j][i] = v
		}
	}
}

// Chebyshev–Lobatto nodes on [0, 1] for each degree d ≤ MaxDim, and the inverse of
// the Vandermonde matrix at them (monomial coefficients = vinv · samples).
var (
	chebNodes [MaxDim + 1][MaxDim + 1]float64
	vinv      [MaxDim + 1][MaxDim + 1][MaxDim + 1]float64
)

func init() {
	for d := 1; d <= MaxDim; d++ {
		var a [MaxDim + 1][2 * (MaxDim + 1)]float64 // [V | I], Gauss–Jordan
		for k := 0; k <= d; k++ {
			w := (1 - math.Cos(float64(k)*math.Pi/float64(d))) / 2
			chebNodes[d][k] = w
			v := 1.0
			for i := 0; i <= d; i++ {
				a[k][i] = v
				v *= w
			}
			a[k][d+1+k] = 1
		}
		for c := 0; c <= d; c++ {
			piv := c
			for r := c + 1; r <= d; r++ {
				if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
					piv = r
				}
			}
			a[c], a[piv] = a[piv], a[c]
			f := 1 / a[c][c]
			for j := range a[c] {
				a[c][j] *= f
			}
			for r := 0; r <= d; r++ {
				if r != c && a[r][c] != 0 {
					g := a[r][c]
					for j := range a[r] {
						a[r][j] -= g * a[c][j]
					}
				}
			}
		}
		for i := 0; i <= d; i++ {
			for k := 0; k <= d; k++ {
				vinv[d][i][k] = a[i][d+1+k]
			}
		}
	}
}

// detLDL returns det A for the symmetric A (lower triangle read) from its LDLᵀ
// factorisation, which needs no square roots, and whether every pivot is positive (A
// positive definite). Cheaper than cholesky when only the determinant or the
// definiteness is wanted.
func detLDL(a *mtx, n int) (float64, bool) {
	return detBlendLDL(a, a, 1, n)
}

// detBlendLDL is detLDL of ω A + (1-ω) B, formed entry by entry as the factorisation
// reads it. The unit lower factor is kept packed by rows (at most 15 entries).
func detBlendLDL(a, b *mtx, w float64, n int) (float64, bool) {
	switch n {
	case 4:
		return detBlendLDL4(a, b, w)
	case 6:
		return detBlendLDL6(a, b, w)
	}
	var l [MaxDim * (MaxDim - 1) / 2]float64
	var d vec
	u := 1 - w
	det := 1.0
	for j := 0; j < n; j++ {
		rj := j * (j - 1) / 2 // row j of the packed factor
		dj := w*a[j][j] + u*b[j][j]
		for k := 0; k < j; k++ {
			dj -= l[rj+k] * l[rj+k] * d[k]
		}
		if !(dj > 0 && dj <= math.MaxFloat64) {
			return 0, false
		}
		d[j] = dj
		det *= dj
		inv := 1 / dj
		for i := j + 1; i < n; i++ {
			ri := i * (i - 1) / 2
			s := w*a[i][j] + u*b[i][j]
			for k := 0; k < j; k++ {
				s -= l[ri+k] * l[rj+k] * d[k]
			}
			l[ri+j] = s * inv
		}
	}
	return det, true
}

// detBlendLDL4 is detBlendLDL unrolled for 4×4 (the CV2 layout): the same
// operations in the same order, without loops, packing or bounds checks.
func detBlendLDL4(a, b *mtx, w float64) (float64, bool) {
	u := 1 - w
	ok := func(d float64) bool { return d > 0 && d <= math.MaxFloat64 }
	d0 := w*a[0][0] + u*b[0][0]
	if !ok(d0) {
		return 0, false
	}
	i0 := 1 / d0
	l10 := (w*a[1][0] + u*b[1][0]) * i0
	l20 := (w*a[2][0] + u*b[2][0]) * i0
	l30 := (w*a[3][0] + u*b[3][0]) * i0
	d1 := w*a[1][1] + u*b[1][1] - l10*l10*d0
	if !ok(d1) {
		return 0, false
	}
	i1 := 1 / d1
	l21 := (w*a[2][1] + u*b[2][1] - l20*l10*d0) * i1
	l31 := (w*a[3][1] + u*b[3][1] - l30*l10*d0) * i1
	d2 := w*a[2][2] + u*b[2][2] - l20*l20*d0 - l21*l21*d1
	if !ok(d2) {
		return 0, false
	}
	l32 := (w*a[3][2] + u*b[3][2] - l30*l20*d0 - l31*l21*d1) / d2
	d3 := w*a[3][3] + u*b[3][3] - l30*l30*d0 - l31*l31*d1 - l32*l32*d2
	if !ok(d3) {
		return 0, false
	}
	return d0 * d1 * d2 * d3, true
}

// detBlendLDL6 is detBlendLDL unrolled for 6×6 (the CV3 layout), generated from
// the general loop: the same operations in the same order.
func detBlendLDL6(a, b *mtx, w float64) (float64, bool) {
	u := 1 - w
	ok := func(d float64) bool { return d > 0 && d <= math.MaxFloat64 }
	d0 := w*a[0][0] + u*b[0][0]
	if !ok(d0) {
		return 0, false
	}
	i0 := 1 / d0
	l10 := (w*a[1][0] + u*b[1][0]) * i0
	l20 := (w*a[2][0] + u*b[2][0]) * i0
	l30 := (w*a[3][0] + u*b[3][0]) * i0
	l40 := (w*a[4][0] + u*b[4][0]) * i0
	l50 := (w*a[5][0] + u*b[5][0]) * i0
	d1 := w*a[1][1] + u*b[1][1] - l10*l10*d0
	if !ok(d1) {
		return 0, false
	}
	i1 := 1 / d1
	l21 := (w*a[2][1] + u*b[2][1] - l20*l10*d0) * i1
	l31 := (w*a[3][1] + u*b[3][1] - l30*l10*d0) * i1
	l41 := (w*a[4][1] + u*b[4][1] - l40*l10*d0) * i1
	l51 := (w*a[5][1] + u*b[5][1] - l50*l10*d0) * i1
	d2 := w*a[2][2] + u*b[2][2] - l20*l20*d0 - l21*l21*d1
	if !ok(d2) {
		return 0, false
	}
	i2 := 1 / d2
	l32 := (w*a[3][2] + u*b[3][2] - l30*l20*d0 - l31*l21*d1) * i2
	l42 := (w*a[4][2] + u*b[4][2] - l40*l20*d0 - l41*l21*d1) * i2
	l52 := (w*a[5][2] + u*b[5][2] - l50*l20*d0 - l51*l21*d1) * i2
	d3 := w*a[3][3] + u*b[3][3] - l30*l30*d0 - l31*l31*d1 - l32*l32*d2
	if !ok(d3) {
		return 0, false
	}
	i3 := 1 / d3
	l43 := (w*a[4][3] + u*b[4][3] - l40*l30*d0 - l41*l31*d1 - l42*l32*d2) * i3
	l53 := (w*a[5][3] + u*b[5][3] - l50*l30*d0 - l51*l31*d1 - l52*l32*d2) * i3
	d4 := w*a[4][4] + u*b[4][4] - l40*l40*d0 - l41*l41*d1 - l42*l42*d2 - l43*l43*d3
	if !ok(d4) {
		return 0, false
	}
	i4 := 1 / d4
	l54 := (w*a[5][4] + u*b[5][4] - l50*l40*d0 - l51*l41*d1 - l52*l42*d2 - l53*l43*d3) * i4
	d5 := w*a[5][5] + u*b[5][5] - l50*l50*d0 - l51*l51*d1 - l52*l52*d2 - l53*l53*d3 - l54*l54*d4
	if !ok(d5) {
		return 0, false
	}
	return d0 * d1 * d2 * d3 * d4 * d5, true
}

// cholesky4 is cholesky unrolled for 4×4, generated from the general loop.
func cholesky4(l, a *mtx) bool {
	ok := func(d float64) bool { return d > 0 && d <= math.MaxFloat64 }
	d0 := a[0][0]
	if !ok(d0) {
		return false
	}
	l00 := math.Sqrt(d0)
	i0 := 1 / l00
	l10 := (a[1][0]) * i0
	l20 := (a[2][0]) * i0
	l30 := (a[3][0]) * i0
	d1 := a[1][1] - l10*l10
	if !ok(d1) {
		return false
	}
	l11 := math.Sqrt(d1)
	i1 := 1 / l11
	l21 := (a[2][1] - l20*l10) * i1
	l31 := (a[3][1] - l30*l10) * i1
	d2 := a[2][2] - l20*l20 - l21*l21
	if !ok(d2) {
		return false
	}
	l22 := math.Sqrt(d2)
	i2 := 1 / l22
	l32 := (a[3][2] - l30*l20 - l31*l21) * i2
	d3 := a[3][3] - l30*l30 - l31*l31 - l32*l32
	if !ok(d3) {
		return false
	}
	l33 := math.Sqrt(d3)
	l[0][0], l[0][1], l[0][2], l[0][3] = l00, 0, 0, 0
	l[1][0], l[1][1], l[1][2], l[1][3] = l10, l11, 0, 0
	l[2][0], l[2][1], l[2][2], l[2][3] = l20, l21, l22, 0
	l[3][0], l[3][1], l[3][2], l[3][3] = l30, l31, l32, l33
	return true
}

// cholesky6 is cholesky unrolled for 6×6, generated from the general loop.
func cholesky6(l, a *mtx) bool {
	ok := func(d float64) bool { return d > 0 && d <= math.MaxFloat64 }
	d0 := a[0][0]
	if !ok(d0) {
		return false
	}
	l00 := math.Sqrt(d0)
	i0 := 1 / l00
	l10 := (a[1][0]) * i0
	l20 := (a[2][0]) * i0
	l30 := (a[3][0]) * i0
	l40 := (a[4][0]) * i0
	l50 := (a[5][0]) * i0
	d1 := a[1][1] - l10*l10
	if !ok(d1) {
		return false
	}
	l11 := math.Sqrt(d1)
	i1 := 1 / l11
	l21 := (a[2][1] - l20*l10) * i1
	l31 := (a[3][1] - l30*l10) * i1
	l41 := (a[4][1] - l40*l10) * i1
	l51 := (a[5][1] - l50*l10) * i1
	d2 := a[2][2] - l20*l20 - l21*l21
	if !ok(d2) {
		return false
	}
	l22 := math.Sqrt(d2)
	i2 := 1 / l22
	l32 := (a[3][2] - l30*l20 - l31*l21) * i2
	l42 := (a[4][2] - l40*l20 - l41*l21) * i2
	l52 := (a[5][2] - l50*l20 - l51*l21) * i2
	d3 := a[3][3] - l30*l30 - l31*l31 - l32*l32
	if !ok(d3) {
		return false
	}
	l33 := math.Sqrt(d3)
	i3 := 1 / l33
	l43 := (a[4][3] - l40*l30 - l41*l31 - l42*l32) * i3
	l53 := (a[5][3] - l50*l30 - l51*l31 - l52*l32) * i3
	d4 := a[4][4] - l40*l40 - l41*l41 - l42*l42 - l43*l43
	if !ok(d4) {
		return false
	}
	l44 := math.Sqrt(d4)
	i4 := 1 / l44
	l54 := (a[5][4] - l50*l40 - l51*l41 - l52*l42 - l53*l43) * i4
	d5 := a[5][5] - l50*l50 - l51*l51 - l52*l52 - l53*l53 - l54*l54
	if !ok(d5) {
		return false
	}
	l55 := math.Sqrt(d5)
	l[0] = vec{l00, 0, 0, 0, 0, 0}
	l[1] = vec{l10, l11, 0, 0, 0, 0}
	l[2] = vec{l20, l21, l22, 0, 0, 0}
	l[3] = vec{l30, l31, l32, l33, 0, 0}
	l[4] = vec{l40, l41, l42, l43, l44, 0}
	l[5] = vec{l50, l51, l52, l53, l54, l55}
	return true
}

// invChol4 is invChol unrolled for 4×4, generated from the general loop.
func invChol4(dst, l *mtx) float64 {
	r0 := 1 / l[0][0]
	r1 := 1 / l[1][1]
	r2 := 1 / l[2][2]
	r3 := 1 / l[3][3]
	m00 := r0
	m10 := -(l[1][0] * m00) * r1
	m20 := -(l[2][0]*m00 + l[2][1]*m10) * r2
	m30 := -(l[3][0]*m00 + l[3][1]*m10 + l[3][2]*m20) * r3
	m11 := r1
	m21 := -(l[2][1] * m11) * r2
	m31 := -(l[3][1]*m11 + l[3][2]*m21) * r3
	m22 := r2
	m32 := -(l[3][2] * m22) * r3
	m33 := r3
	dst[0][0] = m00*m00 + m10*m10 + m20*m20 + m30*m30
	dst[1][0] = m11*m10 + m21*m20 + m31*m30
	dst[0][1] = dst[1][0]
	dst[1][1] = m11*m11 + m21*m21 + m31*m31
	dst[2][0] = m22*m20 + m32*m30
	dst[0][2] = dst[2][0]
	dst[2][1] = m22*m21 + m32*m31
	dst[1][2] = dst[2][1]
	dst[2][2] = m22*m22 + m32*m32
	dst[3][0] = m33 * m30
	dst[0][3] = dst[3][0]
	dst[3][1] = m33 * m31
	dst[1][3] = dst[3][1]
	dst[3][2] = m33 * m32
	dst[2][3] = dst[3][2]
	dst[3][3] = m33 * m33
	return dst[0][0] + dst[1][1] + dst[2][2] + dst[3][3]
}

// invChol6 is invChol unrolled for 6×6, generated from the general loop.
func invChol6(dst, l *mtx) float64 {
	r0 := 1 / l[0][0]
	r1 := 1 / l[1][1]
	r2 := 1 / l[2][2]
	r3 := 1 / l[3][3]
	r4 := 1 / l[4][4]
	r5 := 1 / l[5][5]
	m00 := r0
	m10 := -(l[1][0] * m00) * r1
	m20 := -(l[2][0]*m00 + l[2][1]*m10) * r2
	m30 := -(l[3][0]*m00 + l[3][1]*m10 + l[3][2]*m20) * r3
	m40 := -(l[4][0]*m00 + l[4][1]*m10 + l[4][2]*m20 + l[4][3]*m30) * r4
	m50 := -(l[5][0]*m00 + l[5][1]*m10 + l[5][2]*m20 + l[5][3]*m30 + l[5][4]*m40) * r5
	m11 := r1
	m21 := -(l[2][1] * m11) * r2
	m31 := -(l[3][1]*m11 + l[3][2]*m21) * r3
	m41 := -(l[4][1]*m11 + l[4][2]*m21 + l[4][3]*m31) * r4
	m51 := -(l[5][1]*m11 + l[5][2]*m21 + l[5][3]*m31 + l[5][4]*m41) * r5
	m22 := r2
	m32 := -(l[3][2] * m22) * r3
	m42 := -(l[4][2]*m22 + l[4][3]*m32) * r4
	m52 := -(l[5][2]*m22 + l[5][3]*m32 + l[5][4]*m42) * r5
	m33 := r3
	m43 := -(l[4][3] * m33) * r4
	m53 := -(l[5][3]*m33 + l[5][4]*m43) * r5
	m44 := r4
	m54 := -(l[5][4] * m44) * r5
	m55 := r5
	dst[0][0] = m00*m00 + m10*m10 + m20*m20 + m30*m30 + m40*m40 + m50*m50
	dst[1][0] = m11*m10 + m21*m20 + m31*m30 + m41*m40 + m51*m50
	dst[0][1] = dst[1][0]
	dst[1][1] = m11*m11 + m21*m21 + m31*m31 + m41*m41 + m51*m51
	dst[2][0] = m22*m20 + m32*m30 + m42*m40 + m52*m50
	dst[0][2] = dst[2][0]
	dst[2][1] = m22*m21 + m32*m31 + m42*m41 + m52*m51
	dst[1][2] = dst[2][1]
	dst[2][2] = m22*m22 + m32*m32 + m42*m42 + m52*m52
	dst[3][0] = m33*m30 + m43*m40 + m53*m50
	dst[0][3] = dst[3][0]
	dst[3][1] = m33*m31 + m43*m41 + m53*m51
	dst[1][3] = dst[3][1]
	dst[3][2] = m33*m32 + m43*m42 + m53*m52
	dst[2][3] = dst[3][2]
	dst[3][3] = m33*m33 + m43*m43 + m53*m53
	dst[4][0] = m44*m40 + m54*m50
	dst[0][4] = dst[4][0]
	dst[4][1] = m44*m41 + m54*m51
	dst[1][4] = dst[4][1]
	dst[4][2] = m44*m42 + m54*m52
	dst[2][4] = dst[4][2]
	dst[4][3] = m44*m43 + m54*m53
	dst[3][4] = dst[4][3]
	dst[4][4] = m44*m44 + m54*m54
	dst[5][0] = m55 * m50
	dst[0][5] = dst[5][0]
	dst[5][1] = m55 * m51
	dst[1][5] = dst[5][1]
	dst[5][2] = m55 * m52
	dst[2][5] = dst[5][2]
	dst[5][3] = m55 * m53
	dst[3][5] = dst[5][3]
	dst[5][4] = m55 * m54
	dst[4][5] = dst[5][4]
	dst[5][5] = m55 * m55
	return dst[0][0] + dst[1][1] + dst[2][2] + dst[3][3] + dst[4][4] + dst[5][5]
}

// detChol returns det A = Π L_kk² from the Cholesky factor of A.
func detChol(l *mtx, n int) float64 {
	d := 1.0
	for k := 0; k < n; k++ {
		d *= l[k][k]
	}
	return d * d
}

// ciWeight returns the covariance-intersection weight ω ∈ [0, 1] of a (B gets 1-ω)
// that minimises obj of the fused covariance (ω Ya + (1-ω) Yb)⁻¹. detA and detB are
// det Ya and det Yb.
//
// Det: p(ω) = det(ω Ya + (1-ω) Yb) is a polynomial of degree n in ω (every entry is
// affine in ω), and its logarithm is concave (log det is concave on positive-definite
// matrices, and the argument is affine in ω), so p' has at most one zero in [0, 1],
// where p is largest. p is sampled exactly at the n+1 Chebyshev–Lobatto points
// (n-1 Cholesky factorisations beyond the known endpoints; samples divided by the
// larger endpoint), converted to monomial coefficients through a precomputed inverse
// Vandermonde matrix, and the zero of p' is found by Newton's method safeguarded by
// bisection to |Δω| < 1e-12. An endpoint is returned when p' does not change sign.
//
// Trace: tr((ω Ya + (1-ω) Yb)⁻¹) is convex in ω (the trace of the inverse is convex
// on positive-definite matrices), so golden-section search on it is exact to the
// tolerance; each of its 46 evaluations costs a Cholesky and a triangular inverse.
//
// It also returns det(ω Ya + (1-ω) Yb) for Det (from the polynomial), or 0 for Trace.
func ciWeight(a, b *mtx, detA, detB float64, n int, obj Objective) (float64, float64) {
	if obj == Trace {
		f := func(w float64) float64 {
			var m, l, inv mtx
			blend(&m, a, b, w, n)
			if !cholesky(&l, &m, n) {
				return math.Inf(1)
			}
			return invChol(&inv, &l, n)
		}
		return goldenMin(f, 46), 0
	}
	ref := math.Max(detA, detB)
	if !(ref > 0) || math.IsInf(ref, 0) || !(math.Min(detA, detB) > 0) {
		// Determinants beyond float64 range (eigenvalues beyond about 1e±50 in 6-D):
		// any ω gives a consistent result; take the middle.
		return 0.5, 0
	}
	var g [MaxDim + 1]float64
	g[0], g[n] = detB/ref, detA/ref
	for k := 1; k < n; k++ {
		if det, ok := detBlendLDL(a, b, chebNodes[n][k], n); ok {
			g[k] = det / ref
		}
	}
	var co [MaxDim + 1]float64 // p(ω) = Σ co[i] ωⁱ
	for i := 0; i <= n; i++ {
		s := 0.0
		for k := 0; k <= n; k++ {
			s += vinv[n][i][k] * g[k]
		}
		co[i] = s
	}
	d1 := func(w float64) (d, dd float64) { // p'(ω), p''(ω)
		for i := n; i >= 1; i-- {
			dd = dd*w + d
			d = d*w + float64(i)*co[i]
		}
		return d, dd
	}
	if d, _ := d1(0); !(d > 0) {
		return 0, detB
	}
	if d, _ := d1(1); !(d < 0) {
		return 1, detA
	}
	lo, hi, w := 0.0, 1.0, 0.5
	for it := 0; it < 60 && hi-lo > 1e-12; it++ {
		d, dd := d1(w)
		if d > 0 {
			lo = w
		} else {
			hi = w
		}
		next := w - d/dd
		if !(next > lo && next < hi) {
			next = (lo + hi) / 2
		}
		if math.Abs(next-w) < 1e-13 {
			w = next
			break
		}
		w = next
	}
	pw := 0.0
	for i := n; i >= 0; i-- {
		pw = pw*w + co[i]
	}
	return w, pw * ref
}

// goldenMin minimises the unimodal f on [0, 1] by golden-section search with iters
// evaluations after the first two (0.618^46 ≈ 2.5e-10).
func goldenMin(f func(float64) float64, iters int) float64 {
	const r = 0.6180339887498949
	lo, hi := 0.0, 1.0
	x1, x2 := hi-r*(hi-lo), lo+r*(hi-lo)
	f1, f2 := f(x1), f(x2)
	for i := 0; i < iters; i++ {
		if f1 <= f2 {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - r*(hi-lo)
			f1 = f(x1)
		} else {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + r*(hi-lo)
			f2 = f(x2)
		}
	}
	if f1 <= f2 {
		return x1
	}
	return x2
}

// fuser accumulates a fused estimate in information form, one estimate at a time.
type fuser struct {
	n     int
	count int
	w     float64 // weight of the accumulator in the last covariance intersection
	acc   info
	det   float64 // det acc.Y
}

// reset starts an empty fusion of dimension n.
func (f *fuser) reset(n int) { f.n, f.count = n, 0 }

// add fuses (x, P) into the accumulator: by covariance intersection (ci true, weight
// chosen by obj) or by adding information. It returns false, leaving f unchanged, when
// P is not positive definite.
func (f *fuser) add(x *vec, p *mtx, ci bool, obj Objective) bool {
	n := f.n
	var in info
	var l mtx
	if !cholesky(&l, p, n) {
		return false
	}
	detP := detChol(&l, n)
	invChol(&in.Y, &l, n)
	for i := 0; i < n; i++ {
		s := 0.0
		for k := 0; k < n; k++ {
			s += in.Y[i][k] * x[k]
		}
		in.y[i] = s
	}
	if f.count == 0 {
		f.acc, f.det, f.count = in, 1/detP, 1
		return true
	}
	var next info
	if ci {
		w, det := ciWeight(&f.acc.Y, &in.Y, f.det, 1/detP, n, obj)
		f.w = w
		blend(&next.Y, &f.acc.Y, &in.Y, w, n)
		for i := 0; i < n; i++ {
			next.y[i] = w*f.acc.y[i] + (1-w)*in.y[i]
		}
		if det > 0 { // the polynomial gave det(next.Y): no factorisation needed
			f.acc, f.det = next, det
			f.count++
			return true
		}
	} else {
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				next.Y[i][j] = f.acc.Y[i][j] + in.Y[i][j]
			}
			next.y[i] = f.acc.y[i] + in.y[i]
		}
		// Information fusion needs no determinant; positive definiteness (a sum of
		// positive-definite matrices) is checked when the result is formed.
		f.acc = next
		f.count++
		return true
	}
	// Trace objective: factorise for the determinant the next step needs.
	if !cholesky(&l, &next.Y, n) {
		return false
	}
	f.acc, f.det = next, detChol(&l, n)
	f.count++
	return true
}

// result writes the fused mean and covariance. It returns false when nothing was
// added or the accumulated information is not positive definite.
func (f *fuser) result(x *vec, p *mtx) bool {
	if f.count == 0 {
		return false
	}
	return fromInfo(x, p, &f.acc, f.n)
}

// load copies an Estimate into fixed arrays after checking it.
func load(x *vec, p *mtx, e *Estimate) error {
	n := e.Dim
	if n < 1 || n > MaxDim {
		return ErrLayout
	}
	for i := 0; i < n; i++ {
		x[i] = e.X[i]
		if math.IsNaN(x[i]) || math.IsInf(x[i], 0) {
			return ErrNonFinite
		}
		for j := 0; j < n; j++ {
			p[i][j] = e.P[i*n+j]
			if math.IsNaN(p[i][j]) || math.IsInf(p[i][j], 0) {
				return ErrNonFinite
			}
		}
	}
	return checkSym(p, n)
}

// checkSym checks symmetry to a relative 1e-9 of the largest diagonal entry,
// symmetrises p (mean of the triangles) and checks positive definiteness.
func checkSym(p *mtx, n int) error {
	scale := 0.0
	for i := 0; i < n; i++ {
		scale = math.Max(scale, math.Abs(p[i][i]))
	}
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			if math.Abs(p[i][j]-p[j][i]) > 1e-9*scale {
				return ErrNotPositiveDefinite
			}
		}
	}
	symmetrise(p, n)
	if _, ok := detLDL(p, n); !ok {
		return ErrNotPositiveDefinite
	}
	return nil
}

// symmetrise replaces both triangles of p by their mean.
func symmetrise(p *mtx, n int) {
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			m := (p[i][j] + p[j][i]) / 2
			p[i][j], p[j][i] = m, m
		}
	}
}

func store(e *Estimate, x *vec, p *mtx, n int) {
	*e = Estimate{Dim: n}
	for i := 0; i < n; i++ {
		e.X[i] = x[i]
		for j := 0; j < n; j++ {
			e.P[i*n+j] = p[i][j]
		}
	}
}

// CovarianceIntersection fuses a and b, whose errors may be correlated in an unknown
// way, by covariance intersection (S. J. Julier and J. K. Uhlmann, "A non-divergent
// estimation algorithm in the presence of unknown correlations", Proc. American
// Control Conference, 1997):
//
//	P⁻¹ = ω Pa⁻¹ + (1-ω) Pb⁻¹,   P⁻¹ x = ω Pa⁻¹ xa + (1-ω) Pb⁻¹ xb,
//
// with ω ∈ [0, 1] minimising det P (obj Det) or tr P (obj Trace); see the package
// documentation for how ω is found. For every ω and every cross-covariance of the two
// errors, P is consistent (P - E[e eᵀ] is positive semi-definite) when Pa and Pb are.
// It writes the result into dst and returns ω, or an error wrapping ErrLayout,
// ErrNonFinite or ErrNotPositiveDefinite, leaving dst unchanged. It does not allocate.
func CovarianceIntersection(dst *Estimate, a, b *Estimate, obj Objective) (float64, error) {
	if a.Dim != b.Dim {
		return 0, ErrLayout
	}
	var xa, xb vec
	var pa, pb mtx
	if err := load(&xa, &pa, a); err != nil {
		return 0, err
	}
	if err := load(&xb, &pb, b); err != nil {
		return 0, err
	}
	n := a.Dim
	var f fuser
	f.reset(n)
	f.add(&xa, &pa, true, obj)
	if !f.add(&xb, &pb, true, obj) {
		return 0, ErrNotPositiveDefinite
	}
	var x vec
	var p mtx
	if !f.result(&x, &p) {
		return 0, ErrNotPositiveDefinite
	}
	w := f.w
	store(dst, &x, &p, n)
	return w, nil
}

// InformationFusion fuses a and b as independent estimates, in information form:
// P⁻¹ = Pa⁻¹ + Pb⁻¹, P⁻¹ x = Pa⁻¹ xa + Pb⁻¹ xb. It is optimal when the errors are
// uncorrelated and overconfident when they are not (use CovarianceIntersection then).
// Errors as for CovarianceIntersection. It does not allocate.
func InformationFusion(dst *Estimate, a, b *Estimate) error {
	if a.Dim != b.Dim {
		return ErrLayout
	}
	var xa, xb vec
	var pa, pb mtx
	if err := load(&xa, &pa, a); err != nil {
		return err
	}
	if err := load(&xb, &pb, b); err != nil {
		return err
	}
	var f fuser
	f.reset(a.Dim)
	f.add(&xa, &pa, false, Det)
	if !f.add(&xb, &pb, false, Det) {
		return ErrNotPositiveDefinite
	}
	var x vec
	var p mtx
	if !f.result(&x, &p) {
		return ErrNotPositiveDefinite
	}
	store(dst, &x, &p, a.Dim)
	return nil
}

// String returns "det" or "trace".
func (o Objective) String() string {
	if o == Trace {
		return "trace"
	}
	if o == Det {
		return "det"
	}
	return "Objective(" + strconv.Itoa(int(o)) + ")"
}
