package spatial

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGateSteadyStateAllocs shows that a steady-state gating pass allocates nothing.
// Grid, brute force and the automatic choice alternate between two ticks whose boxes
// all differ (the index is rebuilt every call). The R-tree is shown on a repeated batch
// (its boxes unchanged, so its tree is kept), because tidwall/rtree allocates nodes
// whenever it rebuilds; BenchmarkGate reports its allocations per rebuild.
func TestGateSteadyStateAllocs(t *testing.T) {
	type tc struct {
		cfg       Config
		alternate bool
	}
	var cases []tc
	for _, m := range []int{2, 3} {
		for _, s := range []Set{SetTracks, SetDetections} {
			cases = append(cases,
				tc{Config{Dim: m, Index: KindGrid, Indexed: s}, true},
				tc{Config{Dim: m, Index: KindRTree, Indexed: s}, false})
		}
		cases = append(cases, tc{Config{Dim: m}, true}, tc{Config{Dim: m, Index: KindBrute}, true})
	}
	for _, c := range cases {
		for _, perDetR := range []bool{false, true} {
			name := fmt.Sprintf("m=%d/%v/%v/perDetR=%v", c.cfg.Dim, c.cfg.Index, c.cfg.Indexed, perDetR)
			t.Run(name, func(t *testing.T) {
				sc := gateScene{nT: 2000, nD: 1500, m: c.cfg.Dim, area: 10000, perDetR: perDetR, bigFrac: 0.01}
				var ticks [2]struct {
					t Tracks
					d Detections
				}
				for k := range ticks {
					sc.seed = uint64(20 + k)
					ticks[k].t, ticks[k].d = sc.make()
				}
				g, err := NewGater(c.cfg)
				require.NoError(t, err)
				var dst []Pair
				for k := range 4 { // warm up on both ticks
					dst, err = g.Gate(dst[:0], ticks[k&1].t, ticks[k&1].d)
					require.NoError(t, err)
				}
				k := 0
				allocs := testing.AllocsPerRun(20, func() {
					tk := &ticks[0]
					if c.alternate {
						tk = &ticks[k&1]
					}
					k++
					dst, err = g.Gate(dst[:0], tk.t, tk.d)
				})
				require.NoError(t, err)
				require.NotEmpty(t, dst)
				require.Zero(t, allocs)
			})
		}
	}
}
