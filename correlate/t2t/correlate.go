package t2t

import (
	"math"
	"sort"

	"github.com/trackcorr/trackcorr/correlate/assign"
	"github.com/trackcorr/trackcorr/spatial"
)

// correlate correlates the unmapped reports of one source (list, indices into the
// workspace reports, in track order) with the live system tracks: gate on position
// with S = P_sys + P_report, identity rules, then one assignment in the tracking form
// (a pair costs d² minus the identity bonus, leaving a report unassigned costs γ and
// starts a system track, leaving a system track unassigned costs nothing).
func (c *Correlator) correlate(list []int32) {
	ws := &c.ws
	m, mm := c.m, c.m*c.m
	// A lone member (rw.mem ≥ 0) may move to another system track, not stay in its own;
	// it is skipped when its system track gained members earlier in this round.
	ws.cand = ws.cand[:0]
	for _, ri := range list {
		rw := &ws.rep[ri]
		if rw.mem >= 0 {
			own := c.mem[rw.mem].sys
			if c.sys[own].n != 1 {
				continue
			}
			rw.forbid = own
		}
		ws.cand = append(ws.cand, ri)
	}
	list = ws.cand
	rows, cols := len(c.order), len(list)
	if cols == 0 {
		return
	}

	// Predict the reports to the round time (a member created from one holds it
	// predicted; prediction composes exactly).
	ws.dz, ws.dc = ws.dz[:0], ws.dc[:0]
	for _, ri := range list {
		rw := &ws.rep[ri]
		if rw.mem >= 0 { // a lone member: already predicted in place
			mb := &c.mem[rw.mem]
			ws.dz, ws.dc = c.appendPos(ws.dz, ws.dc, &mb.x, &mb.p)
			continue
		}
		e := &ws.est[c.estOf(ri)]
		if dt := c.now - e.t; dt > 0 {
			predictCV(&e.x, &e.p, c.m, c.cfg.Q, c.seconds(dt))
			e.t = c.now
		}
		ws.dz, ws.dc = c.appendPos(ws.dz, ws.dc, &e.x, &e.p)
	}
	ws.pairs = ws.pairs[:0]
	if rows > 0 {
		ws.tz, ws.tc = ws.tz[:0], ws.tc[:0]
		for _, sl := range c.order {
			ws.tz, ws.tc = c.appendPos(ws.tz, ws.tc, &c.sys[sl].x, &c.sys[sl].p)
		}
		pairs, err := c.gater.Gate(ws.pairs, spatial.Tracks{Z: ws.tz[:rows*m], Cov: ws.tc[:rows*mm]},
			spatial.Detections{Z: ws.dz[:cols*m], Cov: ws.dc[:cols*mm]})
		if err == nil { // inputs were validated; an error here leaves every report unpaired
			ws.pairs = pairs
		}
	}
	c.stats.Pairs += len(ws.pairs)

	ws.start, ws.col, ws.cost = ws.start[:0], ws.col[:0], ws.cost[:0]
	ws.miss, ws.newc = ws.miss[:0], ws.newc[:0]
	ws.start = append(ws.start, 0)
	k := 0
	for r := 0; r < rows; r++ {
		sl := c.order[r]
		for ; k < len(ws.pairs) && int(ws.pairs[k].Track) == r; k++ {
			pr := ws.pairs[k]
			ok, favour := c.allowed(sl, &ws.rep[list[pr.Det]])
			if !ok {
				continue
			}
			cost := pr.D2
			if favour {
				cost -= c.bonus
			}
			ws.col = append(ws.col, pr.Det)
			ws.cost = append(ws.cost, cost)
		}
		ws.start = append(ws.start, int32(len(ws.col)))
		ws.miss = append(ws.miss, 0)
	}
	for j := 0; j < cols; j++ {
		ws.newc = append(ws.newc, c.gate)
	}
	sp := assign.Sparse{Rows: rows, Cols: cols, Start: ws.start, Col: ws.col, Cost: ws.cost,
		Miss: ws.miss, New: ws.newc}
	solved := c.solver.Solve(&ws.res, &sp) == nil
	ws.joined = ws.joined[:0]
	dead := false
	for j, ri := range list {
		rw := &ws.rep[ri]
		row := int32(-1)
		if solved {
			row = ws.res.ColRow[j]
		}
		if row < 0 && rw.mem >= 0 {
			continue // a lone member stays where it is
		}
		if row >= 0 {
			sl := c.order[row]
			if rw.mem >= 0 { // a lone member moves: its old system track ends
				mb := &c.mem[rw.mem]
				rw.est = c.newEst(&mb.x, &mb.p) // predicted to the round time
				old := mb.sys
				os := &c.sys[old]
				c.emit(EventDeleted, os.id, Key{})
				c.stats.Deleted++
				os.n, os.live = 0, false
				c.freeSys = append(c.freeSys, old)
				c.freeMember(rw.mem)
				rw.mem = -1
				dead = true
			}
			c.addMember(sl, rw)
			c.emit(EventJoined, c.sys[sl].id, rw.key)
			c.stats.Joined++
			ws.joined = append(ws.joined, sl)
			continue
		}
		sl := c.newSystem()
		c.addMember(sl, rw)
		s := &c.sys[sl]
		e := &ws.est[rw.est]
		copyEst(&s.x, &s.p, &e.x, &e.p, c.n)
		c.emit(EventCreated, s.id, rw.key)
		c.stats.Created++
	}
	if dead {
		out := c.order[:0]
		for _, sl := range c.order {
			if c.sys[sl].live {
				out = append(out, sl)
			}
		}
		c.order = out
	}
	for _, sl := range ws.joined {
		if c.sys[sl].live {
			c.predictMembers(sl)
			c.fuse(sl)
		}
	}
}

// appendPos appends the position and position covariance of (x, p).
func (c *Correlator) appendPos(z, cov []float64, x *vec, p *mtx) ([]float64, []float64) {
	for i := 0; i < c.m; i++ {
		pi := 2 * i
		z = append(z, x[pi])
		for j := 0; j < c.m; j++ {
			cov = append(cov, p[pi][2*j])
		}
	}
	return z, cov
}

// allowed says whether report rw may join system sl, and whether identity favours it.
func (c *Correlator) allowed(sl int32, rw *repWork) (ok, favour bool) {
	if sl == rw.forbid {
		return false, false
	}
	s := &c.sys[sl]
	// A lone member moves only into an older system track or one with several
	// members, so that of two lone tracks of one object the older ID survives.
	if rw.mem >= 0 && s.n <= 1 && s.id > c.sys[c.mem[rw.mem].sys].id {
		return false, false
	}
	if s.n >= MaxMembers {
		return false, false
	}
	id := rw.id
	for k := int32(0); k < s.n; k++ {
		m := &c.mem[s.mem[k]]
		if m.key.Source == rw.key.Source {
			return false, false
		}
		if (id.NotWith.Source != 0 && id.NotWith == m.key) || (m.id.NotWith.Source != 0 && m.id.NotWith == rw.key) {
			return false, false
		}
		if id.Class != 0 && m.id.Class != 0 {
			if id.Class != m.id.Class {
				return false, false
			}
			favour = true
		}
		if id.Nation != 0 && m.id.Nation != 0 {
			if id.Nation != m.id.Nation {
				return false, false
			}
			favour = true
		}
	}
	return true, favour
}

func (c *Correlator) newSystem() int32 {
	var sl int32
	if n := len(c.freeSys); n > 0 {
		sl = c.freeSys[n-1]
		c.freeSys = c.freeSys[:n-1]
	} else {
		c.sys = append(c.sys, system{})
		sl = int32(len(c.sys) - 1)
	}
	c.nextID++
	c.sys[sl] = system{id: c.nextID, t: c.now, last: math.MinInt64, live: true, stamp: c.round}
	c.order = append(c.order, sl) // IDs increase: order stays sorted
	return sl
}

// addMember makes the report rw a member of sl, keeping members ordered by source.
func (c *Correlator) addMember(sl int32, rw *repWork) {
	var mi int32
	if n := len(c.freeMem); n > 0 {
		mi = c.freeMem[n-1]
		c.freeMem = c.freeMem[:n-1]
	} else {
		c.mem = append(c.mem, member{})
		mi = int32(len(c.mem) - 1)
	}
	c.seq++
	c.mem[mi] = member{key: rw.key, sys: sl, t: c.now, rt: rw.t, id: rw.id, seq: c.seq, round: c.round, rep: -1}
	e := &c.ws.est[rw.est] // predicted to the round time by correlate
	copyEst(&c.mem[mi].x, &c.mem[mi].p, &e.x, &e.p, c.n)
	c.index[rw.key] = mi
	rw.mem = mi // read back as the lookup hint for the next round
	s := &c.sys[sl]
	k := s.n
	for k > 0 && rw.key.Source < c.mem[s.mem[k-1]].key.Source {
		s.mem[k] = s.mem[k-1]
		k--
	}
	s.mem[k] = mi
	s.n++
	if rw.t > s.last {
		s.last = rw.t
	}
}

// Len returns the number of live system tracks.
func (c *Correlator) Len() int { return len(c.order) }

// Tracks appends every live system track, in ascending ID order, to dst.
func (c *Correlator) Tracks(dst []Track) []Track {
	for _, sl := range c.order {
		s := &c.sys[sl]
		t := Track{ID: s.id, Time: s.t, Members: int(s.n)}
		store(&t.Est, &s.x, &s.p, c.n)
		dst = append(dst, t)
	}
	return dst
}

// Members appends the source tracks correlated with system track id, in source order,
// to dst. An unknown id appends nothing.
func (c *Correlator) Members(dst []Key, id uint64) []Key {
	i := sort.Search(len(c.order), func(i int) bool { return c.sys[c.order[i]].id >= id })
	if i == len(c.order) || c.sys[c.order[i]].id != id {
		return dst
	}
	s := &c.sys[c.order[i]]
	for k := int32(0); k < s.n; k++ {
		dst = append(dst, c.mem[s.mem[k]].key)
	}
	return dst
}

// System returns the ID of the system track that source track k is correlated with.
func (c *Correlator) System(k Key) (uint64, bool) {
	mi, ok := c.index[k]
	if !ok {
		return 0, false
	}
	return c.sys[c.mem[mi].sys].id, true
}
