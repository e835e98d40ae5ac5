// Package kalman implements Gaussian state estimation for target tracking: a
// fixed-capacity State (mean and covariance, dimension up to MaxDim = 9), motion models,
// measurement models, and the linear (KF), extended (EKF) and unscented (UKF) Kalman
// filters and the interacting multiple model (IMM) estimator.
//
// (The full package documentation is being written; see the type and function docs.)
package kalman
