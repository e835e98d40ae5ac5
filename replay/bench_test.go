package replay

import (
	"bytes"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/trackcorr/trackcorr/trackpb"
)

// benchScans returns scans holding detections in total, perScan at a time, with 2-D
// positions, covariances and truth IDs like a simulator's.
func benchScans(detections, perScan int) []*trackpb.Scan {
	rng := rand.New(rand.NewPCG(1, 2))
	var scans []*trackpb.Scan
	id := uint64(1)
	for i := 0; i*perScan < detections; i++ {
		s := &trackpb.Scan{SensorId: uint32(i % 3), TimeNs: int64(i) * 1e8, Sequence: uint64(i / 3)}
		for range perScan {
			truth := int64(rng.IntN(100000))
			s.Detections = append(s.Detections, &trackpb.Detection{
				Id: id, SensorId: s.SensorId, TimeNs: s.TimeNs,
				Kind:    trackpb.MeasurementKind_MEASUREMENT_KIND_POSITION_2D,
				Z:       []float64{rng.Float64() * 1e5, rng.Float64() * 1e5},
				R:       []float64{4, 0.3, 0.3, 4},
				TruthId: &truth,
			})
			id++
		}
		scans = append(scans, s)
	}
	return scans
}

const benchDetections = 1_000_000

// Writing one million detections in scans of 1,000.
func BenchmarkWrite(b *testing.B) {
	scans := benchScans(benchDetections, 1000)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		w, err := NewWriter(&buf, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range scans {
			if err := w.WriteScan(s); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportMetric(float64(benchDetections)*float64(b.N)/b.Elapsed().Seconds(), "detections/s")
}

// Reading one million detections in scans of 1,000: the decoding target is 2 million
// detections per second on one core.
func BenchmarkRead(b *testing.B) {
	scans := benchScans(benchDetections, 1000)
	var buf bytes.Buffer
	w, err := NewWriter(&buf, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range scans {
		if err := w.WriteScan(s); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	records := 0
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		r, err := NewReader(bytes.NewReader(data), ReaderOptions{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(rec.GetScan().GetDetections())
			records++
		}
		if n != benchDetections {
			b.Fatalf("read %d detections, want %d", n, benchDetections)
		}
	}
	b.ReportMetric(float64(benchDetections)*float64(b.N)/b.Elapsed().Seconds(), "detections/s")
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(records), "allocs/record")
}
