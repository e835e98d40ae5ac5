// Package bench holds what researchers use to benchmark tracking algorithms: seeded,
// reproducible scenarios, the metrics that score tracks against truth, and end-to-end
// benchmarks.
//
// # Scenarios
//
// A Scenario describes a simulation: targets at constant density (the family of the
// project's interchange scenarios, shared with other trackers such as Stone Soup),
// crossing pairs, parallel pairs, or manoeuvring targets (coordinated turns), seen by one
// or more staggered 2-D position sensors with their own covariances, a detection
// probability and Poisson clutter. A Generator produces its truth frames and scans in
// time order, holding only the targets' states (about 80 bytes per target) and one scan,
// so scenarios of up to MaxTargets = 1,000,000 targets stream in bounded memory.
// WriteRecording writes a scenario as a recording (package replay) so that every
// tracker and run sees identical detections; WriteInterchange writes it in the
// JSON-lines interchange format for other trackers.
//
// Units: metres, seconds, metres per second; states are [x, vx, y, vy]. The same
// Scenario, seed included, always gives the same bytes.
//
// # Errors
//
// An invalid Scenario is reported by NewGenerator as an error wrapping ErrScenario.
package bench
