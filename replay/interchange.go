package replay

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/trackcorr/trackcorr/trackpb"
)

// Import errors. They are wrapped in a *LineError that names the input and line; test
// them with errors.Is.
var (
	// ErrSyntax means a line is not valid for its format.
	ErrSyntax = errors.New("replay: syntax error")
	// ErrInvalid means a line parses but holds a value that is not allowed: a non-finite
	// number, a covariance of the wrong size or not symmetric, a negative frame number.
	ErrInvalid = errors.New("replay: invalid value")
	// ErrOutOfOrder means time goes backwards between lines of a stream that must be in
	// time order.
	ErrOutOfOrder = errors.New("replay: time goes backwards")
)

// LineError locates an import error.
type LineError struct {
	// Source names the input (a file name, or a description given by the caller).
	Source string
	// Line is the 1-based line number.
	Line int
	// Err wraps ErrSyntax, ErrInvalid or ErrOutOfOrder.
	Err error
}

// Error implements error.
func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.Source, e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *LineError) Unwrap() error { return e.Err }

// maxLine bounds one input line: 64 MiB.
const maxLine = 64 << 20

// lineReader reads lines with their numbers.
type lineReader struct {
	sc     *bufio.Scanner
	source string
	line   int
}

func newLineReader(r io.Reader, source string) *lineReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	return &lineReader{sc: sc, source: source}
}

// next returns the next non-blank line, or io.EOF.
func (l *lineReader) next() ([]byte, error) {
	for l.sc.Scan() {
		l.line++
		b := l.sc.Bytes()
		if len(trimSpace(b)) > 0 {
			return b, nil
		}
	}
	if err := l.sc.Err(); err != nil {
		return nil, &LineError{Source: l.source, Line: l.line + 1, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
	}
	return nil, io.EOF
}

func (l *lineReader) errorf(sentinel error, format string, args ...any) error {
	return &LineError{Source: l.source, Line: l.line, Err: errorf(sentinel, format, args...)}
}

// errorf wraps sentinel with a formatted explanation.
func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// secondsToNanos converts a time in seconds to nanoseconds, rounding to the nearest.
func secondsToNanos(t float64) int64 { return int64(math.Round(t * 1e9)) }

// The JSON-lines interchange format (described in the shared data README): one scan per
// line in the detections file, one truth frame per line in the truth file.

type jsonScan struct {
	T          *float64        `json:"t"`
	Sensor     *int64          `json:"sensor"`
	Detections []jsonDetection `json:"detections"`
}

type jsonDetection struct {
	Z       []float64   `json:"z"`
	R       [][]float64 `json:"R"`
	TruthID *int64      `json:"truth_id"`
}

type jsonTruth struct {
	T     *float64 `json:"t"`
	Truth []struct {
		ID int64     `json:"id"`
		X  []float64 `json:"x"`
	} `json:"truth"`
}

// InterchangeReader reads the detections file of the JSON-lines interchange format, one
// scan per line. Detections get IDs 1, 2, 3, ... in file order. Unknown keys are
// ignored. Lines must be in time order.
type InterchangeReader struct {
	lr     *lineReader
	nextID uint64
	lastT  int64
	seq    map[uint32]uint64
}

// NewInterchangeReader returns a reader of the detections file r; source names it in
// errors.
func NewInterchangeReader(r io.Reader, source string) *InterchangeReader {
	return &InterchangeReader{lr: newLineReader(r, source), nextID: 1, lastT: math.MinInt64, seq: map[uint32]uint64{}}
}

// Next returns the next scan, or io.EOF. Errors are *LineError values.
func (ir *InterchangeReader) Next() (*trackpb.Scan, error) {
	line, err := ir.lr.next()
	if err != nil {
		return nil, err
	}
	var js jsonScan
	if err := json.Unmarshal(line, &js); err != nil {
		return nil, ir.lr.errorf(ErrSyntax, "%v", err)
	}
	if js.T == nil || js.Sensor == nil {
		return nil, ir.lr.errorf(ErrSyntax, `a scan needs "t" and "sensor"`)
	}
	if !isFinite(*js.T) {
		return nil, ir.lr.errorf(ErrInvalid, "time %v", *js.T)
	}
	if *js.Sensor < 0 || *js.Sensor > math.MaxUint32 {
		return nil, ir.lr.errorf(ErrInvalid, "sensor %d", *js.Sensor)
	}
	t := secondsToNanos(*js.T)
	if t < ir.lastT {
		return nil, ir.lr.errorf(ErrOutOfOrder, "scan at t=%v s after t=%v s", *js.T, float64(ir.lastT)/1e9)
	}
	sensor := uint32(*js.Sensor)
	scan := &trackpb.Scan{SensorId: sensor, TimeNs: t, Sequence: ir.seq[sensor],
		Detections: make([]*trackpb.Detection, 0, len(js.Detections))}
	for i, d := range js.Detections {
		m := len(d.Z)
		if m == 0 || m > 3 {
			return nil, ir.lr.errorf(ErrInvalid, "detection %d: z has %d components, want 1 to 3", i, m)
		}
		if !allFinite(d.Z) {
			return nil, ir.lr.errorf(ErrInvalid, "detection %d: z %v is not finite", i, d.Z)
		}
		r, err := flattenCov(d.R, m)
		if err != nil {
			return nil, ir.lr.errorf(ErrInvalid, "detection %d: R: %v", i, err)
		}
		kind := trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D
		if m == 3 {
			kind = trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_3D
		}
		scan.Detections = append(scan.Detections, &trackpb.Detection{
			Id: ir.nextID + uint64(i), SensorId: sensor, TimeNs: t, Kind: kind,
			Z: append([]float64(nil), d.Z...), R: r, TruthId: d.TruthID,
		})
	}
	// Commit only once the whole line is valid.
	ir.nextID += uint64(len(js.Detections))
	ir.lastT = t
	ir.seq[sensor]++
	return scan, nil
}

// InterchangeTruthReader reads the truth file of the JSON-lines interchange format, one
// frame per line, states [x, vx, y, vy] in metres and metres per second.
type InterchangeTruthReader struct {
	lr    *lineReader
	lastT int64
}

// NewInterchangeTruthReader returns a reader of the truth file r; source names it in
// errors.
func NewInterchangeTruthReader(r io.Reader, source string) *InterchangeTruthReader {
	return &InterchangeTruthReader{lr: newLineReader(r, source), lastT: math.MinInt64}
}

// Next returns the next truth frame, or io.EOF. Errors are *LineError values.
func (tr *InterchangeTruthReader) Next() (*trackpb.TruthFrame, error) {
	line, err := tr.lr.next()
	if err != nil {
		return nil, err
	}
	var jt jsonTruth
	if err := json.Unmarshal(line, &jt); err != nil {
		return nil, tr.lr.errorf(ErrSyntax, "%v", err)
	}
	if jt.T == nil {
		return nil, tr.lr.errorf(ErrSyntax, `a truth frame needs "t"`)
	}
	if !isFinite(*jt.T) {
		return nil, tr.lr.errorf(ErrInvalid, "time %v", *jt.T)
	}
	t := secondsToNanos(*jt.T)
	if t < tr.lastT {
		return nil, tr.lr.errorf(ErrOutOfOrder, "truth at t=%v s after t=%v s", *jt.T, float64(tr.lastT)/1e9)
	}
	f := &trackpb.TruthFrame{TimeNs: t, Objects: make([]*trackpb.TruthObject, 0, len(jt.Truth))}
	for _, o := range jt.Truth {
		if len(o.X) != 4 || !allFinite(o.X) {
			return nil, tr.lr.errorf(ErrInvalid, "truth %d: x %v is not 4 finite numbers", o.ID, o.X)
		}
		f.Objects = append(f.Objects, &trackpb.TruthObject{Id: o.ID, Motion: trackpb.MotionModel_MOTION_MODEL_CV2, X: append([]float64(nil), o.X...)})
	}
	tr.lastT = t
	return f, nil
}

// InterchangeMeta is the part of a scenario's meta file that a recording header needs.
// Unknown keys are ignored.
type InterchangeMeta struct {
	Targets               int           `json:"targets"`
	Scans                 int           `json:"scans"`
	Dt                    float64       `json:"dt"`
	Sensors               int           `json:"sensors"`
	Q                     float64       `json:"q"`
	Pd                    float64       `json:"pd"`
	ClutterPerScan        float64       `json:"clutter_per_scan"`
	ClutterSpatialDensity float64       `json:"clutter_spatial_density"`
	Side                  float64       `json:"side_m"`
	Seed                  int64         `json:"seed"`
	R                     [][][]float64 `json:"R"`
}

// ReadInterchangeMeta decodes a scenario's meta file.
func ReadInterchangeMeta(r io.Reader) (InterchangeMeta, error) {
	var m InterchangeMeta
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return InterchangeMeta{}, fmt.Errorf("%w: meta: %v", ErrSyntax, err)
	}
	return m, nil
}

// Header returns a recording header for the scenario: a local frame, one position sensor
// per entry of R with the scenario's detection probability and clutter density, and the
// scenario parameters as metadata.
func (m InterchangeMeta) Header(name string) (*trackpb.Header, error) {
	h := &trackpb.Header{
		Frame: trackpb.FrameKind_FRAME_KIND_LOCAL,
		Metadata: map[string]string{
			"scenario":  name,
			"format":    "interchange-jsonl",
			"time_base": "scenario",
			"targets":   strconv.Itoa(m.Targets),
			"scans":     strconv.Itoa(m.Scans),
			"dt_s":      strconv.FormatFloat(m.Dt, 'g', -1, 64),
			"q":         strconv.FormatFloat(m.Q, 'g', -1, 64),
			"seed":      strconv.FormatInt(m.Seed, 10),
		},
	}
	for i, r := range m.R {
		flat, err := flattenCov(r, 2)
		if err != nil {
			return nil, fmt.Errorf("%w: meta: sensor %d: R: %v", ErrInvalid, i, err)
		}
		h.Sensors = append(h.Sensors, &trackpb.Sensor{
			Id: uint32(i), Name: fmt.Sprintf("sensor-%d", i), Kind: trackpb.SensorKind_SENSOR_KIND_SIMULATED,
			Measurement:          trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D,
			Pose:                 &trackpb.Sensor_Local{Local: &trackpb.LocalPose{}},
			DetectionProbability: m.Pd, FalseAlarmDensity: m.ClutterSpatialDensity, R: flat,
		})
	}
	return h, nil
}

// ImportInterchange writes a recording of an interchange scenario: the header built from
// meta, then the scans of dets and the truth frames of truth (which may be nil) merged in
// time order, a truth frame before the scans of the same time. It returns the number of
// scans and truth frames written. On error, what was written before it is a valid
// recording prefix.
func ImportInterchange(w io.Writer, name string, meta InterchangeMeta, dets, truth io.Reader) (scans, frames int, err error) {
	h, err := meta.Header(name)
	if err != nil {
		return 0, 0, err
	}
	rw, err := NewWriter(w, h)
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if ferr := rw.Flush(); err == nil {
			err = ferr
		}
	}()
	dr := NewInterchangeReader(dets, name+"_detections.jsonl")
	scan, derr := dr.Next()
	var tr *InterchangeTruthReader
	var frame *trackpb.TruthFrame
	terr := io.EOF
	if truth != nil {
		tr = NewInterchangeTruthReader(truth, name+"_truth.jsonl")
		frame, terr = tr.Next()
	}
	for {
		if derr != nil && derr != io.EOF {
			return scans, frames, derr
		}
		if terr != nil && terr != io.EOF {
			return scans, frames, terr
		}
		if derr == io.EOF && terr == io.EOF {
			return scans, frames, nil
		}
		if terr == nil && (derr == io.EOF || frame.GetTimeNs() <= scan.GetTimeNs()) {
			if err := rw.WriteTruth(frame); err != nil {
				return scans, frames, err
			}
			frames++
			frame, terr = tr.Next()
			continue
		}
		if err := rw.WriteScan(scan); err != nil {
			return scans, frames, err
		}
		scans++
		scan, derr = dr.Next()
	}
}

// flattenCov checks that c is an m×m finite symmetric matrix with positive variances and
// returns it row-major. Symmetry is checked to a relative tolerance of 1e-9 (the
// interchange files round their covariances) and then made exact by averaging the two
// off-diagonal entries. Positive definiteness is the filter's to check.
func flattenCov(c [][]float64, m int) ([]float64, error) {
	if len(c) != m {
		return nil, fmt.Errorf("%d rows, want %d", len(c), m)
	}
	out := make([]float64, 0, m*m)
	for i, row := range c {
		if len(row) != m {
			return nil, fmt.Errorf("row %d has %d columns, want %d", i, len(row), m)
		}
		if !allFinite(row) {
			return nil, fmt.Errorf("row %d %v is not finite", i, row)
		}
		out = append(out, row...)
	}
	for i := range m {
		if !(out[i*m+i] > 0) {
			return nil, fmt.Errorf("variance %d is %v, want > 0", i, out[i*m+i])
		}
		for j := range i {
			a, b := out[i*m+j], out[j*m+i]
			if math.Abs(a-b) > 1e-9*math.Max(math.Abs(a), math.Abs(b))+1e-300 {
				return nil, fmt.Errorf("not symmetric: [%d][%d]=%v, [%d][%d]=%v", i, j, a, j, i, b)
			}
			// Symmetrise exactly: (a+b)/2 on both sides.
			out[i*m+j] = 0.5 * (a + b)
			out[j*m+i] = out[i*m+j]
		}
	}
	return out, nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func allFinite(v []float64) bool {
	for _, x := range v {
		if !isFinite(x) {
			return false
		}
	}
	return true
}
