package t2t

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzRound feeds arbitrary reports (decoded from bytes) to a warmed-up Correlator:
// no panic, every error wraps a sentinel, and a rejected round leaves the state as it
// was.
func FuzzRound(f *testing.F) {
	seed := make([]byte, 0, 256)
	for _, v := range []float64{1, 1000, 10, 0, 5, 100, 0, 0, 0, 1, 0, 0, 0, 0, 100, 0, 0, 0, 0, 1} {
		seed = binary.LittleEndian.AppendUint64(seed, math.Float64bits(v))
	}
	f.Add(seed, uint8(1), uint8(3), int64(2e9))
	f.Add(seed[:40], uint8(2), uint8(0), int64(-5))
	f.Fuzz(func(t *testing.T, data []byte, src, track uint8, when int64) {
		c, err := New(Config{})
		require.NoError(t, err)
		defer c.Close()
		_, err = c.Round(nil, 1e9, []Report{goodReport(1, 1, 1e9), goodReport(2, 1, 1e9)})
		require.NoError(t, err)
		var rs []Report
		for len(data) >= 8*20 {
			r := Report{Key: Key{Source: uint32(src % 4), Track: uint64(track % 3)}, Time: when, Layout: CV2}
			for i := 0; i < 4; i++ {
				r.X[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
			}
			for i := 0; i < 16; i++ {
				r.P[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[32+8*i:]))
			}
			rs = append(rs, r)
			data = data[8*20:]
			src, track = src+1, track+2
		}
		before := snapshot(c)
		_, err = c.Round(nil, 3e9, rs)
		if err != nil {
			var re *ReportError
			require.True(t, errors.As(err, &re))
			require.True(t, errors.Is(err, ErrNonFinite) || errors.Is(err, ErrNotPositiveDefinite) ||
				errors.Is(err, ErrLayout) || errors.Is(err, ErrOutOfOrder) || errors.Is(err, ErrDuplicate), "%v", err)
			require.Equal(t, before, snapshot(c))
		}
		for _, tr := range c.Tracks(nil) {
			for i := 0; i < tr.Est.Dim; i++ {
				require.False(t, math.IsNaN(tr.Est.X[i]), "NaN in system track %d", tr.ID)
			}
		}
	})
}
