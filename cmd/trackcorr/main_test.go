package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/trackcorr/trackcorr/internal/dataset"
	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

// runCmd runs the command line and returns its exit status, stdout and stderr.
func runCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageAndErrors(t *testing.T) {
	code, _, stderr := runCmd()
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "usage: trackcorr COMMAND")

	code, _, stderr = runCmd("frobnicate")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown command "frobnicate"`)

	code, _, stderr = runCmd("simulate", "-targets", "ten")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `invalid value "ten" for flag -targets`)
	assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)

	code, _, stderr = runCmd("score", "-tracks", "/nonexistent/t.jsonl", "-truth", "/nonexistent/truth.jsonl")
	assert.Equal(t, 1, code)
	assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line, no stack trace: %q", stderr)
	assert.Contains(t, stderr, "no such file")

	code, _, stderr = runCmd("simulate", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "-targets")
}

// writeTracksFromTruth writes the truth of an interchange truth file as tracks, dropping
// the object with ID drop in every frame, so that scoring is known in advance.
func writeTracksFromTruth(t *testing.T, truthPath, tracksPath string, drop int64) int {
	t.Helper()
	f, err := os.Open(truthPath)
	require.NoError(t, err)
	defer f.Close()
	out, err := os.Create(tracksPath)
	require.NoError(t, err)
	defer out.Close()
	w := replay.NewTrackJSONWriter(out)
	r := replay.NewInterchangeTruthReader(f, truthPath)
	frames := 0
	for {
		tf, err := r.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		ts := &trackpb.TrackSet{TimeNs: tf.GetTimeNs()}
		for _, o := range tf.GetObjects() {
			if o.GetId() == drop {
				continue
			}
			ts.Tracks = append(ts.Tracks, &trackpb.Track{Id: uint64(o.GetId()) + 1000, TimeNs: tf.GetTimeNs(),
				Status: trackpb.TrackStatus_TRACK_STATUS_CONFIRMED, X: o.GetX(), P: []float64{
					1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}})
		}
		require.NoError(t, w.Write(ts))
		frames++
	}
	require.NoError(t, w.Flush())
	return frames
}

func TestSimulateAndScore(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "sc")
	rec := filepath.Join(dir, "sc.trkc")
	code, stdout, stderr := runCmd("simulate", "-targets", "50", "-scans", "6", "-sensors", "2", "-seed", "3",
		"-out", rec, "-interchange", prefix)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "wrote "+rec+": 12 scans")
	for _, suffix := range []string{"_detections.jsonl", "_truth.jsonl", "_meta.json"} {
		st, err := os.Stat(prefix + suffix)
		require.NoError(t, err)
		assert.Positive(t, st.Size())
	}

	tracks := filepath.Join(dir, "tracks.jsonl")
	frames := writeTracksFromTruth(t, prefix+"_truth.jsonl", tracks, 7)
	require.Equal(t, 12, frames)
	for _, truth := range []string{prefix + "_truth.jsonl", rec} { // both truth formats
		sum := filepath.Join(dir, "summary.json")
		plot := filepath.Join(dir, "gospa.png")
		code, stdout, stderr = runCmd("score", "-tracks", tracks, "-truth", truth, "-summary", sum, "-plot", plot)
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, "mean GOSPA (m)")

		var s summary
		b, err := os.ReadFile(sum)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &s))
		assert.Equal(t, 12, s.Frames)
		// One of 50 targets missing in every frame: GOSPA = √(c²/2) = √50 each frame.
		assert.InDelta(t, 7.0710678, s.MeanGOSPA, 1e-6)
		assert.InDelta(t, 50, s.MeanMissed, 1e-9)
		assert.Equal(t, 0.0, s.MeanFalse)
		assert.InDelta(t, 1-1.0/50, s.MOTA, 1e-12)
		assert.Equal(t, 0, s.IDSwitches)
		assert.Equal(t, 49, s.FinalTracks)

		pf, err := os.Open(plot)
		require.NoError(t, err)
		img, err := png.Decode(pf)
		pf.Close()
		require.NoError(t, err)
		assert.Greater(t, img.Bounds().Dx(), 100)
	}
}

// track on a simulated interchange scenario: it writes tracks and a summary with the
// fields other trackers' runs are compared on, and tracks well.
func TestTrackInterchange(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "sc")
	code, _, stderr := runCmd("simulate", "-targets", "100", "-scans", "12", "-sensors", "2", "-seed", "5", "-interchange", prefix)
	require.Equal(t, 0, code, stderr)
	tracks := filepath.Join(dir, "tracks.jsonl")
	sum := filepath.Join(dir, "summary.json")
	code, stdout, stderr := runCmd("track", "-in", prefix+"_detections.jsonl", "-truth", prefix+"_truth.jsonl",
		"-out", tracks, "-summary", sum, "-plot", filepath.Join(dir, "g.png"))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "scan   24:")

	b, err := os.ReadFile(sum)
	require.NoError(t, err)
	var raw map[string]any
	require.NoError(t, json.Unmarshal(b, &raw))
	for _, k := range []string{"scans", "detections", "mean_scan_seconds", "final_tracks", "mean_gospa",
		"mean_gospa_after_3", "mean_gospa_localisation", "mean_gospa_missed", "mean_gospa_false"} {
		assert.Contains(t, raw, k)
	}
	var s summary
	require.NoError(t, json.Unmarshal(b, &s))
	assert.Equal(t, 24, s.Scans)
	assert.InDelta(t, 100, s.FinalTracks, 5)
	assert.Less(t, s.MeanGOSPAAfter, 25.0, "after confirmation the tracks follow the targets")
	assert.Positive(t, s.MeanScanSeconds)
	assert.Equal(t, 4, s.NEESDim)
	assert.True(t, s.MeanNEES > 2 && s.MeanNEES < 15, "mean NEES %v of a 4-state filter, early tracks included", s.MeanNEES)
	assert.True(t, s.MeanNISPerDoF > 0.7 && s.MeanNISPerDoF < 1.5, "mean NIS per degree of freedom %v", s.MeanNISPerDoF)

	// The tracks file scores the same with score.
	code, _, stderr = runCmd("score", "-tracks", tracks, "-truth", prefix+"_truth.jsonl", "-summary", sum)
	require.Equal(t, 0, code, stderr)
	var s2 summary
	b, err = os.ReadFile(sum)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &s2))
	assert.Equal(t, s.FinalTracks, s2.FinalTracks)
}

// A configuration file sets the tracker; a flag on the command line wins over it; a bad
// file is one clear error.
func TestTrackConfigFile(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "sc")
	code, _, stderr := runCmd("simulate", "-targets", "50", "-scans", "6", "-seed", "2", "-interchange", prefix)
	require.Equal(t, 0, code, stderr)
	cfg := filepath.Join(dir, "tracker.json")
	require.NoError(t, os.WriteFile(cfg, []byte(`{"confirm_m": 7, "confirm_n": 7, "delete_after": "2s"}`), 0o644))
	sum := filepath.Join(dir, "s.json")
	run := func(args ...string) summary {
		code, _, stderr := runCmd(append([]string{"track", "-in", prefix + "_detections.jsonl", "-truth", prefix + "_truth.jsonl", "-quiet", "-summary", sum}, args...)...)
		require.Equal(t, 0, code, stderr)
		var s summary
		b, err := os.ReadFile(sum)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &s))
		return s
	}
	assert.Equal(t, 0, run("-config", cfg).FinalTracks, "7 associations needed in a 6-scan run: nothing is confirmed")
	assert.InDelta(t, 50, run("-config", cfg, "-confirm-m", "3", "-confirm-n", "4").FinalTracks, 3, "flags win")

	require.NoError(t, os.WriteFile(cfg, []byte(`{"association": "jpda", "logic": "existence"}`), 0o644))
	assert.InDelta(t, 46, run("-config", cfg).FinalTracks, 4, "JIPDA from the file (slower to confirm than 3-of-4)")
	code, _, stderr = runCmd("track", "-in", prefix+"_detections.jsonl", "-config", cfg, "-assoc", "gnn")
	assert.Equal(t, 2, code, "existence logic with GNN association")
	assert.Contains(t, stderr, "-logic existence (JIPDA) needs -assoc jpda")
	require.NoError(t, os.WriteFile(cfg, []byte(`{"association": "jpda", "filter": "imm"}`), 0o644))
	assert.InDelta(t, 50, run("-config", cfg).FinalTracks, 3, "IMM under JPDA from the file")
	code, _, stderr = runCmd("track", "-in", prefix+"_detections.jsonl", "-filter", "ukf")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown -filter "ukf"`)
	code, _, stderr = runCmd("track", "-in", prefix+"_detections.jsonl", "-assoc", "mht")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown -assoc "mht"`)

	require.NoError(t, os.WriteFile(cfg, []byte(`{"confirm": 3}`), 0o644))
	code, _, stderr = runCmd("track", "-in", prefix+"_detections.jsonl", "-config", cfg)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown field "confirm"`)
}

// On the shared reference scenarios, the run reaches at least Stone Soup's accuracy with
// the same association (the reference table in the shared data README: mean GOSPA
// overall and after 3 scans).
func TestTrackSharedScenarios(t *testing.T) {
	for _, tc := range []struct {
		name             string
		assoc            string
		gospa, gospaAft3 float64
	}{
		{"n100-seed7", "gnn", 28.87, 23.07},
		{"n100s3-seed8", "gnn", 18.54, 16.22},
		{"n100-seed7", "jpda", 28.93, 23.15}, // Stone Soup's JPDA
		{"n100s3-seed8", "jpda", 19.23, 16.94},
	} {
		t.Run(tc.name+"/"+tc.assoc, func(t *testing.T) {
			det := dataset.Path(t, "scenarios", tc.name+"_detections.jsonl")
			truth := dataset.Path(t, "scenarios", tc.name+"_truth.jsonl")
			sum := filepath.Join(t.TempDir(), "s.json")
			code, _, stderr := runCmd("track", "-in", det, "-truth", truth, "-summary", sum, "-quiet", "-assoc", tc.assoc)
			require.Equal(t, 0, code, stderr)
			var s summary
			b, err := os.ReadFile(sum)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &s))
			t.Logf("%s: mean GOSPA %.2f, after 3 %.2f, final tracks %d, %.3f ms per scan", tc.name, s.MeanGOSPA, s.MeanGOSPAAfter, s.FinalTracks, 1e3*s.MeanScanSeconds)
			assert.InDelta(t, 100, s.FinalTracks, 3)
			assert.LessOrEqual(t, s.MeanGOSPA, tc.gospa, "Stone Soup's mean GOSPA")
			assert.LessOrEqual(t, s.MeanGOSPAAfter, tc.gospaAft3, "Stone Soup's mean GOSPA after 3 scans")
		})
	}
}

// demo on a small scenario: a summary table and a PNG with both plots.
func TestDemo(t *testing.T) {
	plot := filepath.Join(t.TempDir(), "demo.png")
	code, stdout, stderr := runCmd("demo", "-targets", "300", "-scans", "8", "-plot", plot)
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"trackcorr demo: 300 targets", "mean GOSPA (m)", "MOTA", "identity switches", "final tracks", "ms per scan", "tracks/s", "plot written to"} {
		assert.Contains(t, stdout, want)
	}
	assert.Contains(t, stderr, "tracking", "a progress bar")
	f, err := os.Open(plot)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Greater(t, img.Bounds().Dx(), img.Bounds().Dy(), "two plots side by side")
}

func TestBenchSweep(t *testing.T) {
	plot := filepath.Join(t.TempDir(), "scale.png")
	code, stdout, stderr := runCmd("bench", "-n", "200,800", "-scans", "5", "-plot", plot)
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 5, stdout) // title, header, two sizes, plot line
	assert.Contains(t, lines[2], "200")
	assert.Contains(t, lines[3], "800")
	_, err := os.Stat(plot)
	require.NoError(t, err)

	code, _, _ = runCmd("bench", "-n", "ten")
	assert.Equal(t, 2, code)
}
