package spatial

import "math"

// prepare validates the batch and fills the workspaces: gate boxes, vertical
// half-widths (3-D), per-track factors of S when R is shared, width histograms. It
// touches neither the indexes nor the stats, so an error leaves the Gater as it was.
// Errors name the shared R first, then the first bad track, then the first bad
// detection.
func (g *Gater) prepare(tracks Tracks, dets Detections, nT, nD int) error {
	m := g.m
	if err := g.prepareR(dets); err != nil {
		return err
	}
	if err := g.prepareTracks(tracks, nT); err != nil {
		return err
	}
	g.dBox = resizeBoxes(g.dBox, nD)
	if m == 3 {
		g.dZ = resizeFloat64(g.dZ, nD)
	}
	clear(g.dHist[:])
	return prepareDets(g.gamma, m, g.shared, dets, 0, nD, g.dBox, g.dZ, &g.dHist, nil)
}

// prepareR records whether the detections share one R and checks it.
func (g *Gater) prepareR(dets Detections) error {
	mm := g.m * g.m
	g.shared = len(dets.Cov) == mm
	if g.shared {
		if err := checkGateCov(dets.Cov, g.m); err != nil {
			return &ItemError{Set: "detection", Index: -1, Err: err}
		}
		copy(g.sharedR[:], dets.Cov)
	}
	return nil
}

// prepareTracks validates the tracks and fills their workspaces (gate boxes, vertical
// half-widths, factors of S with the shared R g.sharedR if g.shared, histogram).
func (g *Gater) prepareTracks(tracks Tracks, nT int) error {
	m := g.m
	mm := m * m
	r := &g.sharedR
	g.tBox = resizeBoxes(g.tBox, nT)
	if m == 3 {
		g.tZ = resizeFloat64(g.tZ, nT)
	}
	fs := m * (m + 1) / 2
	if g.shared {
		g.tFac = resizeFloat64(g.tFac, nT*fs)
	}
	clear(g.tHist[:])
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
		w, ok := gateBox(g.gamma, &g.tBox[i], z, sx, sy)
		if m == 3 {
			sz := c[8]
			if g.shared {
				sz += r[8]
			}
			g.tZ[i] = halfWidth(g.gamma, sz, z[2])
			ok = ok && g.tZ[i]-g.tZ[i] == 0
		}
		if !ok {
			return &ItemError{Set: "track", Index: i, Err: ErrNonFinite}
		}
		g.tHist[widthBin(w)]++
	}
	return nil
}

// prepareDets validates detections [lo, hi) of dets (m components, one shared R if
// shared, else per-detection covariances) and writes their gate boxes into box[j],
// their padded vertical half-widths (3-D) into h[j] and the bins of their widths into
// hist; with bnd it also widens bnd (min x, min y, max x, max y of the boxes' Min
// corners). It returns the *ItemError of the first bad detection.
func prepareDets(gamma float64, m int, shared bool, dets Detections, lo, hi int, box []Box, h []float64, hist *[130]int32, bnd *[4]float64) error {
	mm := m * m
	for j := lo; j < hi; j++ {
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
		if !shared {
			c := dets.Cov[j*mm : (j+1)*mm]
			if err := checkGateCov(c, m); err != nil {
				return &ItemError{Set: "detection", Index: j, Err: err}
			}
			sx, sy, sz = c[0], c[m+1], c[mm-1]
		}
		b := &box[j]
		w, ok := gateBox(gamma, b, z, sx, sy)
		if m == 3 {
			h[j] = halfWidth(gamma, sz, z[2])
			ok = ok && h[j]-h[j] == 0
		}
		if !ok {
			return &ItemError{Set: "detection", Index: j, Err: ErrNonFinite}
		}
		hist[widthBin(w)]++
		if bnd != nil {
			x, y := b.Min[0], b.Min[1]
			bnd[0], bnd[1] = min(bnd[0], x), min(bnd[1], y)
			bnd[2], bnd[3] = max(bnd[2], x), max(bnd[3], y)
		}
	}
	return nil
}

// halfWidth returns the padded half-width sqrt(γ·s) of a gate along one axis whose
// centre coordinate is c, for the gate γ = gamma.
func halfWidth(gamma, s, c float64) float64 {
	h := boxAbsPad * math.Abs(c)
	if s != 0 {
		h += math.Sqrt(gamma*s) * (1 + boxRelPad)
	}
	return h
}

// gateBox writes into b the horizontal gate box about z with variances sx, sy (gate
// γ = gamma) and returns its larger side and whether it is finite. (It writes b field
// by field: a Box returned and then copied would be read back in 16-byte moves from
// 8-byte stores, which the processor cannot forward, stalling each time.)
func gateBox(gamma float64, b *Box, z []float64, sx, sy float64) (float64, bool) {
	hx, hy := halfWidth(gamma, sx, z[0]), halfWidth(gamma, sy, z[1])
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
