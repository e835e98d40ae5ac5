package bench

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MaxStateDim is the largest state dimension NEES accepts.
const MaxStateDim = 9

// NEES returns the normalised estimation error squared (x̂ − x)ᵀ P⁻¹ (x̂ − x) of an
// estimate x̂ with covariance P (row-major n×n) against the true state x, through a
// Cholesky factorisation of P (no inverse). It returns an error wrapping ErrMetric for
// mismatched sizes, n > MaxStateDim, non-finite values or a P that is not positive
// definite. It does not allocate.
func NEES(xhat, p, x []float64) (float64, error) {
	n := len(x)
	if n == 0 || n > MaxStateDim || len(xhat) != n || len(p) != n*n {
		return 0, fmt.Errorf("%w: NEES of a state of %d against %d with a covariance of %d", ErrMetric, len(xhat), n, len(p))
	}
	var l [MaxStateDim * MaxStateDim]float64
	for i := range n {
		for j := 0; j <= i; j++ {
			s := p[i*n+j]
			for k := range j {
				s -= l[i*n+k] * l[j*n+k]
			}
			if i == j {
				if !(s > 0) || math.IsInf(s, 0) {
					return 0, fmt.Errorf("%w: NEES: covariance not positive definite (pivot %d is %v)", ErrMetric, i, s)
				}
				l[i*n+i] = math.Sqrt(s)
			} else {
				l[i*n+j] = s / l[j*n+j]
			}
		}
	}
	// Forward substitution L u = x̂ − x; NEES = |u|².
	var u [MaxStateDim]float64
	d2 := 0.0
	for i := range n {
		s := xhat[i] - x[i]
		for k := range i {
			s -= l[i*n+k] * u[k]
		}
		u[i] = s / l[i*n+i]
		d2 += u[i] * u[i]
	}
	if math.IsNaN(d2) || math.IsInf(d2, 0) {
		return 0, fmt.Errorf("%w: NEES is not finite", ErrMetric)
	}
	return d2, nil
}

// Consistency averages NEES (or NIS) values of one dimension and tests the average
// against the chi-square distribution: for a consistent filter the sum of k values of
// dimension n is χ²(k·n).
type Consistency struct {
	// Dim is the dimension of each value (state size for NEES, measurement size for NIS).
	Dim int
	sum float64
	k   int
}

// Add accumulates one value.
func (c *Consistency) Add(v float64) { c.sum += v; c.k++ }

// Count returns the number of values added.
func (c *Consistency) Count() int { return c.k }

// Mean returns the average value (Dim for a consistent filter), or NaN with no values.
func (c *Consistency) Mean() float64 {
	if c.k == 0 {
		return math.NaN()
	}
	return c.sum / float64(c.k)
}

// Bounds returns the two-sided interval of probability 1 − alpha (e.g. 0.05) within
// which the mean of Count values lies for a consistent filter.
func (c *Consistency) Bounds(alpha float64) (lo, hi float64) {
	if c.k == 0 || c.Dim <= 0 {
		return math.NaN(), math.NaN()
	}
	chi := distuv.ChiSquared{K: float64(c.k * c.Dim)}
	return chi.Quantile(alpha/2) / float64(c.k), chi.Quantile(1-alpha/2) / float64(c.k)
}

// Pairs appends the (truth index, estimate index) pairs of the last GOSPA or OSPA
// assignment to dst.
func (s *Scorer) Pairs(dst [][2]int) [][2]int {
	for i, j := range s.m.res.RowCol {
		if j >= 0 {
			dst = append(dst, [2]int{i, int(j)})
		}
	}
	return dst
}
