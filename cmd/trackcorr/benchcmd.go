package main

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/trackpb"
)

// sweepRow is one size of a bench sweep.
type sweepRow struct {
	N                  int
	MedianMs, NsPerTrk float64
	TracksPerS         float64
	MeanGOSPA          float64
}

func runBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench")
	var sizes, plotPath string
	var scans, sensors int
	var seed uint64
	var tf trackerFlags
	fs.StringVar(&sizes, "n", "1000,10000,100000", "comma-separated numbers of targets")
	fs.IntVar(&scans, "scans", 10, "scans per sensor at each size")
	fs.IntVar(&sensors, "sensors", 1, "sensors")
	fs.Uint64Var(&seed, "seed", 1, "random seed")
	fs.StringVar(&plotPath, "plot", "", "write a log-log PNG of ms per tick and ns per track against N")
	tf.register(fs, false)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	var ns []int
	for _, f := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("%w: -n: %q is not a positive number", errUsage, f)
		}
		ns = append(ns, n)
	}
	if scans < 4 {
		return fmt.Errorf("%w: -scans must be at least 4 (the first three are warm-up)", errUsage)
	}
	fmt.Fprintf(stdout, "trackcorr bench: constant density, Pd 0.9, clutter 10%% of targets, %d sensor(s), %d scans each, %d worker(s), GOMAXPROCS %d\n",
		sensors, scans, max(tf.workers, 1), runtime.GOMAXPROCS(0))
	var rows []sweepRow
	for _, n := range ns {
		row, err := sweep(n, scans, sensors, seed, &tf)
		if err != nil {
			return fmt.Errorf("n=%d: %w", n, err)
		}
		rows = append(rows, row)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "targets\tms per tick (median)\tns per track\ttracks/s\tmean GOSPA after 3 (m)\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%.3f\t%.0f\t%.3g\t%.2f\t\n", r.N, r.MedianMs, r.NsPerTrk, r.TracksPerS, r.MeanGOSPA)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if plotPath != "" {
		if err := plotSweep(plotPath, rows); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "plot written to %s\n", plotPath)
	}
	return nil
}

// sweep tracks one constant-density scenario of n targets and returns the median
// tracker time per scan after the first three scans of each sensor.
func sweep(n, scans, sensors int, seed uint64, tf *trackerFlags) (sweepRow, error) {
	g, err := bench.NewGenerator(bench.Scenario{Targets: n, Scans: scans, Sensors: sensors, Seed: seed})
	if err != nil {
		return sweepRow{}, err
	}
	f := *tf
	f.q = g.Scenario().Q
	in := &input{}
	in.header = g.Header("bench")
	in.src = &generatorSource{g: g, in: in}
	sc, err := newScoring(scoreConfig{C: 10, P: 2, Threshold: 10})
	if err != nil {
		return sweepRow{}, err
	}
	defer sc.close()
	res, err := runTracker(in, &f, sc, nil, func(int, correlate.Stats, time.Duration, *trackpb.TrackSet) {})
	if err != nil {
		return sweepRow{}, err
	}
	warm := res.seconds[min(3*sensors, len(res.seconds)-1):]
	sorted := slices.Clone(warm)
	slices.Sort(sorted)
	med := sorted[len(sorted)/2]
	row := sweepRow{N: n, MedianMs: 1e3 * med, NsPerTrk: 1e9 * med / float64(n), TracksPerS: float64(n) / med}
	// GOSPA after the first three scans of each sensor, when tracks can be confirmed.
	after := sc.gospa[min(3*sensors, len(sc.gospa)):]
	for _, g := range after {
		row.MeanGOSPA += g.Distance / float64(len(after))
	}
	return row, nil
}

// plotSweep writes the log-log scaling plot.
func plotSweep(path string, rows []sweepRow) error {
	pl := plot.New()
	pl.Title.Text = "tracker cost per tick against the number of targets"
	pl.X.Label.Text = "targets"
	pl.Y.Label.Text = "ms per tick / µs per track"
	pl.X.Scale, pl.Y.Scale = plot.LogScale{}, plot.LogScale{}
	pl.X.Tick.Marker, pl.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	ms := make(plotter.XYs, len(rows))
	us := make(plotter.XYs, len(rows))
	for i, r := range rows {
		ms[i] = plotter.XY{X: float64(r.N), Y: r.MedianMs}
		us[i] = plotter.XY{X: float64(r.N), Y: r.NsPerTrk / 1e3}
	}
	for i, s := range []struct {
		name string
		xy   plotter.XYs
	}{{"ms per tick", ms}, {"µs per track", us}} {
		l, p, err := plotter.NewLinePoints(s.xy)
		if err != nil {
			return err
		}
		l.Color, p.Color = plotutil.Color(i), plotutil.Color(i)
		pl.Add(l, p)
		pl.Legend.Add(s.name, l, p)
	}
	pl.Legend.Top = true
	pl.Add(plotter.NewGrid())
	return pl.Save(7*vg.Inch, 4.5*vg.Inch, path)
}
