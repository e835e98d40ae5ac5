package kalman

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// requireNormClose requires |got_i - want_i| ≤ tol·max(1, max_j |want_j|) for all i.
func requireNormClose(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	require.Equal(t, len(want), len(got), what)
	scale := 1.0
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	for i := range want {
		if !(math.Abs(got[i]-want[i]) <= tol*scale) {
			t.Fatalf("%s[%d] = %.17g, reference %.17g (diff %.3g, scale %.3g)", what, i, got[i], want[i], got[i]-want[i], scale)
		}
	}
}

func denseFlat(a mat.Matrix) []float64 {
	r, c := a.Dims()
	p := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			p = append(p, a.At(i, j))
		}
	}
	return p
}

func matFlat(a *Mat, n int) []float64 {
	p := make([]float64, 0, n*n)
	for i := 0; i < n; i++ {
		p = append(p, a[i][:n]...)
	}
	return p
}

// TestMotionModelsAgainstReference compares f, F and Q of every motion model with the
// independent reference (Van Loan, automatic differentiation) at random states and
// time steps, including dt = 0.
func TestMotionModelsAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, mo := range tbMotions() {
		t.Run(mo.name, func(t *testing.T) {
			n := mo.n
			require.Equal(t, n, mo.model.Dim())
			l := mo.model.Layout()
			require.Equal(t, n, l.Dim)
			require.Equal(t, mo.axes, l.Axes)
			for a := 0; a < 3; a++ {
				wantPos, wantVel := -1, -1
				if a < mo.axes {
					wantPos, wantVel = mo.pos[a], mo.vel[a]
				}
				require.Equal(t, wantPos, l.Pos[a], "position index of axis %d", a)
				require.Equal(t, wantVel, l.Vel[a], "velocity index of axis %d", a)
			}
			for k := 0; k < 100; k++ {
				dt := 5 * rng.Float64()
				if k == 0 {
					dt = 0
				}
				x := make([]float64, n)
				var xv Vec
				for i := range x {
					x[i] = mo.x0[i] + math.Sqrt(mo.p0[i])*rng.NormFloat64()
					xv[i] = x[i]
				}
				var fx Vec
				var F, Q Mat
				mo.model.Transition(&fx, &xv, dt)
				mo.model.Jacobian(&F, &xv, dt)
				mo.model.Noise(&Q, &xv, dt)
				requireNormClose(t, "f", fx[:n], mo.f(x, dt), 1e-11)
				requireNormClose(t, "F", matFlat(&F, n), denseFlat(mo.F(x, dt)), 1e-11)
				requireNormClose(t, "Q", matFlat(&Q, n), denseFlat(mo.Q(x, dt)), 1e-11)

				// The specialised kernel against the dense one.
				s, err := NewState(x, diagFlat(mo.p0))
				require.NoError(t, err)
				dense := s
				if sp, ok := mo.model.(statePredictor); ok {
					sp.predictState(&s, dt)
					var c core
					c.init(mo.model, Config{}, false)
					c.densePredict(&dense, dt)
					requireNormClose(t, "kernel mean", s.Mean(nil), dense.Mean(nil), 1e-14)
					requireNormClose(t, "kernel cov", s.Cov(nil), dense.Cov(nil), 1e-14)
				}
			}
		})
	}
}

// TestCTTurnRateLimit checks that the coordinated-turn transition and Jacobian are
// continuous through ω = 0 (the series branch) and agree with central differences.
func TestCTTurnRateLimit(t *testing.T) {
	m := NewCT(CTConfig{Q: 1, QRate: 1e-3})
	cv := NewCV(2, 1)
	for _, w := range []float64{0, 1e-12, -1e-9, 1e-6, 4.9e-3, 5.1e-3, -0.02, 0.3} {
		x := Vec{100, 30, -50, -20, w}
		const dt = 2.0
		var got Vec
		m.Transition(&got, &x, dt)
		// Against the closed form, evaluated in extended care near zero by CV.
		if w == 0 {
			var y Vec
			cv.Transition(&y, &Vec{100, 30, -50, -20}, dt)
			assert.Equal(t, y[:4], got[:4], "ω = 0 is CV")
		}
		var F Mat
		m.Jacobian(&F, &x, dt)
		for j := 0; j < 5; j++ {
			h := 1e-6 * math.Max(1, math.Abs(x[j]))
			xp, xm := x, x
			xp[j] += h
			xm[j] -= h
			var fp, fm Vec
			m.Transition(&fp, &xp, dt)
			m.Transition(&fm, &xm, dt)
			for i := 0; i < 5; i++ {
				fd := (fp[i] - fm[i]) / (2 * h)
				assert.InDelta(t, fd, F[i][j], 1e-6*math.Max(1, math.Abs(fd)), "ω=%g ∂f%d/∂x%d", w, i, j)
			}
		}
	}
}
