package bench

import (
	"bytes"
	"io"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

// run collects every event of a scenario.
func run(t *testing.T, sc Scenario) (*Generator, []*trackpb.TruthFrame, []*trackpb.Scan) {
	t.Helper()
	g, err := NewGenerator(sc)
	require.NoError(t, err)
	truths, scans := collect(t, g)
	return g, truths, scans
}

// collect reads every event of src.
func collect(t *testing.T, src EventSource) ([]*trackpb.TruthFrame, []*trackpb.Scan) {
	t.Helper()
	var truths []*trackpb.TruthFrame
	var scans []*trackpb.Scan
	for {
		ev, err := src.Next()
		if err == io.EOF {
			return truths, scans
		}
		require.NoError(t, err)
		if ev.Truth != nil {
			truths = append(truths, ev.Truth)
		} else {
			scans = append(scans, ev.Scan)
		}
	}
}

func TestGeneratorDeterministic(t *testing.T) {
	sc := Scenario{Targets: 200, Scans: 5, Sensors: 3, Seed: 42}
	var a, b, c bytes.Buffer
	_, _, err := WriteRecording(&a, "x", sc)
	require.NoError(t, err)
	_, _, err = WriteRecording(&b, "x", sc)
	require.NoError(t, err)
	sc.Seed = 43
	_, _, err = WriteRecording(&c, "x", sc)
	require.NoError(t, err)
	assert.Equal(t, a.Bytes(), b.Bytes(), "same scenario, same bytes")
	assert.NotEqual(t, a.Bytes(), c.Bytes(), "another seed, other bytes")
}

func TestGeneratorTiming(t *testing.T) {
	_, truths, scans := run(t, Scenario{Targets: 10, Scans: 4, Sensors: 3, Dt: 1.5})
	require.Len(t, scans, 12)
	require.Len(t, truths, 12, "one truth frame per distinct scan time")
	for k, s := range scans {
		want := int64(k/3)*1_500_000_000 + int64(k%3)*500_000_000
		assert.Equal(t, want, s.GetTimeNs(), "scan %d", k)
		assert.Equal(t, uint32(k%3), s.GetSensorId())
		assert.Equal(t, want, truths[k].GetTimeNs())
	}
}

// Detection probability, clutter rate and measurement noise match the configuration
// within statistical bounds, for each sensor's covariance.
func TestGeneratorStatistics(t *testing.T) {
	sc := Scenario{Targets: 2000, Scans: 10, Sensors: 3, Seed: 7}
	g, truths, scans := run(t, sc)
	d := g.Scenario()
	detected, clutter := 0, 0
	var nees [3]float64
	var count [3]int
	truthAt := map[int64]*trackpb.TruthFrame{}
	for _, tf := range truths {
		truthAt[tf.GetTimeNs()] = tf
	}
	ids := map[uint64]bool{}
	for _, s := range scans {
		tf := truthAt[s.GetTimeNs()]
		require.NotNil(t, tf)
		sensor := s.GetSensorId()
		r := g.R(int(sensor))
		det := r[0]*r[3] - r[1]*r[2]
		for _, dt := range s.GetDetections() {
			require.False(t, ids[dt.GetId()], "detection IDs are unique")
			ids[dt.GetId()] = true
			assert.Equal(t, r[:], dt.GetR())
			if dt.TruthId == nil {
				clutter++
				z := dt.GetZ()
				require.True(t, z[0] >= 0 && z[0] <= g.Side() && z[1] >= 0 && z[1] <= g.Side())
				continue
			}
			detected++
			x := tf.GetObjects()[dt.GetTruthId()].GetX()
			ex, ey := dt.GetZ()[0]-x[0], dt.GetZ()[1]-x[2]
			// eᵀ R⁻¹ e for a 2×2 R.
			nees[sensor] += (r[3]*ex*ex - (r[1]+r[2])*ex*ey + r[0]*ey*ey) / det
			count[sensor]++
		}
	}
	n := float64(len(scans) * d.Targets)
	assert.InDelta(t, d.Pd*n, float64(detected), 5*math.Sqrt(n*d.Pd*(1-d.Pd)), "binomial detections")
	lam := d.ClutterPerScan * float64(len(scans))
	assert.InDelta(t, lam, float64(clutter), 5*math.Sqrt(lam), "Poisson clutter")
	for s := range 3 {
		// The sum of count χ²(2) variables is χ²(2·count): two-sided 99.9% bounds.
		chi := distuv.ChiSquared{K: float64(2 * count[s])}
		assert.Greater(t, nees[s], chi.Quantile(0.0005), "sensor %d noise too small", s)
		assert.Less(t, nees[s], chi.Quantile(0.9995), "sensor %d noise too large", s)
	}
}

// The truth moves with white-noise acceleration of density q: the innovations of the
// exact discrete model are consistent with Q.
func TestGeneratorMotion(t *testing.T) {
	sc := Scenario{Targets: 500, Scans: 10, Dt: 2, Q: 0.5, NoClutter: true, Seed: 3}
	_, truths, _ := run(t, sc)
	dt, q := 2.0, 0.5
	// Q⁻¹ per axis for Q = q[[dt³/3, dt²/2], [dt²/2, dt]]: det = q²dt⁴/12.
	a, b, c := q*dt*dt*dt/3, q*dt*dt/2, q*dt
	det := a*c - b*b
	sum, k := 0.0, 0
	for i := 1; i < len(truths); i++ {
		for j, o := range truths[i].GetObjects() {
			p := truths[i-1].GetObjects()[j].GetX()
			x := o.GetX()
			for ax := 0; ax < 4; ax += 2 {
				e1 := x[ax] - (p[ax] + dt*p[ax+1])
				e2 := x[ax+1] - p[ax+1]
				sum += (c*e1*e1 - 2*b*e1*e2 + a*e2*e2) / det
				k++
			}
		}
	}
	chi := distuv.ChiSquared{K: float64(2 * k)}
	assert.Greater(t, sum, chi.Quantile(0.0005))
	assert.Less(t, sum, chi.Quantile(0.9995))
}

func TestGeneratorGeometry(t *testing.T) {
	mid := func(truths []*trackpb.TruthFrame) *trackpb.TruthFrame { return truths[len(truths)/2] }
	t.Run("crossing pairs meet at mid-run", func(t *testing.T) {
		_, truths, _ := run(t, Scenario{Kind: Crossing, Targets: 20, Scans: 20, NoClutter: true, Q: 1e-9})
		f := mid(truths).GetObjects()
		first := truths[0].GetObjects()
		for p := 0; p < len(f); p += 2 {
			a, b := f[p].GetX(), f[p+1].GetX()
			assert.Less(t, math.Hypot(a[0]-b[0], a[2]-b[2]), 1.0, "pair %d apart at mid-run", p/2)
			a0, b0 := first[p].GetX(), first[p+1].GetX()
			assert.Greater(t, math.Hypot(a0[0]-b0[0], a0[2]-b0[2]), 5.0, "pair %d together at the start", p/2)
			cos := (a[1]*b[1] + a[3]*b[3]) / math.Hypot(a[1], a[3]) / math.Hypot(b[1], b[3])
			assert.InDelta(t, 10*math.Pi/180, math.Acos(math.Min(1, cos)), 1e-3)
		}
	})
	t.Run("parallel pairs keep their separation", func(t *testing.T) {
		_, truths, _ := run(t, Scenario{Kind: Parallel, Targets: 20, Scans: 20, NoClutter: true, Q: 1e-9, Separation: 8})
		for _, tf := range []*trackpb.TruthFrame{truths[0], mid(truths), truths[len(truths)-1]} {
			o := tf.GetObjects()
			for p := 0; p < len(o); p += 2 {
				a, b := o[p].GetX(), o[p+1].GetX()
				assert.InDelta(t, 8, math.Hypot(a[0]-b[0], a[2]-b[2]), 0.1)
			}
		}
	})
	t.Run("manoeuvring targets turn in the middle third", func(t *testing.T) {
		sc := Scenario{Kind: Manoeuvring, Targets: 10, Scans: 30, NoClutter: true, Q: 1e-8}
		_, truths, _ := run(t, sc)
		heading := func(x []float64) float64 { return math.Atan2(x[3], x[1]) }
		o0, o1 := truths[0].GetObjects(), truths[len(truths)-1].GetObjects()
		for i := range o0 {
			turn := math.Remainder(heading(o1[i].GetX())-heading(o0[i].GetX()), 2*math.Pi)
			want := 5 * math.Pi / 180 * 10 // 5°/s for the 10 s of the middle third
			if i%2 == 1 {
				want = -want
			}
			assert.InDelta(t, want, turn, 1e-3, "target %d", i)
		}
	})
}

// A scenario written in the interchange format reads back through replay's importer as
// the same detections as the recording.
func TestWriteInterchangeRoundTrip(t *testing.T) {
	sc := Scenario{Targets: 50, Scans: 4, Sensors: 2, Seed: 11}
	var dets, truth, meta, rec bytes.Buffer
	require.NoError(t, WriteInterchange(&dets, &truth, &meta, sc))
	_, _, err := WriteRecording(&rec, "x", sc)
	require.NoError(t, err)

	m, err := replay.ReadInterchangeMeta(&meta)
	require.NoError(t, err)
	assert.Equal(t, 50, m.Targets)
	require.Len(t, m.R, 2)

	ir := replay.NewInterchangeReader(&dets, "dets")
	rr, err := replay.NewReader(&rec, replay.ReaderOptions{})
	require.NoError(t, err)
	src := replay.RecordingScans(rr, nil)
	for {
		a, errA := ir.Next()
		b, errB := src.Next()
		if errA == io.EOF || errB == io.EOF {
			require.Equal(t, errA, errB, "same number of scans")
			break
		}
		require.NoError(t, errA)
		require.NoError(t, errB)
		require.Equal(t, b.GetTimeNs(), a.GetTimeNs())
		require.Len(t, a.GetDetections(), len(b.GetDetections()))
		for i, d := range a.GetDetections() {
			e := b.GetDetections()[i]
			assert.Equal(t, e.GetZ(), d.GetZ())
			assert.Equal(t, e.GetR(), d.GetR())
			assert.Equal(t, e.TruthId == nil, d.TruthId == nil)
			assert.Equal(t, e.GetTruthId(), d.GetTruthId())
		}
	}
	tr := replay.NewInterchangeTruthReader(&truth, "truth")
	f, err := tr.Next()
	require.NoError(t, err)
	assert.Len(t, f.GetObjects(), 50)
}

func TestScenarioErrors(t *testing.T) {
	for _, sc := range []Scenario{
		{},
		{Targets: MaxTargets + 1},
		{Targets: 10, Pd: 1.5},
		{Targets: 10, Dt: -1},
		{Targets: 10, Sigma: math.NaN()},
		{Targets: 10, Sensors: 65},
		{Targets: 10, MinSpeed: 20, MaxSpeed: 10},
		{Targets: 10, Kind: Kind(99)},
	} {
		_, err := NewGenerator(sc)
		require.ErrorIs(t, err, ErrScenario, "%+v", sc)
	}
}
