package t2t

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newCorrelator(t testing.TB, cfg Config) *Correlator {
	c, err := New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// TestTwoSources: two sources track the same 1,000 targets with independent errors at
// different rates (every second, 0.2 s before the round; every two seconds, 0.7 s before
// it). Every system track must hold exactly one track of each source, of the same
// target, no target may have two system tracks, and the fused position error must be
// at most the better source's.
func TestTwoSources(t *testing.T) {
	for _, tc := range []struct {
		layout Layout
		fusion Fusion
	}{{CV2, CI}, {CV2, Information}, {CV3, CI}, {CV3, Information}} {
		layout, fusion := tc.layout, tc.fusion
		t.Run(fmt.Sprint(layout, "/fusion=", fusion), func(t *testing.T) {
			const n, rounds = 1000, 20
			rng := rand.New(rand.NewPCG(11, 12))
			targets := grid(rng, n, 1000)
			a := source{id: 1, sigP: 10, sigV: 1}
			b := source{id: 2, sigP: 15, sigV: 0.5} // worse position, better velocity
			c := newCorrelator(t, Config{Layout: layout, Q: 0.01, Fusion: fusion})
			lift := func(r Report) Report {
				if layout == CV3 {
					return to3D(r)
				}
				return r
			}
			var events []Event
			var reports []Report
			var errA, errF float64
			var nA, nF int
			for k := 1; k <= rounds; k++ {
				now := int64(k) * second
				reports = reports[:0]
				for i, tr := range targets {
					r := a.report(rng, i, tr, now-second/5)
					if k > rounds/2 { // source A's estimate predicted to the round time
						x, y := tr.at(now)
						errA += sq(r.X[0]+r.X[1]/5-x) + sq(r.X[2]+r.X[3]/5-y)
						nA++
					}
					reports = append(reports, lift(r))
					if k%2 == 0 {
						reports = append(reports, lift(b.report(rng, i, tr, now-7*second/10)))
					}
				}
				var err error
				events, err = c.Round(events[:0], now, reports)
				require.NoError(t, err)
				if k > rounds/2 {
					for _, st := range c.Tracks(nil) {
						keys := c.Members(nil, st.ID)
						i := int(keys[0].Track) - 1000
						x, y := targets[i].at(now)
						errF += sq(st.Est.X[0]-x) + sq(st.Est.X[2]-y) // z is exact in both sources
						nF++
					}
				}
			}
			require.Equal(t, n, c.Len(), "one system track per target")
			seen := make(map[uint64]bool)
			for _, st := range c.Tracks(nil) {
				keys := c.Members(nil, st.ID)
				require.Len(t, keys, 2, "system %d", st.ID)
				assert.Equal(t, uint32(1), keys[0].Source)
				assert.Equal(t, uint32(2), keys[1].Source)
				assert.Equal(t, keys[0].Track, keys[1].Track, "system %d mixes targets", st.ID)
				assert.False(t, seen[keys[0].Track], "target %d duplicated", keys[0].Track)
				seen[keys[0].Track] = true
			}
			rmsA, rmsF := math.Sqrt(errA/float64(nA)), math.Sqrt(errF/float64(nF))
			t.Logf("position RMS: source A %.2f m, fused %.2f m", rmsA, rmsF)
			assert.LessOrEqual(t, rmsF, rmsA)
		})
	}
}

func sq(x float64) float64 { return x * x }

// TestBiasAndDivergence: a source with a constant position bias inside the gate stays
// correlated for the whole run; a source that then jumps far away is decorrelated
// exactly at its Hysteresis-th consecutive report beyond the keep gate, not before,
// and a single outlier report does not break the pair.
func TestBiasAndDivergence(t *testing.T) {
	const n, k = 10, 4
	rng := rand.New(rand.NewPCG(21, 22))
	targets := grid(rng, n, 2000)
	a := source{id: 1, sigP: 10, sigV: 1}
	b := source{id: 2, sigP: 10, sigV: 1, bias: [2]float64{8, -6}} // 10 m, 0.5σ of S
	c := newCorrelator(t, Config{Layout: CV2, Q: 0.01, Hysteresis: k})
	var events []Event
	round := func(now int64, outlier, diverge bool) []Event {
		var reports []Report
		for i, tr := range targets {
			reports = append(reports, a.report(rng, i, tr, now))
			rb := b.report(rng, i, tr, now)
			if diverge || (outlier && i == 0) {
				rb.X[0] += 500
			}
			reports = append(reports, rb)
		}
		var err error
		events, err = c.Round(events[:0], now, reports)
		require.NoError(t, err)
		return events
	}
	pairsIntact := func() {
		for i := 0; i < n; i++ {
			sa, oka := c.System(Key{1, uint64(1000 + i)})
			sb, okb := c.System(Key{2, uint64(1000 + i)})
			require.True(t, oka && okb)
			require.Equal(t, sa, sb, "target %d", i)
		}
	}
	now := int64(0)
	for r := 0; r < 40; r++ {
		now += second
		ev := round(now, r == 20, false)
		for _, e := range ev {
			require.NotEqual(t, EventDecorrelated, e.Kind, "round %d", r)
		}
		pairsIntact()
	}
	// Persistent divergence: K-1 rounds keep the pairs, the K-th breaks every one.
	for r := 1; r <= k; r++ {
		now += second
		ev := round(now, false, true)
		dec := 0
		for _, e := range ev {
			if e.Kind == EventDecorrelated {
				dec++
				assert.Equal(t, uint32(2), e.Key.Source, "the later member leaves")
			}
		}
		if r < k {
			require.Zero(t, dec, "round %d of divergence", r)
			pairsIntact()
		} else {
			require.Equal(t, n, dec)
		}
	}
	for i := 0; i < n; i++ {
		sa, _ := c.System(Key{1, uint64(1000 + i)})
		sb, _ := c.System(Key{2, uint64(1000 + i)})
		assert.NotEqual(t, sa, sb, "target %d", i)
	}
	assert.Equal(t, 2*n, c.Len())
}

// TestIdentity: a class conflict forbids a pair that geometry alone would make, and
// NotWith forbids a named pair; a matching nation wins a pair against an unknown one.
func TestIdentity(t *testing.T) {
	mk := func(src uint32, track uint64, x float64, id Identity) Report {
		r := Report{Key: Key{src, track}, Time: second, Layout: CV2, ID: id}
		r.X[0] = x
		r.P[0], r.P[5], r.P[10], r.P[15] = 100, 1, 100, 1
		return r
	}
	for _, tc := range []struct {
		name     string
		a, b     Identity
		together bool
	}{
		{"unknown", Identity{}, Identity{}, true},
		{"same class", Identity{Class: 3}, Identity{Class: 3}, true},
		{"class conflict", Identity{Class: 3}, Identity{Class: 4}, false},
		{"nation conflict", Identity{Nation: 7}, Identity{Nation: 9}, false},
		{"one class unknown", Identity{Class: 3}, Identity{}, true},
		{"not with", Identity{}, Identity{NotWith: Key{1, 5}}, false},
		{"not with, other side", Identity{NotWith: Key{2, 6}}, Identity{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCorrelator(t, Config{})
			_, err := c.Round(nil, second, []Report{mk(1, 5, 0, tc.a), mk(2, 6, 3, tc.b)})
			require.NoError(t, err)
			sa, _ := c.System(Key{1, 5})
			sb, _ := c.System(Key{2, 6})
			assert.Equal(t, tc.together, sa == sb)
		})
	}
	t.Run("favour", func(t *testing.T) {
		// Source 2's track is slightly nearer the unknown system track (x=0) than the
		// one of matching nation (x=8): d² 0.04 against 0.045, so the bonus decides.
		c := newCorrelator(t, Config{})
		_, err := c.Round(nil, second, []Report{mk(1, 1, 0, Identity{}), mk(3, 1, 8.5, Identity{Nation: 5})})
		require.NoError(t, err)
		_, err = c.Round(nil, second, []Report{mk(2, 1, 4.0, Identity{Nation: 5})})
		require.NoError(t, err)
		s2, _ := c.System(Key{2, 1})
		s3, _ := c.System(Key{3, 1})
		assert.Equal(t, s3, s2)
	})
}

func goodReport(src uint32, track uint64, t int64) Report {
	r := Report{Key: Key{src, track}, Time: t, Layout: CV2}
	r.X = [MaxDim]float64{float64(track) * 1000, 1, 0, 1}
	r.P[0], r.P[5], r.P[10], r.P[15] = 100, 1, 100, 1
	return r
}

// snapshot is everything observable about a Correlator's state.
func snapshot(c *Correlator) string {
	h := fnv.New64a()
	for _, st := range c.Tracks(nil) {
		fmt.Fprintf(h, "%d %d %v %v %v|", st.ID, st.Time, st.Est.X, st.Est.P, c.Members(nil, st.ID))
	}
	return fmt.Sprintf("%x %d %d", h.Sum64(), c.Len(), c.now)
}

// TestBadReports: each bad report is rejected with its sentinel, names the report,
// and leaves the Correlator exactly as it was: the next good round gives the same
// result as on a Correlator that never saw the bad one.
func TestBadReports(t *testing.T) {
	mod := func(f func(r *Report)) []Report {
		rs := []Report{goodReport(1, 1, 3*second), goodReport(2, 1, 3*second), goodReport(1, 2, 3*second)}
		f(&rs[1])
		return rs
	}
	for _, tc := range []struct {
		name    string
		t       int64
		reports []Report
		want    error
		index   int
	}{
		{"NaN mean", 3 * second, mod(func(r *Report) { r.X[1] = math.NaN() }), ErrNonFinite, 1},
		{"Inf covariance", 3 * second, mod(func(r *Report) { r.P[5] = math.Inf(1) }), ErrNonFinite, 1},
		{"negative variance", 3 * second, mod(func(r *Report) { r.P[0] = -1 }), ErrNotPositiveDefinite, 1},
		{"not positive definite", 3 * second, mod(func(r *Report) { r.P[1], r.P[4] = 50, 50 }), ErrNotPositiveDefinite, 1},
		{"not symmetric", 3 * second, mod(func(r *Report) { r.P[1] = 0.5 }), ErrNotPositiveDefinite, 1},
		{"unknown layout", 3 * second, mod(func(r *Report) { r.Layout = 9 }), ErrLayout, 1},
		{"other layout", 3 * second, mod(func(r *Report) { r.Layout = CV3 }), ErrLayout, 1},
		{"report after round", 3 * second, mod(func(r *Report) { r.Time = 4 * second }), ErrOutOfOrder, 1},
		{"report older than last", 3 * second, mod(func(r *Report) { r.Time = second / 2 }), ErrOutOfOrder, 1},
		{"round before previous", second / 2, []Report{goodReport(1, 1, second/2)}, ErrOutOfOrder, -1},
		{"duplicate", 3 * second, mod(func(r *Report) { r.Key = Key{1, 1} }), ErrDuplicate, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			warm := func(c *Correlator) {
				_, err := c.Round(nil, second, []Report{goodReport(1, 1, second), goodReport(2, 1, second)})
				require.NoError(t, err)
			}
			c, ref := newCorrelator(t, Config{}), newCorrelator(t, Config{})
			warm(c)
			warm(ref)
			before := snapshot(c)
			events := []Event{{Kind: EventCreated, System: 99}}
			got, err := c.Round(events, tc.t, tc.reports)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.want), "%v", err)
			var re *ReportError
			require.True(t, errors.As(err, &re))
			assert.Equal(t, tc.index, re.Index)
			assert.Equal(t, events, got)
			assert.Equal(t, before, snapshot(c))
			next := []Report{goodReport(1, 1, 5*second), goodReport(2, 1, 5*second), goodReport(3, 7, 5*second)}
			e1, err := c.Round(nil, 5*second, next)
			require.NoError(t, err)
			e2, err := ref.Round(nil, 5*second, next)
			require.NoError(t, err)
			assert.Equal(t, e2, e1)
			assert.Equal(t, snapshot(ref), snapshot(c))
		})
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Layout: 7}, {Q: -1}, {Q: math.NaN()}, {Gate: 1}, {Gate: 0.9, KeepGate: 0.5},
		{Hysteresis: -1}, {DropAfter: -time.Second}, {Fusion: 5}, {Objective: 5}, {Workers: -2},
		{IdentityBonus: math.Inf(1)},
	} {
		_, err := New(cfg)
		assert.True(t, errors.Is(err, ErrConfig), "%+v: %v", cfg, err)
	}
}

// scenario runs a small mixed scenario (three sources, appearing and disappearing
// tracks, a diverging source) and returns a digest of every event and track, with the
// reports of each round permuted by perm.
func scenario(t *testing.T, cfg Config, perm func(rs []Report)) string {
	return scenarioWith(t, cfg, perm, func(*Correlator) {})
}

func scenarioWith(t *testing.T, cfg Config, perm func(rs []Report), setup func(*Correlator)) string {
	rng := rand.New(rand.NewPCG(31, 32))
	targets := grid(rng, 300, 400)
	srcs := []source{{id: 1, sigP: 10, sigV: 1}, {id: 2, sigP: 20, sigV: 2}, {id: 3, sigP: 15, sigV: 1, bias: [2]float64{10, 0}}}
	c := newCorrelator(t, cfg)
	setup(c)
	h := fnv.New64a()
	var events []Event
	for k := 1; k <= 25; k++ {
		now := int64(k) * second
		var rs []Report
		for i, tr := range targets {
			for si, s := range srcs {
				if (i+si)%7 == k%7 || (si == 2 && k%3 != 0) || (si == 1 && i < 30 && k > 15) {
					continue // gaps, a slower source, tracks that stop
				}
				r := s.report(rng, i, tr, now-int64(si)*second/4)
				if si == 2 && i%50 == 0 && k > 12 {
					r.X[2] += 400
				}
				rs = append(rs, r)
			}
		}
		perm(rs)
		var err error
		events, err = c.Round(events[:0], now, rs)
		require.NoError(t, err)
		fmt.Fprintf(h, "%v", events)
		for _, st := range c.Tracks(nil) {
			fmt.Fprintf(h, "%d %.6g %.6g %v;", st.ID, st.Est.X, st.Est.P, c.Members(nil, st.ID))
		}
	}
	return fmt.Sprintf("%x", h.Sum64())
}

// TestDeterminism: the same scenario with the reports of every round shuffled, and with
// more solver workers, gives identical events and tracks.
func TestDeterminism(t *testing.T) {
	ref := scenario(t, Config{}, func([]Report) {})
	rng := rand.New(rand.NewPCG(41, 42))
	shuffle := func(rs []Report) { rng.Shuffle(len(rs), func(i, j int) { rs[i], rs[j] = rs[j], rs[i] }) }
	assert.Equal(t, ref, scenario(t, Config{}, shuffle))
	reverse := func(rs []Report) {
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
	}
	assert.Equal(t, ref, scenario(t, Config{Workers: 2}, reverse))
	parallel := func(c *Correlator) { c.parMin = 1 } // every round through the workers
	assert.Equal(t, ref, scenarioWith(t, Config{Workers: 3}, shuffle, parallel))
	assert.NotEqual(t, ref, scenario(t, Config{Objective: Trace}, func([]Report) {}), "the digest must see the fusion")
}

// TestLifecycle: sources drop out after DropAfter, system tracks are deleted after
// DeleteAfter, and slots are reused so memory stays bounded.
func TestLifecycle(t *testing.T) {
	c := newCorrelator(t, Config{DropAfter: 2 * time.Second, DeleteAfter: 4 * time.Second})
	var events []Event
	kinds := func() []EventKind {
		var k []EventKind
		for _, e := range events {
			k = append(k, e.Kind)
		}
		return k
	}
	var err error
	events, err = c.Round(events[:0], second, []Report{goodReport(1, 1, second), goodReport(2, 1, second)})
	require.NoError(t, err)
	assert.Equal(t, []EventKind{EventCreated, EventJoined}, kinds())
	id, _ := c.System(Key{1, 1})
	for k := int64(2); k <= 4; k++ {
		events, err = c.Round(events[:0], k*second, []Report{goodReport(1, 1, k*second)})
		require.NoError(t, err)
		if k < 4 {
			assert.Empty(t, events)
		}
	}
	assert.Equal(t, []Event{{Kind: EventDropped, System: id, Key: Key{2, 1}, Time: 4 * second}}, events)
	events, err = c.Round(events[:0], 9*second, nil)
	require.NoError(t, err)
	assert.Equal(t, []Event{{Kind: EventDeleted, System: id, Time: 9 * second}}, events)
	assert.Zero(t, c.Len())
	// Many generations of tracks: the slabs stay at the largest live count.
	for g := int64(0); g < 20; g++ {
		now := (20 + 10*g) * second
		var rs []Report
		for i := uint64(0); i < 50; i++ {
			rs = append(rs, goodReport(1, uint64(g)*100+i, now))
		}
		_, err = c.Round(nil, now, rs)
		require.NoError(t, err)
	}
	assert.LessOrEqual(t, len(c.sys), 50)
	assert.LessOrEqual(t, len(c.mem), 50)
	assert.LessOrEqual(t, len(c.index), 50)
}

// TestSteadyStateAllocs: a round of already-correlated reports allocates nothing, on
// one goroutine or with workers.
func TestSteadyStateAllocs(t *testing.T) {
	for _, workers := range []int{1, 2} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) { steadyStateAllocs(t, workers) })
	}
}

func steadyStateAllocs(t *testing.T, workers int) {
	rng := rand.New(rand.NewPCG(51, 52))
	targets := grid(rng, 200, 1000)
	srcs := []source{{id: 1, sigP: 10, sigV: 1}, {id: 2, sigP: 20, sigV: 2}, {id: 3, sigP: 15, sigV: 1}}
	c := newCorrelator(t, Config{Layout: CV2, Workers: workers})
	c.parMin = 1
	var rs []Report
	now := int64(0)
	fill := func() {
		now += second
		rs = rs[:0]
		for i, tr := range targets {
			for _, s := range srcs {
				rs = append(rs, s.report(rng, i, tr, now))
			}
		}
	}
	var events []Event
	for k := 0; k < 3; k++ {
		fill()
		var err error
		events, err = c.Round(events[:0], now, rs)
		require.NoError(t, err)
	}
	require.Equal(t, 200, c.Len())
	fill()
	allocs := testing.AllocsPerRun(20, func() {
		now += second / 100
		for i := range rs {
			rs[i].Time = now
		}
		events, _ = c.Round(events[:0], now, rs)
	})
	assert.Zero(t, allocs)
	assert.Equal(t, 600, c.Stats().Mapped)
	assert.Equal(t, 200, c.Len())
}

// TestLateCorrelation: a source track whose first report falls outside the gate
// starts its own system track, and joins the right one as soon as its reports agree
// (the lone system track is deleted).
func TestLateCorrelation(t *testing.T) {
	c := newCorrelator(t, Config{})
	a := goodReport(1, 1, second)
	b := goodReport(2, 9, second)
	b.X = a.X
	b.X[0] += 80 // d² = 80²/200 = 32 > 9.21
	ev, err := c.Round(nil, second, []Report{a, b})
	require.NoError(t, err)
	require.Equal(t, []EventKind{EventCreated, EventCreated}, []EventKind{ev[0].Kind, ev[1].Kind})
	sa, _ := c.System(a.Key)
	sb, _ := c.System(b.Key)
	require.NotEqual(t, sa, sb)
	a, b = goodReport(1, 1, 2*second), goodReport(2, 9, 2*second)
	b.X = a.X
	b.X[0] += 5
	ev, err = c.Round(nil, 2*second, []Report{b, a})
	require.NoError(t, err)
	assert.Equal(t, []Event{
		{Kind: EventDeleted, System: sb, Time: 2 * second},
		{Kind: EventJoined, System: sa, Key: b.Key, Time: 2 * second},
	}, ev)
	got, _ := c.System(b.Key)
	assert.Equal(t, sa, got)
	assert.Equal(t, 1, c.Len())
	assert.Equal(t, []Key{a.Key, b.Key}, c.Members(nil, sa))
}

// TestOneByOne: reports delivered one at a time in arrival order, where a source's
// report arrives after a later report of another source, are accepted with the round
// time max(Time(), report time) and correlate every target's two tracks together.
func TestOneByOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(101, 102))
	targets := grid(rng, 50, 1000)
	srcs := []source{{id: 1, sigP: 10, sigV: 1}, {id: 2, sigP: 15, sigV: 1}}
	single := newCorrelator(t, Config{})
	var arrivals []Report
	for k := int64(1); k <= 8; k++ {
		for i, tr := range targets {
			a := srcs[0].report(rng, i, tr, k*second)
			b := srcs[1].report(rng, i, tr, k*second-300*1e6) // 0.3 s older, arrives after a
			arrivals = append(arrivals, a, b)
		}
	}
	for _, r := range arrivals {
		_, err := single.Round(nil, max(single.Time(), r.Time), []Report{r})
		require.NoError(t, err, "report %v", r.Key)
	}
	assert.Equal(t, 50, single.Len())
	for _, st := range single.Tracks(nil) {
		keys := single.Members(nil, st.ID)
		require.Len(t, keys, 2)
		assert.Equal(t, keys[0].Track, keys[1].Track)
	}
	// A report older than the last one of its source track is still rejected.
	old := arrivals[len(arrivals)-2]
	old.Time -= second
	_, err := single.Round(nil, single.Time(), []Report{old})
	assert.True(t, errors.Is(err, ErrOutOfOrder))
}
