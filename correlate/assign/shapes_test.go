package assign

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// splitProblem returns a random problem of at least parRows rows of one of the shapes
// that stress the split into components and the parallel load: one giant component, all singletons, long chains
// numbered forwards and backwards, clusters whose rows and columns are scattered over
// the whole index range (so that components span the workers' shards and their roots
// sit far from most of their rows), and gated geometric scenes. Every shape has rows
// without candidates and columns without rows; half are in the tracking form (a dummy
// column per row).
func splitProblem(r *rand.Rand, it int) (string, *Sparse) {
	n := parRows + r.IntN(2*parRows)
	var p *Sparse
	var name string
	build := func(m int, cands func(i int) []int32) *Sparse {
		q := &Sparse{Rows: n, Cols: m, Start: make([]int32, n+1)}
		for i := 0; i < n; i++ {
			if r.IntN(20) != 0 { // 1 row in 20 has no candidate
				for _, j := range cands(i) {
					q.Col = append(q.Col, j)
					q.Cost = append(q.Cost, r.Float64()*4)
				}
			}
			q.Start[i+1] = int32(len(q.Col))
		}
		return q
	}
	switch it % 6 {
	case 0:
		name = "giant"
		m := n + r.IntN(n/4) // many columns without rows among them
		p = build(m, func(int) []int32 {
			c := make([]int32, 1+r.IntN(4))
			for k := range c {
				c[k] = int32(r.IntN(m))
			}
			return c
		})
	case 1:
		name = "singletons"
		m := n + r.IntN(n)
		perm := r.Perm(m)
		p = build(m, func(i int) []int32 { return []int32{int32(perm[i])} })
	case 2:
		name = "chain"
		back := r.IntN(2) == 0
		p = build(n+1, func(i int) []int32 {
			if back {
				i = n - 1 - i
			}
			return []int32{int32(i + 1), int32(i)}
		})
	case 3:
		name = "clusters"
		groups := 1 + r.IntN(n/3)
		m := n + r.IntN(n/2)
		group := make([]int, m) // the group of each column
		members := make([][]int32, groups)
		for j := range group {
			group[j] = r.IntN(groups)
			members[group[j]] = append(members[group[j]], int32(j))
		}
		p = build(m, func(int) []int32 {
			g := members[r.IntN(groups)]
			if len(g) == 0 {
				return nil
			}
			c := make([]int32, 1+r.IntN(3))
			for k := range c {
				c[k] = g[r.IntN(len(g))]
			}
			return c
		})
	case 4:
		name = "geometric"
		p = geometric(uint64(it), n, 0.3, 0.3+1.7*r.Float64())
		p = dropColumns(r, p, 0.2)
	case 5:
		name = "geometric-gate2"
		p = geometric(uint64(it), n, 0.3, 2) // one giant component
	}
	if it%12 >= 6 {
		p = withTracking(p, 0, 0)
		for i := range p.Miss {
			p.Miss[i] = 4 * r.Float64()
		}
		for j := range p.New {
			p.New[j] = 4 * r.Float64()
		}
		name += "-tracking"
	}
	return name, p
}

// TestSolverShapes: on problems large enough for every worker to load a shard of the
// rows, of the shapes of splitProblem, the Solver's Result is the same bit for bit with
// 1, 2, 3 and 4 workers, and so is the number of components.
func TestSolverShapes(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	one := newSolvers(t, 1)[0]
	solvers := newSolvers(t, 2, 3, 4)
	var want, got, ref Result
	for it := 0; it < 48; it++ {
		name, p := splitProblem(r, it)
		require.NoError(t, one.Solve(&want, p))
		// against a fresh undecomposed solve: the reused solvers leave nothing behind
		var w Workspace
		require.NoError(t, w.Solve(&ref, p))
		require.Equal(t, ref.Pairs, want.Pairs, "problem %d (%s)", it, name)
		require.InDelta(t, ref.Cost, want.Cost, 1e-9*max(1, math.Abs(ref.Cost)), "problem %d (%s)", it, name)
		for _, s := range solvers {
			msg := fmt.Sprintf("problem %d (%s, %d rows), %d workers", it, name, p.Rows, s.workers)
			require.NoError(t, s.Solve(&got, p))
			require.Equal(t, want.RowCol, got.RowCol, msg)
			require.Equal(t, want.ColRow, got.ColRow, msg)
			require.Equal(t, want.Pairs, got.Pairs, msg)
			require.Equal(t, math.Float64bits(want.Cost), math.Float64bits(got.Cost), msg)
			require.Equal(t, one.Components(), s.Components(), msg)
		}
	}
}

// One Solver reused over problems that grow and shrink, some with a giant component
// (whose searches leave the column records to be reset by the next Solve) and some
// large enough to reach columns the previous problem did not have, in both forms:
// every Result agrees with a fresh undecomposed solve.
func TestSolverReuseAcrossSizes(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	solvers := newSolvers(t, 1, 2)
	var got, ref Result
	sizes := []int{6000, 40, 9000, 300, 12000, 25, 7000}
	for round := 0; round < 2; round++ {
		for it, n := range sizes {
			gate := 0.6
			if it%2 == 0 {
				gate = 2 // one giant component
			}
			p := geometric(uint64(100*round+it), n, 0.3, gate)
			if round == 1 {
				p = withTracking(p, 0, 0)
				for i := range p.Miss {
					p.Miss[i] = 4 * r.Float64()
				}
				for j := range p.New {
					p.New[j] = 4 * r.Float64()
				}
			}
			var w Workspace
			require.NoError(t, w.Solve(&ref, p))
			for _, s := range solvers {
				msg := fmt.Sprintf("round %d, problem %d (%d rows), %d workers", round, it, n, s.workers)
				require.NoError(t, s.Solve(&got, p), msg)
				require.Equal(t, ref.Pairs, got.Pairs, msg)
				require.InDelta(t, ref.Cost, got.Cost, 1e-9*max(1, math.Abs(ref.Cost)), msg)
			}
		}
	}
}
