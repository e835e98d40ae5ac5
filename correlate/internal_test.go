package correlate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stateHash hashes everything a Tracker carries from one scan to the next (not its
// per-tick workspace).
func (t *Tracker) stateHash() uint64 {
	h := fnv.New64a()
	var b [8]byte
	u := func(v uint64) { binary.LittleEndian.PutUint64(b[:], v); h.Write(b[:]) }
	f := func(v float64) { u(math.Float64bits(v)) }
	u(uint64(len(t.status)))
	for i := range t.status {
		u(uint64(t.status[i]))
		u(t.id[i])
		u(uint64(t.lastNS[i]))
		u(uint64(t.hitNS[i]))
		for _, v := range t.postSlot(int32(i)) {
			f(v)
		}
		u(uint64(t.hits[i]))
		u(uint64(t.scans[i]))
		f(t.score[i])
		f(t.maxScore[i])
		f(t.exist[i])
		u(t.touched[i])
		u(t.created[i])
		u(t.changed[i])
		u(t.assocDet[i])
		if t.ws.kill[i] {
			u(1)
		}
		if t.ws.pdaMiss[i] {
			u(2)
		}
	}
	for _, v := range t.imm.st {
		f(v)
	}
	for _, s := range t.free {
		u(uint64(s))
	}
	for i := range t.histT {
		u(uint64(t.histT[i]))
	}
	for _, v := range t.histX {
		f(v)
	}
	for i := range t.histLen {
		u(uint64(t.histLen[i]))
		u(uint64(t.histHead[i]))
	}
	u(uint64(t.live))
	u(uint64(t.watermark))
	u(t.nextID)
	u(t.tick)
	u(t.seq)
	if t.started {
		u(1)
	}
	for _, p := range t.pending {
		u(uint64(p.sensor))
		u(uint64(p.min))
		u(uint64(p.max))
		u(p.seq)
		for _, d := range p.dets {
			u(d.ID)
			u(uint64(d.Time))
			for _, v := range d.Z {
				f(v)
			}
		}
	}
	return h.Sum64()
}

func det(id uint64, tns int64, x, y float64) Detection {
	d := Detection{ID: id, Time: tns}
	d.Z[0], d.Z[1] = x, y
	d.R[0], d.R[3] = 4, 4
	return d
}

// scene returns scan k of three targets moving along x at 10 m/s, 100 m apart.
func scene(k int) Scan {
	tns := int64(k) * 1e9
	s := Scan{Sensor: 1, Time: tns}
	for i := 0; i < 3; i++ {
		s.Detections = append(s.Detections, det(uint64(10*k+i+1), tns, 10*float64(k)+0.3*float64(i%2), 100*float64(i)))
	}
	return s
}

// Each bad-input case is rejected with the right sentinel, names the culprit, and
// leaves the tracker bit for bit as it was; the next good scan is processed normally.
func TestBadInputLeavesStateUnchanged(t *testing.T) {
	mk := func(mut func(s *Scan)) Scan {
		s := scene(5)
		mut(&s)
		return s
	}
	cases := []struct {
		name   string
		scan   Scan
		err    error
		det    uint64
		policy OOSPolicy
	}{
		{"unknown sensor", mk(func(s *Scan) { s.Sensor = 9 }), ErrUnknownSensor, 0, Reject},
		{"NaN z", mk(func(s *Scan) { s.Detections[1].Z[1] = math.NaN() }), ErrNonFinite, 52, Reject},
		{"Inf z", mk(func(s *Scan) { s.Detections[2].Z[0] = math.Inf(-1) }), ErrNonFinite, 53, Reject},
		{"NaN R", mk(func(s *Scan) { s.Detections[0].R[3] = math.NaN() }), ErrNonFinite, 51, Reject},
		{"R not PD", mk(func(s *Scan) { s.Detections[1].R[0] = -1 }), ErrNotPositiveDefinite, 52, Reject},
		{"R not symmetric", mk(func(s *Scan) { s.Detections[1].R[1] = 1 }), ErrNotPositiveDefinite, 52, Reject},
		{"R singular", mk(func(s *Scan) { s.Detections[1].R = [16]float64{4, 4, 4, 4} }), ErrNotPositiveDefinite, 52, Reject},
		{"z too long", mk(func(s *Scan) { s.Detections[2].Z[2] = 1 }), ErrDimension, 53, Reject},
		{"R too large", mk(func(s *Scan) { s.Detections[2].R[5] = 1 }), ErrDimension, 53, Reject},
		{"duplicate", mk(func(s *Scan) { s.Detections[2].ID = s.Detections[0].ID }), ErrDuplicate, 51, Reject},
		{"out of order", scene(2), ErrOutOfOrder, 0, Reject},
		// a bad scan is rejected before the policy applies
		{"NaN under Drop", mk(func(s *Scan) { s.Detections[1].Z[0] = math.NaN() }), ErrNonFinite, 52, Drop},
		{"NaN under Reorder", mk(func(s *Scan) { s.Detections[1].Z[0] = math.NaN() }), ErrNonFinite, 52, Reorder},
	}
	assocs := []struct {
		name   string
		filter Filter
		assoc  Association
		logic  Logic
	}{{"gnn", CV, AssociateGNN, MofN}, {"jpda", CV, AssociateJPDA, MofN}, {"jipda", CV, AssociateJPDA, Existence},
		{"imm", IMM, AssociateGNN, MofN}, {"imm-jpda", IMM, AssociateJPDA, MofN}, {"imm-jipda", IMM, AssociateJPDA, Existence}}
	for _, a := range assocs {
		for _, c := range cases {
			t.Run(a.name+"/"+c.name, func(t *testing.T) {
				badInputCase(t, Config{Sensors: []Sensor{{ID: 1, Kind: Position2D}}, OutOfOrder: c.policy, MaxLag: 1, History: 2,
					Filter: a.filter, Association: a.assoc, Logic: a.logic}, c.scan, c.err, c.det)
			})
		}
	}
}

// badInputCase processes five good scans with a tracker for cfg, then scan, which must
// fail with want (naming detection det if not 0) and leave the state unchanged.
func badInputCase(t *testing.T, cfg Config, scan Scan, want error, det uint64) {
	tr, err := New(cfg)
	require.NoError(t, err)
	defer tr.Close()
	var out, before, after Output
	for k := 0; k < 5; k++ {
		s := scene(k)
		require.NoError(t, tr.Process(&s, &out))
	}
	h0 := tr.stateHash()
	tr.Snapshot(&before)
	err = tr.Process(&scan, &out)
	require.ErrorIs(t, err, want)
	var se *ScanError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, scan.Sensor, se.Sensor)
	if det != 0 {
		assert.Equal(t, det, se.Detection)
		assert.GreaterOrEqual(t, se.Index, 0)
	}
	assert.Equal(t, h0, tr.stateHash(), "internal state changed")
	tr.Snapshot(&after)
	assert.Equal(t, before.Tracks, after.Tracks)
	// later scans are processed normally
	s := scene(5)
	require.NoError(t, tr.Process(&s, &out))
	require.NoError(t, tr.Flush(&out))
	tr.Snapshot(&after)
	assert.Len(t, after.Tracks, 3)
	if cfg.Filter == IMM {
		require.Len(t, tr.imm.st, len(tr.status)*tr.imm.per)
		for _, tk := range after.Tracks {
			assert.Len(t, tk.Modes, 2)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	ok := []Sensor{{ID: 1, Kind: Position2D}}
	cases := []struct {
		name string
		cfg  Config
	}{
		{"no sensors", Config{}},
		{"axes", Config{Axes: 4, Sensors: ok}},
		{"negative q", Config{Q: -1, Sensors: ok}},
		{"NaN q", Config{Q: math.NaN(), Sensors: ok}},
		{"gate probability", Config{GateProbability: 1, Sensors: ok}},
		{"pd", Config{Pd: 1.5, Sensors: ok}},
		{"clutter", Config{ClutterDensity: -1, Sensors: ok}},
		{"m of n", Config{ConfirmM: 4, ConfirmN: 3, Sensors: ok}},
		{"alpha", Config{Alpha: 0.7, Sensors: ok}},
		{"policy", Config{OutOfOrder: 7, Sensors: ok}},
		{"workers", Config{Workers: -1, Sensors: ok}},
		{"association", Config{Association: 9, Sensors: ok}},
		{"existence without JPDA", Config{Logic: Existence, Sensors: ok}},
		{"survival", Config{Association: AssociateJPDA, Logic: Existence, Survival: 1.5, Sensors: ok}},
		{"existence thresholds", Config{Association: AssociateJPDA, Logic: Existence, ConfirmExistence: 0.1, DeleteExistence: 0.2, Sensors: ok}},
		{"duplicate sensor", Config{Sensors: []Sensor{{ID: 1, Kind: Position2D}, {ID: 1, Kind: Position2D}}}},
		{"unknown kind", Config{Sensors: []Sensor{{ID: 1}}}},
		{"3-D sensor on 2 axes", Config{Sensors: []Sensor{{ID: 1, Kind: Position3D}}}},
		{"sensor pd", Config{Sensors: []Sensor{{ID: 1, Kind: Position2D, Pd: 2}}}},
		{"filter", Config{Filter: 9, Sensors: ok}},
		{"IMM no modes", Config{Filter: IMM, IMM: IMMConfig{Modes: []IMMMode{}}, Sensors: ok}},
		{"IMM too many modes", Config{Filter: IMM, IMM: IMMConfig{Modes: make([]IMMMode, 5)}, Sensors: ok}},
		{"IMM mode kind", Config{Filter: IMM, IMM: IMMConfig{Modes: []IMMMode{{Kind: 7}}}, Sensors: ok}},
		{"IMM mode Q", Config{Filter: IMM, IMM: IMMConfig{Modes: []IMMMode{{Q: math.NaN()}, {Kind: Turn}}}, Sensors: ok}},
		{"IMM mode QRate", Config{Filter: IMM, IMM: IMMConfig{Modes: []IMMMode{{}, {Kind: Turn, QRate: -1}}}, Sensors: ok}},
		{"IMM prob range", Config{Filter: IMM, IMM: IMMConfig{Modes: []IMMMode{{Prob: 1.5}, {Kind: Turn, Prob: -0.5}}}, Sensors: ok}},
		{"IMM prob sum", Config{Filter: IMM, IMM: IMMConfig{Modes: []IMMMode{{Prob: 0.5}, {Kind: Turn, Prob: 0.4}}}, Sensors: ok}},
		{"IMM switch size", Config{Filter: IMM, IMM: IMMConfig{Switch: []float64{1}}, Sensors: ok}},
		{"IMM switch row", Config{Filter: IMM, IMM: IMMConfig{Switch: []float64{0.9, 0.2, 0.1, 0.9}}, Sensors: ok}},
		{"IMM switch NaN", Config{Filter: IMM, IMM: IMMConfig{Switch: []float64{math.NaN(), 1, 0.1, 0.9}}, Sensors: ok}},
		{"IMM turn rate sigma", Config{Filter: IMM, IMM: IMMConfig{TurnRateSigma: math.Inf(1)}, Sensors: ok}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(c.cfg)
			assert.ErrorIs(t, err, ErrConfig)
		})
	}
}

// Memory is flat over 100,000 ticks at a constant number of targets: deleted slots are
// reused, so the slot arrays and the heap stop growing.
func TestMemoryFlat(t *testing.T) {
	const targets, ticks = 5, 100_000
	tr, err := New(Config{Sensors: []Sensor{{ID: 1, Kind: Position2D}}})
	require.NoError(t, err)
	defer tr.Close()
	rng := newRand(7)
	var out Output
	sc := Scan{Sensor: 1}
	id := uint64(1)
	var slots10k int
	var heap10k uint64
	for k := 0; k < ticks; k++ {
		tns := int64(k) * 1e9
		sc.Time = tns
		sc.Detections = sc.Detections[:0]
		for i := 0; i < targets; i++ {
			if rng.Float64() < 0.9 {
				// targets on circles of radius 200 m, 1000 m apart
				a := 0.02 * float64(k)
				sc.Detections = append(sc.Detections, det(id, tns, 1000*float64(i)+200*math.Cos(a)+2*rng.NormFloat64(), 200*math.Sin(a)+2*rng.NormFloat64()))
				id++
			}
		}
		if rng.Float64() < 0.5 { // clutter
			sc.Detections = append(sc.Detections, det(id, tns, 5000*rng.Float64(), 5000*rng.Float64()-2500))
			id++
		}
		require.NoError(t, tr.Process(&sc, &out))
		if k == 10_000 {
			slots10k = len(tr.status)
			heap10k = heapInUse()
		}
	}
	t.Logf("slots after 10k ticks %d, after 100k %d; heap %d → %d bytes; live %d",
		slots10k, len(tr.status), heap10k, heapInUse(), tr.Live())
	assert.Equal(t, slots10k, len(tr.status))
	assert.InDelta(t, float64(heap10k), float64(heapInUse()), 256<<10)
	assert.InDelta(t, targets, tr.Live(), 3)
}

// The validation's fast path accepts only detections the full check accepts, for
// every sensor kind.
func TestPlainDetectionAgreesWithCheck(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	negz := math.Copysign(0, -1)
	r2 := func(a, b, c, d float64) (r [16]float64) { r[0], r[1], r[2], r[3] = a, b, c, d; return }
	tests := []struct {
		name string
		z    [4]float64
		r    [16]float64
	}{
		{"diagonal", [4]float64{1, 2}, r2(4, 0, 0, 9)},
		{"negative zero off the diagonal", [4]float64{1, 2}, r2(4, negz, negz, 9)},
		{"correlated", [4]float64{1, 2}, r2(4, 1, 1, 9)},
		{"asymmetric", [4]float64{1, 2}, r2(4, 1, 0.5, 9)},
		{"zero variance", [4]float64{1, 2}, r2(0, 0, 0, 9)},
		{"negative variance", [4]float64{1, 2}, r2(4, 0, 0, -1)},
		{"infinite variance", [4]float64{1, 2}, r2(inf, 0, 0, 9)},
		{"NaN variance", [4]float64{1, 2}, r2(nan, 0, 0, 9)},
		{"NaN z", [4]float64{nan, 2}, r2(4, 0, 0, 9)},
		{"infinite z", [4]float64{1, -inf}, r2(4, 0, 0, 9)},
		{"z beyond m", [4]float64{1, 2, 3}, r2(4, 0, 0, 9)},
		{"negative zero z beyond m", [4]float64{1, 2, negz}, r2(4, 0, 0, 9)},
		{"R beyond m", [4]float64{1, 2}, func() [16]float64 { r := r2(4, 0, 0, 9); r[4] = 1; return r }()},
		{"negative range", [4]float64{-1, 0.5}, r2(4, 0, 0, 0.01)},
	}
	for _, kind := range []MeasurementKind{Position2D, RangeBearing} {
		tr, err := New(Config{Sensors: []Sensor{{ID: 1, Kind: kind}}})
		require.NoError(t, err)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				sc := Scan{Sensor: 1, Detections: []Detection{{ID: 1, Z: tt.z, R: tt.r}}}
				full := tr.checkDetection(&sc, 0, 2, 0)
				plain := tr.plainDetection(&sc.Detections[0], 2, 0)
				if plain {
					assert.NoError(t, full)
				}
				if kind == Position2D && full == nil && tt.r[1] == 0 {
					assert.True(t, plain, "a valid diagonal R takes the fast path")
				}
			})
		}
		tr.Close()
	}
}

// A batch counts as sharing one covariance exactly when every detection's is the same
// bit for bit, whichever worker's shard holds the one that differs.
func TestBatchSharedR(t *testing.T) {
	const n = 1000 // two shards with two workers
	for _, workers := range []int{1, 2} {
		for _, tc := range []struct {
			name   string
			differ int // index of the detection whose R differs, -1 for none
			shared bool
		}{{"all equal", -1, true}, {"first shard", 3, false}, {"last shard", n - 1, false}} {
			t.Run(fmt.Sprintf("workers=%d/%s", workers, tc.name), func(t *testing.T) {
				tr, err := New(Config{Sensors: []Sensor{{ID: 1, Kind: Position2D}}, Workers: workers})
				require.NoError(t, err)
				defer tr.Close()
				s := Scan{Sensor: 1, Time: 1e9}
				for i := range n {
					d := det(uint64(i+1), 1e9, 100*float64(i%40), 100*float64(i/40))
					if i == tc.differ {
						d.R[0] = math.Nextafter(d.R[0], 5)
					}
					s.Detections = append(s.Detections, d)
				}
				var out Output
				require.NoError(t, tr.Process(&s, &out))
				assert.Equal(t, tc.shared, tr.batchSharedR)
			})
		}
	}
}
