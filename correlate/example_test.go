package correlate_test

import (
	"fmt"
	"math"

	"github.com/trackcorr/trackcorr/correlate"
)

// A target moving at 10 m/s along x, seen once per second by a position sensor: the
// track is confirmed on the third scan.
func ExampleTracker() {
	tr, err := correlate.New(correlate.Config{
		Sensors: []correlate.Sensor{{ID: 1, Kind: correlate.Position2D}},
	})
	if err != nil {
		panic(err)
	}
	defer tr.Close()
	var out correlate.Output
	for k := int64(0); k < 4; k++ {
		d := correlate.Detection{ID: uint64(k + 1), Time: k * 1e9}
		d.Z[0], d.Z[1] = 10*float64(k), 50 // metres
		d.R[0], d.R[3] = 4, 4              // 2 m standard deviation, row-major 2×2
		scan := correlate.Scan{Sensor: 1, Time: k * 1e9, Detections: []correlate.Detection{d}}
		if err := tr.Process(&scan, &out); err != nil {
			panic(err)
		}
		for _, e := range out.Events {
			fmt.Printf("t=%ds track %d %v\n", e.Time/1e9, e.Track, e.Status)
		}
	}
	tk := out.Tracks[0]
	fmt.Printf("x %.1f m, vx %.1f m/s, detection %d\n", tk.State[0], tk.State[1], tk.Detections[0])
	// Output:
	// t=0s track 1 tentative
	// t=2s track 1 confirmed
	// x 29.9 m, vx 9.9 m/s, detection 4
}

// A scan with a bad covariance is rejected with an error naming the sensor and the
// detection, and the tracker is unchanged.
func ExampleTracker_Process_badInput() {
	tr, _ := correlate.New(correlate.Config{
		Sensors: []correlate.Sensor{{ID: 7, Kind: correlate.Position2D}},
	})
	defer tr.Close()
	d := correlate.Detection{ID: 42}
	d.R[0], d.R[3] = -1, 4
	var out correlate.Output
	err := tr.Process(&correlate.Scan{Sensor: 7, Detections: []correlate.Detection{d}}, &out)
	fmt.Println(err)
	fmt.Println(tr.Live())
	// Output:
	// correlate: covariance not symmetric positive definite: sensor 7, detection 42 (index 0): R
	// 0
}

// A range-bearing radar at (1000, 0) and a passive sensor at (0, 1000) measuring
// bearings only: the radar starts and confirms the track, the bearings refine it but
// never start one. Snapshot reads every live track.
func ExampleTracker_Snapshot() {
	tr, err := correlate.New(correlate.Config{Sensors: []correlate.Sensor{
		{ID: 1, Kind: correlate.RangeBearing, Position: [3]float64{1000, 0, 0}, ClutterDensity: 1e-6},
		{ID: 2, Kind: correlate.Bearing, Position: [3]float64{0, 1000, 0}, ClutterDensity: 1e-2},
	}})
	if err != nil {
		panic(err)
	}
	defer tr.Close()
	var out correlate.Output
	id := uint64(1)
	for k := int64(0); k < 5; k++ {
		x, y := 5*float64(k), 0.0 // the target moves along x at 5 m/s from the origin
		r := correlate.Detection{ID: id, Time: k * 1e9}
		r.Z[0], r.Z[1] = math.Hypot(x-1000, y), math.Atan2(y, x-1000) // range m, azimuth rad
		r.R[0], r.R[3] = 25, 1e-6
		b := correlate.Detection{ID: id + 1, Time: k*1e9 + 5e8}
		b.Z[0] = math.Atan2(y-1000, x+2.5-0) // the target is 2.5 m further half a second later
		b.R[0] = 1e-6
		id += 2
		for _, sc := range []correlate.Scan{
			{Sensor: 1, Time: k * 1e9, Detections: []correlate.Detection{r}},
			{Sensor: 2, Time: k*1e9 + 5e8, Detections: []correlate.Detection{b}},
		} {
			if err := tr.Process(&sc, &out); err != nil {
				panic(err)
			}
		}
	}
	tr.Snapshot(&out)
	for _, tk := range out.Tracks {
		fmt.Printf("track %d %v: x %.0f m, y %.0f m, %d detections\n", tk.ID, tk.Status, tk.State[0], tk.State[2], tk.Hits)
	}
	// Output:
	// track 1 confirmed: x 22 m, y 0 m, 10 detections
}

// With Filter IMM a track carries mode probabilities: a target flying straight at
// 200 m/s along x, then turning at 6°/s, its exact positions reported every second with a 10 m standard
// deviation. The Straight
// mode dominates on the straight leg, the Turn mode in the turn; State stays in the CV
// layout [x, vx, y, vy].
func ExampleConfig_imm() {
	tr, err := correlate.New(correlate.Config{
		Filter:     correlate.IMM, // default modes: Straight, Turn
		Initiation: correlate.TwoPoint,
		MaxSpeed:   300,
		Sensors:    []correlate.Sensor{{ID: 1, Kind: correlate.Position2D}},
	})
	if err != nil {
		panic(err)
	}
	defer tr.Close()
	var out correlate.Output
	w := 6 * math.Pi / 180 // rad/s
	r := 200 / w           // turn radius, m
	for k := 0; k <= 40; k++ {
		x, y := 200*float64(k), 0.0
		if k > 20 { // counter-clockwise turn from (4000, 0)
			a := w * float64(k-20)
			x, y = 4000+r*math.Sin(a), r*(1-math.Cos(a))
		}
		d := correlate.Detection{ID: uint64(k + 1)}
		d.Z[0], d.Z[1] = x, y
		d.R[0], d.R[3] = 100, 100
		scan := correlate.Scan{Sensor: 1, Time: int64(k) * 1e9, Detections: []correlate.Detection{d}}
		if err := tr.Process(&scan, &out); err != nil {
			panic(err)
		}
		if k == 20 || k == 40 {
			tk := out.Tracks[0]
			fmt.Printf("t=%2ds track %d %v, %d state values, P(straight) %.2f, P(turn) %.2f\n",
				k, tk.ID, tk.Status, len(tk.State), tk.Modes[0], tk.Modes[1])
		}
	}
	// Output:
	// t=20s track 1 confirmed, 4 state values, P(straight) 0.95, P(turn) 0.05
	// t=40s track 1 confirmed, 4 state values, P(straight) 0.05, P(turn) 0.95
}
