// Package dataset locates the project's shared reference data (scenarios, MOT15
// detections, real trajectories) for tests, benchmarks and tools. The data is never
// committed: it is read from the directory named by the TRACKCORR_DATA environment
// variable, or else from ../shared/data next to the repository root, and tests skip
// cleanly where it is absent.
package dataset
