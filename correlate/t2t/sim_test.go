package t2t

import (
	"math"
	"math/rand/v2"
)

const second = int64(1e9)

// truth is a target moving at constant velocity in 2-D: [x, vx, y, vy] at time 0.
type truth [4]float64

func (tr truth) at(t int64) (x, y float64) {
	s := float64(t) / 1e9
	return tr[0] + tr[1]*s, tr[2] + tr[3]*s
}

// grid returns n targets on a square grid with the given spacing (metres), each with
// a random velocity of 5-15 m/s.
func grid(rng *rand.Rand, n int, spacing float64) []truth {
	side := int(math.Ceil(math.Sqrt(float64(n))))
	out := make([]truth, n)
	for i := range out {
		a := rng.Float64() * 2 * math.Pi
		v := 5 + 10*rng.Float64()
		out[i] = truth{float64(i%side) * spacing, v * math.Cos(a), float64(i/side) * spacing, v * math.Sin(a)}
	}
	return out
}

// source describes a simulated reporting tracker: its reported covariance is
// diag(σp², σv², σp², σv²), and its estimate errors are drawn from it (plus Bias).
type source struct {
	id         uint32
	sigP, sigV float64
	bias       [2]float64
}

// report returns source s's report of target i at time t.
func (s source) report(rng *rand.Rand, i int, tr truth, t int64) Report {
	x, y := tr.at(t)
	r := Report{Key: Key{Source: s.id, Track: uint64(1000 + i)}, Time: t, Layout: CV2}
	r.X[0] = x + s.bias[0] + s.sigP*rng.NormFloat64()
	r.X[1] = tr[1] + s.sigV*rng.NormFloat64()
	r.X[2] = y + s.bias[1] + s.sigP*rng.NormFloat64()
	r.X[3] = tr[3] + s.sigV*rng.NormFloat64()
	pp, vv := s.sigP*s.sigP, s.sigV*s.sigV
	r.P[0], r.P[5], r.P[10], r.P[15] = pp, vv, pp, vv
	return r
}
