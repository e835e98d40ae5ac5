package spatial

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// benchGeodetic returns a fixed set of positions over the whole Earth, heights −1 km to
// 10 km, so the benchmarks do not measure one favourable point.
func benchGeodetic() []Geodetic {
	rng := rand.New(rand.NewPCG(42, 42))
	out := make([]Geodetic, 1024)
	for i := range out {
		out[i] = Geodetic{Lat: math.Asin(2*rng.Float64() - 1), Lon: math.Pi * (2*rng.Float64() - 1), Height: -1e3 + 11e3*rng.Float64()}
	}
	return out
}

func BenchmarkGeodeticToECEF(b *testing.B) {
	in := benchGeodetic()
	var sink ECEF
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p, err := GeodeticToECEF(in[i&1023])
		if err != nil {
			b.Fatal(err)
		}
		sink[0] += p[0]
		i++
	}
}

func BenchmarkECEFToGeodetic(b *testing.B) {
	g := benchGeodetic()
	in := make([]ECEF, len(g))
	for i := range g {
		in[i], _ = GeodeticToECEF(g[i])
	}
	var sink float64
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		out, err := ECEFToGeodetic(in[i&1023])
		if err != nil {
			b.Fatal(err)
		}
		sink += out.Height
		i++
	}
}

// BenchmarkFrameToLocalCov converts an ECEF position and its covariance into a local
// ENU frame (one subtraction, one rotation, one R·P·Rᵀ), beside the same computation
// with gonum matrices and every workspace preallocated, so one run shows the ratio.
func BenchmarkFrameToLocalCov(b *testing.B) {
	f, err := NewFrame(FromDegrees(48, 11, 500), ENU)
	if err != nil {
		b.Fatal(err)
	}
	g := benchGeodetic()
	in := make([]ECEF, len(g))
	for i := range g {
		in[i], _ = GeodeticToECEF(g[i])
	}
	c := Mat3{400, 30, -20, 30, 900, 10, -20, 10, 2500}
	b.Run("impl=mat3", func(b *testing.B) {
		var sink float64
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			l, lc := f.ToLocalCov(in[i&1023], &c)
			sink += l[0] + lc[0]
			i++
		}
	})
	b.Run("impl=gonum", func(b *testing.B) {
		r := f.Rotation()
		o := f.OriginECEF()
		rd := mat.NewDense(3, 3, r[:])
		rdT := rd.T()
		cd := mat.NewDense(3, 3, c[:])
		d := mat.NewVecDense(3, nil)
		l := mat.NewVecDense(3, nil)
		tmp := mat.NewDense(3, 3, nil)
		lc := mat.NewDense(3, 3, nil)
		var sink float64
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			p := in[i&1023]
			for j := 0; j < 3; j++ {
				d.SetVec(j, p[j]-o[j])
			}
			l.MulVec(rd, d)
			tmp.Mul(rd, cd)
			lc.Mul(tmp, rdT)
			sink += l.AtVec(0) + lc.At(0, 0)
			i++
		}
	})
}
