package assign_test

import (
	"fmt"
	"math"

	"github.com/trackcorr/trackcorr/correlate/assign"
)

func ExampleWorkspace_Dense() {
	inf := math.Inf(1)
	cost := []float64{ // 3 tracks × 3 detections, +Inf forbidden
		4, 1, 3,
		2, 0, inf,
		3, 2, 2,
	}
	var w assign.Workspace
	var res assign.Result
	if err := w.Dense(&res, 3, 3, cost, assign.Minimize); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.RowCol, res.Cost)
	// Output: [1 0 2] 5
}

func ExampleWorkspace_Solve() {
	// Two tracks, three detections; track 0 gates detections 0 and 1, track 1 gates 1.
	p := &assign.Sparse{
		Rows: 2, Cols: 3,
		Start: []int32{0, 2, 3},
		Col:   []int32{0, 1, 1},
		Cost:  []float64{5, 1, 2},
	}
	var w assign.Workspace
	var res assign.Result
	if err := w.Solve(&res, p); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.RowCol, res.ColRow, res.Cost, res.Pairs)
	// Output: [0 1] [0 1 -1] 7 2
}

func ExampleWorkspace_Solve_tracking() {
	// The tracking form: a missed detection costs 3 per track, an unassigned detection
	// (new track or clutter) 3 per detection. Pair (0,0) at 7 is worse than 3+3.
	p := &assign.Sparse{
		Rows: 2, Cols: 2,
		Start: []int32{0, 1, 2},
		Col:   []int32{0, 1},
		Cost:  []float64{7, 1},
		Miss:  []float64{3, 3},
		New:   []float64{3, 3},
	}
	var w assign.Workspace
	var res assign.Result
	if err := w.Solve(&res, p); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.RowCol, res.ColRow, res.Cost)
	// Output: [-1 1] [-1 1] 7
}

func ExampleSolver() {
	s, err := assign.NewSolver(assign.Config{Workers: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	// Two independent clusters: rows {0,1} × cols {0,1} and row 2 × col 2.
	p := &assign.Sparse{
		Rows: 3, Cols: 3,
		Start: []int32{0, 2, 4, 5},
		Col:   []int32{0, 1, 0, 1, 2},
		Cost:  []float64{1, 2, 2, 4, 3},
	}
	var res assign.Result
	if err := s.Solve(&res, p); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.RowCol, res.Cost, s.Components())
	// Output: [1 0 2] 7 2
}

func ExampleWorkspace_KBest() {
	p := &assign.Sparse{
		Rows: 2, Cols: 2,
		Start: []int32{0, 2, 4},
		Col:   []int32{0, 1, 0, 1},
		Cost:  []float64{1, 2, 3, 5},
	}
	var w assign.Workspace
	best, err := w.KBest(nil, p, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range best {
		fmt.Println(r.RowCol, r.Cost)
	}
	// Output:
	// [1 0] 5
	// [0 1] 6
}

func ExampleError() {
	p := &assign.Sparse{Rows: 1, Cols: 1, Start: []int32{0, 1}, Col: []int32{0}, Cost: []float64{math.NaN()}}
	var w assign.Workspace
	var res assign.Result
	err := w.Solve(&res, p)
	fmt.Println(err)
	// Output: assign: NaN cost at row 0 column 0 (candidate 0)
}
