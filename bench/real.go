package bench

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/trackcorr/trackcorr/spatial"
	"github.com/trackcorr/trackcorr/trackpb"
)

// Trajectory is a real vehicle's recorded positions: times in seconds since the set's
// epoch, increasing, and geodetic positions.
type Trajectory struct {
	ID  string
	T   []float64
	Pos []spatial.Geodetic
}

// Trajectories is a set of recorded trajectories with a common epoch.
type Trajectories struct {
	// Epoch is the time of T = 0.
	Epoch time.Time
	// List is sorted by ID.
	List []Trajectory
}

// ErrTrajectory means a trajectory file could not be read: a missing column, a value
// that does not parse, a position out of range.
var ErrTrajectory = errors.New("bench: invalid trajectory file")

// ReadOpenSky reads OpenSky Network state vectors (CSV with a header naming at least
// time (unix seconds), icao24, lat, lon and geoaltitude or baroaltitude in metres).
// Rows without a position are skipped.
func ReadOpenSky(r io.Reader) (*Trajectories, error) {
	return readTrajectories(r, "time", "icao24", "lat", "lon", []string{"geoaltitude", "baroaltitude"}, func(s string) (time.Time, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return time.Time{}, fmt.Errorf("time %q", s)
		}
		sec, frac := math.Modf(v)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	})
}

// ReadAIS reads AIS position reports (CSV with a header naming Time as
// "2006-01-02 15:04:05.000" UTC, MMSI, Latitude_degrees and Longitude_degrees). Ships are
// at height 0.
func ReadAIS(r io.Reader) (*Trajectories, error) {
	return readTrajectories(r, "Time", "MMSI", "Latitude_degrees", "Longitude_degrees", nil, func(s string) (time.Time, error) {
		return time.Parse("2006-01-02 15:04:05.999999999", s)
	})
}

func readTrajectories(r io.Reader, tcol, idcol, latcol, loncol string, hcols []string, parseTime func(string) (time.Time, error)) (*Trajectories, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrTrajectory, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	idx := func(name string) (int, error) {
		i, ok := col[name]
		if !ok {
			return 0, fmt.Errorf("%w: no %q column", ErrTrajectory, name)
		}
		return i, nil
	}
	ti, err := idx(tcol)
	if err != nil {
		return nil, err
	}
	ii, err := idx(idcol)
	if err != nil {
		return nil, err
	}
	lai, err := idx(latcol)
	if err != nil {
		return nil, err
	}
	loi, err := idx(loncol)
	if err != nil {
		return nil, err
	}
	var his []int
	for _, h := range hcols {
		if i, ok := col[h]; ok {
			his = append(his, i)
		}
	}
	type row struct {
		t   time.Time
		pos spatial.Geodetic
	}
	byID := map[string][]row{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrTrajectory, line, err)
		}
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if get(lai) == "" || get(loi) == "" {
			continue
		}
		t, err := parseTime(get(ti))
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrTrajectory, line, err)
		}
		lat, err1 := strconv.ParseFloat(get(lai), 64)
		lon, err2 := strconv.ParseFloat(get(loi), 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%w: line %d: position %q, %q", ErrTrajectory, line, get(lai), get(loi))
		}
		h := 0.0
		for _, hi := range his {
			if v, err := strconv.ParseFloat(get(hi), 64); err == nil && !math.IsNaN(v) {
				h = v
				break
			}
		}
		pos := spatial.FromDegrees(lat, lon, h)
		if err := pos.Check(); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrTrajectory, line, err)
		}
		id := get(ii)
		byID[id] = append(byID[id], row{t, pos})
	}
	if len(byID) == 0 {
		return nil, fmt.Errorf("%w: no positions", ErrTrajectory)
	}
	ids := make([]string, 0, len(byID))
	var epoch time.Time
	for id, rows := range byID {
		ids = append(ids, id)
		for _, r := range rows {
			if epoch.IsZero() || r.t.Before(epoch) {
				epoch = r.t
			}
		}
	}
	slices.Sort(ids)
	out := &Trajectories{Epoch: epoch}
	for _, id := range ids {
		rows := byID[id]
		slices.SortStableFunc(rows, func(a, b row) int { return a.t.Compare(b.t) })
		tr := Trajectory{ID: id}
		for _, r := range rows {
			t := r.t.Sub(epoch).Seconds()
			if n := len(tr.T); n > 0 && t <= tr.T[n-1] {
				continue // a repeated report: keep the first
			}
			tr.T = append(tr.T, t)
			tr.Pos = append(tr.Pos, r.pos)
		}
		out.List = append(out.List, tr)
	}
	return out, nil
}

// Real configures a scenario whose targets follow recorded trajectories, seen by
// simulated 2-D position sensors in a local east-north-up frame. Zero fields take the
// documented defaults.
type Real struct {
	Trajectories *Trajectories
	// Origin of the ENU tracking frame; default the mean of the first positions.
	Origin *spatial.Geodetic
	// Scans per sensor (default: as many as the recording's span allows) of Dt seconds
	// (default 10), Sensors staggered by Dt/Sensors (default 1).
	Scans, Sensors int
	Dt             float64
	// Sigma is the position noise standard deviation in metres (default 50), Pd the
	// detection probability (default 0.9), ClutterPerScan the mean false alarms per scan
	// uniform over the trajectories' bounding box (default 1).
	Sigma, Pd, ClutterPerScan float64
	// MaxGap is the longest gap between reports in seconds over which a trajectory is
	// interpolated (default 60): in longer gaps the object is absent.
	MaxGap float64
	// Recorded data has glitches: a report closer than MinInterval seconds (default 1) to the
	// previous kept one, or implying a speed above MaxSpeed m/s from it (default 400), is
	// dropped.
	MinInterval, MaxSpeed float64
	Seed                  uint64
}

// RealGenerator produces the truth and scans of a Real scenario: truth states
// [x, vx, y, vy] in the ENU frame (metres, m/s; positions interpolated linearly between
// reports, velocity from the bracketing reports), detections of the objects present with
// probability Pd. Glitches are dropped first (see Real.MaxSpeed).
type RealGenerator struct {
	r                      Real
	frame                  spatial.Frame
	rng                    *rand.Rand
	poisson                distuv.Poisson
	times                  [][]float64    // per trajectory, the kept report times
	enu                    [][][2]float64 // per trajectory, ENU position of each kept report
	minX, minY, maxX, maxY float64
	k                      int
	truth                  bool
	nextID                 uint64
}

// NewRealGenerator validates the scenario and converts the trajectories to the frame.
func NewRealGenerator(r Real) (*RealGenerator, error) {
	if r.Trajectories == nil || len(r.Trajectories.List) == 0 {
		return nil, fmt.Errorf("%w: no trajectories", ErrScenario)
	}
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&r.Dt, 10)
	def(&r.Sigma, 50)
	def(&r.Pd, 0.9)
	def(&r.ClutterPerScan, 1)
	def(&r.MaxGap, 60)
	def(&r.MinInterval, 1)
	def(&r.MaxSpeed, 400)
	if r.Sensors == 0 {
		r.Sensors = 1
	}
	end := 0.0
	for _, tr := range r.Trajectories.List {
		if n := len(tr.T); n > 0 {
			end = math.Max(end, tr.T[n-1])
		}
	}
	if r.Scans == 0 {
		r.Scans = int(end/r.Dt) + 1
	}
	for _, v := range []float64{r.Dt, r.Sigma, r.Pd, r.ClutterPerScan, r.MaxGap, r.MinInterval, r.MaxSpeed} {
		if !(v > 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: real scenario parameters must be positive and finite", ErrScenario)
		}
	}
	if r.Pd > 1 || r.Sensors < 0 || r.Sensors > 64 || r.Scans < 0 {
		return nil, fmt.Errorf("%w: pd %v, %d sensors, %d scans", ErrScenario, r.Pd, r.Sensors, r.Scans)
	}
	origin := spatial.Geodetic{}
	if r.Origin != nil {
		origin = *r.Origin
	} else {
		for _, tr := range r.Trajectories.List {
			origin.Lat += tr.Pos[0].Lat / float64(len(r.Trajectories.List))
			origin.Lon += tr.Pos[0].Lon / float64(len(r.Trajectories.List))
		}
	}
	f, err := spatial.NewFrame(origin, spatial.ENU)
	if err != nil {
		return nil, fmt.Errorf("%w: origin: %v", ErrScenario, err)
	}
	g := &RealGenerator{r: r, frame: f, rng: rand.New(rand.NewPCG(r.Seed, 0x7265616c)), nextID: 1,
		minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
	g.poisson = distuv.Poisson{Lambda: r.ClutterPerScan, Src: rand.NewPCG(r.Seed, 0x636c7574)}
	for _, tr := range r.Trajectories.List {
		var ts []float64
		var pts [][2]float64
		for i, p := range tr.Pos {
			e, err := spatial.GeodeticToECEF(p)
			if err != nil {
				return nil, fmt.Errorf("%w: trajectory %s: %v", ErrScenario, tr.ID, err)
			}
			l := f.ToLocal(e)
			if n := len(ts); n > 0 {
				dt := tr.T[i] - ts[n-1]
				if dt < r.MinInterval || math.Hypot(l[0]-pts[n-1][0], l[1]-pts[n-1][1]) > r.MaxSpeed*dt {
					continue // a glitch
				}
			}
			ts = append(ts, tr.T[i])
			pts = append(pts, [2]float64{l[0], l[1]})
			g.minX, g.maxX = math.Min(g.minX, l[0]), math.Max(g.maxX, l[0])
			g.minY, g.maxY = math.Min(g.minY, l[1]), math.Max(g.maxY, l[1])
		}
		g.times = append(g.times, ts)
		g.enu = append(g.enu, pts)
	}
	return g, nil
}

// at returns trajectory i's state [x, vx, y, vy] at time t, and false when the object is
// not present (before its first report, after its last, or in a gap over MaxGap).
func (g *RealGenerator) at(i int, t float64) ([4]float64, bool) {
	T := g.times[i]
	j, found := slices.BinarySearch(T, t)
	if found {
		if j+1 < len(T) && T[j+1]-t <= g.r.MaxGap {
			j++ // use the segment that starts here
		} else if j == 0 {
			return [4]float64{}, false // a single report: no velocity
		}
	}
	if j == 0 || j == len(T) {
		return [4]float64{}, false
	}
	t0, t1 := T[j-1], T[j]
	if t1-t0 > g.r.MaxGap {
		return [4]float64{}, false
	}
	a, b := g.enu[i][j-1], g.enu[i][j]
	w := (t - t0) / (t1 - t0)
	vx, vy := (b[0]-a[0])/(t1-t0), (b[1]-a[1])/(t1-t0)
	return [4]float64{a[0] + w*(b[0]-a[0]), vx, a[1] + w*(b[1]-a[1]), vy}, true
}

// Header returns the recording header: an ENU frame about the origin and the simulated
// position sensors.
func (g *RealGenerator) Header(name string) *trackpb.Header {
	o := g.frame.Origin()
	h := &trackpb.Header{Frame: trackpb.FrameKind_FRAME_KIND_ENU,
		Origin: &trackpb.GeodeticPose{LatitudeRad: o.Lat, LongitudeRad: o.Lon, HeightM: o.Height},
		Metadata: map[string]string{"scenario": name, "kind": "real", "time_base": "epoch+scenario",
			"epoch": g.r.Trajectories.Epoch.Format(time.RFC3339Nano), "objects": strconv.Itoa(len(g.enu)),
			"seed": strconv.FormatUint(g.r.Seed, 10), "generated_by": "trackcorr bench"}}
	area := (g.maxX - g.minX) * (g.maxY - g.minY)
	for s := range g.r.Sensors {
		v := g.r.Sigma * g.r.Sigma
		h.Sensors = append(h.Sensors, &trackpb.Sensor{Id: uint32(s), Name: fmt.Sprintf("sensor-%d", s),
			Kind: trackpb.SensorKind_SENSOR_KIND_SIMULATED, Measurement: trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D,
			Pose: &trackpb.Sensor_Local{Local: &trackpb.LocalPose{}}, RateHz: 1 / g.r.Dt, DetectionProbability: g.r.Pd,
			FalseAlarmDensity: g.r.ClutterPerScan / math.Max(area, 1), R: []float64{v, 0, 0, v}})
	}
	return h
}

// Next returns the next truth frame or scan, or io.EOF.
func (g *RealGenerator) Next() (Event, error) {
	total := g.r.Scans * g.r.Sensors
	if g.k >= total {
		return Event{}, io.EOF
	}
	s := g.k % g.r.Sensors
	t := float64(g.k/g.r.Sensors)*g.r.Dt + float64(s)*g.r.Dt/float64(g.r.Sensors)
	ns := secondsToNanos(t)
	if !g.truth {
		g.truth = true
		tf := &trackpb.TruthFrame{TimeNs: ns}
		for i := range g.enu {
			if x, ok := g.at(i, t); ok {
				tf.Objects = append(tf.Objects, &trackpb.TruthObject{Id: int64(i), Motion: trackpb.MotionModel_MOTION_MODEL_CV2, X: x[:]})
			}
		}
		return Event{Truth: tf}, nil
	}
	g.truth = false
	g.k++
	scan := &trackpb.Scan{SensorId: uint32(s), TimeNs: ns, Sequence: uint64((g.k - 1) / g.r.Sensors)}
	v := g.r.Sigma * g.r.Sigma
	add := func(x, y float64, truth int64) {
		d := &trackpb.Detection{SensorId: uint32(s), TimeNs: ns, Kind: trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D,
			Z: []float64{x, y}, R: []float64{v, 0, 0, v}}
		if truth >= 0 {
			d.TruthId = &truth
		}
		scan.Detections = append(scan.Detections, d)
	}
	for i := range g.enu {
		x, ok := g.at(i, t)
		if !ok || g.rng.Float64() >= g.r.Pd {
			continue
		}
		add(x[0]+g.r.Sigma*g.rng.NormFloat64(), x[2]+g.r.Sigma*g.rng.NormFloat64(), int64(i))
	}
	for range int(g.poisson.Rand()) {
		add(g.minX+(g.maxX-g.minX)*g.rng.Float64(), g.minY+(g.maxY-g.minY)*g.rng.Float64(), -1)
	}
	g.rng.Shuffle(len(scan.Detections), func(i, j int) {
		scan.Detections[i], scan.Detections[j] = scan.Detections[j], scan.Detections[i]
	})
	for _, d := range scan.Detections {
		d.Id = g.nextID
		g.nextID++
	}
	return Event{Scan: scan}, nil
}

var _ EventSource = (*RealGenerator)(nil)
