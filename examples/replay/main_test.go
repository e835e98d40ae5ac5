package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReplayExample(t *testing.T) {
	var out bytes.Buffer
	res, err := run(&out)
	require.NoError(t, err)
	assert.Equal(t, 30, res.scans)
	assert.InDelta(t, 500, res.confirmedLast, 15, "nearly every target has a confirmed track")
	assert.Less(t, res.meanGOSPA, 60.0, "GOSPA of 500 targets, including the unconfirmed first scans")
	assert.Contains(t, out.String(), "mean GOSPA over 30 scans")
}
