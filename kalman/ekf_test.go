package kalman

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

// filterUnderTest is the method set KF and EKF share.
type filterUnderTest interface {
	Predict(s *State, dt float64) error
	PredictMeasurement(dst *Predicted, s *State, h Measurement, R []float64) error
	Apply(s *State, p *Predicted, z []float64) (Innovation, error)
	Update(s *State, h Measurement, z, R []float64) (Innovation, error)
}

var (
	_ filterUnderTest = (*KF)(nil)
	_ filterUnderTest = (*EKF)(nil)
)

// refTol is the agreement required with the textbook reference, normwise: relative to
// max(1, largest |entry|) of the vector or matrix compared.
const refTol = 1e-9

func requireClose(t *testing.T, what string, step int, got, want []float64) {
	t.Helper()
	requireNormClose(t, fmt.Sprintf("step %d: %s", step, what), got, want, refTol)
}

// runAgainstReference filters 200 random steps of a simulated target with the filter
// under test and with the textbook reference, and requires agreement to refTol after
// every prediction and update. Odd steps use PredictMeasurement + Score + Apply, even
// steps Update.
func runAgainstReference(t *testing.T, f filterUnderTest, mo tbMotion, mm tbMeasure, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 7))
	s, err := NewState(mo.x0, diagFlat(mo.p0))
	require.NoError(t, err)
	ref := tbNewState(mo.x0, mo.p0)
	truth := append([]float64(nil), mo.x0...)
	for i := range truth {
		truth[i] += math.Sqrt(mo.p0[i]) * rng.NormFloat64()
	}
	R := tbR(mm)
	var pred Predicted
	for step := 0; step < 200; step++ {
		dt := 0.1 + 1.9*rng.Float64()
		truth = mo.f(truth, dt)
		require.NoError(t, f.Predict(&s, dt), "step %d", step)
		ref = tbPredict(ref, mo, dt)
		requireClose(t, "predicted mean", step, s.Mean(nil), ref.x)
		requireClose(t, "predicted cov", step, s.Cov(nil), symFlat(ref.P))

		z := mm.h(truth)
		for i := range z {
			z[i] += mm.sd[i] * rng.NormFloat64()
		}
		var inn Innovation
		if step%2 == 1 {
			require.NoError(t, f.PredictMeasurement(&pred, &s, mm.model, R), "step %d", step)
			d2, ll, err := pred.Score(z)
			require.NoError(t, err)
			inn, err = f.Apply(&s, &pred, z)
			require.NoError(t, err, "step %d", step)
			requireClose(t, "score", step, []float64{d2, ll}, []float64{inn.D2, inn.LogLik})
		} else {
			inn, err = f.Update(&s, mm.model, z, R)
			require.NoError(t, err, "step %d", step)
		}
		var res tbResult
		ref, res, err = tbUpdate(ref, mm, z, R)
		require.NoError(t, err)
		requireClose(t, "innovation", step, inn.Y[:mm.m], res.y)
		requireClose(t, "S", step, mmatFlat(&inn.S, mm.m), symFlat(res.S))
		requireClose(t, "d2/loglik", step, []float64{inn.D2, inn.LogLik}, []float64{res.d2, res.ll})
		requireClose(t, "updated mean", step, s.Mean(nil), ref.x)
		requireClose(t, "updated cov", step, s.Cov(nil), symFlat(ref.P))
	}
}

func diagFlat(d []float64) []float64 {
	n := len(d)
	p := make([]float64, n*n)
	for i, v := range d {
		p[i*n+i] = v
	}
	return p
}

func symFlat(a mat.Symmetric) []float64 {
	n := a.SymmetricDim()
	p := make([]float64, 0, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			p = append(p, a.At(i, j))
		}
	}
	return p
}

func mmatFlat(a *MMat, m int) []float64 {
	p := make([]float64, 0, m*m)
	for i := 0; i < m; i++ {
		p = append(p, a[i][:m]...)
	}
	return p
}

func TestEKFAgainstReference(t *testing.T) {
	for mi, mo := range tbMotions() {
		for hi, mm := range tbMeasures(mo) {
			t.Run(mo.name+"/"+mm.name, func(t *testing.T) {
				for _, joseph := range []bool{false, true} {
					f, err := NewEKF(mo.model, Config{Joseph: joseph})
					require.NoError(t, err)
					runAgainstReference(t, f, mo, mm, uint64(100*mi+hi))
				}
			})
		}
	}
}
