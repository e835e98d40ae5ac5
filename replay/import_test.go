package replay

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/trackcorr/trackcorr/internal/dataset"
	"github.com/trackcorr/trackcorr/trackpb"
)

const testDetections = `{"t": 0.0, "sensor": 0, "detections": [{"z": [1.5, 2.5], "R": [[4.0, 0.5], [0.5000000000000001, 4.0]], "truth_id": 7}, {"z": [10, 20], "R": [[4.0, 0.0], [0.0, 4.0]], "truth_id": null, "extra": 1}]}
{"t": 0.5, "sensor": 1, "unknown_key": [1, 2], "detections": []}

{"t": 1.0, "sensor": 0, "detections": [{"z": [3, 4, 5], "R": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}]}
`

const testTruth = `{"t": 0.0, "truth": [{"id": 7, "x": [1, 0.1, 2, 0.2]}]}
{"t": 1.0, "truth": [{"id": 7, "x": [1.1, 0.1, 2.2, 0.2]}]}
`

func collectScans(t *testing.T, next func() (*trackpb.Scan, error)) ([]*trackpb.Scan, error) {
	t.Helper()
	var out []*trackpb.Scan
	for {
		s, err := next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, s)
	}
}

func TestInterchangeReader(t *testing.T) {
	r := NewInterchangeReader(strings.NewReader(testDetections), "test")
	scans, err := collectScans(t, r.Next)
	require.NoError(t, err)
	require.Len(t, scans, 3)

	s := scans[0]
	assert.Equal(t, uint32(0), s.GetSensorId())
	assert.Equal(t, int64(0), s.GetTimeNs())
	require.Len(t, s.GetDetections(), 2)
	d := s.GetDetections()[0]
	assert.Equal(t, uint64(1), d.GetId())
	assert.Equal(t, []float64{1.5, 2.5}, d.GetZ())
	assert.Equal(t, d.GetR()[1], d.GetR()[2], "R is made exactly symmetric")
	assert.InDelta(t, 0.5, d.GetR()[1], 1e-15)
	assert.Equal(t, int64(7), d.GetTruthId())
	assert.Nil(t, s.GetDetections()[1].TruthId, "null truth_id is clutter")

	assert.Equal(t, int64(500_000_000), scans[1].GetTimeNs())
	assert.Empty(t, scans[1].GetDetections())
	assert.Equal(t, uint64(1), scans[2].GetSequence(), "sequence counts per sensor")
	d3 := scans[2].GetDetections()[0]
	assert.Equal(t, uint64(3), d3.GetId())
	assert.Equal(t, trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_3D, d3.GetKind())
}

func TestInterchangeBadInput(t *testing.T) {
	tests := []struct {
		name string
		line string
		want error
	}{
		{"not json", `{"t": 0, "sensor": 0, "detections": [`, ErrSyntax},
		{"NaN is not json", `{"t": NaN, "sensor": 0, "detections": []}`, ErrSyntax},
		{"missing time", `{"sensor": 0, "detections": []}`, ErrSyntax},
		{"negative sensor", `{"t": 0, "sensor": -1, "detections": []}`, ErrInvalid},
		{"empty z", `{"t": 0, "sensor": 0, "detections": [{"z": [], "R": []}]}`, ErrInvalid},
		{"R wrong size", `{"t": 0, "sensor": 0, "detections": [{"z": [1, 2], "R": [[1]]}]}`, ErrInvalid},
		{"R not symmetric", `{"t": 0, "sensor": 0, "detections": [{"z": [1, 2], "R": [[1, 0.5], [0.4, 1]]}]}`, ErrInvalid},
		{"R zero variance", `{"t": 0, "sensor": 0, "detections": [{"z": [1, 2], "R": [[0, 0], [0, 1]]}]}`, ErrInvalid},
		{"overflowing number", `{"t": 0, "sensor": 0, "detections": [{"z": [1e999, 2], "R": [[1, 0], [0, 1]]}]}`, ErrSyntax},
		{"time backwards", "{\"t\": 2, \"sensor\": 0, \"detections\": []}\n{\"t\": 1, \"sensor\": 0, \"detections\": []}", ErrOutOfOrder},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewInterchangeReader(strings.NewReader(tc.line), "bad.jsonl")
			_, err := collectScans(t, r.Next)
			require.ErrorIs(t, err, tc.want)
			var le *LineError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, "bad.jsonl", le.Source)
			assert.Positive(t, le.Line)
		})
	}
}

func TestImportInterchangeMergesTruth(t *testing.T) {
	meta := InterchangeMeta{Pd: 0.9, ClutterSpatialDensity: 1e-5, R: [][][]float64{{{4, 0}, {0, 4}}, {{2, 1}, {1, 3}}}}
	var buf bytes.Buffer
	scans, frames, err := ImportInterchange(&buf, "tiny", meta, strings.NewReader(testDetections), strings.NewReader(testTruth))
	require.NoError(t, err)
	assert.Equal(t, 3, scans)
	assert.Equal(t, 2, frames)

	h, recs, err := readAll(buf.Bytes(), ReaderOptions{})
	require.NoError(t, err)
	require.Len(t, h.GetSensors(), 2)
	assert.Equal(t, []float64{2, 1, 1, 3}, h.GetSensors()[1].GetR())
	assert.Equal(t, "tiny", h.GetMetadata()["scenario"])
	var kinds []string
	for _, r := range recs {
		switch {
		case r.GetScan() != nil:
			kinds = append(kinds, "scan")
		case r.GetTruth() != nil:
			kinds = append(kinds, "truth")
		}
	}
	assert.Equal(t, []string{"truth", "scan", "scan", "truth", "scan"}, kinds, "truth before the scans of its time")
}

// On the shared scenarios, every detection of the file arrives, in as many scans as lines.
func TestImportSharedScenarios(t *testing.T) {
	for _, tc := range []struct {
		name       string
		detections int
		scans      int
	}{
		{"n100-seed7", 1987, 20},
		{"n100s3-seed8", 6009, 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := os.Open(dataset.Path(t, "scenarios", tc.name+"_detections.jsonl"))
			require.NoError(t, err)
			defer f.Close()
			mf, err := os.Open(dataset.Path(t, "scenarios", tc.name+"_meta.json"))
			require.NoError(t, err)
			defer mf.Close()
			tf, err := os.Open(dataset.Path(t, "scenarios", tc.name+"_truth.jsonl"))
			require.NoError(t, err)
			defer tf.Close()
			meta, err := ReadInterchangeMeta(mf)
			require.NoError(t, err)
			var buf bytes.Buffer
			scans, frames, err := ImportInterchange(&buf, tc.name, meta, f, tf)
			require.NoError(t, err)
			assert.Equal(t, tc.scans, scans)
			assert.Positive(t, frames)
			_, recs, err := readAll(buf.Bytes(), ReaderOptions{})
			require.NoError(t, err)
			n := 0
			for _, r := range recs {
				n += len(r.GetScan().GetDetections())
			}
			assert.Equal(t, tc.detections, n)
		})
	}
}

const testMOT = `1,-1,100,200,50,100,0.9,-1,-1,-1
1,-1,300,400,20,40,0.2,-1,-1,-1
3,-1,10,20,30,60,0.8,-1,-1,-1
`

func TestMOTReader(t *testing.T) {
	r := NewMOTReader(strings.NewReader(testMOT), "det.txt", MOTOptions{FrameRate: 10})
	scans, err := collectScans(t, r.Next)
	require.NoError(t, err)
	require.Len(t, scans, 2)
	assert.Equal(t, int64(0), scans[0].GetTimeNs())
	assert.Equal(t, int64(200_000_000), scans[1].GetTimeNs(), "frame 3 at 10 fps is 0.2 s")
	d := scans[0].GetDetections()[0]
	assert.Equal(t, []float64{125, 250}, d.GetZ(), "box centre")
	assert.InDeltaSlice(t, []float64{25, 0, 0, 100}, d.GetR(), 1e-12, "σ = 0.1 × box size")
	assert.InDelta(t, 0.9, d.GetConfidence(), 0)

	r = NewMOTReader(strings.NewReader(testMOT), "det.txt", MOTOptions{FrameRate: 10, Boxes: true, MinConfidence: 0.5})
	scans, err = collectScans(t, r.Next)
	require.NoError(t, err)
	require.Len(t, scans, 2)
	require.Len(t, scans[0].GetDetections(), 1, "the 0.2-confidence box is dropped")
	assert.Equal(t, []float64{100, 200, 50, 100}, scans[0].GetDetections()[0].GetZ())
	assert.Equal(t, trackpb.MeasurementKind_MEASUREMENT_KIND_BOX, scans[0].GetDetections()[0].GetKind())
}

func TestMOTBadInput(t *testing.T) {
	tests := []struct {
		name string
		data string
		opts MOTOptions
		want error
	}{
		{"no frame rate", testMOT, MOTOptions{}, ErrInvalid},
		{"too few fields", "1,-1,2,3\n", MOTOptions{FrameRate: 1}, ErrSyntax},
		{"not a number", "1,-1,a,3,4,5,1\n", MOTOptions{FrameRate: 1}, ErrSyntax},
		{"frame zero", "0,-1,1,2,3,4,1\n", MOTOptions{FrameRate: 1}, ErrInvalid},
		{"fractional frame", "1.5,-1,1,2,3,4,1\n", MOTOptions{FrameRate: 1}, ErrInvalid},
		{"empty box", "1,-1,1,2,0,4,1\n", MOTOptions{FrameRate: 1}, ErrInvalid},
		{"NaN", "1,-1,NaN,2,3,4,1\n", MOTOptions{FrameRate: 1}, ErrInvalid},
		{"frames backwards", "2,-1,1,2,3,4,1\n1,-1,1,2,3,4,1\n", MOTOptions{FrameRate: 1}, ErrOutOfOrder},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := NewMOTReader(strings.NewReader(tc.data), "det.txt", tc.opts)
			_, err := collectScans(t, r.Next)
			require.ErrorIs(t, err, tc.want)
			_, again := r.Next()
			require.Equal(t, err, again, "errors are sticky")
		})
	}
}

func TestMOTTruthReader(t *testing.T) {
	gt := "1,1,10,10,10,20,1,1,1\n1,2,50,50,10,10,0,1,1\n2,1,12,10,10,20,1,1,0.5\n"
	r := NewMOTTruthReader(strings.NewReader(gt), "gt.txt", MOTOptions{FrameRate: 25})
	f1, err := r.Next()
	require.NoError(t, err)
	require.Len(t, f1.GetObjects(), 1, "the entry flagged 0 is skipped")
	assert.Equal(t, []float64{15, 20}, f1.GetObjects()[0].GetX())
	f2, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, int64(40_000_000), f2.GetTimeNs())
	_, err = r.Next()
	assert.Equal(t, io.EOF, err)
}

// Every line of the shared MOT15 detection files becomes one detection.
func TestMOTShared(t *testing.T) {
	for _, name := range []string{"ADL-Rundle-6", "ETH-Bahnhof", "KITTI-13", "PETS09-S2L1", "Venice-2"} {
		t.Run(name, func(t *testing.T) {
			p := dataset.Path(t, "mot15", name+"-det.txt")
			raw, err := os.ReadFile(p)
			require.NoError(t, err)
			lines := 0
			sc := bufio.NewScanner(bytes.NewReader(raw))
			for sc.Scan() {
				if strings.TrimSpace(sc.Text()) != "" {
					lines++
				}
			}
			r := NewMOTReader(bytes.NewReader(raw), p, MOTOptions{FrameRate: 30})
			scans, err := collectScans(t, r.Next)
			require.NoError(t, err)
			n := 0
			for i, s := range scans {
				n += len(s.GetDetections())
				if i > 0 {
					require.Greater(t, s.GetTimeNs(), scans[i-1].GetTimeNs())
				}
			}
			assert.Equal(t, lines, n)
		})
	}
}

func TestCSVReader(t *testing.T) {
	data := "t,sensor,x,y,sigma_x,sigma_y,truth_id,note\n" +
		"0,1,10,20,2,3,5,a\n" +
		"0,1,11,21,2,3,,b\n" +
		"0.5,2,12,22,1,1,6,\n"
	r, err := NewCSVReader(strings.NewReader(data), "d.csv")
	require.NoError(t, err)
	scans, err := collectScans(t, r.Next)
	require.NoError(t, err)
	require.Len(t, scans, 2)
	require.Len(t, scans[0].GetDetections(), 2)
	d := scans[0].GetDetections()[0]
	assert.Equal(t, []float64{10, 20}, d.GetZ())
	assert.Equal(t, []float64{4, 0, 0, 9}, d.GetR())
	assert.Equal(t, int64(5), d.GetTruthId())
	assert.Nil(t, scans[0].GetDetections()[1].TruthId)
	assert.Equal(t, uint32(2), scans[1].GetSensorId())

	data3 := "t,sensor,x,y,z,rxx,rxy,ryy,rxz,ryz,rzz\n0,0,1,2,3,4,1,5,0.5,0.25,6\n"
	r, err = NewCSVReader(strings.NewReader(data3), "d3.csv")
	require.NoError(t, err)
	scans, err = collectScans(t, r.Next)
	require.NoError(t, err)
	require.Len(t, scans, 1)
	assert.Equal(t, []float64{4, 1, 0.5, 1, 5, 0.25, 0.5, 0.25, 6}, scans[0].GetDetections()[0].GetR())
}

func TestCSVBadInput(t *testing.T) {
	tests := []struct {
		name string
		data string
		want error
	}{
		{"empty", "", ErrSyntax},
		{"no x column", "t,sensor,y,sigma_x,sigma_y\n", ErrSyntax},
		{"no noise columns", "t,sensor,x,y\n", ErrSyntax},
		{"bad number", "t,sensor,x,y,sigma_x,sigma_y\n0,0,a,1,1,1\n", ErrSyntax},
		{"zero sigma", "t,sensor,x,y,sigma_x,sigma_y\n0,0,1,1,0,1\n", ErrInvalid},
		{"Inf", "t,sensor,x,y,sigma_x,sigma_y\n0,0,Inf,1,1,1\n", ErrInvalid},
		{"fractional sensor", "t,sensor,x,y,sigma_x,sigma_y\n0,0.5,1,1,1,1\n", ErrInvalid},
		{"time backwards", "t,sensor,x,y,sigma_x,sigma_y\n1,0,1,1,1,1\n0,0,1,1,1,1\n", ErrOutOfOrder},
		{"unbalanced quote", "t,sensor,x,y,sigma_x,sigma_y\n0,0,\"1,1,1,1\n", ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewCSVReader(strings.NewReader(tc.data), "bad.csv")
			if err == nil {
				_, err = collectScans(t, r.Next)
			}
			require.ErrorIs(t, err, tc.want)
			var le *LineError
			require.ErrorAs(t, err, &le)
		})
	}
}

func FuzzImporters(f *testing.F) {
	f.Add([]byte(testDetections))
	f.Add([]byte(testMOT))
	f.Add([]byte("t,sensor,x,y,sigma_x,sigma_y\n0,0,1,1,1,1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		drain := func(next func() (*trackpb.Scan, error)) {
			for range 10000 {
				s, err := next()
				if err != nil {
					return
				}
				for _, d := range s.GetDetections() {
					require.True(t, allFinite(d.GetZ()) && allFinite(d.GetR()))
					require.Len(t, d.GetR(), len(d.GetZ())*len(d.GetZ()))
				}
			}
		}
		drain(NewInterchangeReader(bytes.NewReader(b), "fuzz").Next)
		drain(NewMOTReader(bytes.NewReader(b), "fuzz", MOTOptions{FrameRate: 30}).Next)
		drain(NewMOTReader(bytes.NewReader(b), "fuzz", MOTOptions{FrameRate: 30, Boxes: true}).Next)
		if r, err := NewCSVReader(bytes.NewReader(b), "fuzz"); err == nil {
			drain(r.Next)
		}
	})
}

func testTrackSet() *trackpb.TrackSet {
	return &trackpb.TrackSet{TimeNs: 2_500_000_000, Tracks: []*trackpb.Track{
		{Id: 4, Status: trackpb.TrackStatus_TRACK_STATUS_CONFIRMED, X: []float64{100, 1, 200, -2}, Score: 3.5,
			P: []float64{4, 0.1, 0, 0, 0.1, 1, 0, 0, 0, 0, 4, 0.1, 0, 0, 0.1, 1}},
		{Id: 9, Status: trackpb.TrackStatus_TRACK_STATUS_TENTATIVE, TimeNs: 2_400_000_000, X: []float64{1e-300, 0, 1.0 / 3, 0},
			P: []float64{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}},
	}}
}

func TestTrackJSONWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewTrackJSONWriter(&buf)
	ts := testTrackSet()
	require.NoError(t, w.Write(ts))
	require.NoError(t, w.Flush())
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	for i, line := range lines {
		var got struct {
			T      float64     `json:"t"`
			ID     uint64      `json:"id"`
			Status string      `json:"status"`
			X      []float64   `json:"x"`
			P      [][]float64 `json:"P"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &got), line)
		tr := ts.GetTracks()[i]
		assert.Equal(t, tr.GetId(), got.ID)
		assert.Equal(t, tr.GetX(), got.X, "floats round-trip exactly")
		require.Len(t, got.P, 4)
		assert.Equal(t, tr.GetP()[4:8], got.P[1])
	}
	assert.Contains(t, lines[0], `"t":2.5,"id":4,"status":"confirmed"`)
	assert.Contains(t, lines[1], `"t":2.4,`, "a track's own time wins over the set's")

	bad := testTrackSet()
	bad.Tracks[1].P = bad.Tracks[1].P[:3]
	buf.Reset()
	w = NewTrackJSONWriter(&buf)
	require.ErrorIs(t, w.Write(bad), ErrExport)
	require.NoError(t, w.Flush())
	assert.Empty(t, buf.String(), "a set is written whole or not at all")
}

func TestWriteMOT(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteMOT(&buf, testTrackSet(), MOTExportOptions{FrameRate: 10, XIndex: 0, YIndex: 2, Width: 20, Height: 40}))
	assert.Equal(t, "26,4,90,180,20,40,3.5,-1,-1,-1\n", buf.String(), "only confirmed and coasting tracks by default")
	require.ErrorIs(t, WriteMOT(&buf, testTrackSet(), MOTExportOptions{XIndex: 0, YIndex: 2}), ErrExport)
	require.ErrorIs(t, WriteMOT(&buf, testTrackSet(), MOTExportOptions{FrameRate: 1, XIndex: 0, YIndex: 7}), ErrExport)
}

func TestTrackCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewTrackCSVWriter(&buf)
	require.NoError(t, w.Write(testTrackSet()))
	wrong := &trackpb.TrackSet{Tracks: []*trackpb.Track{{Id: 1, X: []float64{1, 2}, P: []float64{1, 0, 0, 1}}}}
	require.ErrorIs(t, w.Write(wrong), ErrExport)
	require.NoError(t, w.Flush())
	assert.Equal(t, "t,id,status,score,x0,x1,x2,x3\n"+
		"2.5,4,confirmed,3.5,100,1,200,-2\n"+
		"2.4,9,tentative,0,1e-300,0,0.3333333333333333,0\n", buf.String())
}

// What TrackJSONWriter writes, TrackJSONReader reads back as the same track sets.
func TestTrackJSONRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewTrackJSONWriter(&buf)
	sets := []*trackpb.TrackSet{testTrackSet(), {TimeNs: 3_000_000_000, Tracks: []*trackpb.Track{
		{Id: 4, Status: trackpb.TrackStatus_TRACK_STATUS_COASTING, X: []float64{1, 2}, P: []float64{1, 0.5, 0.5, 2}},
	}}}
	for _, ts := range sets {
		require.NoError(t, w.Write(ts))
	}
	require.NoError(t, w.Flush())
	// testTrackSet's second track carries its own time, 2.4 s, after a line at 2.5 s.
	_, err := NewTrackJSONReader(&buf, "tracks.jsonl").Next()
	require.ErrorIs(t, err, ErrOutOfOrder)

	buf.Reset()
	w = NewTrackJSONWriter(&buf)
	sets[0].Tracks[1].TimeNs = 0
	for _, ts := range sets {
		require.NoError(t, w.Write(ts))
	}
	require.NoError(t, w.Flush())
	r := NewTrackJSONReader(&buf, "tracks.jsonl")
	for i, want := range sets {
		got, err := r.Next()
		require.NoError(t, err, "set %d", i)
		require.Len(t, got.GetTracks(), len(want.GetTracks()))
		assert.Equal(t, want.GetTimeNs(), got.GetTimeNs())
		for k, tr := range want.GetTracks() {
			g := got.GetTracks()[k]
			assert.Equal(t, tr.GetId(), g.GetId())
			assert.Equal(t, tr.GetStatus(), g.GetStatus())
			assert.Equal(t, tr.GetX(), g.GetX())
			assert.Equal(t, tr.GetP(), g.GetP())
		}
	}
	_, err = r.Next()
	assert.Equal(t, io.EOF, err)
}

func TestTrackJSONReaderBadInput(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"no id", `{"t": 1, "x": [1]}`},
		{"bad status", `{"t": 1, "id": 1, "status": "lost", "x": [1]}`},
		{"no state", `{"t": 1, "id": 1, "x": []}`},
		{"P wrong size", `{"t": 1, "id": 1, "x": [1, 2], "P": [[1]]}`},
		{"not json", `{"t": 1,`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewTrackJSONReader(strings.NewReader(tc.data), "x").Next()
			var le *LineError
			require.ErrorAs(t, err, &le)
		})
	}
}
