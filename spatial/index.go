package spatial

// Box is a closed axis-aligned rectangle in the horizontal (x, y) plane, in metres.
// Min[k] ≤ Max[k] on both axes.
type Box struct {
	Min, Max [2]float64
}

// Intersects reports whether the closed boxes b and q share at least one point.
func (b Box) Intersects(q Box) bool {
	return b.Min[0] <= q.Max[0] && q.Min[0] <= b.Max[0] &&
		b.Min[1] <= q.Max[1] && q.Min[1] <= b.Max[1]
}

// b2u is 1 for true and 0 for false, without a branch: box tests in loops whose
// outcome is unpredictable combine four of them with &.
func b2u(c bool) uint8 {
	var u uint8
	if c {
		u = 1
	}
	return u
}

// Index is a static 2-D index over boxes with int32 payloads. Build replaces the whole
// content: box i carries payload int32(i). Implementations may update themselves
// incrementally when boxes repeat from one Build to the next, but the result of Search
// depends only on the boxes of the last Build.
//
// Implementations in this package: *Grid and *RTree. Neither is safe for concurrent
// use; Search may be called any number of times between Builds.
type Index interface {
	// Build indexes boxes. The index copies what it needs and keeps no reference to
	// boxes. Boxes must be finite (the Gater checks this before calling Build).
	Build(boxes []Box)
	// Search calls visit(id) once for every indexed box that intersects q, in an order
	// that depends on the implementation, and stops early when visit returns false.
	Search(q Box, visit func(id int32) bool)
	// Len returns the number of indexed boxes.
	Len() int
}

var (
	_ Index = (*Grid)(nil)
	_ Index = (*RTree)(nil)
)
