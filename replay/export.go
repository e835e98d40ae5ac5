package replay

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/trackcorr/trackcorr/trackpb"
)

// ErrExport means a track cannot be written in the requested format: a non-finite
// number (JSON has none), a covariance that does not match the state, a state too short
// for the format, or a dimension that changes within a CSV file.
var ErrExport = errors.New("replay: cannot export track")

// StatusName returns the lower-case name of a track status used by the exporters:
// "tentative", "confirmed", "coasting", "deleted" or "unspecified".
func StatusName(s trackpb.TrackStatus) string {
	switch s {
	case trackpb.TrackStatus_TRACK_STATUS_TENTATIVE:
		return "tentative"
	case trackpb.TrackStatus_TRACK_STATUS_CONFIRMED:
		return "confirmed"
	case trackpb.TrackStatus_TRACK_STATUS_COASTING:
		return "coasting"
	case trackpb.TrackStatus_TRACK_STATUS_DELETED:
		return "deleted"
	}
	return "unspecified"
}

// TrackJSONWriter writes tracks as JSON lines, one line per track per scan:
//
//	{"t": seconds, "id": n, "status": "confirmed", "x": [...], "P": [[...], ...]}
//
// Numbers are written in the shortest form that reads back to the same float64. A track
// set is written whole or not at all.
type TrackJSONWriter struct {
	w   *bufio.Writer
	buf []byte
}

// NewTrackJSONWriter returns a writer to w. Call Flush when done.
func NewTrackJSONWriter(w io.Writer) *TrackJSONWriter {
	return &TrackJSONWriter{w: bufio.NewWriter(w)}
}

// Write writes one line per track of ts.
func (tw *TrackJSONWriter) Write(ts *trackpb.TrackSet) error {
	b := tw.buf[:0]
	for _, tr := range ts.GetTracks() {
		n, err := checkTrack(tr)
		if err != nil {
			return err
		}
		b = append(b, `{"t":`...)
		b = strconv.AppendFloat(b, float64(trackTime(ts, tr))/1e9, 'g', -1, 64)
		b = append(b, `,"id":`...)
		b = strconv.AppendUint(b, tr.GetId(), 10)
		b = append(b, `,"status":"`...)
		b = append(b, StatusName(tr.GetStatus())...)
		b = append(b, `","x":`...)
		b = appendJSONFloats(b, tr.GetX())
		b = append(b, `,"P":[`...)
		for i := range n {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONFloats(b, tr.GetP()[i*n:(i+1)*n])
		}
		b = append(b, "]}\n"...)
	}
	tw.buf = b
	_, err := tw.w.Write(b)
	return err
}

// Flush writes buffered lines to the underlying writer.
func (tw *TrackJSONWriter) Flush() error { return tw.w.Flush() }

func appendJSONFloats(b []byte, v []float64) []byte {
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	return append(b, ']')
}

// trackTime is the track's own time, or the set's when the track has none.
func trackTime(ts *trackpb.TrackSet, tr *trackpb.Track) int64 {
	if tr.GetTimeNs() != 0 {
		return tr.GetTimeNs()
	}
	return ts.GetTimeNs()
}

// checkTrack checks that a track's state and covariance are finite and consistent and
// returns the state dimension.
func checkTrack(tr *trackpb.Track) (int, error) {
	n := len(tr.GetX())
	if len(tr.GetP()) != n*n {
		return 0, fmt.Errorf("%w %d: covariance has %d values for a state of %d", ErrExport, tr.GetId(), len(tr.GetP()), n)
	}
	if !allFinite(tr.GetX()) || !allFinite(tr.GetP()) {
		return 0, fmt.Errorf("%w %d: state or covariance is not finite", ErrExport, tr.GetId())
	}
	return n, nil
}

// MOTExportOptions configures WriteMOT.
type MOTExportOptions struct {
	// FrameRate converts track times to 1-based frame numbers: frame = round(t·FrameRate)+1.
	FrameRate float64
	// XIndex and YIndex locate the box centre in the track state, in pixels. For the
	// nearly-constant-velocity layout [x, vx, y, vy] they are 0 and 2.
	XIndex, YIndex int
	// Width and Height are the box size in pixels written for every track.
	Width, Height float64
	// All writes every track; otherwise only confirmed and coasting tracks.
	All bool
}

// WriteMOT writes the tracks of ts as MOTChallenge result lines:
//
//	frame, id, bb_left, bb_top, bb_width, bb_height, score, -1, -1, -1
func WriteMOT(w io.Writer, ts *trackpb.TrackSet, o MOTExportOptions) error {
	if !(o.FrameRate > 0) || math.IsInf(o.FrameRate, 0) {
		return fmt.Errorf("%w: frame rate %v", ErrExport, o.FrameRate)
	}
	var b []byte
	for _, tr := range ts.GetTracks() {
		if !o.All && tr.GetStatus() != trackpb.TrackStatus_TRACK_STATUS_CONFIRMED && tr.GetStatus() != trackpb.TrackStatus_TRACK_STATUS_COASTING {
			continue
		}
		n, err := checkTrack(tr)
		if err != nil {
			return err
		}
		if o.XIndex < 0 || o.YIndex < 0 || o.XIndex >= n || o.YIndex >= n {
			return fmt.Errorf("%w %d: state of %d has no components %d and %d", ErrExport, tr.GetId(), n, o.XIndex, o.YIndex)
		}
		frame := int64(math.Round(float64(trackTime(ts, tr))/1e9*o.FrameRate)) + 1
		x, y := tr.GetX()[o.XIndex], tr.GetX()[o.YIndex]
		b = strconv.AppendInt(b, frame, 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, tr.GetId(), 10)
		for _, v := range [...]float64{x - o.Width/2, y - o.Height/2, o.Width, o.Height, tr.GetScore()} {
			b = append(b, ',')
			b = strconv.AppendFloat(b, v, 'g', 8, 64)
		}
		b = append(b, ",-1,-1,-1\n"...)
	}
	_, err := w.Write(b)
	return err
}

// TrackCSVWriter writes tracks as CSV with the header
//
//	t,id,status,score,x0,...,x{n-1}
//
// where n is the state dimension of the first track written; every later track must have
// the same dimension.
type TrackCSVWriter struct {
	w   *bufio.Writer
	dim int
	buf []byte
}

// NewTrackCSVWriter returns a writer to w. Call Flush when done.
func NewTrackCSVWriter(w io.Writer) *TrackCSVWriter {
	return &TrackCSVWriter{w: bufio.NewWriter(w), dim: -1}
}

// Write writes one row per track of ts; the set is written whole or not at all.
func (cw *TrackCSVWriter) Write(ts *trackpb.TrackSet) error {
	b := cw.buf[:0]
	dim := cw.dim
	for _, tr := range ts.GetTracks() {
		n, err := checkTrack(tr)
		if err != nil {
			return err
		}
		if dim < 0 {
			dim = n
			cols := []string{"t", "id", "status", "score"}
			for i := range n {
				cols = append(cols, "x"+strconv.Itoa(i))
			}
			b = append(b, strings.Join(cols, ",")...)
			b = append(b, '\n')
		}
		if n != dim {
			return fmt.Errorf("%w %d: state of %d in a file of %d", ErrExport, tr.GetId(), n, dim)
		}
		b = strconv.AppendFloat(b, float64(trackTime(ts, tr))/1e9, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendUint(b, tr.GetId(), 10)
		b = append(b, ',')
		b = append(b, StatusName(tr.GetStatus())...)
		b = append(b, ',')
		b = strconv.AppendFloat(b, tr.GetScore(), 'g', -1, 64)
		for _, v := range tr.GetX() {
			b = append(b, ',')
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
		b = append(b, '\n')
	}
	cw.buf = b
	if _, err := cw.w.Write(b); err != nil {
		return err
	}
	cw.dim = dim
	return nil
}

// Flush writes buffered rows to the underlying writer.
func (cw *TrackCSVWriter) Flush() error { return cw.w.Flush() }

// TrackJSONReader reads the JSON-lines track format that TrackJSONWriter writes (and that
// other trackers can write for side-by-side scoring), one track set per distinct time:
// consecutive lines with the same "t" form one set. Unknown keys are ignored; "P" may be
// absent. Times must not decrease.
type TrackJSONReader struct {
	lr      *lineReader
	pending *trackpb.Track
	lastT   int64
	err     error
}

// NewTrackJSONReader returns a reader of r; source names it in errors.
func NewTrackJSONReader(r io.Reader, source string) *TrackJSONReader {
	return &TrackJSONReader{lr: newLineReader(r, source), lastT: math.MinInt64}
}

type jsonTrack struct {
	T      *float64    `json:"t"`
	ID     *uint64     `json:"id"`
	Status string      `json:"status"`
	X      []float64   `json:"x"`
	P      [][]float64 `json:"P"`
}

var statusByName = map[string]trackpb.TrackStatus{
	"tentative": trackpb.TrackStatus_TRACK_STATUS_TENTATIVE,
	"confirmed": trackpb.TrackStatus_TRACK_STATUS_CONFIRMED,
	"coasting":  trackpb.TrackStatus_TRACK_STATUS_COASTING,
	"deleted":   trackpb.TrackStatus_TRACK_STATUS_DELETED,
	"":          trackpb.TrackStatus_TRACK_STATUS_CONFIRMED,
}

// Next returns the next track set, or io.EOF. Errors are *LineError values, and after one
// Next keeps returning it.
func (tr *TrackJSONReader) Next() (*trackpb.TrackSet, error) {
	if tr.err != nil {
		return nil, tr.err
	}
	ts, err := tr.next()
	if err != nil {
		tr.err = err
	}
	return ts, err
}

func (tr *TrackJSONReader) next() (*trackpb.TrackSet, error) {
	var ts *trackpb.TrackSet
	if tr.pending != nil {
		ts = &trackpb.TrackSet{TimeNs: tr.pending.GetTimeNs(), Tracks: []*trackpb.Track{tr.pending}}
		tr.pending = nil
	}
	for {
		line, err := tr.lr.next()
		if err == io.EOF {
			if ts == nil {
				return nil, io.EOF
			}
			return ts, nil
		}
		if err != nil {
			return nil, err
		}
		t, err := tr.parse(line)
		if err != nil {
			return nil, err
		}
		if t.GetTimeNs() < tr.lastT {
			return nil, tr.lr.errorf(ErrOutOfOrder, "track at t=%v s after t=%v s", float64(t.GetTimeNs())/1e9, float64(tr.lastT)/1e9)
		}
		tr.lastT = t.GetTimeNs()
		if ts != nil && t.GetTimeNs() != ts.GetTimeNs() {
			tr.pending = t
			return ts, nil
		}
		if ts == nil {
			ts = &trackpb.TrackSet{TimeNs: t.GetTimeNs()}
		}
		ts.Tracks = append(ts.Tracks, t)
	}
}

func (tr *TrackJSONReader) parse(line []byte) (*trackpb.Track, error) {
	var jt jsonTrack
	if err := json.Unmarshal(line, &jt); err != nil {
		return nil, tr.lr.errorf(ErrSyntax, "%v", err)
	}
	if jt.T == nil || jt.ID == nil {
		return nil, tr.lr.errorf(ErrSyntax, `a track needs "t" and "id"`)
	}
	if !isFinite(*jt.T) || !allFinite(jt.X) || len(jt.X) == 0 {
		return nil, tr.lr.errorf(ErrInvalid, "track %d: t %v, x %v", *jt.ID, *jt.T, jt.X)
	}
	st, ok := statusByName[jt.Status]
	if !ok {
		return nil, tr.lr.errorf(ErrInvalid, "track %d: unknown status %q", *jt.ID, jt.Status)
	}
	t := &trackpb.Track{Id: *jt.ID, Status: st, TimeNs: secondsToNanos(*jt.T), X: jt.X}
	if jt.P != nil {
		p, err := flattenCov(jt.P, len(jt.X))
		if err != nil {
			return nil, tr.lr.errorf(ErrInvalid, "track %d: P: %v", *jt.ID, err)
		}
		t.P = p
	}
	return t, nil
}
