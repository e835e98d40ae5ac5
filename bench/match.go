package bench

import (
	"errors"
	"fmt"
	"math"

	"github.com/trackcorr/trackcorr/correlate/assign"
)

// Point is an object's position at one time, truth or estimate, in metres.
type Point struct {
	// ID identifies the truth object or the track.
	ID int64
	// X, Y, Z is the position; Z is ignored by two-dimensional metrics.
	X, Y, Z float64
}

// ErrMetric means a metric's input or configuration is invalid: a non-finite position,
// a duplicated ID within a frame, a non-positive cut-off.
var ErrMetric = errors.New("bench: invalid metric input")

// matcher finds the (truth, track) pairs closer than a radius without comparing all pairs
// (a uniform grid over the tracks, rebuilt per call by counting sort), and holds the
// assignment solver and its buffers, so that repeated calls allocate nothing once warm.
type matcher struct {
	dims   int
	solver *assign.Solver
	p      assign.Sparse
	res    assign.Result
	dist   []float64 // distance of each candidate, parallel to p.Col

	cellOf []int32   // grid cell of each track
	start  []int32   // cell offsets into order, len cells+1
	order  []int32   // tracks sorted by cell
	px, py []float64 // track positions in cell order
	pz     []float64
	nx, ny int
	x0, y0 float64
	cell   float64
}

func newMatcher(dims int) (*matcher, error) {
	s, err := assign.NewSolver(assign.Config{Workers: 1})
	if err != nil {
		return nil, err
	}
	return &matcher{dims: dims, solver: s}, nil
}

func (m *matcher) distance(a, b *Point) float64 {
	dx, dy := a.X-b.X, a.Y-b.Y
	if m.dims == 3 {
		dz := a.Z - b.Z
		return math.Sqrt(dx*dx + dy*dy + dz*dz)
	}
	return math.Sqrt(dx*dx + dy*dy)
}

// checkPoints rejects non-finite positions.
func checkPoints(what string, pts []Point, dims int) error {
	for i := range pts {
		p := &pts[i]
		if math.IsNaN(p.X) || math.IsInf(p.X, 0) || math.IsNaN(p.Y) || math.IsInf(p.Y, 0) ||
			(dims == 3 && (math.IsNaN(p.Z) || math.IsInf(p.Z, 0))) {
			return fmt.Errorf("%w: %s %d (ID %d) has a non-finite position", ErrMetric, what, i, p.ID)
		}
	}
	return nil
}

// candidates fills m.p (rows = truth, columns = tracks) with every pair closer than
// radius, with cost(d) as its cost, and m.dist with the distances.
func (m *matcher) candidates(truth, tracks []Point, radius float64, cost func(d float64) float64) {
	m.index(tracks, radius)
	m.p.Rows, m.p.Cols = len(truth), len(tracks)
	m.p.Start = append(m.p.Start[:0], 0)
	m.p.Col = m.p.Col[:0]
	m.p.Cost = m.p.Cost[:0]
	m.dist = m.dist[:0]
	r2 := radius * radius
	for i := range truth {
		t := &truth[i]
		if len(tracks) > 0 {
			cx := int(math.Floor((t.X - m.x0) / m.cell))
			cy := int(math.Floor((t.Y - m.y0) / m.cell))
			for gy := max(cy-1, 0); gy <= min(cy+1, m.ny-1); gy++ {
				for gx := max(cx-1, 0); gx <= min(cx+1, m.nx-1); gx++ {
					c := gy*m.nx + gx
					for k := m.start[c]; k < m.start[c+1]; k++ {
						// Squared distance first, on the cell-ordered copies: one square
						// root per candidate, not per comparison.
						dx, dy := t.X-m.px[k], t.Y-m.py[k]
						d2 := dx*dx + dy*dy
						if m.dims == 3 {
							dz := t.Z - m.pz[k]
							d2 += dz * dz
						}
						if d2 < r2 {
							d := math.Sqrt(d2)
							m.p.Col = append(m.p.Col, m.order[k])
							m.p.Cost = append(m.p.Cost, cost(d))
							m.dist = append(m.dist, d)
						}
					}
				}
			}
		}
		m.p.Start = append(m.p.Start, int32(len(m.p.Col)))
	}
}

// index buckets the tracks in a grid of cells at least radius wide, so that every track
// within radius of a point lies in the point's cell or its eight neighbours. The cell is
// widened when the tracks' extent would need more than about four cells per track.
func (m *matcher) index(tracks []Point, radius float64) {
	if len(tracks) == 0 {
		return
	}
	minX, minY, maxX, maxY := tracks[0].X, tracks[0].Y, tracks[0].X, tracks[0].Y
	for i := range tracks {
		minX, maxX = math.Min(minX, tracks[i].X), math.Max(maxX, tracks[i].X)
		minY, maxY = math.Min(minY, tracks[i].Y), math.Max(maxY, tracks[i].Y)
	}
	cell := radius
	limit := 4*float64(len(tracks)) + 16
	for ((maxX-minX)/cell+1)*((maxY-minY)/cell+1) > limit {
		cell *= 2
	}
	m.cell, m.x0, m.y0 = cell, minX, minY
	m.nx = int((maxX-minX)/cell) + 1
	m.ny = int((maxY-minY)/cell) + 1
	cells := m.nx * m.ny
	m.start = resize(m.start, cells+1)
	clear(m.start)
	m.cellOf = resize(m.cellOf, len(tracks))
	for i := range tracks {
		c := int32(int((tracks[i].Y-minY)/cell)*m.nx + int((tracks[i].X-minX)/cell))
		m.cellOf[i] = c
		m.start[c+1]++
	}
	for c := range cells {
		m.start[c+1] += m.start[c]
	}
	m.order = resize(m.order, len(tracks))
	// Place tracks in index order within each cell (stable), using cellOf's slots of
	// start as cursors and restoring the offsets afterwards.
	for i := range tracks {
		c := m.cellOf[i]
		m.order[m.start[c]] = int32(i)
		m.start[c]++
	}
	for c := cells; c > 0; c-- {
		m.start[c] = m.start[c-1]
	}
	m.start[0] = 0
	m.px, m.py, m.pz = resize(m.px, len(tracks)), resize(m.py, len(tracks)), resize(m.pz, len(tracks))
	for k, i := range m.order {
		m.px[k], m.py[k], m.pz[k] = tracks[i].X, tracks[i].Y, tracks[i].Z
	}
}

// close releases the solver.
func (m *matcher) close() error { return m.solver.Close() }

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
