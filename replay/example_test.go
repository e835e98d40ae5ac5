package replay_test

import (
	"bytes"
	"fmt"
	"io"

	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

// Write a recording of two scans into memory and read it back.
func Example() {
	var buf bytes.Buffer
	w, err := replay.NewWriter(&buf, &trackpb.Header{Metadata: map[string]string{"scenario": "example"}})
	if err != nil {
		panic(err)
	}
	for i := range 2 {
		scan := &trackpb.Scan{SensorId: 1, TimeNs: int64(i) * 1e9, Detections: []*trackpb.Detection{
			{Id: uint64(i + 1), SensorId: 1, TimeNs: int64(i) * 1e9, Z: []float64{float64(10 * i), 5}},
		}}
		if err := w.WriteScan(scan); err != nil {
			panic(err)
		}
	}
	if err := w.Close(); err != nil {
		panic(err)
	}

	r, err := replay.NewReader(&buf, replay.ReaderOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println("scenario:", r.Header().GetMetadata()["scenario"])
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		s := rec.GetScan()
		fmt.Println(s.GetTimeNs(), s.GetDetections()[0].GetZ())
	}
	// Output:
	// scenario: example
	// 0 [0 5]
	// 1000000000 [10 5]
}
