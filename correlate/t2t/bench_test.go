package t2t

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// benchScene builds nTracks targets seen by three sources (σ 10, 20 and 15 m), warms a
// Correlator up with three rounds (creation and correlation) and returns it with the
// reports of the next round.
func benchScene(b *testing.B, layout Layout, nTracks int, cfg Config) (*Correlator, []Report, []truth) {
	rng := rand.New(rand.NewPCG(61, 62))
	targets := grid(rng, nTracks, 1000)
	srcs := []source{{id: 1, sigP: 10, sigV: 1}, {id: 2, sigP: 20, sigV: 2}, {id: 3, sigP: 15, sigV: 1}}
	cfg.Layout = layout
	c, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	rs := make([]Report, 0, 3*nTracks)
	for k := int64(1); k <= 4; k++ {
		rs = rs[:0]
		for i, tr := range targets {
			for _, s := range srcs {
				r := s.report(rng, i, tr, k*second)
				if layout == CV3 {
					r = to3D(r)
				}
				rs = append(rs, r)
			}
		}
		if k < 4 {
			if _, err := c.Round(nil, k*second, rs); err != nil {
				b.Fatal(err)
			}
		}
	}
	if c.Len() != nTracks {
		b.Fatalf("%d system tracks for %d targets", c.Len(), nTracks)
	}
	return c, rs, targets
}

// to3D lifts a CV2 report to CV3 with z = 1000 m, vz = 0 and the x variances.
func to3D(r Report) Report {
	o := Report{Key: r.Key, Time: r.Time, Layout: CV3, ID: r.ID}
	copy(o.X[:4], r.X[:4])
	o.X[4] = 1000
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			o.P[i*6+j] = r.P[i*4+j]
		}
	}
	o.P[4*6+4], o.P[5*6+5] = r.P[0], r.P[5]
	return o
}

// BenchmarkRound: one steady-state round of 3 sources × 10,000 tracks at 1 Hz, every
// report already correlated: validation, prediction, the hysteresis check, and fusion
// of every system track. Each iteration advances the reports by one second (their
// positions move along the true velocities), which costs about 1% of the round.
func BenchmarkRound(b *testing.B) {
	for _, layout := range []Layout{CV2, CV3} {
		for _, fusion := range []struct {
			name string
			cfg  Config
		}{{"ci-det", Config{}}, {"ci-det-workers=2", Config{Workers: 2}}, {"ci-trace", Config{Objective: Trace}},
			{"information", Config{Fusion: Information}}} {
			b.Run(fmt.Sprintf("%v/%s/n=3x10000", layout, fusion.name), func(b *testing.B) {
				c, rs, targets := benchScene(b, layout, 10000, fusion.cfg)
				now := int64(4) * second
				var events []Event
				// On-CPU time of the round, less disturbed than wall time on a loaded
				// machine (single worker: the goroutine stays on this thread).
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				cpu0, cpuOK := threadCPU()
				b.ReportAllocs()
				for b.Loop() {
					for i := range rs {
						r := &rs[i]
						r.Time = now
						tr := &targets[i/3] // the true velocity: the sources stay together
						r.X[0] += tr[1]
						r.X[2] += tr[3]
					}
					var err error
					events, err = c.Round(events[:0], now, rs)
					if err != nil {
						b.Fatal(err)
					}
					now += second
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rs)), "ns/report")
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/round")
				b.ReportMetric(float64(c.Stats().Unmapped), "unmapped/round")
				if cpu1, ok := threadCPU(); ok && cpuOK && fusion.cfg.Workers <= 1 {
					b.ReportMetric(float64((cpu1-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/round")
				}
			})
		}
	}
}

// BenchmarkRoundCold: the first round of the same scene, in which every report is
// correlated afresh: gating against the system tracks, assignment per source and
// creation.
func BenchmarkRoundCold(b *testing.B) {
	rng := rand.New(rand.NewPCG(71, 72))
	targets := grid(rng, 10000, 1000)
	srcs := []source{{id: 1, sigP: 10, sigV: 1}, {id: 2, sigP: 20, sigV: 2}, {id: 3, sigP: 15, sigV: 1}}
	var rs []Report
	for i, tr := range targets {
		for _, s := range srcs {
			rs = append(rs, s.report(rng, i, tr, second))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		c, err := New(Config{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Round(nil, second, rs); err != nil {
			b.Fatal(err)
		}
		_ = c.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rs)), "ns/report")
}

// BenchmarkFusion: one two-estimate fusion of 6-D estimates.
func BenchmarkFusion(b *testing.B) {
	rng := rand.New(rand.NewPCG(81, 82))
	x, y := randEstimate(rng, 6), randEstimate(rng, 6)
	var f Estimate
	b.Run("ci-det", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = CovarianceIntersection(&f, &x, &y, Det)
		}
	})
	b.Run("ci-trace", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = CovarianceIntersection(&f, &x, &y, Trace)
		}
	})
	b.Run("information", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = InformationFusion(&f, &x, &y)
		}
	})
}
