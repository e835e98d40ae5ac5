package replay

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/trackcorr/trackcorr/trackpb"
)

// CSVReader reads detections from the project's documented CSV format. The first line is
// a header naming the columns, in any order:
//
//	t          time in seconds (required)
//	sensor     sensor ID, a non-negative integer (required)
//	x, y       position in metres (required)
//	z          height in metres (optional: present means 3-D detections)
//	sigma_x, sigma_y[, sigma_z]           standard deviations in metres, uncorrelated, or
//	rxx, rxy, ryy[, rxz, ryz, rzz]        the covariance's upper triangle in m²
//	truth_id   ground-truth identity, empty for clutter (optional)
//	confidence detector confidence (optional)
//	class      class label (optional)
//
// Unknown columns are ignored. Consecutive rows with the same t and sensor form one scan;
// t must not decrease. Detections get IDs 1, 2, 3, ... in file order.
type CSVReader struct {
	r       *csv.Reader
	source  string
	cols    map[string]int
	dim     int
	nextID  uint64
	line    int
	pending []string
	lastT   int64
	seq     map[uint32]uint64
	err     error
}

// NewCSVReader reads the header of r and returns a reader for its rows.
func NewCSVReader(r io.Reader, source string) (*CSVReader, error) {
	cr := &CSVReader{r: csv.NewReader(r), source: source, nextID: 1, lastT: math.MinInt64, seq: map[uint32]uint64{}}
	cr.r.FieldsPerRecord = -1
	cr.r.TrimLeadingSpace = true
	head, err := cr.read()
	if err != nil {
		if err == io.EOF {
			return nil, &LineError{Source: source, Line: 1, Err: errorf(ErrSyntax, "no header line")}
		}
		return nil, err
	}
	cr.cols = make(map[string]int, len(head))
	for i, h := range head {
		cr.cols[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, c := range []string{"t", "sensor", "x", "y"} {
		if _, ok := cr.cols[c]; !ok {
			return nil, cr.errorf(ErrSyntax, "header has no %q column", c)
		}
	}
	cr.dim = 2
	if _, ok := cr.cols["z"]; ok {
		cr.dim = 3
	}
	need := [][]string{{"sigma_x", "sigma_y", "sigma_z"}, {"rxx", "rxy", "ryy", "rxz", "ryz", "rzz"}}
	if !cr.has(need[0][:cr.dim]) && !cr.has(need[1][:3*(cr.dim-1)]) {
		return nil, cr.errorf(ErrSyntax, "header needs sigma_x, sigma_y (, sigma_z) or rxx, rxy, ryy (, rxz, ryz, rzz)")
	}
	return cr, nil
}

func (cr *CSVReader) has(names []string) bool {
	for _, n := range names {
		if _, ok := cr.cols[n]; !ok {
			return false
		}
	}
	return true
}

func (cr *CSVReader) read() ([]string, error) {
	rec, err := cr.r.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			cr.line = pe.Line
		}
		return nil, cr.errorf(ErrSyntax, "%v", err)
	}
	cr.line, _ = cr.r.FieldPos(0)
	return rec, nil
}

func (cr *CSVReader) errorf(sentinel error, format string, args ...any) error {
	return &LineError{Source: cr.source, Line: cr.line, Err: errorf(sentinel, format, args...)}
}

// field returns the value of column name in rec, and whether it is present and non-empty.
func (cr *CSVReader) field(rec []string, name string) (string, bool) {
	i, ok := cr.cols[name]
	if !ok || i >= len(rec) {
		return "", false
	}
	v := strings.TrimSpace(rec[i])
	return v, v != ""
}

func (cr *CSVReader) number(rec []string, name string) (float64, error) {
	s, ok := cr.field(rec, name)
	if !ok {
		return 0, cr.errorf(ErrSyntax, "column %q is empty", name)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, cr.errorf(ErrSyntax, "column %q: %v", name, err)
	}
	if !isFinite(v) {
		return 0, cr.errorf(ErrInvalid, "column %q is %v", name, v)
	}
	return v, nil
}

// Next returns the next scan, or io.EOF. Errors are *LineError values, and after one Next
// keeps returning it.
func (cr *CSVReader) Next() (*trackpb.Scan, error) {
	if cr.err != nil {
		return nil, cr.err
	}
	s, err := cr.next()
	if err != nil {
		cr.err = err
	}
	return s, err
}

func (cr *CSVReader) next() (*trackpb.Scan, error) {
	rec := cr.pending
	cr.pending = nil
	if rec == nil {
		var err error
		if rec, err = cr.read(); err != nil {
			return nil, err
		}
	}
	var scan *trackpb.Scan
	for {
		t, sensor, d, err := cr.detection(rec)
		if err != nil {
			return nil, err
		}
		if scan == nil {
			if t < cr.lastT {
				return nil, cr.errorf(ErrOutOfOrder, "t=%v s after t=%v s", float64(t)/1e9, float64(cr.lastT)/1e9)
			}
			scan = &trackpb.Scan{SensorId: sensor, TimeNs: t, Sequence: cr.seq[sensor]}
		}
		scan.Detections = append(scan.Detections, d)
		rec, err = cr.read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		t2, s2, err := cr.key(rec)
		if err != nil {
			return nil, err
		}
		if t2 != t || s2 != sensor {
			cr.pending = rec
			break
		}
	}
	cr.lastT = scan.TimeNs
	cr.seq[scan.SensorId]++
	return scan, nil
}

func (cr *CSVReader) key(rec []string) (int64, uint32, error) {
	t, err := cr.number(rec, "t")
	if err != nil {
		return 0, 0, err
	}
	s, err := cr.number(rec, "sensor")
	if err != nil {
		return 0, 0, err
	}
	if s < 0 || s > math.MaxUint32 || s != math.Trunc(s) {
		return 0, 0, cr.errorf(ErrInvalid, "sensor %v is not a non-negative integer", s)
	}
	return secondsToNanos(t), uint32(s), nil
}

func (cr *CSVReader) detection(rec []string) (int64, uint32, *trackpb.Detection, error) {
	t, sensor, err := cr.key(rec)
	if err != nil {
		return 0, 0, nil, err
	}
	m := cr.dim
	d := &trackpb.Detection{Id: cr.nextID, SensorId: sensor, TimeNs: t, Z: make([]float64, m), R: make([]float64, m*m)}
	d.Kind = trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D
	if m == 3 {
		d.Kind = trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_3D
	}
	for i, c := range []string{"x", "y", "z"}[:m] {
		if d.Z[i], err = cr.number(rec, c); err != nil {
			return 0, 0, nil, err
		}
	}
	if _, ok := cr.field(rec, "rxx"); ok {
		names := [][]string{{"rxx", "rxy", "rxz"}, {"rxy", "ryy", "ryz"}, {"rxz", "ryz", "rzz"}}
		for i := range m {
			for j := range m {
				if d.R[i*m+j], err = cr.number(rec, names[i][j]); err != nil {
					return 0, 0, nil, err
				}
			}
		}
	} else {
		for i, c := range []string{"sigma_x", "sigma_y", "sigma_z"}[:m] {
			s, err := cr.number(rec, c)
			if err != nil {
				return 0, 0, nil, err
			}
			d.R[i*m+i] = s * s
		}
	}
	for i := range m {
		if !(d.R[i*m+i] > 0) {
			return 0, 0, nil, cr.errorf(ErrInvalid, "variance %d is %v, want > 0", i, d.R[i*m+i])
		}
	}
	if s, ok := cr.field(rec, "truth_id"); ok {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, 0, nil, cr.errorf(ErrSyntax, "truth_id: %v", err)
		}
		d.TruthId = &id
	}
	if _, ok := cr.field(rec, "confidence"); ok {
		c, err := cr.number(rec, "confidence")
		if err != nil {
			return 0, 0, nil, err
		}
		d.Confidence = &c
	}
	if s, ok := cr.field(rec, "class"); ok {
		d.Class = s
	}
	cr.nextID++
	return t, sensor, d, nil
}
