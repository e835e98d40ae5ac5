package main

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"sort"
	"time"

	"github.com/schollz/progressbar/v3"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/trackpb"
)

// generatorSource adapts a scenario generator to a ScanSource that keeps the latest
// truth frame in the input.
type generatorSource struct {
	g  bench.EventSource
	in *input
}

func (s *generatorSource) Next() (*trackpb.Scan, error) {
	for {
		ev, err := s.g.Next()
		if err != nil {
			return nil, err
		}
		if ev.Truth != nil {
			s.in.latest = ev.Truth
			continue
		}
		return ev.Scan, nil
	}
}

// window collects the trajectories of truth and confirmed tracks inside a square, for the
// tracks-against-truth plot.
type window struct {
	x0, y0, x1, y1 float64
	truth, tracks  map[int64]plotter.XYs
}

func (w *window) inside(x, y float64) bool { return x >= w.x0 && x <= w.x1 && y >= w.y0 && y <= w.y1 }

func (w *window) add(tf *trackpb.TruthFrame, ts *trackpb.TrackSet) {
	if tf != nil {
		for _, o := range tf.GetObjects() {
			x, y, _ := position(o.GetX(), o.GetMotion())
			if w.inside(x, y) {
				w.truth[o.GetId()] = append(w.truth[o.GetId()], plotter.XY{X: x, Y: y})
			}
		}
	}
	for _, t := range ts.GetTracks() {
		if t.GetStatus() != trackpb.TrackStatus_TRACK_STATUS_CONFIRMED && t.GetStatus() != trackpb.TrackStatus_TRACK_STATUS_COASTING {
			continue
		}
		x, y, _ := position(t.GetX(), t.GetMotion())
		if w.inside(x, y) {
			id := int64(t.GetId())
			w.tracks[id] = append(w.tracks[id], plotter.XY{X: x, Y: y})
		}
	}
}

func runDemo(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo")
	var sc bench.Scenario
	var kind, plotPath string
	var tf trackerFlags
	var scfg scoreConfig
	scenarioFlags(fs, &sc, &kind)
	tf.register(fs, false)
	addScoreFlags(fs, &scfg)
	fs.StringVar(&plotPath, "plot", "trackcorr-demo.png", "write the plot of tracks against truth and of GOSPA over time to this PNG file (empty: none)")
	// The demo's own defaults: 10,000 targets seen by 3 sensors.
	if err := fs.Set("targets", "10000"); err != nil {
		return err
	}
	if err := fs.Set("sensors", "3"); err != nil {
		return err
	}
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if err := resolveKind(&sc, kind); err != nil {
		return err
	}
	g, err := bench.NewGenerator(sc)
	if err != nil {
		return err
	}
	sc = g.Scenario()
	tf.q = sc.Q // the tracker's motion model matches the simulation's
	in := &input{}
	in.header = g.Header("demo")
	in.src = &generatorSource{g: g, in: in}
	scoring, err := newScoring(scfg)
	if err != nil {
		return err
	}
	defer scoring.close()

	fmt.Fprintf(stdout, "trackcorr demo: %d targets (%s), %d sensors, %d scans each, region %.0f m wide, Pd %.2f, %.0f false alarms per scan\n",
		sc.Targets, sc.Kind, sc.Sensors, sc.Scans, g.Side(), sc.Pd, sc.ClutterPerScan)
	bar := progressbar.NewOptions(g.TotalScans(), progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("tracking"),
		progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish())
	// The plot shows a window of about 60 targets in the middle of the region.
	side := g.Side()
	half := math.Min(side, math.Sqrt(60*sc.AreaPerTarget)) / 2
	win := &window{x0: side/2 - half, y0: side/2 - half, x1: side/2 + half, y1: side/2 + half,
		truth: map[int64]plotter.XYs{}, tracks: map[int64]plotter.XYs{}}
	res, err := runTracker(in, &tf, scoring, nil, func(k int, _ correlate.Stats, _ time.Duration, ts *trackpb.TrackSet) {
		_ = bar.Add(1)
		win.add(in.latest, ts)
	})
	_ = bar.Finish()
	if err != nil {
		return err
	}
	sum, err := scoring.summary()
	if err != nil {
		return err
	}
	res.fill(&sum, scfg.SkipFirst)
	if err := printSummary(stdout, sum); err != nil {
		return err
	}
	if plotPath != "" {
		if err := plotDemo(plotPath, win, scoring, scfg.P); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "plot written to %s\n", plotPath)
	}
	return nil
}

// plotDemo writes one PNG: tracks against truth in the window, and GOSPA over time.
func plotDemo(path string, win *window, sc *scoring, p float64) error {
	left := plot.New()
	left.Title.Text = "confirmed tracks (colour) against truth (grey)"
	left.X.Label.Text = "x (m)"
	left.Y.Label.Text = "y (m)"
	ids := func(m map[int64]plotter.XYs) []int64 {
		out := make([]int64, 0, len(m))
		for id := range m {
			out = append(out, id)
		}
		sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
		return out
	}
	for _, id := range ids(win.truth) {
		l, err := plotter.NewLine(win.truth[id])
		if err != nil {
			return err
		}
		l.Color = color.Gray{Y: 190}
		l.Width = vg.Points(4)
		left.Add(l)
	}
	for i, id := range ids(win.tracks) {
		l, s, err := plotter.NewLinePoints(win.tracks[id])
		if err != nil {
			return err
		}
		c := palette[i%len(palette)]
		l.Color, s.Color = c, c
		s.Radius = vg.Points(1.2)
		left.Add(l, s)
	}
	left.X.Min, left.X.Max, left.Y.Min, left.Y.Max = win.x0, win.x1, win.y0, win.y1

	right := plot.New()
	right.Title.Text = "GOSPA over time"
	right.X.Label.Text = "time (s)"
	right.Y.Label.Text = "metres"
	if err := addGOSPALines(right, sc.times, sc.gospa, p); err != nil {
		return err
	}

	const w, h = 14 * vg.Inch, 6 * vg.Inch
	img := vgimg.New(w, h)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 4,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align([][]*plot.Plot{{left, right}}, tiles, dc)
	left.Draw(canvases[0][0])
	right.Draw(canvases[0][1])
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// palette is a set of distinguishable colours for tracks.
var palette = []color.Color{
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, color.RGBA{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff},
	color.RGBA{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff}, color.RGBA{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff},
}
