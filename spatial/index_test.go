package spatial

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// randBoxes returns n boxes spread over side×side metres; a fraction big of them are
// 0.5–2 km wide, the others 0–30 m; some are points.
func randBoxes(rng *rand.Rand, n int, side, big float64) []Box {
	bs := make([]Box, n)
	for i := range bs {
		x, y := rng.Float64()*side, rng.Float64()*side
		w, h := rng.Float64()*30, rng.Float64()*30
		switch r := rng.Float64(); {
		case r < big:
			w, h = 500+rng.Float64()*1500, 500+rng.Float64()*1500
		case r < big+0.1:
			w, h = 0, 0
		}
		bs[i] = Box{Min: [2]float64{x - w/2, y - h/2}, Max: [2]float64{x + w/2, y + h/2}}
	}
	return bs
}

// TestIndexMatchesBruteForce: both indexes return exactly the intersecting boxes, each
// once, for random boxes and queries of mixed sizes, through several Builds of the same
// value (so the R-tree's in-place update and the grid's reused buffers are exercised).
func TestIndexMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, mk := range []func() Index{
		func() Index { return &Grid{} },
		func() Index { return &RTree{} },
		func() Index { return &RTree{LeafSize: 1} },
		func() Index { return &RTree{FatFraction: -1, LeafSize: 5} },
	} {
		idx := mk()
		t.Run(fmt.Sprintf("%T%+v", idx, leafOf(idx)), func(t *testing.T) {
			prev := randBoxes(rng, 3000, 5000, 0.02)
			for round := range 6 {
				var boxes []Box
				switch round % 3 {
				case 0: // all new, size varies
					boxes = randBoxes(rng, 500+rng.IntN(4000), 5000, []float64{0, 0.01, 0.3}[rng.IntN(3)])
				case 1: // a few moved: the R-tree updates in place
					boxes = slices.Clone(prev)
					for range 10 {
						i := rng.IntN(len(boxes))
						boxes[i].Min[0] += 5
						boxes[i].Max[0] += 5
					}
				case 2: // a few removed and added
					boxes = append(slices.Clone(prev[:len(prev)-7]), randBoxes(rng, 3, 5000, 0)...)
				}
				idx.Build(boxes)
				require.Equal(t, len(boxes), idx.Len())
				queries := randBoxes(rng, 300, 5000, 0.05)
				for _, q := range queries {
					var got, want []int32
					idx.Search(q, func(id int32) bool { got = append(got, id); return true })
					for i, b := range boxes {
						if b.Intersects(q) {
							want = append(want, int32(i))
						}
					}
					slices.Sort(got)
					require.Equal(t, want, got, "round %d, query %v", round, q)
				}
				if rt, ok := idx.(*RTree); ok && round%3 != 0 {
					// Updated in place; moves of 5 m stay inside the fat run boxes, new
					// boxes in random places do not.
					rebuilt, replaced := rt.LastBuild()
					require.False(t, rebuilt, "round %d", round)
					if round%3 == 2 {
						require.Positive(t, replaced)
					}
				}
				prev = boxes
			}
		})
	}
}

func leafOf(idx Index) int {
	if rt, ok := idx.(*RTree); ok {
		return rt.LeafSize
	}
	return 0
}

// TestIndexMovingBoxes: boxes of mixed sizes drift a little at every Build, as gate
// boxes do between ticks; the R-tree keeps its tree, replaces the runs whose members
// left their fat boxes and rebuilds once too many were replaced. Every Build must
// still answer exactly.
func TestIndexMovingBoxes(t *testing.T) {
	for _, c := range []struct {
		rt          *RTree
		wantUpdates bool
	}{{&RTree{}, true}, {&RTree{FatFraction: -1}, false}, {&RTree{LeafSize: 3, FatFraction: 0.5}, true}} {
		rt := c.rt
		rng := rand.New(rand.NewPCG(11, 11))
		boxes := randBoxes(rng, 4000, 6000, 0.01)
		vel := make([][2]float64, len(boxes))
		for i := range vel {
			vel[i] = [2]float64{rng.NormFloat64() * 3, rng.NormFloat64() * 3}
		}
		updates, rebuilds := 0, 0
		for round := range 40 {
			for i := range boxes {
				for k := range 2 {
					boxes[i].Min[k] += vel[i][k]
					boxes[i].Max[k] += vel[i][k]
				}
			}
			rt.Build(boxes)
			if rebuilt, _ := rt.LastBuild(); rebuilt {
				rebuilds++
			} else {
				updates++
			}
			for _, q := range randBoxes(rng, 80, 6000, 0.05) {
				var got, want []int32
				rt.Search(q, func(id int32) bool { got = append(got, id); return true })
				for i, b := range boxes {
					if b.Intersects(q) {
						want = append(want, int32(i))
					}
				}
				slices.Sort(got)
				require.Equal(t, want, got, "round %d, query %v", round, q)
			}
		}
		t.Logf("leaf %d fat %v: %d updates, %d rebuilds", rt.LeafSize, rt.FatFraction, updates, rebuilds)
		require.Greater(t, rebuilds, 1, "leaf %d fat %v", rt.LeafSize, rt.FatFraction)
		if c.wantUpdates {
			require.Greater(t, updates, 10, "leaf %d fat %v", rt.LeafSize, rt.FatFraction)
		}
	}
}

func TestIndexSearchStopsEarly(t *testing.T) {
	boxes := randBoxes(rand.New(rand.NewPCG(1, 1)), 1000, 100, 0)
	for _, idx := range []Index{&Grid{}, &RTree{}} {
		idx.Build(boxes)
		calls := 0
		idx.Search(Box{Max: [2]float64{100, 100}}, func(int32) bool { calls++; return calls < 3 })
		require.Equal(t, 3, calls, "%T", idx)
	}
}

// TestGridMixedSizesKeepFineLevel: a few kilometre-wide boxes among ten-metre boxes go
// to a coarser level; the fine level keeps a cell size and a query widening set by the
// small boxes, so queries are not degraded to a scan.
func TestGridMixedSizesKeepFineLevel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const n = 20000
	boxes := randBoxes(rng, n, math.Sqrt(n*10000), 0.01)
	nBig := 0
	for i := range boxes {
		if boxWidth(&boxes[i]) > 400 {
			nBig++
		}
	}
	var g Grid
	g.Build(boxes)
	levels, linear := g.Levels()
	require.Equal(t, 2, levels)
	require.LessOrEqual(t, linear, gridRestMax)
	fine := &g.levels[0]
	require.Less(t, fine.wx, 40.0, "fine level widening")
	require.Less(t, 1/fine.inv, 200.0, "fine cell size")
	require.Equal(t, n-nBig, len(fine.id))
	require.Equal(t, nBig, len(g.levels[1].id)+linear)
}
