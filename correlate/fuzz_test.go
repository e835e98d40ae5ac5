package correlate

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzProcess feeds arbitrary scans (any values, NaN and Inf included, any sensor and
// time) to trackers of every measurement kind, under the CV and the IMM filter: Process
// never panics, and a rejected scan leaves the tracker exactly as it was.
func FuzzProcess(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 64, 0, 0, 0, 0, 0, 0, 16, 64})
	f.Add(make([]byte, 200))
	f.Fuzz(runFuzz)
}

func runFuzz(t *testing.T, data []byte) {
	for _, filter := range []Filter{CV, IMM} {
		fuzzOne(t, data, filter)
	}
}

func fuzzOne(t *testing.T, data []byte, filter Filter) {
	{
		tr, err := New(Config{Axes: 3, Filter: filter, Sensors: []Sensor{
			{ID: 0, Kind: Position2D}, {ID: 1, Kind: Position3D}, {ID: 2, Kind: RangeBearing, RangeRate: true},
			{ID: 3, Kind: RangeAzEl}, {ID: 4, Kind: Bearing, Position: [3]float64{10, 0, 0}},
		}, OutOfOrder: Reorder, History: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		var out Output
		fl := func() float64 {
			if len(data) < 8 {
				return 0
			}
			v := math.Float64frombits(binary.LittleEndian.Uint64(data))
			data = data[8:]
			return v
		}
		var good Scan
		for round := 0; len(data) > 0 && round < 8; round++ {
			sc := Scan{Sensor: uint32(data[0]) % 6, Time: int64(data[0]) * 1e8}
			data = data[1:]
			for len(data) >= 8 && len(sc.Detections) < 6 {
				var d Detection
				d.ID = uint64(len(sc.Detections) + 1)
				d.Time = sc.Time + int64(uint8(data[0]))*1e6
				for k := range 4 {
					d.Z[k] = fl()
				}
				// mostly valid covariances, sometimes arbitrary ones
				m := 4
				for k := 0; k < m*m && len(data) > 0; k += 5 {
					d.R[k] = math.Abs(fl()) + 1
				}
				sc.Detections = append(sc.Detections, d)
			}
			h := tr.stateHash()
			if err := tr.Process(&sc, &out); err != nil {
				if tr.stateHash() != h {
					t.Fatalf("state changed by a rejected scan: %v", err)
				}
				continue
			}
			good = sc
		}
		_ = good
		_ = tr.Flush(&out)
		tr.Snapshot(&out)
	}
}
