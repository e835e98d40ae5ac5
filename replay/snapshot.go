package replay

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/trackpb"
	"google.golang.org/protobuf/proto"
)

// SnapshotVersion is the TrackerSnapshot.format_version written by Snapshot. It
// equals correlate.StateVersion.
const SnapshotVersion = correlate.StateVersion

var (
	// ErrSnapshotVersion reports a snapshot from a newer, incompatible format version.
	ErrSnapshotVersion = errors.New("replay: unsupported tracker snapshot version")
	// ErrSnapshot reports a snapshot whose fields are inconsistent (mismatched
	// lengths, an unknown status, counters out of range).
	ErrSnapshot = errors.New("replay: invalid tracker snapshot")
)

// SnapshotError names the part of a TrackerSnapshot that was refused. It wraps
// ErrSnapshot or ErrSnapshotVersion.
type SnapshotError struct {
	Track uint64 // the track's ID, or 0 when no track is to blame
	Msg   string // detail
	Err   error  // the sentinel
}

// Error implements error.
func (e *SnapshotError) Error() string {
	if e.Track != 0 {
		return fmt.Sprintf("%v: track %d: %s", e.Err, e.Track, e.Msg)
	}
	return fmt.Sprintf("%v: %s", e.Err, e.Msg)
}

// Unwrap returns the sentinel.
func (e *SnapshotError) Unwrap() error { return e.Err }

// Snapshot converts a tracker state (from correlate.Tracker.State) into its wire form.
// The slices are copied.
func Snapshot(s *correlate.TrackerState) *trackpb.TrackerSnapshot {
	p := &trackpb.TrackerSnapshot{
		FormatVersion: s.Version, TimeNs: s.Watermark, NextTrackId: s.NextID,
		Started: s.Started, Tick: s.Tick, Held: s.Seq, Slots: uint32(s.Slots),
		FreeSlots: make([]uint32, len(s.Free)),
		Tracks:    make([]*trackpb.TrackState, len(s.Tracks)),
		Pending:   make([]*trackpb.Scan, len(s.Pending)),
	}
	for i, f := range s.Free {
		p.FreeSlots[i] = uint32(f)
	}
	for i := range s.Tracks {
		t := &s.Tracks[i]
		m := &trackpb.Track{
			Id: t.ID, Status: TrackStatus(t.Status), TimeNs: t.Time, Score: t.Score,
			X: append([]float64(nil), t.X...), P: append([]float64(nil), t.P...),
			DetectionIds: []uint64{t.Detection},
		}
		if t.Existence != 0 {
			m.Existence = proto.Float64(t.Existence)
		}
		switch len(t.X) {
		case 4:
			m.Motion = trackpb.MotionModel_MOTION_MODEL_CV2
		case 6:
			m.Motion = trackpb.MotionModel_MOTION_MODEL_CV3
		}
		var modes []*trackpb.ModeState
		if len(t.Modes) > 0 {
			// the IMM's combined estimate without ω stays in track.x and track.p (CV
			// layout, named from its length); the modes, in the CT layout, and their
			// probabilities go into modes and track.mode_probabilities
			modes = make([]*trackpb.ModeState, len(t.Modes))
			m.ModeProbabilities = make([]float64, len(t.Modes))
			for j := range t.Modes {
				md := &t.Modes[j]
				modes[j] = &trackpb.ModeState{Probability: md.Prob,
					X: append([]float64(nil), md.X...), P: append([]float64(nil), md.P...)}
				m.ModeProbabilities[j] = md.Prob
			}
		}
		p.Tracks[i] = &trackpb.TrackState{
			Track: m, Modes: modes, LastUpdateNs: t.HitTime, Hits: uint32(t.Hits), Scans: uint32(t.Scans),
			MaxScore: t.MaxScore, Slot: uint32(t.Slot),
			TouchedTick: t.Touched, CreatedTick: t.Created, ChangedTick: t.Changed,
			HistoryTimeNs: append([]int64(nil), t.HistTime...),
			HistoryX:      append([]float64(nil), t.HistX...),
			HistoryLen:    uint32(t.HistLen), HistoryHead: uint32(t.HistHead),
		}
	}
	for i := range s.Pending {
		ps := &s.Pending[i]
		sc := &trackpb.Scan{SensorId: ps.Scan.Sensor, TimeNs: ps.Scan.Time,
			Detections: make([]*trackpb.Detection, len(ps.Scan.Detections))}
		for j := range ps.Scan.Detections {
			d := &ps.Scan.Detections[j]
			amp, snr := d.Amplitude, d.SNR
			w := &trackpb.Detection{Id: d.ID, SensorId: ps.Scan.Sensor, TimeNs: d.Time,
				Z: trimZeros(d.Z[:]), R: trimZeros(d.R[:]), Amplitude: &amp, SnrDb: &snr}
			if d.Class != 0 {
				w.Class = strconv.FormatUint(uint64(d.Class), 10)
			}
			sc.Detections[j] = w
		}
		p.Pending[i] = sc
		p.PendingSequence = append(p.PendingSequence, ps.Seq)
		p.PendingPartial = append(p.PendingPartial, ps.Scan.Partial)
	}
	return p
}

// trimZeros copies a without its trailing zeros: the fixed arrays of a
// correlate.Detection are zero beyond the measurement's size.
func trimZeros(a []float64) []float64 {
	n := len(a)
	for n > 0 && a[n-1] == 0 && !math.Signbit(a[n-1]) {
		n--
	}
	return append([]float64(nil), a[:n]...)
}

// State converts a wire snapshot into a tracker state for correlate.Restore. It fails
// with a *SnapshotError wrapping ErrSnapshotVersion for a format version newer than
// SnapshotVersion (or zero), and wrapping ErrSnapshot for fields that cannot be
// converted. Values (covariances, sizes against the tracker's Config) are checked by
// correlate.Restore.
func State(p *trackpb.TrackerSnapshot) (*correlate.TrackerState, error) {
	bad := func(id uint64, format string, a ...any) error {
		return &SnapshotError{Track: id, Msg: fmt.Sprintf(format, a...), Err: ErrSnapshot}
	}
	if v := p.GetFormatVersion(); v == 0 || v > SnapshotVersion {
		return nil, &SnapshotError{Msg: fmt.Sprintf("format version %d, this library reads up to %d", v, SnapshotVersion), Err: ErrSnapshotVersion}
	}
	if len(p.GetPendingSequence()) != len(p.GetPending()) || len(p.GetPendingPartial()) != len(p.GetPending()) {
		return nil, bad(0, "%d pending scans with %d sequence numbers and %d partial flags", len(p.GetPending()), len(p.GetPendingSequence()), len(p.GetPendingPartial()))
	}
	s := &correlate.TrackerState{
		Version: p.GetFormatVersion(), Started: p.GetStarted(), Watermark: p.GetTimeNs(),
		NextID: p.GetNextTrackId(), Tick: p.GetTick(), Seq: p.GetHeld(), Slots: int(p.GetSlots()),
		Free:   make([]int32, len(p.GetFreeSlots())),
		Tracks: make([]correlate.TrackState, len(p.GetTracks())),
	}
	for i, f := range p.GetFreeSlots() {
		if f > math.MaxInt32 {
			return nil, bad(0, "free slot %d out of range", f)
		}
		s.Free[i] = int32(f)
	}
	for i, w := range p.GetTracks() {
		m := w.GetTrack()
		if m == nil {
			return nil, bad(0, "track state %d has no track", i)
		}
		var st correlate.Status
		switch m.GetStatus() {
		case trackpb.TrackStatus_TRACK_STATUS_TENTATIVE:
			st = correlate.Tentative
		case trackpb.TrackStatus_TRACK_STATUS_CONFIRMED:
			st = correlate.Confirmed
		case trackpb.TrackStatus_TRACK_STATUS_COASTING:
			st = correlate.Coasting
		default:
			return nil, bad(m.GetId(), "status %v is not a live status", m.GetStatus())
		}
		if len(m.GetDetectionIds()) != 1 {
			return nil, bad(m.GetId(), "%d detection IDs, want 1", len(m.GetDetectionIds()))
		}
		for _, v := range []uint32{w.GetSlot(), w.GetHits(), w.GetScans(), w.GetHistoryLen(), w.GetHistoryHead()} {
			if v > math.MaxInt32 {
				return nil, bad(m.GetId(), "counter %d out of range", v)
			}
		}
		var modes []correlate.ModeState
		if n := len(w.GetModes()); n > 0 {
			modes = make([]correlate.ModeState, n)
			for j, md := range w.GetModes() {
				if md == nil {
					return nil, bad(m.GetId(), "IMM mode %d is empty", j)
				}
				modes[j] = correlate.ModeState{Prob: md.GetProbability(),
					X: append([]float64(nil), md.GetX()...), P: append([]float64(nil), md.GetP()...)}
			}
		}
		s.Tracks[i] = correlate.TrackState{
			Modes: modes,
			Slot:  int32(w.GetSlot()), ID: m.GetId(), Status: st, Time: m.GetTimeNs(), HitTime: w.GetLastUpdateNs(),
			X: append([]float64(nil), m.GetX()...), P: append([]float64(nil), m.GetP()...),
			Hits: int32(w.GetHits()), Scans: int32(w.GetScans()),
			Score: m.GetScore(), MaxScore: w.GetMaxScore(), Existence: m.GetExistence(),
			Touched: w.GetTouchedTick(), Created: w.GetCreatedTick(), Changed: w.GetChangedTick(),
			Detection: m.GetDetectionIds()[0],
			HistTime:  append([]int64(nil), w.GetHistoryTimeNs()...),
			HistX:     append([]float64(nil), w.GetHistoryX()...),
			HistLen:   int32(w.GetHistoryLen()), HistHead: int32(w.GetHistoryHead()),
		}
	}
	for i, sc := range p.GetPending() {
		ps := correlate.PendingScan{Seq: p.GetPendingSequence()[i],
			Scan: correlate.Scan{Sensor: sc.GetSensorId(), Time: sc.GetTimeNs(), Partial: p.GetPendingPartial()[i],
				Detections: make([]correlate.Detection, len(sc.GetDetections()))}}
		for j, w := range sc.GetDetections() {
			d := &ps.Scan.Detections[j]
			if len(w.GetZ()) > len(d.Z) || len(w.GetR()) > len(d.R) {
				return nil, bad(0, "pending scan %d, detection %d: %d z and %d R values, at most %d and %d", i, w.GetId(), len(w.GetZ()), len(w.GetR()), len(d.Z), len(d.R))
			}
			d.ID, d.Time = w.GetId(), w.GetTimeNs()
			copy(d.Z[:], w.GetZ())
			copy(d.R[:], w.GetR())
			d.Amplitude, d.SNR = nan, nan
			if w.Amplitude != nil {
				d.Amplitude = *w.Amplitude
			}
			if w.SnrDb != nil {
				d.SNR = *w.SnrDb
			}
			if c := w.GetClass(); c != "" {
				v, err := strconv.ParseUint(c, 10, 32)
				if err != nil {
					return nil, bad(0, "pending scan %d, detection %d: class %q is not a number", i, w.GetId(), c)
				}
				d.Class = uint32(v)
			}
		}
		s.Pending = append(s.Pending, ps)
	}
	return s, nil
}
