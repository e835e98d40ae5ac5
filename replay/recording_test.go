package replay

import (
	"bufio"
	"bytes"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protodelim"
	"google.golang.org/protobuf/proto"

	"github.com/trackcorr/trackcorr/trackpb"
)

// testRecording writes a header and n scan records with random detections and returns
// the bytes, the header and the records written.
func testRecording(t testing.TB, n int, seed uint64) ([]byte, *trackpb.Header, []*trackpb.Record) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	h := &trackpb.Header{
		Frame:    trackpb.FrameKind_FRAME_KIND_LOCAL,
		Sensors:  []*trackpb.Sensor{{Id: 1, Kind: trackpb.SensorKind_SENSOR_KIND_RADAR, R: []float64{4, 0, 0, 4}}},
		Metadata: map[string]string{"scenario": "test"},
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h)
	require.NoError(t, err)
	var recs []*trackpb.Record
	id := uint64(0)
	for i := range n {
		s := &trackpb.Scan{SensorId: 1, TimeNs: int64(i) * 1e9, Sequence: uint64(i)}
		for range rng.IntN(5) {
			id++
			s.Detections = append(s.Detections, &trackpb.Detection{
				Id: id, SensorId: 1, TimeNs: s.TimeNs,
				Kind: trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D,
				Z:    []float64{rng.NormFloat64() * 1e3, rng.NormFloat64() * 1e3},
				R:    []float64{4, 0.5, 0.5, 4},
			})
		}
		var r *trackpb.Record
		switch i % 3 {
		case 0, 1:
			require.NoError(t, w.WriteScan(s))
			r = &trackpb.Record{Body: &trackpb.Record_Scan{Scan: s}}
		case 2:
			tf := &trackpb.TruthFrame{TimeNs: s.TimeNs, Objects: []*trackpb.TruthObject{{Id: int64(i), X: []float64{1, 2, 3, 4}}}}
			require.NoError(t, w.WriteTruth(tf))
			r = &trackpb.Record{Body: &trackpb.Record_Truth{Truth: tf}}
		}
		recs = append(recs, r)
	}
	require.NoError(t, w.Close())
	assert.Equal(t, n, w.Records())
	return buf.Bytes(), h, recs
}

// readAll reads every record it can and returns clones of them and the final error
// (nil at a clean end).
func readAll(data []byte, o ReaderOptions) (*trackpb.Header, []*trackpb.Record, error) {
	r, err := NewReader(bytes.NewReader(data), o)
	if err != nil {
		return nil, nil, err
	}
	var out []*trackpb.Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return r.Header(), out, nil
		}
		if err != nil {
			return r.Header(), out, err
		}
		out = append(out, proto.CloneOf(rec))
	}
}

func TestRecordingRoundTrip(t *testing.T) {
	data, h, recs := testRecording(t, 50, 1)
	gotH, got, err := readAll(data, ReaderOptions{})
	require.NoError(t, err)
	assert.Equal(t, uint32(FormatVersion), gotH.GetFormatVersion())
	assert.Equal(t, h.GetMetadata(), gotH.GetMetadata())
	assert.Equal(t, uint32(0), h.GetFormatVersion(), "the caller's header is not modified")
	require.Len(t, got, len(recs))
	for i := range recs {
		assert.True(t, proto.Equal(recs[i], got[i]), "record %d", i)
	}
}

// recordEnds returns the byte offset at which each record (header first) ends.
func recordEnds(t *testing.T, data []byte) []int64 {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), ReaderOptions{})
	require.NoError(t, err)
	ends := []int64{r.Offset()}
	for {
		_, err := r.Next()
		if err == io.EOF {
			return ends
		}
		require.NoError(t, err)
		ends = append(ends, r.Offset())
	}
}

// Cutting the file at every byte yields every record that lies wholly before the cut,
// then ErrTruncated at the offset where the cut record starts; a cut on a record boundary
// reads as a clean, shorter recording.
func TestRecordingTruncatedAtEveryByte(t *testing.T) {
	data, _, recs := testRecording(t, 12, 2)
	ends := recordEnds(t, data)
	require.Len(t, ends, len(recs)+1)
	for cut := 0; cut < len(data); cut++ {
		_, got, err := readAll(data[:cut], ReaderOptions{})
		whole := 0 // records (after the header) wholly before the cut
		for _, e := range ends[1:] {
			if e <= int64(cut) {
				whole++
			}
		}
		var ce *CorruptError
		switch {
		case cut < len(Magic):
			require.ErrorIs(t, err, ErrBadMagic, "cut %d", cut)
		case int64(cut) < ends[0]:
			require.ErrorIs(t, err, ErrTruncated, "cut %d", cut)
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, int64(len(Magic)), ce.Offset)
		case int64(cut) == ends[whole]:
			require.NoError(t, err, "cut %d on a record boundary", cut)
			require.Len(t, got, whole)
		default:
			require.ErrorIs(t, err, ErrTruncated, "cut %d", cut)
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, ends[whole], ce.Offset, "cut %d", cut)
			assert.Equal(t, whole+1, ce.Record, "cut %d", cut)
			require.Len(t, got, whole, "cut %d", cut)
		}
		for i := range got {
			require.True(t, proto.Equal(recs[i], got[i]), "cut %d record %d", cut, i)
		}
	}
}

// Flipping any bit after the magic yields an error at or before the damaged record, and
// every record returned before it is intact.
func TestRecordingCorruptedBits(t *testing.T) {
	data, _, recs := testRecording(t, 8, 3)
	ends := recordEnds(t, data)
	rng := rand.New(rand.NewPCG(3, 3))
	for range 2000 {
		pos := len(Magic) + rng.IntN(len(data)-len(Magic))
		bad := bytes.Clone(data)
		bad[pos] ^= 1 << rng.IntN(8)
		_, got, err := readAll(bad, ReaderOptions{})
		// The record holding pos is the first whose end is past pos.
		damaged := 0
		for damaged < len(ends) && ends[damaged] <= int64(pos) {
			damaged++
		}
		require.Error(t, err, "flip at byte %d went unnoticed", pos)
		var ce *CorruptError
		require.ErrorAs(t, err, &ce)
		assert.LessOrEqual(t, ce.Record, damaged, "byte %d", pos)
		if damaged > 0 {
			start := ends[damaged-1]
			assert.LessOrEqual(t, ce.Offset, start, "byte %d", pos)
		}
		require.LessOrEqual(t, len(got), damaged)
		for i := range got {
			require.True(t, proto.Equal(recs[i], got[i]))
		}
	}
}

func TestRecordingBadInput(t *testing.T) {
	data, _, _ := testRecording(t, 3, 4)
	tests := []struct {
		name string
		data []byte
		opts ReaderOptions
		want error
	}{
		{"empty", nil, ReaderOptions{}, ErrBadMagic},
		{"not a recording", []byte("frame,id,x,y\n1,2,3,4\n"), ReaderOptions{}, ErrBadMagic},
		{"magic only", []byte(Magic), ReaderOptions{}, ErrTruncated},
		{"header over the size limit", data, ReaderOptions{MaxRecordSize: 4}, ErrMalformed},
		{"huge length prefix", append([]byte(Magic), 0xff, 0xff, 0xff, 0xff, 0x7f), ReaderOptions{}, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readAll(tc.data, tc.opts)
			require.ErrorIs(t, err, tc.want)
			var ce *CorruptError
			require.ErrorAs(t, err, &ce)
		})
	}
}

func TestRecordingVersion(t *testing.T) {
	_, err := NewWriter(io.Discard, &trackpb.Header{FormatVersion: FormatVersion + 1})
	require.ErrorIs(t, err, ErrVersion)

	// A file whose header claims a future version is refused by the reader.
	var buf bytes.Buffer
	w, err := NewWriter(&buf, nil)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	w.opts = proto.MarshalOptions{}
	buf.Reset()
	buf.WriteString(Magic)
	w.bw.Reset(&buf)
	require.NoError(t, w.write(&trackpb.Header{FormatVersion: 99}))
	require.NoError(t, w.Flush())
	_, err = NewReader(&buf, ReaderOptions{})
	require.ErrorIs(t, err, ErrVersion)
}

// The reader never panics on arbitrary bytes, and whatever it returns before an error is
// a well-formed record.
func FuzzReader(f *testing.F) {
	data, _, _ := testRecording(f, 4, 5)
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add([]byte(Magic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewReader(bytes.NewReader(b), ReaderOptions{MaxRecordSize: 1 << 16})
		if err != nil {
			var ce *CorruptError
			require.ErrorAs(t, err, &ce)
			return
		}
		for range 1000 {
			rec, err := r.Next()
			if err != nil {
				if err != io.EOF {
					var ce *CorruptError
					require.ErrorAs(t, err, &ce)
					_, again := r.Next()
					require.Equal(t, err, again, "errors are sticky")
				}
				return
			}
			require.NotNil(t, rec)
		}
	})
}

// The framing is encoding/protodelim's: a standard reader decodes every envelope, and
// every payload checks against its CRC-32C.
func TestRecordingIsProtodelim(t *testing.T) {
	data, _, recs := testRecording(t, 10, 6)
	require.Equal(t, Magic, string(data[:len(Magic)]))
	br := bufio.NewReader(bytes.NewReader(data[len(Magic):]))
	n := 0
	for {
		var env trackpb.Envelope
		err := protodelim.UnmarshalFrom(br, &env)
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		require.Equal(t, crc32.Checksum(env.GetPayload(), castagnoli), env.GetCrc32C())
		if n > 0 {
			var rec trackpb.Record
			require.NoError(t, proto.Unmarshal(env.GetPayload(), &rec))
			require.True(t, proto.Equal(recs[n-1], &rec))
		}
		n++
	}
	require.Equal(t, len(recs)+1, n)
}
