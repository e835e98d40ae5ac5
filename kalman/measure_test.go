package kalman

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMeasurementModelsAgainstReference compares h and the analytic H of every
// measurement model with the independent reference (plain formulas differentiated by
// dual numbers) at random states, and checks Dim, StateDim, Linear and Angles.
func TestMeasurementModelsAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, mo := range tbMotions() {
		for _, mm := range tbMeasures(mo) {
			t.Run(mo.name+"/"+mm.name, func(t *testing.T) {
				h := mm.model
				require.Equal(t, mm.m, h.Dim())
				require.Equal(t, mo.n, h.StateDim())
				var mask uint8
				for i, a := range mm.angle {
					if a {
						mask |= 1 << i
					}
				}
				assert.Equal(t, mask, h.Angles())
				assert.Equal(t, mm.name == "Position" || mm.name == "Subset", h.Linear())
				for k := 0; k < 50; k++ {
					x := make([]float64, mo.n)
					var xv Vec
					for i := range x {
						x[i] = mo.x0[i] + 3*math.Sqrt(mo.p0[i])*rng.NormFloat64()
						xv[i] = x[i]
					}
					var z MVec
					var H HMat
					h.Measure(&z, &xv)
					h.Jacobian(&H, &xv)
					requireNormClose(t, "h", z[:mm.m], mm.h(x), 1e-13)
					got := make([]float64, 0, mm.m*mo.n)
					for i := 0; i < mm.m; i++ {
						got = append(got, H[i][:mo.n]...)
					}
					requireNormClose(t, "H", got, denseFlat(mm.H(x)), 1e-13)
				}
			})
		}
	}
}

// TestPolarConventions pins the angle conventions documented in doc.go.
func TestPolarConventions(t *testing.T) {
	l := NewCV(3, 1).Layout()
	h := NewRangeAzEl(l, [3]float64{10, 20, 30}, true)
	var z MVec
	// Target 100 m north (+y) and 100 m up of the sensor, moving away along +y at 5 m/s.
	h.Measure(&z, &Vec{10, 0, 120, 5, 130, 0})
	assert.InDelta(t, math.Sqrt(2)*100, z[0], 1e-9, "range")
	assert.InDelta(t, math.Pi/2, z[1], 1e-12, "azimuth from +x, counter-clockwise")
	assert.InDelta(t, math.Pi/4, z[2], 1e-12, "elevation above the x-y plane")
	assert.InDelta(t, 5/math.Sqrt(2), z[3], 1e-12, "range rate")
	b := NewBearing(NewCV(2, 1).Layout(), [2]float64{0, 0})
	b.Measure(&z, &Vec{0, 0, -1, 0})
	assert.InDelta(t, -math.Pi/2, z[0], 1e-12, "south is -π/2")
}
