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

// The turning model's structured kernel (predictCovCT) gives exactly the values of the
// general kernel (predictCovDense) on the same Jacobian: bit for bit, with turn rates
// exactly zero (where the Jacobian has extra zeros), tiny and large, with and without
// the vertical channel.
func TestCTKernelExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	for _, vertical := range []bool{false, true} {
		m := NewCT(CTConfig{Q: 0.7, QRate: 3e-3, QZ: 0.2, Vertical: vertical})
		n := m.Dim()
		for trial := 0; trial < 300; trial++ {
			var x Vec
			for i := 0; i < n; i++ {
				x[i] = 100 * rng.NormFloat64()
			}
			switch trial % 3 {
			case 0:
				x[4] = 0
			case 1:
				x[4] = 1e-7 * rng.NormFloat64()
			default:
				x[4] = 0.3 * rng.NormFloat64()
			}
			var a, p Mat
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					a[i][j] = rng.NormFloat64()
				}
			}
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					for k := 0; k < n; k++ {
						p[i][j] += a[i][k] * a[j][k]
					}
				}
			}
			dt := 5 * rng.Float64()
			k := ctCoefs(x[4], dt)
			var F, Q Mat
			m.jacobian(&F, &x, dt, &k)
			m.Noise(&Q, &x, dt)
			want, got := p, p
			predictCovDense(&want, &F, &Q, n)
			predictCovCT(&got, &F, &Q, vertical)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					require.Equal(t, want[i][j], got[i][j], "vertical %v trial %d P[%d][%d]", vertical, trial, i, j)
				}
			}
		}
	}
}
