package replay

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/trackpb"
)

// Three scans of two well separated targets, then a fourth: both tracks are confirmed
// after three associations, through the player and the conversion.
func TestFeedTracker(t *testing.T) {
	var lines []string
	for k := range 4 {
		x := float64(10 * k)
		lines = append(lines, `{"t": `+itoa(k)+`, "sensor": 0, "detections": [`+
			`{"z": [`+ftoa(x)+`, 0], "R": [[1, 0], [0, 1]], "truth_id": 1}, `+
			`{"z": [`+ftoa(x)+`, 5000], "R": [[1, 0], [0, 1]], "truth_id": 2}]}`)
	}
	meta := InterchangeMeta{Pd: 0.9, ClutterSpatialDensity: 1e-5, R: [][][]float64{{{1, 0}, {0, 1}}}}
	var rec bytes.Buffer
	_, _, err := ImportInterchange(&rec, "two", meta, strings.NewReader(strings.Join(lines, "\n")), nil)
	require.NoError(t, err)
	r, err := NewReader(&rec, ReaderOptions{})
	require.NoError(t, err)
	conv, err := NewConverter(r.Header())
	require.NoError(t, err)
	require.Equal(t, []correlate.Sensor{{ID: 0, Kind: correlate.Position2D, Pd: 0.9, ClutterDensity: 1e-5}}, conv.Sensors())

	tr, err := correlate.New(correlate.Config{Sensors: conv.Sensors()})
	require.NoError(t, err)
	defer tr.Close()
	p, err := NewPlayer(PlayerConfig{}, RecordingScans(r, nil))
	require.NoError(t, err)
	var last *trackpb.TrackSet
	_, err = p.Run(context.Background(), Feed(tr, conv, func(_ int, s *trackpb.Scan, out *correlate.Output) error {
		last = TrackSet(out.Tracks, s.GetTimeNs())
		return nil
	}))
	require.NoError(t, err)
	require.NotNil(t, last)
	require.Len(t, last.GetTracks(), 2)
	for _, tk := range last.GetTracks() {
		assert.Equal(t, trackpb.TrackStatus_TRACK_STATUS_CONFIRMED, tk.GetStatus())
		assert.Equal(t, trackpb.MotionModel_MOTION_MODEL_CV2, tk.GetMotion())
		assert.InDelta(t, 30, tk.GetX()[0], 2)
		assert.Len(t, tk.GetP(), 16)
		assert.Len(t, tk.GetDetectionIds(), 1)
	}
}

func TestConverterScan(t *testing.T) {
	h := &trackpb.Header{Sensors: []*trackpb.Sensor{
		{Id: 1, Measurement: trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D, R: []float64{4, 0, 0, 4}},
		{Id: 2, Measurement: trackpb.MeasurementKind_MEASUREMENT_KIND_RANGE_BEARING,
			Pose: &trackpb.Sensor_Local{Local: &trackpb.LocalPose{XM: 100, YM: -50, YawRad: 0.1}}},
	}}
	c, err := NewConverter(h)
	require.NoError(t, err)
	require.Len(t, c.Sensors(), 2)
	assert.Equal(t, [3]float64{100, -50, 0}, c.Sensors()[1].Position)
	assert.Equal(t, correlate.RangeBearing, c.Sensors()[1].Kind)

	var sc correlate.Scan
	bad := &trackpb.Scan{SensorId: 1, Detections: []*trackpb.Detection{{Id: 1, Z: []float64{1, 2}, R: []float64{1}}}}
	require.ErrorIs(t, c.Scan(&sc, bad), ErrUnsupported)
	// The sensor's default covariance fills an empty one.
	ok := &trackpb.Scan{SensorId: 1, Detections: []*trackpb.Detection{{Id: 1, Z: []float64{1, 2}}}}
	require.NoError(t, c.Scan(&sc, ok))
	assert.Equal(t, 4.0, sc.Detections[0].R[3])

	// A bearing of 30° clockwise from north with the sensor yawed 0.1 rad is an azimuth of
	// 90° − 30° − 0.1 rad from +x, counter-clockwise; its covariance with range flips sign.
	polar := &trackpb.Scan{SensorId: 2, Detections: []*trackpb.Detection{{Id: 2, Z: []float64{1000, math.Pi / 6},
		R: []float64{25, 0.01, 0.01, 1e-4}}}}
	require.NoError(t, c.Scan(&sc, polar))
	d := sc.Detections[0]
	assert.InDelta(t, math.Pi/2-math.Pi/6-0.1, d.Z[1], 1e-15)
	assert.Equal(t, 1000.0, d.Z[0])
	assert.Equal(t, []float64{25, -0.01, -0.01, 1e-4}, d.R[:4])

	_, _, err = SensorKind(trackpb.MeasurementKind_MEASUREMENT_KIND_BOX)
	require.True(t, errors.Is(err, ErrUnsupported))
	_, err = NewConverter(&trackpb.Header{Sensors: []*trackpb.Sensor{{Id: 3, Measurement: trackpb.MeasurementKind_MEASUREMENT_KIND_BEARING,
		Pose: &trackpb.Sensor_Geodetic{Geodetic: &trackpb.GeodeticPose{}}}}})
	require.ErrorIs(t, err, ErrUnsupported)
}

func itoa(k int) string     { return ftoa(float64(k)) }
func ftoa(v float64) string { return strings.TrimRight(strings.TrimRight(strconvF(v), "0"), ".") }

func strconvF(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
