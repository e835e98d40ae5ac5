package t2t_test

import (
	"fmt"

	"github.com/trackcorr/trackcorr/correlate/t2t"
)

// report builds a CV2 report [x, vx, y, vy] with position variance pv (m²) and velocity
// variance 1 m²/s².
func report(source uint32, track uint64, t int64, x, y, pv float64) t2t.Report {
	r := t2t.Report{Key: t2t.Key{Source: source, Track: track}, Time: t, Layout: t2t.CV2}
	r.X = [t2t.MaxDim]float64{x, 10, y, 0}
	r.P[0], r.P[5], r.P[10], r.P[15] = pv, 1, pv, 1
	return r
}

func ExampleCorrelator() {
	c, err := t2t.New(t2t.Config{Layout: t2t.CV2})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	const s = int64(1e9) // one second in nanoseconds

	// Two nations report the same aircraft under their own track numbers, and the
	// second one also reports an aircraft 5 km away.
	events, err := c.Round(nil, 1*s, []t2t.Report{
		report(1, 17, 1*s, 1000, 2000, 100),
		report(2, 4711, 1*s, 1008, 1994, 400),
		report(2, 4712, 1*s, 6000, 2000, 400),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range events {
		fmt.Println(e.Kind, e.System, e.Key.Source, e.Key.Track)
	}
	for _, tr := range c.Tracks(nil) {
		fmt.Printf("system %d: x %.1f m, y %.1f m, %d members %v\n",
			tr.ID, tr.Est.X[0], tr.Est.X[2], tr.Members, c.Members(nil, tr.ID))
	}
	// Source 1 is more accurate on every component (its covariance is below source
	// 2's), so covariance intersection keeps its estimate: ω = 1.

	// Output:
	// created 1 1 17
	// joined 1 2 4711
	// created 2 2 4712
	// system 1: x 1000.0 m, y 2000.0 m, 2 members [{1 17} {2 4711}]
	// system 2: x 6000.0 m, y 2000.0 m, 1 members [{2 4712}]
}

func ExampleCovarianceIntersection() {
	// Pa = diag(1, 9), Pb = diag(4, 4): CI by determinant picks ω = 11/15 (worked out in
	// TestCovarianceIntersectionHand).
	a := t2t.Estimate{Dim: 2, X: [t2t.MaxDim]float64{0, 0}, P: [t2t.MaxDim * t2t.MaxDim]float64{1, 0, 0, 9}}
	b := t2t.Estimate{Dim: 2, X: [t2t.MaxDim]float64{4, 4}, P: [t2t.MaxDim * t2t.MaxDim]float64{4, 0, 0, 4}}
	var f t2t.Estimate
	w, err := t2t.CovarianceIntersection(&f, &a, &b, t2t.Det)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("ω %.4f, x (%.4f, %.4f), P diag (%.4f, %.4f)\n", w, f.X[0], f.X[1], f.P[0], f.P[3])
	// Output: ω 0.7333, x (0.3333, 1.8000), P diag (1.2500, 6.7500)
}
