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
// A Belt is a border belt: a line of sensor sites thousands of kilometres long at
// geodetic positions (rotating radars measuring horizontal range and bearing, passive
// sensors measuring bearing only) with targets crossing it; its truth is in ECEF and its
// detections carry the moment the sweep passed them. WriteEvents records any
// EventSource. Real trajectories replace simulated motion with a Real scenario: ReadOpenSky
// and ReadAIS read recorded ADS-B and AIS positions (such as the shared data's), and a
// RealGenerator interpolates them in a local ENU frame and simulates position sensors on
// them.
//
// Units: metres, seconds, metres per second, radians; states are [x, vx, y, vy] (ECEF
// [x, vx, y, vy, z, vz] for belts). The same scenario, seed included, always gives the
// same bytes.
//
// # Metrics
//
// A Scorer computes GOSPA (alpha = 2, with its localisation, missed and false parts in the
// p-th power, as in the paper and in Stone Soup) and OSPA per frame. A MOT accumulator
// computes CLEAR MOT (MOTA, MOTP, false positives, misses, identity switches), IDF1 with
// IDP and IDR, fragmentations, and mostly tracked / partly tracked / mostly lost counts over
// a sequence. Candidate pairs come from a grid, so pairs farther apart than the cut-off are
// never compared, and every optimal assignment is solved by correlate/assign's decomposed
// sparse solver: GOSPA of 100,000 estimates against 100,000 truths takes tens of
// milliseconds on one core (BenchmarkGOSPA). Positions are Points (ID and metres).
// NEES computes the normalised estimation error squared of an estimate with its
// covariance (Cholesky, no inverse), and Consistency averages NEES or NIS values and gives
// their two-sided chi-square bounds.
//
// # Errors
//
// An invalid Scenario is reported by NewGenerator as an error wrapping ErrScenario; a
// non-finite position, a duplicated ID within a frame or an invalid metric configuration
// as an error wrapping ErrMetric, and nothing is accumulated.
package bench
