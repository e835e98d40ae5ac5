package kalman

import "fmt"

// Measurement is a measurement model z = h(x) + v, v ~ N(0, R), where R is given with
// each update (it usually belongs to the sensor or the detection).
//
// Measure and Jacobian are called with x holding a state of dimension StateDim(); they
// write the first Dim() entries (rows) of dst in full and must not retain the pointers
// they are given. The models of this package also carry a specialised projection kernel
// (for example the selection structure of Position) chosen by the filter through the
// model's concrete type, which is fixed when the model is built; a user-written
// Measurement uses the general dense kernel.
type Measurement interface {
	// Dim returns the measurement dimension m (1..MaxMeas).
	Dim() int
	// StateDim returns the state dimension n the model applies to.
	StateDim() int
	// Linear reports whether h is linear in x (Jacobian independent of x).
	Linear() bool
	// Angles returns a bit mask of the measurement components that are angles in
	// radians: bit i set means component i is an angle, whose innovation the filters
	// wrap to [-π, π] and whose mean a sigma-point filter must take on the circle.
	Angles() uint8
	// Measure writes the predicted measurement h(x) into dst.
	Measure(dst *MVec, x *Vec)
	// Jacobian writes H = ∂h/∂x evaluated at x into dst (m rows, n columns).
	Jacobian(dst *HMat, x *Vec)
}

// projector is implemented by measurement models with a structure-specific projection:
// it writes ẑ, H, H P Hᵀ (into p.s, without R) and P Hᵀ (into p.pht) for state s.
type projector interface {
	project(p *Predicted, s *State)
}

// Position is the linear measurement of any subset of the state components (usually
// positions), relative to a sensor offset: z_i = x[idx_i] - offset_i. Its Jacobian is
// the selection matrix; the filters use a kernel that only reads the selected rows and
// columns of the covariance.
type Position struct {
	n, m   int
	idx    [MaxMeas]int
	offset MVec
}

var (
	_ Measurement = (*Position)(nil)
	_ projector   = (*Position)(nil)
)

// NewPosition returns the measurement of state components idx (1..MaxMeas distinct
// indices in [0, n)) of an n-dimensional state, minus offset (nil means zero, otherwise
// len(offset) == len(idx); metres for positions). For the 2-D CV layout [x, vx, y, vy]
// the position measurement is NewPosition(4, []int{0, 2}, nil). It panics on invalid
// arguments, which are programmer errors.
func NewPosition(n int, idx []int, offset []float64) *Position {
	if n < 1 || n > MaxDim {
		panic(fmt.Sprintf("kalman: NewPosition with state dimension %d", n))
	}
	if len(idx) < 1 || len(idx) > MaxMeas {
		panic(fmt.Sprintf("kalman: NewPosition with %d indices, want 1..%d", len(idx), MaxMeas))
	}
	if offset != nil && len(offset) != len(idx) {
		panic(fmt.Sprintf("kalman: NewPosition with %d offsets for %d indices", len(offset), len(idx)))
	}
	if !finiteSlice(offset) {
		panic("kalman: NewPosition with a non-finite offset")
	}
	p := &Position{n: n, m: len(idx)}
	for i, k := range idx {
		if k < 0 || k >= n {
			panic(fmt.Sprintf("kalman: NewPosition index %d out of range [0, %d)", k, n))
		}
		for _, k2 := range idx[:i] {
			if k2 == k {
				panic(fmt.Sprintf("kalman: NewPosition index %d repeated", k))
			}
		}
		p.idx[i] = k
	}
	copy(p.offset[:], offset)
	return p
}

// Dim returns the number of selected components.
func (h *Position) Dim() int { return h.m }

// StateDim returns n.
func (h *Position) StateDim() int { return h.n }

// Linear returns true.
func (h *Position) Linear() bool { return true }

// Angles returns 0: no component is an angle.
func (h *Position) Angles() uint8 { return 0 }

// Measure writes x[idx_i] - offset_i into dst.
func (h *Position) Measure(dst *MVec, x *Vec) {
	for i := 0; i < h.m; i++ {
		dst[i] = x[h.idx[i]] - h.offset[i]
	}
}

// Jacobian writes the selection matrix (H_i,idx_i = 1) into dst.
func (h *Position) Jacobian(dst *HMat, _ *Vec) {
	for i := 0; i < h.m; i++ {
		dst[i] = [MaxDim]float64{}
		dst[i][h.idx[i]] = 1
	}
}

func (h *Position) project(p *Predicted, s *State) {
	n, m := s.n, h.m
	for i := 0; i < m; i++ {
		ii := h.idx[i]
		p.zhat[i] = s.x[ii] - h.offset[i]
		for j := 0; j < m; j++ {
			p.s[i][j] = s.p[ii][h.idx[j]]
		}
		for r := 0; r < n; r++ {
			p.pht[r][i] = s.p[r][ii]
		}
	}
	if p.joseph {
		h.Jacobian(&p.h, nil)
	}
}
