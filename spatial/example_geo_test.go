package spatial_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/trackcorr/trackcorr/spatial"
)

// The worked example of EPSG Guidance Note 7-2 (method 9602), both ways.
func ExampleGeodeticToECEF() {
	g := spatial.FromDegrees(53+48.0/60+33.820/3600, 2+7.0/60+46.380/3600, 73)
	p, err := spatial.GeodeticToECEF(g)
	if err != nil {
		panic(err)
	}
	fmt.Printf("X %.3f  Y %.3f  Z %.3f m\n", p[0], p[1], p[2])

	back, err := spatial.ECEFToGeodetic(p)
	if err != nil {
		panic(err)
	}
	lat, lon := back.Degrees()
	fmt.Printf("lat %.8f°  lon %.8f°  h %.3f m\n", lat, lon, back.Height)
	// Output:
	// X 3771793.968  Y 140253.342  Z 5124304.349 m
	// lat 53.80939444°  lon 2.12955000°  h 73.000 m
}

// Bad input returns a typed error naming the quantity.
func ExampleGeodeticToECEF_badInput() {
	_, err := spatial.GeodeticToECEF(spatial.Geodetic{Lat: 2})
	fmt.Println(errors.Is(err, spatial.ErrLatitude))
	fmt.Println(err)
	// Output:
	// true
	// spatial: latitude out of range: latitude = 2
}

// A local ENU frame about a site: positions and covariances both ways.
func ExampleNewFrame() {
	site, err := spatial.NewFrame(spatial.FromDegrees(55, 5, 200), spatial.ENU)
	if err != nil {
		panic(err)
	}
	p := spatial.ECEF{3771793.968, 140253.342, 5124304.349}
	enu := site.ToLocal(p)
	fmt.Printf("E %.3f  N %.3f  U %.3f m\n", enu[0], enu[1], enu[2])

	// A covariance of 10 m along ECEF X only, seen from the site.
	c := spatial.Mat3{100, 0, 0, 0, 0.01, 0, 0, 0, 0.01}
	lc := site.CovToLocal(&c)
	fmt.Printf("σE %.2f  σN %.2f  σU %.2f m, trace %.2f m²\n", math.Sqrt(lc[0]), math.Sqrt(lc[4]), math.Sqrt(lc[8]), lc.Trace())
	// Output:
	// E -189013.869  N -128642.040  U -4220.171 m
	// σE 0.88  σN 8.16  σU 5.71 m, trace 100.02 m²
}

// A radar at a geodetic position converts a detection into ECEF with its covariance;
// the tracker works in ECEF and predicts measurements with their Jacobian.
func ExampleSensor_ConvertRangeAzEl() {
	radar, err := spatial.NewSensor(spatial.FromDegrees(52, 4, 30), spatial.Attitude{Yaw: 0})
	if err != nil {
		panic(err)
	}
	m := spatial.RangeAzEl{
		Range: 60e3, Azimuth: math.Pi / 2, Elevation: 0.1, // 60 km due east, 0.1 rad up
		RangeVar: 30 * 30, AzimuthVar: 1e-3 * 1e-3, ElevationVar: 1e-3 * 1e-3,
	}
	p, cov, err := radar.ConvertRangeAzEl(m, spatial.Unbiased)
	if err != nil {
		panic(err)
	}
	site, err := spatial.NewFrame(radar.Position(), spatial.ENU)
	if err != nil {
		panic(err)
	}
	enu, enuCov := site.ToLocalCov(p, &cov)
	fmt.Printf("E %.0f  N %.0f  U %.0f m\n", enu[0], enu[1], enu[2])
	fmt.Printf("σE %.1f  σN %.1f  σU %.1f m\n", math.Sqrt(enuCov[0]), math.Sqrt(enuCov[4]), math.Sqrt(enuCov[8]))

	z, h, err := radar.PredictRangeAzEl(p)
	if err != nil {
		panic(err)
	}
	fmt.Printf("range %.1f m  azimuth %.4f rad  elevation %.4f rad, ∂range/∂X %.3f\n", z[0], z[1], z[2], h.At(0, 0))
	// Output:
	// E 59700  N 0  U 5990 m
	// σE 30.4  σN 59.7  σU 59.8 m
	// range 60000.1 m  azimuth 1.5708 rad  elevation 0.1000 rad, ∂range/∂X -0.008
}

// A bearing-only sensor gives a line of sight, not a position.
func ExampleSensor_LineOfSight() {
	esm, err := spatial.NewSensor(spatial.FromDegrees(0, 0, 0), spatial.Attitude{})
	if err != nil {
		panic(err)
	}
	dir, _, err := esm.LineOfSight(spatial.Bearing{Azimuth: 0, Elevation: 0, AzimuthVar: 1e-4, ElevationVar: 1e-4})
	if err != nil {
		panic(err)
	}
	// At 0°N 0°E, north is ECEF +Z.
	fmt.Printf("%.3f %.3f %.3f\n", dir[0], dir[1], dir[2])
	// Output:
	// 0.000 0.000 1.000
}
