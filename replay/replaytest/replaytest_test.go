package replaytest_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/replay/replaytest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// recording writes the simulator's scenario to a temporary file and returns its path.
func recording(t *testing.T, sc bench.Scenario) string {
	t.Helper()
	var buf bytes.Buffer
	_, _, err := bench.WriteRecording(&buf, "golden", sc)
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "scenario.trkc")
	require.NoError(t, os.WriteFile(p, buf.Bytes(), 0o644))
	return p
}

var goldenScenario = bench.Scenario{Targets: 40, Scans: 6, Sensors: 2, Seed: 11}

// The tracker's output on a simulated two-sensor scenario matches the golden file
// (rewrite it with go test ./replay/replaytest -update after a deliberate change).
func TestGoldenTwoSensors(t *testing.T) {
	replaytest.Golden(t, recording(t, goldenScenario), correlate.Config{}, "testdata/two-sensors.golden", replaytest.Options{Update: *update})
}

// The golden comparison can fail: another gate gives other tracks.
func TestGoldenDetectsChange(t *testing.T) {
	if *update {
		t.Skip("updating")
	}
	rec := recording(t, goldenScenario)
	f, err := os.Open(rec)
	require.NoError(t, err)
	defer f.Close()
	var got bytes.Buffer
	require.NoError(t, replaytest.Replay(&got, f, correlate.Config{GateProbability: 0.5, ConfirmM: 2, ConfirmN: 2}))
	want, err := os.ReadFile("testdata/two-sensors.golden")
	require.NoError(t, err)
	require.Error(t, replaytest.Compare(want, got.Bytes(), 0))
}

func TestCompare(t *testing.T) {
	a := []byte("t=1 id=2 x=[1.00000 -3.5e-07] score=10\n")
	tests := []struct {
		name string
		b    string
		ok   bool
	}{
		{"same", "t=1 id=2 x=[1.00000 -3.5e-07] score=10\n", true},
		{"within tolerance", "t=1 id=2 x=[1.000004 2e-07] score=10.00001\n", true},
		{"number off", "t=1 id=2 x=[1.001 -3.5e-07] score=10\n", false},
		{"word off", "t=1 id=2 x=[1.00000 -3.5e-07] scor=10\n", false},
		{"extra line", "t=1 id=2 x=[1.00000 -3.5e-07] score=10\nt=2\n", false},
		{"missing token", "t=1 id=2 x=[1.00000] score=10\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := replaytest.Compare(a, []byte(tc.b), 0)
			assert.Equal(t, tc.ok, err == nil, "%v", err)
		})
	}
	require.ErrorContains(t, replaytest.Compare(a, nil, 0), "line 1")
	assert.True(t, strings.HasPrefix(replaytest.Compare([]byte("a\nb\n"), []byte("a\nc\n"), 0).Error(), "line 2"))
}
