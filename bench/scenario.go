package bench

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/trackcorr/trackcorr/trackpb"
)

// Kind selects how a scenario's targets move.
type Kind uint8

const (
	// ConstantDensity places Targets uniformly over a square whose side keeps
	// AreaPerTarget square metres per target, with headings uniform and speeds uniform in
	// [MinSpeed, MaxSpeed], all moving with nearly-constant velocity. This is the family of
	// the project's interchange scenarios.
	ConstantDensity Kind = iota
	// Crossing is pairs of targets that cross at the middle of the run at CrossAngle
	// radians (a shallow angle is the hard case), pairs spread far apart.
	Crossing
	// Parallel is pairs of targets moving side by side, Separation metres apart.
	Parallel
	// Manoeuvring is ConstantDensity whose targets turn at TurnRate radians per second
	// (left or right at random) during the middle third of the run.
	Manoeuvring
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case ConstantDensity:
		return "constant-density"
	case Crossing:
		return "crossing"
	case Parallel:
		return "parallel"
	case Manoeuvring:
		return "manoeuvring"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Scenario configures a simulated scenario. Zero fields take the documented defaults,
// which are those of the project's interchange scenarios.
type Scenario struct {
	Kind Kind
	// Targets is the number of targets, alive for the whole run (pairs for Crossing and
	// Parallel: rounded up to an even number). Required, up to 1,000,000.
	Targets int
	// Scans is the number of scans of each sensor. Default 20.
	Scans int
	// Dt is the revisit time of each sensor in seconds. Default 1.
	Dt float64
	// Sensors is the number of sensors; sensor s scans at k·Dt + s·Dt/Sensors. Default 1.
	Sensors int
	// Q is the white-noise acceleration spectral density in m²/s³. Default 0.1.
	Q float64
	// Sigma is the position noise standard deviation of sensor 0 in metres (isotropic).
	// Sensors 1, 2, ... have anisotropic rotated covariances: variances Sigma²·a and
	// Sigma²/4 along axes at a random angle, with a uniform in [1.5, 4]. Default 2.
	Sigma float64
	// Pd is the detection probability. Default 0.9; set NoMisses for 1.
	Pd       float64
	NoMisses bool
	// ClutterPerScan is the mean number of false alarms per scan, Poisson distributed and
	// uniform over the region. Default Targets/10; set NoClutter for none.
	ClutterPerScan float64
	NoClutter      bool
	// AreaPerTarget is the region area per target in m². Default 10,000.
	AreaPerTarget float64
	// MinSpeed and MaxSpeed bound the initial speeds in m/s. Defaults 2 and 15.
	MinSpeed, MaxSpeed float64
	// CrossAngle is the crossing angle of Crossing pairs in radians. Default 10°.
	CrossAngle float64
	// Separation is the distance between Parallel pairs in metres. Default 10.
	Separation float64
	// TurnRate is the Manoeuvring turn rate in rad/s. Default 5°/s.
	TurnRate float64
	// Seed seeds every random draw: the same Scenario gives the same scans.
	Seed uint64
}

// ErrScenario means a Scenario is invalid.
var ErrScenario = errors.New("bench: invalid scenario")

// MaxTargets is the largest number of targets a scenario can have.
const MaxTargets = 1_000_000

func (sc Scenario) withDefaults() (Scenario, error) {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	if sc.Targets <= 0 || sc.Targets > MaxTargets {
		return sc, fmt.Errorf("%w: %d targets (want 1 to %d)", ErrScenario, sc.Targets, MaxTargets)
	}
	if sc.Kind > Manoeuvring {
		return sc, fmt.Errorf("%w: unknown kind %d", ErrScenario, sc.Kind)
	}
	if (sc.Kind == Crossing || sc.Kind == Parallel) && sc.Targets%2 == 1 {
		sc.Targets++
	}
	if sc.Scans == 0 {
		sc.Scans = 20
	}
	if sc.Sensors == 0 {
		sc.Sensors = 1
	}
	def(&sc.Dt, 1)
	def(&sc.Q, 0.1)
	def(&sc.Sigma, 2)
	def(&sc.Pd, 0.9)
	if sc.NoMisses {
		sc.Pd = 1
	}
	def(&sc.ClutterPerScan, float64(sc.Targets)/10)
	if sc.NoClutter {
		sc.ClutterPerScan = 0
	}
	def(&sc.AreaPerTarget, 10_000)
	def(&sc.MinSpeed, 2)
	def(&sc.MaxSpeed, 15)
	def(&sc.CrossAngle, 10*math.Pi/180)
	def(&sc.Separation, 10)
	def(&sc.TurnRate, 5*math.Pi/180)
	for _, v := range []float64{sc.Dt, sc.Q, sc.Sigma, sc.AreaPerTarget, sc.MaxSpeed, sc.Separation} {
		if !(v > 0) || math.IsInf(v, 0) {
			return sc, fmt.Errorf("%w: %+v has a non-positive or non-finite parameter", ErrScenario, sc)
		}
	}
	if sc.Scans < 0 || sc.Sensors < 0 || sc.Sensors > 64 {
		return sc, fmt.Errorf("%w: %d scans, %d sensors (want up to 64)", ErrScenario, sc.Scans, sc.Sensors)
	}
	if !(sc.Pd > 0 && sc.Pd <= 1) || !(sc.ClutterPerScan >= 0) || math.IsInf(sc.ClutterPerScan, 0) ||
		!(sc.MinSpeed >= 0 && sc.MinSpeed <= sc.MaxSpeed) || math.IsNaN(sc.CrossAngle) || math.IsNaN(sc.TurnRate) {
		return sc, fmt.Errorf("%w: pd %v, clutter %v, speeds [%v, %v]", ErrScenario, sc.Pd, sc.ClutterPerScan, sc.MinSpeed, sc.MaxSpeed)
	}
	return sc, nil
}

// Side returns the side of the scenario's square region in metres: sqrt(Targets ×
// AreaPerTarget). The region is [0, Side]².
func (sc Scenario) Side() float64 {
	d, err := sc.withDefaults()
	if err != nil {
		return 0
	}
	return math.Sqrt(float64(d.Targets) * d.AreaPerTarget)
}

// Generator produces a scenario's scans and truth in time order. It holds the targets'
// states (about 80 bytes per target) and one scan at a time.
type Generator struct {
	sc      Scenario
	rng     *rand.Rand
	side    float64
	x       []float64 // targets' states, [x, vx, y, vy] per target
	t       float64   // time of the states, seconds
	r       [][4]float64
	chol    [][3]float64 // per sensor: lower Cholesky factor of R, (l11, l21, l22)
	poisson distuv.Poisson
	k       int // next scan index over all sensors
	nextID  uint64
	truth   bool // whether the truth frame of the current time was emitted
}

// NewGenerator validates the scenario and places its targets.
func NewGenerator(sc Scenario) (*Generator, error) {
	sc, err := sc.withDefaults()
	if err != nil {
		return nil, err
	}
	g := &Generator{sc: sc, rng: rand.New(rand.NewPCG(sc.Seed, 0x7472616b636f7272)), nextID: 1}
	g.side = math.Sqrt(float64(sc.Targets) * sc.AreaPerTarget)
	g.poisson = distuv.Poisson{Lambda: math.Max(sc.ClutterPerScan, 1e-300), Src: rand.NewPCG(sc.Seed, 0x636c7574746572)}
	for s := range sc.Sensors {
		var r [4]float64
		if s == 0 {
			v := sc.Sigma * sc.Sigma
			r = [4]float64{v, 0, 0, v}
		} else {
			a := 1.5 + 2.5*g.rng.Float64()
			th := math.Pi * g.rng.Float64()
			c, sn := math.Cos(th), math.Sin(th)
			l1, l2 := sc.Sigma*sc.Sigma*a, sc.Sigma*sc.Sigma/4
			r = [4]float64{l1*c*c + l2*sn*sn, (l1 - l2) * c * sn, (l1 - l2) * c * sn, l1*sn*sn + l2*c*c}
		}
		g.r = append(g.r, r)
		l11 := math.Sqrt(r[0])
		l21 := r[2] / l11
		g.chol = append(g.chol, [3]float64{l11, l21, math.Sqrt(r[3] - l21*l21)})
	}
	g.place()
	return g, nil
}

// Scenario returns the scenario with its defaults filled in.
func (g *Generator) Scenario() Scenario { return g.sc }

// R returns sensor s's measurement noise covariance, row-major 2×2, in m².
func (g *Generator) R(s int) [4]float64 { return g.r[s] }

// Side returns the side of the square region in metres.
func (g *Generator) Side() float64 { return g.side }

// TotalScans returns the number of scans the generator produces: Scans × Sensors.
func (g *Generator) TotalScans() int { return g.sc.Scans * g.sc.Sensors }

func (g *Generator) place() {
	sc := g.sc
	n := sc.Targets
	g.x = make([]float64, 4*n)
	duration := float64(sc.Scans) * sc.Dt
	switch sc.Kind {
	case ConstantDensity, Manoeuvring:
		for i := range n {
			sp := sc.MinSpeed + (sc.MaxSpeed-sc.MinSpeed)*g.rng.Float64()
			h := 2 * math.Pi * g.rng.Float64()
			g.x[4*i], g.x[4*i+2] = g.side*g.rng.Float64(), g.side*g.rng.Float64()
			g.x[4*i+1], g.x[4*i+3] = sp*math.Cos(h), sp*math.Sin(h)
		}
	case Crossing, Parallel:
		// Pairs on a grid of cells far apart; each pair meets (crossing) or runs side by side
		// (parallel) through its cell's centre at the middle of the run.
		pairs := n / 2
		cols := int(math.Ceil(math.Sqrt(float64(pairs))))
		cell := g.side / float64(cols)
		for p := range pairs {
			cx := (float64(p%cols) + 0.5) * cell
			cy := (float64(p/cols) + 0.5) * cell
			sp := sc.MinSpeed + (sc.MaxSpeed-sc.MinSpeed)*g.rng.Float64()
			h := 2 * math.Pi * g.rng.Float64()
			for j := range 2 {
				i := 2*p + j
				hj, off := h, 0.0
				if sc.Kind == Crossing {
					hj += (float64(j) - 0.5) * sc.CrossAngle
				} else {
					off = (float64(j) - 0.5) * sc.Separation
				}
				vx, vy := sp*math.Cos(hj), sp*math.Sin(hj)
				// At mid-run the target is at the cell centre (offset across the track).
				g.x[4*i] = cx - vx*duration/2 - off*math.Sin(h)
				g.x[4*i+2] = cy - vy*duration/2 + off*math.Cos(h)
				g.x[4*i+1], g.x[4*i+3] = vx, vy
			}
		}
	}
}

// scanTime returns the time in seconds of overall scan k.
func (g *Generator) scanTime(k int) float64 {
	s := k % g.sc.Sensors
	return float64(k/g.sc.Sensors)*g.sc.Dt + float64(s)*g.sc.Dt/float64(g.sc.Sensors)
}

// advance moves every target from g.t to t.
func (g *Generator) advance(t float64) {
	dt := t - g.t
	if dt <= 0 {
		return
	}
	sc := g.sc
	// Exact discretisation of white-noise acceleration per axis:
	// Q = q [[dt³/3, dt²/2], [dt²/2, dt]], sampled through its Cholesky factor.
	l11 := math.Sqrt(sc.Q * dt * dt * dt / 3)
	l21 := sc.Q * dt * dt / 2 / l11
	l22 := math.Sqrt(sc.Q*dt - l21*l21)
	duration := float64(sc.Scans) * sc.Dt
	turning := sc.Kind == Manoeuvring && g.t >= duration/3 && g.t < 2*duration/3
	for i := 0; i < len(g.x); i += 4 {
		if turning {
			// Coordinated turn, exact for a constant turn rate; the sign alternates with the
			// target index so that half turn left and half right.
			w := sc.TurnRate
			if (i/4)%2 == 1 {
				w = -w
			}
			s, c := math.Sincos(w * dt)
			vx, vy := g.x[i+1], g.x[i+3]
			g.x[i] += (s*vx - (1-c)*vy) / w
			g.x[i+2] += ((1-c)*vx + s*vy) / w
			g.x[i+1], g.x[i+3] = c*vx-s*vy, s*vx+c*vy
		} else {
			g.x[i] += dt * g.x[i+1]
			g.x[i+2] += dt * g.x[i+3]
		}
		for a := 0; a < 4; a += 2 {
			u1, u2 := g.rng.NormFloat64(), g.rng.NormFloat64()
			g.x[i+a] += l11 * u1
			g.x[i+a+1] += l21*u1 + l22*u2
		}
	}
	g.t = t
}

// Event is one step of a scenario: the truth at a new scan time (once per distinct time,
// before the scans at that time), or a scan.
type Event struct {
	// Truth is the true state of every target, [x, vx, y, vy], when this event is a truth
	// frame; nil otherwise.
	Truth *trackpb.TruthFrame
	// Scan is a sensor's scan; nil for a truth frame.
	Scan *trackpb.Scan
}

// Next returns the next event, or io.EOF after the last scan. Detections within a scan
// are in random order (shuffled, so that their order says nothing of the truth), their
// IDs count from 1 over the whole run, and clutter has no truth ID.
func (g *Generator) Next() (Event, error) {
	if g.k >= g.TotalScans() {
		return Event{}, io.EOF
	}
	t := g.scanTime(g.k)
	if !g.truth {
		g.advance(t)
		g.truth = true
		tf := &trackpb.TruthFrame{TimeNs: secondsToNanos(t), Objects: make([]*trackpb.TruthObject, g.sc.Targets)}
		objs := make([]trackpb.TruthObject, g.sc.Targets)
		x := append([]float64(nil), g.x...) // the frame's own copy of the states
		for i := range objs {
			objs[i].Id = int64(i)
			objs[i].Motion = trackpb.MotionModel_MOTION_MODEL_CV2
			objs[i].X = x[4*i : 4*i+4 : 4*i+4]
			tf.Objects[i] = &objs[i]
		}
		return Event{Truth: tf}, nil
	}
	s := g.k % g.sc.Sensors
	scan := g.scan(s, t)
	g.k++
	if g.k < g.TotalScans() && g.scanTime(g.k) != t {
		g.truth = false
	}
	return Event{Scan: scan}, nil
}

func (g *Generator) scan(s int, t float64) *trackpb.Scan {
	sc := g.sc
	ns := secondsToNanos(t)
	scan := &trackpb.Scan{SensorId: uint32(s), TimeNs: ns, Sequence: uint64(g.k / sc.Sensors)}
	// Which targets are detected, then how much clutter: every draw in a fixed order.
	ids := make([]int64, 0, int(float64(sc.Targets)*sc.Pd)+16)
	for i := range sc.Targets {
		if sc.Pd < 1 && g.rng.Float64() >= sc.Pd {
			continue
		}
		ids = append(ids, int64(i))
	}
	clutter := 0
	if sc.ClutterPerScan > 0 {
		clutter = int(g.poisson.Rand())
	}
	total := len(ids) + clutter
	// One allocation each for the messages and their values; protobuf messages are never
	// copied, only pointed to.
	dets := make([]trackpb.Detection, total)
	vals := make([]float64, 6*total) // z (2) and R (4) of every detection
	r := g.r[s]
	l := g.chol[s]
	for k := range total {
		var x, y float64
		if k < len(ids) {
			i := ids[k]
			u1, u2 := g.rng.NormFloat64(), g.rng.NormFloat64()
			x, y = g.x[4*i]+l[0]*u1, g.x[4*i+2]+l[1]*u1+l[2]*u2
			dets[k].TruthId = &ids[k]
		} else {
			x, y = g.side*g.rng.Float64(), g.side*g.rng.Float64()
		}
		v := vals[6*k : 6*k+6 : 6*k+6]
		v[0], v[1], v[2], v[3], v[4], v[5] = x, y, r[0], r[1], r[2], r[3]
		d := &dets[k]
		d.SensorId, d.TimeNs, d.Kind = uint32(s), ns, trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D
		d.Z, d.R = v[0:2:2], v[2:6:6]
	}
	scan.Detections = make([]*trackpb.Detection, total)
	for k := range dets {
		scan.Detections[k] = &dets[k]
	}
	g.rng.Shuffle(total, func(i, j int) {
		scan.Detections[i], scan.Detections[j] = scan.Detections[j], scan.Detections[i]
	})
	for _, d := range scan.Detections {
		d.Id = g.nextID
		g.nextID++
	}
	return scan
}

// secondsToNanos converts seconds to nanoseconds, rounding to the nearest.
func secondsToNanos(t float64) int64 { return int64(math.Round(t * 1e9)) }
