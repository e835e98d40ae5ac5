package kalman_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/trackcorr/trackcorr/kalman"
	"gonum.org/v1/gonum/stat/distuv"
)

// A linear Kalman filter tracking a target in 2-D from noisy position measurements.
func ExampleKF() {
	cv := kalman.NewCV(2, 0.1) // state [x, vx, y, vy], q = 0.1 m²/s³
	f, err := kalman.NewKF(cv, kalman.Config{})
	if err != nil {
		panic(err)
	}
	pos := kalman.NewPosition(cv.Dim(), []int{0, 2}, nil) // measures x and y
	R := []float64{25, 0, 0, 25}                          // 5 m standard deviation

	s, err := kalman.NewState([]float64{0, 0, 0, 0}, []float64{
		100, 0, 0, 0,
		0, 100, 0, 0,
		0, 0, 100, 0,
		0, 0, 0, 100,
	})
	if err != nil {
		panic(err)
	}
	for _, z := range [][]float64{{10, 5}, {21, 9}, {29, 16}, {41, 19}} {
		if err := f.Predict(&s, 1); err != nil {
			panic(err)
		}
		inn, err := f.Update(&s, pos, z, R)
		if err != nil {
			panic(err)
		}
		fmt.Printf("x=%6.2f vx=%5.2f y=%6.2f vy=%5.2f  NIS=%.2f\n", s.MeanAt(0), s.MeanAt(1), s.MeanAt(2), s.MeanAt(3), inn.D2)
	}
	// Output:
	// x=  8.89 vx= 4.45 y=  4.44 vy= 2.22  NIS=0.56
	// x= 19.47 vx= 8.54 y=  8.53 vy= 3.47  NIS=0.51
	// x= 28.73 vx= 8.90 y= 14.91 vy= 4.93  NIS=0.18
	// x= 39.79 vx= 9.73 y= 19.30 vy= 4.72  NIS=0.17
}

// An extended Kalman filter with a range-bearing sensor at (-1000, 0). Bearing is
// measured from the +x axis, counter-clockwise, in radians.
func ExampleEKF() {
	cv := kalman.NewCV(2, 0.1)
	f, err := kalman.NewEKF(cv, kalman.Config{})
	if err != nil {
		panic(err)
	}
	radar := kalman.NewRangeBearing(cv.Layout(), [2]float64{-1000, 0}, false)
	R := []float64{
		10 * 10, 0,
		0, 0.01 * 0.01, // 10 m, 0.01 rad
	}
	s, err := kalman.NewState([]float64{0, 10, 0, 0}, []float64{
		400, 0, 0, 0,
		0, 25, 0, 0,
		0, 0, 400, 0,
		0, 0, 0, 25,
	})
	if err != nil {
		panic(err)
	}
	// The target flies along y = 50 m at 10 m/s in x.
	for k := 1; k <= 3; k++ {
		x, y := 10*float64(k), 50.0
		z := []float64{math.Hypot(x+1000, y), math.Atan2(y, x+1000)}
		if err := f.Predict(&s, 1); err != nil {
			panic(err)
		}
		if _, err := f.Update(&s, radar, z, R); err != nil {
			panic(err)
		}
		fmt.Printf("t=%d s: x=%.1f y=%.1f (sd x %.1f m, sd y %.1f m)\n", k, s.MeanAt(0), s.MeanAt(2),
			math.Sqrt(s.CovAt(0, 0)), math.Sqrt(s.CovAt(2, 2)))
	}
	// Output:
	// t=1 s: x=11.0 y=40.3 (sd x 9.0 m, sd y 9.1 m)
	// t=2 s: x=20.5 y=46.5 (sd x 7.3 m, sd y 7.4 m)
	// t=3 s: x=30.2 y=49.9 (sd x 7.1 m, sd y 7.2 m)
}

// Gating: one prediction, several detections scored against it, and the update with
// the nearest one inside a 99% chi-square gate.
func ExamplePredicted_Score() {
	cv := kalman.NewCV(2, 0.1)
	f, _ := kalman.NewKF(cv, kalman.Config{})
	pos := kalman.NewPosition(4, []int{0, 2}, nil)
	s, _ := kalman.NewState([]float64{100, 10, 200, 0}, []float64{
		25, 0, 0, 0,
		0, 4, 0, 0,
		0, 0, 25, 0,
		0, 0, 0, 4,
	})
	if err := f.Predict(&s, 1); err != nil {
		panic(err)
	}
	var p kalman.Predicted
	if err := f.PredictMeasurement(&p, &s, pos, []float64{9, 0, 0, 9}); err != nil {
		panic(err)
	}
	gate := distuv.ChiSquared{K: 2}.Quantile(0.99)
	best, bestD2 := -1, math.Inf(1)
	detections := [][]float64{{150, 200}, {112, 203}, {109, 199}}
	for i, z := range detections {
		d2, _, err := p.Score(z)
		if err != nil {
			panic(err)
		}
		fmt.Printf("detection %d: d²=%.2f in gate: %v\n", i, d2, d2 <= gate)
		if d2 <= gate && d2 < bestD2 {
			best, bestD2 = i, d2
		}
	}
	inn, err := f.Apply(&s, &p, detections[best])
	if err != nil {
		panic(err)
	}
	fmt.Printf("updated with detection %d (NIS %.2f): x=%.1f y=%.1f\n", best, inn.D2, s.MeanAt(0), s.MeanAt(2))
	// Output:
	// detection 0: d²=42.07 in gate: false
	// detection 1: d²=0.34 in gate: true
	// detection 2: d²=0.05 in gate: true
	// updated with detection 2 (NIS 0.05): x=109.2 y=199.2
}

// Bad input is reported with a sentinel error and changes nothing.
func ExampleNewState() {
	_, err := kalman.NewState([]float64{0, 0}, []float64{1, 2, 2, 1}) // indefinite
	fmt.Println(errors.Is(err, kalman.ErrNotPositiveDefinite))

	s, _ := kalman.NewState([]float64{0, 0}, []float64{1, 0, 0, 1})
	f, _ := kalman.NewKF(kalman.NewCV(1, 1), kalman.Config{})
	err = f.Predict(&s, -1)
	fmt.Println(errors.Is(err, kalman.ErrNegativeTimeStep), s.Mean(nil), s.Cov(nil))
	// Output:
	// true
	// true [0 0] [1 0 0 1]
}

// The two modes of a CV + coordinated-turn IMM share the layout [x, vx, y, vy, ω]:
// the CV mode is the coordinated-turn model with the turn rate held at zero.
func ExampleNewCT() {
	turn := kalman.NewCT(kalman.CTConfig{Q: 0.5, QRate: 1e-4})
	straight := kalman.NewCT(kalman.CTConfig{Q: 0.5, QRate: 1e-4, ZeroRate: true})
	x := kalman.Vec{0, 100, 0, 0, 0.1} // 100 m/s along x, turning at 0.1 rad/s
	var a, b kalman.Vec
	turn.Transition(&a, &x, 1)
	straight.Transition(&b, &x, 1)
	fmt.Printf("turn:     x=%.2f y=%.2f vx=%.2f vy=%.2f ω=%.1f\n", a[0], a[2], a[1], a[3], a[4])
	fmt.Printf("straight: x=%.2f y=%.2f vx=%.2f vy=%.2f ω=%.1f\n", b[0], b[2], b[1], b[3], b[4])
	fmt.Println(turn.Linear(), straight.Linear(), turn.Layout() == straight.Layout())
	// Output:
	// turn:     x=99.83 y=5.00 vx=99.50 vy=9.98 ω=0.1
	// straight: x=100.00 y=0.00 vx=100.00 vy=0.00 ω=0.0
	// false true true
}

// Bearings are wrapped to [-π, π].
func ExampleWrapAngle() {
	fmt.Printf("%.4f %.4f\n", kalman.WrapAngle(3*math.Pi/2), kalman.WrapAngle(-7))
	// Output:
	// -1.5708 -0.7168
}
