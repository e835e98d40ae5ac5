package spatial

import "github.com/tidwall/rtree"

// RTree is an Index over github.com/tidwall/rtree (RTreeG[int32]: int32 payloads,
// callback search).
//
// Build compares the new boxes with those it holds and either updates the changed ones
// in place (Delete+Insert through Replace) or rebuilds the tree from scratch, whichever
// its cost model says is cheaper; see the package documentation for the measured
// costs. A rebuild allocates the tree's nodes (tidwall/rtree has no node reuse), so
// only a Build whose boxes are unchanged, or that changes few of them, allocates
// nothing. Search allocates nothing.
//
// The zero value is an empty RTree ready to use.
type RTree struct {
	tr    rtree.RTreeG[int32]
	boxes []Box // what the tree holds: boxes[id]
	visit func(id int32) bool
	cb    func(min, max [2]float64, id int32) bool // r.hit, bound once

	// ReplaceCost and InsertCost are the relative costs of updating one box in place
	// and of inserting one box into a fresh tree; Build updates in place when
	// changed·ReplaceCost < n·InsertCost. Zero means the measured defaults.
	ReplaceCost, InsertCost float64

	rebuilt  bool
	replaced int
}

// Measured costs: see gate_plan.go.
const (
	defaultRTreeReplaceCost = costRTreeUpdate // ns per Replace
	defaultRTreeInsertCost  = costRTreeInsert // ns per Insert into a tree being rebuilt
)

// Len returns the number of indexed boxes.
func (r *RTree) Len() int { return len(r.boxes) }

// LastBuild reports what the last Build did: whether it rebuilt the tree and how many
// boxes it updated in place otherwise.
func (r *RTree) LastBuild() (rebuilt bool, replaced int) { return r.rebuilt, r.replaced }

// Build indexes boxes (see Index).
func (r *RTree) Build(boxes []Box) {
	n, old := len(boxes), len(r.boxes)
	common := min(n, old)
	changed := r.changed(boxes)
	rc, ic := r.ReplaceCost, r.InsertCost
	if rc <= 0 {
		rc = defaultRTreeReplaceCost
	}
	if ic <= 0 {
		ic = defaultRTreeInsertCost
	}
	r.replaced = 0
	if old == 0 || float64(changed)*rc >= float64(n)*ic {
		r.rebuilt = true
		r.tr.Clear()
		for i := range boxes {
			r.tr.Insert(boxes[i].Min, boxes[i].Max, int32(i))
		}
		r.boxes = append(r.boxes[:0], boxes...)
		return
	}
	r.rebuilt = false
	for i := range common {
		if boxes[i] != r.boxes[i] {
			o := &r.boxes[i]
			r.tr.Replace(o.Min, o.Max, int32(i), boxes[i].Min, boxes[i].Max, int32(i))
			r.replaced++
		}
	}
	for i := common; i < old; i++ {
		r.tr.Delete(r.boxes[i].Min, r.boxes[i].Max, int32(i))
	}
	for i := common; i < n; i++ {
		r.tr.Insert(boxes[i].Min, boxes[i].Max, int32(i))
	}
	r.replaced += max(n, old) - common
	r.boxes = append(r.boxes[:0], boxes...)
}

// Search calls visit for every indexed box that intersects q (see Index).
func (r *RTree) Search(q Box, visit func(id int32) bool) {
	if r.cb == nil {
		r.cb = r.hit
	}
	r.visit = visit
	r.tr.Search(q.Min, q.Max, r.cb)
	r.visit = nil
}

func (r *RTree) hit(_, _ [2]float64, id int32) bool { return r.visit(id) }

// changed returns how many boxes Build(boxes) would have to update in place.
func (r *RTree) changed(boxes []Box) int {
	n, old := len(boxes), len(r.boxes)
	common := min(n, old)
	c := max(n, old) - common
	for i := range common {
		if boxes[i] != r.boxes[i] {
			c++
		}
	}
	return c
}
