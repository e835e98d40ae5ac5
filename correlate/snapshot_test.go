package correlate_test

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/trackcorr/trackcorr/correlate"
)

// snapScenario returns a configuration with three staggered 2-D position sensors and
// its scans: eight targets in clutter, the sensors' scans delivered slightly out of
// order so that the Reorder policy holds some of them.
func snapScenario(cfg correlate.Config) (correlate.Config, []correlate.Scan) {
	cfg.Axes = 2
	cfg.OutOfOrder = correlate.Reorder
	cfg.MaxLag = 250 * time.Millisecond
	cfg.History = 3
	cfg.Sensors = []correlate.Sensor{{ID: 1, Kind: correlate.Position2D}, {ID: 2, Kind: correlate.Position2D}, {ID: 3, Kind: correlate.Position2D}}
	rng := rand.New(rand.NewPCG(7, 11))
	type target struct{ x, vx, y, vy float64 }
	tg := make([]target, 8)
	for i := range tg {
		tg[i] = target{rng.Float64() * 2000, rng.NormFloat64() * 20, rng.Float64() * 2000, rng.NormFloat64() * 20}
	}
	var scans []correlate.Scan
	id := uint64(1)
	for k := 0; k < 30; k++ {
		for s := uint32(1); s <= 3; s++ {
			tt := int64(k)*300_000_000 + int64(s)*100_000_000
			ts := float64(tt) * 1e-9
			sc := correlate.Scan{Sensor: s, Time: tt}
			sig := 5 * float64(s)
			for _, g := range tg {
				if rng.Float64() > 0.9 {
					continue
				}
				var d correlate.Detection
				d.ID, id = id, id+1
				d.Z[0] = g.x + g.vx*ts + rng.NormFloat64()*sig
				d.Z[1] = g.y + g.vy*ts + rng.NormFloat64()*sig
				d.R[0], d.R[3] = sig*sig, sig*sig
				sc.Detections = append(sc.Detections, d)
			}
			for c := rng.IntN(3); c > 0; c-- {
				var d correlate.Detection
				d.ID, id = id, id+1
				d.Z[0], d.Z[1] = rng.Float64()*2000, rng.Float64()*2000
				d.R[0], d.R[3] = sig*sig, sig*sig
				sc.Detections = append(sc.Detections, d)
			}
			scans = append(scans, sc)
		}
	}
	// deliver some scans late: swap neighbours
	for i := 2; i+1 < len(scans); i += 5 {
		scans[i], scans[i+1] = scans[i+1], scans[i]
	}
	return cfg, scans
}

// stateDigest returns a digest of every byte of out's tracks, events and counts.
func stateDigest(out *correlate.Output) [32]byte {
	var b []byte
	u := func(v uint64) { b = binary.LittleEndian.AppendUint64(b, v) }
	f := func(v float64) { u(math.Float64bits(v)) }
	for _, tr := range out.Tracks {
		u(tr.ID)
		u(uint64(tr.Status))
		u(uint64(tr.Time))
		for _, v := range tr.State {
			f(v)
		}
		for _, v := range tr.Cov {
			f(v)
		}
		for _, v := range tr.Modes {
			f(v)
		}
		for _, d := range tr.Detections {
			u(d)
		}
		f(tr.Score)
		f(tr.Existence)
		u(uint64(tr.Hits))
	}
	for _, e := range out.Events {
		u(e.Track)
		u(uint64(e.Status))
		u(uint64(e.Time))
	}
	u(uint64(out.Stats.Live))
	u(uint64(out.Stats.Pending))
	return sha256.Sum256(b)
}

// digests runs scans[from:to] through tr, then Flush when flush is set, and returns
// the digest of each output.
func digests(t *testing.T, tr *correlate.Tracker, scans []correlate.Scan, from, to int, flush bool) [][32]byte {
	t.Helper()
	var out correlate.Output
	var ds [][32]byte
	for i := from; i < to; i++ {
		if err := tr.Process(&scans[i], &out); err != nil {
			t.Fatalf("scan %d: %v", i, err)
		}
		ds = append(ds, stateDigest(&out))
	}
	if flush {
		if err := tr.Flush(&out); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, stateDigest(&out))
	}
	return ds
}

func TestStateRestoreContinuesIdentically(t *testing.T) {
	for _, c := range []struct {
		logic  correlate.Logic
		filter correlate.Filter
		assoc  correlate.Association
	}{{correlate.MofN, correlate.CV, correlate.AssociateGNN}, {correlate.SPRT, correlate.CV, correlate.AssociateGNN},
		{correlate.MofN, correlate.IMM, correlate.AssociateGNN}, {correlate.SPRT, correlate.IMM, correlate.AssociateGNN},
		{correlate.MofN, correlate.CV, correlate.AssociateJPDA}, {correlate.Existence, correlate.CV, correlate.AssociateJPDA},
		{correlate.Existence, correlate.IMM, correlate.AssociateJPDA}} {
		logic := c.logic
		cfg, scans := snapScenario(correlate.Config{Logic: logic, Filter: c.filter, Association: c.assoc})
		ref, err := correlate.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := digests(t, ref, scans, 0, len(scans), true)
		ref.Close()
		pending := 0
		for _, k := range []int{2, 7, 15, 41} {
			a, err := correlate.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			digests(t, a, scans, 0, k+1, false)
			st, err := a.State()
			if err != nil {
				t.Fatal(err)
			}
			a.Close()
			pending += len(st.Pending)
			for _, ts := range st.Tracks {
				if c.filter == correlate.IMM && len(ts.Modes) != 2 || c.filter == correlate.CV && ts.Modes != nil {
					t.Fatalf("filter %d: track %d has %d modes in the state", c.filter, ts.ID, len(ts.Modes))
				}
			}
			// the output does not depend on the number of workers: restore into 2
			cfg2 := cfg
			cfg2.Workers = 2
			b, err := correlate.Restore(cfg2, st)
			if err != nil {
				t.Fatalf("logic %v filter %d k=%d: %v", logic, c.filter, k, err)
			}
			got := digests(t, b, scans, k+1, len(scans), true)
			b.Close()
			for j := range got {
				if got[j] != want[k+1+j] {
					t.Fatalf("logic %v filter %d, snapshot after scan %d: output %d differs from the uninterrupted run", logic, c.filter, k, k+1+j)
				}
			}
		}
		if pending == 0 {
			t.Errorf("logic %v: no snapshot held a pending scan: the scenario does not exercise the reorder buffer", logic)
		}
	}
}

// Restore checks the IMM modes of every track against the Config.
func TestRestoreRefusesBadModes(t *testing.T) {
	cfg, scans := snapScenario(correlate.Config{Filter: correlate.IMM})
	tr, err := correlate.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	digests(t, tr, scans, 0, 20, false)
	st, err := tr.State()
	tr.Close()
	if err != nil || len(st.Tracks) == 0 {
		t.Fatalf("%d tracks, %v", len(st.Tracks), err)
	}
	cvCfg := cfg
	cvCfg.Filter = correlate.CV
	cases := []struct {
		name string
		cfg  correlate.Config
		mut  func(ts *correlate.TrackState)
	}{
		{"IMM state into CV", cvCfg, func(*correlate.TrackState) {}},
		{"no modes", cfg, func(ts *correlate.TrackState) { ts.Modes = nil }},
		{"short mean", cfg, func(ts *correlate.TrackState) { ts.Modes[1].X = ts.Modes[1].X[:4] }},
		{"NaN covariance", cfg, func(ts *correlate.TrackState) { ts.Modes[0].P[0] = math.NaN() }},
		{"probabilities", cfg, func(ts *correlate.TrackState) { ts.Modes[0].Prob = 0.9; ts.Modes[1].Prob = 0.9 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := *st
			s.Tracks = append([]correlate.TrackState(nil), st.Tracks...)
			ts := &s.Tracks[0]
			ts.Modes = append([]correlate.ModeState(nil), ts.Modes...)
			for j := range ts.Modes {
				m := &ts.Modes[j]
				m.X, m.P = append([]float64(nil), m.X...), append([]float64(nil), m.P...)
			}
			c.mut(ts)
			_, err := correlate.Restore(c.cfg, &s)
			var se *correlate.StateError
			if !errors.Is(err, correlate.ErrState) || !errors.As(err, &se) || se.Track != ts.ID {
				t.Fatalf("got %v, want a *StateError for track %d wrapping ErrState", err, ts.ID)
			}
		})
	}
	if _, err := correlate.Restore(cfg, st); err != nil {
		t.Fatal(err)
	}
}

func TestRestoreRefusesNewerVersion(t *testing.T) {
	cfg, _ := snapScenario(correlate.Config{})
	tr, _ := correlate.New(cfg)
	defer tr.Close()
	st, err := tr.State()
	if err != nil {
		t.Fatal(err)
	}
	st.Version = correlate.StateVersion + 1
	_, err = correlate.Restore(cfg, st)
	var se *correlate.StateError
	if !errors.Is(err, correlate.ErrStateVersion) || !errors.As(err, &se) {
		t.Fatalf("got %v, want a *StateError wrapping ErrStateVersion", err)
	}
}

// A tracker stopped after some scans and restored from its state continues as if it
// had never stopped.
func ExampleTracker_State() {
	cfg := correlate.Config{Axes: 2, Sensors: []correlate.Sensor{{ID: 1, Kind: correlate.Position2D}}}
	scan := func(k int64) *correlate.Scan {
		var d correlate.Detection
		d.ID, d.Z[0], d.Z[1] = uint64(k), 10*float64(k), 5
		d.R[0], d.R[3] = 1, 1
		return &correlate.Scan{Sensor: 1, Time: k * 1e9, Detections: []correlate.Detection{d}}
	}
	tr, _ := correlate.New(cfg)
	var out correlate.Output
	for k := int64(1); k <= 3; k++ {
		tr.Process(scan(k), &out)
	}
	st, _ := tr.State()
	tr.Close()

	tr, err := correlate.Restore(cfg, st)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tr.Close()
	tr.Process(scan(4), &out)
	for _, t := range out.Tracks {
		fmt.Printf("track %d %v, x = %.1f m\n", t.ID, t.Status, t.State[0])
	}
	// Output:
	// track 1 confirmed, x = 40.0 m
}

// BenchmarkState measures State and Restore on a tracker holding n tentative tracks
// (one scan of n well-separated detections).
func BenchmarkState(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		cfg := correlate.Config{Axes: 2, Sensors: []correlate.Sensor{{ID: 1, Kind: correlate.Position2D}}}
		sc := correlate.Scan{Sensor: 1, Time: 1e9, Detections: make([]correlate.Detection, n)}
		for i := range sc.Detections {
			d := &sc.Detections[i]
			d.ID, d.Z[0], d.Z[1] = uint64(i+1), float64(i%100)*1e4, float64(i/100)*1e4
			d.R[0], d.R[3] = 1, 1
		}
		tr, err := correlate.New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		var out correlate.Output
		if err := tr.Process(&sc, &out); err != nil {
			b.Fatal(err)
		}
		st, err := tr.State()
		if err != nil || len(st.Tracks) != n {
			b.Fatalf("%d tracks, %v", len(st.Tracks), err)
		}
		b.Run(fmt.Sprintf("State/tracks=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tr.State(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/track")
		})
		b.Run(fmt.Sprintf("Restore/tracks=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := correlate.Restore(cfg, st)
				if err != nil {
					b.Fatal(err)
				}
				r.Close()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/track")
		})
		tr.Close()
	}
}
