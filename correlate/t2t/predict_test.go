package t2t

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/trackcorr/trackcorr/kalman"
)

// TestPredictMatchesKalman checks the CV kernel against kalman.KF.Predict with
// kalman.NewCV over random states and steps, and that predicting in two steps equals
// predicting at once.
func TestPredictMatchesKalman(t *testing.T) {
	rng := rand.New(rand.NewPCG(91, 92))
	for _, axes := range []int{2, 3} {
		n := 2 * axes
		const q = 0.7
		kf, err := kalman.NewKF(kalman.NewCV(axes, q), kalman.Config{})
		require.NoError(t, err)
		for trial := 0; trial < 200; trial++ {
			e := randEstimate(rng, n)
			dt := rng.Float64() * 5
			s, err := kalman.NewState(e.X[:n], e.P[:n*n])
			require.NoError(t, err)
			require.NoError(t, kf.Predict(&s, dt))
			var x vec
			var p mtx
			require.NoError(t, load(&x, &p, &e))
			x2, p2 := x, p
			predictCV(&x, &p, axes, q, dt)
			predictCV(&x2, &p2, axes, q, dt/3)
			predictCV(&x2, &p2, axes, q, 2*dt/3)
			for i := 0; i < n; i++ {
				assert.InDelta(t, s.MeanAt(i), x[i], 1e-9*(1+abs(x[i])))
				assert.InDelta(t, x[i], x2[i], 1e-9*(1+abs(x[i])))
				for j := 0; j < n; j++ {
					assert.InDelta(t, s.CovAt(i, j), p[i][j], 1e-9*(1+abs(p[i][j])))
					assert.InDelta(t, p[i][j], p2[i][j], 1e-9*(1+abs(p[i][j])))
					assert.Equal(t, p[i][j], p[j][i])
				}
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestPosD2 checks the closed-form 2-D and LDLᵀ 3-D position distance against a
// gonum Cholesky solve.
func TestPosD2(t *testing.T) {
	rng := rand.New(rand.NewPCG(93, 94))
	for _, layout := range []Layout{CV2, CV3} {
		c, err := New(Config{Layout: layout})
		require.NoError(t, err)
		n, m := layout.Dim(), layout.Axes()
		for trial := 0; trial < 100; trial++ {
			a, b := randEstimate(rng, n), randEstimate(rng, n)
			var xa, xb vec
			var pa, pb mtx
			require.NoError(t, load(&xa, &pa, &a))
			require.NoError(t, load(&xb, &pb, &b))
			s := mat.NewSymDense(m, nil)
			e := mat.NewVecDense(m, nil)
			for i := 0; i < m; i++ {
				e.SetVec(i, xa[2*i]-xb[2*i])
				for j := i; j < m; j++ {
					s.SetSym(i, j, pa[2*i][2*j]+pb[2*i][2*j])
				}
			}
			var ch mat.Cholesky
			require.True(t, ch.Factorize(s))
			var y mat.VecDense
			require.NoError(t, ch.SolveVecTo(&y, e))
			want := mat.Dot(e, &y)
			assert.InDelta(t, want, c.posD2(&xa, &pa, &xb, &pb), 1e-9*(1+want))
		}
		require.NoError(t, c.Close())
	}
}
