package main

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/trackcorr/trackcorr/bench"
)

// plotGOSPA writes a PNG of GOSPA and its parts over time.
func plotGOSPA(path string, t []float64, g []bench.GOSPA, p float64) error {
	pl := plot.New()
	pl.Title.Text = "GOSPA over time"
	pl.X.Label.Text = "time (s)"
	pl.Y.Label.Text = "metres"
	if err := addGOSPALines(pl, t, g, p); err != nil {
		return err
	}
	return pl.Save(8*vg.Inch, 4*vg.Inch, path)
}

// addGOSPALines adds GOSPA and its parts (each as part^(1/p), in metres) to pl.
func addGOSPALines(pl *plot.Plot, t []float64, g []bench.GOSPA, p float64) error {
	root := func(v float64) float64 { return math.Pow(v, 1/p) }
	series := []struct {
		name string
		v    func(bench.GOSPA) float64
	}{
		{"GOSPA", func(x bench.GOSPA) float64 { return x.Distance }},
		{"localisation", func(x bench.GOSPA) float64 { return root(x.Localisation) }},
		{"missed", func(x bench.GOSPA) float64 { return root(x.Missed) }},
		{"false", func(x bench.GOSPA) float64 { return root(x.False) }},
	}
	for i, s := range series {
		xy := make(plotter.XYs, len(t))
		for k := range t {
			xy[k].X, xy[k].Y = t[k], s.v(g[k])
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return fmt.Errorf("plot: %w", err)
		}
		l.Color = plotutil.Color(i)
		if i > 0 {
			l.Dashes = plotutil.Dashes(i)
		}
		pl.Add(l)
		pl.Legend.Add(s.name, l)
	}
	pl.Legend.Top = true
	pl.Add(plotter.NewGrid())
	return nil
}
