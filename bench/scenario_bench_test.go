package bench

import (
	"fmt"
	"testing"
)

// Generating one scan (truth frame and detections) of a constant-density scenario.
func BenchmarkGenerateScan(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			g, err := NewGenerator(Scenario{Targets: n, Scans: 1 << 30, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := g.Next(); err != nil { // truth
					b.Fatal(err)
				}
				if _, err := g.Next(); err != nil { // scan
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "targets/s")
		})
	}
}
