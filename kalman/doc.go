// Package kalman implements Gaussian state estimation for target tracking: a
// fixed-capacity State (mean and covariance), motion models, measurement models, and the
// linear (KF), extended (EKF) and unscented (UKF) Kalman filters and the interacting
// multiple model estimator (IMM). It imports nothing of the rest of trackcorr and does
// no I/O.
//
// # Overview
//
// A State holds a mean and a symmetric positive-definite covariance of dimension 1 to
// MaxDim (9) in fixed arrays; copying a State is a deep copy. A Motion model gives the
// transition f(x, dt), its Jacobian F and the process noise Q(dt); a Measurement model
// gives h(x), its Jacobian H and which components are angles; the measurement noise R is
// passed with each update. A filter is built once per motion model and worker:
//
//	f, _ := kalman.NewKF(kalman.NewCV(2, q), kalman.Config{})
//	err := f.Predict(&s, dt)                        // s ← prediction over dt seconds
//	inn, err := f.Update(&s, h, z, R)               // s ← update with measurement z
//
// Update is two phases that a tracker can also call separately, so that many detections
// are gated against one prediction and only the chosen one is applied:
//
//	err := f.PredictMeasurement(&p, &s, h, R)       // ẑ, S = H P Hᵀ + R, Cholesky, gain
//	d2, logLik, err := p.Score(z)                   // O(m²) per detection, no allocation
//	inn, err := f.Apply(&s, &p, z)                  // the update, transactional
//
// ApplyPDA applies several measurements at once, weighted by association probabilities,
// for PDA and JPDA. Every update returns an Innovation: y = z - ẑ (angles wrapped), S, the squared
// Mahalanobis distance d² = yᵀ S⁻¹ y (the NIS, χ²(m) for a consistent filter; gate on it
// against distuv.ChiSquared{K: m}.Quantile(p)) and the log-likelihood
// log N(y; 0, S) = -(d² + log det S + m·log 2π)/2 for track scores, JPDA and IMM.
//
// # Units, frames and state layouts
//
// Lengths are metres, times seconds, angles radians, everywhere. States and sensor
// positions are in one local Cartesian frame (for example east-north-up with x east,
// y north, z up) chosen by the caller. Convert time once: dt := d.Seconds() for a
// time.Duration d. The layouts (the same as the trackpb interchange format):
//
//	CV, 1/2/3 axes        [x, vx], [x, vx, y, vy], [x, vx, y, vy, z, vz]
//	CA, Singer            per axis [p, v, a]: [x, vx, ax, y, vy, ay (, z, vz, az)]
//	CT                    [x, vx, y, vy, ω] or [x, vx, y, vy, ω, z, vz]
//
// Each model's documentation states its F and Q(dt). The straight-line mode of an IMM on
// the CT layout is NewCT(CTConfig{ZeroRate: true, ...}), so CV and coordinated-turn modes
// share one state. Measurement models are built from a motion model's Layout, so one
// measurement model serves every motion model of the same geometry.
//
// # Angle conventions
//
// Azimuth (bearing) is atan2(dy, dx) of the target relative to the sensor: measured from
// the +x axis, positive counter-clockwise (towards +y), in [-π, π]. With x east and
// y north, a compass bearing β (clockwise from north) is azimuth π/2 - β. Elevation is
// atan2(dz, √(dx² + dy²)), above the x-y plane, in [-π/2, π/2]. The coordinated-turn
// rate ω is positive counter-clockwise. Innovations of angle components
// (Measurement.Angles) are wrapped to [-π, π] before use, so a bearing measured across
// ±π gives a small innovation.
//
// # Numerics
//
// The innovation covariance is factorised by Cholesky, and every use of S⁻¹ (gain,
// d²) is a pair of triangular solves; no inverse is formed. The default covariance
// update is P⁺ = P - K S Kᵀ, computed as P - K (P Hᵀ)ᵀ on the upper triangle and
// mirrored; Config.Joseph selects the Joseph form (I - K H) P (I - K H)ᵀ + K R Kᵀ. Every
// covariance a filter stores is exactly symmetric. Input covariances (NewState,
// State.SetCov, R) must be symmetric within a relative 1e-9 and are symmetrised; they
// must be positive definite (checked by Cholesky; a diagonal R by its diagonal). After an
// update the state must be finite with positive variances, or the update is rejected;
// full positive definiteness of P⁺ is not re-checked (it would cost a Cholesky per
// update), which is what the Joseph form is for. The EKF linearises the motion at the
// prior mean and the measurement at the predicted mean. The coordinated-turn
// coefficients use Taylor series for |ω·dt| < 0.5 and the Singer noise for dt/τ < 0.3, so
// both are accurate to rounding through their limits (ω → 0 is CV).
//
// # Unscented filter and IMM
//
// UKF moves the 2n+1 sigma points of the scaled unscented transform (UKFConfig: α, β, κ;
// the defaults 1, 2, 0 make every weight non-negative) through any Motion and
// Measurement, with additive noise; a linear model takes its exact linear kernel
// instead. Angle components of a measurement are averaged on the circle,
// atan2(Σ Wᵢ sin zᵢ, Σ Wᵢ cos zᵢ), and their residuals wrapped. It has the same
// PredictMeasurement, Score, Apply and Innovation as KF and EKF (S is the sigma-point
// covariance plus R; the cross-covariance Pxz takes the place of P Hᵀ). The sigma points
// live in fixed arrays of MaxSigma = 2·MaxDim + 1 in the filter's workspace.
//
// IMM mixes up to MaxModes (4) mode-conditioned EKFs (UKFs with NewUnscentedIMM), each
// with its own Motion over one common layout, through a Markov switching matrix whose
// rows must be distributions (ErrInvalidConfig otherwise). An IMMState holds the mode estimates and probabilities
// (Probs; Combined is the moment-matched estimate); the probabilities are updated in log
// space, so no likelihood underflows. An IMM update returns the Innovation of the
// moment-matched predicted measurement ẑ = Σ cⱼ ẑⱼ, S = Σ cⱼ (Sⱼ + (ẑⱼ − ẑ)(ẑⱼ − ẑ)ᵀ),
// cⱼ the predicted mode probabilities: D2 = yᵀ S⁻¹ y is that Gaussian's (only
// approximately χ²(m)), while LogLik is the exact mixture log Σ cⱼ N(z; ẑⱼ, Sⱼ).
// IMM.ApplyPDA is the PDA/JPDA update of an IMM: every mode is updated by KF.ApplyPDA's
// formula with its own prediction, and μⱼ ∝ cⱼ (w0 + Σᵢ wᵢ N(zᵢ; ẑⱼ, Sⱼ)/Lᵢ), Lᵢ the
// mixture likelihood of measurement i (the mode likelihood as a mixture over the
// association hypotheses, with the weights taken as posteriors computed on the mixture;
// see its documentation). For storing many estimates compactly, IMMState.Pack writes
// PackedLen(M, n) values (per mode: probability, mean, upper triangle of P) and Unpack
// reads them back exactly; CombinedMarginal computes part of the combined estimate
// directly (for example its CV part without ω).
//
// Neither allocates. On the development machine (ukf_bench_test.go, imm_bench_test.go;
// medians of noisy runs) a UKF predict+update costs about 2.5 µs for 3-D CV with range,
// azimuth and elevation (6/3) and 4.4 µs for coordinated turn with vertical CV (7/3);
// an IMM with CV and CT modes and a position measurement about 2 µs; about 10 times
// less than the textbook gonum versions.
//
// # Errors
//
// Data problems return errors wrapping one of the sentinels ErrNonFinite,
// ErrNotPositiveDefinite, ErrNegativeTimeStep, ErrDimension, ErrNonlinear and
// ErrInvalidWeight (and ErrInvalidConfig for UKF and IMM settings); test with errors.Is. The message says
// what was wrong. On any error the State is bit-for-bit unchanged, and a
// Predicted passed as destination is unchanged: updates are transactional, computed in
// the filter's workspace and committed only on success. A negative time step is always
// an error, never a silent backwards prediction. Programmer errors (a model built with
// invalid parameters or indices) panic in the constructors.
//
// # Ownership, aliasing and concurrency
//
// The filters never modify or retain the slices passed to them (z, R), and never hand
// caller storage to a model: they copy the state into their workspace first. So a State,
// Predicted or measurement slice declared as a local variable stays on the stack. Models
// are immutable after construction and safe to share between goroutines and filters. A
// filter (KF, EKF, UKF, IMM) holds a scratch workspace and is not safe for concurrent use:
// give each worker its own; they are small and cheap to build. A Predicted describes the
// state it was computed from; applying it after that state has changed is a programmer
// error the filter cannot detect.
//
// # Performance
//
// Predict, PredictMeasurement, Score, Apply and Update allocate nothing (tested with
// testing.AllocsPerRun, also for user-written models through the general kernels). The
// models of this package carry structure-specific kernels chosen when a filter is built:
// CV, CA and Singer predict axis block by axis block, Position reads only the selected
// rows and columns of P, and the polar models only the non-zero columns of H. Measured
// with go test -run '^$' -bench PredictUpdate -count 6 -cpu 1 on the shared 2-core
// development machine (Intel Xeon, Go 1.26; other builds were running, so the medians
// vary by ±30% from run to run), one predict plus update took about 0.21 µs for 2-D CV
// with a position measurement (4 states, 2 measurements), 0.36 µs for 3-D CV (6/3),
// 0.53 µs for an EKF with range, azimuth and elevation on 3-D CV and 0.65-1 µs for a
// coordinated-turn EKF with range and bearing: 3 to 13 times less than the same step
// written with gonum mat (see kf_bench_test.go). Scoring one measurement against a
// Predicted (gating) takes 15-20 ns.
package kalman
