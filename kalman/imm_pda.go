package kalman

import (
	"fmt"
	"math"
)

// ApplyPDA updates every mode of s with the k = len(w) measurements in z (k·m values,
// measurement i at z[i·m:(i+1)·m]) weighted by their association probabilities w, as
// KF.ApplyPDA does for one filter: wᵢ ≥ 0, Σ wᵢ ≤ 1, and w0 = 1 − Σ wᵢ is the
// probability that none of them is the target's. p must have been computed from s as it
// is now (IMM.PredictMeasurement).
//
// Each mode j is updated by the PDA (KF.ApplyPDA) with its own predicted measurement
// ẑⱼ, Sⱼ and gain. The mode probabilities are updated by the mode likelihoods of the
// PDA, the mixture over the association hypotheses θ₀ (none is the target's) and θᵢ
// (measurement i is). The weights are taken to be the hypotheses' posterior
// probabilities computed, as JPDA computes them, with the IMM's mixture prediction,
// wᵢ ∝ P(θᵢ)·Lᵢ with Lᵢ = Σₗ cₗ N(zᵢ; ẑₗ, Sₗ) the mixture likelihood (L₀ the same for
// every mode: clutter only). Dividing out Lᵢ recovers the hypotheses' priors, so that
// the likelihood of mode j, Λⱼ = Σ_θ P(θ) p(Z | θ, j), is, up to a factor common to every
// mode,
//
//	Λⱼ = w0 + Σᵢ wᵢ N(zᵢ; ẑⱼ, Sⱼ) / Lᵢ,   μⱼ = cⱼ Λⱼ / Σₗ cₗ Λₗ,
//
// where cⱼ are the predicted mode probabilities. Σₗ cₗ Λₗ = w0 + Σᵢ wᵢ = 1, so the μⱼ
// need no further normalisation (they are renormalised against rounding). The terms
// are evaluated as exp(log cⱼ + log N(zᵢ; ẑⱼ, Sⱼ) − log Lᵢ) ≤ 1, log Lᵢ by
// log-sum-exp, so nothing underflows or overflows. With one measurement of weight 1
// this is Apply (μⱼ ∝ cⱼ N(z; ẑⱼ, Sⱼ)); with no measurements or all weights zero every
// mode and every probability is unchanged.
//
// The returned Innovation describes the combined innovation of the moment-matched
// prediction, Y = Σ wᵢ (zᵢ − ẑ) with the mixture S and D2 = Yᵀ S⁻¹ Y, and
// LogLik = log Σⱼ cⱼ N(ȳⱼ; 0, Sⱼ) with ȳⱼ = Σ wᵢ (zᵢ − ẑⱼ), mode j's combined
// innovation (with one measurement of weight 1, Apply's mixture log-likelihood).
//
// Errors (ErrDimension, ErrNonFinite for a bad measurement or result, ErrInvalidWeight
// for weights outside [0, 1] or summing above 1, ErrNotPositiveDefinite for a mode
// whose covariance loses positive variance) leave s unchanged. It does not allocate.
func (f *IMM) ApplyPDA(s *IMMState, p *IMMPredicted, z, w []float64) (Innovation, error) {
	if err := f.checkState(s); err != nil {
		return Innovation{}, err
	}
	M := f.nm
	if p.nm != M || p.mode[0].n != f.n {
		return Innovation{}, fmt.Errorf("%w: IMM prediction for %d modes of dimension %d, filter has %d of dimension %d",
			ErrDimension, p.nm, p.mode[0].n, M, f.n)
	}
	m := p.mix.m
	k := len(w)
	if len(z) != k*m {
		return Innovation{}, fmt.Errorf("%w: %d measurement values for %d weights of dimension %d", ErrDimension, len(z), k, m)
	}
	// Mode-matched PDA updates into the workspace (each validates the weights and the
	// measurements).
	var ll [MaxModes]float64 // log N(ȳⱼ; 0, Sⱼ)
	for j := 0; j < M; j++ {
		var inn Innovation
		if err := p.mode[j].applyPDATo(&f.ws.st[j], &s.mode[j], z, w, &inn); err != nil {
			return Innovation{}, fmt.Errorf("IMM mode %d: %w", j, err)
		}
		ll[j] = p.logc[j] + inn.LogLik
	}
	// Combined innovation of the moment-matched prediction.
	var y MVec
	for i := 0; i < k; i++ {
		var yi MVec
		if err := p.mix.innovation(&yi, z[i*m:(i+1)*m]); err != nil {
			return Innovation{}, fmt.Errorf("measurement %d: %w", i, err)
		}
		for a := 0; a < m; a++ {
			y[a] += w[i] * yi[a]
		}
	}
	d2 := p.mix.mahalanobis(&y)
	logLik := logSumExp(ll[:M])
	if math.IsInf(d2, 0) || logLik-logLik != 0 {
		return Innovation{}, fmt.Errorf("%w: IMM combined innovation", ErrNonFinite)
	}
	// Mode probabilities: μⱼ = cⱼ w0 + Σᵢ wᵢ exp(log cⱼ + log Nᵢⱼ − log Lᵢ).
	w0 := 1.0
	for _, wi := range w {
		w0 -= wi
	}
	if w0 < 0 {
		w0 = 0 // Σ w exceeds 1 by rounding only (checked by applyPDATo)
	}
	var mu [MaxModes]float64
	for j := 0; j < M; j++ {
		mu[j] = w0 * math.Exp(p.logc[j])
	}
	for i := 0; i < k; i++ {
		if w[i] == 0 {
			continue
		}
		var l [MaxModes]float64
		for j := 0; j < M; j++ {
			var yj MVec
			if err := p.mode[j].innovation(&yj, z[i*m:(i+1)*m]); err != nil {
				return Innovation{}, fmt.Errorf("measurement %d: %w", i, err)
			}
			l[j] = p.mode[j].logNorm - 0.5*p.mode[j].mahalanobis(&yj)
		}
		var lc [MaxModes]float64
		for j := 0; j < M; j++ {
			lc[j] = p.logc[j] + l[j]
		}
		logL := logSumExp(lc[:M])
		if logL-logL != 0 {
			return Innovation{}, fmt.Errorf("%w: IMM mixture likelihood of measurement %d", ErrNonFinite, i)
		}
		for j := 0; j < M; j++ {
			mu[j] += w[i] * math.Exp(lc[j]-logL)
		}
	}
	sum := 0.0
	for j := 0; j < M; j++ {
		sum += mu[j]
	}
	if !(sum > 0) || math.IsInf(sum, 1) {
		return Innovation{}, fmt.Errorf("%w: IMM mode probabilities sum to %v", ErrNonFinite, sum)
	}
	for j := 0; j < M; j++ {
		copyState(&s.mode[j], &f.ws.st[j])
		s.prob[j] = mu[j] / sum
	}
	return Innovation{M: m, Y: y, S: p.mix.s, D2: d2, LogLik: logLik}, nil
}
