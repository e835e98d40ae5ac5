package kalman

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// gaussian draws from N(mean, cov) with the gonum Cholesky factor of cov.
func gaussian(rng *rand.Rand, mean []float64, cov *mat.SymDense) []float64 {
	var c mat.Cholesky
	if !c.Factorize(cov) {
		panic("gaussian: covariance not positive definite")
	}
	var L mat.TriDense
	c.LTo(&L)
	n := len(mean)
	w := make([]float64, n)
	for i := range w {
		w[i] = rng.NormFloat64()
	}
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		out[i] = mean[i]
		for j := 0; j <= i; j++ {
			out[i] += L.At(i, j) * w[j]
		}
	}
	return out
}

// nees returns eᵀ P⁻¹ e for e = truth - estimate, by a gonum solve.
func nees(s *State, truth []float64) float64 {
	n := s.Dim()
	e := mat.NewVecDense(n, nil)
	x := s.Mean(nil)
	for i := range x {
		e.SetVec(i, truth[i]-x[i])
	}
	var c mat.Cholesky
	if !c.Factorize(mat.NewSymDense(n, s.Cov(nil))) {
		panic("nees: covariance not positive definite")
	}
	var pe mat.VecDense
	if err := c.SolveVecTo(&pe, e); err != nil {
		panic(err)
	}
	return mat.Dot(e, &pe)
}

// chi2Bounds returns the two-sided 95% bounds of the average of runs independent
// χ²(dof) variables.
func chi2Bounds(runs, dof int) (lo, hi float64) {
	d := distuv.ChiSquared{K: float64(runs * dof)}
	return d.Quantile(0.025) / float64(runs), d.Quantile(0.975) / float64(runs)
}

// runConsistency simulates runs targets with exactly the filter's process and
// measurement noise. It returns the NEES at the last step averaged over the runs, and the
// NIS averaged over every step of every run (innovations of a consistent filter are white,
// so the NIS average is one χ²(runs·steps·m)/(runs·steps) variable; estimation errors are
// correlated in time, so NEES is checked at one step only).
func runConsistency(t *testing.T, f filterUnderTest, mo Motion, h Measurement, sd []float64, runs, steps int, seed uint64) (avgNEES, avgNIS float64) {
	n, m := mo.Dim(), h.Dim()
	const dt = 1.0
	x0 := []float64{0, 10, 0, 5}
	p0 := diagFlat([]float64{100, 25, 100, 25})
	R := diagFlat([]float64{sd[0] * sd[0], sd[1] * sd[1]})
	var Q Mat
	mo.Noise(&Q, &Vec{}, dt)
	Qd := mat.NewSymDense(n, matFlat(&Q, n))
	Rd := mat.NewSymDense(m, R)
	rng := rand.New(rand.NewPCG(seed, 11))
	for r := 0; r < runs; r++ {
		truth := append([]float64(nil), x0...)
		s, err := NewState(gaussian(rng, x0, mat.NewSymDense(n, p0)), p0)
		require.NoError(t, err)
		for k := 1; k <= steps; k++ {
			var xv, fx Vec
			copy(xv[:], truth)
			mo.Transition(&fx, &xv, dt)
			truth = gaussian(rng, fx[:n], Qd)
			require.NoError(t, f.Predict(&s, dt))
			copy(xv[:], truth)
			var zt MVec
			h.Measure(&zt, &xv)
			z := gaussian(rng, zt[:m], Rd)
			inn, err := f.Update(&s, h, z, R)
			require.NoError(t, err)
			avgNIS += inn.D2
		}
		avgNEES += nees(&s, truth)
	}
	return avgNEES / float64(runs), avgNIS / float64(runs*steps)
}

// TestConsistencyMonteCarlo: over 300 seeded runs of 40 steps, the average NEES (last
// step) and NIS (all steps) lie inside the two-sided 95% χ² bounds, for CV with a
// position KF and for CV with a range-bearing EKF, with correctly matched noise. (Each
// check of a consistent filter passes with probability 0.95 for a random seed; the seed
// is fixed, so the test is deterministic.)
func TestConsistencyMonteCarlo(t *testing.T) {
	const runs, steps = 300, 40
	cv := NewCV(2, 0.5)
	kf, err := NewKF(cv, Config{})
	require.NoError(t, err)
	ekf, err := NewEKF(cv, Config{})
	require.NoError(t, err)
	tests := []struct {
		name string
		f    filterUnderTest
		h    Measurement
		sd   []float64
	}{
		{"KF CV position", kf, NewPosition(4, []int{0, 2}, nil), []float64{10, 10}},
		{"EKF CV range-bearing", ekf, NewRangeBearing(cv.Layout(), [2]float64{-2000, -1000}, false), []float64{5, 0.005}},
	}
	neesLo, neesHi := chi2Bounds(runs, 4)
	nisLo, nisHi := chi2Bounds(runs*steps, 2)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			avgNEES, avgNIS := runConsistency(t, tt.f, cv, tt.h, tt.sd, runs, steps, 2026)
			assert.True(t, avgNEES >= neesLo && avgNEES <= neesHi, "average NEES %.3f outside [%.3f, %.3f]", avgNEES, neesLo, neesHi)
			assert.True(t, avgNIS >= nisLo && avgNIS <= nisHi, "average NIS %.3f outside [%.3f, %.3f]", avgNIS, nisLo, nisHi)
			t.Logf("average NEES %.3f in [%.3f, %.3f], NIS %.3f in [%.3f, %.3f]", avgNEES, neesLo, neesHi, avgNIS, nisLo, nisHi)
		})
	}
}
