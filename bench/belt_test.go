package bench

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"
	"google.golang.org/protobuf/proto"

	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/spatial"
	"github.com/trackcorr/trackcorr/trackpb"
)

func runBelt(t *testing.T, b Belt) (*BeltGenerator, []*trackpb.TruthFrame, []*trackpb.Scan) {
	t.Helper()
	g, err := NewBeltGenerator(b)
	require.NoError(t, err)
	truths, scans := collect(t, g)
	for _, s := range scans {
		// A sweep's scans follow the truth at its end, which comes first.
		k := int(s.GetTimeNs() / int64(g.b.Dt*1e9))
		require.Less(t, k, len(truths), "a truth frame comes first")
		require.Equal(t, truths[k].GetTimeNs(), s.GetTimeNs())
	}
	return g, truths, scans
}

func TestBeltLayout(t *testing.T) {
	g, truths, scans := runBelt(t, Belt{Targets: 40, Scans: 5, Seed: 1})
	require.Equal(t, 21, g.Sites(), "2,000 km at 100 km spacing")
	passive := 0
	for i := range g.Sites() {
		if _, p := g.Sensor(i); p {
			passive++
		}
	}
	assert.Equal(t, 6, passive, "every third site from the second")
	assert.Len(t, truths, 6)
	assert.Len(t, scans, 5*21)
	h := g.Header("belt")
	require.Len(t, h.GetSensors(), 21)
	assert.Equal(t, trackpb.FrameKind_FRAME_KIND_ECEF, h.GetFrame())

	// The first and last sites are 2,000 km apart along the ellipsoid: their chord is a
	// little shorter.
	s0, _ := g.Sensor(0)
	s20, _ := g.Sensor(20)
	d := s0.ECEF().Dist(s20.ECEF())
	assert.InDelta(t, 1.99e6, d, 0.02e6)

	// Deterministic.
	_, truths2, scans2 := runBelt(t, Belt{Targets: 40, Scans: 5, Seed: 1})
	for i := range scans {
		require.True(t, proto.Equal(scans[i], scans2[i]))
	}
	require.True(t, proto.Equal(truths[3], truths2[3]))
}

// The truth's velocity matches its displacement, and targets move at their speed.
func TestBeltTruthMotion(t *testing.T) {
	_, truths, _ := runBelt(t, Belt{Targets: 30, Scans: 4, Seed: 2})
	for k := 1; k < len(truths); k++ {
		for i, o := range truths[k].GetObjects() {
			p := truths[k-1].GetObjects()[i].GetX()
			x := o.GetX()
			for a := 0; a < 6; a += 2 {
				v := (x[a] - p[a]) / 10
				assert.InDelta(t, (x[a+1]+p[a+1])/2, v, 0.05, "target %d axis %d", i, a/2)
			}
			speed := math.Sqrt(x[1]*x[1] + x[3]*x[3] + x[5]*x[5])
			assert.True(t, speed >= 100 && speed <= 300, "speed %v", speed)
		}
	}
}

// Every true detection lies within its sensor's coverage, is timed within its sweep in
// sweep order, and its measurement error against the truth at that time (interpolated
// between the sweep's truth frames) is consistent with the configured noise.
func TestBeltMeasurements(t *testing.T) {
	b := Belt{Targets: 300, Scans: 6, Seed: 3}
	g, truths, scans := runBelt(t, b)
	def, err := b.withDefaults()
	require.NoError(t, err)
	var nees float64
	var dof, clutter, detected int
	for _, s := range scans {
		site, passive := g.Sensor(int(s.GetSensorId()))
		end := s.GetTimeNs()
		k := int(end/10e9) - 1
		for j, d := range s.GetDetections() {
			require.GreaterOrEqual(t, d.GetTimeNs(), end-10e9)
			require.Less(t, d.GetTimeNs(), end)
			if j > 0 {
				require.GreaterOrEqual(t, d.GetTimeNs(), s.GetDetections()[j-1].GetTimeNs(), "sweep order")
			}
			if d.TruthId == nil {
				clutter++
				continue
			}
			detected++
			a := truths[k].GetObjects()[d.GetTruthId()].GetX()
			c := truths[k+1].GetObjects()[d.GetTruthId()].GetX()
			w := float64(d.GetTimeNs()-(end-10e9)) / 10e9
			p := spatial.ECEF{a[0] + w*(c[0]-a[0]), a[2] + w*(c[2]-a[2]), a[4] + w*(c[4]-a[4])}
			z, _, err := site.PredictRangeBearing(p)
			require.NoError(t, err)
			eb := math.Remainder(d.GetZ()[len(d.GetZ())-1]-z[1], 2*math.Pi)
			if passive {
				nees += eb * eb / (def.PassiveSigma * def.PassiveSigma)
				dof++
				continue
			}
			assert.LessOrEqual(t, z[0], def.RadarRange)
			er := d.GetZ()[0] - z[0]
			nees += er*er/(def.RangeSigma*def.RangeSigma) + eb*eb/(def.BearingSigma*def.BearingSigma)
			dof += 2
		}
	}
	require.Greater(t, detected, 100, "targets are seen")
	chi := distuv.ChiSquared{K: float64(dof)}
	assert.Greater(t, nees, chi.Quantile(0.0005))
	assert.Less(t, nees, chi.Quantile(0.9995))
	lam := def.ClutterPerScan * float64(len(scans))
	assert.InDelta(t, lam, float64(clutter), 5*math.Sqrt(lam))
}

func TestBeltErrors(t *testing.T) {
	for _, b := range []Belt{{}, {Targets: 1, Pd: 2}, {Targets: 1, Spacing: 10}, {Targets: 1, RangeSigma: math.NaN()},
		{Targets: 1, Origin: spatial.Geodetic{Lat: 3}}} {
		_, err := NewBeltGenerator(b)
		require.ErrorIs(t, err, ErrScenario, "%+v", b)
	}
}

// A belt scenario written as a recording reads back with its geodetic sensors.
func TestBeltRecording(t *testing.T) {
	g, err := NewBeltGenerator(Belt{Targets: 20, Scans: 3, Seed: 4})
	require.NoError(t, err)
	var buf bytes.Buffer
	scans, _, err := WriteEvents(&buf, "belt", g)
	require.NoError(t, err)
	assert.Equal(t, 3*21, scans)
	r, err := replay.NewReader(&buf, replay.ReaderOptions{})
	require.NoError(t, err)
	s := r.Header().GetSensors()[1]
	assert.InDelta(t, 52*math.Pi/180, s.GetGeodetic().GetLatitudeRad(), 0.01)
	assert.Equal(t, trackpb.MeasurementKind_MEASUREMENT_KIND_RANGE_BEARING, s.GetMeasurement())
	assert.Equal(t, trackpb.MeasurementKind_MEASUREMENT_KIND_BEARING, r.Header().GetSensors()[3].GetMeasurement())
}
