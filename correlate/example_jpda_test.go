package correlate_test

import (
	"fmt"
	"math"

	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/correlate/assign"
)

// Two tracks and two detections, every pair in the gates. With miss and new costs 0,
// the likelihood ratios are L = exp(−cost): 2 and 1 for track 0, 1 and 3 for track 1.
// The seven joint events weigh 1 (nothing associated), 2, 1, 1, 3 (one pair), 6 and
// 1 (two pairs), 15 in all, so track 0 takes detection 0 with probability 8/15.
func ExampleJPDA() {
	j, err := correlate.NewJPDA(correlate.JPDAConfig{})
	if err != nil {
		panic(err)
	}
	defer j.Close()
	p := &assign.Sparse{
		Rows: 2, Cols: 2,
		Start: []int32{0, 2, 4},
		Col:   []int32{0, 1, 0, 1},
		Cost:  []float64{-math.Log(2), 0, 0, -math.Log(3)},
		Miss:  []float64{0, 0},
		New:   []float64{0, 0},
	}
	w := make([]float64, len(p.Col))
	if err := j.Associate(w, p); err != nil {
		panic(err)
	}
	for i := 0; i < p.Rows; i++ {
		miss := 1.0
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			fmt.Printf("track %d, detection %d: %.4f (×15 = %.0f)\n", i, p.Col[k], w[k], 15*w[k])
			miss -= w[k]
		}
		fmt.Printf("track %d missed: %.4f\n", i, miss)
	}
	fmt.Println("clusters:", j.Clusters, "largest:", j.Largest, "approximate:", j.Approximate)
	// Output:
	// track 0, detection 0: 0.5333 (×15 = 8)
	// track 0, detection 1: 0.1333 (×15 = 2)
	// track 0 missed: 0.3333
	// track 1, detection 0: 0.1333 (×15 = 2)
	// track 1, detection 1: 0.6000 (×15 = 9)
	// track 1 missed: 0.2667
	// clusters: 1 largest: 2 approximate: 0
}
