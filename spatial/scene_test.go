package spatial

import (
	"math"
	"math/rand/v2"
)

// gateScene describes a random gating gateScene at constant density.
type gateScene struct {
	nT, nD  int
	m       int
	area    float64 // square metres per track
	perDetR bool    // one R per detection, else one shared R
	bigFrac float64 // fraction of tracks with a kilometre-wide gate
	seed    uint64
}

// make builds the batches: tracks near uniformly spread targets, the first
// min(nT, nD) detections are noisy measurements of those targets, the rest clutter.
func (s gateScene) make() (Tracks, Detections) {
	rng := rand.New(rand.NewPCG(s.seed, 0x5eed))
	m := s.m
	side := math.Sqrt(float64(max(s.nT, 1)) * s.area)
	truth := make([]float64, s.nT*m)
	t := Tracks{Z: make([]float64, s.nT*m), Cov: make([]float64, s.nT*m*m)}
	for i := range s.nT {
		truth[i*m] = rng.Float64() * side
		truth[i*m+1] = rng.Float64() * side
		if m == 3 {
			truth[i*m+2] = rng.Float64() * 10000
		}
		lo, hi := 1.0, 4.0
		if rng.Float64() < s.bigFrac {
			lo, hi = 100, 300
		}
		randCov(rng, m, lo, hi, t.Cov[i*m*m:(i+1)*m*m])
		for k := range m {
			t.Z[i*m+k] = truth[i*m+k] + rng.NormFloat64()*math.Sqrt(t.Cov[i*m*m+k*m+k])
		}
	}
	d := Detections{Z: make([]float64, s.nD*m)}
	if s.perDetR {
		d.Cov = make([]float64, s.nD*m*m)
	} else {
		d.Cov = make([]float64, m*m)
		randCov(rng, m, 1.5, 2.5, d.Cov)
	}
	for j := range s.nD {
		r := d.Cov
		if s.perDetR {
			r = d.Cov[j*m*m : (j+1)*m*m]
			randCov(rng, m, 0.5, 3, r)
		}
		if j < s.nT {
			for k := range m {
				d.Z[j*m+k] = truth[j*m+k] + rng.NormFloat64()*math.Sqrt(r[k*m+k])
			}
			continue
		}
		d.Z[j*m] = rng.Float64() * side
		d.Z[j*m+1] = rng.Float64() * side
		if m == 3 {
			d.Z[j*m+2] = rng.Float64() * 10000
		}
	}
	// Shuffle detections so that their order says nothing about the tracks.
	perm := rng.Perm(s.nD)
	z := make([]float64, len(d.Z))
	var c []float64
	if s.perDetR {
		c = make([]float64, len(d.Cov))
	}
	for j, p := range perm {
		copy(z[j*m:(j+1)*m], d.Z[p*m:(p+1)*m])
		if s.perDetR {
			copy(c[j*m*m:(j+1)*m*m], d.Cov[p*m*m:(p+1)*m*m])
		}
	}
	d.Z = z
	if s.perDetR {
		d.Cov = c
	}
	return t, d
}

// randCov writes a random symmetric positive definite m×m covariance with standard
// deviations in [lo, hi] metres, random orientation and correlation.
func randCov(rng *rand.Rand, m int, lo, hi float64, dst []float64) {
	if m == 2 {
		s1 := lo + rng.Float64()*(hi-lo)
		s2 := lo + rng.Float64()*(hi-lo)
		th := rng.Float64() * math.Pi
		c, s := math.Cos(th), math.Sin(th)
		a, b := s1*s1, s2*s2
		dst[0] = c*c*a + s*s*b
		dst[1] = c * s * (a - b)
		dst[2] = dst[1]
		dst[3] = s*s*a + c*c*b
		return
	}
	// L lower triangular, diagonal in [lo, hi], off-diagonal up to half of it.
	var l [3][3]float64
	for i := range 3 {
		l[i][i] = lo + rng.Float64()*(hi-lo)
		for j := range i {
			l[i][j] = (rng.Float64() - 0.5) * l[i][i]
		}
	}
	for i := range 3 {
		for j := range 3 {
			var v float64
			for k := range 3 {
				v += l[i][k] * l[j][k]
			}
			dst[i*3+j] = v
		}
	}
	for i := range 3 { // exact symmetry
		for j := range i {
			dst[j*3+i] = dst[i*3+j]
		}
	}
}

// movingScene is a gateScene whose targets move: constant velocities of up to
// maxSpeed metres per second, one tick every dt seconds. Each tick predicts the tracks
// (truth plus prediction noise of the track's own covariance) and measures every
// target once (truth plus measurement noise, in a new random order), so the track
// gate boxes move between ticks as a tracker's do and the detections are new.
type movingScene struct {
	s            gateScene
	rng          *rand.Rand
	pos, vel     []float64 // per target, m components
	perm         []int     // detection j measures target perm[j], shuffled every tick
	side, dt     float64
	t            Tracks
	d            Detections
	sharedR      []float64
	trackSD, rSD []float64 // per target / detection: standard deviations per axis
}

func newMovingScene(s gateScene, maxSpeed, dt float64) *movingScene {
	ms := &movingScene{s: s, rng: rand.New(rand.NewPCG(s.seed, 0x5eed)), dt: dt}
	m, n := s.m, s.nT
	ms.side = math.Sqrt(float64(n) * s.area)
	ms.pos = make([]float64, n*m)
	ms.vel = make([]float64, n*m)
	ms.t = Tracks{Z: make([]float64, n*m), Cov: make([]float64, n*m*m)}
	ms.d = Detections{Z: make([]float64, n*m)}
	for i := range n {
		ms.pos[i*m] = ms.rng.Float64() * ms.side
		ms.pos[i*m+1] = ms.rng.Float64() * ms.side
		a := ms.rng.Float64() * 2 * math.Pi
		v := ms.rng.Float64() * maxSpeed
		ms.vel[i*m], ms.vel[i*m+1] = v*math.Cos(a), v*math.Sin(a)
		if m == 3 {
			ms.pos[i*m+2] = ms.rng.Float64() * 10000
		}
		lo, hi := 1.0, 4.0
		if ms.rng.Float64() < s.bigFrac {
			lo, hi = 100, 300
		}
		randCov(ms.rng, m, lo, hi, ms.t.Cov[i*m*m:(i+1)*m*m])
	}
	if s.perDetR {
		ms.d.Cov = make([]float64, n*m*m)
		for j := range n {
			randCov(ms.rng, m, 0.5, 3, ms.d.Cov[j*m*m:(j+1)*m*m])
		}
	} else {
		ms.d.Cov = make([]float64, m*m)
		randCov(ms.rng, m, 1.5, 2.5, ms.d.Cov)
	}
	ms.perm = ms.rng.Perm(n)
	ms.trackSD = make([]float64, n*m)
	ms.rSD = make([]float64, n*m)
	for i := range n {
		for k := range m {
			ms.trackSD[i*m+k] = math.Sqrt(ms.t.Cov[i*m*m+k*m+k])
			r := ms.d.Cov
			if s.perDetR {
				r = ms.d.Cov[i*m*m:]
			}
			ms.rSD[i*m+k] = math.Sqrt(r[k*m+k])
		}
	}
	ms.step()
	return ms
}

// step advances the targets by one tick (bouncing off the edges of the area) and
// refills the batches, the detections in a new order.
func (ms *movingScene) step() {
	m := ms.s.m
	ms.rng.Shuffle(len(ms.perm), func(a, b int) { ms.perm[a], ms.perm[b] = ms.perm[b], ms.perm[a] })
	for i := range ms.s.nT {
		for k := range 2 {
			p := ms.pos[i*m+k] + ms.vel[i*m+k]*ms.dt
			if p < 0 || p > ms.side {
				ms.vel[i*m+k] = -ms.vel[i*m+k]
				p = ms.pos[i*m+k] + ms.vel[i*m+k]*ms.dt
			}
			ms.pos[i*m+k] = p
		}
		for k := range m {
			ms.t.Z[i*m+k] = ms.pos[i*m+k] + ms.rng.NormFloat64()*ms.trackSD[i*m+k]
		}
	}
	for j, i := range ms.perm {
		for k := range m {
			ms.d.Z[j*m+k] = ms.pos[i*m+k] + ms.rng.NormFloat64()*ms.rSD[j*m+k]
		}
	}
	// (With one R per detection, R_j stays with slot j: the noise level of a slot, not
	// of a target, which does not matter to the gate's cost.)
}

// randomScene draws a scene of up to maxN tracks and detections, in 2-D or 3-D, of
// one of three densities, with one shared R or one per detection, and none, 5% or 30%
// of kilometre-wide gates.
func randomScene(rng *rand.Rand, maxN int, seed uint64) gateScene {
	return gateScene{
		nT:      rng.IntN(maxN),
		nD:      rng.IntN(maxN),
		m:       2 + rng.IntN(2),
		area:    []float64{100, 10000, 1e6}[rng.IntN(3)],
		perDetR: rng.IntN(2) == 0,
		bigFrac: []float64{0, 0.05, 0.3}[rng.IntN(3)],
		seed:    seed,
	}
}

// sceneTick is one tick's batches.
type sceneTick struct {
	t Tracks
	d Detections
}

// twoTicks builds two independent ticks of scene sc, seeded seed and seed+1.
func twoTicks(sc gateScene, seed uint64) [2]sceneTick {
	var ticks [2]sceneTick
	for k := range ticks {
		sc.seed = seed + uint64(k)
		ticks[k].t, ticks[k].d = sc.make()
	}
	return ticks
}
