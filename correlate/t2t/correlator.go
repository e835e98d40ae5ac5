package t2t

import (
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/trackcorr/trackcorr/correlate/assign"
	"github.com/trackcorr/trackcorr/spatial"
)

// MaxMembers is the largest number of source tracks a system track holds at once: at
// most one per source, so at most MaxMembers sources per object. A report that would
// be a system track's ninth member starts a system track of its own instead.
const MaxMembers = 8

// Fusion selects how a system track's members are fused.
type Fusion uint8

const (
	// CI fuses by covariance intersection, consistent whatever the (unknown)
	// correlation between the sources' errors: the default, and the right choice when
	// sources share process noise, measurements or earlier fused tracks.
	CI Fusion = iota
	// Information adds the members' information matrices: optimal for independent
	// sources, overconfident for correlated ones.
	Information
)

// Config configures a Correlator. Zero fields mean the documented defaults.
type Config struct {
	// Layout is the state layout of every report and system track. Zero means CV2.
	Layout Layout
	// Q is the acceleration noise spectral density, m²/s³ per axis, of the
	// constant-velocity model that predicts reports and system tracks to the round
	// time. Zero means 1.
	Q float64
	// Gate is the probability P_G of the correlation gate on the position d² (χ² with 2
	// or 3 degrees of freedom): a report of the same object falls inside with this
	// probability when every covariance is right. Zero means 0.99 (γ = 9.21 in 2-D).
	Gate float64
	// KeepGate is the probability of the looser gate that an established pairing must
	// exceed to count a miss. Zero means 0.9999 (γ = 18.4 in 2-D). It must be at least
	// Gate.
	KeepGate float64
	// Hysteresis is K: an established pairing is broken (decorrelated) only after its
	// distance exceeded the keep gate in K consecutive reports. Zero means 3.
	Hysteresis int
	// DropAfter: a source track that has not reported for longer than this leaves its
	// system track (EventDropped). Zero means 5 s.
	DropAfter time.Duration
	// DeleteAfter: a system track that has received no report for longer than this is
	// deleted (EventDeleted). Zero means 10 s.
	DeleteAfter time.Duration
	// Fusion selects covariance intersection (zero) or information fusion.
	Fusion Fusion
	// Objective selects what the covariance-intersection weight minimises: the
	// determinant (zero) or the trace of the fused covariance.
	Objective Objective
	// IdentityBonus is subtracted from the d² cost of a pair whose known class or
	// nationality agree, favouring it over pairs without identity. Zero means 2;
	// negative means no bonus.
	IdentityBonus float64
	// Workers is the number of goroutines, the caller's included, that update system
	// tracks (prediction, hysteresis, fusion) and solve the assignments. Zero means 1.
	// Output does not depend on it.
	Workers int
}

// EventKind says what happened to a system track.
type EventKind uint8

const (
	// EventCreated: a source track started a new system track.
	EventCreated EventKind = iota + 1
	// EventJoined: a source track was correlated with an existing system track.
	EventJoined
	// EventDropped: a source track stopped reporting (DropAfter) and left its system
	// track.
	EventDropped
	// EventDecorrelated: a source track diverged from its system track for Hysteresis
	// consecutive reports and was removed from it; in the same round it is correlated
	// afresh (EventJoined or EventCreated follows).
	EventDecorrelated
	// EventDeleted: a system track received no report for DeleteAfter and was deleted,
	// with its remaining members.
	EventDeleted
)

// String returns the event kind's name.
func (k EventKind) String() string {
	switch k {
	case EventCreated:
		return "created"
	case EventJoined:
		return "joined"
	case EventDropped:
		return "dropped"
	case EventDecorrelated:
		return "decorrelated"
	case EventDeleted:
		return "deleted"
	}
	return "unknown"
}

// Event is one change of the correlation. Key is the source track concerned (zero for
// EventDeleted); Time is the round time.
type Event struct {
	Kind   EventKind
	System uint64
	Key    Key
	Time   int64
}

// Stats counts what the last successful Round did.
type Stats struct {
	Reports      int // reports in the round
	Mapped       int // reports of source tracks already correlated
	Unmapped     int // reports correlated afresh: new, decorrelated and lone source tracks
	Pairs        int // gated candidate pairs, before identity rules
	Joined       int // source tracks that joined an existing system track
	Created      int // system tracks created
	Decorrelated int
	Dropped      int
	Deleted      int
	Fused        int // system tracks re-fused
	Systems      int // live system tracks after the round
}

// Track is a system track as returned by Tracks.
type Track struct {
	ID      uint64
	Time    int64 // nanoseconds: the time of the estimate (the last round time)
	Est     Estimate
	Members int // number of source tracks correlated with it
}

type system struct {
	id    uint64
	t     int64             // time of x, p
	last  int64             // time of the latest report of any member
	x     vec               // fused mean
	p     mtx               // fused covariance
	mem   [MaxMembers]int32 // member slots, ordered by source
	n     int32
	live  bool
	stamp uint64 // round in which it was last put on the touched list
}

type member struct {
	key    Key
	sys    int32
	t      int64 // time of x, p (the member is predicted in place)
	rt     int64 // time of its latest report
	x      vec
	p      mtx
	id     Identity
	misses int32
	seq    uint64 // when it joined
	round  uint64 // last round in which it reported
	rep    int32  // index into the workspace reports in that round
}

type repWork struct {
	idx    int32
	key    Key
	t      int64 // report time
	id     Identity
	mem    int32 // member slot, or -1
	forbid int32 // system slot it may not join in this round, or -1
	est    int32 // its estimate in ws.est once correlate needs one, or -1
}

// estWork is the estimate of a report that is correlated afresh.
type estWork struct {
	x vec
	p mtx
	t int64 // time of x, p
}

type workspace struct {
	rep      []repWork
	reports  []Report // the round's input, during Round only
	est      []estWork
	seen     []uint64 // per member slot: the validation pass that saw it
	hint     []int32  // per report index: the member slot of that index last round
	check    uint64
	unmapped []int32
	cand     []int32
	work     []int32 // system tracks with news this round, by ID
	worst    []int32 // per work entry: member to decorrelate, or -1
	joined   []int32
	tz, tc   []float64
	dz, dc   []float64
	pairs    []spatial.Pair
	start    []int32
	col      []int32
	cost     []float64
	miss     []float64
	newc     []float64
	res      assign.Result
}

// Correlator correlates and fuses track reports into system tracks. It is not safe for
// concurrent use; Close stops its goroutines.
type Correlator struct {
	cfg      Config
	n, m     int
	pos      [3]int
	gater    *spatial.Gater
	solver   *assign.Solver
	gate     float64
	keep     float64
	bonus    float64
	dropNs   int64
	deleteNs int64

	started bool
	now     int64
	round   uint64
	nextID  uint64
	seq     uint64

	sys     []system
	freeSys []int32
	order   []int32 // live system slots, ascending system ID
	mem     []member
	freeMem []int32
	index   map[Key]int32

	stats  Stats
	events []Event
	ws     workspace

	parMin int            // minParallel; tests lower it
	jobs   chan [2]int    // chunks of ws.work for the workers; nil with one worker
	wg     sync.WaitGroup // chunks in flight
	exited sync.WaitGroup // workers running
}

// New returns a Correlator for cfg, or an error wrapping ErrConfig.
func New(cfg Config) (*Correlator, error) {
	if cfg.Layout == 0 {
		cfg.Layout = CV2
	}
	if cfg.Layout.Dim() == 0 {
		return nil, &ReportError{Index: -1, Err: ErrConfig, Msg: "unknown layout"}
	}
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&cfg.Q, 1)
	def(&cfg.Gate, 0.99)
	def(&cfg.KeepGate, 0.9999)
	def(&cfg.IdentityBonus, 2)
	if cfg.Hysteresis == 0 {
		cfg.Hysteresis = 3
	}
	if cfg.DropAfter == 0 {
		cfg.DropAfter = 5 * time.Second
	}
	if cfg.DeleteAfter == 0 {
		cfg.DeleteAfter = 10 * time.Second
	}
	if cfg.Workers == 0 {
		cfg.Workers = 1
	}
	bad := func(msg string) (*Correlator, error) {
		return nil, &ReportError{Index: -1, Err: ErrConfig, Msg: msg}
	}
	switch {
	case !(cfg.Q > 0) || math.IsInf(cfg.Q, 0):
		return bad("Q must be positive and finite")
	case !(cfg.Gate > 0 && cfg.Gate < 1):
		return bad("Gate must be in (0, 1)")
	case !(cfg.KeepGate >= cfg.Gate && cfg.KeepGate < 1):
		return bad("KeepGate must be in [Gate, 1)")
	case cfg.Hysteresis < 1:
		return bad("Hysteresis must be positive")
	case cfg.DropAfter < 0 || cfg.DeleteAfter < 0:
		return bad("DropAfter and DeleteAfter must not be negative")
	case math.IsNaN(cfg.IdentityBonus) || math.IsInf(cfg.IdentityBonus, 0):
		return bad("IdentityBonus must be finite")
	case cfg.Fusion > Information || cfg.Objective > Trace:
		return bad("unknown Fusion or Objective")
	case cfg.Workers < 1:
		return bad("Workers must be positive")
	}
	c := &Correlator{cfg: cfg, n: cfg.Layout.Dim(), m: cfg.Layout.Axes(), index: make(map[Key]int32)}
	c.pos = [3]int{0, 2, 4}
	g, err := spatial.NewGater(spatial.Config{Dim: c.m, Probability: cfg.Gate})
	if err != nil {
		return nil, &ReportError{Index: -1, Err: ErrConfig, Msg: err.Error()}
	}
	c.gater = g
	c.gate = g.Threshold()
	c.keep = distuv.ChiSquared{K: float64(c.m)}.Quantile(cfg.KeepGate)
	c.bonus = math.Max(cfg.IdentityBonus, 0)
	c.dropNs, c.deleteNs = int64(cfg.DropAfter), int64(cfg.DeleteAfter)
	s, err := assign.NewSolver(assign.Config{Workers: cfg.Workers})
	if err != nil {
		return nil, &ReportError{Index: -1, Err: ErrConfig, Msg: err.Error()}
	}
	c.solver = s
	c.parMin = minParallel
	if cfg.Workers > 1 {
		c.jobs = make(chan [2]int, cfg.Workers)
		c.exited.Add(cfg.Workers - 1)
		for k := 1; k < cfg.Workers; k++ {
			go c.worker()
		}
	}
	return c, nil
}

// Close stops the Correlator's goroutines (its workers and the assignment solver's).
// It is idempotent; the Correlator must not be used afterwards.
func (c *Correlator) Close() error {
	if c.jobs != nil {
		close(c.jobs)
		c.exited.Wait()
		c.jobs = nil
	}
	return c.solver.Close()
}

// Threshold returns the correlation gate γ and the looser keep gate on the position d².
func (c *Correlator) Threshold() (gate, keep float64) { return c.gate, c.keep }

// Time returns the time of the last successful round, in nanoseconds (0 before the
// first). A caller feeding reports one by one as they arrive, from sources whose
// clocks and latencies differ, calls Round(dst, max(c.Time(), r.Time), ...): a late
// report of one source is then predicted forward to the current time instead of
// being rejected.
func (c *Correlator) Time() int64 { return c.now }

// Stats returns what the last successful Round did.
func (c *Correlator) Stats() Stats { return c.stats }

// Round processes the reports of one round at the common time t (nanoseconds) and
// appends the events to dst: dst = c.Round(dst[:0], t, reports).
//
// Every report must have Time ≤ t, and t must not be before the previous round's time,
// so nothing is ever predicted backwards; a report older than the last one accepted
// for its source track is rejected (out-of-order policy: reject, never retrodict).
// Reports between two round times are predicted forward to t; reports delivered one by
// one go through Round with a single report and t = max(c.Time(), its Time).
//
// On bad input Round returns dst unchanged and a *ReportError wrapping ErrNonFinite,
// ErrNotPositiveDefinite, ErrLayout, ErrOutOfOrder or ErrDuplicate, naming a bad report
// (the first in slice order with a bad value or time; for duplicates, one of the
// pair); the Correlator is then exactly as before the call. The order of reports
// within the slice does not change the result. Round does not retain reports.
func (c *Correlator) Round(dst []Event, t int64, reports []Report) ([]Event, error) {
	if c.started && t < c.now {
		return dst, &ReportError{Index: -1, Err: ErrOutOfOrder, Msg: "round time before the previous round's"}
	}
	ws := &c.ws
	ws.check++
	if cap(ws.rep) < len(reports) {
		ws.rep = make([]repWork, len(reports))
	}
	ws.rep = ws.rep[:len(reports)]
	ws.unmapped = ws.unmapped[:0]
	for i := range reports {
		r := &reports[i]
		rw := &ws.rep[i]
		var x vec
		var p mtx
		if err := r.validate(c.cfg.Layout, &x, &p); err != nil {
			return dst, &ReportError{Index: i, Key: r.Key, Err: err}
		}
		if r.Time > t {
			return dst, &ReportError{Index: i, Key: r.Key, Err: ErrOutOfOrder, Msg: "report after the round time"}
		}
		rw.idx, rw.key, rw.t, rw.id, rw.mem, rw.forbid, rw.est = int32(i), r.Key, r.Time, r.ID, -1, -1, -1
		if mi, ok := c.lookup(i, r.Key); ok {
			m := &c.mem[mi]
			if r.Time < m.rt {
				return dst, &ReportError{Index: i, Key: r.Key, Err: ErrOutOfOrder, Msg: "older than the last report of its source track"}
			}
			if int(mi) >= len(ws.seen) {
				ws.seen = append(ws.seen, make([]uint64, len(c.mem)-len(ws.seen))...)
			}
			if ws.seen[mi] == ws.check {
				return dst, &ReportError{Index: i, Key: r.Key, Err: ErrDuplicate}
			}
			ws.seen[mi] = ws.check
			rw.mem = mi
		} else {
			ws.unmapped = append(ws.unmapped, int32(i))
		}
	}
	// Unknown keys: sort (needed below for determinism anyway) and compare neighbours.
	slices.SortFunc(ws.unmapped, ws.byKey)
	for k := 1; k < len(ws.unmapped); k++ {
		a, b := &ws.rep[ws.unmapped[k-1]], &ws.rep[ws.unmapped[k]]
		if a.key == b.key {
			return dst, &ReportError{Index: int(max(a.idx, b.idx)), Key: b.key, Err: ErrDuplicate}
		}
	}

	// Commit: nothing below fails on data.
	c.started, c.now = true, t
	c.round++
	c.stats = Stats{Reports: len(reports)}
	c.events = dst
	ws.reports, ws.est = reports, ws.est[:0]

	for i := range ws.rep {
		rw := &ws.rep[i]
		if rw.mem < 0 {
			continue
		}
		m := &c.mem[rw.mem]
		// The report is read again rather than kept from validation: copying it
		// through the workspace would double the memory traffic of a round.
		loadReport(&m.x, &m.p, &reports[i], c.n)
		m.t, m.rt, m.id, m.round, m.rep = rw.t, rw.t, rw.id, c.round, int32(i)
		s := &c.sys[m.sys]
		if rw.t > s.last {
			s.last = rw.t
		}
		s.stamp = c.round
		c.stats.Mapped++
	}
	c.expire(t)
	// Systems in ID order, so that events come out in an order independent of the
	// reports'.
	ws.work = ws.work[:0]
	for _, sl := range c.order {
		if c.sys[sl].stamp == c.round {
			ws.work = append(ws.work, sl)
		} else {
			c.predictSystem(sl)
		}
	}
	c.update()
	// A source track that is alone in its system track is correlated afresh every
	// round, so that a pair missed once (a report outside the gate, or a source that
	// started a track before another source saw the object) is caught up later.
	for _, sl := range c.order {
		s := &c.sys[sl]
		if s.n == 1 {
			if m := &c.mem[s.mem[0]]; m.round == c.round {
				ws.unmapped = append(ws.unmapped, m.rep)
			}
		}
	}
	if len(ws.unmapped) > 0 {
		slices.SortFunc(ws.unmapped, ws.byKey)
		c.stats.Unmapped = len(ws.unmapped)
		for lo := 0; lo < len(ws.unmapped); {
			src := ws.rep[ws.unmapped[lo]].key.Source
			hi := lo + 1
			for hi < len(ws.unmapped) && ws.rep[ws.unmapped[hi]].key.Source == src {
				hi++
			}
			c.correlate(ws.unmapped[lo:hi])
			lo = hi
		}
	}
	if cap(ws.hint) < len(ws.rep) {
		ws.hint = make([]int32, len(ws.rep))
	}
	ws.hint = ws.hint[:len(ws.rep)]
	for i := range ws.rep {
		ws.hint[i] = ws.rep[i].mem
	}
	c.stats.Systems = len(c.order)
	dst, c.events, ws.reports = c.events, nil, nil
	return dst, nil
}

// lookup returns the member slot of key k, reported at index i of the round. Sources
// tend to send their tracks in the same order every round, so the slot found at
// index i in the previous round is tried first (one comparison instead of a hash
// lookup and its cache misses); the map decides otherwise.
func (c *Correlator) lookup(i int, k Key) (int32, bool) {
	if i < len(c.ws.hint) {
		if h := c.ws.hint[i]; h >= 0 && int(h) < len(c.mem) && c.mem[h].sys >= 0 && c.mem[h].key == k {
			return h, true
		}
	}
	mi, ok := c.index[k]
	return mi, ok
}

func (ws *workspace) byKey(a, b int32) int {
	ka, kb := ws.rep[a].key, ws.rep[b].key
	switch {
	case ka == kb:
		return 0
	case ka.less(kb):
		return -1
	}
	return 1
}

func (c *Correlator) emit(k EventKind, sys uint64, key Key) {
	c.events = append(c.events, Event{Kind: k, System: sys, Key: key, Time: c.now})
}

func (c *Correlator) seconds(dt int64) float64 { return float64(dt) * 1e-9 }

func (c *Correlator) predictSystem(sl int32) {
	s := &c.sys[sl]
	if dt := c.now - s.t; dt > 0 {
		predictCV(&s.x, &s.p, c.m, c.cfg.Q, c.seconds(dt))
	}
	s.t = c.now
}

// expire deletes system tracks without reports for DeleteAfter and drops members that
// have not reported for DropAfter.
func (c *Correlator) expire(t int64) {
	out := c.order[:0]
	for _, sl := range c.order {
		s := &c.sys[sl]
		if t-s.last > c.deleteNs {
			c.emit(EventDeleted, s.id, Key{})
			c.stats.Deleted++
			for k := int32(0); k < s.n; k++ {
				c.freeMember(s.mem[k])
			}
			s.n, s.live = 0, false
			c.freeSys = append(c.freeSys, sl)
			continue
		}
		out = append(out, sl)
		for k := int32(0); k < s.n; {
			mi := s.mem[k]
			if t-c.mem[mi].rt > c.dropNs {
				c.emit(EventDropped, s.id, c.mem[mi].key)
				c.stats.Dropped++
				c.removeMember(sl, k)
				c.freeMember(mi)
				s.stamp = c.round
				continue
			}
			k++
		}
	}
	c.order = out
}

func (c *Correlator) removeMember(sl int32, k int32) {
	s := &c.sys[sl]
	copy(s.mem[k:s.n], s.mem[k+1:s.n])
	s.n--
}

func (c *Correlator) freeMember(mi int32) {
	delete(c.index, c.mem[mi].key)
	c.mem[mi] = member{sys: -1, rep: -1}
	c.freeMem = append(c.freeMem, mi)
}

// predictMembers predicts every member of system sl to the round time, in place.
// Prediction composes exactly (F(a)F(b) = F(a+b), and Q(a+b) = F(b) Q(a) F(b)ᵀ + Q(b)
// for white-noise acceleration), so predicting in steps equals predicting at once.
func (c *Correlator) predictMembers(sl int32) {
	s := &c.sys[sl]
	for k := int32(0); k < s.n; k++ {
		m := &c.mem[s.mem[k]]
		if dt := c.now - m.t; dt > 0 {
			predictCV(&m.x, &m.p, c.m, c.cfg.Q, c.seconds(dt))
			m.t = c.now
		}
	}
}

// posD2 returns the squared Mahalanobis distance between the positions of two
// estimates with S = Pa + Pb (cross-covariance assumed zero): closed form in 2-D,
// LDLᵀ in 3-D. A non-positive-definite S gives +Inf.
func (c *Correlator) posD2(xa *vec, pa *mtx, xb *vec, pb *mtx) float64 {
	e0, e1 := xa[0]-xb[0], xa[2]-xb[2]
	s00, s01, s11 := pa[0][0]+pb[0][0], pa[2][0]+pb[2][0], pa[2][2]+pb[2][2]
	if c.m == 2 {
		det := s00*s11 - s01*s01
		if !(s00 > 0 && det > 0) {
			return math.Inf(1)
		}
		return (s11*e0*e0 - 2*s01*e0*e1 + s00*e1*e1) / det
	}
	e2 := xa[4] - xb[4]
	s02, s12, s22 := pa[4][0]+pb[4][0], pa[4][2]+pb[4][2], pa[4][4]+pb[4][4]
	// LDLᵀ of [s00 s01 s02; s01 s11 s12; s02 s12 s22], then Σ yᵢ²/dᵢ with L y = e.
	d0 := s00
	if !(d0 > 0) {
		return math.Inf(1)
	}
	l10, l20 := s01/d0, s02/d0
	d1 := s11 - l10*l10*d0
	if !(d1 > 0) {
		return math.Inf(1)
	}
	l21 := (s12 - l20*l10*d0) / d1
	d2 := s22 - l20*l20*d0 - l21*l21*d1
	if !(d2 > 0) {
		return math.Inf(1)
	}
	y0 := e0
	y1 := e1 - l10*y0
	y2 := e2 - l20*y0 - l21*y1
	return y0*y0/d0 + y1*y1/d1 + y2*y2/d2
}

// hysteresis checks each member of sl that reported in this round against the other
// members (the least pairwise position d²); a member beyond the keep gate counts a
// miss, one inside resets its count. At most one member per system track and round is
// decorrelated: of those with Hysteresis consecutive misses, the one that joined last.
//
// misses counts and returns the member to decorrelate, or -1; it touches only sl and
// its members, so system tracks are processed in parallel.
func (c *Correlator) misses(sl int32) int32 {
	s := &c.sys[sl]
	if s.n < 2 {
		if s.n == 1 {
			c.mem[s.mem[0]].misses = 0
		}
		return -1
	}
	// Least position d² of each member to any other, each pair computed once.
	var least [MaxMembers]float64
	for k := int32(0); k < s.n; k++ {
		least[k] = math.Inf(1)
	}
	for k := int32(0); k < s.n; k++ {
		m := &c.mem[s.mem[k]]
		for j := k + 1; j < s.n; j++ {
			o := &c.mem[s.mem[j]]
			if m.round != c.round && o.round != c.round {
				continue
			}
			d := c.posD2(&m.x, &m.p, &o.x, &o.p)
			least[k] = math.Min(least[k], d)
			least[j] = math.Min(least[j], d)
		}
	}
	worst := int32(-1)
	for k := int32(0); k < s.n; k++ {
		m := &c.mem[s.mem[k]]
		if m.round != c.round {
			continue
		}
		if least[k] > c.keep {
			m.misses++
		} else {
			m.misses = 0
		}
		if int(m.misses) >= c.cfg.Hysteresis && (worst < 0 || m.seq > c.mem[s.mem[worst]].seq) {
			worst = k
		}
	}
	return worst
}

// decorrelate removes member k of sl and queues its report to be correlated afresh.
func (c *Correlator) decorrelate(sl, k int32) {
	s := &c.sys[sl]
	mi := s.mem[k]
	m := &c.mem[mi]
	c.emit(EventDecorrelated, s.id, m.key)
	c.stats.Decorrelated++
	ri := m.rep
	rw := &c.ws.rep[ri]
	rw.est = c.newEst(&m.x, &m.p) // predicted to the round time
	c.removeMember(sl, k)
	c.freeMember(mi)
	rw.mem, rw.forbid = -1, sl
	c.ws.unmapped = append(c.ws.unmapped, ri)
}

// fuse recomputes the estimate of sl from its members (predicted to the round time).
// Members are fused in source order; with covariance intersection one after the
// other, each step the two-estimate CI of the running result and the next member.
func (c *Correlator) fuse(sl int32) {
	s := &c.sys[sl]
	switch s.n {
	case 0:
		c.predictSystem(sl)
		return
	case 1:
		m := &c.mem[s.mem[0]]
		s.x, s.p, s.t = m.x, m.p, c.now
		return
	}
	var f fuser
	f.reset(c.n)
	ci := c.cfg.Fusion == CI
	for k := int32(0); k < s.n; k++ {
		m := &c.mem[s.mem[k]]
		f.add(&m.x, &m.p, ci, c.cfg.Objective)
	}
	var x vec
	var p mtx
	if !f.result(&x, &p) {
		c.predictSystem(sl) // keep the prediction (cannot happen with valid members)
		return
	}
	s.x, s.p, s.t = x, p, c.now
}

// String returns "ci" or "information".
func (f Fusion) String() string {
	switch f {
	case CI:
		return "ci"
	case Information:
		return "information"
	}
	return "Fusion(" + strconv.Itoa(int(f)) + ")"
}

// newEst stores an estimate at the round time in the workspace and returns its index.
func (c *Correlator) newEst(x *vec, p *mtx) int32 {
	c.ws.est = append(c.ws.est, estWork{t: c.now})
	e := &c.ws.est[len(c.ws.est)-1]
	copyEst(&e.x, &e.p, x, p, c.n)
	return int32(len(c.ws.est) - 1)
}

// estOf returns the index of report ri's estimate in the workspace, loading it from
// the round's input the first time.
func (c *Correlator) estOf(ri int32) int32 {
	rw := &c.ws.rep[ri]
	if rw.est < 0 {
		c.ws.est = append(c.ws.est, estWork{t: rw.t})
		e := &c.ws.est[len(c.ws.est)-1]
		loadReport(&e.x, &e.p, &c.ws.reports[rw.idx], c.n)
		rw.est = int32(len(c.ws.est) - 1)
	}
	return rw.est
}

// minParallel is the number of system tracks with news below which a round updates
// them on the caller's goroutine only.
const minParallel = 1024

// update predicts, checks and re-fuses the system tracks in ws.work: in parallel
// over Config.Workers contiguous chunks (each system track and its members belong
// to one chunk), then, in system ID order, the decorrelations and their re-fusion.
// The result does not depend on the number of workers.
func (c *Correlator) update() {
	ws := &c.ws
	n := len(ws.work)
	if cap(ws.worst) < n {
		ws.worst = make([]int32, n)
	}
	ws.worst = ws.worst[:n]
	w := c.cfg.Workers
	if w > 1 && n >= c.parMin {
		c.wg.Add(w - 1)
		for k := 1; k < w; k++ {
			c.jobs <- [2]int{k * n / w, (k + 1) * n / w}
		}
		c.updateRange(0, n/w)
		c.wg.Wait()
	} else {
		c.updateRange(0, n)
	}
	for i, sl := range ws.work {
		if k := ws.worst[i]; k >= 0 {
			c.decorrelate(sl, k)
			c.fuse(sl)
		}
		if c.sys[sl].n > 0 {
			c.stats.Fused++
		}
	}
}

func (c *Correlator) updateRange(lo, hi int) {
	ws := &c.ws
	for i := lo; i < hi; i++ {
		sl := ws.work[i]
		c.predictMembers(sl)
		k := c.misses(sl)
		ws.worst[i] = k
		if k < 0 {
			c.fuse(sl) // from members at the round time: the old estimate is not needed
		}
	}
}

// worker updates chunks of system tracks until Close.
func (c *Correlator) worker() {
	defer c.exited.Done()
	for j := range c.jobs {
		c.updateRange(j[0], j[1])
		c.wg.Done()
	}
}
