package spatial

import (
	"errors"
	"math"
	"testing"
)

func allFinite(xs ...float64) bool {
	for _, x := range xs {
		if !finite(x) {
			return false
		}
	}
	return true
}

// FuzzGeodetic: no panic; inside the domain the conversion succeeds, is finite and
// round-trips within 1 mm; outside it returns a GeoError wrapping a sentinel.
func FuzzGeodetic(f *testing.F) {
	f.Add(0.0, 0.0, 0.0)
	f.Add(math.Pi/2, math.Pi, 10e3)
	f.Add(-math.Pi/2, -math.Pi, -1e3)
	f.Add(0.9, 0.03, 73.0)
	f.Add(math.NaN(), 0.0, 0.0)
	f.Add(2.0, 0.0, 0.0)
	f.Add(0.1, 1e300, 0.0)
	f.Fuzz(func(t *testing.T, lat, lon, h float64) {
		g := Geodetic{Lat: lat, Lon: lon, Height: h}
		p, err := GeodeticToECEF(g)
		inDomain := allFinite(lat, lon, h) && math.Abs(lat) <= math.Pi/2 && h >= MinHeight && h <= MaxHeight
		if !inDomain {
			var ge *GeoError
			if !errors.As(err, &ge) || p != (ECEF{}) {
				t.Fatalf("%+v: want a GeoError and zero output, got %v, %v", g, p, err)
			}
			return
		}
		if err != nil || !allFinite(p[:]...) {
			t.Fatalf("%+v: %v, %v", g, p, err)
		}
		back, err := ECEFToGeodetic(p)
		if err != nil {
			// Only points closer than MinRadius to the centre are rejected.
			if !errors.Is(err, ErrOutOfDomain) || math.Sqrt(p[0]*p[0]+p[1]*p[1]+p[2]*p[2]) >= MinRadius {
				t.Fatalf("%+v → %v: %v", g, p, err)
			}
			return
		}
		p2, err := GeodeticToECEF(back)
		if err != nil || !allFinite(back.Lat, back.Lon, back.Height) {
			t.Fatalf("%+v → %+v: %v", g, back, err)
		}
		// 1 mm up to 10,000 km (the documented bound); relative 1e-12 beyond.
		if d := p.Dist(p2); d > math.Max(1e-3, 1e-12*math.Abs(h)) {
			t.Fatalf("%+v: round trip off by %g m", g, d)
		}
	})
}

// FuzzECEF: no panic; finite output for every accepted point.
func FuzzECEF(f *testing.F) {
	f.Add(6378137.0, 0.0, 0.0)
	f.Add(0.0, 0.0, 6356752.3)
	f.Add(0.0, 0.0, 0.0)
	f.Add(30000.0, 30000.0, 0.0)
	f.Add(-1e9, 1.0, -1.0)
	f.Fuzz(func(t *testing.T, x, y, z float64) {
		g, err := ECEFToGeodetic(ECEF{x, y, z})
		if err != nil {
			if g != (Geodetic{}) {
				t.Fatalf("error with non-zero output %+v", g)
			}
			return
		}
		if !allFinite(g.Lat, g.Lon, g.Height) || math.Abs(g.Lat) > math.Pi/2 || math.Abs(g.Lon) > math.Pi {
			t.Fatalf("(%g, %g, %g) → %+v", x, y, z, g)
		}
	})
}
