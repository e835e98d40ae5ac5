// Package trackcorr is the root of a Go library for high-throughput multi-target
// tracking: Kalman filtering, gating with spatial indexes and chi-square gates,
// association of multi-sensor detections into tracks, track management, correlation of
// tracks from several trackers, recordings and benchmarks. This package holds no code;
// the library is in its sub-packages:
//
//   - kalman: state, motion and measurement models, KF, EKF, UKF and IMM filters;
//   - spatial: the gating index and the geometry (geodesy, frames, sensor conversions);
//   - correlate/assign: assignment solvers;
//   - trackpb: the protobuf wire schema;
//   - replay: recordings, importers, exporters and the player;
//   - bench: scenarios and metrics.
//
// Units everywhere are metres, seconds and radians. See the README for the commands, the
// status of each package and measured performance.
package trackcorr
