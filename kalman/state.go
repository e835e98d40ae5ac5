package kalman

import (
	"fmt"
	"math"
)

// State is a Gaussian state estimate: a mean and a symmetric positive-definite
// covariance of dimension 1..MaxDim, stored in fixed-capacity arrays. The zero State has
// dimension 0 and is not usable by a filter; build one with NewState.
//
// A State holds no slices or pointers, so assigning it (t := s) is a deep copy; this is
// what makes updates transactional and IMM mixing cheap. The covariance can be replaced
// only through SetCov, which validates it; the filters keep it symmetric.
type State struct {
	n int
	x Vec
	p Mat
}

// NewState returns a State with mean x and row-major covariance p (len(p) == len(x)²).
// It returns an error wrapping ErrDimension if len(x) is not in 1..MaxDim or p has the
// wrong length, ErrNonFinite if any value is NaN or ±Inf, and ErrNotPositiveDefinite if p
// is not symmetric (within a relative 1e-9) and positive definite. p is symmetrised (the
// mean of its two triangles) when stored.
func NewState(x, p []float64) (State, error) {
	var s State
	n := len(x)
	if n < 1 || n > MaxDim {
		return State{}, fmt.Errorf("%w: state mean has length %d, want 1..%d", ErrDimension, n, MaxDim)
	}
	if !finiteSlice(x) {
		return State{}, fmt.Errorf("%w: state mean %v", ErrNonFinite, x)
	}
	s.n = n
	copy(s.x[:], x)
	if err := s.SetCov(p); err != nil {
		return State{}, err
	}
	return s, nil
}

// Dim returns the state dimension n.
func (s *State) Dim() int { return s.n }

// Mean appends the n entries of the mean to dst and returns the extended slice.
func (s *State) Mean(dst []float64) []float64 { return append(dst, s.x[:s.n]...) }

// Cov appends the n×n covariance, row-major, to dst and returns the extended slice.
func (s *State) Cov(dst []float64) []float64 {
	for i := 0; i < s.n; i++ {
		dst = append(dst, s.p[i][:s.n]...)
	}
	return dst
}

// MeanAt returns entry i of the mean. It panics if i is not in [0, Dim()).
func (s *State) MeanAt(i int) float64 {
	if i < 0 || i >= s.n {
		panic(fmt.Sprintf("kalman: MeanAt(%d) on a state of dimension %d", i, s.n))
	}
	return s.x[i]
}

// CovAt returns covariance entry (i, j). It panics if i or j is not in [0, Dim()).
func (s *State) CovAt(i, j int) float64 {
	if i < 0 || i >= s.n || j < 0 || j >= s.n {
		panic(fmt.Sprintf("kalman: CovAt(%d, %d) on a state of dimension %d", i, j, s.n))
	}
	return s.p[i][j]
}

// SetMean replaces the mean. It returns an error wrapping ErrDimension if len(x) is not
// Dim(), or ErrNonFinite; the state is unchanged on error.
func (s *State) SetMean(x []float64) error {
	if len(x) != s.n {
		return fmt.Errorf("%w: mean has length %d, state dimension is %d", ErrDimension, len(x), s.n)
	}
	if !finiteSlice(x) {
		return fmt.Errorf("%w: state mean %v", ErrNonFinite, x)
	}
	copy(s.x[:], x)
	return nil
}

// SetCov replaces the covariance with the row-major n×n matrix p after checking that it
// is finite, symmetric within a relative 1e-9 (|p_ij - p_ji| ≤ 1e-9·sqrt(p_ii·p_jj)) and
// positive definite (Cholesky). The stored matrix is the mean of p and its transpose. On
// error (ErrDimension, ErrNonFinite, ErrNotPositiveDefinite) the state is unchanged.
func (s *State) SetCov(p []float64) error {
	n := s.n
	if n < 1 || len(p) != n*n {
		return fmt.Errorf("%w: covariance has length %d, want %d for state dimension %d", ErrDimension, len(p), n*n, n)
	}
	var a, l Mat
	for i := 0; i < n; i++ {
		copy(a[i][:n], p[i*n:(i+1)*n])
	}
	if err := checkCovN(&l, &a, n); err != nil {
		return fmt.Errorf("%w: state covariance", err)
	}
	s.p = a
	return nil
}

// String formats the state for debugging (it allocates).
func (s State) String() string {
	return fmt.Sprintf("State{x: %v, sd: %v}", s.x[:s.n], s.sd())
}

func (s *State) sd() []float64 {
	d := make([]float64, s.n)
	for i := range d {
		d[i] = math.Sqrt(s.p[i][i])
	}
	return d
}

// allFinite reports whether every value of v is finite. v*0 is NaN exactly when v is
// NaN or ±Inf, and a sum of zeros cannot overflow; four independent sums keep the
// additions' latency off the critical path.
func allFinite(v []float64) bool {
	var a0, a1, a2, a3 float64
	i := 0
	for ; i+4 <= len(v); i += 4 {
		a0 += v[i] * 0
		a1 += v[i+1] * 0
		a2 += v[i+2] * 0
		a3 += v[i+3] * 0
	}
	for ; i < len(v); i++ {
		a0 += v[i] * 0
	}
	return a0+a1+a2+a3 == 0
}

// finite reports whether the mean and the upper triangle of the covariance are finite
// (the filters keep the covariance exactly symmetric). v*0 is NaN exactly when v is NaN
// or ±Inf, and a sum of zeros cannot overflow, so one comparison at the end suffices.
func (s *State) finite() bool {
	acc := 0.0
	for i := 0; i < s.n; i++ {
		acc += s.x[i] * 0
		row := &s.p[i]
		for j := i; j < s.n; j++ {
			acc += row[j] * 0
		}
	}
	return acc == 0
}

// copyState copies the used part of src (n, mean, leading n×n covariance) into dst.
func copyState(dst, src *State) {
	n := src.n
	dst.n = n
	dst.x = src.x
	for i := 0; i < n; i++ {
		dst.p[i] = src.p[i]
	}
}

// covDiagPositive reports whether every variance is positive (a cheap necessary
// condition for positive definiteness, checked after every update).
func (s *State) covDiagPositive() bool {
	for i := 0; i < s.n; i++ {
		if !(s.p[i][i] > 0) {
			return false
		}
	}
	return true
}

// Marginal writes into dst the marginal of s over the components idx (in that order):
// mean x[idx], covariance P[idx, idx]. A principal submatrix of a positive-definite
// matrix is positive definite, so dst is a valid State; an IMM's combined estimate in
// the coordinated-turn layout, for example, gives its nearly-constant-velocity part with
// idx = [0 1 2 3]. It panics if len(idx) is 0 or above MaxDim, or an index is not in
// [0, Dim()) (programmer errors). dst must not be s. It does not allocate.
func (s *State) Marginal(dst *State, idx []int) {
	k := len(idx)
	if k < 1 || k > MaxDim {
		panic(fmt.Sprintf("kalman: Marginal over %d components", k))
	}
	for _, i := range idx {
		if i < 0 || i >= s.n {
			panic(fmt.Sprintf("kalman: Marginal component %d of a state of dimension %d", i, s.n))
		}
	}
	dst.n = k
	for a, i := range idx {
		dst.x[a] = s.x[i]
		for b, j := range idx {
			dst.p[a][b] = s.p[i][j]
		}
	}
}

// StatePackedLen returns the number of values State.Pack writes for a state of
// dimension n: n + n(n+1)/2 (14 for n = 4, 27 for n = 6).
func StatePackedLen(n int) int { return n + n*(n+1)/2 }

// Pack appends the state to dst in a compact form, for storing many estimates in one
// flat array: the mean, then the upper triangle of the covariance row by row
// (StatePackedLen(s.Dim()) values). It does not allocate when dst has the capacity.
func (s *State) Pack(dst []float64) []float64 {
	n := s.n
	if n == 4 && cap(dst)-len(dst) >= 14 {
		// unrolled: the 2-D nearly-constant-velocity state
		l := len(dst)
		b := (*[14]float64)(dst[l : l+14])
		p := &s.p
		b[0], b[1], b[2], b[3] = s.x[0], s.x[1], s.x[2], s.x[3]
		b[4], b[5], b[6], b[7] = p[0][0], p[0][1], p[0][2], p[0][3]
		b[8], b[9], b[10] = p[1][1], p[1][2], p[1][3]
		b[11], b[12] = p[2][2], p[2][3]
		b[13] = p[3][3]
		return dst[:l+14]
	}
	dst = append(dst, s.x[:n]...)
	for a := 0; a < n; a++ {
		dst = append(dst, s.p[a][a:n]...)
	}
	return dst
}

// Unpack sets s to the state of dimension n that Pack wrote into src, the covariance
// mirrored from its upper triangle: a state packed by Pack and unpacked is bit for bit
// the original. It checks the sizes (ErrDimension), that every value is finite
// (ErrNonFinite) and the variances positive (ErrNotPositiveDefinite), but not that the
// covariance is positive definite beyond its diagonal: give it only what Pack wrote
// (NewState validates fully). On error s is unchanged. It does not allocate.
func (s *State) Unpack(src []float64, n int) error {
	if n < 1 || n > MaxDim || len(src) != StatePackedLen(n) {
		return fmt.Errorf("%w: %d packed values for a state of dimension %d", ErrDimension, len(src), n)
	}
	if n == 4 {
		// unrolled: the 2-D nearly-constant-velocity state; the finiteness check is
		// allFinite's, written out
		b := (*[14]float64)(src)
		a0 := b[0]*0 + b[4]*0 + b[8]*0 + b[12]*0
		a1 := b[1]*0 + b[5]*0 + b[9]*0 + b[13]*0
		a2 := b[2]*0 + b[6]*0 + b[10]*0
		a3 := b[3]*0 + b[7]*0 + b[11]*0
		if a0+a1+a2+a3 != 0 {
			return fmt.Errorf("%w: packed state", ErrNonFinite)
		}
		for a, k := range [4]int{4, 8, 11, 13} {
			if !(b[k] > 0) {
				return fmt.Errorf("%w: packed state: variance %d is %v", ErrNotPositiveDefinite, a, b[k])
			}
		}
		p := &s.p
		s.n = 4
		s.x[0], s.x[1], s.x[2], s.x[3] = b[0], b[1], b[2], b[3]
		p[0][0], p[0][1], p[0][2], p[0][3] = b[4], b[5], b[6], b[7]
		p[1][0], p[1][1], p[1][2], p[1][3] = b[5], b[8], b[9], b[10]
		p[2][0], p[2][1], p[2][2], p[2][3] = b[6], b[9], b[11], b[12]
		p[3][0], p[3][1], p[3][2], p[3][3] = b[7], b[10], b[12], b[13]
		return nil
	}
	if !allFinite(src) {
		return fmt.Errorf("%w: packed state", ErrNonFinite)
	}
	k := n
	for a := 0; a < n; a++ {
		if !(src[k] > 0) {
			return fmt.Errorf("%w: packed state: variance %d is %v", ErrNotPositiveDefinite, a, src[k])
		}
		k += n - a
	}
	s.n = n
	for i := 0; i < n; i++ {
		s.x[i] = src[i]
	}
	// element by element: the rows are too short for copy's call to pay
	k = n
	for a := 0; a < n; a++ {
		pa := &s.p[a]
		row := src[k : k+n-a]
		pa[a] = row[0]
		for c := 1; c < len(row); c++ {
			v := row[c]
			pa[a+c] = v
			s.p[a+c][a] = v
		}
		k += n - a
	}
	return nil
}
