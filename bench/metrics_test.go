package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pts(xy ...float64) []Point {
	var out []Point
	for i := 0; i < len(xy); i += 2 {
		out = append(out, Point{ID: int64(i / 2), X: xy[i], Y: xy[i+1]})
	}
	return out
}

func newScorer(t testing.TB, cfg GOSPAConfig) *Scorer {
	s, err := NewScorer(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestGOSPAByHand(t *testing.T) {
	s := newScorer(t, GOSPAConfig{C: 10, P: 2})
	tests := []struct {
		name        string
		truth, est  []Point
		want        GOSPA
		wantDistStr string
	}{
		{"both empty", nil, nil, GOSPA{}, "0"},
		// d = 5: localisation 25.
		{"one pair", pts(0, 0), pts(3, 4), GOSPA{Distance: 5, Localisation: 25, Assigned: 1}, "5"},
		// d = 30 ≥ c: one missed and one false, each c²/2 = 50; distance √100.
		{"too far", pts(0, 0), pts(30, 0), GOSPA{Distance: 10, Missed: 50, False: 50, MissedCount: 1, FalseCount: 1}, "10"},
		// A missed target alone: √50.
		{"missed", pts(0, 0), nil, GOSPA{Distance: math.Sqrt(50), Missed: 50, MissedCount: 1}, "7.07107"},
		// Two truths, one estimate near the second: (0,0) missed, (20,0)-(20,1) d = 1.
		{"mixed", pts(0, 0, 20, 0), pts(20, 1), GOSPA{Distance: math.Sqrt(51), Localisation: 1, Missed: 50, Assigned: 1, MissedCount: 1}, "7.14143"},
		// Crossing pairs: the assignment, not nearest neighbours, decides: truth (0,0), (4,0);
		// estimates (2,0), (6,0): pairs (0,0)-(2,0) and (4,0)-(6,0) cost 4 + 4 = 8, better than
		// (4,0)-(2,0) d=2 plus (0,0)-(6,0) d=6: 4 + 36.
		{"assignment", pts(0, 0, 4, 0), pts(2, 0, 6, 0), GOSPA{Distance: math.Sqrt(8), Localisation: 8, Assigned: 2}, "2.82843"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := s.GOSPA(tc.truth, tc.est)
			require.NoError(t, err)
			assert.InDelta(t, tc.want.Distance, g.Distance, 1e-12)
			assert.InDelta(t, tc.want.Localisation, g.Localisation, 1e-12)
			assert.Equal(t, tc.want.Missed, g.Missed)
			assert.Equal(t, tc.want.False, g.False)
			assert.Equal(t, tc.want.Assigned, g.Assigned)
			assert.Equal(t, tc.want.MissedCount, g.MissedCount)
			assert.Equal(t, tc.want.FalseCount, g.FalseCount)
			assert.Equal(t, tc.wantDistStr, fmt.Sprintf("%.6g", g.Distance))
		})
	}
}

func TestOSPAByHand(t *testing.T) {
	s := newScorer(t, GOSPAConfig{C: 5, P: 2})
	// X = {(0,0), (10,0)}, Y = {(0,1)}: n = 2, m = 1; best pair d = 1; one leftover at
	// c² = 25: OSPA = √((1 + 25)/2) = √13.
	o, err := s.OSPA(pts(0, 0, 10, 0), pts(0, 1))
	require.NoError(t, err)
	assert.InDelta(t, math.Sqrt(13), o, 1e-12)
	// A pair beyond c costs c^p: X = {(0,0)}, Y = {(9,0)}: OSPA = min(9, 5) = 5.
	o, err = s.OSPA(pts(0, 0), pts(9, 0))
	require.NoError(t, err)
	assert.InDelta(t, 5, o, 1e-12)
	o, err = s.OSPA(nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 0.0, o)
}

// bruteGOSPA enumerates every partial injective assignment of truth to estimates.
func bruteGOSPA(truth, est []Point, c, p float64) (gospa, ospa float64) {
	cp := math.Pow(c, p)
	used := make([]bool, len(est))
	bestG, bestO := math.Inf(1), math.Inf(1)
	var rec func(i int, g, o float64, k int)
	rec = func(i int, g, o float64, k int) {
		if i == len(truth) {
			bestG = math.Min(bestG, g+cp/2*float64(len(truth)+len(est)-2*k))
			if k == min(len(truth), len(est)) {
				bestO = math.Min(bestO, o)
			}
			return
		}
		rec(i+1, g, o, k) // truth i unassigned
		for j := range est {
			if used[j] {
				continue
			}
			d := math.Hypot(truth[i].X-est[j].X, truth[i].Y-est[j].Y)
			used[j] = true
			if d < c {
				rec(i+1, g+math.Pow(d, p), o+math.Pow(d, p), k+1)
			} else {
				// GOSPA never gains from pairing beyond c; OSPA pays c^p for it.
				rec(i+1, g+cp, o+cp, k+1)
			}
			used[j] = false
		}
	}
	rec(0, 0, 0, 0)
	n, m := max(len(truth), len(est)), min(len(truth), len(est))
	ospa = 0
	if n > 0 {
		ospa = math.Pow((bestO+cp*float64(n-m))/float64(n), 1/p)
	}
	return math.Pow(bestG, 1/p), ospa
}

func TestGOSPABruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, cfg := range []GOSPAConfig{{C: 10, P: 2}, {C: 3, P: 1}, {C: 7, P: 3}} {
		s := newScorer(t, cfg)
		for trial := range 400 {
			gen := func() []Point {
				n := rng.IntN(7)
				out := make([]Point, n)
				for i := range out {
					out[i] = Point{ID: int64(i), X: rng.Float64() * 20, Y: rng.Float64() * 20}
				}
				return out
			}
			truth, est := gen(), gen()
			wantG, wantO := bruteGOSPA(truth, est, cfg.C, cfg.P)
			g, err := s.GOSPA(truth, est)
			require.NoError(t, err)
			require.InDelta(t, wantG, g.Distance, 1e-9*(1+wantG), "cfg %+v trial %d", cfg, trial)
			require.InDelta(t, math.Pow(g.Distance, cfg.P), g.Localisation+g.Missed+g.False, 1e-9*(1+wantG))
			o, err := s.OSPA(truth, est)
			require.NoError(t, err)
			require.InDelta(t, wantO, o, 1e-9*(1+wantO), "cfg %+v trial %d", cfg, trial)
		}
	}
}

func TestGOSPAPermutationInvariant(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	s := newScorer(t, GOSPAConfig{})
	truth := make([]Point, 3000)
	est := make([]Point, 3100)
	for i := range truth {
		truth[i] = Point{ID: int64(i), X: rng.Float64() * 5000, Y: rng.Float64() * 5000}
	}
	for i := range est {
		est[i] = Point{ID: int64(i), X: rng.Float64() * 5000, Y: rng.Float64() * 5000}
		if i < len(truth) {
			est[i].X, est[i].Y = truth[i].X+rng.NormFloat64()*3, truth[i].Y+rng.NormFloat64()*3
		}
	}
	a, err := s.GOSPA(truth, est)
	require.NoError(t, err)
	rng.Shuffle(len(est), func(i, j int) { est[i], est[j] = est[j], est[i] })
	rng.Shuffle(len(truth), func(i, j int) { truth[i], truth[j] = truth[j], truth[i] })
	b, err := s.GOSPA(truth, est)
	require.NoError(t, err)
	assert.InDelta(t, a.Distance, b.Distance, 1e-9*a.Distance)
	assert.Equal(t, a.Assigned, b.Assigned)
}

func TestMetricBadInput(t *testing.T) {
	s := newScorer(t, GOSPAConfig{})
	_, err := s.GOSPA([]Point{{X: math.NaN()}}, nil)
	require.ErrorIs(t, err, ErrMetric)
	_, err = s.GOSPA(nil, []Point{{Y: math.Inf(1)}})
	require.ErrorIs(t, err, ErrMetric)
	for _, cfg := range []GOSPAConfig{{C: -1}, {P: 0.5}, {Dims: 4}, {C: math.NaN()}} {
		_, err := NewScorer(cfg)
		require.ErrorIs(t, err, ErrMetric, "%+v", cfg)
	}
	m, err := NewMOT(MOTConfig{})
	require.NoError(t, err)
	defer m.Close()
	require.ErrorIs(t, m.Add([]Point{{ID: 1}, {ID: 1}}, nil), ErrMetric)
	require.ErrorIs(t, m.Add(nil, []Point{{ID: 2}, {ID: 2}}), ErrMetric)
	sum, err := m.Summary()
	require.NoError(t, err)
	assert.Equal(t, 0, sum.Frames, "rejected frames are not counted")
	_, err = NewMOT(MOTConfig{Threshold: -1})
	require.ErrorIs(t, err, ErrMetric)
}

// A hand-worked sequence: two truth objects A (ID 1) and B (ID 2) over five frames.
//
//	frame 1: A←10, B←20                      2 matches
//	frame 2: A←10, B missed, false track 30   1 match, 1 FN, 1 FP
//	frame 3: A←20 (switch), B←10 (switch)     2 matches, 2 IDSW
//	frame 4: A←20, B←10                       2 matches
//	frame 5: A missed, B←10                   1 match, 1 FN
//
// GT = 10, matches 8, FN 2, FP 1, IDSW 2: MOTA = 1 − 5/10 = 0.5. Distances: every match
// at 1 m except frame 4's at 2 m: MOTP = (6·1 + 2·2)/8 = 1.25.
// Identity: frames in which each pair is within 10 m: (A,10)=2, (A,20)=2, (B,20)=1,
// (B,10)=3; track 30 is never near a truth. The best matching is A-20, B-10: IDTP = 5.
// Pred = 2+2+2+2+1 = 9: IDF1 = 2·5/(10+9), IDP = 5/9, IDR = 5/10.
// Fragmentation: B is interrupted at frame 2 and resumed at 3: 1; A's miss at frame 5 is
// not resumed: 0. Tracked fractions: A 4/5, B 4/5: both mostly tracked.
func TestMOTByHand(t *testing.T) {
	m, err := NewMOT(MOTConfig{Threshold: 10})
	require.NoError(t, err)
	defer m.Close()
	A, B := func(x float64) Point { return Point{ID: 1, X: x} }, func(x float64) Point { return Point{ID: 2, X: x, Y: 100} }
	est := func(id int64, x, y float64) Point { return Point{ID: id, X: x, Y: y} }
	frames := []struct{ truth, est []Point }{
		{[]Point{A(0), B(0)}, []Point{est(10, 1, 0), est(20, 1, 100)}},
		{[]Point{A(0), B(0)}, []Point{est(10, 1, 0), est(30, 500, 500)}},
		{[]Point{A(0), B(0)}, []Point{est(20, 1, 0), est(10, 1, 100)}},
		{[]Point{A(0), B(0)}, []Point{est(20, 2, 0), est(10, 2, 100)}},
		{[]Point{A(0), B(0)}, []Point{est(10, 1, 100)}},
	}
	for _, f := range frames {
		require.NoError(t, m.Add(f.truth, f.est))
	}
	s, err := m.Summary()
	require.NoError(t, err)
	assert.Equal(t, MOTSummary{Frames: 5, GT: 10, Pred: 9, Matches: 8, FP: 1, FN: 2, IDSW: 2,
		MOTA: 0.5, MOTP: 1.25, IDTP: 5, IDF1: 10.0 / 19, IDP: 5.0 / 9, IDR: 0.5, Frag: 1, MT: 2}, s)
}

// A matched truth keeps its estimate while it stays within the threshold, even when
// another estimate comes closer (the CLEAR MOT rule), so no identity switch is counted.
func TestMOTKeepsCorrespondence(t *testing.T) {
	m, err := NewMOT(MOTConfig{Threshold: 5})
	require.NoError(t, err)
	defer m.Close()
	truth := []Point{{ID: 1}}
	require.NoError(t, m.Add(truth, []Point{{ID: 7, X: 1}}))
	require.NoError(t, m.Add(truth, []Point{{ID: 7, X: 4}, {ID: 8, X: 0.5}}))
	s, err := m.Summary()
	require.NoError(t, err)
	assert.Equal(t, 0, s.IDSW)
	assert.Equal(t, 1, s.FP)
	assert.InDelta(t, 2.5, s.MOTP, 1e-12)
}
