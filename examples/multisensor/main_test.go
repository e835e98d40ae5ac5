package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fused tracks follow the aircraft: about one confirmed track per target, and a
// position error well below one radar's cross-range noise at the targets' distances
// (0.2° at 80 km is 280 m).
func TestMultisensorExample(t *testing.T) {
	var out bytes.Buffer
	res, err := run(&out)
	require.NoError(t, err)
	assert.Equal(t, 3, res.radars)
	assert.Equal(t, 1, res.passive)
	assert.InDelta(t, res.targets, res.confirmed, 0.15*float64(res.targets))
	assert.Less(t, res.rmsError, 250.0)
	assert.Contains(t, out.String(), "confirmed tracks for 60 targets")
}
