package correlate

import (
	"fmt"

	"github.com/trackcorr/trackcorr/correlate/assign"
	"github.com/trackcorr/trackcorr/spatial"
)

// Gater finds the candidate (track, detection) pairs of one batch. It is called once
// per batch, never per pair. tracks holds the predicted measurements ẑ and the track
// parts H P Hᵀ of the innovation covariances of the batch's tracks, dets the
// detections and their noise covariances, all in m = dim components (see
// spatial.Tracks and spatial.Detections). It appends to dst the pairs with their
// squared Mahalanobis distance d² on S = H P Hᵀ + R, ordered by track then detection,
// and returns the extended slice. The tracker gives it validated input; an error
// means a programmer error or a diverged track and fails the batch's gating.
type Gater interface {
	Gate(dst []spatial.Pair, dim int, tracks spatial.Tracks, dets spatial.Detections) ([]spatial.Pair, error)
}

// Associator chooses the association of one batch. p is the gated problem in the
// tracking form of package assign: rows are tracks, columns detections, p.Cost[k] is
// the negative log-likelihood ratio of candidate k, p.Miss[i] the cost of track i
// missing, p.New[j] the cost of detection j being clutter or a new target (see the
// package documentation for the model). Associate writes into w[k] (len(w) =
// len(p.Col)) the weight of candidate k in [0, 1], the weights of a row and of a
// column summing to at most 1. GNN writes 0 or 1. The built-in updater applies the
// candidate of weight above 0.5 of each track, if any.
type Associator interface {
	Associate(w []float64, p *assign.Sparse) error
}

// DefaultGater is the built-in Gater: a spatial.Gater per measurement dimension
// with the tracker's gate probability.
type DefaultGater struct {
	g [4]*spatial.Gater
}

var _ Gater = (*DefaultGater)(nil)

// NewDefaultGater returns the built-in Gater with gate probability p (zero means 0.99).
func NewDefaultGater(p float64) (*DefaultGater, error) {
	d := &DefaultGater{}
	for m := 2; m <= 3; m++ {
		g, err := spatial.NewGater(spatial.Config{Dim: m, Probability: p})
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConfig, err)
		}
		d.g[m] = g
	}
	return d, nil
}

// Gate implements Gater for dim 2 and 3.
func (d *DefaultGater) Gate(dst []spatial.Pair, dim int, tracks spatial.Tracks, dets spatial.Detections) ([]spatial.Pair, error) {
	if dim < 2 || dim > 3 {
		return dst, fmt.Errorf("%w: gating dimension %d", ErrDimension, dim)
	}
	return d.g[dim].Gate(dst, tracks, dets)
}

// GNN is the built-in global-nearest-neighbour Associator: the assignment of least
// total cost, found by assign.Solver on the decomposed problem.
type GNN struct {
	s   *assign.Solver
	res assign.Result
	// Components is the number of independent components of the last problem.
	Components int
}

var _ Associator = (*GNN)(nil)

// NewGNN returns a GNN associator whose solver uses the given number of workers
// (the caller's goroutine included; zero means 1). Close stops them.
func NewGNN(workers int) (*GNN, error) {
	s, err := assign.NewSolver(assign.Config{Workers: workers})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return &GNN{s: s}, nil
}

// Associate implements Associator with weights 0 or 1.
func (g *GNN) Associate(w []float64, p *assign.Sparse) error {
	if err := g.s.Solve(&g.res, p); err != nil {
		return err
	}
	g.Components = g.s.Components()
	for i := 0; i < p.Rows; i++ {
		c := g.res.RowCol[i]
		for k := p.Start[i]; k < p.Start[i+1]; k++ {
			w[k] = 0
			if p.Col[k] == c {
				w[k] = 1
				c = -2 // a duplicated column gets one weight only
			}
		}
	}
	return nil
}

// Close stops the solver's goroutines.
func (g *GNN) Close() error { return g.s.Close() }
