package kalman

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The ZeroRate model's block kernel agrees with the general kernel (Jacobian, Noise and
// Transition through predictCovDense) and keeps P exactly symmetric.
func TestCTZeroRateKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	for _, vertical := range []bool{false, true} {
		m := NewCT(CTConfig{Q: 0.7, QRate: 3e-3, QZ: 0.2, Vertical: vertical, ZeroRate: true})
		n := m.Dim()
		for trial := 0; trial < 100; trial++ {
			x := make([]float64, n)
			for i := range x {
				x[i] = 100 * rng.NormFloat64()
			}
			// a random SPD covariance: A Aᵀ + I
			var a Mat
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					a[i][j] = rng.NormFloat64()
				}
			}
			P := make([]float64, n*n)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					v := 0.0
					for k := 0; k < n; k++ {
						v += a[i][k] * a[j][k]
					}
					if i == j {
						v++
					}
					P[i*n+j] = v
				}
			}
			s, err := NewState(x, P)
			require.NoError(t, err)
			dt := 5 * rng.Float64()
			got := s
			m.predictState(&got, dt)
			var c core
			c.init(m, Config{}, false)
			want := s
			c.densePredict(&want, dt)
			assert.InDeltaSlice(t, want.Mean(nil), got.Mean(nil), 1e-9)
			assert.InDeltaSlice(t, want.Cov(nil), got.Cov(nil), 1e-8)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					require.Equal(t, got.p[i][j], got.p[j][i])
				}
			}
		}
	}
}
