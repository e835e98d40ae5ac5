package replaytest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trackcorr/trackcorr/correlate"
	"github.com/trackcorr/trackcorr/replay"
	"github.com/trackcorr/trackcorr/trackpb"
)

// Options configures Golden.
type Options struct {
	// Update rewrites the golden file with the replay's output instead of comparing.
	Update bool
	// Tolerance is the relative tolerance of number comparisons; zero means 1e-5 (the
	// file's six significant digits leave up to 5e-6 of rounding). Numbers whose
	// magnitudes are both below Tolerance compare equal.
	Tolerance float64
}

// Replay runs the recording r through a tracker built from cfg and writes the golden text
// of its output to w. cfg.Sensors, when empty, is taken from the recording's header.
func Replay(w io.Writer, r io.Reader, cfg correlate.Config) error {
	rd, err := replay.NewReader(r, replay.ReaderOptions{})
	if err != nil {
		return err
	}
	conv, err := replay.NewConverter(rd.Header())
	if err != nil {
		return err
	}
	if len(cfg.Sensors) == 0 {
		cfg.Sensors = conv.Sensors()
	}
	tr, err := correlate.New(cfg)
	if err != nil {
		return err
	}
	defer tr.Close()
	bw := bufio.NewWriter(w)
	var b []byte
	p, err := replay.NewPlayer(replay.PlayerConfig{}, replay.RecordingScans(rd, nil))
	if err != nil {
		return err
	}
	_, err = p.Run(context.Background(), replay.Feed(tr, conv, func(_ int, s *trackpb.Scan, out *correlate.Output) error {
		for i := range out.Tracks {
			t := &out.Tracks[i]
			b = b[:0]
			b = append(b, "t="...)
			b = strconv.AppendFloat(b, float64(t.Time)/1e9, 'g', 6, 64)
			b = append(b, " sensor="...)
			b = strconv.AppendUint(b, uint64(s.GetSensorId()), 10)
			b = append(b, " id="...)
			b = strconv.AppendUint(b, t.ID, 10)
			b = append(b, " status="...)
			b = append(b, t.Status.String()...)
			b = append(b, " x=["...)
			for k, v := range t.State {
				if k > 0 {
					b = append(b, ' ')
				}
				b = strconv.AppendFloat(b, v, 'g', 6, 64)
			}
			b = append(b, "] score="...)
			b = strconv.AppendFloat(b, t.Score, 'g', 6, 64)
			b = append(b, '\n')
			if _, err := bw.Write(b); err != nil {
				return err
			}
		}
		return nil
	}))
	if err != nil {
		return err
	}
	return bw.Flush()
}

// Golden replays the recording at recordingPath through a tracker built from cfg and
// compares the output with the golden file at goldenPath, failing t at the first line
// that differs; with opts.Update it rewrites the golden file (creating its directory)
// instead.
func Golden(t testing.TB, recordingPath string, cfg correlate.Config, goldenPath string, opts Options) {
	t.Helper()
	f, err := os.Open(recordingPath)
	if err != nil {
		t.Fatalf("replaytest: %v", err)
	}
	defer f.Close()
	var got bytes.Buffer
	if err := Replay(&got, bufio.NewReader(f), cfg); err != nil {
		t.Fatalf("replaytest: replaying %s: %v", recordingPath, err)
	}
	if opts.Update {
		if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
			t.Fatalf("replaytest: %v", err)
		}
		if err := os.WriteFile(goldenPath, got.Bytes(), 0o644); err != nil {
			t.Fatalf("replaytest: %v", err)
		}
		t.Logf("replaytest: rewrote %s", goldenPath)
		return
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("replaytest: %v (run the test with its update flag to create it)", err)
	}
	if err := Compare(want, got.Bytes(), opts.Tolerance); err != nil {
		t.Fatalf("replaytest: %s differs from the replay of %s: %v", goldenPath, recordingPath, err)
	}
}

// Compare compares two golden texts line by line and token by token: tokens that parse
// as numbers (including inside "key=value" and brackets) must agree within the relative
// tolerance tol (zero means 1e-5), other tokens exactly. It returns an error naming the
// first difference.
func Compare(want, got []byte, tol float64) error {
	if tol == 0 {
		tol = 1e-5
	}
	wl := strings.Split(strings.TrimRight(string(want), "\n"), "\n")
	gl := strings.Split(strings.TrimRight(string(got), "\n"), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		if i >= len(wl) {
			return fmt.Errorf("line %d: unexpected extra line %q", i+1, gl[i])
		}
		if i >= len(gl) {
			return fmt.Errorf("line %d: missing line %q", i+1, wl[i])
		}
		wt, gt := tokens(wl[i]), tokens(gl[i])
		if len(wt) != len(gt) {
			return fmt.Errorf("line %d: want %q, got %q", i+1, wl[i], gl[i])
		}
		for k := range wt {
			if wt[k] == gt[k] {
				continue
			}
			a, errA := strconv.ParseFloat(wt[k], 64)
			b, errB := strconv.ParseFloat(gt[k], 64)
			if errA != nil || errB != nil {
				return fmt.Errorf("line %d: want %q, got %q", i+1, wl[i], gl[i])
			}
			if !(math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b)) || math.Max(math.Abs(a), math.Abs(b)) < tol) {
				return fmt.Errorf("line %d: %v and %v differ by more than %g: want %q, got %q", i+1, a, b, tol, wl[i], gl[i])
			}
		}
	}
	return nil
}

// tokens splits a golden line at spaces, '=', '[' and ']'.
func tokens(line string) []string {
	return strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '=' || r == '[' || r == ']' })
}
