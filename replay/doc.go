// Package replay reads and writes trackcorr recordings, imports detections from other
// formats and exports tracks to them. It is the boundary between the wire schema
// (package trackpb) and the rest of the library.
//
// # Recordings
//
// A recording is the 8-byte magic "TRKCREC1", then a trackpb.Header, then any number of
// trackpb.Record values (scans, track sets, truth frames, tracker snapshots). Each is
// framed as a trackpb.Envelope (the serialized message and its CRC-32C, Castagnoli)
// written with encoding/protodelim: a uvarint length, then the envelope. Writer and
// Reader stream: each holds one record at a time in memory. The reader parses the framing
// straight from its read buffer, so a record's bytes are copied only once, by
// proto.Unmarshal (BenchmarkRead reports detections per second, MB/s and allocations per
// record).
//
// # Errors and damaged files
//
// A Reader returns every intact record before any damage, then a *CorruptError giving the
// byte offset and index of the damaged record, wrapping ErrBadMagic, ErrTruncated,
// ErrChecksum, ErrMalformed or ErrVersion (test with errors.Is). A corrupt length prefix
// cannot make the reader allocate more than ReaderOptions.MaxRecordSize bytes. The reader
// never panics, whatever its input (fuzz test FuzzReader). A Writer interrupted at any
// point leaves a file whose intact prefix reads back.
//
// # Importers and exporters
//
// InterchangeReader, InterchangeTruthReader and ImportInterchange read the project's
// JSON-lines interchange format (scenarios shared with other trackers, such as Stone
// Soup). MOTReader and MOTTruthReader read MOTChallenge det.txt and gt.txt files, as
// box-centre points or as boxes. CSVReader reads the CSV format documented on it. Each
// reader streams one scan at a time, checks every value (finite numbers, symmetric
// covariances with positive variances, time order) and reports a bad line as a
// *LineError naming the input and line, wrapping ErrSyntax, ErrInvalid or ErrOutOfOrder;
// it never panics (fuzz test FuzzImporters).
//
// TrackJSONWriter writes tracks as JSON lines ({"t", "id", "status", "x", "P"}) and
// TrackJSONReader reads them back (from trackcorr or from another tracker, for scoring side
// by side); WriteMOT writes MOTChallenge result lines and TrackCSVWriter writes CSV.
//
// # Replay
//
// A Player merges several ScanSources (recordings through RecordingScans, or any of the
// importers) into one stream in time order — ties in source order, so the output is
// deterministic — and hands each scan to a callback, as fast as possible or paced to
// recorded time with an injectable Clock. The callback is where a tracker is fed: a
// Converter built from a recording's header gives the tracker's sensors and converts each
// scan once (bearings from the wire's clockwise-from-north to the tracker's
// counter-clockwise-from-+x), Feed runs correlate.Tracker.Process on each, and TrackSet
// converts the tracker's output back to the wire format.
//
// Snapshot converts a correlate.TrackerState (from Tracker.State) into a
// trackpb.TrackerSnapshot and State converts it back for correlate.Restore; a snapshot
// with a newer format version is refused with a *SnapshotError wrapping
// ErrSnapshotVersion.
//
// # Ownership
//
// Writers never modify the messages given to them. The record returned by Reader.Next is
// reused by the next call; clone it (proto.Clone) to keep it.
//
// # Determinism
//
// Messages are marshalled deterministically, so the same records give the same bytes.
package replay
