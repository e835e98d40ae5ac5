// Command quickstart filters one simulated target with trackcorr's Kalman filter and
// prints its estimate against the truth, then tracks a few targets in clutter with the
// multi-target tracker and prints the confirmed tracks.
//
// The target flies a nearly-constant-velocity path in 2-D (state [x, vx, y, vy], metres
// and metres per second); a sensor measures its position once per second with 10 m of
// noise on each axis. Everything is seeded, so the output is the same on every run:
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"

	"github.com/trackcorr/trackcorr/kalman"
)

// Scenario parameters.
const (
	steps    = 60    // one measurement per second
	dt       = 1.0   // s
	q        = 0.05  // acceleration noise spectral density, m²/s³
	sigma    = 10.0  // measurement noise per axis, m
	seed     = 2026  // simulation seed
	printDiv = 10    // print every printDiv-th step
	burnIn   = 5     // steps excluded from the RMS (the filter starts from one measurement)
	initVelS = 50.0  // initial velocity standard deviation, m/s
	initPosS = sigma // initial position standard deviation, m
)

// result summarises a run.
type result struct {
	rmsFilter, rmsMeasured float64 // RMS position error (Euclidean), m, after burnIn
}

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
	if _, _, err := trackFew(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run simulates and filters the scenario, writing the table to w.
func run(w io.Writer) (result, error) {
	rng := rand.New(rand.NewPCG(seed, 1))
	cv := kalman.NewCV(2, q)
	f, err := kalman.NewKF(cv, kalman.Config{})
	if err != nil {
		return result{}, err
	}
	pos := kalman.NewPosition(cv.Dim(), []int{0, 2}, nil)
	R := []float64{sigma * sigma, 0, 0, sigma * sigma}

	// Truth: start at (0, 0) m with (12, 5) m/s, driven by white acceleration noise of
	// density q, sampled exactly from the model's Q(dt).
	truth := kalman.Vec{0, 12, 0, 5}
	var Q kalman.Mat
	cv.Noise(&Q, &truth, dt)
	measure := func() []float64 {
		return []float64{truth[0] + sigma*rng.NormFloat64(), truth[2] + sigma*rng.NormFloat64()}
	}

	// Initialise from the first measurement.
	z := measure()
	s, err := kalman.NewState([]float64{z[0], 0, z[1], 0}, []float64{
		initPosS * initPosS, 0, 0, 0,
		0, initVelS * initVelS, 0, 0,
		0, 0, initPosS * initPosS, 0,
		0, 0, 0, initVelS * initVelS,
	})
	if err != nil {
		return result{}, err
	}

	fmt.Fprintf(w, "%4s  %17s  %17s  %7s\n", "t/s", "truth x, y (m)", "estimate x, y (m)", "error m")
	var sumF, sumM float64
	for k := 1; k <= steps; k++ {
		cv.Transition(&truth, &truth, dt)
		addNoise(rng, &truth, &Q)
		z = measure()
		if err := f.Predict(&s, dt); err != nil {
			return result{}, err
		}
		if _, err := f.Update(&s, pos, z, R); err != nil {
			return result{}, err
		}
		ex, ey := s.MeanAt(0)-truth[0], s.MeanAt(2)-truth[2]
		if k > burnIn {
			sumF += ex*ex + ey*ey
			mx, my := z[0]-truth[0], z[1]-truth[2]
			sumM += mx*mx + my*my
		}
		if k%printDiv == 0 {
			fmt.Fprintf(w, "%4d  %8.1f %8.1f  %8.1f %8.1f  %7.1f\n", k, truth[0], truth[2], s.MeanAt(0), s.MeanAt(2), math.Hypot(ex, ey))
		}
	}
	n := float64(steps - burnIn)
	res := result{rmsFilter: math.Sqrt(sumF / n), rmsMeasured: math.Sqrt(sumM / n)}
	fmt.Fprintf(w, "RMS position error after %d s: filter %.1f m, raw measurements %.1f m\n", burnIn, res.rmsFilter, res.rmsMeasured)
	return res, nil
}

// addNoise adds a draw of N(0, Q) to x (the 2×2 blocks of CV's Q are factorised by
// hand: Q = L Lᵀ per axis).
func addNoise(rng *rand.Rand, x *kalman.Vec, Q *kalman.Mat) {
	for a := 0; a < 2; a++ {
		o := 2 * a
		l00 := math.Sqrt(Q[o][o])
		l10 := Q[o+1][o] / l00
		l11 := math.Sqrt(Q[o+1][o+1] - l10*l10)
		w0, w1 := rng.NormFloat64(), rng.NormFloat64()
		x[o] += l00 * w0
		x[o+1] += l10*w0 + l11*w1
	}
}
