package kalman

import (
	"fmt"
	"math"
)

// pdaSumTol is how far above 1 the association weights may sum (rounding).
const pdaSumTol = 1e-9

// applyPDATo writes into dst the probabilistic-data-association update of src with the
// k = len(w) measurements in z (k·m values, measurement i at z[i·m:(i+1)·m]) weighted by
// w, and the missed-detection weight w0 = 1 - Σ w:
//
//	y = Σ wᵢ yᵢ,  x⁺ = x + K y,
//	P⁺ = P - (1 - w0) K S Kᵀ + K (Σ wᵢ yᵢ yᵢᵀ - y yᵀ) Kᵀ.
//
// inn receives the combined innovation y with S, its d² and log N(y; 0, S).
func (p *Predicted) applyPDATo(dst, src *State, z, w []float64, inn *Innovation) error {
	n, m := p.n, p.m
	if src.n != n || p.m == 0 {
		return fmt.Errorf("%w: predicted measurement is for dimension %d, state has %d", ErrDimension, n, src.n)
	}
	k := len(w)
	if len(z) != k*m {
		return fmt.Errorf("%w: %d measurement values for %d weights of dimension %d", ErrDimension, len(z), k, m)
	}
	sum := 0.0
	for i, wi := range w {
		if !(wi >= 0) || wi > 1 {
			return fmt.Errorf("%w: weight %d is %v, want in [0, 1]", ErrInvalidWeight, i, wi)
		}
		sum += wi
	}
	if sum > 1+pdaSumTol {
		return fmt.Errorf("%w: weights sum to %v > 1", ErrInvalidWeight, sum)
	}
	if sum > 1 {
		sum = 1
	}
	y := &inn.Y
	var spread MMat // Σ wᵢ yᵢ yᵢᵀ
	for i := 0; i < k; i++ {
		var yi MVec
		if err := p.innovation(&yi, z[i*m:(i+1)*m]); err != nil {
			return fmt.Errorf("measurement %d: %w", i, err)
		}
		for a := 0; a < m; a++ {
			y[a] += w[i] * yi[a]
			for b := 0; b < m; b++ {
				spread[a][b] += w[i] * yi[a] * yi[b]
			}
		}
	}
	for a := 0; a < m; a++ {
		for b := 0; b < m; b++ {
			spread[a][b] -= y[a] * y[b]
		}
	}
	d2 := p.mahalanobis(y)
	if math.IsInf(d2, 0) {
		return fmt.Errorf("%w: the combined innovation's Mahalanobis distance overflows", ErrNonFinite)
	}
	dst.n = n
	for r := 0; r < n; r++ {
		v := src.x[r]
		for i := 0; i < m; i++ {
			v += p.k[r][i] * y[i]
		}
		dst.x[r] = v
	}
	// K·spread (n×m).
	var ks [MaxDim][MaxMeas]float64
	for r := 0; r < n; r++ {
		for b := 0; b < m; b++ {
			v := 0.0
			for a := 0; a < m; a++ {
				v += p.k[r][a] * spread[a][b]
			}
			ks[r][b] = v
		}
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			v := src.p[i][j]
			for a := 0; a < m; a++ {
				v += -sum*p.k[i][a]*p.pht[j][a] + ks[i][a]*p.k[j][a]
			}
			dst.p[i][j] = v
			dst.p[j][i] = v
		}
	}
	if !dst.finite() {
		return fmt.Errorf("%w: updated state", ErrNonFinite)
	}
	if !dst.covDiagPositive() {
		return fmt.Errorf("%w: updated covariance lost positive variance", ErrNotPositiveDefinite)
	}
	inn.M = m
	inn.S = p.s
	inn.D2 = d2
	inn.LogLik = p.logNorm - 0.5*d2
	return nil
}

func (c *core) applyPDA(s *State, p *Predicted, z, w []float64) (Innovation, error) {
	var inn Innovation
	if err := p.applyPDATo(&c.ws.st, s, z, w, &inn); err != nil {
		return Innovation{}, err
	}
	copyState(s, &c.ws.st)
	return inn, nil
}

// ApplyPDA updates s with several measurements at once, weighted by their association
// probabilities, as probabilistic data association (PDA) and JPDA do: z holds the
// k = len(w) measurements one after the other (k·m values), w their weights wᵢ ≥ 0 with
// Σ wᵢ ≤ 1, and w0 = 1 - Σ wᵢ is the probability that none of them is the target's. With
// yᵢ = zᵢ - ẑ (angles wrapped) and y = Σ wᵢ yᵢ:
//
//	x⁺ = x + K y,   P⁺ = P - (1 - w0) K S Kᵀ + K (Σ wᵢ yᵢ yᵢᵀ - y yᵀ) Kᵀ.
//
// With one measurement of weight 1 this is Apply; with no measurements (or all weights
// zero) the state is unchanged. The returned Innovation describes the combined y. Errors
// (ErrDimension, ErrNonFinite for a bad measurement, ErrInvalidWeight for weights outside
// [0, 1] or summing above 1) leave s unchanged. It does not allocate; the Joseph form does not apply.
func (f *KF) ApplyPDA(s *State, p *Predicted, z, w []float64) (Innovation, error) {
	return f.c.applyPDA(s, p, z, w)
}

// ApplyPDA is the probabilistic-data-association update described at KF.ApplyPDA, with
// the EKF's linearisation held in p.
func (f *EKF) ApplyPDA(s *State, p *Predicted, z, w []float64) (Innovation, error) {
	return f.c.applyPDA(s, p, z, w)
}
