package replay_test

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

// snapScenario returns a tracker configuration with three staggered 2-D position
// sensors and its scans: eight targets in clutter, some scans delivered late so that
// the Reorder policy holds them, and detections carrying amplitude, SNR and class.
func snapScenario() (correlate.Config, []correlate.Scan) {
	cfg := correlate.Config{Axes: 2, OutOfOrder: correlate.Reorder, MaxLag: 250 * time.Millisecond, History: 3,
		Sensors: []correlate.Sensor{{ID: 1, Kind: correlate.Position2D}, {ID: 2, Kind: correlate.Position2D}, {ID: 3, Kind: correlate.Position2D}}}
	rng := rand.New(rand.NewPCG(3, 5))
	type target struct{ x, vx, y, vy float64 }
	tg := make([]target, 8)
	for i := range tg {
		tg[i] = target{rng.Float64() * 2000, rng.NormFloat64() * 20, rng.Float64() * 2000, rng.NormFloat64() * 20}
	}
	var scans []correlate.Scan
	id := uint64(1)
	det := func(x, y, sig float64) correlate.Detection {
		var d correlate.Detection
		d.ID, id = id, id+1
		d.Z[0], d.Z[1] = x, y
		d.R[0], d.R[3] = sig*sig, sig*sig
		d.Amplitude, d.SNR, d.Class = rng.Float64(), math.NaN(), uint32(rng.IntN(3))
		return d
	}
	for k := 0; k < 30; k++ {
		for s := uint32(1); s <= 3; s++ {
			tt := int64(k)*300_000_000 + int64(s)*100_000_000
			ts := float64(tt) * 1e-9
			sc := correlate.Scan{Sensor: s, Time: tt}
			sig := 5 * float64(s)
			for _, g := range tg {
				if rng.Float64() < 0.9 {
					sc.Detections = append(sc.Detections, det(g.x+g.vx*ts+rng.NormFloat64()*sig, g.y+g.vy*ts+rng.NormFloat64()*sig, sig))
				}
			}
			for c := rng.IntN(3); c > 0; c-- {
				sc.Detections = append(sc.Detections, det(rng.Float64()*2000, rng.Float64()*2000, sig))
			}
			scans = append(scans, sc)
		}
	}
	for i := 2; i+1 < len(scans); i += 5 {
		scans[i], scans[i+1] = scans[i+1], scans[i]
	}
	return cfg, scans
}

// outputBytes appends every byte of out's tracks, events and counts to b.
func outputBytes(b []byte, out *correlate.Output) []byte {
	u := func(v uint64) { b = binary.LittleEndian.AppendUint64(b, v) }
	for _, tr := range out.Tracks {
		u(tr.ID)
		u(uint64(tr.Status))
		u(uint64(tr.Time))
		for _, v := range append(append(append([]float64(nil), tr.State...), tr.Cov...), tr.Modes...) {
			u(math.Float64bits(v))
		}
		for _, d := range tr.Detections {
			u(d)
		}
		u(math.Float64bits(tr.Score))
		u(uint64(tr.Hits))
	}
	for _, e := range out.Events {
		u(e.Track)
		u(uint64(e.Status))
		u(uint64(e.Time))
	}
	u(uint64(out.Stats.Live))
	u(uint64(out.Stats.Pending))
	return b
}

// run processes scans[from:to] with tr, then Flush when flush is set, and returns a
// digest per output.
func run(t *testing.T, tr *correlate.Tracker, scans []correlate.Scan, from, to int, flush bool) [][32]byte {
	t.Helper()
	var out correlate.Output
	var ds [][32]byte
	for i := from; i < to; i++ {
		if err := tr.Process(&scans[i], &out); err != nil {
			t.Fatalf("scan %d: %v", i, err)
		}
		ds = append(ds, sha256.Sum256(outputBytes(nil, &out)))
	}
	if flush {
		if err := tr.Flush(&out); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, sha256.Sum256(outputBytes(nil, &out)))
	}
	return ds
}

// snapshotAt runs scans[:k+1] through a new tracker and returns its snapshot as bytes.
func snapshotAt(t *testing.T, cfg correlate.Config, scans []correlate.Scan, k int) []byte {
	t.Helper()
	tr, err := correlate.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	run(t, tr, scans, 0, k+1, false)
	st, err := tr.State()
	if err != nil {
		t.Fatal(err)
	}
	b, err := proto.Marshal(replay.Snapshot(st))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func restore(cfg correlate.Config, b []byte) (*correlate.Tracker, error) {
	var p trackpb.TrackerSnapshot
	if err := proto.Unmarshal(b, &p); err != nil {
		return nil, err
	}
	st, err := replay.State(&p)
	if err != nil {
		return nil, err
	}
	return correlate.Restore(cfg, st)
}

func TestSnapshotRestoreContinuesIdentically(t *testing.T) {
	for _, filter := range []correlate.Filter{correlate.CV, correlate.IMM} {
		for _, logic := range []correlate.Logic{correlate.MofN, correlate.SPRT, correlate.Existence} {
			assoc := correlate.AssociateGNN
			if logic == correlate.Existence {
				assoc = correlate.AssociateJPDA
			}
			name := map[correlate.Filter]string{correlate.CV: "CV", correlate.IMM: "IMM"}[filter] + "/" +
				map[correlate.Logic]string{correlate.MofN: "MofN", correlate.SPRT: "SPRT", correlate.Existence: "JIPDA"}[logic]
			t.Run(name, func(t *testing.T) { testSnapshotRestore(t, filter, logic, assoc) })
		}
	}
}

func testSnapshotRestore(t *testing.T, filter correlate.Filter, logic correlate.Logic, assoc correlate.Association) {
	cfg, scans := snapScenario()
	cfg.Logic, cfg.Filter, cfg.Association = logic, filter, assoc
	ref, err := correlate.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := run(t, ref, scans, 0, len(scans), true)
	ref.Close()
	pending, confirmed := 0, 0
	for _, k := range []int{2, 7, 15, 41, 70} {
		b := snapshotAt(t, cfg, scans, k)
		var p trackpb.TrackerSnapshot
		if err := proto.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		pending += len(p.GetPending())
		for _, ts := range p.GetTracks() {
			if ts.GetTrack().GetStatus() == trackpb.TrackStatus_TRACK_STATUS_CONFIRMED {
				confirmed++
			}
			wantModes := map[correlate.Filter]int{correlate.CV: 0, correlate.IMM: 2}[filter]
			if len(ts.GetModes()) != wantModes || len(ts.GetTrack().GetModeProbabilities()) != wantModes {
				t.Fatalf("k=%d: track %d has %d modes and %d mode probabilities, want %d", k, ts.GetTrack().GetId(), len(ts.GetModes()), len(ts.GetTrack().GetModeProbabilities()), wantModes)
			}
			for _, md := range ts.GetModes() {
				if len(md.GetX()) != 5 || len(md.GetP()) != 25 {
					t.Fatalf("k=%d: track %d: mode with %d and %d values, want 5 and 25", k, ts.GetTrack().GetId(), len(md.GetX()), len(md.GetP()))
				}
			}
		}
		tr, err := restore(cfg, b)
		if err != nil {
			t.Fatalf("k=%d: %v", k, err)
		}
		got := run(t, tr, scans, k+1, len(scans), true)
		tr.Close()
		if len(got) != len(want)-(k+1) {
			t.Fatalf("k=%d: %d outputs, want %d", k, len(got), len(want)-(k+1))
		}
		for j := range got {
			if got[j] != want[k+1+j] {
				t.Fatalf("snapshot after scan %d: output of scan %d differs from the uninterrupted run", k, k+1+j)
			}
		}
	}
	if pending == 0 || confirmed == 0 {
		t.Errorf("snapshots held %d pending scans and %d confirmed tracks: the scenario exercises too little", pending, confirmed)
	}
}

func TestSnapshotRefusesNewerVersion(t *testing.T) {
	cfg, scans := snapScenario()
	var p trackpb.TrackerSnapshot
	if err := proto.Unmarshal(snapshotAt(t, cfg, scans, 5), &p); err != nil {
		t.Fatal(err)
	}
	p.FormatVersion = replay.SnapshotVersion + 1
	_, err := replay.State(&p)
	var se *replay.SnapshotError
	if !errors.Is(err, replay.ErrSnapshotVersion) || !errors.As(err, &se) {
		t.Fatalf("got %v, want a *SnapshotError wrapping ErrSnapshotVersion", err)
	}
}

func TestSnapshotCorruptRefused(t *testing.T) {
	cfg, scans := snapScenario()
	b := snapshotAt(t, cfg, scans, 20)
	cases := []struct {
		name     string
		edit     func(p *trackpb.TrackerSnapshot)
		sentinel error
	}{
		{"NaN covariance", func(p *trackpb.TrackerSnapshot) { p.Tracks[0].Track.P[0] = math.NaN() }, correlate.ErrState},
		{"covariance not PD", func(p *trackpb.TrackerSnapshot) { p.Tracks[0].Track.P[0] = -1 }, correlate.ErrState},
		{"short state", func(p *trackpb.TrackerSnapshot) { p.Tracks[0].Track.X = p.Tracks[0].Track.X[:3] }, correlate.ErrState},
		{"short history", func(p *trackpb.TrackerSnapshot) { p.Tracks[0].HistoryX = p.Tracks[0].HistoryX[:1] }, correlate.ErrState},
		{"slot twice", func(p *trackpb.TrackerSnapshot) { p.Tracks[1].Slot = p.Tracks[0].Slot }, correlate.ErrState},
		{"slot count", func(p *trackpb.TrackerSnapshot) { p.Slots++ }, correlate.ErrState},
		{"deleted status", func(p *trackpb.TrackerSnapshot) {
			p.Tracks[0].Track.Status = trackpb.TrackStatus_TRACK_STATUS_DELETED
		}, replay.ErrSnapshot},
		{"pending flags", func(p *trackpb.TrackerSnapshot) { p.PendingPartial = append(p.PendingPartial, true) }, replay.ErrSnapshot},
		{"version zero", func(p *trackpb.TrackerSnapshot) { p.FormatVersion = 0 }, replay.ErrSnapshotVersion},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var p trackpb.TrackerSnapshot
			if err := proto.Unmarshal(b, &p); err != nil {
				t.Fatal(err)
			}
			if len(p.Tracks) < 2 {
				t.Fatalf("snapshot has %d tracks, the cases need 2", len(p.Tracks))
			}
			c.edit(&p)
			st, err := replay.State(&p)
			if err == nil {
				var tr *correlate.Tracker
				tr, err = correlate.Restore(cfg, st)
				if tr != nil {
					tr.Close()
				}
			}
			if !errors.Is(err, c.sentinel) {
				t.Fatalf("got %v, want an error wrapping %v", err, c.sentinel)
			}
		})
	}
}
