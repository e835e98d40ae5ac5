package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/kalman"
	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

// trackerFlags holds the tracker settings given on the command line.
type trackerFlags struct {
	q, gate, pd, clutter, newTarget float64
	confirmM, confirmN, workers     int
	deleteAfter                     time.Duration
	logic, assoc, filter            string
}

// register adds the tracker's flags to fs; with model false it leaves out the flags of the
// motion and sensor model (q, pd, clutter density), which a simulation then supplies.
func (f *trackerFlags) register(fs *flag.FlagSet, model bool) {
	f.q = 0.1
	if model {
		fs.Float64Var(&f.q, "q", 0.1, "process noise spectral density of the CV model, m²/s³")
		fs.Float64Var(&f.pd, "pd", 0, "detection probability (0: the recording's, else 0.9)")
		fs.Float64Var(&f.clutter, "clutter-density", 0, "false alarms per m² (0: the recording's, else 1e-5)")
	}
	fs.Float64Var(&f.gate, "gate", 0.99, "gate probability")
	fs.Float64Var(&f.newTarget, "new-target-density", 0, "new targets per m² (0: 1e-6)")
	fs.IntVar(&f.confirmM, "confirm-m", 3, "M of the M-of-N confirmation: M associations in the first N scans")
	fs.IntVar(&f.confirmN, "confirm-n", 4, "N of the M-of-N confirmation (3 of 4 by default; 3 of 3 is the Stone Soup reference logic)")
	fs.DurationVar(&f.deleteAfter, "delete-after", 3500*time.Millisecond, "delete a track not updated for this long")
	fs.StringVar(&f.logic, "logic", "mofn", "track logic: mofn, sprt or existence (JIPDA; needs -assoc jpda)")
	fs.StringVar(&f.assoc, "assoc", "gnn", "association: gnn (global nearest neighbour) or jpda")
	fs.StringVar(&f.filter, "filter", "cv", "track filter: cv (nearly constant velocity) or imm (CV and coordinated-turn modes)")
	fs.IntVar(&f.workers, "workers", 1, "worker goroutines (output does not depend on it)")
}

// trackerFile is the JSON configuration file of the tracker (-config): every key is
// optional, and a flag given on the command line wins over the file.
type trackerFile struct {
	Q                *float64 `json:"q"`
	Gate             *float64 `json:"gate"`
	Pd               *float64 `json:"pd"`
	ClutterDensity   *float64 `json:"clutter_density"`
	NewTargetDensity *float64 `json:"new_target_density"`
	ConfirmM         *int     `json:"confirm_m"`
	ConfirmN         *int     `json:"confirm_n"`
	DeleteAfter      *string  `json:"delete_after"`
	Logic            *string  `json:"logic"`
	Association      *string  `json:"association"`
	Filter           *string  `json:"filter"`
	Workers          *int     `json:"workers"`
}

// load applies the configuration file at path to the flags not set on the command line.
func (f *trackerFlags) load(path string, fs *flag.FlagSet) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var c trackerFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return fmt.Errorf("%w: config %s: %v", errUsage, path, err)
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	apply := func(name string, ok bool, do func()) {
		if ok && !set[name] {
			do()
		}
	}
	apply("q", c.Q != nil, func() { f.q = *c.Q })
	apply("gate", c.Gate != nil, func() { f.gate = *c.Gate })
	apply("pd", c.Pd != nil, func() { f.pd = *c.Pd })
	apply("clutter-density", c.ClutterDensity != nil, func() { f.clutter = *c.ClutterDensity })
	apply("new-target-density", c.NewTargetDensity != nil, func() { f.newTarget = *c.NewTargetDensity })
	apply("confirm-m", c.ConfirmM != nil, func() { f.confirmM = *c.ConfirmM })
	apply("confirm-n", c.ConfirmN != nil, func() { f.confirmN = *c.ConfirmN })
	apply("logic", c.Logic != nil, func() { f.logic = *c.Logic })
	apply("assoc", c.Association != nil, func() { f.assoc = *c.Association })
	apply("filter", c.Filter != nil, func() { f.filter = *c.Filter })
	apply("workers", c.Workers != nil, func() { f.workers = *c.Workers })
	if c.DeleteAfter != nil && !set["delete-after"] {
		d, err := time.ParseDuration(*c.DeleteAfter)
		if err != nil {
			return fmt.Errorf("%w: config %s: delete_after: %v", errUsage, path, err)
		}
		f.deleteAfter = d
	}
	return nil
}

func (f *trackerFlags) config(sensors []correlate.Sensor) (correlate.Config, error) {
	cfg := correlate.Config{Q: f.q, GateProbability: f.gate, Pd: f.pd, ClutterDensity: f.clutter,
		NewTargetDensity: f.newTarget, ConfirmM: f.confirmM, ConfirmN: f.confirmN, DeleteAfter: f.deleteAfter,
		Workers: f.workers, Sensors: sensors}
	var err error
	if cfg.Logic, err = pick("logic", f.logic, map[string]correlate.Logic{
		"mofn": correlate.MofN, "sprt": correlate.SPRT, "existence": correlate.Existence}); err != nil {
		return cfg, err
	}
	if cfg.Association, err = pick("assoc", f.assoc, map[string]correlate.Association{
		"gnn": correlate.AssociateGNN, "jpda": correlate.AssociateJPDA}); err != nil {
		return cfg, err
	}
	if cfg.Filter, err = pick("filter", f.filter, map[string]correlate.Filter{
		"cv": correlate.CV, "imm": correlate.IMM}); err != nil {
		return cfg, err
	}
	if cfg.Logic == correlate.Existence && cfg.Association != correlate.AssociateJPDA {
		return cfg, fmt.Errorf("%w: -logic existence (JIPDA) needs -assoc jpda", errUsage)
	}
	return cfg, nil
}

// pick returns the value that names maps name to, or a usage error naming the flag
// and the choices.
func pick[T any](flag, name string, names map[string]T) (T, error) {
	if v, ok := names[name]; ok {
		return v, nil
	}
	choices := make([]string, 0, len(names))
	for k := range names {
		choices = append(choices, k)
	}
	slices.Sort(choices)
	var zero T
	return zero, fmt.Errorf("%w: unknown -%s %q (%s)", errUsage, flag, name, strings.Join(choices, ", "))
}

// input is an opened detection stream: its scans, its header (real or made from an
// interchange meta file) and the truth frames that come with it.
type input struct {
	src     replay.ScanSource
	header  *trackpb.Header
	truth   map[int64]*trackpb.TruthFrame
	latest  *trackpb.TruthFrame // for streams that keep only the latest truth frame
	closers []io.Closer
}

// truthAt returns the truth frame at time ns, or nil.
func (in *input) truthAt(ns int64) *trackpb.TruthFrame {
	if in.latest != nil && in.latest.GetTimeNs() == ns {
		return in.latest
	}
	return in.truth[ns]
}

func (in *input) close() {
	for _, c := range in.closers {
		c.Close()
	}
}

// openInput opens a recording or an interchange detections file. For an interchange
// file the meta file is NAME_meta.json beside NAME_detections.jsonl unless given.
func openInput(path, metaPath, truthPath string) (*input, error) {
	in := &input{truth: map[int64]*trackpb.TruthFrame{}}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	in.closers = append(in.closers, f)
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(len(replay.Magic))
	if bytes.Equal(head, []byte(replay.Magic)) {
		r, err := replay.NewReader(br, replay.ReaderOptions{})
		if err != nil {
			in.close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		in.header = r.Header()
		in.src = replay.RecordingScans(r, func(rec *trackpb.Record) error {
			if tf := rec.GetTruth(); tf != nil && truthPath == "" {
				in.truth[tf.GetTimeNs()] = tf
			}
			return nil
		})
	} else {
		if metaPath == "" && strings.HasSuffix(path, "_detections.jsonl") {
			metaPath = strings.TrimSuffix(path, "_detections.jsonl") + "_meta.json"
		}
		if metaPath == "" {
			in.close()
			return nil, fmt.Errorf("%w: %s is not a recording; give -meta for its interchange meta file", errUsage, path)
		}
		mf, err := os.Open(metaPath)
		if err != nil {
			in.close()
			return nil, err
		}
		meta, err := replay.ReadInterchangeMeta(mf)
		mf.Close()
		if err != nil {
			in.close()
			return nil, fmt.Errorf("%s: %w", metaPath, err)
		}
		if in.header, err = meta.Header(strings.TrimSuffix(path, "_detections.jsonl")); err != nil {
			in.close()
			return nil, err
		}
		in.src = replay.NewInterchangeReader(br, path)
	}
	if truthPath != "" {
		ts, c, err := openTruth(truthPath)
		if err != nil {
			in.close()
			return nil, err
		}
		in.closers = append(in.closers, c)
		for {
			tf, err := ts.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				in.close()
				return nil, err
			}
			in.truth[tf.GetTimeNs()] = tf
		}
	}
	return in, nil
}

// predictTo converts the tracker's tracks to a track set at time ns: tracks keep their
// posterior at their last update, so each is predicted to ns with the tracker's motion
// model (nearly-constant velocity with the same q) before it is written or scored.
func predictTo(kf *kalman.KF, tracks []correlate.Track, ns int64) (*trackpb.TrackSet, error) {
	ts := replay.TrackSet(tracks, ns)
	for _, t := range ts.GetTracks() {
		dt := float64(ns-t.GetTimeNs()) / 1e9
		if dt <= 0 {
			continue
		}
		s, err := kalman.NewState(t.GetX(), t.GetP())
		if err != nil {
			return nil, fmt.Errorf("track %d: %w", t.GetId(), err)
		}
		if err := kf.Predict(&s, dt); err != nil {
			return nil, fmt.Errorf("track %d: %w", t.GetId(), err)
		}
		t.X, t.P, t.TimeNs = s.Mean(t.X[:0]), s.Cov(t.P[:0]), ns
	}
	return ts, nil
}

// runResult is what running a tracker over a stream produced.
type runResult struct {
	scans, detections, finalTracks int
	seconds                        []float64 // tracker time per scan
	tracked                        int       // track-updates over all scans, for tracks/s
	nis                            float64   // sum of the updates' NIS, and of their dimensions
	nisDoF                         int
}

// runTracker feeds every scan of in to a tracker configured by tf, scores it against
// the truth of in at each scan time, writes tracks (when w is not nil) and calls progress
// after each scan.
func runTracker(in *input, tf *trackerFlags, sc *scoring, w *replay.TrackJSONWriter, progress func(k int, st correlate.Stats, d time.Duration, ts *trackpb.TrackSet)) (runResult, error) {
	var res runResult
	conv, err := replay.NewConverter(in.header)
	if err != nil {
		return res, err
	}
	cfg, err := tf.config(conv.Sensors())
	if err != nil {
		return res, err
	}
	tr, err := correlate.New(cfg)
	if err != nil {
		return res, err
	}
	defer tr.Close()
	var scan correlate.Scan
	var out, snap correlate.Output
	kf, err := kalman.NewKF(kalman.NewCV(tr.StateDim()/2, cfg.Q), kalman.Config{})
	if err != nil {
		return res, err
	}
	p, err := replay.NewPlayer(replay.PlayerConfig{}, in.src)
	if err != nil {
		return res, err
	}
	_, err = p.Run(context.Background(), func(_ int, s *trackpb.Scan) error {
		if err := conv.Scan(&scan, s); err != nil {
			return err
		}
		start := time.Now()
		if err := tr.Process(&scan, &out); err != nil {
			return err
		}
		d := time.Since(start)
		res.seconds = append(res.seconds, d.Seconds())
		res.scans++
		res.detections += len(s.GetDetections())
		res.tracked += tr.Live()
		res.nis += out.Stats.NIS
		res.nisDoF += out.Stats.NISDoF
		tr.Snapshot(&snap)
		ts, err := predictTo(kf, snap.Tracks, s.GetTimeNs())
		if err != nil {
			return err
		}
		if w != nil {
			if err := w.Write(ts); err != nil {
				return err
			}
		}
		if tf := in.truthAt(s.GetTimeNs()); tf != nil && sc != nil {
			if err := sc.add(tf, ts); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(res.scans, out.Stats, d, ts)
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	tr.Snapshot(&snap)
	for _, t := range snap.Tracks {
		if t.Status == correlate.Confirmed || t.Status == correlate.Coasting {
			res.finalTracks++
		}
	}
	return res, nil
}

// fill completes a summary with the run's counts and timing: the mean tracker time per
// scan over scans skip onwards (as the reference runs average it).
func (r runResult) fill(s *summary, skip int) {
	s.Scans, s.Detections, s.FinalTracks = r.scans, r.detections, r.finalTracks
	total, n := 0.0, 0
	for i, v := range r.seconds {
		if i >= skip || len(r.seconds) <= skip {
			total += v
			n++
		}
	}
	if n > 0 {
		s.MeanScanSeconds = total / float64(n)
	}
	all := 0.0
	for _, v := range r.seconds {
		all += v
	}
	if all > 0 {
		s.TracksPerSecond = float64(r.tracked) / all
	}
	if r.nisDoF > 0 {
		s.MeanNISPerDoF = r.nis / float64(r.nisDoF)
	}
}

func runTrack(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("track")
	var tf trackerFlags
	var sc scoreConfig
	var in, meta, truth, out, jsonPath, plotPath string
	var quiet bool
	tf.register(fs, true)
	addScoreFlags(fs, &sc)
	fs.StringVar(&in, "in", "", "detections: a recording or an interchange NAME_detections.jsonl file, required")
	fs.StringVar(&meta, "meta", "", "interchange meta file (default NAME_meta.json beside the detections)")
	fs.StringVar(&truth, "truth", "", "truth to score against: a recording or an interchange truth file (default: the recording's own)")
	fs.StringVar(&out, "out", "", "write the tracks as JSON lines to this file")
	fs.StringVar(&jsonPath, "summary", "", "write the summary as JSON to this file")
	fs.StringVar(&plotPath, "plot", "", "write a PNG plot of GOSPA over time to this file")
	fs.BoolVar(&quiet, "quiet", false, "do not print per-scan timing")
	var configPath string
	fs.StringVar(&configPath, "config", "", `tracker configuration file (JSON: "q", "gate", "pd", "clutter_density", "new_target_density", "confirm_m", "confirm_n", "delete_after" as "3.5s", "logic", "association", "filter", "workers"); flags win over it`)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if configPath != "" {
		if err := tf.load(configPath, fs); err != nil {
			return err
		}
	}
	if in == "" {
		return fmt.Errorf("%w: -in is required", errUsage)
	}
	input, err := openInput(in, meta, truth)
	if err != nil {
		return err
	}
	defer input.close()
	scoring, err := newScoring(sc)
	if err != nil {
		return err
	}
	defer scoring.close()
	var w *replay.TrackJSONWriter
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = replay.NewTrackJSONWriter(f)
	}
	progress := func(k int, st correlate.Stats, d time.Duration, _ *trackpb.TrackSet) {
		if !quiet {
			fmt.Fprintf(stdout, "scan %4d: %5d detections, %6d live tracks, %5d gated pairs, %8.3f ms\n",
				k, st.Detections, st.Live, st.Gated, 1e3*d.Seconds())
		}
	}
	res, err := runTracker(input, &tf, scoring, w, progress)
	if err != nil {
		return err
	}
	if w != nil {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	sum, err := scoring.summary()
	if err != nil {
		return err
	}
	res.fill(&sum, sc.SkipFirst)
	if err := printSummary(stdout, sum); err != nil {
		return err
	}
	if jsonPath != "" {
		if err := writeJSON(jsonPath, sum); err != nil {
			return err
		}
	}
	if plotPath != "" && len(scoring.gospa) > 0 {
		if err := plotGOSPA(plotPath, scoring.times, scoring.gospa, sc.P); err != nil {
			return err
		}
	}
	return nil
}
