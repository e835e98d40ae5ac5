package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand: its one-line description and its entry point.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"bench":    {"sweep the number of targets and report ms per tick, ns per track and a log-log plot", runBench},
	"demo":     {"simulate 10,000 targets seen by 3 sensors, track them, score them and plot them", runDemo},
	"simulate": {"write a simulated scenario as a recording and/or interchange files", runSimulate},
	"score":    {"score tracks against truth: GOSPA, OSPA, CLEAR MOT, IDF1", runScore},
	"track":    {"run the tracker on a recording or an interchange file, score it, write tracks", runTrack},
}

// errUsage marks an error caused by the command line; main exits with status 2.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "trackcorr: unknown command %q (run trackcorr help)\n", args[0])
		return 2
	}
	if err := cmd.run(args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "trackcorr %s: %s\n", args[0], oneLine(err))
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: trackcorr COMMAND [flags]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun trackcorr COMMAND -h for a command's flags.")
}

// oneLine flattens an error message to one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// newFlags returns a flag set that reports errors instead of exiting. The flag package's
// own messages are discarded, so that a bad flag is one line (printed by run); parse
// prints the flags for -h.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("trackcorr "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses args, turning a flag error into a usage error; for -h it prints the flags
// to stderr.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "usage: %s [flags]\n", fs.Name())
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return err
		}
		return fmt.Errorf("%w: %v (run with -h for the flags)", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	return nil
}
