package trackpb_test

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/trackcorr/trackcorr/trackpb"
)

// A scan of one 2-D position detection, encoded and decoded again.
func Example() {
	scan := &trackpb.Scan{
		SensorId: 3,
		TimeNs:   1_500_000_000,
		Detections: []*trackpb.Detection{{
			Id:       7,
			SensorId: 3,
			TimeNs:   1_500_000_000,
			Kind:     trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D,
			Z:        []float64{120.5, -40},
			R:        []float64{4, 0, 0, 4},
		}},
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(scan)
	if err != nil {
		panic(err)
	}
	var back trackpb.Scan
	if err := proto.Unmarshal(b, &back); err != nil {
		panic(err)
	}
	d := back.GetDetections()[0]
	fmt.Println(back.GetSensorId(), d.GetKind(), d.GetZ(), proto.Equal(scan, &back))
	// Output:
	// 3 MEASUREMENT_KIND_POSITION_2D [120.5 -40] true
}
