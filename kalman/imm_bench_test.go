package kalman

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

// BenchmarkIMM is one IMM predict+update (dt = 1 s) with two modes, the straight-line
// mode (CTConfig.ZeroRate) and the coordinated turn on the 5-state layout
// [x, vx, y, vy, ω], and a 2-D position measurement; the combined estimate is not
// formed (IMMState.Combined is benchmarked separately).
func BenchmarkIMM(b *testing.B) {
	cv := NewCT(CTConfig{Q: 0.1, QRate: 1e-6, ZeroRate: true})
	ct := NewCT(CTConfig{Q: 0.1, QRate: 1e-4})
	trans := []float64{0.95, 0.05, 0.05, 0.95}
	h := NewPosition(5, []int{0, 2}, nil)
	R := []float64{900, 0, 0, 900}
	x0 := []float64{1000, 100, 2000, 10, 0.01}
	p0 := diagRaw(100, 10, 100, 10, 1e-4)
	z := []float64{1105, 2008}
	// cycle times one predict+update of f from the same prior each iteration.
	cycle := func(b *testing.B, f *IMM) {
		s1, err := NewState(x0, p0)
		if err != nil {
			b.Fatal(err)
		}
		s0, err := NewIMMState(s1, []float64{0.7, 0.3})
		if err != nil {
			b.Fatal(err)
		}
		var s IMMState
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			s = s0
			if err := f.Predict(&s, 1); err != nil {
				b.Fatal(err)
			}
			if _, err := f.Update(&s, h, z, R); err != nil {
				b.Fatal(err)
			}
			n++
		}
		reportTracks(b, n)
	}
	b.Run("CV+CT_5x2", func(b *testing.B) {
		f, err := NewIMM([]Motion{cv, ct}, trans, Config{})
		if err != nil {
			b.Fatal(err)
		}
		cycle(b, f)
	})
	b.Run("CV+CT_5x2/unscented_modes", func(b *testing.B) {
		f, err := NewUnscentedIMM([]Motion{cv, ct}, trans, UKFConfig{})
		if err != nil {
			b.Fatal(err)
		}
		cycle(b, f)
	})
	b.Run("CV+CT_5x2/gonum_reference", func(b *testing.B) {
		rh := pkgRefMeasure(h, R)
		P0 := mat.NewSymDense(5, p0)
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			r := refIMM{
				modes: []refMotion{pkgRefMotion(cv), pkgRefMotion(ct)},
				trans: [][]float64{trans[:2], trans[2:]},
				x:     [][]float64{x0, x0},
				P:     []*mat.SymDense{P0, P0},
				mu:    []float64{0.7, 0.3},
			}
			r.predict(1)
			if _, ok := r.update(rh, z); !ok {
				b.Fatal("reference update failed")
			}
			n++
		}
		reportTracks(b, n)
	})
	b.Run("Combined_5", func(b *testing.B) {
		f, err := NewIMM([]Motion{cv, ct}, trans, Config{})
		if err != nil {
			b.Fatal(err)
		}
		s1, err := NewState(x0, p0)
		if err != nil {
			b.Fatal(err)
		}
		s, err := NewIMMState(s1, []float64{0.7, 0.3})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Predict(&s, 1); err != nil {
			b.Fatal(err)
		}
		var c State
		b.ReportAllocs()
		for b.Loop() {
			c = s.Combined()
		}
		_ = c
	})
}
