package bench

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/trackcorr/trackcorr/spatial"
	"github.com/trackcorr/trackcorr/trackpb"
)

// Belt configures a border-belt scenario: a line of sensor sites thousands of kilometres
// long at geodetic positions — rotating radars measuring horizontal range and bearing with
// overlapping coverage, and passive sensors measuring bearing only — and targets that
// cross the belt. Zero fields take the documented defaults.
//
// Every sensor sweeps once per Dt starting at k·Dt: a detection's time is the moment the
// sweep passes the target's bearing (clockwise from north), and its measurement is of the
// target's position at that moment, so scans carry per-detection timestamps. Bearings are
// clockwise from true north (the spatial package's convention for a sensor with zero yaw);
// ranges are horizontal. Line of sight (the radar horizon) is not modelled: every target
// within a sensor's range is visible.
type Belt struct {
	// Origin is the first site; the belt runs from it along Azimuth (radians clockwise from
	// north) at constant heading. Default 52°N 0°E at 50 m, Azimuth π/2 (east).
	Origin  spatial.Geodetic
	Azimuth float64
	// LengthKm is the belt's length in kilometres, default 2,000; Spacing the distance
	// between sites in metres, default 100,000.
	LengthKm, Spacing float64
	// PassiveEvery makes every n-th site (counting from the second) a passive sensor;
	// default 3, negative for none.
	PassiveEvery int
	// RadarRange and PassiveRange are the sensors' horizontal coverage in metres, defaults
	// 150,000 and 120,000.
	RadarRange, PassiveRange float64
	// RangeSigma (m), BearingSigma and PassiveSigma (rad) are the measurement noise
	// standard deviations; defaults 50 m, 0.2° and 0.1°.
	RangeSigma, BearingSigma, PassiveSigma float64
	// Targets crossing the belt, required. Each starts CrossDistance metres (default
	// 80,000) to the north or south of a random point of the belt, heading across it within
	// ±30°, at a speed uniform in [MinSpeed, MaxSpeed] (defaults 100 and 300 m/s) and a
	// height uniform in [500, 10,000] m.
	Targets            int
	CrossDistance      float64
	MinSpeed, MaxSpeed float64
	// Scans is the number of sweeps (default 60) of Dt seconds each (default 10).
	Scans int
	Dt    float64
	// Pd is the detection probability (default 0.9); ClutterPerScan the mean number of false
	// alarms per sensor sweep, uniform over its coverage (default 2).
	Pd, ClutterPerScan float64
	// Seed seeds every draw.
	Seed uint64
}

func (b Belt) withDefaults() (Belt, error) {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	if b.Origin == (spatial.Geodetic{}) {
		b.Origin = spatial.FromDegrees(52, 0, 50)
	}
	def(&b.Azimuth, math.Pi/2)
	def(&b.LengthKm, 2000)
	def(&b.Spacing, 100_000)
	if b.PassiveEvery == 0 {
		b.PassiveEvery = 3
	}
	def(&b.RadarRange, 150_000)
	def(&b.PassiveRange, 120_000)
	def(&b.RangeSigma, 50)
	def(&b.BearingSigma, 0.2*math.Pi/180)
	def(&b.PassiveSigma, 0.1*math.Pi/180)
	def(&b.CrossDistance, 80_000)
	def(&b.MinSpeed, 100)
	def(&b.MaxSpeed, 300)
	if b.Scans == 0 {
		b.Scans = 60
	}
	def(&b.Dt, 10)
	def(&b.Pd, 0.9)
	def(&b.ClutterPerScan, 2)
	if err := b.Origin.Check(); err != nil {
		return b, fmt.Errorf("%w: belt origin: %v", ErrScenario, err)
	}
	for _, v := range []float64{b.Azimuth, b.LengthKm, b.Spacing, b.RadarRange, b.PassiveRange, b.RangeSigma,
		b.BearingSigma, b.PassiveSigma, b.CrossDistance, b.MinSpeed, b.MaxSpeed, b.Dt, b.Pd, b.ClutterPerScan} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return b, fmt.Errorf("%w: belt parameters must be finite and not negative: %+v", ErrScenario, b)
		}
	}
	if b.Targets <= 0 || b.Targets > MaxTargets || b.Scans < 0 || !(b.Pd > 0 && b.Pd <= 1) ||
		b.MinSpeed > b.MaxSpeed || b.Spacing < 1000 || b.LengthKm*1000/b.Spacing > 10_000 {
		return b, fmt.Errorf("%w: belt with %d targets, %d scans, pd %v, spacing %v m", ErrScenario, b.Targets, b.Scans, b.Pd, b.Spacing)
	}
	return b, nil
}

// beltSite is one sensor of a belt.
type beltSite struct {
	sensor  spatial.Sensor
	passive bool
}

// beltTarget is a target moving at constant height, speed and heading (a rhumb line).
type beltTarget struct {
	pos            spatial.Geodetic
	speed, heading float64
}

// wgs84 eccentricity squared.
var wgs84E2 = func() float64 { f := 1 / spatial.WGS84InvFlattening; return f * (2 - f) }()

// move advances a position by dt seconds at speed (m/s) and heading (rad clockwise from
// north) along a rhumb line, with the ellipsoid's meridian and prime-vertical radii of
// curvature at the start of the step (exact to second order for steps of a few km).
func move(p spatial.Geodetic, speed, heading, dt float64) spatial.Geodetic {
	s, c := math.Sincos(p.Lat)
	w := math.Sqrt(1 - wgs84E2*s*s)
	n := spatial.WGS84SemiMajor / w
	m := spatial.WGS84SemiMajor * (1 - wgs84E2) / (w * w * w)
	sh, ch := math.Sincos(heading)
	p.Lat += speed * ch * dt / (m + p.Height)
	p.Lon += speed * sh * dt / ((n + p.Height) * c)
	if p.Lat > math.Pi/2-1e-9 {
		p.Lat = math.Pi/2 - 1e-9
	}
	if p.Lat < -math.Pi/2+1e-9 {
		p.Lat = -math.Pi/2 + 1e-9
	}
	return p
}

// BeltGenerator produces a belt scenario's truth frames and sweeps in time order: truth in
// ECEF with state [x, vx, y, vy, z, vz] (metres, m/s), scans of range-bearing and
// bearing-only detections in each sensor's local frame.
type BeltGenerator struct {
	b       Belt
	rng     *rand.Rand
	poisson distuv.Poisson
	sites   []beltSite
	targets []beltTarget
	start   []beltTarget // the targets at the start of sweep k
	k       int          // current sweep
	site    int          // next site of sweep k to emit, or -1 before the sweep's truth
	started bool         // the truth at time 0 was emitted
	nextID  uint64
}

// NewBeltGenerator validates the belt and places its sites and targets.
func NewBeltGenerator(b Belt) (*BeltGenerator, error) {
	b, err := b.withDefaults()
	if err != nil {
		return nil, err
	}
	g := &BeltGenerator{b: b, rng: rand.New(rand.NewPCG(b.Seed, 0x62656c74)), nextID: 1, site: -1}
	g.poisson = distuv.Poisson{Lambda: math.Max(b.ClutterPerScan, 1e-300), Src: rand.NewPCG(b.Seed, 0x636c7574)}
	n := int(b.LengthKm*1000/b.Spacing) + 1
	pos := b.Origin
	for i := range n {
		s, err := spatial.NewSensor(pos, spatial.Attitude{})
		if err != nil {
			return nil, fmt.Errorf("%w: site %d: %v", ErrScenario, i, err)
		}
		g.sites = append(g.sites, beltSite{sensor: s, passive: b.PassiveEvery > 0 && i > 0 && i%b.PassiveEvery == 0})
		pos = move(pos, b.Spacing, b.Azimuth, 1)
	}
	for range b.Targets {
		// A point of the belt, then CrossDistance to one side, heading back across.
		along := g.rng.Float64() * b.LengthKm * 1000
		p := move(b.Origin, along, b.Azimuth, 1)
		side := 1.0
		if g.rng.IntN(2) == 1 {
			side = -1
		}
		p = move(p, b.CrossDistance, b.Azimuth-side*math.Pi/2, 1)
		p.Height = 500 + 9500*g.rng.Float64()
		heading := b.Azimuth + side*math.Pi/2 + (g.rng.Float64()-0.5)*math.Pi/3
		speed := b.MinSpeed + (b.MaxSpeed-b.MinSpeed)*g.rng.Float64()
		g.targets = append(g.targets, beltTarget{pos: p, speed: speed, heading: heading})
	}
	return g, nil
}

// Sites returns the number of sensor sites; site i has sensor ID i.
func (g *BeltGenerator) Sites() int { return len(g.sites) }

// Sensor returns site i's sensor and whether it is passive.
func (g *BeltGenerator) Sensor(i int) (spatial.Sensor, bool) {
	return g.sites[i].sensor, g.sites[i].passive
}

// Header returns the recording header: an ECEF frame and one sensor per site with its
// geodetic pose, measurement kind, noise, detection probability and clutter density.
func (g *BeltGenerator) Header(name string) *trackpb.Header {
	b := g.b
	h := &trackpb.Header{Frame: trackpb.FrameKind_FRAME_KIND_ECEF, Metadata: map[string]string{
		"scenario": name, "kind": "belt", "time_base": "scenario",
		"targets": strconv.Itoa(b.Targets), "scans": strconv.Itoa(b.Scans),
		"dt_s": strconv.FormatFloat(b.Dt, 'g', -1, 64), "length_km": strconv.FormatFloat(b.LengthKm, 'g', -1, 64),
		"seed": strconv.FormatUint(b.Seed, 10), "generated_by": "trackcorr bench",
	}}
	for i, s := range g.sites {
		p := s.sensor.Position()
		sn := &trackpb.Sensor{Id: uint32(i), Name: fmt.Sprintf("site-%d", i), RateHz: 1 / b.Dt, DetectionProbability: b.Pd,
			Pose: &trackpb.Sensor_Geodetic{Geodetic: &trackpb.GeodeticPose{LatitudeRad: p.Lat, LongitudeRad: p.Lon, HeightM: p.Height}}}
		if s.passive {
			sn.Kind, sn.Measurement = trackpb.SensorKind_SENSOR_KIND_EO_IR, trackpb.MeasurementKind_MEASUREMENT_KIND_BEARING
			sn.R = []float64{b.PassiveSigma * b.PassiveSigma}
			sn.FalseAlarmDensity = b.ClutterPerScan / (2 * math.Pi)
		} else {
			sn.Kind, sn.Measurement = trackpb.SensorKind_SENSOR_KIND_RADAR, trackpb.MeasurementKind_MEASUREMENT_KIND_RANGE_BEARING
			sn.R = []float64{b.RangeSigma * b.RangeSigma, 0, 0, b.BearingSigma * b.BearingSigma}
			sn.FalseAlarmDensity = b.ClutterPerScan / (math.Pi * b.RadarRange * b.RadarRange)
		}
		h.Sensors = append(h.Sensors, sn)
	}
	return h
}

// state returns a target's ECEF position and velocity.
func (t *beltTarget) state() ([6]float64, error) {
	p, err := spatial.GeodeticToECEF(t.pos)
	if err != nil {
		return [6]float64{}, err
	}
	f, err := spatial.NewFrame(t.pos, spatial.ENU)
	if err != nil {
		return [6]float64{}, err
	}
	sh, ch := math.Sincos(t.heading)
	v := f.VecFromLocal([3]float64{t.speed * sh, t.speed * ch, 0})
	return [6]float64{p[0], v[0], p[1], v[1], p[2], v[2]}, nil
}

// Next returns the next event, or io.EOF after the last sweep: the truth at time 0, then
// for each sweep k, the truth at its end, (k+1)·Dt, followed by the sweep's scans (one per
// site, in site order, each timed at the sweep's end).
func (g *BeltGenerator) Next() (Event, error) {
	b := g.b
	switch {
	case g.k == 0 && !g.started:
		g.started = true
		return g.truthEvent(0)
	case g.site < 0:
		if g.k >= b.Scans {
			return Event{}, io.EOF
		}
		g.start = append(g.start[:0], g.targets...)
		for i := range g.targets {
			t := &g.targets[i]
			t.pos = move(t.pos, t.speed, t.heading, b.Dt)
		}
		g.site = 0
		return g.truthEvent(float64(g.k+1) * b.Dt)
	case g.site < len(g.sites):
		s, err := g.sweep(g.site)
		if err != nil {
			return Event{}, err
		}
		g.site++
		if g.site == len(g.sites) {
			g.site = -1
			g.k++
		}
		return Event{Scan: s}, nil
	}
	return Event{}, io.EOF
}

func (g *BeltGenerator) truthEvent(t float64) (Event, error) {
	tf := &trackpb.TruthFrame{TimeNs: secondsToNanos(t), Objects: make([]*trackpb.TruthObject, len(g.targets))}
	for i := range g.targets {
		x, err := g.targets[i].state()
		if err != nil {
			return Event{}, err
		}
		tf.Objects[i] = &trackpb.TruthObject{Id: int64(i), Motion: trackpb.MotionModel_MOTION_MODEL_CV3, X: x[:]}
	}
	return Event{Truth: tf}, nil
}

// sweep returns site i's scan of sweep g.k: the beam turns clockwise from north once per
// Dt, so a target at bearing β is detected at k·Dt + (β mod 2π)/(2π)·Dt, where it is then.
func (g *BeltGenerator) sweep(i int) (*trackpb.Scan, error) {
	b := g.b
	site := &g.sites[i]
	t0 := float64(g.k) * b.Dt
	scan := &trackpb.Scan{SensorId: uint32(i), TimeNs: secondsToNanos(t0 + b.Dt), Sequence: uint64(g.k)}
	rangeMax := b.RadarRange
	if site.passive {
		rangeMax = b.PassiveRange
	}
	add := func(delta, rng, bearing float64, truth int64) {
		d := &trackpb.Detection{SensorId: scan.SensorId, TimeNs: secondsToNanos(t0 + delta)}
		bearing = math.Remainder(bearing, 2*math.Pi)
		if site.passive {
			d.Kind = trackpb.MeasurementKind_MEASUREMENT_KIND_BEARING
			d.Z = []float64{bearing}
			d.R = []float64{b.PassiveSigma * b.PassiveSigma}
		} else {
			d.Kind = trackpb.MeasurementKind_MEASUREMENT_KIND_RANGE_BEARING
			d.Z = []float64{rng, bearing}
			d.R = []float64{b.RangeSigma * b.RangeSigma, 0, 0, b.BearingSigma * b.BearingSigma}
		}
		if truth >= 0 {
			d.TruthId = &truth
		}
		scan.Detections = append(scan.Detections, d)
	}
	sweepTime := func(bearing float64) float64 {
		return math.Mod(bearing+2*math.Pi, 2*math.Pi) / (2 * math.Pi) * b.Dt
	}
	for j := range g.start {
		t := &g.start[j]
		p, err := spatial.GeodeticToECEF(t.pos)
		if err != nil {
			return nil, err
		}
		z, _, err := site.sensor.PredictRangeBearing(p)
		if err != nil || z[0] > rangeMax+b.MaxSpeed*b.Dt {
			continue // at the sensor, or far out of coverage
		}
		// The beam reaches the target when it passes its bearing; one fixed-point step is
		// enough (the bearing moves by a fraction of a degree within a sweep).
		delta := sweepTime(z[1])
		at := *t
		at.pos = move(t.pos, t.speed, t.heading, delta)
		if p, err = spatial.GeodeticToECEF(at.pos); err != nil {
			return nil, err
		}
		if z, _, err = site.sensor.PredictRangeBearing(p); err != nil || z[0] > rangeMax {
			continue
		}
		if g.rng.Float64() >= b.Pd {
			continue
		}
		if site.passive {
			add(delta, 0, z[1]+b.PassiveSigma*g.rng.NormFloat64(), int64(j))
		} else {
			add(delta, z[0]+b.RangeSigma*g.rng.NormFloat64(), z[1]+b.BearingSigma*g.rng.NormFloat64(), int64(j))
		}
	}
	for range int(g.poisson.Rand()) {
		bearing := 2 * math.Pi * g.rng.Float64()
		rng := rangeMax * math.Sqrt(g.rng.Float64()) // uniform over the disc
		add(sweepTime(bearing), rng, bearing, -1)
	}
	// In sweep order; equal times by bearing, then range, so the order is fully determined.
	slices.SortStableFunc(scan.Detections, func(a, c *trackpb.Detection) int {
		if a.GetTimeNs() != c.GetTimeNs() {
			return cmpInt(a.GetTimeNs(), c.GetTimeNs())
		}
		return cmp.Compare(a.GetZ()[len(a.GetZ())-1], c.GetZ()[len(c.GetZ())-1])
	})
	for _, d := range scan.Detections {
		d.Id = g.nextID
		g.nextID++
	}
	return scan, nil
}
