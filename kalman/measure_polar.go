package kalman

import (
	"fmt"
	"math"
)

// Component kinds of a Polar measurement.
const (
	polarRange = iota
	polarAzimuth
	polarElevation
	polarRangeRate
)

// Polar is a nonlinear sensor-centred measurement: some of range, azimuth (bearing),
// elevation and range rate of the target relative to a static sensor at a fixed
// position. Build it with NewRangeBearing, NewRangeAzEl, NewBearing or NewAzEl. With
// d = p - sensor (p the target position from the state layout), ρ = √(dx² + dy²) and
// r = √(ρ² + dz²) (dz = 0 for the 2-D models):
//
//	range      r (m)
//	azimuth    atan2(dy, dx) (rad): from the +x axis, counter-clockwise towards +y, in [-π, π]
//	elevation  atan2(dz, ρ) (rad): above the x-y plane, in [-π/2, π/2]
//	range rate (d · v)/r (m/s), v the target velocity (the sensor is static)
//
// Azimuth and elevation are angles (Angles): their innovations are wrapped to [-π, π].
// The Jacobian is analytic. The model is singular at the sensor (r = 0, or ρ = 0 for
// azimuth); a prediction there gives ErrNonFinite instead of a measurement.
type Polar struct {
	n, m   int
	geo    int // 2 or 3: the geometry
	kinds  [MaxMeas]uint8
	angles uint8
	pos    [3]int
	vel    [3]int
	sensor [3]float64
	cols   [6]int // state columns where H may be non-zero
	ncols  int
}

var (
	_ Measurement = (*Polar)(nil)
	_ projector   = (*Polar)(nil)
)

func newPolar(name string, l Layout, geo int, sensor []float64, kinds ...uint8) *Polar {
	if l.Dim < 1 || l.Dim > MaxDim || l.Axes < geo {
		panic(fmt.Sprintf("kalman: %s needs a layout with at least %d axes, got %+v", name, geo, l))
	}
	if !finiteSlice(sensor) {
		panic(fmt.Sprintf("kalman: %s with a non-finite sensor position", name))
	}
	h := &Polar{n: l.Dim, m: len(kinds), geo: geo}
	copy(h.sensor[:], sensor)
	for a := 0; a < geo; a++ {
		h.pos[a] = l.Pos[a]
		if h.pos[a] < 0 || h.pos[a] >= l.Dim {
			panic(fmt.Sprintf("kalman: %s layout position index %d out of range", name, h.pos[a]))
		}
		h.cols[h.ncols] = h.pos[a]
		h.ncols++
	}
	for i, k := range kinds {
		h.kinds[i] = k
		if k == polarAzimuth || k == polarElevation {
			h.angles |= 1 << i
		}
		if k == polarRangeRate {
			for a := 0; a < geo; a++ {
				h.vel[a] = l.Vel[a]
				if h.vel[a] < 0 || h.vel[a] >= l.Dim {
					panic(fmt.Sprintf("kalman: %s range rate needs velocities in the layout, got %+v", name, l))
				}
				h.cols[h.ncols] = h.vel[a]
				h.ncols++
			}
		}
	}
	return h
}

// NewRangeBearing returns the 2-D measurement [range, bearing], or
// [range, bearing, range rate] with rangeRate, of a sensor at sensor = (x, y) metres,
// for states of layout l (which needs at least 2 axes; only x and y are used). It panics
// on an unusable layout or a non-finite sensor position.
func NewRangeBearing(l Layout, sensor [2]float64, rangeRate bool) *Polar {
	if rangeRate {
		return newPolar("NewRangeBearing", l, 2, sensor[:], polarRange, polarAzimuth, polarRangeRate)
	}
	return newPolar("NewRangeBearing", l, 2, sensor[:], polarRange, polarAzimuth)
}

// NewRangeAzEl returns the 3-D measurement [range, azimuth, elevation], or with
// rangeRate [range, azimuth, elevation, range rate], of a sensor at sensor = (x, y, z)
// metres, for states of layout l (3 axes). It panics on an unusable layout or a
// non-finite sensor position.
func NewRangeAzEl(l Layout, sensor [3]float64, rangeRate bool) *Polar {
	if rangeRate {
		return newPolar("NewRangeAzEl", l, 3, sensor[:], polarRange, polarAzimuth, polarElevation, polarRangeRate)
	}
	return newPolar("NewRangeAzEl", l, 3, sensor[:], polarRange, polarAzimuth, polarElevation)
}

// NewBearing returns the 2-D bearing-only measurement [bearing] of a sensor at
// sensor = (x, y) metres, for states of layout l (at least 2 axes).
func NewBearing(l Layout, sensor [2]float64) *Polar {
	return newPolar("NewBearing", l, 2, sensor[:], polarAzimuth)
}

// NewAzEl returns the 3-D angle-only measurement [azimuth, elevation] of a sensor at
// sensor = (x, y, z) metres, for states of layout l (3 axes).
func NewAzEl(l Layout, sensor [3]float64) *Polar {
	return newPolar("NewAzEl", l, 3, sensor[:], polarAzimuth, polarElevation)
}

// Dim returns the number of components.
func (h *Polar) Dim() int { return h.m }

// StateDim returns the layout's state dimension.
func (h *Polar) StateDim() int { return h.n }

// Linear returns false.
func (h *Polar) Linear() bool { return false }

// Angles marks the azimuth and elevation components.
func (h *Polar) Angles() uint8 { return h.angles }

// polarGeom holds the geometry of one evaluation.
type polarGeom struct {
	d, v         [3]float64
	rho2, rho, r float64
	rr           float64
}

func (h *Polar) geom(x *Vec) (g polarGeom) {
	for a := 0; a < h.geo; a++ {
		g.d[a] = x[h.pos[a]] - h.sensor[a]
	}
	g.rho2 = g.d[0]*g.d[0] + g.d[1]*g.d[1]
	g.rho = math.Sqrt(g.rho2)
	g.r = math.Sqrt(g.rho2 + g.d[2]*g.d[2])
	if h.ncols > h.geo {
		for a := 0; a < h.geo; a++ {
			g.v[a] = x[h.vel[a]]
		}
		g.rr = (g.d[0]*g.v[0] + g.d[1]*g.v[1] + g.d[2]*g.v[2]) / g.r
	}
	return g
}

// Measure writes h(x) into dst.
func (h *Polar) Measure(dst *MVec, x *Vec) {
	g := h.geom(x)
	h.measure(dst, &g)
}

func (h *Polar) measure(dst *MVec, g *polarGeom) {
	for i := 0; i < h.m; i++ {
		switch h.kinds[i] {
		case polarRange:
			dst[i] = g.r
		case polarAzimuth:
			dst[i] = math.Atan2(g.d[1], g.d[0])
		case polarElevation:
			dst[i] = math.Atan2(g.d[2], g.rho)
		case polarRangeRate:
			dst[i] = g.rr
		}
	}
}

// Jacobian writes ∂h/∂x at x into dst:
//
//	∂r/∂p = d/r;  ∂az/∂(x, y) = (-dy, dx)/ρ²;  ∂el/∂(x, y) = -dz·(dx, dy)/(r²ρ), ∂el/∂z = ρ/r²;
//	∂ṙ/∂p = (v - ṙ·d/r)/r,  ∂ṙ/∂v = d/r.
func (h *Polar) Jacobian(dst *HMat, x *Vec) {
	g := h.geom(x)
	h.jacobian(dst, &g)
}

func (h *Polar) jacobian(dst *HMat, g *polarGeom) {
	ir := 1 / g.r
	for i := 0; i < h.m; i++ {
		row := &dst[i]
		*row = [MaxDim]float64{}
		switch h.kinds[i] {
		case polarRange:
			for a := 0; a < h.geo; a++ {
				row[h.pos[a]] = g.d[a] * ir
			}
		case polarAzimuth:
			row[h.pos[0]] = -g.d[1] / g.rho2
			row[h.pos[1]] = g.d[0] / g.rho2
		case polarElevation:
			c := -g.d[2] * ir * ir / g.rho
			row[h.pos[0]] = c * g.d[0]
			row[h.pos[1]] = c * g.d[1]
			row[h.pos[2]] = g.rho * ir * ir
		case polarRangeRate:
			for a := 0; a < h.geo; a++ {
				row[h.pos[a]] = (g.v[a] - g.rr*g.d[a]*ir) * ir
				row[h.vel[a]] = g.d[a] * ir
			}
		}
	}
}

// project evaluates h and H once and forms P Hᵀ and H P Hᵀ over the non-zero columns
// of H only.
func (h *Polar) project(p *Predicted, s *State) {
	g := h.geom(&s.x)
	h.measure(&p.zhat, &g)
	h.jacobian(&p.h, &g)
	n, m := s.n, h.m
	cols := h.cols[:h.ncols]
	for r := 0; r < n; r++ {
		for i := 0; i < m; i++ {
			v := 0.0
			for _, c := range cols {
				v += s.p[r][c] * p.h[i][c]
			}
			p.pht[r][i] = v
		}
	}
	for i := 0; i < m; i++ {
		for j := 0; j < m; j++ {
			v := 0.0
			for _, c := range cols {
				v += p.h[i][c] * p.pht[c][j]
			}
			p.s[i][j] = v
		}
	}
}
