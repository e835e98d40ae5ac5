package t2t

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"
)

func est2(x0, x1 float64, p ...float64) Estimate {
	e := Estimate{Dim: 2, X: [MaxDim]float64{x0, x1}}
	copy(e.P[:], p)
	return e
}

// TestCovarianceIntersectionHand checks CI against a case worked out by hand.
//
// Pa = diag(1, 9), xa = (0, 0); Pb = diag(4, 4), xb = (4, 4). Information matrices
// Ya = diag(1, 1/9), Yb = diag(1/4, 1/4), so
//
//	M(ω) = ω Ya + (1-ω) Yb = diag((1+3ω)/4, (9-5ω)/36).
//
// Determinant: det M ∝ (1+3ω)(9-5ω); d/dω = 3(9-5ω) - 5(1+3ω) = 22 - 30ω = 0 gives
// ω = 11/15. Then M = diag(0.8, 4/27), P = M⁻¹ = diag(1.25, 6.75), and
// M x = ω Ya xa + (1-ω) Yb xb = (4/15)(1, 1), so x = (1.25·4/15, 6.75·4/15) = (1/3, 1.8).
//
// Trace: tr M⁻¹ = 4/(1+3ω) + 36/(9-5ω); its derivative -12/(1+3ω)² + 180/(9-5ω)²
// vanishes where √15 (1+3ω) = 9 - 5ω, ω = (9-√15)/(3√15+5) ≈ 0.3085.
func TestCovarianceIntersectionHand(t *testing.T) {
	a := est2(0, 0, 1, 0, 0, 9)
	b := est2(4, 4, 4, 0, 0, 4)
	var f Estimate
	w, err := CovarianceIntersection(&f, &a, &b, Det)
	require.NoError(t, err)
	assert.InDelta(t, 11.0/15, w, 1e-7)
	assert.InDeltaSlice(t, []float64{1.0 / 3, 1.8}, f.X[:2], 1e-6)
	assert.InDeltaSlice(t, []float64{1.25, 0, 0, 6.75}, f.P[:4], 1e-6)

	w, err = CovarianceIntersection(&f, &a, &b, Trace)
	require.NoError(t, err)
	s15 := math.Sqrt(15)
	wt := (9 - s15) / (3*s15 + 5)
	assert.InDelta(t, wt, w, 1e-7)
	m0, m1 := (1+3*wt)/4, (9-5*wt)/36
	assert.InDeltaSlice(t, []float64{1 / m0, 0, 0, 1 / m1}, f.P[:4], 1e-6)
	assert.InDeltaSlice(t, []float64{(1 - wt) / m0, (1 - wt) / m1}, f.X[:2], 1e-6)
}

// TestCovarianceIntersectionOptimal compares the chosen ω with a dense scan of the
// objective on random 4- and 6-dimensional pairs.
func TestCovarianceIntersectionOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 40; trial++ {
		n := 4 + 2*(trial%2)
		a, b := randEstimate(rng, n), randEstimate(rng, n)
		for _, obj := range []Objective{Det, Trace} {
			var f Estimate
			w, err := CovarianceIntersection(&f, &a, &b, obj)
			require.NoError(t, err)
			got := objective(t, &f, obj)
			best := math.Inf(1)
			for k := 0; k <= 2000; k++ {
				best = math.Min(best, objective(t, ciAt(t, &a, &b, float64(k)/2000), obj))
			}
			assert.LessOrEqual(t, got, best*(1+1e-9), "trial %d obj %d ω %g", trial, obj, w)
		}
	}
}

// ciAt is the textbook CI at a given ω, with gonum.
func ciAt(t *testing.T, a, b *Estimate, w float64) *Estimate {
	n := a.Dim
	pa := mat.NewSymDense(n, append([]float64(nil), a.P[:n*n]...))
	pb := mat.NewSymDense(n, append([]float64(nil), b.P[:n*n]...))
	var ia, ib mat.Dense
	require.NoError(t, ia.Inverse(pa))
	require.NoError(t, ib.Inverse(pb))
	var m mat.Dense
	m.Scale(w, &ia)
	var tmp mat.Dense
	tmp.Scale(1-w, &ib)
	m.Add(&m, &tmp)
	var p mat.Dense
	require.NoError(t, p.Inverse(&m))
	var ya, yb, y, x mat.VecDense
	ya.MulVec(&ia, mat.NewVecDense(n, append([]float64(nil), a.X[:n]...)))
	yb.MulVec(&ib, mat.NewVecDense(n, append([]float64(nil), b.X[:n]...)))
	y.ScaleVec(w, &ya)
	y.AddScaledVec(&y, 1-w, &yb)
	x.MulVec(&p, &y)
	e := &Estimate{Dim: n}
	for i := 0; i < n; i++ {
		e.X[i] = x.AtVec(i)
		for j := 0; j < n; j++ {
			e.P[i*n+j] = p.At(i, j)
		}
	}
	return e
}

func objective(t *testing.T, e *Estimate, obj Objective) float64 {
	n := e.Dim
	p := mat.NewDense(n, n, append([]float64(nil), e.P[:n*n]...))
	if obj == Trace {
		return mat.Trace(p)
	}
	return mat.Det(p)
}

func randEstimate(rng *rand.Rand, n int) Estimate {
	a := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, rng.NormFloat64()*math.Pow(3, float64(i%3)))
		}
	}
	var p mat.Dense
	p.Mul(a, a.T())
	e := Estimate{Dim: n}
	for i := 0; i < n; i++ {
		e.X[i] = rng.NormFloat64() * 10
		for j := 0; j < n; j++ {
			e.P[i*n+j] = p.At(i, j)
			if i == j {
				e.P[i*n+j] += 0.1
			}
		}
	}
	for i := 0; i < n; i++ { // exact symmetry
		for j := 0; j < i; j++ {
			e.P[i*n+j] = e.P[j*n+i]
		}
	}
	return e
}

// TestCovarianceIntersectionConsistent draws pairs of estimates whose errors are
// strongly correlated (unknown to the fusion) and checks that the fused covariance
// dominates the empirical covariance of the fused error: P_CI − Ĉ is positive
// semi-definite (smallest eigenvalue above the sampling tolerance), and the average
// NEES is at most the dimension. Information fusion, which assumes independence, must
// fail the same check, which shows the check can fail.
func TestCovarianceIntersectionConsistent(t *testing.T) {
	const n, samples = 4, 20000
	rng := rand.New(rand.NewPCG(7, 8))
	a, b := randEstimate(rng, n), randEstimate(rng, n)
	// Joint covariance [[Pa, C], [Cᵀ, Pb]] with C = ρ La Lbᵀ (La, Lb Cholesky factors),
	// positive definite for |ρ| < 1.
	const rho = 0.9
	var la, lb mat.Cholesky
	require.True(t, la.Factorize(mat.NewSymDense(n, append([]float64(nil), a.P[:n*n]...))))
	require.True(t, lb.Factorize(mat.NewSymDense(n, append([]float64(nil), b.P[:n*n]...))))
	var La, Lb mat.TriDense
	la.LTo(&La)
	lb.LTo(&Lb)
	for _, tc := range []struct {
		name string
		ci   bool
	}{{"ci", true}, {"information", false}} {
		t.Run(tc.name, func(t *testing.T) {
			var fused Estimate
			var err error
			zero := a
			zero.X = [MaxDim]float64{}
			zb := b
			zb.X = [MaxDim]float64{}
			if tc.ci {
				_, err = CovarianceIntersection(&fused, &zero, &zb, Det)
			} else {
				err = InformationFusion(&fused, &zero, &zb)
			}
			require.NoError(t, err)
			pf := mat.NewSymDense(n, append([]float64(nil), fused.P[:n*n]...))
			var pfChol mat.Cholesky
			require.True(t, pfChol.Factorize(pf))
			emp := mat.NewSymDense(n, nil)
			nees := 0.0
			for s := 0; s < samples; s++ {
				u, v := mat.NewVecDense(n, nil), mat.NewVecDense(n, nil)
				for i := 0; i < n; i++ {
					g1, g2 := rng.NormFloat64(), rng.NormFloat64()
					u.SetVec(i, g1)
					v.SetVec(i, rho*g1+math.Sqrt(1-rho*rho)*g2)
				}
				var ea, eb mat.VecDense
				ea.MulVec(&La, u)
				eb.MulVec(&Lb, v)
				ra, rb := zero, zb
				for i := 0; i < n; i++ {
					ra.X[i], rb.X[i] = ea.AtVec(i), eb.AtVec(i)
				}
				var f Estimate
				if tc.ci {
					_, err = CovarianceIntersection(&f, &ra, &rb, Det)
				} else {
					err = InformationFusion(&f, &ra, &rb)
				}
				require.NoError(t, err)
				e := mat.NewVecDense(n, append([]float64(nil), f.X[:n]...))
				emp.SymRankOne(emp, 1.0/samples, e)
				var y mat.VecDense
				require.NoError(t, pfChol.SolveVecTo(&y, e))
				nees += mat.Dot(e, &y) / samples
			}
			diff := mat.NewSymDense(n, nil)
			for i := 0; i < n; i++ {
				for j := i; j < n; j++ {
					diff.SetSym(i, j, pf.At(i, j)-emp.At(i, j))
				}
			}
			var eig mat.EigenSym
			require.True(t, eig.Factorize(diff, false))
			minEig := eig.Values(nil)[0]
			// Sampling tolerance: 5% of the largest fused variance.
			tol := 0.05 * maxDiag(pf)
			if tc.ci {
				assert.GreaterOrEqual(t, minEig, -tol, "P_CI − Ĉ must be PSD")
				assert.LessOrEqual(t, nees, float64(n)*1.02, "mean NEES")
			} else {
				assert.Less(t, minEig, -tol, "information fusion must be overconfident here")
				assert.Greater(t, nees, float64(n)*1.1, "mean NEES")
			}
		})
	}
}

func maxDiag(p *mat.SymDense) float64 {
	m := 0.0
	for i := 0; i < p.SymmetricDim(); i++ {
		m = math.Max(m, p.At(i, i))
	}
	return m
}

func TestFusionBadInput(t *testing.T) {
	good := est2(0, 0, 1, 0, 0, 1)
	nan := est2(math.NaN(), 0, 1, 0, 0, 1)
	inf := est2(0, 0, math.Inf(1), 0, 0, 1)
	npd := est2(0, 0, 1, 2, 2, 1)
	asym := est2(0, 0, 1, 0.5, 0.4, 1)
	dim := Estimate{Dim: 3, P: [MaxDim * MaxDim]float64{1, 0, 0, 0, 1, 0, 0, 0, 1}}
	zero := Estimate{}
	for _, tc := range []struct {
		name string
		a    Estimate
		want error
	}{
		{"NaN mean", nan, ErrNonFinite},
		{"Inf covariance", inf, ErrNonFinite},
		{"not positive definite", npd, ErrNotPositiveDefinite},
		{"not symmetric", asym, ErrNotPositiveDefinite},
		{"dimension mismatch", dim, ErrLayout},
		{"zero dimension", zero, ErrLayout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := est2(7, 7, 7, 0, 0, 7)
			before := dst
			_, err := CovarianceIntersection(&dst, &tc.a, &good, Det)
			assert.True(t, errors.Is(err, tc.want), "CI: %v", err)
			err = InformationFusion(&dst, &good, &tc.a)
			assert.True(t, errors.Is(err, tc.want), "information: %v", err)
			assert.Equal(t, before, dst)
		})
	}
}

func TestFusionAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := randEstimate(rng, 6), randEstimate(rng, 6)
	var f Estimate
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = CovarianceIntersection(&f, &a, &b, Det)
		_, _ = CovarianceIntersection(&f, &a, &b, Trace)
		_ = InformationFusion(&f, &a, &b)
	})
	assert.Zero(t, allocs)
}

// TestDetLDL checks the LDLᵀ determinants (general and unrolled 4×4) against gonum.
func TestDetLDL(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 200; trial++ {
		n := 1 + trial%MaxDim
		a, b := randEstimate(rng, n), randEstimate(rng, n)
		var xa, xb vec
		var pa, pb mtx
		require.NoError(t, load(&xa, &pa, &a))
		require.NoError(t, load(&xb, &pb, &b))
		w := rng.Float64()
		m := mat.NewDense(n, n, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				m.Set(i, j, w*pa[i][j]+(1-w)*pb[i][j])
			}
		}
		want := mat.Det(m)
		got, ok := detBlendLDL(&pa, &pb, w, n)
		require.True(t, ok)
		assert.InDelta(t, want, got, 1e-9*want, "n=%d", n)
	}
	var npd mtx
	npd[0][0], npd[1][0], npd[0][1], npd[1][1], npd[2][2], npd[3][3] = 1, 2, 2, 1, 1, 1
	for _, n := range []int{2, 4, 6} {
		npd[4][4], npd[5][5] = 1, 1
		_, ok := detBlendLDL(&npd, &npd, 0.3, n)
		assert.False(t, ok, "n=%d", n)
	}
}

// TestInverse checks the Cholesky inverse (general and unrolled sizes) and its trace
// against gonum.
func TestInverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for trial := 0; trial < 120; trial++ {
		n := 1 + trial%MaxDim
		e := randEstimate(rng, n)
		var x vec
		var p, l, inv mtx
		require.NoError(t, load(&x, &p, &e))
		require.True(t, cholesky(&l, &p, n))
		tr := invChol(&inv, &l, n)
		var want mat.Dense
		require.NoError(t, want.Inverse(mat.NewDense(n, n, append([]float64(nil), e.P[:n*n]...))))
		scale := mat.Norm(&want, math.Inf(1))
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				assert.InDelta(t, want.At(i, j), inv[i][j], 1e-9*scale, "n=%d (%d,%d)", n, i, j)
			}
		}
		assert.InDelta(t, mat.Trace(&want), tr, 1e-9*scale*float64(n))
	}
}
