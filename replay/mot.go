package replay

import (
	"bytes"
	"io"
	"math"
	"strconv"

	"github.com/trackcorr/trackcorr/trackpb"
)

// MOTOptions configures the MOTChallenge importers.
type MOTOptions struct {
	// FrameRate is the sequence's frame rate in frames per second; frame f (1-based) is at
	// time (f-1)/FrameRate seconds. Required: it must be positive and finite.
	FrameRate float64
	// SensorID is the sensor ID given to the scans.
	SensorID uint32
	// Boxes imports each detection as a box, z = [left, top, width, height] in pixels.
	// Otherwise a detection is its box centre, z = [x, y] in pixels (x right, y down).
	Boxes bool
	// NoiseFraction sets the measurement noise: the standard deviation of each component is
	// NoiseFraction times the box width (for x, left and width) or height (for y, top and
	// height), and components are uncorrelated. Zero means 0.1.
	NoiseFraction float64
	// MinConfidence drops detections whose confidence is below it. Zero keeps every one.
	MinConfidence float64
}

func (o MOTOptions) noise() float64 {
	if o.NoiseFraction > 0 {
		return o.NoiseFraction
	}
	return 0.1
}

// MOTReader reads a MOTChallenge detection file (det.txt), one scan per frame:
//
//	frame, id, bb_left, bb_top, bb_width, bb_height, confidence, x, y, z
//
// Frames must not decrease; frames with no detection yield no scan. Detections get IDs
// 1, 2, 3, ... in file order.
type MOTReader struct {
	lr      *lineReader
	o       MOTOptions
	nextID  uint64
	seq     uint64
	pending *motRow // the first row of the next frame
	err     error
	fields  [][]byte
}

type motRow struct {
	frame          int64
	id             int64
	l, t, w, h, cf float64
	class, vis     float64
}

// NewMOTReader returns a reader of the det.txt file r; source names it in errors. An
// invalid FrameRate is reported by the first call to Next.
func NewMOTReader(r io.Reader, source string, o MOTOptions) *MOTReader {
	return &MOTReader{lr: newLineReader(r, source), o: o, nextID: 1}
}

// Next returns the next frame's scan, or io.EOF. Errors are *LineError values, and
// after one Next keeps returning it.
func (mr *MOTReader) Next() (*trackpb.Scan, error) {
	if mr.err != nil {
		return nil, mr.err
	}
	scan, err := mr.next()
	if err != nil {
		mr.err = err
	}
	return scan, err
}

func (mr *MOTReader) next() (*trackpb.Scan, error) {
	if !(mr.o.FrameRate > 0) || math.IsInf(mr.o.FrameRate, 0) {
		return nil, &LineError{Source: mr.lr.source, Err: errorf(ErrInvalid, "frame rate %v", mr.o.FrameRate)}
	}
	for {
		row := mr.pending
		mr.pending = nil
		if row == nil {
			var err error
			row, err = mr.readRow()
			if err != nil {
				return nil, err
			}
		}
		scan := &trackpb.Scan{SensorId: mr.o.SensorID, TimeNs: mr.frameTime(row.frame)}
		for {
			mr.add(scan, row)
			next, err := mr.readRow()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if next.frame < row.frame {
				return nil, mr.lr.errorf(ErrOutOfOrder, "frame %d after frame %d", next.frame, row.frame)
			}
			if next.frame != row.frame {
				mr.pending = next
				break
			}
			row = next
		}
		if len(scan.Detections) == 0 {
			if mr.pending == nil {
				return nil, io.EOF
			}
			continue // every detection of the frame was below MinConfidence
		}
		scan.Sequence = mr.seq
		mr.seq++
		return scan, nil
	}
}

func (mr *MOTReader) frameTime(frame int64) int64 {
	return secondsToNanos(float64(frame-1) / mr.o.FrameRate)
}

func (mr *MOTReader) add(scan *trackpb.Scan, r *motRow) {
	if r.cf < mr.o.MinConfidence {
		return
	}
	f := mr.o.noise()
	sx, sy := f*r.w, f*r.h
	d := &trackpb.Detection{Id: mr.nextID, SensorId: mr.o.SensorID, TimeNs: scan.TimeNs}
	mr.nextID++
	conf := r.cf
	d.Confidence = &conf
	if mr.o.Boxes {
		d.Kind = trackpb.MeasurementKind_MEASUREMENT_KIND_BOX
		d.Z = []float64{r.l, r.t, r.w, r.h}
		d.R = []float64{
			sx * sx, 0, 0, 0,
			0, sy * sy, 0, 0,
			0, 0, sx * sx, 0,
			0, 0, 0, sy * sy,
		}
	} else {
		d.Kind = trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D
		d.Z = []float64{r.l + r.w/2, r.t + r.h/2}
		d.R = []float64{sx * sx, 0, 0, sy * sy}
	}
	scan.Detections = append(scan.Detections, d)
}

// readRow parses the next line: at least the first seven fields of the MOTChallenge
// format; the class and visibility of gt.txt files are read when present.
func (mr *MOTReader) readRow() (*motRow, error) {
	line, err := mr.lr.next()
	if err != nil {
		return nil, err
	}
	return parseMOTRow(mr.lr, line, &mr.fields)
}

func parseMOTRow(lr *lineReader, line []byte, fields *[][]byte) (*motRow, error) {
	f := splitComma((*fields)[:0], line)
	*fields = f
	if len(f) < 7 {
		return nil, lr.errorf(ErrSyntax, "%d fields, want at least 7", len(f))
	}
	var v [9]float64
	for i := 0; i < len(f) && i < 9; i++ {
		x, err := strconv.ParseFloat(string(trimSpace(f[i])), 64)
		if err != nil {
			return nil, lr.errorf(ErrSyntax, "field %d: %v", i+1, err)
		}
		if !isFinite(x) {
			return nil, lr.errorf(ErrInvalid, "field %d is %v", i+1, x)
		}
		v[i] = x
	}
	r := &motRow{frame: int64(v[0]), id: int64(v[1]), l: v[2], t: v[3], w: v[4], h: v[5], cf: v[6], class: -1, vis: -1}
	if float64(r.frame) != v[0] || r.frame < 1 || v[0] > 1e12 {
		return nil, lr.errorf(ErrInvalid, "frame %v is not a positive whole number", v[0])
	}
	if !(r.w > 0) || !(r.h > 0) {
		return nil, lr.errorf(ErrInvalid, "box %vx%v is empty", r.w, r.h)
	}
	if len(f) >= 9 {
		r.class, r.vis = v[7], v[8]
	}
	return r, nil
}

func splitComma(dst [][]byte, line []byte) [][]byte {
	for {
		i := bytes.IndexByte(line, ',')
		if i < 0 {
			return append(dst, line)
		}
		dst = append(dst, line[:i])
		line = line[i+1:]
	}
}

// MOTTruthReader reads a MOTChallenge ground-truth file (gt.txt), one truth frame per
// frame:
//
//	frame, id, bb_left, bb_top, bb_width, bb_height, consider, class, visibility
//
// Entries whose "consider" flag is 0 are skipped, as the MOTChallenge evaluation ignores
// them. Each object's state is its box centre [x, y] in pixels, or the box
// [left, top, width, height] with MOTOptions.Boxes.
type MOTTruthReader struct {
	lr      *lineReader
	o       MOTOptions
	pending *motRow
	fields  [][]byte
}

// NewMOTTruthReader returns a reader of the gt.txt file r.
func NewMOTTruthReader(r io.Reader, source string, o MOTOptions) *MOTTruthReader {
	return &MOTTruthReader{lr: newLineReader(r, source), o: o}
}

// Next returns the next truth frame, or io.EOF.
func (tr *MOTTruthReader) Next() (*trackpb.TruthFrame, error) {
	if !(tr.o.FrameRate > 0) || math.IsInf(tr.o.FrameRate, 0) {
		return nil, &LineError{Source: tr.lr.source, Err: errorf(ErrInvalid, "frame rate %v", tr.o.FrameRate)}
	}
	row := tr.pending
	tr.pending = nil
	if row == nil {
		line, err := tr.lr.next()
		if err != nil {
			return nil, err
		}
		if row, err = parseMOTRow(tr.lr, line, &tr.fields); err != nil {
			return nil, err
		}
	}
	f := &trackpb.TruthFrame{TimeNs: secondsToNanos(float64(row.frame-1) / tr.o.FrameRate)}
	for {
		if row.cf != 0 {
			o := &trackpb.TruthObject{Id: row.id}
			if tr.o.Boxes {
				o.X = []float64{row.l, row.t, row.w, row.h}
			} else {
				o.X = []float64{row.l + row.w/2, row.t + row.h/2}
			}
			f.Objects = append(f.Objects, o)
		}
		line, err := tr.lr.next()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return nil, err
		}
		next, err := parseMOTRow(tr.lr, line, &tr.fields)
		if err != nil {
			return nil, err
		}
		if next.frame < row.frame {
			return nil, tr.lr.errorf(ErrOutOfOrder, "frame %d after frame %d", next.frame, row.frame)
		}
		if next.frame != row.frame {
			tr.pending = next
			return f, nil
		}
		row = next
	}
}
