package correlate_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/trackcorr/trackcorr/bench"
	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/replay"
)

// With the motion and noise models matched to the simulation, the normalised innovations
// squared that Stats reports are consistent: their sum over the steady scans lies within
// the two-sided 99.9% chi-square bounds of its degrees of freedom.
func TestStatsNISConsistent(t *testing.T) {
	g, err := bench.NewGenerator(bench.Scenario{Targets: 200, Scans: 25, AreaPerTarget: 1e6, NoClutter: true, NoMisses: true, Seed: 4})
	require.NoError(t, err)
	conv, err := replay.NewConverter(g.Header("nis"))
	require.NoError(t, err)
	sensors := conv.Sensors()
	sensors[0].Pd = 0.99 // the scenario's 1 is outside the tracker's (0, 1)
	tr, err := correlate.New(correlate.Config{Sensors: sensors, InitSpeedSigma: 15})
	require.NoError(t, err)
	defer tr.Close()
	var scan correlate.Scan
	var out correlate.Output
	nis, dof, k := 0.0, 0, 0
	for {
		ev, err := g.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		if ev.Scan == nil {
			continue
		}
		require.NoError(t, conv.Scan(&scan, ev.Scan))
		require.NoError(t, tr.Process(&scan, &out))
		if k++; k > 8 { // after the velocity prior has been forgotten
			nis += out.Stats.NIS
			dof += out.Stats.NISDoF
		}
	}
	require.Greater(t, dof, 1000)
	chi := distuv.ChiSquared{K: float64(dof)}
	assert.Greater(t, nis, chi.Quantile(0.0005), "NIS %v over %d degrees of freedom", nis, dof)
	assert.Less(t, nis, chi.Quantile(0.9995), "NIS %v over %d degrees of freedom", nis, dof)
}
