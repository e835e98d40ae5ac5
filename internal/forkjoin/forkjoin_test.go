package forkjoin

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every call runs every worker once, and what the workers wrote is visible to the
// caller afterwards: back to back (the workers spinning) and with pauses longer than
// Spin between calls (the workers parked), with 1 to 4 workers.
func TestDoRunsEveryWorkerOnce(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4} {
		for _, pause := range []time.Duration{0, 3 * Spin} {
			var call int
			out := make([]int, n)
			runs := make([]int, n)
			g := New(n, func(k int) {
				out[k] = call*10 + k
				runs[k]++
			})
			for call = 1; call <= 200; call++ {
				g.Do()
				for k := range out {
					require.Equal(t, call*10+k, out[k], "n %d pause %v call %d worker %d", n, pause, call, k)
				}
				if pause > 0 && call%20 == 0 {
					time.Sleep(pause)
				}
			}
			for k := range runs {
				assert.Equal(t, 200, runs[k])
			}
			g.Close()
			g.Close() // idempotent
		}
	}
}

// Close stops parked and spinning workers alike.
func TestCloseStopsWorkers(t *testing.T) {
	g := New(3, func(int) {})
	g.Do()
	g.Close()
	g = New(3, func(int) {})
	g.Do()
	time.Sleep(3 * Spin)
	g.Close()
	assert.Equal(t, 3, g.Workers())
}

// A Do with 4 workers on back-to-back calls (the measure of the hand-over's cost).
func BenchmarkDo(b *testing.B) {
	for _, n := range []int{2, 4} {
		b.Run(map[int]string{2: "workers=2", 4: "workers=4"}[n], func(b *testing.B) {
			g := New(n, func(int) {})
			defer g.Close()
			for b.Loop() {
				g.Do()
			}
		})
	}
}
