package correlate_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/kalman"
)

// tickInput is a scenario's scans, generated once per size and shared by the
// benchmarks of that size.
type tickInput struct {
	scans []correlate.Scan
}

var tickInputs = map[int]*tickInput{}

// warm is the number of scans processed before timing: tracks are confirmed after 3.
const warm = 4

func input(b *testing.B, n, nscans int) *tickInput {
	if in, ok := tickInputs[n]; ok && len(in.scans) >= nscans {
		return in
	}
	in := &tickInput{scans: scans(b, bench.Scenario{Targets: n, Scans: nscans, Seed: 1})}
	tickInputs[n] = in
	return in
}

// BenchmarkTick is one full tick (validate, predict, gate, associate, update, manage)
// at constant density (10,000 m² per target), Pd 0.9, clutter 10% of the targets, on
// one worker, after the tracks are confirmed, under GNN (every size), JPDA, JIPDA and
// the IMM variants (1,000 and 10,000 targets).
func BenchmarkTick(b *testing.B) {
	for _, a := range associations {
		for _, n := range []int{1_000, 10_000, 100_000} {
			for _, workers := range []int{1, 2} {
				// JPDA and JIPDA up to 10,000 targets; 2 workers at 100,000 only
				if (n == 100_000 && a.name != "gnn") || (workers == 2 && n != 100_000) {
					continue
				}
				b.Run(fmt.Sprintf("%s/n=%d/workers=%d", a.name, n, workers), func(b *testing.B) {
					benchTick(b, a.cfg, n, workers)
				})
			}
		}
	}
}

// tickRun is a tracker fed with a benchmark scenario's scans, one tick at a time.
type tickRun struct {
	b   *testing.B
	tr  *correlate.Tracker
	in  *tickInput
	out correlate.Output
	k   int
}

// newTickRun builds the tracker of a tick benchmark, runs the whole scenario once so
// that every buffer has its final size, and resets it to the end of the warm-up.
func newTickRun(b *testing.B, cfg correlate.Config, n, workers int) *tickRun {
	r := &tickRun{b: b, in: input(b, n, warm+8)}
	cfg.Sensors, cfg.Workers = sensors(1), workers
	tr, err := correlate.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	r.tr = tr
	r.reset()
	for r.k < len(r.in.scans) {
		r.tick()
	}
	r.reset()
	return r
}

// reset restarts the tracker and processes the warm-up scans.
func (r *tickRun) reset() {
	r.tr.Reset()
	for r.k = 0; r.k < warm; {
		r.tick()
	}
}

// done tells whether every scan was processed (then reset must come before tick).
func (r *tickRun) done() bool { return r.k == len(r.in.scans) }

// ready resets the tracker when every scan was processed, so that tick may follow.
func (r *tickRun) ready() {
	if r.done() {
		r.reset()
	}
}

// tick processes the next scan.
func (r *tickRun) tick() {
	if err := r.tr.Process(&r.in.scans[r.k], &r.out); err != nil {
		r.b.Fatal(err)
	}
	r.k++
}

// benchTick runs BenchmarkTick's body for one configuration.
func benchTick(b *testing.B, cfg correlate.Config, n, workers int) {
	r := newTickRun(b, cfg, n, workers)
	defer r.tr.Close()
	b.ReportAllocs()
	var stages correlate.Stats
	ticks := 0
	for b.Loop() {
		if r.done() {
			b.StopTimer()
			r.reset()
			b.StartTimer()
		}
		r.tick()
		ticks++
		addStages(&stages, &r.out.Stats)
	}
	per := b.Elapsed().Seconds() / float64(ticks)
	b.ReportMetric(float64(n)/per, "tracks/s")
	b.ReportMetric(per*1e9/float64(n), "ns/track")
	for _, s := range []struct {
		name string
		d    time.Duration
	}{{"predict", stages.Predict}, {"gate", stages.Gate}, {"assoc", stages.Associate}, {"update", stages.Update}, {"manage", stages.Manage}} {
		b.ReportMetric(float64(s.d.Nanoseconds())/float64(ticks)/float64(n), s.name+"-ns/track")
	}
}

// BenchmarkTickOverBare alternates one GNN tick on one worker (BenchmarkTick) with one
// bare filtering pass over the same number of tracks (BenchmarkBareFilter) and reports
// the median of the ratios of each pair's times, with the median of each: on a shared
// machine, whose speed drifts between runs, the ratio of neighbouring passes is the
// steadier measure of the tick's cost over the bare filtering.
func BenchmarkTickOverBare(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r := newTickRun(b, correlate.Config{}, n, 1)
			defer r.tr.Close()
			pass, _ := bareFilter(b, n)
			alternate(b, r.ready, "tick", r.tick, "bare", pass)
		})
	}
}

// BenchmarkIMMOverCV alternates one tick of the IMM tracker with one of the CV tracker
// (BenchmarkTick/imm and /gnn, one worker, 10,000 targets) and reports the median ratio
// of neighbouring ticks, as BenchmarkTickOverBare does.
func BenchmarkIMMOverCV(b *testing.B) {
	const n = 10_000
	imm := newTickRun(b, correlate.Config{Filter: correlate.IMM}, n, 1)
	defer imm.tr.Close()
	cv := newTickRun(b, correlate.Config{}, n, 1)
	defer cv.tr.Close()
	alternate(b, func() { imm.ready(); cv.ready() }, "imm", imm.tick, "cv", cv.tick)
}

// BenchmarkTwoWorkers alternates one GNN tick on one worker with one on two workers
// (BenchmarkTick/gnn/n=100000/workers=1 and 2) and reports the median ratio of
// neighbouring ticks: the speed-up of the second worker.
func BenchmarkTwoWorkers(b *testing.B) {
	const n = 100_000
	one := newTickRun(b, correlate.Config{}, n, 1)
	defer one.tr.Close()
	two := newTickRun(b, correlate.Config{}, n, 2)
	defer two.tr.Close()
	alternate(b, func() { one.ready(); two.ready() }, "1w", one.tick, "2w", two.tick)
}

// alternate runs a then c once per iteration, after ready (untimed), timing each, and
// reports the medians of their times in ms and of the ratios a/c.
func alternate(b *testing.B, ready func(), aName string, a func(), cName string, c func()) {
	var as, cs, ratios []float64
	for b.Loop() {
		ready()
		t0 := time.Now()
		a()
		t1 := time.Now()
		c()
		t2 := time.Now()
		ta, tc := t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds()
		as, cs, ratios = append(as, ta), append(cs, tc), append(ratios, ta/tc)
	}
	b.ReportMetric(median(as)*1e3, aName+"-ms")
	b.ReportMetric(median(cs)*1e3, cName+"-ms")
	b.ReportMetric(median(ratios), aName+"/"+cName)
}

// median returns the median of xs, which it sorts.
func median(xs []float64) float64 {
	slices.Sort(xs)
	if m := len(xs); m%2 == 1 {
		return xs[m/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

func addStages(dst, s *correlate.Stats) {
	dst.Predict += s.Predict
	dst.Gate += s.Gate
	dst.Associate += s.Associate
	dst.Update += s.Update
	dst.Manage += s.Manage
}

// BenchmarkBareFilter is the bare predict and update of the same number of tracks, one
// detection each, with the kalman package alone: the floor a tick is compared with.
func BenchmarkBareFilter(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			pass, tracks := bareFilter(b, n)
			b.ReportAllocs()
			for b.Loop() {
				pass()
			}
			per := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(tracks)/per, "tracks/s")
			b.ReportMetric(per*1e9/float64(tracks), "ns/track")
		})
	}
}

// bareFilter prepares the bare filtering of BenchmarkBareFilter: the tracks a tracker
// holds after the warm-up scans, as kalman states, and one detection for each. It
// returns one pass (predict by one second, predict the measurement, update) and the
// number of tracks.
func bareFilter(b *testing.B, n int) (pass func(), tracks int) {
	in := input(b, n, warm+8)
	tr, err := correlate.New(correlate.Config{Sensors: sensors(1)})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	var out correlate.Output
	for k := 0; k < warm; k++ {
		if err := tr.Process(&in.scans[k], &out); err != nil {
			b.Fatal(err)
		}
	}
	tr.Snapshot(&out)
	states := make([]kalman.State, len(out.Tracks))
	zs := make([][2]float64, len(out.Tracks))
	for i, tk := range out.Tracks {
		s, err := kalman.NewState(tk.State, tk.Cov)
		if err != nil {
			b.Fatal(err)
		}
		states[i] = s
		zs[i] = [2]float64{tk.State[0] + tk.State[1], tk.State[2] + tk.State[3]}
	}
	f, _ := kalman.NewKF(kalman.NewCV(2, 0.1), kalman.Config{})
	h := kalman.NewPosition(4, []int{0, 2}, nil)
	R := []float64{4, 0, 0, 4}
	var p kalman.Predicted
	return func() {
		for i := range states {
			s := states[i]
			if err := f.Predict(&s, 1); err != nil {
				b.Fatal(err)
			}
			if err := f.PredictMeasurement(&p, &s, h, R); err != nil {
				b.Fatal(err)
			}
			if _, err := f.Apply(&s, &p, zs[i][:]); err != nil {
				b.Fatal(err)
			}
		}
	}, len(states)
}
