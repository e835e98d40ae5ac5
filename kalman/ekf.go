package kalman

// EKF is the extended Kalman filter: the mean is propagated through the nonlinear
// motion model f and measured through the nonlinear h, the covariance through their
// Jacobians evaluated at the prior mean (prediction) and at the predicted mean (update).
// With linear models it computes exactly what KF computes. Like KF, an EKF holds a
// scratch workspace and is not safe for concurrent use.
type EKF struct{ c core }

// NewEKF returns an extended Kalman filter for motion model m (linear or not). It
// panics if m.Dim() is not in 1..MaxDim. The error is always nil today; it is there so
// that future validation does not change the signature.
func NewEKF(m Motion, cfg Config) (*EKF, error) {
	f := &EKF{}
	f.c.init(m, cfg, false)
	return f, nil
}

// Motion returns the filter's motion model.
func (f *EKF) Motion() Motion { return f.c.motion }

// Predict propagates s over dt seconds: x ← f(x, dt), P ← F P Fᵀ + Q(dt) with
// F = ∂f/∂x at the prior mean. Errors as for KF.Predict; s is unchanged on error. It does
// not allocate.
func (f *EKF) Predict(s *State, dt float64) error { return f.c.predictState(s, dt) }

// PredictMeasurement writes into dst the linearised prediction of model h for state s
// with noise R (row-major m×m): ẑ = h(x), H = ∂h/∂x at x, S = H P Hᵀ + R, its Cholesky
// factor, P Hᵀ and the gain. Errors as for KF.PredictMeasurement (a state at a
// measurement singularity, such as a target at the sensor for a polar model, gives
// ErrNonFinite); dst is unchanged on error. It does not allocate.
func (f *EKF) PredictMeasurement(dst *Predicted, s *State, h Measurement, R []float64) error {
	return f.c.exportedPredictMeasurement(dst, s, h, R)
}

// Apply updates s with measurement z against p (computed from s as it is now); angle
// components of the innovation are wrapped to [-π, π]. Errors as for KF.Apply; s is
// unchanged on error. It does not allocate.
func (f *EKF) Apply(s *State, p *Predicted, z []float64) (Innovation, error) {
	return f.c.apply(s, p, z)
}

// Update is PredictMeasurement followed by Apply, using the filter's own workspace.
// On error s is unchanged.
func (f *EKF) Update(s *State, h Measurement, z, R []float64) (Innovation, error) {
	return f.c.update(s, h, z, R)
}
