package correlate

import (
	"fmt"
	"math"
	"time"

	"github.com/trackcorr/trackcorr/spatial"
	"gonum.org/v1/gonum/stat/distuv"
)

// OOSPolicy says what the tracker does with a scan that is older than what it has
// already processed.
type OOSPolicy uint8

const (
	// Reject returns an error wrapping ErrOutOfOrder and leaves the tracker unchanged
	// (the default).
	Reject OOSPolicy = iota
	// Drop ignores the scan, counts it in Stats.Dropped and returns nil.
	Drop
	// Reorder holds scans in a bounded buffer and processes them in time order once
	// a scan at least Config.MaxLag newer has arrived (or Flush is called). A scan
	// older than what has already been processed is dropped and counted.
	Reorder
)

// Initiation selects how tracks are started.
type Initiation uint8

const (
	// OnePoint starts a tentative track from one detection with a zero velocity of
	// standard deviation Config.InitSpeedSigma per axis (the default); the Kalman
	// filter refines it from the next detections.
	OnePoint Initiation = iota
	// TwoPoint starts a tentative track from one detection with a velocity of up to
	// Config.MaxSpeed (its gate at the next scan covers every speed up to MaxSpeed), and
	// on its second detection replaces the Kalman update by two-point differencing:
	// x = z₂, v = (z₂ − z₁)/Δt, with Cov(x) = R₂, Cov(x, v) = R₂/Δt,
	// Cov(v) = (R₁ + R₂)/Δt², no prior involved.
	TwoPoint
)

// Logic selects the confirmation and deletion test of tentative tracks.
type Logic uint8

const (
	// MofN confirms a tentative track when M of its last N scans associated a detection
	// with it and deletes it as soon as that can no longer happen (the default).
	MofN Logic = iota
	// SPRT confirms a tentative track when its log-likelihood ratio reaches
	// log((1-β)/α) and deletes it when it falls to log(β/(1-α)) (Wald's sequential
	// probability ratio test with Config.Alpha and Config.Beta).
	SPRT
	// Existence is the track logic of JIPDA: each track carries the probability that
	// its target exists (Track.Existence), which enters the association costs and is
	// updated with the association probabilities; a track is confirmed when it reaches
	// Config.ConfirmExistence and deleted when it falls to Config.DeleteExistence. It
	// needs Association AssociateJPDA.
	Existence
)

// Association selects how the built-in update applies the associator's weights.
type Association uint8

const (
	// AssociateGNN updates each track with its one candidate of weight above 0.5, if
	// any (global nearest neighbour; the default). The built-in associator is GNN.
	AssociateGNN Association = iota
	// AssociateJPDA updates each gated track with all its candidates at once, weighted
	// by their association probabilities (the probabilistic data association update,
	// moment-matched over the association hypotheses). The built-in associator is
	// JPDA, configured by Config.JPDA.
	AssociateJPDA
)

// String names the association.
func (a Association) String() string {
	switch a {
	case AssociateGNN:
		return "gnn"
	case AssociateJPDA:
		return "jpda"
	}
	return "unknown"
}

// Config holds the settings of a Tracker. Zero fields mean the documented defaults,
// which are those of the project's reference runs (the interchange scenarios).
type Config struct {
	// Axes is the number of spatial axes of the nearly-constant-velocity motion model:
	// 2 ([x, vx, y, vy]) or 3 ([x, vx, y, vy, z, vz]). Zero means 2.
	Axes int
	// Q is the white-acceleration spectral density of the motion model, m²/s³. Zero
	// means 0.1.
	Q float64
	// GateProbability is the probability P_G that a target's detection falls inside its
	// gate; the gate is d² ≤ ChiSquared{K: m}.Quantile(P_G). Zero means 0.99.
	GateProbability float64
	// Pd is the default detection probability of every sensor, in (0, 1). Zero means 0.9.
	Pd float64
	// ClutterDensity is the default false-alarm density per unit measurement volume
	// (per m² for 2-D positions). Zero means 1e-5 (the reference scenarios: N/10 false
	// alarms over 10,000 m² per target).
	ClutterDensity float64
	// NewTargetDensity is the density of new, not yet tracked targets per unit
	// measurement volume. Zero means 1e-6.
	NewTargetDensity float64
	// Logic selects the confirmation test of tentative tracks (MofN by default).
	Logic Logic
	// Association selects GNN (the default) or JPDA association and update.
	Association Association
	// JPDA configures the built-in JPDA associator (Association AssociateJPDA, no
	// Config.Associator); its Workers zero means Config.Workers.
	JPDA JPDAConfig
	// Survival is the probability that a target survives from one scan to the next
	// (Logic Existence), in (0, 1]. Zero means 0.99.
	Survival float64
	// ConfirmExistence is the existence probability at which Logic Existence confirms
	// a tentative track; a track is deleted when its existence falls to
	// DeleteExistence times the highest it has had. 0 < DeleteExistence <
	// ConfirmExistence < 1; zero means 0.99 and 0.01.
	ConfirmExistence, DeleteExistence float64
	// ConfirmM and ConfirmN are the M-of-N confirmation: M associations within the first
	// N scans of a tentative track (its creation included). Zero means M = 3, N = 4:
	// confirmed after 3 associations, deleted after a second miss. M = N = 3 is the
	// logic the Stone Soup reference runs describe (deleted after the first miss). On
	// the shared interchange scenarios (TestInterchangeScenarios) 3-of-4 lowers the mean
	// GOSPA of the single-sensor n100-seed7 from 29.87 to 28.71, below Stone Soup's
	// 28.87, and leaves the three-sensor n100s3-seed8 at 17.66 (3-of-3: 17.60; Stone
	// Soup: 18.54).
	// 1 ≤ M ≤ N ≤ 32.
	ConfirmM, ConfirmN int
	// Alpha and Beta are the SPRT's false-confirmation and missed-deletion
	// probabilities in (0, 0.5). Zero means 0.01 and 0.01.
	Alpha, Beta float64
	// DeleteAfter deletes a track without an associated detection for longer than this.
	// Zero means 3.5 s.
	DeleteAfter time.Duration
	// MaxPositionVariance deletes a track whose predicted position variance (the trace
	// of the position block of P, m²) exceeds it. Zero means no limit.
	MaxPositionVariance float64
	// Initiation selects OnePoint (default) or TwoPoint initiation.
	Initiation Initiation
	// MaxSpeed is TwoPoint's largest target speed, m/s. Zero means 50.
	MaxSpeed float64
	// Filter selects the filter of every track: CV (the default) or IMM.
	Filter Filter
	// IMM configures the IMM filter (Filter = IMM); it is ignored otherwise.
	IMM IMMConfig
	// InitSpeedSigma is the standard deviation of the velocity prior of a track
	// started from one detection, m/s per axis. Zero means 10.
	InitSpeedSigma float64
	// BatchWindow splits a scan whose detections span a longer time into sub-batches of
	// detections within BatchWindow of the first of the batch; each sub-batch is gated at
	// its last detection's time and every detection updates at its own time. Zero means
	// 10 ms.
	BatchWindow time.Duration
	// OutOfOrder is the out-of-sequence policy (Reject by default).
	OutOfOrder OOSPolicy
	// MaxLag is the Reorder policy's holding time. Zero means 1 s.
	MaxLag time.Duration
	// ReorderCapacity bounds the number of scans held by Reorder; when it is full the
	// oldest is processed. Zero means 64.
	ReorderCapacity int
	// History is the number of past posterior states kept per track, in a ring (the
	// newest replace the oldest); read them with Tracker.History. Zero keeps none. Each
	// costs 8·(n+1) bytes per track slot (40 bytes in 2-D).
	History int
	// Workers is the number of goroutines used by the assignment solver, the caller's
	// included. Zero means 1. Output does not depend on it.
	Workers int
	// Origin is the geodetic origin of the tracking frame (local ENU), needed by sensors
	// registered with a Geodetic position.
	Origin *spatial.Geodetic
	// Sensors are the sensors whose scans the tracker accepts.
	Sensors []Sensor

	// Stage overrides: nil means the built-in stage.

	// Gater finds the candidate (track, detection) pairs.
	Gater Gater
	// Associator chooses the association among the candidates.
	Associator Associator
	// Predictor predicts the tracks; Updater updates them with their detections. Either
	// one set moves every prediction and update onto the staged path, which calls the
	// stages once per batch on the caller's goroutine (the other stage being the
	// built-in filter's: KalmanPredictor or KalmanUpdater over kalman.NewCV(Axes, Q)).
	// They need Filter CV (an IMM is its own predictor and updater).
	Predictor Predictor
	Updater   Updater
	// Initiator starts tracks from the unassociated detections (under it, bearings may
	// start tracks too); nil means Initiation's built-in stage.
	Initiator Initiator
	// Deleter may end or keep tracks after the built-in track logic; nil keeps the
	// logic's decisions.
	Deleter Deleter
}

// resolved is a Config with defaults applied and derived constants.
type resolved struct {
	Config
	gamma      map[int]float64 // gate threshold per measurement dimension
	deleteNS   int64
	windowNS   int64
	maxLagNS   int64
	logConfirm float64 // SPRT thresholds
	logDelete  float64
}

func (c *Config) resolve() (resolved, error) {
	r := resolved{Config: *c}
	r.Sensors = append([]Sensor(nil), c.Sensors...)
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	if r.Axes == 0 {
		r.Axes = 2
	}
	def(&r.Q, 0.1)
	def(&r.GateProbability, 0.99)
	def(&r.Pd, 0.9)
	def(&r.ClutterDensity, 1e-5)
	def(&r.NewTargetDensity, 1e-6)
	def(&r.InitSpeedSigma, 10)
	def(&r.MaxSpeed, 50)
	def(&r.Alpha, 0.01)
	def(&r.Beta, 0.01)
	def(&r.Survival, 0.99)
	def(&r.ConfirmExistence, 0.99)
	def(&r.DeleteExistence, 0.01)
	if r.ConfirmM == 0 && r.ConfirmN == 0 {
		r.ConfirmM, r.ConfirmN = 3, 4
	}
	if r.DeleteAfter == 0 {
		r.DeleteAfter = 3500 * time.Millisecond
	}
	if r.BatchWindow == 0 {
		r.BatchWindow = 10 * time.Millisecond
	}
	if r.MaxLag == 0 {
		r.MaxLag = time.Second
	}
	if r.ReorderCapacity == 0 {
		r.ReorderCapacity = 64
	}
	if r.Workers == 0 {
		r.Workers = 1
	}
	bad := func(format string, a ...any) (resolved, error) {
		return resolved{}, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, a...)...)
	}
	pos := func(v float64) bool { return v > 0 && !math.IsInf(v, 1) }
	switch {
	case r.Axes != 2 && r.Axes != 3:
		return bad("Axes %d, want 2 or 3", r.Axes)
	case !pos(r.Q):
		return bad("Q %v", r.Q)
	case !(r.GateProbability > 0 && r.GateProbability < 1):
		return bad("GateProbability %v", r.GateProbability)
	case !(r.Pd > 0 && r.Pd < 1):
		return bad("Pd %v", r.Pd)
	case !pos(r.ClutterDensity):
		return bad("ClutterDensity %v", r.ClutterDensity)
	case !pos(r.NewTargetDensity):
		return bad("NewTargetDensity %v", r.NewTargetDensity)
	case !pos(r.InitSpeedSigma):
		return bad("InitSpeedSigma %v", r.InitSpeedSigma)
	case !pos(r.MaxSpeed) || r.Initiation > TwoPoint:
		return bad("Initiation %d, MaxSpeed %v", r.Initiation, r.MaxSpeed)
	case r.Logic > Existence:
		return bad("Logic %d", r.Logic)
	case r.Association > AssociateJPDA:
		return bad("Association %d", r.Association)
	case r.Logic == Existence && r.Association != AssociateJPDA:
		return bad("Logic Existence needs Association AssociateJPDA")
	case !(r.Survival > 0 && r.Survival <= 1):
		return bad("Survival %v", r.Survival)
	case !(r.DeleteExistence > 0 && r.DeleteExistence < r.ConfirmExistence && r.ConfirmExistence < 1):
		return bad("DeleteExistence %v, ConfirmExistence %v", r.DeleteExistence, r.ConfirmExistence)
	case r.ConfirmM < 1 || r.ConfirmN < r.ConfirmM || r.ConfirmN > 32:
		return bad("ConfirmM %d, ConfirmN %d", r.ConfirmM, r.ConfirmN)
	case !(r.Alpha > 0 && r.Alpha < 0.5) || !(r.Beta > 0 && r.Beta < 0.5):
		return bad("Alpha %v, Beta %v", r.Alpha, r.Beta)
	case r.DeleteAfter < 0 || r.BatchWindow < 0 || r.MaxLag < 0:
		return bad("negative duration")
	case !(r.MaxPositionVariance >= 0) || math.IsInf(r.MaxPositionVariance, 1):
		return bad("MaxPositionVariance %v", r.MaxPositionVariance)
	case r.OutOfOrder > Reorder:
		return bad("OutOfOrder %d", r.OutOfOrder)
	case r.ReorderCapacity < 0:
		return bad("ReorderCapacity %d", r.ReorderCapacity)
	case r.History < 0 || r.History > 1<<16:
		return bad("History %d", r.History)
	case r.Workers < 0 || r.Workers > 1024:
		return bad("Workers %d", r.Workers)
	case len(r.Sensors) == 0:
		return bad("no sensors")
	case (r.Predictor != nil || r.Updater != nil) && r.Filter != CV:
		return bad("a Predictor or Updater stage needs Filter CV")
	}
	if err := r.resolveIMM(); err != nil {
		return resolved{}, err
	}
	var frame *spatial.Frame
	if r.Origin != nil {
		f, err := spatial.NewFrame(*r.Origin, spatial.ENU)
		if err != nil {
			return bad("Origin: %v", err)
		}
		frame = &f
	}
	r.gamma = map[int]float64{}
	for i := range r.Sensors {
		s := &r.Sensors[i]
		for j := range i {
			if r.Sensors[j].ID == s.ID {
				return bad("sensor %d registered twice", s.ID)
			}
		}
		m := s.Kind.gateDim()
		if m == 0 {
			return bad("sensor %d: unknown measurement kind %d", s.ID, s.Kind)
		}
		if m > r.Axes {
			return bad("sensor %d: %v needs Axes ≥ %d", s.ID, s.Kind, m)
		}
		if s.Geodetic != nil {
			if frame == nil {
				return bad("sensor %d: a geodetic position needs Config.Origin", s.ID)
			}
			e, err := spatial.GeodeticToECEF(*s.Geodetic)
			if err != nil {
				return bad("sensor %d: %v", s.ID, err)
			}
			s.Position = frame.ToLocal(e)
		}
		if s.RangeRate && s.Kind != RangeBearing && s.Kind != RangeAzEl {
			return bad("sensor %d: range rate with %v", s.ID, s.Kind)
		}
		for _, v := range s.Position {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return bad("sensor %d: position %v", s.ID, s.Position)
			}
		}
		if s.Pd == 0 {
			s.Pd = r.Pd
		}
		if s.ClutterDensity == 0 {
			s.ClutterDensity = r.ClutterDensity
		}
		if !(s.Pd > 0 && s.Pd < 1) || !pos(s.ClutterDensity) {
			return bad("sensor %d: Pd %v, ClutterDensity %v", s.ID, s.Pd, s.ClutterDensity)
		}
		if _, ok := r.gamma[m]; !ok {
			r.gamma[m] = distuv.ChiSquared{K: float64(m)}.Quantile(r.GateProbability)
		}
	}
	r.deleteNS = int64(r.DeleteAfter)
	r.windowNS = int64(r.BatchWindow)
	r.maxLagNS = int64(r.MaxLag)
	r.logConfirm = math.Log((1 - r.Beta) / r.Alpha)
	r.logDelete = math.Log(r.Beta / (1 - r.Alpha))
	return r, nil
}
