package spatial

import "math"

// Grid is an Index over a hierarchy of uniform grids rebuilt by counting sort.
//
// Each box is filed in one cell, the cell of its Min corner, so a box is stored once
// whatever its size. A query visits the cells whose Min corners could belong to an
// intersecting box: its own extent, widened downwards by the widest box of the level.
//
// Mixed sizes do not degrade a level to a full scan: the cell size of a level is the
// larger of the 90th percentile of box widths (rounded up to a power of two) and the
// mean spacing of the boxes, and boxes wider than one cell move to the next, coarser
// level, which is built the same way from them alone. Each level keeps at least 90% of
// what reaches it, so a thousand kilometre-wide gates among a hundred thousand ten-metre
// gates make a second level of a thousand boxes, not a fine grid that every query must
// scan. At most maxGridLevels levels are built; the few boxes left after that (or fewer
// than gridRestMax at any level) are checked linearly by every query.
//
// The number of cells per level is bounded by twice its number of boxes plus 16, so
// memory is O(n). After the first Builds and Searches of a given size (Search collects
// the hits in a reused buffer before visiting them), Build and Search allocate
// nothing. The zero value is an empty Grid ready to use.
type Grid struct {
	levels []gridLevel
	nlev   int
	rest   []int32 // ids checked linearly
	restB  []Box
	n      int

	ids, next []int32 // scratch: items of the level being built and its overflow
	cellOf    []int32 // scratch: cell of each item of the level being built (or query)
	found     []int32 // scratch: hits of one Search

	sh gridShards // a build in shards (DetectionIndex)
}

const (
	maxGridLevels = 8
	gridRestMax   = 16
	gridCellCap   = 2 // cells per box, at most (plus gridCellPad)
	gridCellPad   = 16
	// Relative and absolute (per metre of coordinate) padding of the widening of a
	// query, so that rounding in box corners never drops an intersecting box.
	gridRelPad = 1e-9
	gridAbsPad = 1e-12
)

type gridLevel struct {
	minX, minY float64 // smallest Min corner of the level's boxes
	inv        float64 // 1 / cell size
	nx, ny     int
	wx, wy     float64 // widest box of the level on each axis, padded
	start      []int32 // nx*ny+1 offsets into id and box
	id         []int32
	box        []Box
}

// Len returns the number of indexed boxes.
func (g *Grid) Len() int { return g.n }

// Levels returns the number of grid levels built by the last Build and the number of
// boxes checked linearly by every query.
func (g *Grid) Levels() (levels, linear int) { return g.nlev, len(g.rest) }

// Build indexes boxes (see Index). It costs O(n) and allocates only when the grid grows.
func (g *Grid) Build(boxes []Box) {
	g.n = len(boxes)
	g.nlev = 0
	g.rest = g.rest[:0]
	g.restB = g.restB[:0]
	ids := g.ids[:0]
	for i := range boxes {
		ids = append(ids, int32(i))
	}
	g.buildFrom(boxes, ids)
}

// buildFrom builds the levels from g.nlev on, and then the linear remainder, from the
// boxes ids (held in g.ids: it reuses that buffer).
func (g *Grid) buildFrom(boxes []Box, ids []int32) {
	for len(ids) > gridRestMax && g.nlev < maxGridLevels {
		if g.nlev == len(g.levels) {
			g.levels = append(g.levels, gridLevel{})
		}
		g.next = g.buildLevel(&g.levels[g.nlev], boxes, ids, g.next[:0])
		g.nlev++
		// The overflow (at most a tenth) becomes the input of the next level.
		ids = append(ids[:0], g.next...)
	}
	g.ids = ids
	for _, id := range ids {
		g.rest = append(g.rest, id)
		g.restB = append(g.restB, boxes[id])
	}
}

// buildLevel files the boxes ids that fit the level's cell size into l and appends the
// others to next, which it returns.
func (g *Grid) buildLevel(l *gridLevel, boxes []Box, ids, next []int32) []int32 {
	// Width histogram by binary exponent, and the bounds of the Min corners.
	var hist [130]int32 // bin 0: width 0; bin e+65 for widths in [2^(e-1), 2^e)
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, id := range ids {
		b := &boxes[id]
		hist[widthBin(boxWidth(b))]++
		x, y := b.Min[0], b.Min[1]
		if x < minX {
			minX = x
		}
		if x > maxX {
			maxX = x
		}
		if y < minY {
			minY = y
		}
		if y > maxY {
			maxY = y
		}
	}
	n := len(ids)
	cell := l.shape(&hist, n, minX, minY, maxX, maxY)
	ncell := l.nx * l.ny
	l.start = resizeInt32(l.start, ncell+1)
	clear(l.start)
	cellOf := resizeInt32(g.cellOf, n)[:0]
	var wx, wy float64
	kept := 0
	for _, id := range ids {
		b := &boxes[id]
		if boxWidth(b) > cell {
			next = append(next, id)
			continue
		}
		if w := b.Max[0] - b.Min[0]; w > wx {
			wx = w
		}
		if w := b.Max[1] - b.Min[1]; w > wy {
			wy = w
		}
		c := l.cellIndex(b.Min[0], b.Min[1])
		cellOf = append(cellOf, c)
		l.start[c+1]++
		ids[kept] = id
		kept++
	}
	g.cellOf = cellOf
	l.widths(wx, wy, maxX, maxY, cell)
	for c := 1; c <= ncell; c++ {
		l.start[c] += l.start[c-1]
	}
	l.id = resizeInt32(l.id, kept)
	if cap(l.box) < kept {
		l.box = make([]Box, kept)
	}
	l.box = l.box[:kept]
	// Scatter; start[c] runs from the beginning of cell c to the beginning of c+1.
	for k, id := range ids[:kept] {
		c := cellOf[k]
		p := l.start[c]
		l.id[p] = id
		l.box[p] = boxes[id]
		l.start[c] = p + 1
	}
	copy(l.start[1:], l.start[:ncell])
	l.start[0] = 0
	return next
}

// shape sizes the level for n boxes from the histogram of their widths (see
// widthBin) and the bounds of their Min corners: it sets the level's origin, cell
// size and number of cells, and returns the cell size (boxes wider than it go to the
// next level).
func (l *gridLevel) shape(hist *[130]int32, n int, minX, minY, maxX, maxY float64) float64 {
	// 90th percentile of widths, rounded up to a power of two.
	want, acc, q := int32(n-n/10), int32(0), 0.0
	for bin := range hist {
		acc += hist[bin]
		if acc >= want {
			q = binUpper(bin)
			break
		}
	}
	ex, ey := maxX-minX, maxY-minY
	// Mean spacing: the side of the square that holds one box on average.
	spacing := math.Sqrt(ex * ey / float64(n))
	if spacing == 0 {
		spacing = math.Max(ex, ey) / float64(n)
	}
	cell := math.Max(q, spacing)
	if !(cell > 0) {
		cell = math.Max(math.Max(ex, ey), 1)
	}
	if math.IsInf(cell, 0) || math.IsInf(ex, 0) || math.IsInf(ey, 0) {
		// Extents beyond float64 range: one cell holding everything.
		cell, l.nx, l.ny, l.inv = math.Inf(1), 1, 1, 0
	} else {
		maxCells := float64(gridCellCap*n + gridCellPad)
		for {
			fx, fy := math.Floor(ex/cell)+1, math.Floor(ey/cell)+1
			if fx*fy <= maxCells {
				l.nx, l.ny = int(fx), int(fy)
				break
			}
			cell *= math.Max(math.Sqrt(fx*fy/maxCells), 1.0625)
		}
		l.inv = 1 / cell
	}
	l.minX, l.minY = minX, minY
	return cell
}

// widths sets the level's widest box on each axis from the widest filed boxes (wx,
// wy), padded for rounding, given the upper bounds of its Min corners and its cell size.
func (l *gridLevel) widths(wx, wy, maxX, maxY, cell float64) {
	minX, minY := l.minX, l.minY
	mag := math.Max(math.Max(math.Abs(minX), math.Abs(maxX)), math.Max(math.Abs(minY), math.Abs(maxY))) + cell
	l.wx = wx*(1+gridRelPad) + gridAbsPad*mag
	l.wy = wy*(1+gridRelPad) + gridAbsPad*mag
}

// cellIndex returns the cell of a point, clamped to the grid. Coordinates are finite.
func (l *gridLevel) cellIndex(x, y float64) int32 {
	return int32(l.row(y)*l.nx + l.col(x))
}

func (l *gridLevel) col(x float64) int {
	f := (x - l.minX) * l.inv
	if !(f > 0) {
		return 0
	}
	if f >= float64(l.nx) {
		return l.nx - 1
	}
	return int(f)
}

func (l *gridLevel) row(y float64) int {
	f := (y - l.minY) * l.inv
	if !(f > 0) {
		return 0
	}
	if f >= float64(l.ny) {
		return l.ny - 1
	}
	return int(f)
}

// Search calls visit for every indexed box that intersects q (see Index). Within a
// level, boxes come cell by cell, row by row; the linear remainder comes last.
func (g *Grid) Search(q Box, visit func(id int32) bool) {
	g.found = g.appendHits(q, g.found[:0])
	for _, id := range g.found {
		if !visit(id) {
			return
		}
	}
}

// appendHits appends to ids the ids of the indexed boxes that intersect q, in the
// order of Search, and returns the extended slice.
func (g *Grid) appendHits(q Box, ids []int32) []int32 {
	for li := 0; li < g.nlev; li++ {
		l := &g.levels[li]
		if q.Max[0] < l.minX || q.Max[1] < l.minY {
			continue // every box of the level starts beyond q
		}
		x0, x1 := l.col(q.Min[0]-l.wx), l.col(q.Max[0])
		y0, y1 := l.row(q.Min[1]-l.wy), l.row(q.Max[1])
		for y := y0; y <= y1; y++ {
			base := y * l.nx
			lo, hi := l.start[base+x0], l.start[base+x1+1]
			boxes := l.box[lo:hi]
			id := l.id[lo:hi]
			for k := range boxes {
				b := &boxes[k] // Box.Intersects by hand, without branches
				if b2u(b.Min[0] <= q.Max[0])&b2u(q.Min[0] <= b.Max[0])&b2u(b.Min[1] <= q.Max[1])&b2u(q.Min[1] <= b.Max[1]) != 0 {
					ids = append(ids, id[k])
				}
			}
		}
	}
	for k := range g.restB {
		if g.restB[k].Intersects(q) {
			ids = append(ids, g.rest[k])
		}
	}
	return ids
}

// cellOrder sorts the query boxes qb by the cell of the first level that holds their
// Min corner, row by row (a stable counting sort), so that queries in that order visit
// the cells of the grid almost sequentially: it fills perm with their indices and
// sorted with the boxes in that order. perm, sorted, count and cell (the cell of each
// query) are the caller's reused buffers, returned resized; without a level the order
// is the identity. It only reads the grid, so Gaters sharing one grid (DetectionIndex)
// may call it concurrently.
func (g *Grid) cellOrder(qb []Box, perm []int32, sorted []Box, count, cell []int32) ([]int32, []Box, []int32, []int32) {
	n := len(qb)
	perm = resizeInt32(perm, n)
	sorted = resizeBoxes(sorted, n)
	if g.nlev == 0 {
		for i := range perm {
			perm[i] = int32(i)
		}
		copy(sorted, qb)
		return perm, sorted, count, cell
	}
	l := &g.levels[0]
	ncell := l.nx * l.ny
	count = resizeInt32(count, ncell+1)
	clear(count)
	cell = resizeInt32(cell, n)
	for i := range qb {
		c := l.cellIndex(qb[i].Min[0], qb[i].Min[1])
		cell[i] = c
		count[c+1]++
	}
	for c := 1; c <= ncell; c++ {
		count[c] += count[c-1]
	}
	for i, c := range cell {
		p := count[c]
		perm[p] = int32(i)
		sorted[p] = qb[i]
		count[c] = p + 1
	}
	return perm, sorted, count, cell
}

// boxWidth returns the larger side of b (boxes are finite).
func boxWidth(b *Box) float64 {
	return max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
}

// widthBin maps a width to a histogram bin: 0 for 0 (and NaN), else e+65 for widths
// in [2^(e-1), 2^e), clamped to [1, 129].
func widthBin(w float64) int {
	if !(w > 0) {
		return 0
	}
	// Biased exponent: w in [2^(be-1023), 2^(be-1022)), so e = be-1022 (subnormals
	// have be = 0 and land in bin 1).
	be := int(math.Float64bits(w)>>52) & 0x7ff
	return min(max(be-1022+65, 1), 129)
}

// binUpper returns an upper bound of the widths in bin.
func binUpper(bin int) float64 {
	if bin == 0 {
		return 0
	}
	if bin == 129 {
		return math.Inf(1)
	}
	return math.Ldexp(1, bin-65)
}

func resizeInt32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}
