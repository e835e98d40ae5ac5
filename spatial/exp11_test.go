package spatial

import (
	"fmt"
	"testing"
	"time"
)

func TestExpFat(t *testing.T) {
	for _, n := range []int{10000, 100000} {
		ticks := benchTicks(gateScene{nT: n, nD: n, m: 2, area: 10000, seed: 11})
		fats := []float64{0, -1}
		gs := make([]*Gater, len(fats))
		for k, f := range fats {
			gs[k], _ = NewGater(Config{Index: KindRTree, Indexed: SetDetections})
			gs[k].rtree.FatFraction = f
		}
		best := make([]time.Duration, len(fats))
		var dst []Pair
		for it := range 60 {
			for k := range fats {
				t0 := time.Now()
				dst, _ = gs[k].Gate(dst[:0], ticks[it&1].t, ticks[it&1].d)
				d := time.Since(t0)
				if it >= 2 && (best[k] == 0 || d < best[k]) {
					best[k] = d
				}
			}
		}
		fmt.Printf("FAT n=%d: fat %v, tight %v  rebuilt %v %v\n", n, best[0], best[1], gs[0].Stats().RTreeRebuilt, gs[1].Stats().RTreeRebuilt)
	}
}
