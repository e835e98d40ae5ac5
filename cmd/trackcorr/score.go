package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

// truthSource yields truth frames in time order.
type truthSource interface {
	Next() (*trackpb.TruthFrame, error)
}

// recordingTruth yields the truth frames of a recording.
type recordingTruth struct{ r *replay.Reader }

func (rt recordingTruth) Next() (*trackpb.TruthFrame, error) {
	for {
		rec, err := rt.r.Next()
		if err != nil {
			return nil, err
		}
		if tf := rec.GetTruth(); tf != nil {
			return tf, nil
		}
	}
}

// openTruth opens a truth file: a recording (by its magic) or an interchange truth file.
// The returned closer closes the file.
func openTruth(path string) (truthSource, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReader(f)
	head, _ := br.Peek(len(replay.Magic))
	if bytes.Equal(head, []byte(replay.Magic)) {
		r, err := replay.NewReader(br, replay.ReaderOptions{})
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return recordingTruth{r}, f, nil
	}
	return replay.NewInterchangeTruthReader(br, path), f, nil
}

// position extracts the position from a state vector by its layout: [x, vx, y, vy(, ω)],
// [x, vx, y, vy, z, vz], or a bare position [x, y(, z)].
func position(x []float64, motion trackpb.MotionModel) (px, py, pz float64) {
	switch {
	case motion == trackpb.MotionModel_MOTION_MODEL_CV3 || len(x) == 6:
		return x[0], x[2], x[4]
	case len(x) == 4 || len(x) == 5 || len(x) == 7:
		return x[0], x[2], 0
	case len(x) == 3:
		return x[0], x[1], x[2]
	case len(x) >= 2:
		return x[0], x[1], 0
	}
	return x[0], 0, 0
}

// scoreConfig holds the flags of score (and of the commands that score as they track).
type scoreConfig struct {
	C, P, Threshold float64
	All             bool
	SkipFirst       int
}

// scoring accumulates GOSPA per frame and the MOT metrics.
type scoring struct {
	cfg    scoreConfig
	scorer *bench.Scorer
	mot    *bench.MOT
	times  []float64
	gospa  []bench.GOSPA
	truth  []bench.Point
	est    []bench.Point

	estTracks []*trackpb.Track
	pairs     [][2]int
	nees      bench.Consistency
}

func newScoring(cfg scoreConfig) (*scoring, error) {
	s, err := bench.NewScorer(bench.GOSPAConfig{C: cfg.C, P: cfg.P})
	if err != nil {
		return nil, err
	}
	m, err := bench.NewMOT(bench.MOTConfig{Threshold: cfg.Threshold})
	if err != nil {
		s.Close()
		return nil, err
	}
	return &scoring{cfg: cfg, scorer: s, mot: m}, nil
}

func (s *scoring) close() {
	s.scorer.Close()
	s.mot.Close()
}

// add scores the tracks of ts (nil for none) against the truth frame tf.
func (s *scoring) add(tf *trackpb.TruthFrame, ts *trackpb.TrackSet) error {
	s.est = s.est[:0]
	s.estTracks = s.estTracks[:0]
	for _, t := range ts.GetTracks() {
		st := t.GetStatus()
		if !s.cfg.All && st != trackpb.TrackStatus_TRACK_STATUS_CONFIRMED && st != trackpb.TrackStatus_TRACK_STATUS_COASTING {
			continue
		}
		x, y, z := position(t.GetX(), t.GetMotion())
		s.est = append(s.est, bench.Point{ID: int64(t.GetId()), X: x, Y: y, Z: z})
		s.estTracks = append(s.estTracks, t)
	}
	if err := s.addFrame(tf, s.est); err != nil {
		return err
	}
	// NEES of the matched tracks whose state has the truth's layout, when they report a
	// covariance at the truth's time.
	s.pairs = s.scorer.Pairs(s.pairs[:0])
	for _, p := range s.pairs {
		t, o := s.estTracks[p[1]], tf.GetObjects()[p[0]]
		if len(t.GetX()) != len(o.GetX()) || len(t.GetP()) != len(t.GetX())*len(t.GetX()) || t.GetTimeNs() != tf.GetTimeNs() {
			continue
		}
		v, err := bench.NEES(t.GetX(), t.GetP(), o.GetX())
		if err != nil {
			continue // a covariance the filter could not have produced: not scored
		}
		s.nees.Dim = len(o.GetX())
		s.nees.Add(v)
	}
	return nil
}

// addFrame scores estimates against the truth frame tf.
func (s *scoring) addFrame(tf *trackpb.TruthFrame, est []bench.Point) error {
	s.truth = s.truth[:0]
	for _, o := range tf.GetObjects() {
		x, y, z := position(o.GetX(), o.GetMotion())
		s.truth = append(s.truth, bench.Point{ID: o.GetId(), X: x, Y: y, Z: z})
	}
	g, err := s.scorer.GOSPA(s.truth, est)
	if err != nil {
		return fmt.Errorf("frame at t=%v s: %w", float64(tf.GetTimeNs())/1e9, err)
	}
	if err := s.mot.Add(s.truth, est); err != nil {
		return fmt.Errorf("frame at t=%v s: %w", float64(tf.GetTimeNs())/1e9, err)
	}
	s.times = append(s.times, float64(tf.GetTimeNs())/1e9)
	s.gospa = append(s.gospa, g)
	return nil
}

// summary is the machine-readable result of scoring, written by -summary.
type summary struct {
	Frames             int     `json:"frames"`
	MeanGOSPA          float64 `json:"mean_gospa"`
	MeanGOSPAAfter     float64 `json:"mean_gospa_after_3"`
	MeanLocalisation   float64 `json:"mean_gospa_localisation"`
	MeanMissed         float64 `json:"mean_gospa_missed"`
	MeanFalse          float64 `json:"mean_gospa_false"`
	MOTA               float64 `json:"mota"`
	MOTP               float64 `json:"motp"`
	IDSwitches         int     `json:"id_switches"`
	IDF1               float64 `json:"idf1"`
	Fragmentations     int     `json:"fragmentations"`
	MostlyTracked      int     `json:"mostly_tracked"`
	MostlyLost         int     `json:"mostly_lost"`
	FinalTracks        int     `json:"final_tracks"`
	MeanNEES           float64 `json:"mean_nees,omitempty"`
	NEESDim            int     `json:"nees_dim,omitempty"`
	NEESCount          int     `json:"nees_count,omitempty"`
	MeanNISPerDoF      float64 `json:"mean_nis_per_dof,omitempty"`
	Scans              int     `json:"scans,omitempty"`
	Detections         int     `json:"detections,omitempty"`
	MeanScanSeconds    float64 `json:"mean_scan_seconds,omitempty"`
	TracksPerSecond    float64 `json:"tracks_per_second,omitempty"`
	ConfirmedAtTheEnd  int     `json:"confirmed_tracks,omitempty"`
	GOSPAParameterC    float64 `json:"gospa_c"`
	GOSPAParameterP    float64 `json:"gospa_p"`
	SkippedFirstFrames int     `json:"skipped_first_frames"`
}

func (s *scoring) summary() (summary, error) {
	out := summary{Frames: len(s.gospa), GOSPAParameterC: s.cfg.C, GOSPAParameterP: s.cfg.P, SkippedFirstFrames: s.cfg.SkipFirst}
	after := 0
	for i, g := range s.gospa {
		out.MeanGOSPA += g.Distance
		out.MeanLocalisation += g.Localisation
		out.MeanMissed += g.Missed
		out.MeanFalse += g.False
		if i >= s.cfg.SkipFirst {
			out.MeanGOSPAAfter += g.Distance
			after++
		}
	}
	if n := float64(len(s.gospa)); n > 0 {
		out.MeanGOSPA /= n
		out.MeanLocalisation /= n
		out.MeanMissed /= n
		out.MeanFalse /= n
	}
	if after > 0 {
		out.MeanGOSPAAfter /= float64(after)
	}
	m, err := s.mot.Summary()
	if err != nil {
		return out, err
	}
	out.MOTA, out.MOTP, out.IDSwitches, out.IDF1 = m.MOTA, m.MOTP, m.IDSW, m.IDF1
	out.Fragmentations, out.MostlyTracked, out.MostlyLost = m.Frag, m.MT, m.ML
	if s.nees.Count() > 0 {
		out.MeanNEES, out.NEESDim, out.NEESCount = s.nees.Mean(), s.nees.Dim, s.nees.Count()
	}
	return out, nil
}

// printSummary writes the human-readable table.
func printSummary(w io.Writer, s summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	rows := [][2]string{
		{"frames scored", fmt.Sprint(s.Frames)},
		{"mean GOSPA (m)", fmt.Sprintf("%.3f", s.MeanGOSPA)},
		{fmt.Sprintf("mean GOSPA after %d (m)", s.SkippedFirstFrames), fmt.Sprintf("%.3f", s.MeanGOSPAAfter)},
		{"  localisation (m²)", fmt.Sprintf("%.2f", s.MeanLocalisation)},
		{"  missed (m²)", fmt.Sprintf("%.2f", s.MeanMissed)},
		{"  false (m²)", fmt.Sprintf("%.2f", s.MeanFalse)},
		{"MOTA", fmt.Sprintf("%.4f", s.MOTA)},
		{"MOTP (m)", fmt.Sprintf("%.3f", s.MOTP)},
		{"identity switches", fmt.Sprint(s.IDSwitches)},
		{"IDF1", fmt.Sprintf("%.4f", s.IDF1)},
		{"fragmentations", fmt.Sprint(s.Fragmentations)},
		{"mostly tracked / lost", fmt.Sprintf("%d / %d", s.MostlyTracked, s.MostlyLost)},
	}
	if s.NEESCount > 0 {
		rows = append(rows, [2]string{fmt.Sprintf("mean NEES (state of %d)", s.NEESDim), fmt.Sprintf("%.2f", s.MeanNEES)})
	}
	if s.MeanNISPerDoF > 0 {
		rows = append(rows, [2]string{"mean NIS per degree of freedom", fmt.Sprintf("%.3f", s.MeanNISPerDoF)})
	}
	if s.Scans > 0 {
		rows = append(rows,
			[2]string{"scans", fmt.Sprint(s.Scans)},
			[2]string{"detections", fmt.Sprint(s.Detections)},
			[2]string{"final tracks", fmt.Sprint(s.FinalTracks)},
			[2]string{"ms per scan (tracker)", fmt.Sprintf("%.3f", 1e3*s.MeanScanSeconds)},
			[2]string{"tracks/s", fmt.Sprintf("%.3g", s.TracksPerSecond)})
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t\n", r[0], r[1])
	}
	return tw.Flush()
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func addScoreFlags(fs interface {
	Float64Var(*float64, string, float64, string)
	BoolVar(*bool, string, bool, string)
	IntVar(*int, string, int, string)
}, c *scoreConfig) {
	fs.Float64Var(&c.C, "gospa-c", 10, "GOSPA cut-off distance c, metres")
	fs.Float64Var(&c.P, "gospa-p", 2, "GOSPA order p")
	fs.Float64Var(&c.Threshold, "match", 10, "CLEAR MOT / IDF1 match threshold, metres")
	fs.BoolVar(&c.All, "all-tracks", false, "score tentative tracks too (default: confirmed and coasting)")
	fs.IntVar(&c.SkipFirst, "skip", 3, "frames skipped by mean_gospa_after_3 (none can be confirmed before them)")
}

func runScore(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("score")
	var cfg scoreConfig
	var tracksPath, truthPath, jsonPath, plotPath string
	fs.StringVar(&tracksPath, "tracks", "", "tracks as JSON lines ({\"t\", \"id\", \"status\", \"x\", \"P\"}), required")
	fs.StringVar(&truthPath, "truth", "", "truth: a recording or an interchange-format truth file, required")
	fs.StringVar(&jsonPath, "summary", "", "write the summary as JSON to this file")
	fs.StringVar(&plotPath, "plot", "", "write a PNG plot of GOSPA over time to this file")
	addScoreFlags(fs, &cfg)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if tracksPath == "" || truthPath == "" {
		return fmt.Errorf("%w: -tracks and -truth are required", errUsage)
	}
	truth, closer, err := openTruth(truthPath)
	if err != nil {
		return err
	}
	defer closer.Close()
	tf, err := os.Open(tracksPath)
	if err != nil {
		return err
	}
	defer tf.Close()
	tracks := replay.NewTrackJSONReader(bufio.NewReader(tf), tracksPath)

	sc, err := newScoring(cfg)
	if err != nil {
		return err
	}
	defer sc.close()
	// Each truth frame is scored against the latest track set at or before its time.
	var current, next *trackpb.TrackSet
	next, err = tracks.Next()
	if err != nil && err != io.EOF {
		return err
	}
	for {
		frame, err := truth.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		for next != nil && next.GetTimeNs() <= frame.GetTimeNs() {
			current = next
			if next, err = tracks.Next(); err == io.EOF {
				next = nil
			} else if err != nil {
				return err
			}
		}
		if err := sc.add(frame, current); err != nil {
			return err
		}
	}
	sum, err := sc.summary()
	if err != nil {
		return err
	}
	for _, t := range current.GetTracks() {
		if st := t.GetStatus(); st == trackpb.TrackStatus_TRACK_STATUS_CONFIRMED || st == trackpb.TrackStatus_TRACK_STATUS_COASTING {
			sum.FinalTracks++
		}
	}
	if err := printSummary(stdout, sum); err != nil {
		return err
	}
	if jsonPath != "" {
		if err := writeJSON(jsonPath, sum); err != nil {
			return err
		}
	}
	if plotPath != "" {
		if err := plotGOSPA(plotPath, sc.times, sc.gospa, cfg.P); err != nil {
			return err
		}
	}
	return nil
}
