// Package spatial holds the geometry of trackcorr: the gating index that finds the
// (track, detection) pairs worth scoring, and (see the geodesy section) the frames in
// which tracks live.
//
// spatial imports nothing of trackcorr; it takes plain float64 slices.
//
// # Gating
//
// A Gater finds, for one batch of predicted tracks and one batch of detections, every
// pair whose squared Mahalanobis distance is within a chi-square gate, without comparing
// all pairs. It is documented in detail on the Gater type; the rest of this section is
// completed as the implementation lands.
package spatial
