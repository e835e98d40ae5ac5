package correlate_test

import (
	"fmt"

	"github.com/trackcorr/trackcorr/correlate"
)

// Two targets 40 m apart, each detected every second and a false alarm now and then:
// JPDA weighs every detection in a track's gate by its association probability, and
// the JIPDA logic confirms a track once the probability that its target exists
// reaches 0.99. The false alarms start tentative tracks of low existence that are
// deleted again (the last two are still tentative at the end).
func ExampleConfig_jipda() {
	tr, err := correlate.New(correlate.Config{
		Sensors:     []correlate.Sensor{{ID: 1, Kind: correlate.Position2D}},
		Association: correlate.AssociateJPDA,
		Logic:       correlate.Existence,
	})
	if err != nil {
		panic(err)
	}
	defer tr.Close()
	var out correlate.Output
	id := uint64(0)
	det := func(tns int64, x, y float64) correlate.Detection {
		id++
		d := correlate.Detection{ID: id, Time: tns}
		d.Z[0], d.Z[1] = x, y
		d.R[0], d.R[3] = 4, 4
		return d
	}
	deleted := 0
	for k := int64(0); k < 8; k++ {
		tns := k * 1e9
		x := 10 * float64(k)
		dets := []correlate.Detection{det(tns, x, 0), det(tns, x+0.5, 40)}
		if k%2 == 1 {
			dets = append(dets, det(tns, x+40*float64(k%3), 200)) // a false alarm far away
		}
		if err := tr.Process(&correlate.Scan{Sensor: 1, Time: tns, Detections: dets}, &out); err != nil {
			panic(err)
		}
		for _, e := range out.Events {
			switch e.Status {
			case correlate.Confirmed:
				fmt.Printf("t=%ds track %d confirmed\n", e.Time/1e9, e.Track)
			case correlate.Deleted:
				deleted++
			}
		}
	}
	var snap correlate.Output
	tr.Snapshot(&snap)
	for _, tk := range snap.Tracks {
		fmt.Printf("track %d %v, existence %.4f, y %.1f m\n", tk.ID, tk.Status, tk.Existence, tk.State[2])
	}
	fmt.Println("false-alarm tracks deleted:", deleted)
	// Output:
	// t=2s track 1 confirmed
	// t=2s track 2 confirmed
	// track 1 confirmed, existence 1.0000, y 0.0 m
	// track 2 confirmed, existence 1.0000, y 40.0 m
	// track 6 tentative, existence 0.0909, y 200.0 m
	// track 5 tentative, existence 0.1734, y 200.0 m
	// false-alarm tracks deleted: 2
}
