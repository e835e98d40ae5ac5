package correlate

import (
	"errors"
	"fmt"
	"math"

	"github.com/trackcorr/trackcorr/kalman"
)

// StateVersion is the version of the TrackerState format written by Tracker.State.
// Restore refuses states with a newer version.
const StateVersion = 1

var (
	// ErrStateVersion reports a TrackerState from a newer, incompatible format version.
	ErrStateVersion = errors.New("correlate: unsupported tracker state version")
	// ErrState reports a TrackerState that is inconsistent with itself or with the
	// Config it is restored into (non-finite or non-positive-definite covariance, wrong
	// sizes, unknown sensor, bad slot numbers).
	ErrState = errors.New("correlate: invalid tracker state")
)

// StateError names the part of a TrackerState that Restore refused. It wraps
// ErrState or ErrStateVersion.
type StateError struct {
	Track uint64 // the track's ID, or 0 when no track is to blame
	Msg   string // detail
	Err   error  // the sentinel
}

// Error implements error.
func (e *StateError) Error() string {
	if e.Track != 0 {
		return fmt.Sprintf("%v: track %d: %s", e.Err, e.Track, e.Msg)
	}
	return fmt.Sprintf("%v: %s", e.Err, e.Msg)
}

// Unwrap returns the sentinel.
func (e *StateError) Unwrap() error { return e.Err }

// TrackerState is the whole state of a Tracker between two calls: every live track,
// the counters that decide IDs and event order, the time watermark used for
// out-of-sequence checks, and the scans held by the Reorder policy. A Tracker
// restored from it with the same Config produces exactly the output the original
// would have produced. It holds no maps: its order is the tracker's slot order.
type TrackerState struct {
	// Version is the format version, StateVersion when written by this package.
	Version uint32
	// Started says whether any scan was processed; Watermark is the latest detection
	// time processed (ns), the bound for out-of-sequence checks.
	Started   bool
	Watermark int64
	// NextID is the ID the next track will get.
	NextID uint64
	// Tick counts processed scans; Seq counts scans held by the Reorder policy. Both
	// order internal bookkeeping.
	Tick, Seq uint64
	// Slots is the number of track slots; Free lists the free ones in the order they
	// are reused (last first).
	Slots int
	Free  []int32
	// Tracks are the live tracks, in slot order.
	Tracks []TrackState
	// Pending are the scans held by the Reorder policy, in processing order.
	Pending []PendingScan
}

// TrackState is one live track of a TrackerState.
type TrackState struct {
	Slot   int32  // the track's slot
	ID     uint64 // the track's ID
	Status Status // Tentative, Confirmed or Coasting
	// Time of the posterior (the last update), ns; X and P are its mean and row-major
	// covariance (n and n·n values).
	Time int64
	X, P []float64
	// HitTime is the time of the last associated detection, ns (Config.DeleteAfter);
	// Time under GNN, possibly earlier under JPDA.
	HitTime int64
	// Modes are the IMM modes of a track filtered by an IMM (Config.Filter = IMM), in
	// the order of Config.IMM.Modes; nil for CV. X and P are then the modes' combined
	// estimate without the turn rate.
	Modes []ModeState
	// Hits counts associated detections, Scans the scans seen since creation (creation
	// included): the M-of-N logic's counters. Score and MaxScore are the log-likelihood
	// ratio and its running maximum (SPRT logic).
	Hits, Scans     int32
	Score, MaxScore float64
	// Existence is the probability that the target exists (Logic Existence), else 0.
	Existence float64
	// Touched, Created and Changed are the ticks of the last update, the creation and
	// the last status change; Detection is the detection associated at Touched.
	Touched, Created, Changed uint64
	Detection                 uint64
	// HistTime and HistX are the Config.History ring (HistX n values per entry), with
	// HistLen entries stored and HistHead the next index to write.
	HistTime          []int64
	HistX             []float64
	HistLen, HistHead int32
}

// PendingScan is a scan held by the Reorder policy.
type PendingScan struct {
	Scan Scan
	Seq  uint64 // arrival number, breaking ties between equal earliest times
}

// State returns a deep copy of the tracker's state. It allocates; call it between
// scans. It fails with ErrClosed after Close.
func (t *Tracker) State() (*TrackerState, error) {
	if t.closed {
		return nil, ErrClosed
	}
	s := &TrackerState{
		Version: StateVersion, Started: t.started, Watermark: t.watermark,
		NextID: t.nextID, Tick: t.tick, Seq: t.seq,
		Slots: len(t.status), Free: append([]int32(nil), t.free...),
	}
	n, h := t.n, t.cfg.History
	// one backing array per element type: four allocations in all (five with IMM
	// modes), not per track
	s.Tracks = make([]TrackState, 0, t.live)
	fa := make([]float64, 0, t.live*(n+n*n+h*n+t.imm.snapshotSize()))
	ta := make([]int64, 0, t.live*h)
	var ma []ModeState
	if t.imm.nm > 0 {
		ma = make([]ModeState, 0, t.live*t.imm.nm)
	}
	carve := func(v []float64) []float64 {
		fa = append(fa, v...)
		return fa[len(fa)-len(v) : len(fa) : len(fa)]
	}
	carveN := func(k int) []float64 {
		fa = fa[:len(fa)+k]
		return fa[len(fa)-k : len(fa) : len(fa)]
	}
	for slot := range t.status {
		st := t.status[slot]
		if st == 0 || st == Deleted {
			continue
		}
		x := fa[len(fa) : len(fa)+n+n*n : len(fa)+n+n*n]
		unpackTo(x, t.postSlot(int32(slot)), n)
		x = x[:n:n]
		fa = fa[:len(fa)+n]
		c := fa[len(fa) : len(fa)+n*n : len(fa)+n*n]
		fa = fa[:len(fa)+n*n]
		ts := TrackState{
			Slot: int32(slot), ID: t.id[slot], Status: st, Time: t.lastNS[slot], HitTime: t.hitNS[slot],
			X: x, P: c,
			Hits: t.hits[slot], Scans: t.scans[slot], Score: t.score[slot], MaxScore: t.maxScore[slot],
			Existence: t.exist[slot],
			Touched:   t.touched[slot], Created: t.created[slot], Changed: t.changed[slot],
			Detection: t.assocDet[slot],
		}
		if h > 0 {
			ta = append(ta, t.histT[slot*h:(slot+1)*h]...)
			ts.HistTime = ta[len(ta)-h : len(ta) : len(ta)]
			ts.HistX = carve(t.histX[slot*h*n : (slot+1)*h*n])
			ts.HistLen, ts.HistHead = t.histLen[slot], t.histHead[slot]
		}
		if t.imm.nm > 0 {
			k := len(ma)
			ma = t.stateModes(ma, slot, carveN)
			ts.Modes = ma[k:len(ma):len(ma)]
		}
		s.Tracks = append(s.Tracks, ts)
	}
	for i := range t.pending {
		p := &t.pending[i]
		s.Pending = append(s.Pending, PendingScan{
			Scan: Scan{Sensor: t.sensors[p.sensor].ID, Time: p.scanTime, Partial: p.partial,
				Detections: append([]Detection(nil), p.dets...)},
			Seq: p.seq,
		})
	}
	return s, nil
}

// Restore returns a new Tracker for cfg in state s (as written by State, possibly by
// another process). It fails with an error wrapping ErrConfig for a bad cfg,
// ErrStateVersion for a state newer than StateVersion, and ErrState (a *StateError
// naming the track) or a scan error for a state that does not fit cfg. s is not
// retained.
func Restore(cfg Config, s *TrackerState) (*Tracker, error) {
	if s.Version > StateVersion || s.Version == 0 {
		return nil, &StateError{Msg: fmt.Sprintf("version %d, this package reads up to %d", s.Version, StateVersion), Err: ErrStateVersion}
	}
	t, err := New(cfg)
	if err != nil {
		return nil, err
	}
	if err := t.restore(s); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

func (t *Tracker) restore(s *TrackerState) error {
	bad := func(id uint64, format string, a ...any) error {
		return &StateError{Track: id, Msg: fmt.Sprintf(format, a...), Err: ErrState}
	}
	if s.Slots < 0 || s.Slots > math.MaxInt32 || len(s.Tracks)+len(s.Free) != s.Slots {
		return bad(0, "%d slots for %d tracks and %d free slots", s.Slots, len(s.Tracks), len(s.Free))
	}
	if s.NextID == 0 {
		return bad(0, "next ID 0")
	}
	for i := 0; i < s.Slots; i++ {
		t.newSlot()
	}
	for i := range t.status {
		t.status[i] = Deleted
	}
	n, h := t.n, t.cfg.History
	used := make([]bool, s.Slots)
	for i := range s.Tracks {
		ts := &s.Tracks[i]
		if ts.Slot < 0 || int(ts.Slot) >= s.Slots || used[ts.Slot] {
			return bad(ts.ID, "slot %d out of range or used twice", ts.Slot)
		}
		used[ts.Slot] = true
		if ts.Status != Tentative && ts.Status != Confirmed && ts.Status != Coasting {
			return bad(ts.ID, "status %v", ts.Status)
		}
		if ts.ID == 0 || ts.ID >= s.NextID {
			return bad(ts.ID, "ID not below next ID %d", s.NextID)
		}
		if len(ts.X) != n || len(ts.P) != n*n {
			return bad(ts.ID, "state has %d and %d values, want %d and %d", len(ts.X), len(ts.P), n, n*n)
		}
		st, err := kalman.NewState(ts.X, ts.P)
		if err != nil {
			return bad(ts.ID, "%v", err)
		}
		ims, err := t.restoreModes(ts)
		if err != nil {
			return bad(ts.ID, "%v", err)
		}
		for _, v := range []float64{ts.Score, ts.MaxScore} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return bad(ts.ID, "non-finite score")
			}
		}
		if !(ts.Existence >= 0 && ts.Existence <= 1) || (t.cfg.Logic == Existence) != (ts.Existence > 0) {
			return bad(ts.ID, "existence %v does not fit Logic %d", ts.Existence, t.cfg.Logic)
		}
		if ts.Hits < 0 || ts.Scans < 0 || ts.Touched > s.Tick || ts.Created > s.Tick || ts.Changed > s.Tick {
			return bad(ts.ID, "counters out of range")
		}
		if h > 0 {
			if len(ts.HistTime) != h || len(ts.HistX) != h*n || ts.HistLen < 0 || int(ts.HistLen) > h || ts.HistHead < 0 || int(ts.HistHead) >= h {
				return bad(ts.ID, "history ring does not match Config.History = %d", h)
			}
		}
		k := ts.Slot
		if ts.HitTime > ts.Time {
			return bad(ts.ID, "last detection at %d ns after the posterior's time %d ns", ts.HitTime, ts.Time)
		}
		t.status[k], t.id[k], t.lastNS[k], t.hitNS[k] = ts.Status, ts.ID, ts.Time, ts.HitTime
		t.storePost(k, &st)
		if t.imm.nm > 0 {
			t.imm.store(k, &ims)
		}
		t.hits[k], t.scans[k], t.score[k], t.maxScore[k] = ts.Hits, ts.Scans, ts.Score, ts.MaxScore
		t.exist[k] = ts.Existence
		t.touched[k], t.created[k], t.changed[k], t.assocDet[k] = ts.Touched, ts.Created, ts.Changed, ts.Detection
		if h > 0 {
			copy(t.histT[int(k)*h:], ts.HistTime)
			copy(t.histX[int(k)*h*n:], ts.HistX)
			t.histLen[k], t.histHead[k] = ts.HistLen, ts.HistHead
		}
	}
	for _, f := range s.Free {
		if f < 0 || int(f) >= s.Slots || used[f] {
			return bad(0, "free slot %d out of range, live or listed twice", f)
		}
		used[f] = true
	}
	t.free = append(t.free[:0], s.Free...)
	t.live = len(s.Tracks)
	for i := range s.Pending {
		p := &s.Pending[i]
		if p.Seq >= s.Seq {
			return bad(0, "pending scan %d: sequence %d not below %d", i, p.Seq, s.Seq)
		}
		si, lo, hi, err := t.validate(&p.Scan)
		if err != nil {
			return fmt.Errorf("pending scan %d: %w", i, err)
		}
		t.seq = p.Seq
		t.hold(&p.Scan, si, lo, hi)
	}
	t.started, t.watermark, t.nextID, t.tick, t.seq = s.Started, s.Watermark, s.NextID, s.Tick, s.Seq
	return nil
}
