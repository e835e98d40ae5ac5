package bench_test

import (
	"fmt"
	"io"

	"github.com/trackcorr/trackcorr/bench"
)

// Generate a small scenario and count what a tracker would receive.
func ExampleGenerator() {
	g, err := bench.NewGenerator(bench.Scenario{Targets: 100, Scans: 5, Sensors: 2, Seed: 1})
	if err != nil {
		panic(err)
	}
	scans, truths := 0, 0
	for {
		ev, err := g.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		if ev.Truth != nil {
			truths++
			continue
		}
		scans++
	}
	fmt.Printf("%d scans, %d truth frames, region %.0f m wide\n", scans, truths, g.Side())
	// Output:
	// 10 scans, 10 truth frames, region 1000 m wide
}

// Score one frame of estimates against truth with GOSPA (c = 10 m, p = 2).
func ExampleScorer_GOSPA() {
	s, err := bench.NewScorer(bench.GOSPAConfig{C: 10, P: 2})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	truth := []bench.Point{{ID: 1, X: 0, Y: 0}, {ID: 2, X: 100, Y: 0}}
	est := []bench.Point{{ID: 7, X: 3, Y: 4}, {ID: 8, X: 500, Y: 500}}
	g, err := s.GOSPA(truth, est)
	if err != nil {
		panic(err)
	}
	fmt.Printf("GOSPA %.3f: localisation %.0f, missed %.0f (%d), false %.0f (%d)\n",
		g.Distance, g.Localisation, g.Missed, g.MissedCount, g.False, g.FalseCount)
	// Output:
	// GOSPA 11.180: localisation 25, missed 50 (1), false 50 (1)
}
