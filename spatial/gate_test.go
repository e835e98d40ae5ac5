package spatial

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

var allConfigs = func() []Config {
	var cs []Config
	for _, k := range []Kind{KindAuto, KindBrute, KindGrid, KindRTree} {
		for _, s := range []Set{SetAuto, SetTracks, SetDetections} {
			cs = append(cs, Config{Index: k, Indexed: s})
		}
	}
	return cs
}()

// checkAgainstRef asserts that got holds exactly the reference pairs: sorted by
// (track, detection), same pairs, d² within 1e-9 relative. A pair may differ only if
// its d² lies within 1e-9 relative of γ (a rounding tie); ties are counted and must be
// rare.
func checkAgainstRef(t *testing.T, got, ref []Pair, gamma float64) (ties int) {
	t.Helper()
	const rel = 1e-9
	for k := 1; k < len(got); k++ {
		if !pairLess(got[k-1], got[k]) {
			t.Fatalf("pairs %d, %d out of order: %v %v", k-1, k, got[k-1], got[k])
		}
	}
	i, j := 0, 0
	for i < len(got) || j < len(ref) {
		switch {
		case j == len(ref) || (i < len(got) && pairLess(got[i], ref[j])):
			t.Fatalf("extra pair %v, not in the reference (γ %v)", got[i], gamma)
		case i == len(got) || pairLess(ref[j], got[i]):
			if !(math.Abs(ref[j].D2-gamma) <= rel*gamma) {
				t.Fatalf("missing pair %v (γ %v)", ref[j], gamma)
			}
			ties++
			j++
		default:
			if !(math.Abs(ref[j].D2-got[i].D2) <= rel*ref[j].D2) || !(got[i].D2 <= gamma) {
				t.Fatalf("d² of %v: reference %v, γ %v", got[i], ref[j].D2, gamma)
			}
			i++
			j++
		}
	}
	return ties
}

func pairLess(a, b Pair) bool {
	return a.Track < b.Track || (a.Track == b.Track && a.Det < b.Det)
}

func TestGateMatchesBruteForceSmallScenes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ties := 0
	for n := range 120 {
		sc := randomScene(rng, 200, uint64(n))
		tr, de := sc.make()
		var ref []Pair
		for _, cfg := range allConfigs {
			cfg.Dim = sc.m
			g, err := NewGater(cfg)
			require.NoError(t, err)
			if ref == nil {
				ref = refPairs(tr, de, sc.m, g.Threshold(), 1e-9)
			}
			got, err := g.Gate(nil, tr, de)
			require.NoError(t, err)
			ties += checkAgainstRef(t, got, ref, g.Threshold())
			for _, p := range got { // second reference: gonum's Cholesky solve
				if ref := gonumD2(tr, de, sc.m, int(p.Track), int(p.Det)); !(math.Abs(ref-p.D2) <= 1e-9*ref) {
					t.Fatalf("%v: gonum d² %v", p, ref)
				}
			}
			st := g.Stats()
			require.Equal(t, len(got), st.Pairs)
			require.NotEqual(t, KindAuto, st.Index)
		}
	}
	require.LessOrEqual(t, ties, 12, "rounding ties at the gate boundary")
}

func TestGateMatchesBruteForceLargeScenes(t *testing.T) {
	scenes := []gateScene{
		{nT: 10000, nD: 10000, m: 2, area: 10000, perDetR: true, bigFrac: 0.01, seed: 7},
		{nT: 10000, nD: 5000, m: 3, area: 10000, perDetR: false, bigFrac: 0.01, seed: 8},
		{nT: 10000, nD: 3000, m: 2, area: 10000, perDetR: false, bigFrac: 0.05, seed: 9},
	}
	if testing.Short() {
		scenes = scenes[2:]
	}
	configs := []Config{
		{}, {Index: KindGrid, Indexed: SetTracks}, {Index: KindGrid, Indexed: SetDetections},
		{Index: KindRTree, Indexed: SetTracks}, {Index: KindRTree, Indexed: SetDetections},
	}
	for _, sc := range scenes {
		t.Run(fmt.Sprintf("m=%d/%dx%d/perDetR=%v", sc.m, sc.nT, sc.nD, sc.perDetR), func(t *testing.T) {
			tr, de := sc.make()
			var ref, got []Pair
			ties := 0
			for _, cfg := range configs {
				cfg.Dim = sc.m
				g, err := NewGater(cfg)
				require.NoError(t, err)
				if ref == nil {
					ref = refPairs(tr, de, sc.m, g.Threshold(), 1e-9)
					require.Greater(t, len(ref), sc.nT/2, "gateScene too sparse to test anything")
				}
				got, err = g.Gate(got[:0], tr, de)
				require.NoError(t, err)
				ties += checkAgainstRef(t, got, ref, g.Threshold())
				t.Logf("%+v", g.Stats())
			}
			require.LessOrEqual(t, ties, 2)
		})
	}
}

// One R shared by the batch gives the same pairs as that R repeated for every
// detection, with the same d² to the bit (correlate hands the gater the shared form when
// a batch's covariances are all equal, and its output must not depend on it).
func TestGateSharedRSameAsPerDetection(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 60 {
		sc := randomScene(rng, 300, uint64(n))
		sc.perDetR = false
		tr, shared := sc.make()
		mm := sc.m * sc.m
		perDet := Detections{Z: shared.Z}
		for range shared.Len(sc.m) {
			perDet.Cov = append(perDet.Cov, shared.Cov[:mm]...)
		}
		for _, cfg := range allConfigs {
			cfg.Dim = sc.m
			g, err := NewGater(cfg)
			require.NoError(t, err)
			want, err := g.Gate(nil, tr, perDet)
			require.NoError(t, err)
			got, err := g.Gate(nil, tr, shared)
			require.NoError(t, err)
			require.Equal(t, len(want), len(got), "scene %d, %+v", n, cfg)
			for k := range got {
				require.Equal(t, want[k].Track, got[k].Track)
				require.Equal(t, want[k].Det, got[k].Det)
				require.Equal(t, math.Float64bits(want[k].D2), math.Float64bits(got[k].D2), "scene %d, %+v, pair %v", n, cfg, got[k])
			}
		}
	}
}

// TestGateBoxesContainGate checks the containment argument directly: for random
// covariances, the point of the gate ellipse of S = P + R farthest along each axis
// lies in the Minkowski sum of the track box and the detection box.
func TestGateBoxesContainGate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, m := range []int{2, 3} {
		g, err := NewGater(Config{Dim: m})
		require.NoError(t, err)
		for range 2000 {
			p := make([]float64, m*m)
			r := make([]float64, m*m)
			randCov(rng, m, 0.1, 100, p)
			randCov(rng, m, 0.1, 100, r)
			zt := make([]float64, m)
			zd := make([]float64, m)
			for k := range m {
				zt[k] = (rng.Float64() - 0.5) * 1e6
			}
			for k := range m {
				// Farthest point of {e : eᵀS⁻¹e = γ} along axis k: e = sqrt(γ/S_kk)·S e_k.
				f := math.Sqrt(g.Threshold() / (p[k*m+k] + r[k*m+k]))
				for a := range m {
					zd[a] = zt[a] + f*(p[a*m+k]+r[a*m+k])
				}
				got, err := g.Gate(nil, Tracks{Z: zt, Cov: p}, Detections{Z: zd, Cov: r})
				require.NoError(t, err)
				tb, db := g.tBox[0], g.dBox[0]
				require.True(t, tb.Intersects(db), "boxes of an extreme gate point do not meet")
				if m == 3 {
					require.LessOrEqual(t, math.Abs(zd[2]-zt[2]), g.tZ[0]+g.dZ[0])
				}
				require.InDelta(t, g.Threshold(), gonumD2(Tracks{Z: zt, Cov: p}, Detections{Z: zd, Cov: r}, m, 0, 0), 1e-6*g.Threshold())
				_ = got // on the boundary: in or out by rounding, either is right
			}
		}
	}
}

// TestGatePlan checks the automatic choice on the cases the cost model is for; every
// choice gives the same pairs (TestGateMatchesBruteForce*), so this is about speed only.
func TestGatePlan(t *testing.T) {
	mk := func(nT, nD int, seed uint64) (Tracks, Detections) {
		return gateScene{nT: nT, nD: nD, m: 2, area: 10000, seed: seed}.make()
	}
	cases := []struct {
		name     string
		nT, nD   int
		cfg      Config
		wantKind Kind
		wantSet  Set
	}{
		{"tiny batches: brute force", 3, 4, Config{}, KindBrute, SetAuto},
		{"equal batches: grid over detections", 5000, 5000, Config{}, KindGrid, SetDetections},
		{"few detections: grid over tracks", 5000, 50, Config{}, KindGrid, SetTracks},
		{"few tracks: grid over detections", 50, 5000, Config{}, KindGrid, SetDetections},
		{"forced R-tree, smaller batch indexed", 5000, 50, Config{Index: KindRTree}, KindRTree, SetDetections},
		{"forced set", 5000, 50, Config{Indexed: SetDetections}, KindGrid, SetDetections},
		{"forced both", 50, 50, Config{Index: KindGrid, Indexed: SetTracks}, KindGrid, SetTracks},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := NewGater(c.cfg)
			require.NoError(t, err)
			tr, de := mk(c.nT, c.nD, 5)
			_, err = g.Gate(nil, tr, de)
			require.NoError(t, err)
			st := g.Stats()
			require.Equal(t, c.wantKind, st.Index)
			require.Equal(t, c.wantSet, st.Indexed)
		})
	}
	t.Run("R-tree kept when it holds the unchanged batch", func(t *testing.T) {
		tr, de := mk(5000, 5000, 6)
		g, err := NewGater(Config{Index: KindRTree, Indexed: SetTracks})
		require.NoError(t, err)
		_, err = g.Gate(nil, tr, de) // the R-tree now holds the track boxes
		require.NoError(t, err)
		g.cfg = Config{}                               // automatic from here on
		few := Detections{Z: de.Z[:2*20], Cov: de.Cov} // 20 detections
		_, err = g.Gate(nil, tr, few)
		require.NoError(t, err)
		st := g.Stats()
		require.Equal(t, KindRTree, st.Index)
		require.Equal(t, SetTracks, st.Indexed)
		require.False(t, st.RTreeRebuilt)
		tr2, _ := mk(5000, 5000, 7) // all boxes moved: no longer worth it
		_, err = g.Gate(nil, tr2, few)
		require.NoError(t, err)
		require.Equal(t, KindGrid, g.Stats().Index, "%+v", g.Stats())
	})
}

// TestGateMovingMatchesBruteForce: tick after tick of moving targets (movingScene), the
// R-tree updated in place or rebuilt, the grid and the automatic choice give exactly
// the reference pairs.
func TestGateMovingMatchesBruteForce(t *testing.T) {
	for _, sc := range []gateScene{
		{nT: 1500, nD: 1500, m: 2, area: 10000, bigFrac: 0.02, seed: 21},
		{nT: 1200, nD: 1200, m: 3, area: 10000, perDetR: true, bigFrac: 0.02, seed: 22},
	} {
		t.Run(fmt.Sprintf("m=%d", sc.m), func(t *testing.T) {
			ms := newMovingScene(sc, 15, 1)
			var gs []*Gater
			for _, cfg := range []Config{
				{}, {Index: KindGrid}, {Index: KindRTree},
				{Index: KindRTree, Indexed: SetTracks}, {Index: KindRTree, Indexed: SetDetections},
			} {
				cfg.Dim = sc.m
				g, err := NewGater(cfg)
				require.NoError(t, err)
				gs = append(gs, g)
			}
			updated, ties := 0, 0
			var got []Pair
			for range 12 {
				ms.step()
				ref := refPairs(ms.t, ms.d, sc.m, gs[0].Threshold(), 1e-9)
				for _, g := range gs {
					var err error
					got, err = g.Gate(got[:0], ms.t, ms.d)
					require.NoError(t, err)
					ties += checkAgainstRef(t, got, ref, g.Threshold())
					if st := g.Stats(); st.Index == KindRTree && !st.RTreeRebuilt {
						updated++
					}
				}
			}
			require.Positive(t, updated, "the R-tree was never updated in place")
			require.LessOrEqual(t, ties, 2)
		})
	}
}
