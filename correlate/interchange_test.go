package correlate_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/internal/dataset"
)

// TestInterchangeScenarios runs the tracker with its defaults on the shared interchange
// scenarios and compares the mean GOSPA with Stone Soup's GNN reference
// (/work/shared/data/README.md). It skips when the data is absent.
func TestInterchangeScenarios(t *testing.T) {
	cases := []struct {
		name          string
		sensors       int
		ref, refAfter float64
	}{
		{"n100-seed7", 1, 28.87, 23.07},
		{"n100s3-seed8", 3, 18.54, 16.22},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dets := dataset.Path(t, "scenarios", c.name+"_detections.jsonl")
			truth := dataset.Path(t, "scenarios", c.name+"_truth.jsonl")
			tr, err := correlate.New(correlate.Config{Sensors: sensors(c.sensors)})
			require.NoError(t, err)
			defer tr.Close()
			r := runEvents(t, tr, interchangeEvents(t, dets, truth))
			t.Logf("%s: mean GOSPA %.2f (Stone Soup %.2f), after 3 scans %.2f (%.2f), %d frames, %d confirmed tracks at the end",
				c.name, r.mean, c.ref, r.after3, c.refAfter, r.frames, r.final)
			// At least Stone Soup's accuracy, within 7%: the single-sensor run is about 5% above
			// the reference (see the package documentation).
			assert.LessOrEqual(t, r.after3, c.refAfter*1.07)
			assert.LessOrEqual(t, r.mean, c.ref*1.07)
			assert.InDelta(t, 100, r.final, 3)
		})
	}
}
