package kalman

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// benchCase is one predict+update benchmark: a motion model, a measurement model, a
// start state and a stream of measurements simulated from a fixed seed.
type benchCase struct {
	name   string
	linear bool
	motion Motion
	h      Measurement
	x0, p0 []float64
	R      []float64
	zs     [][]float64
}

const benchDt = 0.5

func newBenchCase(name string, linear bool, motion Motion, h Measurement, x0, p0diag, sd []float64) benchCase {
	n, m := motion.Dim(), h.Dim()
	c := benchCase{name: name, linear: linear, motion: motion, h: h, x0: x0, p0: diagFlat(p0diag)}
	c.R = make([]float64, m*m)
	for i, s := range sd {
		c.R[i*m+i] = s * s
	}
	rng := rand.New(rand.NewPCG(1, 1))
	var x Vec
	copy(x[:], x0)
	for k := 0; k < 1024; k++ {
		motion.Transition(&x, &x, benchDt)
		var z MVec
		h.Measure(&z, &x)
		zz := make([]float64, m)
		for i := range zz {
			zz[i] = z[i] + sd[i]*rng.NormFloat64()
		}
		c.zs = append(c.zs, zz)
	}
	_ = n
	return c
}

func benchCases() []benchCase {
	cv2, cv3 := NewCV(2, 1), NewCV(3, 1)
	ct := NewCT(CTConfig{Q: 1, QRate: 1e-4})
	return []benchCase{
		newBenchCase("KF/CV2-position", true, cv2, NewPosition(4, []int{0, 2}, nil),
			[]float64{100, 10, 50, -5}, []float64{100, 25, 100, 25}, []float64{10, 10}),
		newBenchCase("KF/CV3-position", true, cv3, NewPosition(6, []int{0, 2, 4}, nil),
			[]float64{100, 10, 50, -5, 1000, 1}, []float64{100, 25, 100, 25, 100, 25}, []float64{10, 10, 10}),
		newBenchCase("EKF/CV3-range-az-el", false, cv3, NewRangeAzEl(cv3.Layout(), [3]float64{-5000, 2000, 0}, false),
			[]float64{100, 10, 50, -5, 1000, 1}, []float64{100, 25, 100, 25, 100, 25}, []float64{10, 0.002, 0.002}),
		newBenchCase("EKF/CT-range-bearing", false, ct, NewRangeBearing(ct.Layout(), [2]float64{-5000, 2000}, false),
			[]float64{100, 10, 50, -5, 0.02}, []float64{100, 25, 100, 25, 1e-4}, []float64{10, 0.002}),
	}
}

// BenchmarkPredictUpdate measures one predict (dt = 0.5 s) and one update per
// iteration, with this package's filter ("trackcorr") and with a gonum mat
// implementation of the same step whose workspace is preallocated ("gonum").
func BenchmarkPredictUpdate(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name+"/trackcorr", func(b *testing.B) {
			var f filterUnderTest
			if c.linear {
				kf, err := NewKF(c.motion, Config{})
				if err != nil {
					b.Fatal(err)
				}
				f = kf
			} else {
				ekf, err := NewEKF(c.motion, Config{})
				if err != nil {
					b.Fatal(err)
				}
				f = ekf
			}
			s, err := NewState(c.x0, c.p0)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				if err := f.Predict(&s, benchDt); err != nil {
					b.Fatal(err)
				}
				if _, err := f.Update(&s, c.h, c.zs[k&1023], c.R); err != nil {
					b.Fatal(err)
				}
				k++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tracks/s")
		})
		b.Run(c.name+"/gonum", func(b *testing.B) {
			g := newGonumFilter(c)
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				g.step(c.zs[k&1023])
				k++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tracks/s")
		})
	}
}

// BenchmarkScore measures gating one measurement against a Predicted (d² and
// log-likelihood).
func BenchmarkScore(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			f, _ := NewEKF(c.motion, Config{})
			s, _ := NewState(c.x0, c.p0)
			var p Predicted
			if err := f.PredictMeasurement(&p, &s, c.h, c.R); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			k := 0
			sum := 0.0
			for b.Loop() {
				d2, _, err := p.Score(c.zs[k&1023])
				if err != nil {
					b.Fatal(err)
				}
				sum += d2
				k++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
			if math.IsNaN(sum) {
				b.Fatal("NaN d2")
			}
		})
	}
}

// gonumFilter is the same (E)KF step written with gonum mat, every workspace
// preallocated: the fair competitor of the fixed-array kernels.
type gonumFilter struct {
	c                   benchCase
	n, m                int
	x, xt, y, sy        *mat.VecDense
	P, FP, F, Q, H, PHt *mat.Dense
	S, Kt, KPHt         *mat.Dense
	Ssym                *mat.SymDense
	R                   *mat.Dense
	chol                mat.Cholesky
	xv                  Vec
	hm                  HMat
	zhat                MVec
	fm, qm              Mat
}

func newGonumFilter(c benchCase) *gonumFilter {
	n, m := c.motion.Dim(), c.h.Dim()
	g := &gonumFilter{c: c, n: n, m: m}
	g.x = mat.NewVecDense(n, append([]float64(nil), c.x0...))
	g.xt = mat.NewVecDense(n, nil)
	g.y = mat.NewVecDense(m, nil)
	g.sy = mat.NewVecDense(m, nil)
	g.P = mat.NewDense(n, n, append([]float64(nil), c.p0...))
	g.FP = mat.NewDense(n, n, nil)
	g.F = mat.NewDense(n, n, nil)
	g.Q = mat.NewDense(n, n, nil)
	g.H = mat.NewDense(m, n, nil)
	g.PHt = mat.NewDense(n, m, nil)
	g.S = mat.NewDense(m, m, nil)
	g.Ssym = mat.NewSymDense(m, g.S.RawMatrix().Data)
	g.Kt = mat.NewDense(m, n, nil)
	g.KPHt = mat.NewDense(n, n, nil)
	g.R = mat.NewDense(m, m, append([]float64(nil), c.R...))
	return g
}

func (g *gonumFilter) step(z []float64) {
	n, m := g.n, g.m
	// Predict: F, Q at the prior mean (model functions), then the gonum algebra.
	copy(g.xv[:], g.x.RawVector().Data)
	g.c.motion.Jacobian(&g.fm, &g.xv, benchDt)
	g.c.motion.Noise(&g.qm, &g.xv, benchDt)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			g.F.Set(i, j, g.fm[i][j])
			g.Q.Set(i, j, g.qm[i][j])
		}
	}
	g.c.motion.Transition(&g.xv, &g.xv, benchDt)
	copy(g.x.RawVector().Data, g.xv[:n])
	g.FP.Mul(g.F, g.P)
	g.P.Mul(g.FP, g.F.T())
	g.P.Add(g.P, g.Q)
	// Update.
	g.c.h.Measure(&g.zhat, &g.xv)
	g.c.h.Jacobian(&g.hm, &g.xv)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			g.H.Set(i, j, g.hm[i][j])
		}
		v := z[i] - g.zhat[i]
		if g.c.h.Angles()&(1<<i) != 0 {
			v = math.Remainder(v, 2*math.Pi)
		}
		g.y.SetVec(i, v)
	}
	g.PHt.Mul(g.P, g.H.T())
	g.S.Mul(g.H, g.PHt)
	g.S.Add(g.S, g.R)
	if !g.chol.Factorize(g.Ssym) {
		panic("gonum reference: S not positive definite")
	}
	if err := g.chol.SolveTo(g.Kt, g.PHt.T()); err != nil {
		panic(err)
	}
	g.xt.MulVec(g.Kt.T(), g.y)
	g.x.AddVec(g.x, g.xt)
	g.KPHt.Mul(g.Kt.T(), g.PHt.T())
	g.P.Sub(g.P, g.KPHt)
	if err := g.chol.SolveVecTo(g.sy, g.y); err != nil {
		panic(err)
	}
	_ = mat.Dot(g.y, g.sy)
}

// BenchmarkStateUnpack is State.Unpack of a 2-D CV state (n = 4), against the copy of a
// whole State it replaces.
func BenchmarkStateUnpack(b *testing.B) {
	s, err := NewState([]float64{1, 2, 3, 4}, []float64{4, 1, 0, 0, 1, 9, 0, 0, 0, 0, 2, 1, 0, 0, 1, 3})
	if err != nil {
		b.Fatal(err)
	}
	buf := s.Pack(nil)
	b.Run("unpack", func(b *testing.B) {
		var u State
		b.ReportAllocs()
		for b.Loop() {
			if err := u.Unpack(buf, 4); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("copy", func(b *testing.B) {
		var u State
		b.ReportAllocs()
		for b.Loop() {
			u = s
		}
		_ = u
	})
}
