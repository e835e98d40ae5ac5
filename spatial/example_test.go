package spatial_test

import (
	"fmt"
	"slices"
	"sync"

	"github.com/trackcorr/trackcorr/spatial"
)

// Two tracks and three detections in a local Cartesian frame (metres), one measurement
// noise covariance shared by the batch. Detection 2 is clutter far from both tracks.
// Track 0: S = [[13, 3], [3, 13]], e = (2, −1), d² = 77/160; track 1: S = diag(20, 8),
// e = (3, 1), d² = 9/20 + 1/8.
func ExampleGater() {
	g, err := spatial.NewGater(spatial.Config{Dim: 2, Probability: 0.99})
	if err != nil {
		panic(err)
	}
	tracks := spatial.Tracks{
		Z: []float64{0, 0, 100, 50}, // ẑ of track 0 and track 1
		Cov: []float64{ // H P Hᵀ of each track, row-major 2×2
			9, 3, 3, 9,
			16, 0, 0, 4,
		},
	}
	dets := spatial.Detections{
		Z:   []float64{2, -1, 103, 51, 5000, 5000},
		Cov: []float64{4, 0, 0, 4}, // R, shared
	}
	var pairs []spatial.Pair // reuse across ticks: pairs = g.Gate(pairs[:0], ...)
	pairs, err = g.Gate(pairs[:0], tracks, dets)
	if err != nil {
		panic(err)
	}
	fmt.Printf("γ = %.3f\n", g.Threshold())
	for _, p := range pairs {
		fmt.Printf("track %d, detection %d: d² = %.3f\n", p.Track, p.Det, p.D2)
	}
	st := g.Stats()
	fmt.Println(st.Index, st.Pairs)
	// Output:
	// γ = 9.210
	// track 0, detection 0: d² = 0.481
	// track 1, detection 1: d² = 0.575
	// brute 2
}

// Bad input is rejected with a typed error that names the item.
func ExampleGater_badInput() {
	g, _ := spatial.NewGater(spatial.Config{})
	tracks := spatial.Tracks{Z: []float64{0, 0}, Cov: []float64{1, 2, 2, 1}} // indefinite
	dets := spatial.Detections{Z: []float64{0, 0}, Cov: []float64{1, 0, 0, 1}}
	_, err := g.Gate(nil, tracks, dets)
	fmt.Println(err)
	// Output:
	// spatial: covariance not positive definite: track 0
}

// A Grid used directly: boxes carry their index as payload.
func ExampleGrid() {
	var grid spatial.Grid
	grid.Build([]spatial.Box{
		{Min: [2]float64{0, 0}, Max: [2]float64{10, 10}},
		{Min: [2]float64{20, 0}, Max: [2]float64{30, 10}},
		{Min: [2]float64{-1000, -1000}, Max: [2]float64{1000, 1000}}, // a wide gate
	})
	var hits []int32
	grid.Search(spatial.Box{Min: [2]float64{25, 5}, Max: [2]float64{26, 6}}, func(id int32) bool {
		hits = append(hits, id)
		return true
	})
	fmt.Println(len(hits), grid.Len())
	// Output:
	// 2 3
}

// An RTree used directly: built once, then updated in place when a box moves a little
// (it stays inside its run's fat box, so the tree is kept).
func ExampleRTree() {
	boxes := []spatial.Box{
		{Min: [2]float64{0, 0}, Max: [2]float64{10, 10}},
		{Min: [2]float64{20, 0}, Max: [2]float64{30, 10}},
		{Min: [2]float64{-1000, -1000}, Max: [2]float64{1000, 1000}}, // a wide gate
	}
	var rt spatial.RTree
	rt.Build(boxes)
	boxes[0].Min[0], boxes[0].Max[0] = 1, 11 // moved by a metre
	rt.Build(boxes)
	rebuilt, replaced := rt.LastBuild()
	var hits []int32
	rt.Search(spatial.Box{Min: [2]float64{10.5, 5}, Max: [2]float64{10.5, 5}}, func(id int32) bool {
		hits = append(hits, id)
		return true
	})
	slices.Sort(hits) // Search reports in the order of the tree
	fmt.Println(hits, rebuilt, replaced)
	// Output:
	// [0 2] false 0
}

// The detections of ExampleGater indexed once, in two shards run by two goroutines,
// then shared by two Gaters, each gating one of the tracks: the pairs of one Gate.
func ExampleDetectionIndex() {
	cfg := spatial.Config{Dim: 2, Probability: 0.99}
	x, err := spatial.NewDetectionIndex(cfg)
	if err != nil {
		panic(err)
	}
	dets := spatial.Detections{
		Z:   []float64{2, -1, 103, 51, 5000, 5000},
		Cov: []float64{4, 0, 0, 4}, // R, shared
	}
	shards := [2]spatial.Tracks{
		{Z: []float64{0, 0}, Cov: []float64{9, 3, 3, 9}},
		{Z: []float64{100, 50}, Cov: []float64{16, 0, 0, 4}},
	}
	if err := x.Reset(dets, 2); err != nil {
		panic(err)
	}
	for more := true; more; {
		var wg sync.WaitGroup
		wg.Go(func() { x.Step(1) })
		x.Step(0)
		wg.Wait()
		if more, err = x.Next(); err != nil {
			panic(err)
		}
	}
	var pairs [2][]spatial.Pair
	var wg sync.WaitGroup
	for s := range shards {
		g, err := spatial.NewGater(cfg)
		if err != nil {
			panic(err)
		}
		wg.Go(func() {
			if pairs[s], err = g.GateIndexed(pairs[s][:0], shards[s], x); err != nil {
				panic(err)
			}
		})
	}
	wg.Wait()
	for s := range shards {
		for _, p := range pairs[s] { // track s of the whole batch
			fmt.Printf("track %d, detection %d: d² = %.3f\n", s+int(p.Track), p.Det, p.D2)
		}
	}
	// Output:
	// track 0, detection 0: d² = 0.481
	// track 1, detection 1: d² = 0.575
}
