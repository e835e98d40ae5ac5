package spatial

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildSharded builds x over dets in k shards, one goroutine per shard and step, as a
// worker pool would.
func buildSharded(x *DetectionIndex, dets Detections, k int) error {
	if err := x.Reset(dets, k); err != nil {
		return err
	}
	for more := true; more; {
		var wg sync.WaitGroup
		for s := 1; s < k; s++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				x.Step(s)
			}()
		}
		x.Step(0)
		wg.Wait()
		var err error
		if more, err = x.Next(); err != nil {
			return err
		}
	}
	return nil
}

// trackShard returns tracks [lo, hi) of tr.
func trackShard(tr Tracks, m, lo, hi int) Tracks {
	return Tracks{Z: tr.Z[lo*m : hi*m], Cov: tr.Cov[lo*m*m : hi*m*m]}
}

// gateShards gates kt contiguous shards of the tracks against x concurrently, each
// with its own Gater, and returns the pairs concatenated in shard order (tracks
// renumbered in the whole batch) and each shard's error.
func gateShards(gs []*Gater, dst [][]Pair, tr Tracks, x *DetectionIndex, m int) ([]Pair, []error) {
	kt := len(gs)
	nT := len(tr.Z) / m
	errs := make([]error, kt)
	var wg sync.WaitGroup
	for s := range kt {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst[s], errs[s] = gs[s].GateIndexed(dst[s][:0], trackShard(tr, m, s*nT/kt, (s+1)*nT/kt), x)
		}()
	}
	wg.Wait()
	var out []Pair
	for s := range kt {
		for _, p := range dst[s] {
			p.Track += int32(s * nT / kt)
			out = append(out, p)
		}
	}
	return out, errs
}

// sameGrid asserts that two grids hold the same levels, cells, boxes and remainder.
func sameGrid(t *testing.T, want, got *Grid) {
	t.Helper()
	require.Equal(t, want.n, got.n)
	require.Equal(t, want.nlev, got.nlev)
	for li := range want.nlev {
		a, b := &want.levels[li], &got.levels[li]
		require.Equal(t, [7]float64{a.minX, a.minY, a.inv, float64(a.nx), float64(a.ny), a.wx, a.wy},
			[7]float64{b.minX, b.minY, b.inv, float64(b.nx), float64(b.ny), b.wx, b.wy}, "level %d", li)
		require.Equal(t, a.start, b.start, "level %d", li)
		kept := a.start[len(a.start)-1]
		require.Equal(t, a.id[:kept], b.id[:kept], "level %d", li)
		require.Equal(t, a.box[:kept], b.box[:kept], "level %d", li)
	}
	require.Equal(t, want.rest, got.rest)
	require.Equal(t, want.restB, got.restB)
}

// TestGateIndexedMatchesGate: over random scenes (2-D and 3-D, shared and
// per-detection R, kilometre-wide gates), the index built in k shards is the grid of
// Build, and the pairs of GateIndexed over kt shards of the tracks are exactly those
// of Gate (same order, same d² bits), which TestGateMatchesBruteForce* check against
// brute force.
func TestGateIndexedMatchesGate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var scenes []gateScene
	for n := range 60 {
		scenes = append(scenes, randomScene(rng, 600, uint64(100+n)))
	}
	scenes = append(scenes,
		gateScene{nT: 20000, nD: 22000, m: 2, area: 10000, perDetR: true, seed: 1},
		gateScene{nT: 20000, nD: 22000, m: 2, area: 10000, bigFrac: 0.01, seed: 2},
		gateScene{nT: 8000, nD: 9000, m: 3, area: 10000, perDetR: true, bigFrac: 0.01, seed: 3})
	for _, sc := range scenes {
		tr, de := sc.make()
		cfg := Config{Dim: sc.m}
		ref, err := NewGater(cfg)
		require.NoError(t, err)
		want, err := ref.Gate(nil, tr, de)
		require.NoError(t, err)
		var grid Grid
		for _, k := range []int{1, 2, 3, 7} {
			for _, kt := range []int{1, 2, 5} {
				name := fmt.Sprintf("nT=%d/nD=%d/m=%d/perDetR=%v/big=%v/k=%d/kt=%d", sc.nT, sc.nD, sc.m, sc.perDetR, sc.bigFrac, k, kt)
				t.Run(name, func(t *testing.T) {
					x, err := NewDetectionIndex(cfg)
					require.NoError(t, err)
					require.NoError(t, buildSharded(x, de, k))
					require.Equal(t, sc.nD, x.Len())
					grid.Build(x.box)
					sameGrid(t, &grid, &x.grid)
					gs := make([]*Gater, kt)
					for s := range gs {
						gs[s], err = NewGater(cfg)
						require.NoError(t, err)
					}
					got, errs := gateShards(gs, make([][]Pair, kt), tr, x, sc.m)
					for _, err := range errs {
						require.NoError(t, err)
					}
					require.Equal(t, len(want), len(got))
					for i := range want {
						if want[i].Track != got[i].Track || want[i].Det != got[i].Det ||
							math.Float64bits(want[i].D2) != math.Float64bits(got[i].D2) {
							t.Fatalf("pair %d: Gate %v, GateIndexed %v", i, want[i], got[i])
						}
					}
					if kt == 1 {
						st := gs[0].Stats()
						assert.Equal(t, len(want), st.Pairs)
						if sc.nT > 0 && sc.nD > 0 {
							assert.Equal(t, KindGrid, st.Index)
							assert.Equal(t, SetDetections, st.Indexed)
						}
					}
				})
			}
		}
	}
}

// TestGateIndexedBadInput: bad detections or tracks give the error Gate gives for the
// same batches (same sentinel, same item), whatever the number of shards of the
// detections and of the tracks; nothing panics, dst and the inputs are unchanged, the
// Gater keeps the stats of its last good call and the index is usable again after a
// Reset.
func TestGateIndexedBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	good := func() (Tracks, Detections) {
		return Tracks{
				Z:   []float64{0, 0, 100, 100, 50, 52},
				Cov: []float64{4, 1, 1, 4, 9, 0, 0, 9, 1, 0, 0, 1},
			}, Detections{
				Z:   []float64{1, 1, 100, 102, 50, 50, 200, 200},
				Cov: []float64{2, 0, 0, 2, 2, 0.5, 0.5, 2, 1, 0, 0, 1, 1, 0, 0, 1},
			}
	}
	cases := []struct {
		name string
		edit func(*Tracks, *Detections)
		err  error
	}{
		{"track z NaN", func(t *Tracks, d *Detections) { t.Z[3] = nan }, ErrNonFinite},
		{"track cov indefinite", func(t *Tracks, d *Detections) { t.Cov[1], t.Cov[2] = 5, 5 }, ErrNotPositiveDefinite},
		{"last track cov asymmetric", func(t *Tracks, d *Detections) { t.Cov[9] = 0.5 }, ErrNotSymmetric},
		{"detection z Inf", func(t *Tracks, d *Detections) { d.Z[4] = inf }, ErrNonFinite},
		{"detection cov NaN", func(t *Tracks, d *Detections) { d.Cov[8] = nan }, ErrNonFinite},
		{"detection cov indefinite", func(t *Tracks, d *Detections) { d.Cov[5], d.Cov[6] = 3, 3 }, ErrNotPositiveDefinite},
		{"two bad detections", func(t *Tracks, d *Detections) { d.Cov[15] = -1; d.Cov[5], d.Cov[6] = 3, 3 }, ErrNotPositiveDefinite},
		{"bad track and detection", func(t *Tracks, d *Detections) { d.Z[0] = nan; t.Cov[8] = 0 }, ErrNotPositiveDefinite},
		{"shared R indefinite", func(t *Tracks, d *Detections) { d.Cov = []float64{1, 2, 2, 1} }, ErrNotPositiveDefinite},
		{"shared R and track", func(t *Tracks, d *Detections) { d.Cov = []float64{inf, 0, 0, 1}; t.Z[0] = nan }, ErrNonFinite},
		{"track Z odd length", func(t *Tracks, d *Detections) { t.Z = t.Z[:5] }, ErrLength},
		{"detection Cov wrong length", func(t *Tracks, d *Detections) { d.Cov = d.Cov[:8] }, ErrLength},
	}
	for _, c := range cases {
		for _, k := range []int{1, 2, 4} {
			for _, kt := range []int{1, 2} {
				t.Run(fmt.Sprintf("%s/k=%d/kt=%d", c.name, k, kt), func(t *testing.T) {
					tr, de := good()
					x, err := NewDetectionIndex(Config{})
					require.NoError(t, err)
					gs := make([]*Gater, kt)
					for s := range gs {
						gs[s], err = NewGater(Config{})
						require.NoError(t, err)
					}
					require.NoError(t, buildSharded(x, de, k))
					before, errs := gateShards(gs, make([][]Pair, kt), tr, x, 2)
					require.NoError(t, errors.Join(errs...))
					require.NotEmpty(t, before)
					stats := make([]Stats, kt)
					for s := range gs {
						stats[s] = gs[s].Stats()
					}

					bt, bd := good()
					c.edit(&bt, &bd)
					inT, inD := f64bits(bt.Z), f64bits(bd.Cov)
					buildErr := buildSharded(x, bd, k)
					nT := len(bt.Z) / 2
					ref, err := NewGater(Config{})
					require.NoError(t, err)
					_, full := ref.Gate(nil, bt, bd)
					require.ErrorIs(t, full, c.err)
					for s := range kt {
						shard := bt
						if len(bt.Z)%2 == 0 {
							shard = trackShard(bt, 2, s*nT/kt, (s+1)*nT/kt)
						}
						dst := []Pair{{Track: 7, Det: 7, D2: 7}}
						wantOut, want := ref.Gate(dst, shard, bd)
						out, got := gs[s].GateIndexed(dst, shard, x)
						if want == nil { // a good shard of the tracks against good detections
							require.NoError(t, got)
							assert.Equal(t, wantOut, out)
							continue
						}
						require.Error(t, got)
						assert.Equal(t, want.Error(), got.Error())
						assert.ErrorIs(t, got, errors.Unwrap(want))
						assert.Equal(t, []Pair{{Track: 7, Det: 7, D2: 7}}, out, "dst unchanged")
						var wi, gi *ItemError
						if errors.As(want, &wi) {
							require.ErrorAs(t, got, &gi)
							assert.Equal(t, *wi, *gi, "the item Gate names")
						} else {
							assert.False(t, errors.As(got, &gi))
						}
						assert.Equal(t, stats[s], gs[s].Stats(), "stats of the last good call kept")
					}
					if buildErr != nil { // the detections' error is Gate's with good tracks
						_, want := ref.Gate(nil, tr, bd)
						assert.Equal(t, want.Error(), buildErr.Error())
					}
					assert.Equal(t, inT, f64bits(bt.Z), "input unchanged")
					assert.Equal(t, inD, f64bits(bd.Cov), "input unchanged")

					require.NoError(t, buildSharded(x, de, k)) // usable again, same answer
					after, errs := gateShards(gs, make([][]Pair, kt), tr, x, 2)
					require.NoError(t, errors.Join(errs...))
					assert.Equal(t, before, after)
				})
			}
		}
	}
}

func TestGateIndexedMismatch(t *testing.T) {
	tr, de := gateScene{nT: 50, nD: 50, m: 2, area: 10000, seed: 3}.make()
	x, err := NewDetectionIndex(Config{})
	require.NoError(t, err)
	cases := []struct {
		name string
		cfg  Config
	}{{"dim", Config{Dim: 3}}, {"probability", Config{Probability: 0.95}}, {"threshold", Config{Threshold: 9}}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.NoError(t, x.Build(de))
			g, err := NewGater(c.cfg)
			require.NoError(t, err)
			dst := []Pair{{Track: 7}}
			out, err := g.GateIndexed(dst, tr, x)
			require.ErrorIs(t, err, ErrConfig)
			assert.Equal(t, dst, out)
		})
	}
	t.Run("not built", func(t *testing.T) {
		require.NoError(t, x.Reset(de, 2))
		g, err := NewGater(Config{})
		require.NoError(t, err)
		_, err = g.GateIndexed(nil, tr, x)
		require.ErrorIs(t, err, ErrConfig)
	})
	t.Run("bad config", func(t *testing.T) {
		x, err := NewDetectionIndex(Config{Dim: 4})
		require.ErrorIs(t, err, ErrConfig)
		require.Nil(t, x)
	})
}

// TestGateIndexedAllocs: building the index in shards and gating against it allocate
// nothing once warm, alternating two ticks whose boxes all differ.
func TestGateIndexedAllocs(t *testing.T) {
	for _, m := range []int{2, 3} {
		for _, perDetR := range []bool{false, true} {
			t.Run(fmt.Sprintf("m=%d/perDetR=%v", m, perDetR), func(t *testing.T) {
				sc := gateScene{nT: 2000, nD: 1500, m: m, area: 10000, perDetR: perDetR, bigFrac: 0.01}
				ticks := twoTicks(sc, 30)
				x, err := NewDetectionIndex(Config{Dim: m})
				require.NoError(t, err)
				gs := make([]*Gater, 2)
				for s := range gs {
					gs[s], err = NewGater(Config{Dim: m})
					require.NoError(t, err)
				}
				dst := make([][]Pair, 2)
				run := func(k int) {
					tk := &ticks[k&1]
					require.NoError(t, x.Reset(tk.d, 2))
					for more := true; more; {
						x.Step(0)
						x.Step(1)
						more, err = x.Next()
						require.NoError(t, err)
					}
					for s := range gs {
						dst[s], err = gs[s].GateIndexed(dst[s][:0], trackShard(tk.t, m, s*sc.nT/2, (s+1)*sc.nT/2), x)
						require.NoError(t, err)
					}
				}
				for k := range 4 {
					run(k)
				}
				k := 0
				allocs := testing.AllocsPerRun(20, func() {
					run(k)
					k++
				})
				assert.Zero(t, allocs)
			})
		}
	}
}
