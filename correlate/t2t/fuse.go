package t2t

import "math"

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
	}
	return true
}

// logDetChol returns log det A = 2 Σ log L_kk.
func logDetChol(l *mtx, n int) float64 {
	s := 0.0
	for k := 0; k < n; k++ {
		s += math.Log(l[k][k])
	}
	return 2 * s
}

// invChol writes A⁻¹ = L⁻ᵀ L⁻¹ into dst from the Cholesky factor l of A (exactly
// symmetric), and returns tr(A⁻¹) = ‖L⁻¹‖²_F.
func invChol(dst, l *mtx, n int) float64 {
	var li mtx // L⁻¹, lower triangular
	for j := 0; j < n; j++ {
		li[j][j] = 1 / l[j][j]
		for i := j + 1; i < n; i++ {
			s := 0.0
			for k := j; k < i; k++ {
				s -= l[i][k] * li[k][j]
			}
			li[i][j] = s / l[i][i]
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

// ciWeight returns the covariance-intersection weight ω ∈ [0, 1] of a (B gets 1-ω)
// that minimises obj of the fused covariance (ω Ya + (1-ω) Yb)⁻¹.
//
// Det: det(ω Ya + (1-ω) Yb) is a polynomial of degree n in ω (every entry is affine
// in ω), and its logarithm is concave (log det is concave on positive-definite
// matrices, and the argument is affine in ω). The polynomial is sampled exactly at the
// n+1 Chebyshev–Lobatto points ω_k = (1 - cos(kπ/n))/2 (one Cholesky each, values
// scaled by the larger endpoint determinant so nothing under- or overflows), and the
// maximum of its barycentric interpolant, which is the polynomial itself up to
// rounding, is found by golden-section search to |Δω| < 1e-9. Cost: n-1 Cholesky
// factorisations beyond the endpoints, whatever the conditioning.
//
// Trace: tr((ω Ya + (1-ω) Yb)⁻¹) is convex in ω (the trace of the inverse is convex
// on positive-definite matrices), so golden-section search on it is exact to the
// tolerance; each of its 46 evaluations costs a Cholesky and a triangular inverse.
//
// ldA and ldB are log det Ya and log det Yb.
func ciWeight(a, b *mtx, ldA, ldB float64, n int, obj Objective) float64 {
	if obj == Trace {
		f := func(w float64) float64 {
			var m, l, inv mtx
			blend(&m, a, b, w, n)
			if !cholesky(&l, &m, n) {
				return math.Inf(1)
			}
			return invChol(&inv, &l, n)
		}
		return goldenMin(f, 46)
	}
	// Samples of g(ω) = det(ω Ya + (1-ω) Yb) / max(det Ya, det Yb).
	var nodes, g, bw [MaxDim + 1]float64
	ref := math.Max(ldA, ldB)
	for k := 0; k <= n; k++ {
		w := (1 - math.Cos(float64(k)*math.Pi/float64(n))) / 2
		nodes[k] = w
		switch {
		case k == 0:
			g[k] = math.Exp(ldB - ref)
		case k == n:
			g[k] = math.Exp(ldA - ref)
		default:
			var m, l mtx
			blend(&m, a, b, w, n)
			if cholesky(&l, &m, n) {
				g[k] = math.Exp(logDetChol(&l, n) - ref)
			}
		}
		bw[k] = 1
		if k%2 == 1 {
			bw[k] = -1
		}
		if k == 0 || k == n {
			bw[k] /= 2
		}
	}
	p := func(w float64) float64 {
		num, den := 0.0, 0.0
		for k := 0; k <= n; k++ {
			d := w - nodes[k]
			if d == 0 {
				return -g[k]
			}
			c := bw[k] / d
			num += c * g[k]
			den += c
		}
		return -num / den
	}
	w := goldenMin(p, 46)
	// The interpolant is the polynomial only up to rounding: keep an endpoint when it
	// is at least as good.
	best, bv := w, p(w)
	if v := -g[n]; v <= bv {
		best, bv = 1, v
	}
	if v := -g[0]; v < bv {
		best = 0
	}
	return best
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
	ld    float64 // log det acc.Y
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
	ldP := logDetChol(&l, n)
	invChol(&in.Y, &l, n)
	for i := 0; i < n; i++ {
		s := 0.0
		for k := 0; k < n; k++ {
			s += in.Y[i][k] * x[k]
		}
		in.y[i] = s
	}
	if f.count == 0 {
		f.acc, f.ld, f.count = in, -ldP, 1
		return true
	}
	var next info
	if ci {
		w := ciWeight(&f.acc.Y, &in.Y, f.ld, -ldP, n, obj)
		f.w = w
		blend(&next.Y, &f.acc.Y, &in.Y, w, n)
		for i := 0; i < n; i++ {
			next.y[i] = w*f.acc.y[i] + (1-w)*in.y[i]
		}
	} else {
		blend(&next.Y, &f.acc.Y, &in.Y, 0.5, n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				next.Y[i][j] *= 2
			}
			next.y[i] = f.acc.y[i] + in.y[i]
		}
	}
	if !cholesky(&l, &next.Y, n) {
		return false
	}
	f.acc, f.ld = next, logDetChol(&l, n)
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
			m := (p[i][j] + p[j][i]) / 2
			p[i][j], p[j][i] = m, m
		}
	}
	var l mtx
	if !cholesky(&l, p, n) {
		return ErrNotPositiveDefinite
	}
	return nil
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
