package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/trackcorr/trackcorr/bench"
)

var scenarioKinds = map[string]bench.Kind{
	"constant-density": bench.ConstantDensity,
	"crossing":         bench.Crossing,
	"parallel":         bench.Parallel,
	"manoeuvring":      bench.Manoeuvring,
}

// scenarioFlags registers the flags that describe a bench.Scenario.
func scenarioFlags(fs interface {
	IntVar(*int, string, int, string)
	Float64Var(*float64, string, float64, string)
	Uint64Var(*uint64, string, uint64, string)
	StringVar(*string, string, string, string)
}, sc *bench.Scenario, kind *string) {
	fs.StringVar(kind, "kind", "constant-density", "scenario kind: constant-density, crossing, parallel, manoeuvring")
	fs.IntVar(&sc.Targets, "targets", 100, "number of targets")
	fs.IntVar(&sc.Scans, "scans", 20, "scans per sensor")
	fs.IntVar(&sc.Sensors, "sensors", 1, "number of staggered sensors")
	fs.Float64Var(&sc.Dt, "dt", 1, "revisit time of each sensor, seconds")
	fs.Float64Var(&sc.Q, "q", 0.1, "process noise spectral density, m²/s³")
	fs.Float64Var(&sc.Sigma, "sigma", 2, "position noise of sensor 0, metres")
	fs.Float64Var(&sc.Pd, "pd", 0.9, "detection probability")
	fs.Float64Var(&sc.ClutterPerScan, "clutter", 0, "mean false alarms per scan (0: targets/10)")
	fs.Uint64Var(&sc.Seed, "seed", 1, "random seed")
}

func resolveKind(sc *bench.Scenario, kind string) error {
	k, ok := scenarioKinds[kind]
	if !ok {
		return fmt.Errorf("%w: unknown scenario kind %q", errUsage, kind)
	}
	sc.Kind = k
	return nil
}

func runSimulate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("simulate")
	var sc bench.Scenario
	var kind, out, prefix, name string
	scenarioFlags(fs, &sc, &kind)
	fs.StringVar(&out, "out", "", "write the scenario as a recording to this file")
	fs.StringVar(&prefix, "interchange", "", "write PREFIX_detections.jsonl, PREFIX_truth.jsonl and PREFIX_meta.json")
	fs.StringVar(&name, "name", "scenario", "scenario name recorded in the header")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if err := resolveKind(&sc, kind); err != nil {
		return err
	}
	if out == "" && prefix == "" {
		return fmt.Errorf("%w: give -out FILE and/or -interchange PREFIX", errUsage)
	}
	if _, err := bench.NewGenerator(sc); err != nil {
		return err
	}
	if out != "" {
		scans, dets, err := writeFile(out, func(w io.Writer) (int, int, error) { return bench.WriteRecording(w, name, sc) })
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: %d scans, %d detections\n", out, scans, dets)
	}
	if prefix != "" {
		files := []string{prefix + "_detections.jsonl", prefix + "_truth.jsonl", prefix + "_meta.json"}
		var ws []*os.File
		for _, f := range files {
			fh, err := os.Create(f)
			if err != nil {
				return err
			}
			defer fh.Close()
			ws = append(ws, fh)
		}
		bws := []*bufio.Writer{bufio.NewWriter(ws[0]), bufio.NewWriter(ws[1]), bufio.NewWriter(ws[2])}
		if err := bench.WriteInterchange(bws[0], bws[1], bws[2], sc); err != nil {
			return err
		}
		for i, bw := range bws {
			if err := bw.Flush(); err != nil {
				return err
			}
			if err := ws[i].Close(); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "wrote %s, %s, %s\n", files[0], files[1], files[2])
	}
	return nil
}

// writeFile creates path, runs write on a buffered writer to it and closes it, reporting
// the first error.
func writeFile(path string, write func(io.Writer) (int, int, error)) (int, int, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	bw := bufio.NewWriter(f)
	a, b, err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return a, b, err
}
