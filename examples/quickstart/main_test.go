package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuickstart runs the program's logic and checks that filtering helps: the RMS
// position error of the estimate is below the measurement noise σ = 10 m per axis, and
// well below the raw measurements' own error (≈ σ·√2).
func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	res, err := run(&out)
	require.NoError(t, err)
	assert.Less(t, res.rmsFilter, sigma, "filter RMS error %.2f m", res.rmsFilter)
	assert.Less(t, res.rmsFilter, 0.75*res.rmsMeasured, "filter %.2f m vs measurements %.2f m", res.rmsFilter, res.rmsMeasured)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Len(t, lines, 1+steps/printDiv+1, "header, one row per %d steps, summary", printDiv)
	assert.Contains(t, lines[len(lines)-1], "RMS position error")
}

// The tracker part: one confirmed track per target, each within a few metres of one.
func TestQuickstartTracker(t *testing.T) {
	var out bytes.Buffer
	worst, confirmed, err := trackFew(&out)
	require.NoError(t, err)
	assert.Equal(t, 5, confirmed, out.String())
	assert.Less(t, worst, 15.0, out.String())
}
