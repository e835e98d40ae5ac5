// Package correlate turns detections from many asynchronous sensors into tracks: the
// Tracker predicts, gates, associates (global nearest neighbour or JPDA), updates,
// starts and ends tracks, once per scan over whole batches, through stages a user can
// replace.
//
// # Overview
//
// Build a Tracker from a Config listing the Sensors, feed it Scans with Process, and
// read what changed from a reusable Output:
//
//	tr, err := correlate.New(correlate.Config{Sensors: []correlate.Sensor{{ID: 1, Kind: correlate.Position2D}}})
//	defer tr.Close()
//	var out correlate.Output
//	err = tr.Process(&scan, &out) // out.Tracks, out.Events, out.Stats
//
// Each scan is processed in these stages:
//
//  1. Validation of the whole scan (see Errors) before any state is touched, and the
//     out-of-sequence policy (Config.OutOfOrder: Reject, Drop or Reorder with a bounded
//     buffer and a maximum lag). No prediction ever has a negative time step.
//  2. The detections are sorted canonically by (time, ID) and split into time
//     sub-batches (Config.BatchWindow), so that a rotating sensor's sweep is not
//     treated as one instant.
//  3. Per sub-batch, every live track not yet updated by this scan is predicted from its
//     posterior to the sub-batch's latest detection time into the workspace (nothing is
//     committed: a track that is not updated keeps its posterior at its last update
//     time, so missed tracks accumulate no rounding).
//  4. The Gater (by default spatial.Gater with a chi-square gate at
//     Config.GateProbability) finds the candidate pairs (see Sensors for the gating
//     space of each measurement kind).
//  5. The Associator (by default GNN, correlate/assign's decomposed solver) chooses the
//     association in two passes: confirmed and coasting tracks first, against every
//     detection; tentative tracks then, against the detections left. This is the
//     composition of Stone Soup's tracker and multi-measurement initiator; in one joint
//     problem a one-detection tentative track, with its wide velocity prior, competes on
//     nearly equal likelihood with an established track for its detection.
//  6. Each associated track is predicted from its posterior to its detection's own time
//     and updated (Kalman filter, or IMM: see Filter); the result is committed only on
//     success. Under Association AssociateJPDA every track with a candidate of
//     positive weight is updated instead with all of them (see JPDA below).
//  7. Every detection left unassociated starts a tentative track: position from the
//     measurement, with covariance R, velocity zero with standard deviation
//     Config.InitSpeedSigma (OnePoint), or (TwoPoint) a velocity prior spanning
//     Config.MaxSpeed followed by two-point differencing on the second detection.
//  8. Track logic: tentative → confirmed → coasting → deleted (see below), and the
//     Output is written.
//
// # Stages
//
// The six stages are small interfaces in the manner of Stone Soup's components, each
// called once per batch with all of its items, never per track or per pair, and each
// replaceable through Config (nil means the built-in stage):
//
//   - Predictor (Config.Predictor; built in: KalmanPredictor over kalman.NewCV(Axes, Q))
//     predicts track states by a time step;
//   - Gater (Config.Gater; DefaultGater) finds the candidate pairs;
//   - Associator (Config.Associator; GNN or JPDA) weighs the candidates; it returns
//     per-candidate weights, 0 or 1 for GNN, so that JPDA fits the same call;
//   - Updater (Config.Updater; KalmanUpdater: the Kalman filter for linear models, the
//     extended one for polar kinds) applies a detection to a predicted state;
//   - Initiator (Config.Initiator; Initiation's OnePoint or TwoPoint, the first also as
//     OnePointInitiator) starts tracks from the unassociated detections;
//   - Deleter (Config.Deleter) may end or keep tracks after the built-in logic of
//     Config.Logic, DeleteAfter and MaxPositionVariance.
//
// The built-in Predictor and Updater run fused and sharded over the workers, on the
// tracks' packed states. A user Predictor or Updater moves every prediction and update
// onto the staged path: the stage is called on the caller's goroutine with the batch's
// states as kalman.State values (728 bytes each: a batch of 100,000 tracks takes 73 MB
// of scratch, kept for the next batch), and the tracker does the rest as on the
// built-in path — gating from the user's predictions, predictions of the associated
// tracks to their detections' own times (one more Predict call when a batch spans
// several times), the PDA hypotheses and their moment-matched mixture under JPDA. A
// user Initiator and Deleter can be combined with any filter. With the built-in
// stages plugged in as user stages the output is bit-identical to the built-in path's
// (TestStagesBuiltInEquivalent), and the staged path too allocates nothing in steady
// state. A stage's failure is contained: a failed prediction deletes the track as
// diverged, a failed update leaves the track as it was (its detection may start a
// track), a refused or malformed initial state starts no track.
//
// # JPDA and JIPDA
//
// With Association AssociateJPDA the Associator's weights are association
// probabilities β_ij, and each track with candidates is updated with all of them at
// once. The built-in associator, JPDA, writes per candidate the marginal probability
// that track i produced detection j over all feasible joint association events of the
// likelihood model above (P(θ) ∝ Π exp(−c_ij) · Π exp(−c_i0) · Π exp(−c_0j)). It splits
// the problem into clusters (connected components of the gated pairs), solves
// one-track clusters in closed form and the others exactly on a hypothesis net (forward
// and backward sums that share every partial event leaving the same detections taken),
// and approximates the clusters whose net exceeds JPDAConfig.MaxExact nodes by their K
// best joint events (Murty, converging to the exact marginals as K grows) or, above
// JPDAConfig.KBestRows tracks, by loopy belief propagation (Stats.Approximate counts
// them). The update: the posterior is the moment-matched mixture of its
// association hypotheses at the batch time, the miss (the prediction, weight
// β_i0 = 1 − Σ_j β_ij) and each detection's Kalman update (weight β_ij, at the
// detection's own time and predicted on to the batch time):
//
//	x = x̂ + Σ β_ij d_j,   P = Σ_j≥0 β_ij P_j + Σ β_ij d_j d_jᵀ − (Σ β_ij d_j)(Σ β_ij d_j)ᵀ,
//
// with d_j = x_j − x̂. For detections that share one time and one R this is the PDA
// update with its spread-of-innovations term (TestPDAUpdateMatchesKalman); with weights
// 0 and 1 it is the GNN update (TestPDAHardWeightsEqualGNN). A track counts a hit, for
// its logic and Hits, when Σ_j β_ij ≥ 1/2, and its Detections name the most probable
// detection; a detection whose probabilities over the tracks sum to less than 1/2 may
// start a tentative track. Row weights summing above 1 (a user Associator's) are
// scaled to 1. Under the M-of-N and SPRT logics the tentative tracks' pass is GNN, as
// in Stone Soup's JPDA tracker, whose initiator confirms by GNN: on the shared
// single-sensor scenario JPDA for them too raises the mean GOSPA from 28.8 to 29.2.
//
// JPDA shares the detections of targets closer than their gates between their tracks,
// which pulls the tracks towards each other: for targets a few σ apart whose tracks are
// still uncertain (new tracks, with their wide velocity prior) the tracks can coalesce
// or exchange their targets, where GNN's hard decisions keep them apart.
//
// Logic Existence is JIPDA's: each track carries the probability r that its target
// exists. Over a scan it is predicted to Survival·r, enters the association as a factor
// of the pair likelihoods (c_ij gains −log r) and of the miss (c_i0 = −log(1 −
// P_D·P_G·r)), and is updated with the weights:
//
//	r⁺ = β_i0 · (1 − P_D P_G) r / (1 − P_D P_G r) + Σ_j β_ij,
//
// the first term alone for a track without candidates on a full scan. The β_ij are
// joint with the target's existence; the state, which is conditioned on it, is updated
// with β_ij / r⁺ (and the miss with the rest). A new track starts at λ_NT/(λ_NT +
// λ_FA) of its sensor; a tentative track is confirmed when r reaches
// Config.ConfirmExistence, and any track is deleted when r falls to
// Config.DeleteExistence times the highest r it has had (for a confirmed track, about
// DeleteExistence itself; for a new one, a fall by that factor from its start, so
// that a start below DeleteExistence in dense clutter is not an immediate deletion).
//
// # Sensors
//
// Position2D and Position3D measure the position in the tracking frame and are gated
// and updated linearly. RangeBearing and RangeAzEl measure range and angles from
// Sensor.Position (optionally with range rate): they are gated, costed and initiated on
// the converted Cartesian measurement (x = r·cos a, … with covariance J R Jᵀ,
// linearised at the measurement), and updated by the extended Kalman filter on the
// polar model itself (kalman.Polar), angle innovations wrapped. Bearing measures an
// azimuth only: its detections are gated against each track's predicted bearing β̂,
// with variance J P Jᵀ + R, through a window of the detections sorted by bearing (two
// windows where the window crosses ±π), updated by the EKF, and never start tracks
// (Stats.Unused counts those left over). Azimuth is atan2(dy, dx), from the +x axis
// counter-clockwise, as in package kalman. A sensor may be registered by its geodetic
// position (Sensor.Geodetic): it is placed in the local ENU frame about Config.Origin
// through spatial.Frame; its angles must still be given in the frame's axes (a compass
// bearing β is azimuth π/2 − β), and the tilt of its local vertical is neglected.
//
// A scan marked Partial (a sector of a sweep, a single detection) does not count a miss
// for the tracks it does not update.
//
// # Filter
//
// Config.Filter selects the filter of every track. CV (the default) is one
// nearly-constant-velocity Kalman filter with Config.Q (KF for position sensors, EKF
// for polar ones). IMM is an interacting multiple model (kalman.IMM, one EKF per mode)
// over the coordinated-turn layout [x, vx, y, vy, ω] of kalman.CT, and with Axes 3
// [x, vx, y, vy, ω, z, vz]: a horizontal turn with nearly-constant velocity vertically.
// Its modes (Config.IMM.Modes, up to 4) are Straight, CV on that layout
// (kalman.CTConfig.ZeroRate: ω predicted as 0 with variance QRate·Δt), and Turn, the
// coordinated turn with ω in the state, each with its own Q and QRate; the default is
// one of each, with Q = Config.Q, QRate 0.02 rad²/s³ (Straight; the spread of turn
// rates it hands the Turn mode by mixing, which decides how fast a turn is picked up)
// and 1e-4 rad²/s³ (Turn), equally likely at a track's start, switching by a Markov
// matrix (Config.IMM.Switch, one switch per update; default 0.95 on the diagonal). A
// new track's every mode starts from the CV-layout estimate of the initiation (one or
// two points) with ω = 0 of standard deviation Config.IMM.TurnRateSigma (0.05 rad/s).
// Gating, costs, the initiation checks, MaxPositionVariance, History and the Output's
// State and Cov use the combined (moment-matched) estimate of the modes without ω, in
// the CV layout: everything downstream of the filter is the same under CV and IMM.
// Track.Modes gives the posterior mode probabilities. Stats.NIS counts the d² of the
// moment-matched predicted measurement (only approximately χ²). A prediction or update
// that fails
// counts in Stats.Diverged or Stats.Rejected and commits nothing, as under CV
// (TestBadInputLeavesStateUnchanged runs under both). TestIMMHoldsTurn: a 220 m/s
// target through a 180° turn at 5°/s (2 g) with a radar 30 km away (25 m, 0.8 mrad,
// 1 s revisit) keeps one track in 10 of 10 seeded runs under IMM, at 23-24 m rms, and
// is lost in all 10 under CV with the default Q; at 10°/s the IMM holds 6 of 10.
//
// # Likelihood model, costs and scores
//
// With P_D the sensor's detection probability, P_G the gate probability, λ_FA the
// clutter density and λ_NT the new-target density (per unit measurement volume, m² for
// 2-D positions), and N(z; ẑ, S) the Gaussian likelihood of detection z for a track
// whose predicted measurement is ẑ with innovation covariance S = H P Hᵀ + R:
//
//	pair cost    c_ij = −log(P_D · N(z_j; ẑ_i, S_ij))
//	             = −log P_D + (d²_ij + log det S_ij + m·log 2π)/2
//	miss cost    c_i0 = −log(1 − P_D·P_G)
//	new cost     c_0j = −log(λ_FA + λ_NT)
//
// and the assignment minimises the sum of the chosen pair, miss and new costs
// (assign.Sparse's tracking form); this is the negative log of the association
// hypothesis' likelihood. The same model gives each track's log-likelihood ratio
// (target versus clutter), Track.Score: it starts at log(λ_NT/λ_FA), gains
// log(P_D·N(z; ẑ, S)/λ_FA) per associated detection and log(1 − P_D·P_G) per miss.
// Under JPDA the associated detection is the most probable one.
//
// # Track logic
//
// With Logic MofN (the default, M = 3 of N = 4), a tentative track is confirmed when M
// of its first N scans (its creation included) associated a detection, and deleted as
// soon as that can no longer happen: with the defaults, confirmed after 3 associations
// and deleted after its second miss (see Config.ConfirmM for why not M = N = 3). With
// Logic Existence, the JIPDA existence probability (see above). With Logic SPRT, Wald's test on Score: confirmed
// at log((1−β)/α), deleted at log(β/(1−α)); a confirmed track is deleted when its
// score falls by −log(β/(1−α)) below its maximum. A confirmed track that misses a scan
// is Coasting until it is updated again. Any track without an associated detection for
// longer than Config.DeleteAfter (3.5 s; under JPDA a track more likely missed than
// detected does not count as associated), whose prediction failed, or whose predicted position
// variance exceeds Config.MaxPositionVariance is deleted. Track IDs are 1, 2, 3, …
// in order of creation and never reused; slots of deleted tracks are.
//
// Every live track counts a miss on each scan that does not update it: all sensors are
// assumed to cover the whole scene.
//
// # Units and frames
//
// Metres, seconds and radians. The tracking frame is one local Cartesian frame chosen
// by the caller (for example east-north-up); states are nearly-constant-velocity
// [x, vx, y, vy] (Axes 2) or [x, vx, y, vy, z, vz] (Axes 3), also under IMM (whose
// modes add the turn rate ω, rad/s, counter-clockwise positive; see Filter). Position sensors measure
// (x, y) or (x, y, z) in that frame. Times are int64 nanoseconds; intervals become
// float64 seconds once, as the difference of two int64 times (so absolute times of
// 1.7e18 ns lose no precision).
//
// # Errors
//
// New returns an error wrapping ErrConfig. Process returns a *ScanError naming the
// sensor and, where one is to blame, the detection (ID and index), wrapping
// ErrUnknownSensor, ErrNonFinite, ErrNotPositiveDefinite, ErrDimension (a
// measurement with non-zero entries beyond its sensor's dimension), ErrDuplicate (two
// detections with the same ID and time) or ErrOutOfOrder (policy Reject). A rejected
// scan leaves the tracker bit for bit as it was and later scans are processed
// normally (TestBadInputLeavesStateUnchanged). A Kalman update that fails on
// validated input (a numerically diverged track) is not an error: it is counted in
// Stats.Rejected or Stats.Diverged.
//
// # Parallelism
//
// Config.Workers goroutines (the caller's included) share prediction, gating, pair
// costs, update and output, each worker with its own filters and scratch, and solve the
// assignment's independent components (assign.Solver). The jobs whose items are
// independent and leave no per-worker state (prediction, pair costs, update, new
// tracks' states and slots, output) are cut into chunks, 16 per worker, that a worker
// claims when it is free; the others (gating, validation, conversion, track logic) take
// one fixed contiguous shard per worker. The built-in gater prepares and indexes a
// batch's detections once, the workers taking turns in the steps of one
// spatial.DetectionIndex (each validates and boxes a shard of the detections, files the
// same shard into the grid, then copies a shard of the grid's cells into place); each
// worker then gates its contiguous shard of the tracks against the shared index with
// its own spatial.Gater (GateIndexed: the pairs of Gate over the shard) and copies its
// pairs to their place in the batch's, the shards in order; batches of fewer than 512
// detections are gated by each worker against every detection instead. Each item's
// result depends only on the item and shards are concatenated in order, so the output
// is identical for any number of workers, whichever worker ran which chunk. Batches
// smaller than 512 items run on the caller's goroutine. The pool's and the solver's
// hand-overs spin briefly before blocking (internal/forkjoin). Validation is sharded
// too (each worker checks its detections, keeping its shard's first error, so the error
// names the first bad detection in index order whatever the number of workers, and
// sorts its detections' keys; the sorted runs are then merged, in one comparison per
// run when the scan came sorted), and so are the conversion of the detections to the
// gating space, the states of new tracks and the writing of their slots, the track
// logic (each worker's events and freed slots merged in shard order) and the output
// (each track's offsets in the Output follow from its index). The rows are listed
// confirmed and coasting tracks first, then tentative ones, so that the first
// association pass's problem is a prefix of the gated pairs, written by the pair cost
// job. On the caller's goroutine remain: listing the rows, the merge of the sorted
// runs, the tentative pass's problem, taking the new tracks' slots and IDs in order,
// the list of updates, and the solver's split into components. Close stops the workers.
//
// # Determinism
//
// The output depends only on the sequence of scans: detections are sorted by (time,
// ID) at ingest, no map decides anything, ties in the assignment are broken by index,
// and the solver's result does not depend on its number of workers
// (TestDeterminism: 1 and 4 workers, detections shuffled within scans, identical
// output hash). Stats' stage times are the only non-deterministic output.
//
// # Snapshots
//
// Tracker.State copies the whole state between scans into a TrackerState (plain Go, no
// maps: tracks in slot order, ID counter, time watermark, history rings, the scans held
// by Reorder; under IMM each track's modes, TrackState.Modes, with the combined
// estimate in X and P); Restore builds a Tracker from it and a Config, validating every value
// (errors wrap ErrState, or ErrStateVersion for a newer format). The restored tracker's
// output is byte-identical to the one that never stopped (TestStateRestoreContinuesIdentically).
// Restore is given the Config: the state does not record it. Package replay converts a
// TrackerState to and from the wire's TrackerSnapshot.
//
// # Ownership and aliasing
//
// Scans are read, never modified or retained (the Reorder policy copies the scans it
// holds). An Output's Track slices (State, Cov, Modes, Detections) point into the
// Output's own arena and stay valid until it is filled again; copy what must outlive
// that.
//
// # Performance and memory
//
// A steady-state Process allocates nothing (TestProcessAllocs, TestPolarAllocs): every
// per-tick buffer belongs to the tracker's workspace or to the Output and is reused;
// Reset empties a tracker without releasing them. No history is kept unless
// Config.History asks for it. A live track takes about 0.2 kB in its slot (its
// posterior stored packed, kalman.State.Pack's mean and upper triangle: 14 values, 112
// bytes in 2-D, 27 with Axes 3, and its logic counters, in structure-of-arrays form),
// 8·(n+1) bytes per History entry, and about 0.2 kB of per-tick workspace (gating rows
// with their packed predictions, costs, output), plus the gater's and the solver's
// buffers. Each gating row's prediction is kept packed for the batch's update, which
// does not predict again (a detection at another time than the batch's is predicted
// to its own time). Under IMM the estimates are stored packed too
// (kalman.IMMState.Pack, 42 values in 2-D with two modes, 72 with Axes 3), and so is
// each track's gating prediction, with a copy of the modes' probabilities for the
// output: 0.7 kB more per slot in 2-D (1.2 kB with Axes 3).
// Deleted slots are reused, so memory is flat at a constant number of targets
// (TestMemoryFlat: 100,000 ticks).
//
// Measured with BenchmarkTick and BenchmarkBareFilter (bench_test.go: constant density
// of 10,000 m² per target, Pd 0.9, clutter 10% of the targets, confirmed tracks, one
// worker unless stated) on the shared 2-vCPU AMD EPYC VM (2 MB of L2 per core, 32 MB
// of L3) with Go 1.26.8: medians of eight runs of the test binary (-test.bench
// 'Tick/^gnn$|BareFilter' -test.benchtime 10x), each run interleaved with one of the
// session's starting version (8cc009f), the ratios taken within each run. The machine
// was loaded during these runs (a quieter set of ten runs an hour earlier gave 0.58,
// 6.2 and 75 ms for the ticks and 0.26, 2.5 and 25 ms for the bare filtering):
//
//	targets             full tick  per track  tracks/s  bare predict+update  ratio
//	1,000               0.84 ms    0.84 µs    1.2 M     0.39 ms              2.3
//	10,000              9.3 ms     0.93 µs    1.1 M     3.8 ms               2.4
//	100,000             107 ms     1.07 µs    0.93 M    37 ms                2.87
//	100,000, 2 workers  60 ms      0.60 µs    1.7 M     1.75× one worker
//
// (100,000 targets: ratio quartiles 2.77 and 3.02, the starting version 3.07 in the
// same runs; two-worker speed-up quartiles 1.71 and 1.81, the starting version 1.67;
// this version's ticks 0.94× and 0.90× the starting version's with one and two
// workers.) On a shared machine whose speed drifts from one run to the next, passes
// timed side by side are the steadier measure: BenchmarkTickOverBare alternates one
// tick with one bare filtering pass and gives 2.75 at 100,000 targets (median of five
// runs of 20 pairs each, range 2.50–2.97; the starting version 3.05 in alternate runs),
// and BenchmarkTwoWorkers alternates one-worker and two-worker ticks and gives 1.69
// (range 1.62–1.78; the starting version 1.68). Zero allocations per tick. Per track at
// 100,000 targets (one worker / two, the eight runs above): predict 163 / 92 ns, gate
// 247 / 139, associate 140 / 91, update 334 / 178, manage 138 / 81.
//
// This session's gains: a batch whose detections all have the same covariance (every
// position sensor with a constant R, as in the benchmark) is gated with that one
// covariance, so that the exact test reads a per-track factor and the detection's
// coordinates instead of a covariance per pair (gate 245 → 178 ns per track in a
// same-process A/B; d² is the same to the bit, and so is the output); whether the
// covariances are shared is found by the conversion job while they are cached; and the
// independent jobs are claimed in chunks (two workers' tick 0.97×: with fixed shards
// the tentative rows at the end of the gating rows and the first pass's updates left
// one worker idle for 1–2 ms per job). Measured and dropped: predicting again at the
// update instead of keeping the packed prediction (1.04× with one worker and with
// two); listing each GNN row's update on the worker that applies it instead of on the
// caller's goroutine (1.005× with two workers, 1.006× with one); skipping the scaled
// symmetry check of exactly symmetric gate covariances (within the noise). On a
// machine of the Intel Xeon class of the previous sessions, where the tick was 3.65
// times the bare filtering, these figures were not measured.
//
// On the Intel Xeon VM of the previous session (4 MB of L2 per core) the tick at
// 100,000 targets was 3.65 times the bare filtering (91 against 25 ms) and
// memory-bound: from 10,000 to 100,000 targets the cost per track grew by about
// 250–300 ns spread over every stage, as the tracker's working set left the caches,
// while the bare filtering streams through its states in memory order (on the AMD EPYC
// VMs, whose memory is slower for the streaming, the ratio was 2.8 in an earlier
// session and 3.07 for the same version in this one's runs). Spatial order did not
// close the gap there: with the benchmark's detections sorted into 2 km bands
// before the run (so that the tracks' slots and the detections' columns both follow
// space) the tick took 0.93 times as long, where 3× the bare filtering needs about
// 0.8.
//
// Two workers. What does not shrink with a second worker bounds the speed-up: 1.7×
// needs the tick's effective serial part (twice the two-worker tick less the
// one-worker tick) below about 16 ms at 100,000 targets; on the Xeon it was about 37
// ms at the start of session 4 and 15 ms at its end. On this session's EPYC, with
// every hand-over to the workers timed in a temporary build, the caller's goroutine
// alone ran about 5 ms of a 55 ms two-worker tick; most of the rest of the gap to 2×
// was imbalance between the workers' fixed shards (1–2 ms per job, which the claimed
// chunks removed for the independent jobs) and the solver's split on worker 0 (3.6 ms
// while the other worker's load took 2.2–2.8). Timed per job
// (a temporary build that timed every hand-over to the workers), it went, step by
// step: validation
// sharded whole (it had kept the time range and the sort of the keys serial: 5 ms),
// the Output's slices set by the emitting workers instead of a serial pass (2 ms), the
// new tracks' slots written by the workers (2 ms), the GNN's assignment read directly
// instead of through weights cleared, set and scanned per candidate, the first
// association pass's problem written by the pair cost job (the rows ordered confirmed
// first, so that it is a prefix of the pairs; 2.7 ms of assembly), the detections
// prepared and indexed once by both workers (2 ms of gating, see Parallelism), and in
// package assign the split into components simplified (its column lists were never
// read) and run on the caller while the other workers load the problem, and each
// worker's column records reset only where a component was searched instead of over
// every column on every Solve (association with two workers 117 → 103 ns per track).
// Fork and join spin briefly before blocking (internal/forkjoin), which measured within
// the noise at 100,000. Tried and dropped as not paying: the union-find and the
// labelling of components on every worker (package assign's documentation), listing
// the rows on the workers, listing the updates on the workers (two jobs, counting then
// filling), assembling the whole problem on the workers (an earlier session). Still
// serial: listing the rows, the merge of the validated keys and the duplicate check,
// the tentative pass's problem, taking new tracks' slots and IDs, the list of updates
// and the sums of the statistics, the solver's result.
//
// Under IMM (BenchmarkTick/imm/..., the same scenario with the two default modes, one
// worker) each track's two modes are mixed and predicted once per batch (the Turn mode
// by its EKF with a kernel for its Jacobian's structure, the Straight mode by blocks),
// that prediction is reused by the update, and both modes are updated from the batch's
// compact copy of the detection, and the modes' probabilities are kept beside the
// packed estimates for the output. On the Xeon at the end of session 4 an IMM tick at
// 10,000 targets cost 2.93 times the CV tick (19.7 against 6.7 ms: the median of the
// ratios of 10 runs, -test.bench 'Tick/^(gnn|imm)$/^n=10000$/' -test.benchtime 30x;
// quartiles 2.84 and 2.98). Session 3 had measured 2.88 (18.1 against 6.4 ms, 15
// runs); session 4's changes made the CV tick faster by about as many
// milliseconds as the IMM tick, which took the ratio to 3.02 (15 runs) until the
// output stopped reading the probabilities out of the packed estimates (IMM tick
// 0.96×). Before the structured kernel and the compact copies it was 3.2. On this
// session's EPYC VM, with BenchmarkIMMOverCV (one IMM tick alternating with one CV
// tick, the median ratio of neighbouring ticks), the starting version gave 2.95 (five
// runs of 60 pairs, range 2.86–3.00); the shared-R gating then made both ticks faster
// by about half a millisecond, which raised the ratio to 3.05 (3.01–3.10), until the
// IMM tracks of a 2-D position sensor were updated by the CV path's loop, which
// gathers the columns' compact records before the updates instead of reading each
// detection's key in random order: IMM update stage 0.82–0.85×, tick 0.93–0.94×
// (same-process A/Bs of 900 ticks), and the ratio 2.86 (five runs, range 2.85–2.87,
// against 3.08 for the previous build in alternate runs; the IMM tick 18.5 ms against
// 6.4 ms).
// Tried for the IMM and backed out as within the noise: the combined marginals on
// small arrays (0.996× and 0.9985×), four sums in the finiteness check of a predicted
// mode (0.997×); and as slower, the mixing summed per element over the modes (1.03×).
// A steady-state IMM tick allocates nothing.
package correlate
