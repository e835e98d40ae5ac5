package kalman

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sameBits reports whether two states are bit-for-bit identical.
func sameBits(a, b *State) bool {
	if a.n != b.n {
		return false
	}
	for i := range a.x {
		if math.Float64bits(a.x[i]) != math.Float64bits(b.x[i]) {
			return false
		}
	}
	for i := range a.p {
		for j := range a.p[i] {
			if math.Float64bits(a.p[i][j]) != math.Float64bits(b.p[i][j]) {
				return false
			}
		}
	}
	return true
}

func TestNewStateValidation(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		name string
		x, p []float64
		want error
	}{
		{"empty", nil, nil, ErrDimension},
		{"too large", make([]float64, MaxDim+1), make([]float64, (MaxDim+1)*(MaxDim+1)), ErrDimension},
		{"cov length", []float64{1, 2}, []float64{1, 0, 0}, ErrDimension},
		{"NaN mean", []float64{nan, 2}, []float64{1, 0, 0, 1}, ErrNonFinite},
		{"Inf cov", []float64{1, 2}, []float64{1, 0, 0, inf}, ErrNonFinite},
		{"NaN cov", []float64{1, 2}, []float64{1, nan, nan, 1}, ErrNonFinite},
		{"asymmetric", []float64{1, 2}, []float64{1, 0.5, 0.4, 1}, ErrNotPositiveDefinite},
		{"indefinite", []float64{1, 2}, []float64{1, 2, 2, 1}, ErrNotPositiveDefinite},
		{"negative variance", []float64{1, 2}, []float64{-1, 0, 0, 1}, ErrNotPositiveDefinite},
		{"singular", []float64{1, 2}, []float64{1, 1, 1, 1}, ErrNotPositiveDefinite},
		{"zero", []float64{1}, []float64{0}, ErrNotPositiveDefinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewState(tt.x, tt.p)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestStateAccessorsAndCopy(t *testing.T) {
	s, err := NewState([]float64{1, 2}, []float64{4, 1, 1 + 1e-12, 9})
	require.NoError(t, err)
	assert.Equal(t, 2, s.Dim())
	assert.Equal(t, []float64{7, 1, 2}, s.Mean([]float64{7}))
	cov := s.Cov(nil)
	assert.Equal(t, cov[1], cov[2], "stored covariance is symmetrised")
	assert.InDelta(t, 1+0.5e-12, s.CovAt(0, 1), 1e-15)
	assert.Equal(t, 2.0, s.MeanAt(1))
	assert.Panics(t, func() { s.MeanAt(2) })
	assert.Panics(t, func() { s.CovAt(0, -1) })

	c := s // deep copy
	require.NoError(t, c.SetMean([]float64{5, 6}))
	require.NoError(t, c.SetCov([]float64{1, 0, 0, 1}))
	assert.Equal(t, []float64{1, 2}, s.Mean(nil))
	assert.Equal(t, 4.0, s.CovAt(0, 0))

	before := s
	for _, p := range [][]float64{{1, 0, 0}, {1, 2, 2, 1}, {math.NaN(), 0, 0, 1}} {
		assert.Error(t, s.SetCov(p))
		assert.True(t, sameBits(&before, &s), "SetCov error left the state changed")
	}
	assert.ErrorIs(t, s.SetMean([]float64{1}), ErrDimension)
	assert.ErrorIs(t, s.SetMean([]float64{1, math.Inf(-1)}), ErrNonFinite)
	assert.True(t, sameBits(&before, &s))
	assert.True(t, errors.Is(s.SetCov([]float64{1}), ErrDimension))
	assert.Contains(t, s.String(), "State{x: [1 2]")
}

func TestWrapAngle(t *testing.T) {
	for _, tt := range []struct{ in, want float64 }{
		{0, 0}, {math.Pi, math.Pi}, {-math.Pi, -math.Pi}, {3 * math.Pi / 2, -math.Pi / 2},
		{-3 * math.Pi / 2, math.Pi / 2}, {7, 7 - 2*math.Pi}, {-20, -20 + 6*math.Pi},
	} {
		assert.InDelta(t, tt.want, WrapAngle(tt.in), 1e-12, "WrapAngle(%v)", tt.in)
	}
	assert.True(t, math.IsNaN(WrapAngle(math.Inf(1))))
}

func TestStatePackUnpack(t *testing.T) {
	s, err := NewState([]float64{1, -2, 3, 0.5}, []float64{
		4, 1, 0.5, 0,
		1, 9, 0, 0.25,
		0.5, 0, 2, 0.1,
		0, 0.25, 0.1, 3,
	})
	require.NoError(t, err)
	buf := s.Pack(make([]float64, 0, StatePackedLen(4)))
	require.Len(t, buf, StatePackedLen(4))
	var u State
	require.NoError(t, u.Unpack(buf, 4))
	assert.True(t, sameBits(&s, &u), "round trip")

	tests := []struct {
		name string
		edit func(b []float64) ([]float64, int)
		want error
	}{
		{"short", func(b []float64) ([]float64, int) { return b[:len(b)-1], 4 }, ErrDimension},
		{"dimension", func(b []float64) ([]float64, int) { return b, MaxDim + 1 }, ErrDimension},
		{"NaN", func(b []float64) ([]float64, int) { b[1] = math.NaN(); return b, 4 }, ErrNonFinite},
		{"Inf", func(b []float64) ([]float64, int) { b[6] = math.Inf(-1); return b, 4 }, ErrNonFinite},
		{"variance", func(b []float64) ([]float64, int) { b[4+4] = 0; return b, 4 }, ErrNotPositiveDefinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, n := tt.edit(append([]float64(nil), buf...))
			v := u
			err := v.Unpack(b, n)
			assert.ErrorIs(t, err, tt.want)
			assert.True(t, sameBits(&u, &v), "unchanged on error")
		})
	}
}

func TestStatePackUnpackDims(t *testing.T) {
	for _, n := range []int{1, 3, 4, 6, MaxDim} {
		x := make([]float64, n)
		p := make([]float64, n*n)
		for i := range x {
			x[i] = 0.5 + float64(i)
			p[i*n+i] = 2 + float64(i)
			if i > 0 {
				p[i*n+i-1], p[(i-1)*n+i] = 0.3, 0.3
			}
		}
		s, err := NewState(x, p)
		require.NoError(t, err)
		buf := s.Pack(make([]float64, 0, StatePackedLen(n)))
		require.Len(t, buf, StatePackedLen(n), "n = %d", n)
		short := s.Pack(nil) // no spare capacity: the general path
		assert.Equal(t, buf, short, "n = %d", n)
		var u State
		require.NoError(t, u.Unpack(buf, n))
		assert.True(t, sameBits(&s, &u), "n = %d", n)
	}
}
