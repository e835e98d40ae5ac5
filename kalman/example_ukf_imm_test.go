package kalman_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/trackcorr/trackcorr/kalman"
)

// A coordinated-turn target tracked by a range-bearing radar with the unscented Kalman
// filter. The target flies at 150 m/s and turns at 2°/s; the filter, started with no
// turn rate, learns it.
func ExampleUKF() {
	mot := kalman.NewCT(kalman.CTConfig{Q: 0.5, QRate: 1e-5})
	f, err := kalman.NewUKF(mot, kalman.UKFConfig{}) // α = 1, β = 2, κ = 0
	if err != nil {
		panic(err)
	}
	radar := kalman.NewRangeBearing(mot.Layout(), [2]float64{0, 0}, false)
	R := []float64{
		10 * 10, 0, // 10 m
		0, 0.002 * 0.002, // 2 mrad
	}
	s, err := kalman.NewState(
		[]float64{10000, 150, 0, 0, 0}, // x, vx, y, vy (m, m/s), ω (rad/s)
		[]float64{
			100, 0, 0, 0, 0,
			0, 25, 0, 0, 0,
			0, 0, 100, 0, 0,
			0, 0, 0, 25, 0,
			0, 0, 0, 0, 1e-3,
		})
	if err != nil {
		panic(err)
	}
	rng := rand.New(rand.NewPCG(1, 2)) // seeded measurement noise
	w := 2 * math.Pi / 180
	px, py, vx, vy := 10000.0, 0.0, 150.0, 0.0
	for k := 1; k <= 60; k++ {
		sn, cs := math.Sincos(w)
		px += (sn*vx - (1-cs)*vy) / w
		py += ((1-cs)*vx + sn*vy) / w
		vx, vy = cs*vx-sn*vy, sn*vx+cs*vy
		if err := f.Predict(&s, 1); err != nil {
			panic(err)
		}
		z := []float64{math.Hypot(px, py) + 10*rng.NormFloat64(), math.Atan2(py, px) + 0.002*rng.NormFloat64()}
		inn, err := f.Update(&s, radar, z, R)
		if err != nil {
			panic(err)
		}
		if k%20 == 0 {
			fmt.Printf("t=%2ds  turn rate %.1f°/s  position error %.0f m  NIS %.1f\n",
				k, s.MeanAt(4)*180/math.Pi, math.Hypot(s.MeanAt(0)-px, s.MeanAt(2)-py), inn.D2)
		}
	}
	// Output:
	// t=20s  turn rate 1.8°/s  position error 6 m  NIS 0.6
	// t=40s  turn rate 2.0°/s  position error 8 m  NIS 0.4
	// t=60s  turn rate 1.8°/s  position error 2 m  NIS 1.1
}

// An IMM with a straight-line mode and a coordinated-turn mode over the same 5-state
// layout: the turn-mode probability rises while the target turns and falls when it flies
// straight again.
func ExampleIMM() {
	straight := kalman.NewCT(kalman.CTConfig{Q: 0.1, QRate: 1e-6, ZeroRate: true})
	turn := kalman.NewCT(kalman.CTConfig{Q: 0.1, QRate: 1e-4})
	f, err := kalman.NewIMM(
		[]kalman.Motion{straight, turn},
		[]float64{
			0.95, 0.05, // from straight
			0.05, 0.95, // from turn
		}, kalman.Config{})
	if err != nil {
		panic(err)
	}
	s0, err := kalman.NewState([]float64{0, 100, 0, 0, 0},
		[]float64{
			100, 0, 0, 0, 0,
			0, 25, 0, 0, 0,
			0, 0, 100, 0, 0,
			0, 0, 0, 25, 0,
			0, 0, 0, 0, 1e-4,
		})
	if err != nil {
		panic(err)
	}
	s, err := kalman.NewIMMState(s0, []float64{0.5, 0.5})
	if err != nil {
		panic(err)
	}
	pos := kalman.NewPosition(5, []int{0, 2}, nil)
	R := []float64{100, 0, 0, 100}     // 10 m
	rng := rand.New(rand.NewPCG(3, 4)) // seeded measurement noise
	px, py, vx, vy := 0.0, 0.0, 100.0, 0.0
	for k := 1; k <= 90; k++ {
		w := 0.0
		if k > 30 && k <= 60 {
			w = 3 * math.Pi / 180 // 3°/s
		}
		if w == 0 {
			px, py = px+vx, py+vy
		} else {
			sn, cs := math.Sincos(w)
			px += (sn*vx - (1-cs)*vy) / w
			py += ((1-cs)*vx + sn*vy) / w
			vx, vy = cs*vx-sn*vy, sn*vx+cs*vy
		}
		if err := f.Predict(&s, 1); err != nil {
			panic(err)
		}
		z := []float64{px + 10*rng.NormFloat64(), py + 10*rng.NormFloat64()}
		if _, err := f.Update(&s, pos, z, R); err != nil {
			panic(err)
		}
		if k%15 == 0 {
			c := s.Combined()
			fmt.Printf("t=%2ds  P(turn) %.1f  position error %.0f m\n",
				k, s.Prob(1), math.Hypot(c.MeanAt(0)-px, c.MeanAt(2)-py))
		}
	}
	// Output:
	// t=15s  P(turn) 0.2  position error 6 m
	// t=30s  P(turn) 0.2  position error 9 m
	// t=45s  P(turn) 0.8  position error 9 m
	// t=60s  P(turn) 1.0  position error 10 m
	// t=75s  P(turn) 0.3  position error 9 m
	// t=90s  P(turn) 0.2  position error 3 m
}
