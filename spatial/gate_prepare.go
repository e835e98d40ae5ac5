package spatial

import "math"

// prepare validates the batch and fills the workspaces: gate boxes, vertical
// half-widths (3-D), per-track factors of S when R is shared, width histograms. It
// touches neither the indexes nor the stats, so an error leaves the Gater as it was.
func (g *Gater) prepare(tracks Tracks, dets Detections, nT, nD int) error {
	m := g.m
	mm := m * m
	g.shared = len(dets.Cov) == mm
	if g.shared {
		if err := checkGateCov(dets.Cov, m); err != nil {
			return &ItemError{Set: "detection", Index: -1, Err: err}
		}
		copy(g.sharedR[:], dets.Cov)
	}
	r := &g.sharedR
	g.tBox = resizeBoxes(g.tBox, nT)
	g.dBox = resizeBoxes(g.dBox, nD)
	if m == 3 {
		g.tZ = resizeFloat64(g.tZ, nT)
		g.dZ = resizeFloat64(g.dZ, nD)
	}
	fs := m * (m + 1) / 2
	if g.shared {
		g.tFac = resizeFloat64(g.tFac, nT*fs)
	}
	clear(g.tHist[:])
	clear(g.dHist[:])
	for i := range nT {
		z := tracks.Z[i*m : (i+1)*m]
		c := tracks.Cov[i*mm : (i+1)*mm]
		if !gateFinite(z) {
			return &ItemError{Set: "track", Index: i, Err: ErrNonFinite}
		}
		if err := checkGateCov(c, m); err != nil {
			return &ItemError{Set: "track", Index: i, Err: err}
		}
		sx, sy := c[0], c[m+1]
		if g.shared {
			sx, sy = sx+r[0], sy+r[m+1]
			ok := false
			if m == 2 {
				var f [3]float64
				ok = ldl2(c[0]+r[0], c[2]+r[2], c[3]+r[3], &f)
				copy(g.tFac[3*i:3*i+3], f[:])
			} else {
				var f [6]float64
				ok = ldl3(c[0]+r[0], c[3]+r[3], c[4]+r[4], c[6]+r[6], c[7]+r[7], c[8]+r[8], &f)
				copy(g.tFac[6*i:6*i+6], f[:])
			}
			if !ok {
				return &ItemError{Set: "track", Index: i, Err: ErrNotPositiveDefinite}
			}
		}
		w, ok := g.box(&g.tBox[i], z, sx, sy)
		if m == 3 {
			sz := c[8]
			if g.shared {
				sz += r[8]
			}
			g.tZ[i] = g.halfWidth(sz, z[2])
			ok = ok && g.tZ[i]-g.tZ[i] == 0
		}
		if !ok {
			return &ItemError{Set: "track", Index: i, Err: ErrNonFinite}
		}
		g.tHist[widthBin(w)]++
	}
	for j := range nD {
		z := dets.Z[j*m : (j+1)*m]
		if !gateFinite(z) {
			return &ItemError{Set: "detection", Index: j, Err: ErrNonFinite}
		}
		// Containment: a valid pair has |z_k − ẑ_k| ≤ sqrt(γ(P_kk + R_kk)) ≤
		// sqrt(γ P_kk) + sqrt(γ R_kk) (Cauchy–Schwarz, then sqrt(a+b) ≤ sqrt a + sqrt b),
		// so the track box (half-width sqrt(γ P_kk)) meets the detection box (half-width
		// sqrt(γ R_kk)). With a shared R the track box already holds R and detections
		// are points (padding only). See doc.go.
		var sx, sy, sz float64
		if !g.shared {
			c := dets.Cov[j*mm : (j+1)*mm]
			if err := checkGateCov(c, m); err != nil {
				return &ItemError{Set: "detection", Index: j, Err: err}
			}
			sx, sy, sz = c[0], c[m+1], c[mm-1]
		}
		w, ok := g.box(&g.dBox[j], z, sx, sy)
		if m == 3 {
			g.dZ[j] = g.halfWidth(sz, z[2])
			ok = ok && g.dZ[j]-g.dZ[j] == 0
		}
		if !ok {
			return &ItemError{Set: "detection", Index: j, Err: ErrNonFinite}
		}
		g.dHist[widthBin(w)]++
	}
	return nil
}

// halfWidth returns the padded half-width sqrt(γ·s) of a gate along one axis whose
// centre coordinate is c.
func (g *Gater) halfWidth(s, c float64) float64 {
	h := boxAbsPad * math.Abs(c)
	if s != 0 {
		h += math.Sqrt(g.gamma*s) * (1 + boxRelPad)
	}
	return h
}

// box writes into b the horizontal gate box about z with variances sx, sy and returns
// its larger side and whether it is finite. (It writes b field by field: a Box
// returned and then copied would be read back in 16-byte moves from 8-byte stores,
// which the processor cannot forward, stalling each time.)
func (g *Gater) box(b *Box, z []float64, sx, sy float64) (float64, bool) {
	hx, hy := g.halfWidth(sx, z[0]), g.halfWidth(sy, z[1])
	x0, x1, y0, y1 := z[0]-hx, z[0]+hx, z[1]-hy, z[1]+hy
	b.Min[0], b.Min[1], b.Max[0], b.Max[1] = x0, y0, x1, y1
	// Both widths are finite only if all four corners are.
	wx, wy := x1-x0, y1-y0
	return max(wx, wy), (wx+wy)-(wx+wy) == 0
}

// Symmetry tolerance of covariances, relative to sqrt(c_ii·c_jj).
const symTol = 1e-9

// checkCov checks that the row-major m×m matrix c is finite, symmetric and positive
// definite (LDLᵀ pivots all positive).
func checkGateCov(c []float64, m int) error {
	if !gateFinite(c) {
		return ErrNonFinite
	}
	for i := range m {
		if !(c[i*m+i] > 0) {
			return ErrNotPositiveDefinite
		}
	}
	for i := 1; i < m; i++ {
		for j := range i {
			a, b := c[i*m+i], c[j*m+j]
			scale := math.Sqrt(a * b)
			if !(a*b > 0x1p-1000 && a*b < 0x1p1000) { // product out of range: no shortcut
				scale = math.Sqrt(a) * math.Sqrt(b)
			}
			if !(math.Abs(c[i*m+j]-c[j*m+i]) <= symTol*scale) {
				return ErrNotSymmetric
			}
		}
	}
	var ok bool
	if m == 2 {
		// The second LDLᵀ pivot (the first, c00, is positive).
		ok = c[3]-c[2]*(c[2]/c[0]) > 0
	} else {
		var f [6]float64
		ok = ldl3(c[0], c[3], c[4], c[6], c[7], c[8], &f)
	}
	if !ok {
		return ErrNotPositiveDefinite
	}
	return nil
}

// gateFinite reports whether every value of v is finite (x−x is 0 for finite x and
// NaN for NaN and ±Inf).
func gateFinite(v []float64) bool {
	var acc float64
	for _, x := range v {
		acc += x - x
	}
	return acc == 0
}

func resizeBoxes(s []Box, n int) []Box {
	if cap(s) < n {
		return make([]Box, n)
	}
	return s[:n]
}

func resizeFloat64(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
