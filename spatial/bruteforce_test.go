package spatial

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// refPairs is the reference: every (track, detection) pair, d² through the adjugate
// inverse of S = P + R (a formula independent of the package's LDLᵀ kernels), in
// (track, detection) order, for d² ≤ gamma·(1+slack).
func refPairs(t Tracks, d Detections, m int, gamma, slack float64) []Pair {
	nT, nD := len(t.Z)/m, len(d.Z)/m
	shared := len(d.Cov) == m*m
	var out []Pair
	var s [9]float64
	for i := range nT {
		p := t.Cov[i*m*m : (i+1)*m*m]
		for j := range nD {
			r := d.Cov
			if !shared {
				r = d.Cov[j*m*m : (j+1)*m*m]
			}
			for k := range m * m {
				s[k] = p[k] + r[k]
			}
			var d2 float64
			if m == 2 {
				e0, e1 := d.Z[2*j]-t.Z[2*i], d.Z[2*j+1]-t.Z[2*i+1]
				det := s[0]*s[3] - s[1]*s[2]
				d2 = (s[3]*e0*e0 - (s[1]+s[2])*e0*e1 + s[0]*e1*e1) / det
			} else {
				e := [3]float64{d.Z[3*j] - t.Z[3*i], d.Z[3*j+1] - t.Z[3*i+1], d.Z[3*j+2] - t.Z[3*i+2]}
				d2 = adjQuad3(&s, &e)
			}
			if d2 <= gamma*(1+slack) {
				out = append(out, Pair{Track: int32(i), Det: int32(j), D2: d2})
			}
		}
	}
	return out
}

// adjQuad3 returns eᵀ S⁻¹ e through the adjugate of the 3×3 S.
func adjQuad3(s *[9]float64, e *[3]float64) float64 {
	a, b, c := s[0], s[1], s[2]
	dd, ee, f := s[3], s[4], s[5]
	g, h, k := s[6], s[7], s[8]
	A := ee*k - f*h
	B := -(dd*k - f*g)
	C := dd*h - ee*g
	det := a*A + b*B + c*C
	inv := [9]float64{
		A, -(b*k - c*h), b*f - c*ee,
		B, a*k - c*g, -(a*f - c*dd),
		C, -(a*h - b*g), a*ee - b*dd,
	}
	var q float64
	for i := range 3 {
		for j := range 3 {
			q += e[i] * inv[i*3+j] * e[j]
		}
	}
	return q / det
}

// gonumD2 returns d² of one pair through gonum's Cholesky solve: a second, textbook
// reference for small scenes.
func gonumD2(t Tracks, d Detections, m, i, j int) float64 {
	shared := len(d.Cov) == m*m
	r := d.Cov
	if !shared {
		r = d.Cov[j*m*m : (j+1)*m*m]
	}
	s := mat.NewSymDense(m, nil)
	e := mat.NewVecDense(m, nil)
	for a := range m {
		e.SetVec(a, d.Z[j*m+a]-t.Z[i*m+a])
		for b := a; b < m; b++ {
			s.SetSym(a, b, t.Cov[i*m*m+a*m+b]+r[a*m+b])
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(s) {
		return math.Inf(1)
	}
	var x mat.VecDense
	if err := ch.SolveVecTo(&x, e); err != nil {
		return math.Inf(1)
	}
	return mat.Dot(e, &x)
}
