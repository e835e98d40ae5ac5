package spatial

// Cost model of the automatic choice, in nanoseconds per unit. The brute-force and
// grid constants are medians of 6 runs of BenchmarkIndexCosts (100k gate boxes at
// constant density) on a 2-vCPU Intel Xeon (virtualised, shared with other builds,
// load average 5–10), Go 1.26. The R-tree constants were measured later on a 2-vCPU
// AMD EPYC and scaled by the ratio of the grid's costs between the two machines (1.6);
// those of the rebuild and of a replaced run again after the upper levels became
// packed arrays (BenchmarkIndexCosts/rtree/rebuild against the tidwall-based tree,
// interleaved: half the time; a replaced run about 0.6 µs on the EPYC, mostly the
// cache misses of reaching its members). Only the ratios matter.
const (
	costPair         = 8.3    // brute force, one pair (exact d²)
	costGridBuild    = 76.0   // grid, one box filed by the counting sort
	costGridQuery    = 164.0  // grid, one query on one level
	costGridLinear   = 1.5    // grid, one box of the linear remainder tested by a query
	costRTreeBuild   = 80.0   // R-tree rebuild (sort, packing, upper levels), one box
	costRTreeReplace = 1000.0 // R-tree update in place, one run whose box is replaced
	costRTreeScan    = 24.0   // R-tree update in place, one box compared and copied
	costRTreeQuery   = 376.0  // R-tree, one query box searched in a group, exact test included
)

// plan chooses the way and the indexed batch for nT tracks and nD detections, both
// non-zero, honouring the forced fields of the configuration.
func (g *Gater) plan(nT, nD int) (Kind, Set) {
	kinds := []Kind{KindBrute, KindGrid, KindRTree}
	if g.cfg.Index != KindAuto {
		kinds = []Kind{g.cfg.Index}
	}
	sets := []Set{SetDetections, SetTracks}
	switch {
	case g.cfg.Indexed != SetAuto:
		sets = []Set{g.cfg.Indexed}
	case nT < nD:
		sets = []Set{SetTracks, SetDetections}
	}
	best, bestKind, bestSet := 0.0, KindBrute, SetAuto
	first := true
	for _, k := range kinds {
		for _, s := range sets {
			// The R-tree indexes the smaller batch (sets[0]; it was the faster in every
			// measured case: its queries into a small tree cost far less than its
			// rebuild per box), or the batch it holds if that is the other one.
			if k == KindRTree && g.cfg.Indexed == SetAuto && s != sets[0] && s != g.rtSet {
				continue
			}
			c := g.cost(k, s, nT, nD)
			if first || c < best {
				best, bestKind, bestSet, first = c, k, s, false
			}
			if k == KindBrute {
				break
			}
		}
	}
	if bestKind == KindBrute && g.cfg.Index == KindBrute {
		return KindBrute, SetAuto
	}
	return bestKind, bestSet
}

// cost estimates the time of one Gate call for kind k indexing set s.
func (g *Gater) cost(k Kind, s Set, nT, nD int) float64 {
	if k == KindBrute {
		return costPair * float64(nT) * float64(nD)
	}
	nX, nY, hist, boxes := float64(nD), float64(nT), &g.dHist, g.dBox
	if s == SetTracks {
		nX, nY, hist, boxes = float64(nT), float64(nD), &g.tHist, g.tBox
	}
	if k == KindGrid {
		levels, rest := gridShape(hist, int(nX))
		return costGridBuild*nX + nY*(costGridQuery*float64(max(levels, 1))+costGridLinear*float64(rest))
	}
	build := costRTreeBuild * nX
	if g.rtSet == s && g.rtree.updateCheaper(boxes) {
		build = min(build, g.rtree.updateCost(boxes))
	}
	return build + costRTreeQuery*nY
}

// gridShape predicts, from a width histogram, how many levels Grid.Build makes for n
// boxes and how many it leaves to the linear remainder (ignoring the spacing term of
// the cell size, which can only keep more boxes per level).
func gridShape(hist *[130]int32, n int) (levels, rest int) {
	start := 0
	for n > gridRestMax && levels < maxGridLevels {
		want, acc, q := int32(n-n/10), int32(0), len(hist)-1
		for b := start; b < len(hist); b++ {
			acc += hist[b]
			if acc >= want {
				q = b
				break
			}
		}
		over := 0
		for b := q + 1; b < len(hist); b++ {
			over += int(hist[b])
		}
		levels++
		n, start = over, q+1
	}
	return levels, n
}
