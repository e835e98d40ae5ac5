package t2t

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
