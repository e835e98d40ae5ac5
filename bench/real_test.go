package bench

import (
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/trackcorr/trackcorr/internal/dataset"
	"github.com/trackcorr/trackcorr/trackpb"
)

// Two aircraft: one flying due east at about 100 m/s at 52°N, one with a gap of 120 s.
const testOpenSky = `time,icao24,lat,lon,velocity,heading,geoaltitude
1000,aaa,52.0,0.0,100,90,1000
1010,aaa,52.0,0.0145886,100,90,1000
1020,aaa,52.0,0.0291772,100,90,1000
1000,bbb,51.9,0.1,100,0,2000
1010,bbb,,,,,
1130,bbb,51.91,0.1,100,0,2000
1140,bbb,51.91,0.1,100,0,
`

func TestReadOpenSky(t *testing.T) {
	tr, err := ReadOpenSky(strings.NewReader(testOpenSky))
	require.NoError(t, err)
	require.Len(t, tr.List, 2)
	assert.Equal(t, "aaa", tr.List[0].ID)
	assert.Equal(t, []float64{0, 10, 20}, tr.List[0].T)
	assert.Equal(t, []float64{0, 130, 140}, tr.List[1].T, "rows without a position are skipped")
	assert.InDelta(t, 1000, tr.List[0].Pos[0].Height, 1e-9)
	assert.Equal(t, int64(1000), tr.Epoch.Unix())

	g, err := NewRealGenerator(Real{Trajectories: tr, Dt: 5, Pd: 1, ClutterPerScan: 1e-9, Sigma: 1, Seed: 1})
	require.NoError(t, err)
	var frames []*trackpb.TruthFrame
	for {
		ev, err := g.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if ev.Truth != nil {
			frames = append(frames, ev.Truth)
		}
	}
	// At t = 5 s: aaa half-way through its first segment, moving east at ~100 m/s; bbb is in
	// its 130 s gap and absent.
	f := frames[1]
	require.Len(t, f.GetObjects(), 1)
	x := f.GetObjects()[0].GetX()
	assert.InDelta(t, 100, x[1], 1, "east velocity")
	assert.InDelta(t, 0, x[3], 0.5, "north velocity")
	// bbb reappears between its reports at 130 s and 140 s.
	f = frames[27] // t = 135 s
	ids := []int64{}
	for _, o := range f.GetObjects() {
		ids = append(ids, o.GetId())
	}
	assert.Equal(t, []int64{1}, ids)
}

func TestReadAISAndErrors(t *testing.T) {
	ais := "Time,MMSI,Latitude_degrees,Longitude_degrees,COG_degrees,SOG_knots\n" +
		"2016-01-12 13:02:11.218,1,50.77,-1.09,157.8,5.9\n" +
		"2016-01-12 13:02:21.218,1,50.771,-1.09,157.8,5.9\n"
	tr, err := ReadAIS(strings.NewReader(ais))
	require.NoError(t, err)
	require.Len(t, tr.List, 1)
	assert.InDelta(t, 10, tr.List[0].T[1], 1e-9)

	for _, bad := range []string{
		"",
		"time,icao24,lat\n1,a,2\n",
		"time,icao24,lat,lon\nx,a,1,2\n",
		"time,icao24,lat,lon\n1,a,95,2\n",
		"time,icao24,lat,lon\n1,a,north,2\n",
	} {
		_, err := ReadOpenSky(strings.NewReader(bad))
		require.ErrorIs(t, err, ErrTrajectory, "%q", bad)
	}
}

// The shared ADS-B and AIS files become scenarios whose truth moves like aircraft and
// ships.
func TestRealShared(t *testing.T) {
	for _, tc := range []struct {
		file     string
		read     func(io.Reader) (*Trajectories, error)
		objects  int
		maxSpeed float64
	}{
		{"OpenSky_Plane_States.csv", ReadOpenSky, 84, 400},
		{"SolentAIS_20160112_130211.csv", ReadAIS, 91, 30},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(dataset.Path(t, "real", tc.file))
			require.NoError(t, err)
			defer f.Close()
			tr, err := tc.read(f)
			require.NoError(t, err)
			assert.Len(t, tr.List, tc.objects)
			g, err := NewRealGenerator(Real{Trajectories: tr, Seed: 1})
			require.NoError(t, err)
			frames, detections := 0, 0
			for {
				ev, err := g.Next()
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
				if ev.Truth == nil {
					detections += len(ev.Scan.GetDetections())
					continue
				}
				frames++
				for _, o := range ev.Truth.GetObjects() {
					x := o.GetX()
					require.Less(t, math.Hypot(x[1], x[3]), tc.maxSpeed, "object %d", o.GetId())
				}
			}
			assert.Positive(t, frames)
			assert.Positive(t, detections)
		})
	}
}
