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
