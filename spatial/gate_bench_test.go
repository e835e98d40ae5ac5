package spatial

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/tidwall/rtree"
)

// benchScenes caches the two ticks of each benchmark scene: same targets, measurement
// and prediction noise drawn afresh, so every iteration gates a batch whose boxes all
// changed since the last one, as in a tracker.
var benchScenes = map[gateScene][2]struct {
	t Tracks
	d Detections
}{}

func benchTicks(sc gateScene) [2]struct {
	t Tracks
	d Detections
} {
	if v, ok := benchScenes[sc]; ok {
		return v
	}
	var v [2]struct {
		t Tracks
		d Detections
	}
	for k := range v {
		s := sc
		s.seed = sc.seed*2 + uint64(k)
		v[k].t, v[k].d = s.make()
	}
	benchScenes[sc] = v
	return v
}

// BenchmarkGate gates n tracks against n detections at constant density (10,000 m² per
// target, track σ 1–4 m, detection σ about 2 m, P_G 0.99), including the exact
// Mahalanobis test, on one goroutine.
func BenchmarkGate(b *testing.B) {
	type variant struct {
		name string
		cfg  Config
		maxN int
	}
	variants := []variant{
		{"auto", Config{}, 100000},
		{"grid", Config{Index: KindGrid}, 100000},
		{"rtree", Config{Index: KindRTree}, 100000},
		{"brute", Config{Index: KindBrute}, 10000},
	}
	for _, mix := range []struct {
		name    string
		bigFrac float64
	}{{"uniform", 0}, {"mixed", 0.01}} {
		for _, n := range []int{1000, 10000, 100000} {
			sc := gateScene{nT: n, nD: n, m: 2, area: 10000, bigFrac: mix.bigFrac, seed: 11}
			for _, v := range variants {
				if n > v.maxN {
					continue
				}
				b.Run(fmt.Sprintf("%s/n=%d/%s", mix.name, n, v.name), func(b *testing.B) {
					ticks := benchTicks(sc)
					g, err := NewGater(v.cfg)
					if err != nil {
						b.Fatal(err)
					}
					var dst []Pair
					for k := range ticks { // warm the workspaces up: steady state
						if dst, err = g.Gate(dst[:0], ticks[k].t, ticks[k].d); err != nil {
							b.Fatal(err)
						}
					}
					k, pairs, boxHits := 0, 0, 0
					b.ReportAllocs()
					for b.Loop() {
						tk := &ticks[k&1]
						k++
						if dst, err = g.Gate(dst[:0], tk.t, tk.d); err != nil {
							b.Fatal(err)
						}
						pairs += g.Stats().Pairs
						boxHits += g.Stats().BoxCandidates
					}
					perTrack := float64(b.N) * float64(n)
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/perTrack, "ns/track")
					b.ReportMetric(float64(pairs)/perTrack, "pairs/track")
					b.ReportMetric(float64(boxHits)/perTrack, "boxhits/track")
				})
			}
		}
	}
}

// BenchmarkGate3D is BenchmarkGate in three dimensions with one R per detection and
// 1% of the tracks with kilometre-wide gates.
func BenchmarkGate3D(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		sc := gateScene{nT: n, nD: n, m: 3, area: 10000, perDetR: true, bigFrac: 0.01, seed: 12}
		for _, v := range []struct {
			name string
			cfg  Config
		}{{"auto", Config{Dim: 3}}, {"grid", Config{Dim: 3, Index: KindGrid}}, {"rtree", Config{Dim: 3, Index: KindRTree}}} {
			b.Run(fmt.Sprintf("n=%d/%s", n, v.name), func(b *testing.B) {
				ticks := benchTicks(sc)
				g, err := NewGater(v.cfg)
				if err != nil {
					b.Fatal(err)
				}
				var dst []Pair
				for k := range ticks {
					if dst, err = g.Gate(dst[:0], ticks[k].t, ticks[k].d); err != nil {
						b.Fatal(err)
					}
				}
				k, pairs, boxHits := 0, 0, 0
				b.ReportAllocs()
				for b.Loop() {
					tk := &ticks[k&1]
					k++
					if dst, err = g.Gate(dst[:0], tk.t, tk.d); err != nil {
						b.Fatal(err)
					}
					pairs += g.Stats().Pairs
					boxHits += g.Stats().BoxCandidates
				}
				perTrack := float64(b.N) * float64(n)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/perTrack, "ns/track")
				b.ReportMetric(float64(pairs)/perTrack, "pairs/track")
				b.ReportMetric(float64(boxHits)/perTrack, "boxhits/track")
			})
		}
	}
}

// BenchmarkIndexCosts measures the per-item costs behind the automatic choice
// (gate_plan.go) on 100k gate boxes at constant density.
func BenchmarkIndexCosts(b *testing.B) {
	const n = 100000
	ticks := benchTicks(gateScene{nT: n, nD: n, m: 2, area: 10000, seed: 11})
	g, err := NewGater(Config{})
	if err != nil {
		b.Fatal(err)
	}
	boxes := make([][]Box, 2)
	for k := range boxes {
		if _, err := g.Gate(nil, ticks[k].t, ticks[k].d); err != nil {
			b.Fatal(err)
		}
		boxes[k] = append([]Box(nil), g.tBox...)
	}
	queries := append([]Box(nil), g.dBox...)
	count := 0
	visit := func(int32) bool { count++; return true }
	perItem := func(b *testing.B, items int) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(items), "ns/item")
	}
	b.Run("grid/build", func(b *testing.B) {
		var gr Grid
		gr.Build(boxes[0])
		gr.Build(boxes[1])
		k := 0
		b.ReportAllocs()
		for b.Loop() {
			gr.Build(boxes[k&1])
			k++
		}
		perItem(b, n)
	})
	b.Run("grid/query", func(b *testing.B) {
		var gr Grid
		gr.Build(boxes[0])
		b.ReportAllocs()
		for b.Loop() {
			for _, q := range queries {
				gr.Search(q, visit)
			}
		}
		perItem(b, n)
	})
	b.Run("rtree/rebuild", func(b *testing.B) {
		var rt RTree
		k := 0
		b.ReportAllocs()
		for b.Loop() {
			rt.rebuild(boxes[k&1])
			k++
		}
		perItem(b, n)
	})
	b.Run("rtree/sort", func(b *testing.B) {
		// The Hilbert sort alone, as a rebuild and the grouped queries make it.
		var o curveOrder
		o.sort(boxes[0])
		b.ReportAllocs()
		for b.Loop() {
			o.sort(boxes[0])
		}
		perItem(b, n)
	})
	b.Run("rtree/replace", func(b *testing.B) {
		// Update 1% of the boxes in place per iteration, without fat runs so that
		// every changed box replaces its run.
		rt := RTree{ReplaceCost: 1, RebuildCost: 1e9, FatFraction: -1}
		rt.Build(boxes[0])
		cur := append([]Box(nil), boxes[0]...)
		rng := rand.New(rand.NewPCG(1, 1))
		const changed = n / 100
		b.ReportAllocs()
		for b.Loop() {
			for range changed {
				i := rng.IntN(n)
				cur[i] = boxes[1][i]
				if cur[i] == rt.boxes[i] {
					cur[i] = boxes[0][i]
				}
			}
			rt.Build(cur)
		}
		_, replaced := rt.LastBuild()
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(max(replaced, 1)), "ns/replace")
		perItem(b, changed)
	})
	b.Run("rtree/query", func(b *testing.B) {
		// Grouped queries as the Gater makes them, exact test included.
		gr, err := NewGater(Config{Index: KindRTree, Indexed: SetTracks})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := gr.Gate(nil, ticks[0].t, ticks[0].d); err != nil {
			b.Fatal(err)
		}
		var dst []Pair
		b.ReportAllocs()
		for b.Loop() {
			dst, _ = gr.queryGrouped(dst[:0], &gr.rtree, gr.dBox, false, n, n)
		}
		perItem(b, n)
	})
	b.Run("rtree/search", func(b *testing.B) {
		// One Search per query box.
		var rt RTree
		rt.Build(boxes[0])
		b.ReportAllocs()
		for b.Loop() {
			for _, q := range queries {
				rt.Search(q, visit)
			}
		}
		perItem(b, n)
	})
	// The reference: tidwall/rtree used directly, one entry per box, rebuilt by
	// inserting every box (it has no bulk load) and searched once per query box.
	b.Run("tidwall/rebuild", func(b *testing.B) {
		k := 0
		b.ReportAllocs()
		for b.Loop() {
			var tr rtree.RTreeG[int32]
			for i, bx := range boxes[k&1] {
				tr.Insert(bx.Min, bx.Max, int32(i))
			}
			k++
		}
		perItem(b, n)
	})
	b.Run("tidwall/search", func(b *testing.B) {
		var tr rtree.RTreeG[int32]
		for i, bx := range boxes[0] {
			tr.Insert(bx.Min, bx.Max, int32(i))
		}
		cb := func(_, _ [2]float64, id int32) bool { return visit(id) }
		b.ReportAllocs()
		for b.Loop() {
			for _, q := range queries {
				tr.Search(q.Min, q.Max, cb)
			}
		}
		perItem(b, n)
	})
	b.Run("brute/pair", func(b *testing.B) {
		const nb = 1000
		gb, err := NewGater(Config{Index: KindBrute})
		if err != nil {
			b.Fatal(err)
		}
		tr := Tracks{Z: ticks[0].t.Z[:2*nb], Cov: ticks[0].t.Cov[:4*nb]}
		de := Detections{Z: ticks[0].d.Z[:2*nb], Cov: ticks[0].d.Cov}
		var dst []Pair
		b.ReportAllocs()
		for b.Loop() {
			dst, _ = gb.Gate(dst[:0], tr, de)
		}
		perItem(b, nb*nb)
	})
	_ = count
}

// BenchmarkGateMoving gates moving targets tick after tick: n targets at constant
// density with constant velocities of up to 15 m/s and a 1 s scan, a fresh
// prediction and measurement of every target each tick (movingScene, generated
// outside the timer). It is the steady state of a tracker, where the track gate boxes
// move a little between ticks and the detections are all new: the R-tree indexing
// the tracks keeps its tree and replaces only the runs whose members left their fat
// boxes; indexing the detections rebuilds it every tick.
func BenchmarkGateMoving(b *testing.B) {
	for _, mix := range []struct {
		name    string
		bigFrac float64
	}{{"uniform", 0}, {"mixed", 0.01}} {
		for _, n := range []int{10000, 100000} {
			benchGateMoving(b, mix.name, mix.bigFrac, n)
		}
	}
}

func benchGateMoving(b *testing.B, mix string, bigFrac float64, n int) {
	for _, v := range []struct {
		name string
		cfg  Config
	}{
		{"auto", Config{}},
		{"grid", Config{Index: KindGrid}},
		{"rtree", Config{Index: KindRTree}},
		{"rtree-tracks", Config{Index: KindRTree, Indexed: SetTracks}},
	} {
		b.Run(fmt.Sprintf("%s/n=%d/%s", mix, n, v.name), func(b *testing.B) {
			ms := newMovingScene(gateScene{nT: n, nD: n, m: 2, area: 10000, bigFrac: bigFrac, seed: 13}, 15, 1)
			g, err := NewGater(v.cfg)
			if err != nil {
				b.Fatal(err)
			}
			var dst []Pair
			for range 3 { // warm up
				ms.step()
				if dst, err = g.Gate(dst[:0], ms.t, ms.d); err != nil {
					b.Fatal(err)
				}
			}
			pairs, boxHits, rebuilt := 0, 0, 0
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				ms.step()
				b.StartTimer()
				if dst, err = g.Gate(dst[:0], ms.t, ms.d); err != nil {
					b.Fatal(err)
				}
				st := g.Stats()
				pairs += st.Pairs
				boxHits += st.BoxCandidates
				if st.RTreeRebuilt {
					rebuilt++
				}
			}
			perTrack := float64(b.N) * float64(n)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/perTrack, "ns/track")
			b.ReportMetric(float64(pairs)/perTrack, "pairs/track")
			b.ReportMetric(float64(boxHits)/perTrack, "boxhits/track")
			b.ReportMetric(float64(rebuilt)/float64(b.N), "rebuilds/tick")
		})
	}
}

// BenchmarkGateShards gates n tracks against 1.1·n detections with one R each (a
// tracker's batch) on k goroutines, each with its own Gater and a contiguous shard of
// the tracks: "gate", each shard against every detection (Gate), or "index", the
// detections indexed once in k shards (DetectionIndex) and each shard gated against
// the index (GateIndexed). Same pairs; the ratio is what sharing the detection side
// saves. Goroutines are started per step, as cheap as a pool's hand-off at this size.
func BenchmarkGateShards(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		sc := gateScene{nT: n, nD: n + n/10, m: 2, area: 10000, perDetR: true, seed: 13}
		for _, k := range []int{1, 2} {
			for _, shared := range []bool{false, true} {
				name := map[bool]string{false: "gate", true: "index"}[shared]
				b.Run(fmt.Sprintf("n=%d/k=%d/%s", n, k, name), func(b *testing.B) {
					ticks := benchTicks(sc)
					x, err := NewDetectionIndex(Config{})
					if err != nil {
						b.Fatal(err)
					}
					gs := make([]*Gater, k)
					for s := range gs {
						if gs[s], err = NewGater(Config{}); err != nil {
							b.Fatal(err)
						}
					}
					dst := make([][]Pair, k)
					each := func(f func(s int)) {
						var wg sync.WaitGroup
						for s := 1; s < k; s++ {
							wg.Go(func() { f(s) })
						}
						f(0)
						wg.Wait()
					}
					run := func(tk int) {
						tr, de := ticks[tk&1].t, ticks[tk&1].d
						if shared {
							if err := x.Reset(de, k); err != nil {
								b.Fatal(err)
							}
							for more := true; more; {
								each(x.Step)
								if more, err = x.Next(); err != nil {
									b.Fatal(err)
								}
							}
						}
						each(func(s int) {
							sh := trackShard(tr, 2, s*n/k, (s+1)*n/k)
							var err error
							if shared {
								dst[s], err = gs[s].GateIndexed(dst[s][:0], sh, x)
							} else {
								dst[s], err = gs[s].Gate(dst[s][:0], sh, de)
							}
							if err != nil {
								panic(err)
							}
						})
					}
					run(0)
					run(1)
					tk := 0
					b.ReportAllocs()
					for b.Loop() {
						run(tk)
						tk++
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/(float64(b.N)*float64(n)), "ns/track")
				})
			}
		}
	}
}
