package kalman

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The benchmarks of this file and imm_bench_test.go time one predict+update of one
// track, with the textbook gonum reference of the same step beside it (the references
// of ukf_ref_test.go and imm_ref_test.go, calling the package's own model functions so
// that only the filter machinery differs). tracks/s is 1/(time per predict+update).

// pkgRefMotion wraps a package motion model for the gonum references.
func pkgRefMotion(m Motion) refMotion {
	n := m.Dim()
	return refMotion{
		n: n,
		f: func(x []float64, dt float64) []float64 {
			var v, y Vec
			copy(v[:], x)
			m.Transition(&y, &v, dt)
			return append([]float64(nil), y[:n]...)
		},
		F: func(x []float64, dt float64) *mat.Dense {
			var v Vec
			var F Mat
			copy(v[:], x)
			m.Jacobian(&F, &v, dt)
			out := mat.NewDense(n, n, nil)
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					out.Set(i, j, F[i][j])
				}
			}
			return out
		},
		Q: func(x []float64, dt float64) *mat.SymDense {
			var v Vec
			var Q Mat
			copy(v[:], x)
			m.Noise(&Q, &v, dt)
			out := mat.NewSymDense(n, nil)
			for i := 0; i < n; i++ {
				for j := i; j < n; j++ {
					out.SetSym(i, j, Q[i][j])
				}
			}
			return out
		},
	}
}

// pkgRefMeasure wraps a package measurement model and a row-major R.
func pkgRefMeasure(h Measurement, R []float64) refMeasure {
	m, n := h.Dim(), h.StateDim()
	angle := make([]bool, m)
	for i := range angle {
		angle[i] = h.Angles()&(1<<i) != 0
	}
	return refMeasure{
		m: m, angle: angle, R: mat.NewSymDense(m, append([]float64(nil), R...)),
		h: func(x []float64) []float64 {
			var v Vec
			var z MVec
			copy(v[:], x)
			h.Measure(&z, &v)
			return append([]float64(nil), z[:m]...)
		},
		H: func(x []float64) *mat.Dense {
			var v Vec
			var H HMat
			copy(v[:], x)
			h.Jacobian(&H, &v)
			out := mat.NewDense(m, n, nil)
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					out.Set(i, j, H[i][j])
				}
			}
			return out
		},
	}
}

type ukfBenchCase struct {
	name string
	mot  Motion
	h    Measurement
	x    []float64
	p    []float64
	R    []float64
}

func ukfBenchCases() []ukfBenchCase {
	cv := NewCV(3, 1)
	ct := NewCT(CTConfig{Q: 1, QRate: 1e-4, Vertical: true, QZ: 0.5})
	return []ukfBenchCase{
		{
			// The case: 6 states (3-D CV, predicted by its exact linear kernel),
			// 3 measurements (range, azimuth, elevation, through sigma points).
			name: "CV3D_RangeAzEl_6x3", mot: cv, h: NewRangeAzEl(cv.Layout(), [3]float64{}, false),
			x: []float64{5000, -20, 3000, 15, 1000, 1}, p: diagRaw(100, 25, 100, 25, 100, 4),
			R: diagRaw(100, 1e-4, 1e-4),
		},
		{
			// Fully nonlinear: 7 states (coordinated turn with vertical CV) and
			// range-azimuth-elevation, both through sigma points.
			name: "CTVertical_RangeAzEl_7x3", mot: ct, h: NewRangeAzEl(ct.Layout(), [3]float64{}, false),
			x: []float64{5000, -20, 3000, 15, 0.03, 1000, 1}, p: diagRaw(100, 25, 100, 25, 1e-4, 100, 4),
			R: diagRaw(100, 1e-4, 1e-4),
		},
	}
}

// benchMeasurement returns a measurement near the predicted one.
func benchMeasurement(h Measurement, s State, dt float64, mot Motion) []float64 {
	var x, y Vec
	copy(x[:], s.Mean(nil))
	mot.Transition(&y, &x, dt)
	var z MVec
	h.Measure(&z, &y)
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([]float64, h.Dim())
	for i := range out {
		out[i] = z[i] * (1 + 1e-3*rng.NormFloat64())
	}
	return out
}

func reportTracks(b *testing.B, n int) {
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "tracks/s")
}

// BenchmarkUKF is one UKF predict+update (dt = 1 s).
func BenchmarkUKF(b *testing.B) {
	for _, c := range ukfBenchCases() {
		s0, err := NewState(c.x, c.p)
		if err != nil {
			b.Fatal(err)
		}
		z := benchMeasurement(c.h, s0, 1, c.mot)
		b.Run(c.name, func(b *testing.B) {
			f, err := NewUKF(c.mot, UKFConfig{})
			if err != nil {
				b.Fatal(err)
			}
			var s State
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				s = s0
				if err := f.Predict(&s, 1); err != nil {
					b.Fatal(err)
				}
				if _, err := f.Update(&s, c.h, z, c.R); err != nil {
					b.Fatal(err)
				}
				n++
			}
			reportTracks(b, n)
		})
		b.Run(c.name+"/gonum_reference", func(b *testing.B) {
			ut := refUT{alpha: 1, beta: 2}
			rm, rh := pkgRefMotion(c.mot), pkgRefMeasure(c.h, c.R)
			P0 := mat.NewSymDense(len(c.x), append([]float64(nil), c.p...))
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				x, P, ok := refUKFPredict(ut, rm, c.x, P0, 1)
				if !ok {
					b.Fatal("reference predict failed")
				}
				if _, ok := refUKFUpdate(ut, rh, x, P, z); !ok {
					b.Fatal("reference update failed")
				}
				n++
			}
			reportTracks(b, n)
		})
	}
}
