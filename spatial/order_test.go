package spatial

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestHilbertKey: the first 32 × 32 cells take the first 1024 positions of the curve
// (of any order from 8), each once, and consecutive positions are neighbouring cells.
func TestHilbertKey(t *testing.T) {
	for _, bits := range []int{8, 12, 16} {
		testHilbertKey(t, bits)
	}
}

func testHilbertKey(t *testing.T, bits int) {
	const side = 32
	at := make([][2]uint32, side*side)
	seen := make([]bool, side*side)
	for x := range uint32(side) {
		for y := range uint32(side) {
			d := hilbertKey(x, y, bits)
			require.Less(t, d, uint32(side*side), "cell (%d, %d)", x, y)
			require.False(t, seen[d], "position %d twice", d)
			seen[d] = true
			at[d] = [2]uint32{x, y}
		}
	}
	for d := 1; d < len(at); d++ {
		dx := int(at[d][0]) - int(at[d-1][0])
		dy := int(at[d][1]) - int(at[d-1][1])
		require.Equal(t, 1, dx*dx+dy*dy, "positions %d and %d: cells %v %v", d-1, d, at[d-1], at[d])
	}
}

// TestCurveOrder: the sort is a permutation in non-decreasing key order, stable among
// equal keys, and allocates nothing once its buffers have grown.
func TestCurveOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var o curveOrder
	for _, n := range []int{0, 1, 2, 100, 5000} {
		boxes := randBoxes(rng, n, 3000, 0.02)
		if n > 2 {
			boxes[n-1] = boxes[0] // equal keys
		}
		o.sort(boxes)
		require.Len(t, o.perm, n)
		require.True(t, slices.IsSortedFunc(o.key, func(a, b uint32) int { return int(int64(a) - int64(b)) }))
		seen := make([]bool, n)
		for k, id := range o.perm {
			require.False(t, seen[id])
			seen[id] = true
			if k > 0 && o.key[k] == o.key[k-1] {
				require.Less(t, o.perm[k-1], id, "stable")
			}
		}
		require.Zero(t, testing.AllocsPerRun(5, func() { o.sort(boxes) }))
	}
}
