package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/trackcorr/trackcorr/trackpb"
)

// ScanSource is a stream of scans, in time order within the stream. Next returns io.EOF
// after the last scan. InterchangeReader, MOTReader, CSVReader and the source returned by
// RecordingScans are ScanSources. A scan returned by Next may be reused by the source at
// the next call.
type ScanSource interface {
	Next() (*trackpb.Scan, error)
}

// RecordingScans returns the scans of a recording as a ScanSource. Records that are not
// scans (truth frames, track sets, snapshots) are passed to other when it is not nil, in
// file order, before the scan that follows them; an error from other stops the stream.
func RecordingScans(r *Reader, other func(*trackpb.Record) error) ScanSource {
	return &recordingScans{r: r, other: other}
}

type recordingScans struct {
	r     *Reader
	other func(*trackpb.Record) error
}

func (rs *recordingScans) Next() (*trackpb.Scan, error) {
	for {
		rec, err := rs.r.Next()
		if err != nil {
			return nil, err
		}
		if s := rec.GetScan(); s != nil {
			return s, nil
		}
		if rs.other != nil {
			if err := rs.other(rec); err != nil {
				return nil, err
			}
		}
	}
}

// Clock is the time source of a paced Player. The zero PlayerConfig uses the system
// clock; tests use a fake.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d or until ctx is done, and returns ctx.Err() in the latter case.
	Sleep(ctx context.Context, d time.Duration) error
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// PlayerConfig configures a Player. The zero value plays as fast as possible.
type PlayerConfig struct {
	// Speed paces the replay: 0 plays as fast as possible; 1 delivers each scan when as
	// much wall-clock time has passed since the first scan as recorded time has; 2 plays
	// twice as fast. It must be finite and not negative.
	Speed float64
	// Clock is the time source for paced replay; nil means the system clock.
	Clock Clock
}

// PlayStats counts what a Player delivered.
type PlayStats struct {
	// Scans and Detections delivered to the callback.
	Scans, Detections int
	// PerSource counts the scans delivered from each source, in source order.
	PerSource []int
	// Lag is the largest delay of a paced delivery behind its due time (zero when not
	// paced): how far the consumer fell behind recorded time.
	Lag time.Duration
}

// ErrPlayer means a Player was misconfigured.
var ErrPlayer = errors.New("replay: invalid player configuration")

// Player merges several scan streams — one per sensor, or several recordings — into one
// stream in time order and delivers it to a callback, as fast as possible or paced to
// recorded time. Scans of equal time are delivered in source order, so the output is
// deterministic. A source whose own scans go back in time is passed through as it is:
// its late scans arrive late, as they would from a real network, for the consumer's
// out-of-sequence policy to handle.
type Player struct {
	cfg     PlayerConfig
	sources []ScanSource
	heads   []*trackpb.Scan
	heap    []int // source indices, a binary min-heap on (head time, index)
}

// NewPlayer returns a player of the sources.
func NewPlayer(cfg PlayerConfig, sources ...ScanSource) (*Player, error) {
	if !(cfg.Speed >= 0) || math.IsInf(cfg.Speed, 0) {
		return nil, fmt.Errorf("%w: speed %v", ErrPlayer, cfg.Speed)
	}
	if len(sources) == 0 {
		return nil, fmt.Errorf("%w: no sources", ErrPlayer)
	}
	for i, s := range sources {
		if s == nil {
			return nil, fmt.Errorf("%w: source %d is nil", ErrPlayer, i)
		}
	}
	if cfg.Clock == nil {
		cfg.Clock = systemClock{}
	}
	return &Player{cfg: cfg, sources: sources, heads: make([]*trackpb.Scan, len(sources))}, nil
}

// Run delivers every scan of every source to fn, in time order, until the sources are
// exhausted (it then returns nil), a source fails, fn returns an error or ctx is done. fn
// gets the index of the scan's source; it must not keep the scan after it returns (clone
// it with proto.Clone to keep it). A Player runs once.
func (p *Player) Run(ctx context.Context, fn func(source int, s *trackpb.Scan) error) (PlayStats, error) {
	st := PlayStats{PerSource: make([]int, len(p.sources))}
	p.heap = p.heap[:0]
	for i := range p.sources {
		if err := p.fill(i); err != nil {
			return st, err
		}
	}
	var start time.Time
	var t0 int64
	for len(p.heap) > 0 {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		i := p.heap[0]
		s := p.heads[i]
		if p.cfg.Speed > 0 {
			if st.Scans == 0 {
				start, t0 = p.cfg.Clock.Now(), s.GetTimeNs()
			}
			due := start.Add(time.Duration(float64(s.GetTimeNs()-t0) / p.cfg.Speed))
			if wait := due.Sub(p.cfg.Clock.Now()); wait > 0 {
				if err := p.cfg.Clock.Sleep(ctx, wait); err != nil {
					return st, err
				}
			} else if -wait > st.Lag {
				st.Lag = -wait
			}
		}
		if err := fn(i, s); err != nil {
			return st, err
		}
		st.Scans++
		st.Detections += len(s.GetDetections())
		st.PerSource[i]++
		p.pop()
		if err := p.fill(i); err != nil {
			return st, err
		}
	}
	return st, nil
}

// fill reads the next scan of source i and pushes it on the heap.
func (p *Player) fill(i int) error {
	s, err := p.sources[i].Next()
	if err == io.EOF {
		p.heads[i] = nil
		return nil
	}
	if err != nil {
		return fmt.Errorf("replay: source %d: %w", i, err)
	}
	p.heads[i] = s
	p.heap = append(p.heap, i)
	p.up(len(p.heap) - 1)
	return nil
}

func (p *Player) less(a, b int) bool {
	ta, tb := p.heads[p.heap[a]].GetTimeNs(), p.heads[p.heap[b]].GetTimeNs()
	if ta != tb {
		return ta < tb
	}
	return p.heap[a] < p.heap[b]
}

func (p *Player) up(j int) {
	for j > 0 {
		parent := (j - 1) / 2
		if !p.less(j, parent) {
			return
		}
		p.heap[j], p.heap[parent] = p.heap[parent], p.heap[j]
		j = parent
	}
}

func (p *Player) pop() {
	last := len(p.heap) - 1
	p.heap[0] = p.heap[last]
	p.heap = p.heap[:last]
	for j := 0; ; {
		l, r, m := 2*j+1, 2*j+2, j
		if l < len(p.heap) && p.less(l, m) {
			m = l
		}
		if r < len(p.heap) && p.less(r, m) {
			m = r
		}
		if m == j {
			return
		}
		p.heap[j], p.heap[m] = p.heap[m], p.heap[j]
		j = m
	}
}
