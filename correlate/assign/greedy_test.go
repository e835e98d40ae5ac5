package assign

import (
	"math"
	"math/rand/v2"
	"testing"
)

// specialFloats are values the branch-free minima must order like float comparisons.
var specialFloats = []float64{
	math.Inf(-1), -math.MaxFloat64, -1e300, -2, -1, -math.SmallestNonzeroFloat64,
	math.Copysign(0, -1), 0, math.SmallestNonzeroFloat64, 2.2250738585072014e-308, 1,
	1 + 1e-16, 1 + 2.220446049250313e-16, 2, 1e300, math.MaxFloat64, math.Inf(1),
}

func randomFloat(r *rand.Rand) float64 {
	switch r.IntN(4) {
	case 0:
		return specialFloats[r.IntN(len(specialFloats))]
	case 1:
		return float64(r.IntN(5) - 2) // ties
	case 2:
		return math.Float64frombits(r.Uint64()) // any bits, NaN included
	}
	return r.NormFloat64() * 10
}

// refRowMin is rowMin written plainly: the first bad candidate, else the first least.
func refRowMin(cols []int32, costs []float64, m int) (int32, float64) {
	for x, j := range cols {
		if c := costs[x]; j < 0 || int(j) >= m || math.IsNaN(c) || math.IsInf(c, 0) {
			return -1 - int32(x), 0
		}
	}
	bx, best := int32(len(cols)), math.Inf(1)
	for x, c := range costs[:len(cols)] {
		if c < best {
			bx, best = int32(x), c
		}
	}
	return bx, best
}

func TestRowMin(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for it := range 200_000 {
		n := r.IntN(20)
		m := 1 + r.IntN(10)
		cols := make([]int32, n)
		costs := make([]float64, n)
		pnew := make([]float64, m)
		for j := range pnew {
			pnew[j] = float64(r.IntN(3))
		}
		for x := range cols {
			cols[x] = int32(r.IntN(m))
			if it%2 == 0 {
				costs[x] = float64(r.IntN(4)) - 1.5 // many ties
			} else {
				costs[x] = randomFloat(r)
			}
			if r.IntN(50) == 0 {
				cols[x] = int32(m + r.IntN(3)) // out of range
			}
			if r.IntN(50) == 0 {
				cols[x] = -1 - int32(r.IntN(3))
			}
		}
		wx, wc := refRowMin(cols, costs, m)
		gx, gc := rowMin(cols, costs, m)
		if gx != wx || (gx >= 0 && gc != wc) {
			t.Fatalf("rowMin(%v, %v, %d) = %d, %v, want %d, %v", cols, costs, m, gx, gc, wx, wc)
		}
		if wx < 0 {
			continue
		}
		// argMinTrack on the same (valid) candidates: the first least c - New[j].
		tc := make([]float64, n)
		for x, j := range cols {
			tc[x] = costs[x] - pnew[j]
		}
		wx, wc = refRowMin(cols, tc, m)
		if wx < 0 {
			continue // the difference overflowed to ±Inf
		}
		gx, gc = argMinTrack(cols, costs, pnew)
		if gx != wx || gc != wc {
			t.Fatalf("argMinTrack(%v, %v, %v) = %d, %v, want %d, %v", cols, costs, pnew, gx, gc, wx, wc)
		}
	}
}
