package spatial

// A Grid built in shards, by several goroutines in turn-taking steps (DetectionIndex):
// the same grid as Build over the same boxes, cell for cell and box for box.
//
//  1. beginShards (one goroutine) sizes the first level from the width histogram and
//     the bounds of the Min corners, which the shards' preparation computed;
//  2. fileShard(s), for disjoint ranges of boxes, finds each box's cell, or marks it
//     for a coarser level;
//  3. fillShard(s), for disjoint ranges of cells, counts the boxes of its cells (each
//     shard reads all the cells found in step 2), offsets them by the boxes of the
//     cells before its range and copies them into place, in box order within a cell
//     as Build does; the last shard then builds the coarser levels, from the boxes
//     marked in step 2 in box order, and the linear remainder as Build does.
//
// Step 3 writes each cell's offsets and boxes from one shard only, and the coarser
// levels are separate arrays, so the shards of a step share nothing they write.

// gridShards is the state of a build in shards.
type gridShards struct {
	src   []Box      // the boxes being indexed (the DetectionIndex's)
	k     int        // number of shards
	cell  float64    // cell size of the first level
	bnd   [4]float64 // bounds of the Min corners: min x, min y, max x, max y
	file  []int32    // first-level cell of each box, -1 for a coarser level
	parts []gridPart
}

// gridPart is one shard's result of fileShard.
type gridPart struct {
	next   []int32 // boxes too wide for the first level, in order
	wx, wy float64 // widest boxes kept on the first level
}

// beginShards starts a build of boxes in k ≥ 1 shards; hist and bnd are the width
// histogram (widthBin of boxWidth) and the bounds of the Min corners of boxes. With
// few boxes it builds the grid at once and the shards have nothing to do. It reports
// whether the steps are needed.
func (g *Grid) beginShards(boxes []Box, hist *[130]int32, bnd [4]float64, k int) bool {
	n := len(boxes)
	g.n, g.nlev = n, 0
	g.rest, g.restB = g.rest[:0], g.restB[:0]
	sh := &g.sh
	sh.src, sh.k, sh.bnd = boxes, k, bnd
	if n <= gridRestMax {
		g.Build(boxes)
		return false
	}
	for len(g.levels) < maxGridLevels { // no append while the shards run
		g.levels = append(g.levels, gridLevel{})
	}
	l := &g.levels[0]
	g.nlev = 1
	sh.cell = l.shape(hist, n, bnd[0], bnd[1], bnd[2], bnd[3])
	l.start = resizeInt32(l.start, l.nx*l.ny+1)
	l.id = resizeInt32(l.id, n) // only the first boxes kept are used
	l.box = resizeBoxes(l.box, n)
	sh.file = resizeInt32(sh.file, n)
	if cap(sh.parts) < k {
		sh.parts = make([]gridPart, k)
	}
	sh.parts = sh.parts[:k]
	return true
}

// fileShard is step 2 for shard s: boxes [s·n/k, (s+1)·n/k).
func (g *Grid) fileShard(s int) {
	sh := &g.sh
	n := len(sh.src)
	lo, hi := s*n/sh.k, (s+1)*n/sh.k
	l := &g.levels[0]
	cell, file := sh.cell, sh.file
	next := sh.parts[s].next[:0]
	var wx, wy float64
	for i := lo; i < hi; i++ {
		b := &sh.src[i]
		if boxWidth(b) > cell {
			next = append(next, int32(i))
			file[i] = -1
			continue
		}
		if w := b.Max[0] - b.Min[0]; w > wx {
			wx = w
		}
		if w := b.Max[1] - b.Min[1]; w > wy {
			wy = w
		}
		file[i] = l.cellIndex(b.Min[0], b.Min[1])
	}
	sh.parts[s].next, sh.parts[s].wx, sh.parts[s].wy = next, wx, wy
}

// fillShard is step 3 for shard s: cells [s·c/k, (s+1)·c/k) of the first level's c.
func (g *Grid) fillShard(s int) {
	sh := &g.sh
	l := &g.levels[0]
	ncell := l.nx * l.ny
	c0, c1 := int32(s*ncell/sh.k), int32((s+1)*ncell/sh.k)
	span := uint32(c1 - c0)
	// start[c+1] counts, then points into, cell c; the shard owns start[c0+1 : c1+1].
	start := l.start
	clear(start[c0+1 : c1+1])
	below := int32(0) // boxes in the cells before c0
	for _, c := range sh.file {
		below += int32(b2u(uint32(c) < uint32(c0))) // -1 is no cell
		if uint32(c-c0) < span {
			start[c+1]++
		}
	}
	acc := below
	for c := c0 + 1; c <= c1; c++ {
		acc, start[c] = acc+start[c], acc
	}
	ids, boxes := l.id, l.box
	for i, c := range sh.file {
		if uint32(c-c0) < span {
			p := start[c+1]
			ids[p] = int32(i)
			boxes[p] = sh.src[i]
			start[c+1] = p + 1
		}
	}
	if s == 0 {
		start[0] = 0
	}
	if s != sh.k-1 {
		return
	}
	var wx, wy float64
	ids = g.ids[:0]
	for k := range sh.parts {
		p := &sh.parts[k]
		wx, wy = max(wx, p.wx), max(wy, p.wy)
		ids = append(ids, p.next...)
	}
	l.widths(wx, wy, sh.bnd[2], sh.bnd[3], sh.cell)
	g.buildFrom(sh.src, ids)
}
