package spatial

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGateBadInput(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	good := func() (Tracks, Detections) {
		return Tracks{
				Z:   []float64{0, 0, 100, 100},
				Cov: []float64{4, 1, 1, 4, 9, 0, 0, 9},
			}, Detections{
				Z:   []float64{1, 1, 100, 102, 50, 50},
				Cov: []float64{2, 0, 0, 2, 2, 0.5, 0.5, 2, 1, 0, 0, 1},
			}
	}
	cases := []struct {
		name   string
		edit   func(*Tracks, *Detections)
		err    error
		set    string // "" when no item is to blame
		index  int
		shared bool
	}{
		{"track z NaN", func(t *Tracks, d *Detections) { t.Z[3] = nan }, ErrNonFinite, "track", 1, false},
		{"track z Inf", func(t *Tracks, d *Detections) { t.Z[0] = -inf }, ErrNonFinite, "track", 0, false},
		{"track cov Inf", func(t *Tracks, d *Detections) { t.Cov[4] = inf }, ErrNonFinite, "track", 1, false},
		{"track cov NaN off-diagonal", func(t *Tracks, d *Detections) { t.Cov[1], t.Cov[2] = nan, nan }, ErrNonFinite, "track", 0, false},
		{"track cov indefinite", func(t *Tracks, d *Detections) { t.Cov[1], t.Cov[2] = 5, 5 }, ErrNotPositiveDefinite, "track", 0, false},
		{"track cov singular", func(t *Tracks, d *Detections) { t.Cov[5], t.Cov[6], t.Cov[7] = 9, 9, 9 }, ErrNotPositiveDefinite, "track", 1, false},
		{"track cov negative variance", func(t *Tracks, d *Detections) { t.Cov[0] = -4 }, ErrNotPositiveDefinite, "track", 0, false},
		{"track cov zero", func(t *Tracks, d *Detections) { clear(t.Cov[4:]) }, ErrNotPositiveDefinite, "track", 1, false},
		{"track cov asymmetric", func(t *Tracks, d *Detections) { t.Cov[1] = 1.5 }, ErrNotSymmetric, "track", 0, false},
		{"detection z NaN", func(t *Tracks, d *Detections) { d.Z[4] = nan }, ErrNonFinite, "detection", 2, false},
		{"detection cov NaN", func(t *Tracks, d *Detections) { d.Cov[8] = nan }, ErrNonFinite, "detection", 2, false},
		{"detection cov indefinite", func(t *Tracks, d *Detections) { d.Cov[5], d.Cov[6] = 3, 3 }, ErrNotPositiveDefinite, "detection", 1, false},
		{"detection cov asymmetric", func(t *Tracks, d *Detections) { d.Cov[6] = 0.4 }, ErrNotSymmetric, "detection", 1, false},
		{"shared R indefinite", func(t *Tracks, d *Detections) { d.Cov = []float64{1, 2, 2, 1} }, ErrNotPositiveDefinite, "detection", -1, true},
		{"shared R Inf", func(t *Tracks, d *Detections) { d.Cov = []float64{inf, 0, 0, 1} }, ErrNonFinite, "detection", -1, true},
		{"track Z odd length", func(t *Tracks, d *Detections) { t.Z = t.Z[:3] }, ErrLength, "", 0, false},
		{"track Cov short", func(t *Tracks, d *Detections) { t.Cov = t.Cov[:7] }, ErrLength, "", 0, false},
		{"detection Cov wrong length", func(t *Tracks, d *Detections) { d.Cov = d.Cov[:8] }, ErrLength, "", 0, false},
	}
	for _, kind := range []Kind{KindAuto, KindBrute, KindGrid, KindRTree} {
		for _, c := range cases {
			t.Run(kind.String()+"/"+c.name, func(t *testing.T) {
				g, err := NewGater(Config{Index: kind})
				require.NoError(t, err)
				tr, de := good()
				before, err := g.Gate(nil, tr, de)
				require.NoError(t, err)
				require.Len(t, before, 2)
				stats := g.Stats()

				bt, bd := good()
				c.edit(&bt, &bd)
				inT, inD := f64bits(bt.Z), f64bits(bd.Cov)
				dst := []Pair{{Track: 7, Det: 7, D2: 7}}
				out, err := g.Gate(dst, bt, bd)
				require.ErrorIs(t, err, c.err)
				assert.Equal(t, []Pair{{Track: 7, Det: 7, D2: 7}}, out, "dst unchanged")
				assert.Equal(t, inT, f64bits(bt.Z), "input unchanged")
				assert.Equal(t, inD, f64bits(bd.Cov), "input unchanged")
				var ie *ItemError
				if c.set == "" {
					assert.False(t, errors.As(err, &ie))
				} else {
					require.ErrorAs(t, err, &ie)
					assert.Equal(t, c.set, ie.Set)
					assert.Equal(t, c.index, ie.Index)
				}
				assert.Equal(t, stats, g.Stats(), "stats of the last good call kept")

				after, err := g.Gate(nil, tr, de) // still usable, same answer
				require.NoError(t, err)
				assert.Equal(t, before, after)
			})
		}
	}
}

// f64bits returns the bit patterns of v, so that NaNs compare equal to themselves.
func f64bits(v []float64) []uint64 {
	out := make([]uint64, len(v))
	for i, x := range v {
		out[i] = math.Float64bits(x)
	}
	return out
}

func TestNewGaterBadConfig(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
	}{
		{"dim 1", Config{Dim: 1}},
		{"dim 4", Config{Dim: 4}},
		{"probability 1", Config{Probability: 1}},
		{"probability negative", Config{Probability: -0.5}},
		{"probability NaN", Config{Probability: math.NaN()}},
		{"threshold negative", Config{Threshold: -1}},
		{"threshold NaN", Config{Threshold: math.NaN()}},
		{"threshold Inf", Config{Threshold: math.Inf(1)}},
		{"unknown kind", Config{Index: KindRTree + 1}},
		{"unknown set", Config{Indexed: SetDetections + 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := NewGater(c.cfg)
			require.ErrorIs(t, err, ErrConfig)
			require.Nil(t, g)
		})
	}
}

func TestNewGaterThreshold(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want float64
	}{
		// Chi-square quantiles from standard tables.
		{"2-D default 0.99", Config{}, 9.2103},
		{"3-D 0.99", Config{Dim: 3, Probability: 0.99}, 11.3449},
		{"2-D 0.95", Config{Probability: 0.95}, 5.9915},
		{"explicit", Config{Threshold: 16, Probability: 0.5}, 16},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := NewGater(c.cfg)
			require.NoError(t, err)
			assert.InDelta(t, c.want, g.Threshold(), 1e-4)
		})
	}
}

// TestGateExtremeCoordinates: finite but huge coordinates and variances do not panic
// and give the brute-force answer.
func TestGateExtremeCoordinates(t *testing.T) {
	tr := Tracks{Z: []float64{1.7e308, 0, -1.7e308, 1e300, 0, 0}, Cov: []float64{1e300, 0, 0, 1e300, 1, 0, 0, 1, 1e-300, 0, 0, 1e-300}}
	de := Detections{Z: []float64{1.7e308, 1, -1.7e308, 1e300, 0, 0, 3, 3}, Cov: []float64{1, 0, 0, 1}}
	var want []Pair
	for _, kind := range []Kind{KindBrute, KindGrid, KindRTree} {
		for _, s := range []Set{SetTracks, SetDetections} {
			g, err := NewGater(Config{Index: kind, Indexed: s})
			require.NoError(t, err)
			got, err := g.Gate(nil, tr, de)
			require.NoError(t, err)
			if want == nil {
				want = got
				require.Len(t, want, 3)
			}
			assert.Equal(t, want, got, "%v/%v", kind, s)
		}
	}
}

func TestGateEmptyBatches(t *testing.T) {
	g, err := NewGater(Config{})
	require.NoError(t, err)
	tr := Tracks{Z: []float64{0, 0}, Cov: []float64{1, 0, 0, 1}}
	de := Detections{Cov: []float64{1, 0, 0, 1}}
	got, err := g.Gate(nil, tr, de)
	require.NoError(t, err)
	assert.Empty(t, got)
	got, err = g.Gate(nil, Tracks{}, Detections{Z: []float64{0, 0}, Cov: []float64{1, 0, 0, 1}})
	require.NoError(t, err)
	assert.Empty(t, got)
	assert.Equal(t, 1, g.Stats().Detections)
}

// FuzzGate: arbitrary values for two tracks and three detections never panic; bad ones
// give a sentinel error and leave dst alone; good ones give the brute-force answer
// with every index.
func FuzzGate(f *testing.F) {
	f.Add(0.0, 0.0, 4.0, 1.0, 4.0, 1.0, 1.0, 2.0, 0.0, 2.0, 3.0, false)
	f.Add(1e300, -1e300, 1e-300, 0.0, 1e-300, 1e300, 1.0, 2.0, 0.0, 2.0, 1e9, true)
	f.Add(math.NaN(), 0.0, 4.0, 1.0, 4.0, 1.0, 1.0, 2.0, 0.0, 2.0, 3.0, true)
	f.Add(0.0, 0.0, 4.0, 5.0, 4.0, 1.0, 1.0, 2.0, 0.0, 2.0, 3.0, false)
	f.Fuzz(func(t *testing.T, x, y, pxx, pxy, pyy, zx, zy, rxx, rxy, ryy, spread float64, perDetR bool) {
		tr := Tracks{
			Z:   []float64{x, y, x + spread, y - spread},
			Cov: []float64{pxx, pxy, pxy, pyy, pyy, pxy, pxy, pxx},
		}
		de := Detections{
			Z:   []float64{zx, zy, x + zx, y + zy, x + spread, y - spread},
			Cov: []float64{rxx, rxy, rxy, ryy},
		}
		if perDetR {
			de.Cov = append(de.Cov, ryy, rxy, rxy, rxx, rxx, 0, 0, ryy)
		}
		var want []Pair
		var wantErr error
		for i, kind := range []Kind{KindBrute, KindGrid, KindRTree, KindAuto} {
			for _, s := range []Set{SetTracks, SetDetections} {
				g, err := NewGater(Config{Index: kind, Indexed: s})
				require.NoError(t, err)
				dst := []Pair{{Track: -1}}
				got, err := g.Gate(dst, tr, de)
				if err != nil {
					require.True(t, errors.Is(err, ErrNonFinite) || errors.Is(err, ErrNotPositiveDefinite) ||
						errors.Is(err, ErrNotSymmetric), "%v", err)
					require.Equal(t, []Pair{{Track: -1}}, got)
				} else {
					for _, p := range got[1:] {
						require.LessOrEqual(t, p.D2, g.Threshold())
					}
				}
				if i == 0 && s == SetTracks {
					want, wantErr = got, err
					continue
				}
				require.Equal(t, wantErr == nil, err == nil)
				require.Equal(t, want, got, "%v/%v", kind, s)
			}
		}
	})
}
