package correlate

import (
	"math"
	"slices"

	"github.com/trackcorr/trackcorr/kalman"
)

// convert writes the Cartesian position of a range-bearing or range-azimuth-elevation
// detection into z (g = 2 or 3 values, metres, tracking frame) and its linearised
// covariance J R Jᵀ into r (g×g), J the Jacobian of the conversion at the measured
// values. The conversion is biased by the factor exp(−σ²/2) per angle (Lerro and
// Bar-Shalom 1993); it only serves gating, association costs and initiation, while the
// update uses the polar model itself through the extended Kalman filter.
func convert(z, r []float64, s *sensorInfo, d *Detection) {
	m := s.m
	rg, az := d.Z[0], d.Z[1]
	ca, sa := math.Cos(az), math.Sin(az)
	var J [3][3]float64
	g := s.g
	if s.Kind == RangeBearing {
		z[0] = s.Position[0] + rg*ca
		z[1] = s.Position[1] + rg*sa
		J = [3][3]float64{{ca, -rg * sa}, {sa, rg * ca}}
	} else {
		el := d.Z[2]
		ce, se := math.Cos(el), math.Sin(el)
		z[0] = s.Position[0] + rg*ce*ca
		z[1] = s.Position[1] + rg*ce*sa
		z[2] = s.Position[2] + rg*se
		J = [3][3]float64{
			{ce * ca, -rg * ce * sa, -rg * se * ca},
			{ce * sa, rg * ce * ca, -rg * se * sa},
			{se, 0, rg * ce},
		}
	}
	// r = J Rb Jᵀ, Rb the leading g×g (range, angles) block of R; upper triangle, mirrored
	for i := 0; i < g; i++ {
		for j := i; j < g; j++ {
			v := 0.0
			for a := 0; a < g; a++ {
				for b := 0; b < g; b++ {
					v += J[i][a] * d.R[a*m+b] * J[j][b]
				}
			}
			r[i*g+j], r[j*g+i] = v, v
		}
	}
}

// gateBearing gates the batch's bearing-only detections against the predicted bearings
// of the gating rows (whose (x, y) and 2×2 position covariance are in ws.tz, ws.tcov).
// A track's predicted bearing β̂ = atan2(dy, dx) from the sensor has variance J P Jᵀ,
// J = (−dy, dx)/ρ²; detection j is a candidate when the wrapped innovation y satisfies
// y²/(J P Jᵀ + R_j) ≤ γ, γ the χ²(1) quantile. Candidates come from a window of the
// detections sorted by bearing (two windows across ±π). It writes ws.pairs (by row,
// then column), ws.gtc (per-row bearing variance, for the costs) and ws.dcov (per
// column R).
func (t *Tracker) gateBearing(s *sensorInfo) {
	ws := &t.ws
	nr := len(ws.rows)
	nc := len(ws.dz)
	ws.bz = slices.Grow(ws.bz[:0], nr)[:nr]
	ws.bvar = slices.Grow(ws.bvar[:0], nr)[:nr]
	ws.border = ws.border[:0]
	maxR := 0.0
	for c := 0; c < nc; c++ {
		ws.dz[c] = kalman.WrapAngle(ws.dz[c])
		ws.border = append(ws.border, int32(c))
		maxR = math.Max(maxR, ws.dcov[c])
	}
	dz := ws.dz
	slices.SortFunc(ws.border, func(a, b int32) int {
		if dz[a] != dz[b] {
			if dz[a] < dz[b] {
				return -1
			}
			return 1
		}
		return int(a - b)
	})
	gamma := s.gamma
	for i := 0; i < nr; i++ {
		dx, dy := ws.tz[2*i]-s.Position[0], ws.tz[2*i+1]-s.Position[1]
		rho2 := dx*dx + dy*dy
		ws.bz[i] = math.Atan2(dy, dx)
		jx, jy := -dy/rho2, dx/rho2
		P := ws.tcov[4*i : 4*i+4]
		v := jx*jx*P[0] + 2*jx*jy*P[1] + jy*jy*P[3]
		if !(v > 0) || math.IsInf(v, 0) {
			v = math.Inf(1) // at the sensor: the bearing is undefined; nothing gates
		}
		ws.bvar[i] = v
	}
	ws.pairs = ws.pairs[:0]
	for i := 0; i < nr; i++ {
		v := ws.bvar[i]
		if math.IsInf(v, 1) {
			continue
		}
		w := math.Sqrt(gamma * (v + maxR))
		ws.cand = ws.cand[:0]
		if w >= math.Pi {
			ws.cand = append(ws.cand, ws.border...)
		} else {
			lo, hi := ws.bz[i]-w, ws.bz[i]+w
			ws.cand = t.window(ws.cand, lo, hi)
			if lo < -math.Pi {
				ws.cand = t.window(ws.cand, lo+2*math.Pi, math.Pi)
			}
			if hi > math.Pi {
				ws.cand = t.window(ws.cand, -math.Pi, hi-2*math.Pi)
			}
			slices.Sort(ws.cand)
			ws.cand = slices.Compact(ws.cand)
		}
		for _, c := range ws.cand {
			y := kalman.WrapAngle(dz[c] - ws.bz[i])
			d2 := y * y / (v + ws.dcov[c])
			if d2 <= gamma {
				ws.pairs = append(ws.pairs, pair(int32(i), c, d2))
			}
		}
	}
	ws.gtc = ws.bvar
}

// window appends the columns whose bearing is in [lo, hi].
func (t *Tracker) window(dst []int32, lo, hi float64) []int32 {
	ws := &t.ws
	b := ws.border
	k, _ := slices.BinarySearchFunc(b, lo, func(c int32, x float64) int {
		if ws.dz[c] < x {
			return -1
		}
		return 1
	})
	for ; k < len(b) && ws.dz[b[k]] <= hi; k++ {
		dst = append(dst, b[k])
	}
	return dst
}
