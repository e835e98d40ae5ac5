package replay

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/trackcorr/trackcorr/trackpb"
)

// Magic is the first 8 bytes of every recording file.
const Magic = "TRKCREC1"

// FormatVersion is the recording format version this package writes and reads.
const FormatVersion = 1

// DefaultMaxRecordSize is the largest envelope a Reader accepts unless configured
// otherwise: 64 MiB. A corrupt length prefix can therefore never make the reader
// allocate more than this.
const DefaultMaxRecordSize = 64 << 20

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Errors returned by Reader. They are wrapped in a *CorruptError that carries the byte
// offset; test them with errors.Is.
var (
	// ErrBadMagic means the input does not start with Magic: it is not a recording.
	ErrBadMagic = errors.New("replay: not a trackcorr recording (bad magic)")
	// ErrTruncated means the input ends inside a record.
	ErrTruncated = errors.New("replay: recording truncated")
	// ErrChecksum means a record's CRC-32C does not match its bytes.
	ErrChecksum = errors.New("replay: record checksum mismatch")
	// ErrMalformed means a record's bytes are not a valid envelope, header or record, or
	// its length is over the configured maximum.
	ErrMalformed = errors.New("replay: malformed record")
	// ErrVersion means the header names a format version this package does not read.
	ErrVersion = errors.New("replay: unsupported recording format version")
)

// CorruptError reports where a recording stopped being readable. Every record before
// Offset was read intact.
type CorruptError struct {
	// Offset is the byte offset of the start of the damaged record (or of the magic).
	Offset int64
	// Record is the index of the damaged record: 0 is the header, 1 the first record.
	Record int
	// Err is one of ErrBadMagic, ErrTruncated, ErrChecksum, ErrMalformed, ErrVersion,
	// possibly wrapping the decoder's error.
	Err error
}

// Error implements error.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("record %d at byte offset %d: %v", e.Record, e.Offset, e.Err)
}

// Unwrap returns the underlying error, so that errors.Is finds the sentinels.
func (e *CorruptError) Unwrap() error { return e.Err }

// Writer writes a recording: Magic, the header, then records, each in a CRC-checked
// envelope. It holds one record at a time in memory. A Writer is not safe for concurrent
// use.
//
// Writes are buffered; Flush (or Close) hands them to the underlying writer. Every record
// is written whole to the buffer before the next begins, so a writer interrupted at any
// point leaves a file whose intact prefix reads back, and whose damaged tail a Reader
// reports as ErrTruncated.
type Writer struct {
	bw      *bufio.Writer
	payload []byte
	frame   []byte
	opts    proto.MarshalOptions
	err     error
	records int
}

// NewWriter writes Magic and the header to w and returns a Writer for the records. The
// header's FormatVersion is set to FormatVersion when it is zero; any other version is
// an error. The header is not modified.
func NewWriter(w io.Writer, h *trackpb.Header) (*Writer, error) {
	if h == nil {
		h = &trackpb.Header{}
	}
	if v := h.GetFormatVersion(); v != 0 && v != FormatVersion {
		return nil, fmt.Errorf("%w: header asks for version %d, this package writes %d", ErrVersion, v, FormatVersion)
	}
	rw := &Writer{bw: bufio.NewWriterSize(w, 64<<10), opts: proto.MarshalOptions{Deterministic: true}}
	if _, err := rw.bw.WriteString(Magic); err != nil {
		return nil, err
	}
	if h.GetFormatVersion() == 0 {
		h = proto.CloneOf(h)
		h.FormatVersion = FormatVersion
	}
	if err := rw.write(h); err != nil {
		return nil, err
	}
	return rw, nil
}

// Write appends one record.
func (w *Writer) Write(r *trackpb.Record) error { return w.write(r) }

// WriteScan appends a record holding the scan.
func (w *Writer) WriteScan(s *trackpb.Scan) error {
	return w.write(&trackpb.Record{Body: &trackpb.Record_Scan{Scan: s}})
}

// WriteTracks appends a record holding the track set.
func (w *Writer) WriteTracks(t *trackpb.TrackSet) error {
	return w.write(&trackpb.Record{Body: &trackpb.Record_Tracks{Tracks: t}})
}

// WriteTruth appends a record holding the truth frame.
func (w *Writer) WriteTruth(t *trackpb.TruthFrame) error {
	return w.write(&trackpb.Record{Body: &trackpb.Record_Truth{Truth: t}})
}

// Records returns how many records (not counting the header) were written.
func (w *Writer) Records() int { return w.records - 1 }

func (w *Writer) write(m proto.Message) error {
	if w.err != nil {
		return w.err
	}
	var err error
	w.payload, err = w.opts.MarshalAppend(w.payload[:0], m)
	if err != nil {
		return err
	}
	// The envelope, encoded by hand: field 1 bytes, field 2 fixed32. It is exactly what
	// proto.Marshal would produce for trackpb.Envelope, without a second copy of the payload
	// into a message.
	n := protowire.SizeTag(1) + protowire.SizeBytes(len(w.payload)) + protowire.SizeTag(2) + protowire.SizeFixed32()
	f := protowire.AppendVarint(w.frame[:0], uint64(n))
	f = protowire.AppendTag(f, 1, protowire.BytesType)
	f = protowire.AppendBytes(f, w.payload)
	f = protowire.AppendTag(f, 2, protowire.Fixed32Type)
	f = protowire.AppendFixed32(f, crc32.Checksum(w.payload, castagnoli))
	w.frame = f
	if _, err := w.bw.Write(f); err != nil {
		w.err = err
		return err
	}
	w.records++
	return nil
}

// Flush writes buffered records to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = err
	}
	return w.err
}

// Close flushes the writer. It does not close the underlying writer.
func (w *Writer) Close() error { return w.Flush() }

// ReaderOptions configures a Reader. The zero value is ready to use.
type ReaderOptions struct {
	// MaxRecordSize bounds one envelope's size in bytes; 0 means DefaultMaxRecordSize.
	MaxRecordSize int
}

// Reader reads a recording written by Writer, one record at a time. A Reader is not safe
// for concurrent use.
type Reader struct {
	cr      *countingReader
	br      *bufio.Reader
	header  *trackpb.Header
	rec     trackpb.Record
	maxSize int
	scratch []byte
	index   int
	err     error
}

// NewReader reads the magic and the header from r. Errors are *CorruptError values
// wrapping ErrBadMagic, ErrTruncated, ErrChecksum, ErrMalformed or ErrVersion.
func NewReader(r io.Reader, o ReaderOptions) (*Reader, error) {
	max := o.MaxRecordSize
	if max <= 0 {
		max = DefaultMaxRecordSize
	}
	cr := &countingReader{r: r}
	rd := &Reader{cr: cr, br: bufio.NewReaderSize(cr, 64<<10)}
	rd.maxSize = max
	var magic [len(Magic)]byte
	if _, err := io.ReadFull(rd.br, magic[:]); err != nil || string(magic[:]) != Magic {
		return nil, &CorruptError{Offset: 0, Record: 0, Err: ErrBadMagic}
	}
	h := &trackpb.Header{}
	if err := rd.next(h); err != nil {
		if err == io.EOF {
			err = &CorruptError{Offset: rd.Offset(), Record: 0, Err: ErrTruncated}
		}
		return nil, err
	}
	if h.GetFormatVersion() != FormatVersion {
		return nil, &CorruptError{Offset: int64(len(Magic)), Record: 0,
			Err: fmt.Errorf("%w: %d (this package reads %d)", ErrVersion, h.GetFormatVersion(), FormatVersion)}
	}
	rd.header = h
	return rd, nil
}

// Header returns the recording's header. The caller must not modify it.
func (r *Reader) Header() *trackpb.Header { return r.header }

// Next returns the next record, or io.EOF after the last one. The returned record is
// owned by the Reader and valid only until the next call to Next; clone it with
// proto.Clone to keep it. After an error other than io.EOF, Next keeps returning it: every
// record before the damage has been returned intact, and the *CorruptError says where the
// damage starts.
func (r *Reader) Next() (*trackpb.Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	if err := r.next(&r.rec); err != nil {
		r.err = err
		return nil, err
	}
	return &r.rec, nil
}

// Offset returns the byte offset just past the last record read.
func (r *Reader) Offset() int64 { return r.cr.n - int64(r.br.Buffered()) }

// next reads one envelope and decodes its payload into m. It parses the protodelim
// framing and the envelope itself, straight from the read buffer, so that a record's
// bytes are not copied before proto.Unmarshal (which copies what it keeps).
func (r *Reader) next(m proto.Message) error {
	start := r.Offset()
	idx := r.index
	bad := func(err error) error { return &CorruptError{Offset: start, Record: idx, Err: err} }
	if _, err := r.br.Peek(1); err != nil {
		return err // io.EOF at a record boundary: the clean end; otherwise an I/O error
	}
	size, err := binary.ReadUvarint(r.br)
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return bad(ErrTruncated) // the input ends inside the length prefix
		}
		return bad(fmt.Errorf("%w: length prefix: %v", ErrMalformed, err))
	}
	if size > uint64(r.maxSize) {
		return bad(fmt.Errorf("%w: length %d is over the limit of %d bytes", ErrMalformed, size, r.maxSize))
	}
	n := int(size)
	var env []byte
	if n <= r.br.Size() {
		env, err = r.br.Peek(n)
	} else {
		if cap(r.scratch) < n {
			r.scratch = make([]byte, n)
		}
		env = r.scratch[:n]
		_, err = io.ReadFull(r.br, env)
	}
	if err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return bad(ErrTruncated)
		}
		return err
	}
	payload, crc, err := parseEnvelope(env)
	if err != nil {
		return bad(fmt.Errorf("%w: %v", ErrMalformed, err))
	}
	if crc32.Checksum(payload, castagnoli) != crc {
		return bad(ErrChecksum)
	}
	if err := proto.Unmarshal(payload, m); err != nil {
		return bad(fmt.Errorf("%w: %v", ErrMalformed, err))
	}
	if n <= r.br.Size() {
		_, _ = r.br.Discard(n) // the n bytes are buffered: Discard cannot fail
	}
	r.index++
	return nil
}

// parseEnvelope decodes a trackpb.Envelope: the payload (aliasing b) and the checksum.
// Unknown fields are skipped, as proto3 requires; both known fields must be present.
func parseEnvelope(b []byte) (payload []byte, crc uint32, err error) {
	var havePayload, haveCRC bool
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, 0, protowire.ParseError(n)
		}
		b = b[n:]
		switch {
		case num == 1 && typ == protowire.BytesType:
			payload, n = protowire.ConsumeBytes(b)
			havePayload = true
		case num == 2 && typ == protowire.Fixed32Type:
			crc, n = protowire.ConsumeFixed32(b)
			haveCRC = true
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return nil, 0, protowire.ParseError(n)
		}
		b = b[n:]
	}
	if !havePayload || !haveCRC {
		return nil, 0, errors.New("envelope without payload or checksum")
	}
	return payload, crc, nil
}

// countingReader counts the bytes read from the underlying reader; together with the
// bufio.Reader's buffered count it gives the offset of the next unread byte.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
