package spatial

import "math"

// RTree is an Index over a packed Hilbert R-tree: runs of neighbouring boxes under
// static upper levels held in flat arrays.
//
// Build sorts the boxes along a Hilbert curve through their centres (a radix sort,
// O(n)) and cuts the sorted sequence into runs of at most LeafSize neighbouring boxes;
// a run also ends before its bounding box would exceed a length set by the spacing
// and the 90th-percentile width of the boxes, so a kilometre-wide box among ten-metre
// boxes is a run of its own and never bloats its neighbours' run. The member boxes are
// stored contiguously, run by run; each run has a held box, and every 16 consecutive
// runs (neighbours along the curve) have a node box, their union, every 16 nodes a
// node box of the next level, up to a level of at most 16 nodes. A Search descends
// from the top level through the nodes whose boxes meet the query and tests the
// members of every run whose box meets it. This is the bottom-up packing of a Hilbert
// R-tree (Kamel and Faloutsos, 1993): a rebuild costs a sort and one box union per
// box and per node, and allocates nothing once its arrays have grown. (It used to keep
// the runs in github.com/tidwall/rtree, which has no bulk load and allocates its nodes
// anew on every rebuild, about 0.45 MB in 166 allocations per 100k boxes, and whose
// Clear, Delete and Replace reuse no node: a rebuild now takes about half the time.)
//
// Build compares the new boxes with those it holds. When few changed, it updates in
// place: changed members are rewritten, removed ones become empty boxes, added ones go
// into new runs, and a run's held box is replaced only when its members no longer fit
// it (the upper levels are then recomputed, about one union per run). It rebuilds
// instead when its cost model says that is cheaper (see the package documentation for
// the measured costs), or once the updates have left too many removed members, added
// runs or replaced runs, or have grown the area the run boxes cover by half. When the
// boxes of a rebuild look like the held ones moved a little (most of them inside the
// fat box of their run), the new runs are held enlarged ("fat") by FatFraction of their
// size, so that small moves of their members replace no run; the member test keeps
// Search exact. Otherwise (new boxes, such as each tick's detections) runs are held
// tight. Build, updates in place and Search allocate only when their buffers grow.
//
// The zero value is an empty RTree ready to use.
type RTree struct {
	// LeafSize is the largest number of boxes in a run; zero means 16. With 1 every
	// box is a run of its own.
	LeafSize int
	// FatFraction enlarges the box held for a run by this fraction of the
	// run's larger side on every side; zero means 1/8, negative means none.
	FatFraction float64
	// ReplaceCost and RebuildCost are the relative costs of replacing the held box of
	// one run in an update and of a rebuild per box; zero means the measured defaults.
	ReplaceCost, RebuildCost float64

	boxes  []Box   // by id: the boxes of the last Build
	pos    []int32 // by id: position of the box in mem
	memB   []Box   // member boxes, run by run (emptyBox when removed)
	memID  []int32 // member ids, -1 when removed
	memRun []int32 // run of each member
	start  []int32 // run r is mem[start[r]:start[r+1]]
	runB   []Box   // per run, its held (fat) box
	upper  [][]Box // upper[k][i]: union of the nodes (runs if k = 0) 16i to 16i+15 below
	runs   []int32 // scratch: runs met by a search
	foundP []int32 // scratch of Search: member positions and boxes met
	foundB []Box
	order  curveOrder
	dirty  []int32 // scratch: runs touched by an update
	touch  []bool  // scratch: by run, already in dirty

	dead, added int     // removed members and appended runs since the last rebuild
	churn       int     // runs replaced since the last rebuild
	fresh       int     // runs made by the last rebuild
	area, area0 float64 // sum of the areas of the held run boxes, now and after the last rebuild

	rebuilt  bool
	replaced int
}

const (
	defaultLeafSize    = 16
	defaultFatFraction = 0.125
)

// emptyBox intersects nothing: it stands for a removed member.
var emptyBox = Box{
	Min: [2]float64{math.Inf(1), math.Inf(1)},
	Max: [2]float64{math.Inf(-1), math.Inf(-1)},
}

// Len returns the number of indexed boxes.
func (r *RTree) Len() int { return len(r.boxes) }

// LastBuild reports what the last Build did: whether it rebuilt the tree and how many
// runs it replaced in the tree otherwise.
func (r *RTree) LastBuild() (rebuilt bool, replaced int) { return r.rebuilt, r.replaced }

// Runs returns the number of runs (the leaves of the tree) and of member slots,
// removed ones included.
func (r *RTree) Runs() (runs, members int) { return max(len(r.start)-1, 0), len(r.memB) }

func (r *RTree) leafSize() int {
	if r.LeafSize <= 0 {
		return defaultLeafSize
	}
	return r.LeafSize
}

func (r *RTree) fat() float64 {
	switch {
	case r.FatFraction == 0:
		return defaultFatFraction
	case r.FatFraction < 0:
		return 0
	}
	return r.FatFraction
}

// Build indexes boxes (see Index).
func (r *RTree) Build(boxes []Box) {
	r.replaced = 0
	if r.updateCheaper(boxes) {
		r.update(boxes)
		r.rebuilt = false
		return
	}
	r.rebuild(boxes)
	r.rebuilt = true
}

// updateCheaper reports whether updating in place is cheaper than a rebuild.
func (r *RTree) updateCheaper(boxes []Box) bool {
	n, old := len(boxes), len(r.boxes)
	if old == 0 || n == 0 {
		return false
	}
	// Removed members and appended runs degrade the packing: rebuild once they amount
	// to a quarter of what the last rebuild made.
	grow := max(n-old, 0)
	k := r.leafSize()
	// So do replaced runs, each held larger than its members need: rebuild once as
	// many runs were replaced as the last rebuild made.
	// And so do runs grown by their members' drift: rebuild once the held run boxes
	// cover half as much area again as after the rebuild.
	if 4*(r.dead+max(old-n, 0)) > old || 4*(r.added+(grow+k-1)/k) > r.fresh || r.churn >= r.fresh ||
		2*r.area > 3*r.area0 {
		return false
	}
	rc, bc := r.ReplaceCost, r.RebuildCost
	if rc <= 0 {
		rc = costRTreeReplace
	}
	if bc <= 0 {
		bc = costRTreeBuild
	}
	rebuild := bc * float64(n)
	c := r.changedRuns(boxes, rebuild/rc)
	return costRTreeScan*float64(n)+float64(c)*rc < rebuild
}

// updateCost estimates the time of Build(boxes) as an update in place, in ns.
func (r *RTree) updateCost(boxes []Box) float64 {
	rc := r.ReplaceCost
	if rc <= 0 {
		rc = costRTreeReplace
	}
	return costRTreeScan*float64(len(boxes)) + rc*float64(r.changedRuns(boxes, math.Inf(1)))
}

// changedRuns returns an upper bound of the runs that Build(boxes) would have to
// replace in the tree, or stops counting once it exceeds limit.
func (r *RTree) changedRuns(boxes []Box, limit float64) int {
	n, old := len(boxes), len(r.boxes)
	common := min(n, old)
	k := r.leafSize()
	c := (max(n-old, 0) + k - 1) / k // new runs
	for i := range common {
		if boxes[i] == r.boxes[i] {
			continue
		}
		run := r.runOf(r.pos[i])
		if !r.runB[run].contains(boxes[i]) {
			c++
			if float64(c) > limit {
				return c
			}
		}
	}
	return c + max(old-n, 0)
}

// runOf returns the run holding member position p.
func (r *RTree) runOf(p int32) int32 { return r.memRun[p] }

// rebuild sorts and packs boxes into runs and builds the upper levels over them.
func (r *RTree) rebuild(boxes []Box) {
	n := len(boxes)
	fat := 0.0
	if r.moving(boxes) {
		fat = r.fat()
	}
	r.boxes = append(r.boxes[:0], boxes...)
	r.pos = resizeInt32(r.pos, n)
	r.memB = resizeBoxes(r.memB, n)
	r.memRun = resizeInt32(r.memRun, n)
	r.memID = resizeInt32(r.memID, n)
	r.start = r.start[:0]
	r.runB = r.runB[:0]
	r.dead, r.added, r.churn, r.area = 0, 0, 0, 0
	k := r.leafSize()
	r.order.sort(boxes)
	for p, id := range r.order.perm {
		r.memB[p], r.memID[p], r.pos[id] = boxes[id], id, int32(p)
	}
	limit := r.order.runLimit(k)
	for p := 0; p < n; {
		e, b := extendRun(r.memB, p, k, limit)
		r.addRun(int32(p), int32(e), b.enlarge(fat))
		p = e
	}
	r.start = append(r.start, int32(n))
	r.fresh = len(r.runB)
	r.area0 = r.area
	r.buildUpper()
}

// rtreeFanout is the number of children of a node of the upper levels.
const rtreeFanout = 16

// buildUpper recomputes the upper levels over the run boxes: level 0 holds the union of
// every rtreeFanout consecutive runs (neighbours along the Hilbert curve, so the union
// stays small), level k+1 that of every rtreeFanout nodes of level k, up to a level of
// at most rtreeFanout nodes. It costs about one box union per run and allocates only
// when the levels grow.
func (r *RTree) buildUpper() {
	below := r.runB
	k := 0
	for len(below) > rtreeFanout {
		if k == len(r.upper) {
			r.upper = append(r.upper, nil)
		}
		nodes := resizeBoxes(r.upper[k], (len(below)+rtreeFanout-1)/rtreeFanout)
		for i := range nodes {
			c := below[i*rtreeFanout : min(i*rtreeFanout+rtreeFanout, len(below))]
			u := c[0]
			for j := 1; j < len(c); j++ {
				u = u.union(c[j])
			}
			nodes[i] = u
		}
		r.upper[k] = nodes
		below = nodes
		k++
	}
	r.upper = r.upper[:k]
}

// appendRuns appends to runs the runs whose held boxes meet q and returns the
// extended slice.
func (r *RTree) appendRuns(q Box, runs []int32) []int32 {
	top := len(r.upper) - 1
	if top < 0 {
		return appendMeeting(runs, r.runB, 0, q)
	}
	return r.descend(q, top, 0, len(r.upper[top]), runs)
}

// descend appends the runs below the nodes lo to hi-1 of upper level k that meet q.
func (r *RTree) descend(q Box, k, lo, hi int, runs []int32) []int32 {
	nodes := r.upper[k][lo:hi]
	below := r.runB
	if k > 0 {
		below = r.upper[k-1]
	}
	for i := range nodes {
		b := &nodes[i]
		if b2u(b.Min[0] <= q.Max[0])&b2u(q.Min[0] <= b.Max[0])&b2u(b.Min[1] <= q.Max[1])&b2u(q.Min[1] <= b.Max[1]) == 0 {
			continue
		}
		c := (lo + i) * rtreeFanout
		e := min(c+rtreeFanout, len(below))
		if k == 0 {
			runs = appendMeeting(runs, below[c:e], c, q)
		} else {
			runs = r.descend(q, k-1, c, e, runs)
		}
	}
	return runs
}

// appendMeeting appends base+i for every boxes[i] that meets q.
func appendMeeting(dst []int32, boxes []Box, base int, q Box) []int32 {
	for i := range boxes {
		b := &boxes[i]
		if b2u(b.Min[0] <= q.Max[0])&b2u(q.Min[0] <= b.Max[0])&b2u(b.Min[1] <= q.Max[1])&b2u(q.Min[1] <= b.Max[1]) != 0 {
			dst = append(dst, int32(base+i))
		}
	}
	return dst
}

// moving reports whether boxes look like the held boxes moved a little (most of a
// sample inside the fat box of the run they were in), as a tracker's gate boxes do
// tick after tick; only then are the runs of a rebuild held fat, since fat runs cost
// queries more candidates and pay only when the next Builds can update in place.
func (r *RTree) moving(boxes []Box) bool {
	f := r.fat()
	common := min(len(boxes), len(r.boxes))
	inside, tested := 0, 0
	for i := 0; i < common; i += 8 {
		tested++
		if r.runB[r.memRun[r.pos[i]]].enlarge(f).contains(boxes[i]) {
			inside++
		}
	}
	return f > 0 && tested > 0 && 2*inside > tested
}

// addRun appends a run of the members at positions p to e-1, held in the tree as
// box b; memRun must be long enough.
func (r *RTree) addRun(p, e int32, b Box) {
	run := int32(len(r.runB))
	for q := p; q < e; q++ {
		r.memRun[q] = run
	}
	r.start = append(r.start, p)
	r.runB = append(r.runB, b)
	r.area += boxArea(b)
}

// update applies boxes in place (see Build).
func (r *RTree) update(boxes []Box) {
	n, old := len(boxes), len(r.boxes)
	common := min(n, old)
	runs := len(r.runB)
	if cap(r.touch) < runs {
		r.touch = make([]bool, runs, 2*runs)
	}
	r.touch = r.touch[:runs]
	r.dirty = r.dirty[:0]
	mark := func(p int32) {
		run := r.runOf(p)
		if !r.touch[run] {
			r.touch[run] = true
			r.dirty = append(r.dirty, run)
		}
	}
	for i := range common {
		if boxes[i] != r.boxes[i] {
			p := r.pos[i]
			r.memB[p] = boxes[i]
			mark(p)
		}
	}
	for i := common; i < old; i++ { // removed
		p := r.pos[i]
		r.memB[p], r.memID[p] = emptyBox, -1
		mark(p)
		r.dead++
	}
	fat := r.fat()
	for _, run := range r.dirty {
		r.touch[run] = false
		lo, hi := r.start[run], r.start[run+1]
		b := emptyBox
		for p := lo; p < hi; p++ {
			if r.memID[p] >= 0 {
				b = b.union(r.memB[p])
			}
		}
		held := r.runB[run]
		switch {
		case b == emptyBox: // every member removed: keep the run, at its old box
		case held.contains(b):
		default:
			nb := b.enlarge(fat)
			r.area += boxArea(nb) - boxArea(held)
			r.runB[run] = nb
			r.replaced++
			r.churn++
		}
	}
	if n > old { // added: new runs of up to LeafSize boxes in id order
		k := r.leafSize()
		r.start = r.start[:len(r.start)-1]
		for i := old; i < n; i += k {
			e := min(i+k, n)
			p := int32(len(r.memB))
			b := emptyBox
			for id := i; id < e; id++ {
				r.pos = append(r.pos, int32(len(r.memB)))
				r.memB = append(r.memB, boxes[id])
				r.memID = append(r.memID, int32(id))
				b = b.union(boxes[id])
			}
			for len(r.memRun) < len(r.memB) {
				r.memRun = append(r.memRun, 0)
			}
			r.addRun(p, int32(len(r.memB)), b.enlarge(fat))
			r.added++
			r.replaced++
		}
		r.start = append(r.start, int32(len(r.memB)))
	} else {
		r.pos = r.pos[:n]
	}
	r.boxes = append(r.boxes[:0], boxes...)
	if r.replaced > 0 {
		r.buildUpper()
	}
}

// Search calls visit for every indexed box that intersects q (see Index).
func (r *RTree) Search(q Box, visit func(id int32) bool) {
	r.foundP, r.foundB = r.searchPos(q, r.foundP[:0], r.foundB[:0])
	for _, p := range r.foundP {
		if !visit(r.memID[p]) {
			return
		}
	}
}

// searchPos appends the member positions (see memID) and boxes of the indexed boxes
// that intersect q.
func (r *RTree) searchPos(q Box, pos []int32, boxes []Box) ([]int32, []Box) {
	r.runs = r.appendRuns(q, r.runs[:0])
	for _, run := range r.runs {
		lo, hi := r.start[run], r.start[run+1]
		mem := r.memB[lo:hi]
		for k := range mem {
			m := &mem[k] // Box.meets by hand: the compiler does not inline it
			if b2u(m.Min[0] <= q.Max[0])&b2u(q.Min[0] <= m.Max[0])&b2u(m.Min[1] <= q.Max[1])&b2u(q.Min[1] <= m.Max[1]) != 0 {
				pos = append(pos, lo+int32(k))
				boxes = append(boxes, mem[k])
			}
		}
	}
	return pos, boxes
}

// extendRun returns the end of the run of boxes that starts at p (the boxes p to
// e-1: at most k, whose union's larger side stays within limit; a wider box is a run of
// its own) and that union. The union is kept in scalars: a Box returned by union and
// copied at every step would stall store forwarding (8-byte stores read back by
// 16-byte loads).
func extendRun(boxes []Box, p, k int, limit float64) (int, Box) {
	b := &boxes[p]
	x0, y0, x1, y1 := b.Min[0], b.Min[1], b.Max[0], b.Max[1]
	e := p + 1
	if max(x1-x0, y1-y0) <= limit {
		for e < len(boxes) && e-p < k {
			c := &boxes[e]
			u0, v0, u1, v1 := min(x0, c.Min[0]), min(y0, c.Min[1]), max(x1, c.Max[0]), max(y1, c.Max[1])
			if max(u1-u0, v1-v0) > limit {
				break
			}
			x0, y0, x1, y1 = u0, v0, u1, v1
			e++
		}
	}
	return e, Box{Min: [2]float64{x0, y0}, Max: [2]float64{x1, y1}}
}

// union returns the smallest box holding b and c (boxes are finite: min and max
// compile without branches).
func (b Box) union(c Box) Box {
	return Box{
		Min: [2]float64{min(b.Min[0], c.Min[0]), min(b.Min[1], c.Min[1])},
		Max: [2]float64{max(b.Max[0], c.Max[0]), max(b.Max[1], c.Max[1])},
	}
}

// contains reports whether c lies inside b.
func (b Box) contains(c Box) bool {
	return b.Min[0] <= c.Min[0] && b.Min[1] <= c.Min[1] && c.Max[0] <= b.Max[0] && c.Max[1] <= b.Max[1]
}

// enlarge returns b grown by f times its larger side on every side (f ≥ 0).
func (b Box) enlarge(f float64) Box {
	if f == 0 {
		return b
	}
	d := f * boxWidth(&b)
	if math.IsInf(d, 0) || math.IsNaN(d) {
		return b
	}
	return Box{Min: [2]float64{b.Min[0] - d, b.Min[1] - d}, Max: [2]float64{b.Max[0] + d, b.Max[1] + d}}
}

// boxArea returns the area of b, 0 for an empty box.
func boxArea(b Box) float64 {
	return max(b.Max[0]-b.Min[0], 0) * max(b.Max[1]-b.Min[1], 0)
}
