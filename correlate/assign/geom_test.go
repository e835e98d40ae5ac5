package assign

import (
	"math"
	"math/rand/v2"
)

// geometric builds a tracker-like gated problem: n targets uniform in a √n×√n square (unit
// density), one detection per target displaced by N(0, sigma²) noise per axis, candidate
// pairs within radius gate found with a simple grid, cost = squared distance.
func geometric(seed uint64, n int, sigma, gate float64) *Sparse {
	r := rand.New(rand.NewPCG(seed, 7))
	side := math.Sqrt(float64(n))
	tx := make([]float64, n)
	ty := make([]float64, n)
	dx := make([]float64, n)
	dy := make([]float64, n)
	for i := 0; i < n; i++ {
		tx[i], ty[i] = r.Float64()*side, r.Float64()*side
	}
	perm := r.Perm(n) // detections in an order unrelated to the targets
	for i, k := range perm {
		dx[k] = tx[i] + sigma*r.NormFloat64()
		dy[k] = ty[i] + sigma*r.NormFloat64()
	}
	// grid of detections with cell size gate
	g := int(math.Ceil((side+2*gate)/gate)) + 1
	cell := func(x, y float64) (int, int) {
		cx := int(math.Floor((x + gate) / gate))
		cy := int(math.Floor((y + gate) / gate))
		return min(max(cx, 0), g-1), min(max(cy, 0), g-1)
	}
	head := make([]int, g*g+1)
	for k := 0; k < n; k++ {
		cx, cy := cell(dx[k], dy[k])
		head[cy*g+cx+1]++
	}
	for c := 1; c <= g*g; c++ {
		head[c] += head[c-1]
	}
	items := make([]int32, n)
	fill := append([]int(nil), head[:g*g]...)
	for k := 0; k < n; k++ {
		cx, cy := cell(dx[k], dy[k])
		items[fill[cy*g+cx]] = int32(k)
		fill[cy*g+cx]++
	}
	p := &Sparse{Rows: n, Cols: n, Start: make([]int32, n+1)}
	g2 := gate * gate
	for i := 0; i < n; i++ {
		cx, cy := cell(tx[i], ty[i])
		for yy := max(cy-1, 0); yy <= min(cy+1, g-1); yy++ {
			for xx := max(cx-1, 0); xx <= min(cx+1, g-1); xx++ {
				for _, k := range items[head[yy*g+xx]:head[yy*g+xx+1]] {
					ex, ey := dx[k]-tx[i], dy[k]-ty[i]
					if d2 := ex*ex + ey*ey; d2 <= g2 {
						p.Col = append(p.Col, k)
						p.Cost = append(p.Cost, d2)
					}
				}
			}
		}
		p.Start[i+1] = int32(len(p.Col))
	}
	return p
}

// withTracking returns a copy of p in the tracking form with constant miss and new costs.
func withTracking(p *Sparse, miss, nw float64) *Sparse {
	q := *p
	q.Miss = make([]float64, p.Rows)
	q.New = make([]float64, p.Cols)
	for i := range q.Miss {
		q.Miss[i] = miss
	}
	for j := range q.New {
		q.New[j] = nw
	}
	return &q
}
