package trackpb_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/trackcorr/trackcorr/trackpb"
)

func ptr[T any](v T) *T { return &v }

// Every message, with every field set, survives marshalling and unmarshalling.
func TestRoundTripEveryMessage(t *testing.T) {
	det := &trackpb.Detection{Id: 9, SensorId: 2, TimeNs: 1_000_000_123, Kind: trackpb.MeasurementKind_MEASUREMENT_KIND_RANGE_AZIMUTH_ELEVATION_RATE,
		Z: []float64{1e4, 0.5, 0.1, -3}, R: make([]float64, 16), Amplitude: ptr(3.5), SnrDb: ptr(12.0), Class: "aircraft",
		ClassConfidence: ptr(0.8), Features: []float32{0.25, -1}, TruthId: ptr(int64(0)), Confidence: ptr(0.99)}
	scan := &trackpb.Scan{SensorId: 2, TimeNs: 1_000_000_500, Sequence: 4, Detections: []*trackpb.Detection{det}}
	geo := &trackpb.GeodeticPose{LatitudeRad: 0.9, LongitudeRad: -0.01, HeightM: 50, YawRad: 0.1, PitchRad: 0.02, RollRad: -0.03}
	sensors := []*trackpb.Sensor{
		{Id: 1, Name: "radar", Kind: trackpb.SensorKind_SENSOR_KIND_RADAR, Measurement: trackpb.MeasurementKind_MEASUREMENT_KIND_RANGE_BEARING,
			Pose: &trackpb.Sensor_Geodetic{Geodetic: geo}, RateHz: 0.2, DetectionProbability: 0.9, FalseAlarmDensity: 1e-9, R: []float64{2500, 0, 0, 1e-5}},
		{Id: 2, Name: "camera", Kind: trackpb.SensorKind_SENSOR_KIND_CAMERA, Measurement: trackpb.MeasurementKind_MEASUREMENT_KIND_BOX,
			Pose: &trackpb.Sensor_Local{Local: &trackpb.LocalPose{XM: 1, YM: 2, ZM: 3, YawRad: 4, PitchRad: 5, RollRad: 6}}},
	}
	track := &trackpb.Track{Id: 3, Status: trackpb.TrackStatus_TRACK_STATUS_COASTING, TimeNs: 7, Motion: trackpb.MotionModel_MOTION_MODEL_IMM,
		X: []float64{1, 2, 3, 4, 0.01}, P: make([]float64, 25), ModeProbabilities: []float64{0.7, 0.3}, Score: 12.5,
		Existence: ptr(0.97), DetectionIds: []uint64{9, 10}, SourceId: 5, SourceTrackId: 77, Class: "friend"}
	trackSet := &trackpb.TrackSet{TimeNs: 7, Tracks: []*trackpb.Track{track}}
	truth := &trackpb.TruthFrame{TimeNs: 7, Objects: []*trackpb.TruthObject{{Id: 1, Motion: trackpb.MotionModel_MOTION_MODEL_CV3, X: []float64{1, 2, 3, 4, 5, 6}}}}
	snapshot := &trackpb.TrackerSnapshot{FormatVersion: 1, TimeNs: 7, NextTrackId: 4,
		Tracks: []*trackpb.TrackState{{Track: track, Modes: []*trackpb.ModeState{{Probability: 0.7, X: []float64{1}, P: []float64{1}}}, LastUpdateNs: 6, Hits: 3, Scans: 4, Misses: 1, History: 0b1011,
			MaxScore: 13, Slot: 2, TouchedTick: 8, CreatedTick: 5, ChangedTick: 6, HistoryTimeNs: []int64{6}, HistoryX: []float64{1, 2, 3, 4, 0.01}, HistoryLen: 1, HistoryHead: 1}},
		SensorTimeNs: map[uint32]int64{1: 5, 2: 6}, Pending: []*trackpb.Scan{scan}, Config: "q=0.1",
		Started: true, Tick: 8, Held: 2, Slots: 4, FreeSlots: []uint32{3, 1, 0}, PendingSequence: []uint64{1}, PendingPartial: []bool{true}}
	msgs := []proto.Message{
		det, scan, sensors[0], sensors[1], geo, track, trackSet, truth, snapshot,
		&trackpb.Header{FormatVersion: 1, Frame: trackpb.FrameKind_FRAME_KIND_ENU, Origin: geo, Sensors: sensors, Metadata: map[string]string{"a": "b"}},
		&trackpb.Envelope{Payload: []byte{1, 2, 3}, Crc32C: 0xdeadbeef},
		&trackpb.Record{Body: &trackpb.Record_Scan{Scan: scan}},
		&trackpb.Record{Body: &trackpb.Record_Tracks{Tracks: trackSet}},
		&trackpb.Record{Body: &trackpb.Record_Truth{Truth: truth}},
		&trackpb.Record{Body: &trackpb.Record_Snapshot{Snapshot: snapshot}},
	}
	for i, m := range msgs {
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
		require.NoError(t, err)
		back := m.ProtoReflect().New().Interface()
		require.NoError(t, proto.Unmarshal(b, back))
		require.True(t, proto.Equal(m, back), "%T", m)
		if i == 3 || i >= 11 {
			continue // the camera sensor and the records set only some fields
		}
		// Every field outside a oneof is set, so the round trip covers the whole schema.
		fields := m.ProtoReflect().Descriptor().Fields()
		for k := range fields.Len() {
			f := fields.Get(k)
			if f.ContainingOneof() != nil && !f.HasOptionalKeyword() {
				continue
			}
			require.True(t, m.ProtoReflect().Has(f), "%T.%s is not set in the test", m, f.Name())
		}
	}
}
