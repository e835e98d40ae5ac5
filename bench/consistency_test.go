package bench

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// NEES against gonum's explicit solve on random covariances; and a Monte Carlo where
// errors drawn from P give a mean NEES inside the chi-square bounds, while errors twice
// as large fall outside them.
func TestNEES(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(MaxStateDim)
		a := mat.NewDense(n, n, nil)
		for i := range n {
			for j := range n {
				a.Set(i, j, rng.NormFloat64())
			}
		}
		var p mat.SymDense
		p.SymOuterK(1, a)
		for i := range n {
			p.SetSym(i, i, p.At(i, i)+0.1)
		}
		x, xhat := make([]float64, n), make([]float64, n)
		e := mat.NewVecDense(n, nil)
		for i := range n {
			x[i] = rng.NormFloat64() * 10
			xhat[i] = x[i] + rng.NormFloat64()
			e.SetVec(i, xhat[i]-x[i])
		}
		var sol mat.VecDense
		require.NoError(t, sol.SolveVec(&p, e))
		want := mat.Dot(e, &sol)
		flat := make([]float64, n*n)
		for i := range n {
			for j := range n {
				flat[i*n+j] = p.At(i, j)
			}
		}
		got, err := NEES(xhat, flat, x)
		require.NoError(t, err)
		require.InDelta(t, want, got, 1e-8*(1+want), "trial %d", trial)
	}

	p := []float64{4, 1, 1, 2}
	l11, l21 := 2.0, 0.5
	l22 := math.Sqrt(2 - l21*l21)
	for _, tc := range []struct {
		scale      float64
		consistent bool
	}{{1, true}, {2, false}} {
		c := Consistency{Dim: 2}
		for range 2000 {
			u1, u2 := rng.NormFloat64()*tc.scale, rng.NormFloat64()*tc.scale
			v, err := NEES([]float64{l11 * u1, l21*u1 + l22*u2}, p, []float64{0, 0})
			require.NoError(t, err)
			c.Add(v)
		}
		lo, hi := c.Bounds(0.05)
		inside := c.Mean() >= lo && c.Mean() <= hi
		assert.Equal(t, tc.consistent, inside, "scale %v: mean %v in [%v, %v]", tc.scale, c.Mean(), lo, hi)
	}

	for _, bad := range []struct{ xhat, p, x []float64 }{
		{[]float64{1}, []float64{1}, []float64{1, 2}},
		{[]float64{1, 2}, []float64{1, 2, 2, 1}, []float64{0, 0}}, // not positive definite
		{[]float64{math.NaN()}, []float64{1}, []float64{0}},
		{make([]float64, 10), make([]float64, 100), make([]float64, 10)},
	} {
		_, err := NEES(bad.xhat, bad.p, bad.x)
		require.ErrorIs(t, err, ErrMetric)
	}
}
