// Package replaytest helps users write golden tests of a tracker configuration: replay a
// recording through a correlate.Tracker and compare every track it reports with a golden
// file, within a tolerance, rewriting the file on request.
//
// The golden file is text, one line per reported track per scan:
//
//	t=12.5 sensor=0 id=7 status=confirmed x=[101.234 9.87654 -40.0001 0.51234] score=12.3456
//
// with floats printed with %.6g (fused multiply-add may change the last bits of a result
// from one architecture to another; six significant digits and a tolerance keep the file
// portable). Compare reads both files as tokens: words must be equal, numbers equal
// within Options.Tolerance (relative, with an absolute floor for values near zero).
//
// A test typically defines its own flag:
//
//	var update = flag.Bool("update", false, "rewrite golden files")
//
//	func TestMyTracker(t *testing.T) {
//		replaytest.Golden(t, "testdata/scenario.trkc", cfg, "testdata/scenario.golden", replaytest.Options{Update: *update})
//	}
package replaytest
