package correlate_test

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
)

// scans generates a scenario's scans as correlate scans.
func scans(t testing.TB, sc bench.Scenario) []correlate.Scan {
	next := generator(t, sc)
	var out []correlate.Scan
	for {
		ev, err := next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		if ev.Scan != nil {
			var s correlate.Scan
			fromPB(&s, ev.Scan)
			out = append(out, s)
		}
	}
}

// associations are the association and logic variants the metamorphic and allocation
// tests run under.
var associations = []struct {
	name string
	cfg  correlate.Config
}{
	{"gnn", correlate.Config{}},
	{"jpda", correlate.Config{Association: correlate.AssociateJPDA}},
	{"jipda", correlate.Config{Association: correlate.AssociateJPDA, Logic: correlate.Existence}},
	{"imm", correlate.Config{Filter: correlate.IMM}},
	{"imm-jpda", correlate.Config{Filter: correlate.IMM, Association: correlate.AssociateJPDA}},
}

// A steady-state Process allocates nothing.
func TestProcessAllocs(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 200, Scans: 120, Seed: 5})
	for _, a := range associations {
		t.Run(a.name, func(t *testing.T) {
			tr := newTracker(t, a.cfg)
			var out correlate.Output
			k := 0
			for ; k < 80; k++ {
				require.NoError(t, tr.Process(&all[k], &out))
			}
			allocs := testing.AllocsPerRun(30, func() {
				if err := tr.Process(&all[k], &out); err != nil {
					t.Fatal(err)
				}
				k++
			})
			assert.Zero(t, allocs)
			assert.Greater(t, tr.Live(), 150)
			for _, tk := range out.Tracks {
				if a.cfg.Filter == correlate.IMM {
					require.Len(t, tk.Modes, 2)
				} else {
					require.Nil(t, tk.Modes)
				}
			}
		})
	}
}

// hashOutput hashes every exported output of a Process call except the stage timings.
func hashOutput(h uint64, o *correlate.Output) uint64 {
	f := fnv.New64a()
	var b [8]byte
	u := func(v uint64) { binary.LittleEndian.PutUint64(b[:], v); f.Write(b[:]) }
	u(h)
	for _, k := range o.Tracks {
		u(k.ID)
		u(uint64(k.Status))
		u(uint64(k.Time))
		for _, v := range k.State {
			u(math.Float64bits(v))
		}
		for _, v := range k.Cov {
			u(math.Float64bits(v))
		}
		for _, v := range k.Modes {
			u(math.Float64bits(v))
		}
		for _, d := range k.Detections {
			u(d)
		}
		u(math.Float64bits(k.Score))
		u(uint64(k.Hits))
		u(math.Float64bits(k.Existence))
	}
	for _, e := range o.Events {
		u(e.Track)
		u(uint64(e.Status))
		u(uint64(e.Time))
	}
	s := o.Stats
	for _, v := range []int{s.Scans, s.Detections, s.Batches, s.Gated, s.Associated, s.Initiated, s.Confirmed, s.Deleted, s.Rejected, s.Diverged, s.Dropped, s.Pending, s.Live} {
		u(uint64(v))
	}
	return f.Sum64()
}

func runHash(t *testing.T, cfg correlate.Config, all []correlate.Scan, workers int, shuffle *rand.Rand) uint64 {
	cfg.Sensors, cfg.Workers = sensors(3), workers
	tr := newTracker(t, cfg)
	var out correlate.Output
	var h uint64
	var s correlate.Scan
	for i := range all {
		s.Sensor, s.Time = all[i].Sensor, all[i].Time
		s.Detections = append(s.Detections[:0], all[i].Detections...)
		if shuffle != nil {
			shuffle.Shuffle(len(s.Detections), func(a, b int) { s.Detections[a], s.Detections[b] = s.Detections[b], s.Detections[a] })
		}
		require.NoError(t, tr.Process(&s, &out))
		h = hashOutput(h, &out)
	}
	return h
}

// Metamorphic: 1 and 4 workers, detections in file order or shuffled within each
// scan: byte-identical output.
func TestDeterminism(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 3000, Scans: 8, Sensors: 3, Seed: 11}) // large enough for the workers to take shards
	for _, a := range associations {
		t.Run(a.name, func(t *testing.T) {
			ref := runHash(t, a.cfg, all, 1, nil)
			assert.Equal(t, ref, runHash(t, a.cfg, all, 4, nil), "4 workers")
			assert.Equal(t, ref, runHash(t, a.cfg, all, 1, rand.New(rand.NewPCG(1, 2))), "shuffled")
			assert.Equal(t, ref, runHash(t, a.cfg, all, 4, rand.New(rand.NewPCG(3, 4))), "4 workers, shuffled")
		})
	}
}

// Validation is sharded over the workers: on a scan large enough to be split, the
// first bad detection (in index order) is named whatever the number of workers, even
// when a later shard holds an earlier-found problem, and a duplicate is named by its
// later copy; detections given in reverse order give the same output as in order.
func TestShardedValidation(t *testing.T) {
	all := scans(t, bench.Scenario{Targets: 3000, Scans: 3, Seed: 7})
	good := all[1]
	n := len(good.Detections)
	require.Greater(t, n, 2000)
	mut := func(f func(d []correlate.Detection)) correlate.Scan {
		s := good
		s.Detections = append([]correlate.Detection(nil), good.Detections...)
		f(s.Detections)
		return s
	}
	cases := []struct {
		name  string
		scan  correlate.Scan
		err   error
		index int
	}{
		{"NaN before bad R", mut(func(d []correlate.Detection) { d[n-600].Z[0] = math.NaN(); d[n-100].R[0] = -1 }), correlate.ErrNonFinite, n - 600},
		{"bad R in the first shard", mut(func(d []correlate.Detection) { d[n-5].Z[1] = math.Inf(1); d[40].R[1] = 1 }), correlate.ErrNotPositiveDefinite, 40},
		{"check before duplicate", mut(func(d []correlate.Detection) { d[n-1].ID = d[3].ID; d[n-2].Z[2] = 1 }), correlate.ErrDimension, n - 2},
		{"duplicate across shards", mut(func(d []correlate.Detection) { d[n-1].ID = d[3].ID }), correlate.ErrDuplicate, n - 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, workers := range []int{1, 2, 4} {
				tr := newTracker(t, correlate.Config{Sensors: sensors(1), Workers: workers})
				var out correlate.Output
				require.NoError(t, tr.Process(&all[0], &out))
				err := tr.Process(&c.scan, &out)
				require.ErrorIs(t, err, c.err, "workers %d", workers)
				var se *correlate.ScanError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, c.index, se.Index, "workers %d", workers)
				assert.Equal(t, c.scan.Detections[c.index].ID, se.Detection, "workers %d", workers)
			}
		})
	}
	// reversed detections: the same canonical order, hence the same output
	rev := make([]correlate.Scan, len(all))
	for i := range all {
		rev[i] = all[i]
		rev[i].Detections = slices.Clone(all[i].Detections)
		slices.Reverse(rev[i].Detections)
	}
	ref := runHash(t, correlate.Config{}, all, 1, nil)
	for _, workers := range []int{1, 2, 3} {
		assert.Equal(t, ref, runHash(t, correlate.Config{}, rev, workers, nil), "workers %d", workers)
	}
}
