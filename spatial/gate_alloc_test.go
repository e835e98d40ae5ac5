package spatial

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGateSteadyStateAllocs shows that a steady-state gating pass allocates nothing.
// Grid, brute force, the R-tree and the automatic choice alternate between two ticks
// whose boxes all differ (the index is rebuilt every call); the R-tree is also shown on
// a repeated batch (its boxes unchanged, so its tree is kept).
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
				tc{Config{Dim: m, Index: KindRTree, Indexed: s}, false},
				tc{Config{Dim: m, Index: KindRTree, Indexed: s}, true})
		}
		cases = append(cases, tc{Config{Dim: m}, true}, tc{Config{Dim: m, Index: KindBrute}, true})
	}
	for _, c := range cases {
		for _, perDetR := range []bool{false, true} {
			name := fmt.Sprintf("m=%d/%v/%v/perDetR=%v", c.cfg.Dim, c.cfg.Index, c.cfg.Indexed, perDetR)
			t.Run(name, func(t *testing.T) {
				ticks := twoTicks(gateScene{nT: 2000, nD: 1500, m: c.cfg.Dim, area: 10000, perDetR: perDetR, bigFrac: 0.01}, 20)
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

// TestGateMovingRTreeAllocs shows that the R-tree allocates nothing in steady state
// over moving targets, whether it indexes the tracks (kept and updated in place, rebuilt
// now and then) or the detections (rebuilt every tick): its upper levels are arrays
// reused from one rebuild to the next.
func TestGateMovingRTreeAllocs(t *testing.T) {
	for _, m := range []int{2, 3} {
		for _, s := range []Set{SetTracks, SetDetections} {
			t.Run(fmt.Sprintf("m=%d/%v", m, s), func(t *testing.T) {
				ms := newMovingScene(gateScene{nT: 3000, nD: 3000, m: m, area: 10000, bigFrac: 0.01, seed: 31}, 15, 1)
				ticks := make([]struct {
					t Tracks
					d Detections
				}, 40)
				for k := range ticks {
					ms.step()
					ticks[k].t = Tracks{Z: slices.Clone(ms.t.Z), Cov: ms.t.Cov}
					ticks[k].d = Detections{Z: slices.Clone(ms.d.Z), Cov: ms.d.Cov}
				}
				g, err := NewGater(Config{Dim: m, Index: KindRTree, Indexed: s})
				require.NoError(t, err)
				var dst []Pair
				for k := range ticks { // warm up on every tick
					dst, err = g.Gate(dst[:0], ticks[k].t, ticks[k].d)
					require.NoError(t, err)
				}
				k, rebuilds, updates := 0, 0, 0
				allocs := testing.AllocsPerRun(2*len(ticks), func() {
					tk := &ticks[k%len(ticks)]
					k++
					dst, err = g.Gate(dst[:0], tk.t, tk.d)
					if g.Stats().RTreeRebuilt {
						rebuilds++
					} else {
						updates++
					}
				})
				require.NoError(t, err)
				require.NotEmpty(t, dst)
				t.Logf("%d rebuilds, %d updates in place", rebuilds, updates)
				require.Positive(t, rebuilds)
				if s == SetTracks {
					require.Positive(t, updates)
				}
				require.Zero(t, allocs)
			})
		}
	}
}
