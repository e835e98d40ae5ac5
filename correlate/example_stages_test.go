package correlate_test

import (
	"fmt"

	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/kalman"
)

// coverage is a user Deleter: it ends every track east of its limit (x, metres) and
// otherwise keeps the built-in logic's decision.
type coverage struct{ limit float64 }

func (c coverage) Delete(del []bool, tracks []correlate.Track) {
	for i := range tracks {
		del[i] = del[i] || tracks[i].State[0] > c.limit
	}
}

// drift is a user Predictor: the constant-velocity Kalman prediction plus a known
// current of 2 m/s along y that carries every target.
type drift struct {
	kf *correlate.KalmanPredictor
	x  []float64
}

func (d *drift) Predict(states []kalman.State, dt []float64, ok []bool) {
	d.kf.Predict(states, dt, ok)
	for i := range states {
		if ok[i] {
			d.x = states[i].Mean(d.x[:0])
			d.x[2] += 2 * dt[i]
			ok[i] = states[i].SetMean(d.x) == nil
		}
	}
}

// User stages: a Predictor with a known current and a Deleter for the coverage. The
// target moves at 10 m/s along x and drifts at 2 m/s along y; its track ends when it
// leaves the coverage at x = 25 m, and the track its next detection starts there ends
// at once.
func ExampleDeleter() {
	kf, err := correlate.NewKalmanPredictor(kalman.NewCV(2, 0.1), kalman.Config{})
	if err != nil {
		panic(err)
	}
	tr, err := correlate.New(correlate.Config{
		Sensors:   []correlate.Sensor{{ID: 1, Kind: correlate.Position2D}},
		Predictor: &drift{kf: kf},
		Deleter:   coverage{limit: 25},
	})
	if err != nil {
		panic(err)
	}
	defer tr.Close()
	var out correlate.Output
	for k := int64(0); k < 5; k++ {
		d := correlate.Detection{ID: uint64(k + 1), Time: k * 1e9}
		d.Z[0], d.Z[1] = 10*float64(k), 50+2*float64(k)
		d.R[0], d.R[3] = 4, 4
		scan := correlate.Scan{Sensor: 1, Time: k * 1e9, Detections: []correlate.Detection{d}}
		if err := tr.Process(&scan, &out); err != nil {
			panic(err)
		}
		for _, e := range out.Events {
			fmt.Printf("t=%ds track %d %v\n", e.Time/1e9, e.Track, e.Status)
		}
		for _, tk := range out.Tracks {
			if tk.Status == correlate.Confirmed {
				// the track's velocity is the target's own, the current aside
				fmt.Printf("t=%ds y %.1f m, vy %.1f m/s\n", k, tk.State[2], tk.State[3])
			}
		}
	}
	// Output:
	// t=0s track 1 tentative
	// t=2s track 1 confirmed
	// t=2s y 54.0 m, vy 0.0 m/s
	// t=3s track 1 deleted
	// t=4s track 2 tentative
	// t=4s track 2 deleted
}
