package correlate

import (
	"sync/atomic"

	"github.com/trackcorr/trackcorr/internal/forkjoin"
	"github.com/trackcorr/trackcorr/kalman"
	"github.com/trackcorr/trackcorr/spatial"
)

// job names the sharded stages.
type job uint8

const (
	jobPredict job = iota
	jobCost
	jobUpdate
	jobEmit
	jobGate
	jobPDA
	jobValidate
	jobConvert
	jobManage
	jobInit
	jobApply
	jobKeys
	jobStart
)

// minShard is the smallest number of items worth handing to another worker.
const minShard = 256

// worker is one worker's private state: its filter and scratch. Worker 0 is the
// caller's goroutine.
type worker struct {
	kf       *kalman.KF
	ekf      *kalman.EKF
	predM    kalman.Predicted
	diverged int
	rejected int
	tmp      kalman.State
	gater    *DefaultGater  // the built-in gater's share, when it is used
	pairs    []spatial.Pair // its pairs, track indices relative to lo
	gateErr  error
	id       int  // the worker's index: its shard of the steps of a spatial.DetectionIndex
	pairOff  int  // where its pairs go in the batch's (gateMerge)
	lo, hi   int  // the worker's last shard (gating, validation, conversion)
	ran      bool // the worker ran the last job
	sharedR  bool // every detection of the worker's convert shard has the same covariance
	initX    [kalman.MaxDim]float64
	initP    [kalman.MaxDim * kalman.MaxDim]float64
	// PDA scratch: a hypothesis, its deviation from the prediction and the sums of the
	// moment matching
	hyp   kalman.State
	dx    [kalman.MaxDim]float64
	accD  [kalman.MaxDim]float64
	accDD [kalman.MaxDim * kalman.MaxDim]float64
	accP  [kalman.MaxDim * kalman.MaxDim]float64
	imm   *kalman.IMM         // Filter IMM: the worker's IMM, nil for CV
	immS  kalman.IMMState     // its scratch estimate
	immP  kalman.IMMPredicted // its scratch measurement prediction (updateIMMPDA)
	pdaZ  []float64           // IMM PDA: the candidates' measurements and weights
	pdaW  []float64
	// manage: the shard's events, output items, freed slots and counts
	mEvents                         []Event
	mEmit                           []emitItem
	mFree                           []int32
	mDiverged, mConfirmed, mDeleted int
	// validate: the shard's first error and its detections' earliest and latest times
	valErr     error
	tmin, tmax int64
}

// pool runs a job over contiguous shards of items on a fixed set of goroutines, the
// caller's included: one fixed shard per worker (do; shard w always covers the same
// range for a given item count), or chunks claimed by whichever worker is free
// (claim). Every item's result depends only on the item, so the output does not depend
// on the number of workers or on which worker ran which chunk.
type pool struct {
	workers  []worker
	group    *forkjoin.Group
	job      job // the running job and its number of items
	items    int
	run      func(j job, w *worker, lo, hi int)
	gate     gateStep                   // what jobGate does
	detIndex [4]*spatial.DetectionIndex // the built-in gaters' shared detections, per dimension
	// claim: the size of the chunks the workers claim (0 for fixed shards) and the
	// first item not claimed yet, on a cache line of its own
	chunk int
	_     [56]byte
	next  atomic.Int64
	_     [56]byte
}

func newPool(n int, motion kalman.Motion, run func(j job, w *worker, lo, hi int)) (*pool, error) {
	p := &pool{workers: make([]worker, n), run: run}
	for i := range p.workers {
		p.workers[i].id = i
		kf, err := kalman.NewKF(motion, kalman.Config{})
		if err != nil {
			return nil, err
		}
		p.workers[i].kf = kf
		if p.workers[i].ekf, err = kalman.NewEKF(motion, kalman.Config{}); err != nil {
			return nil, err
		}
	}
	p.group = forkjoin.New(n, func(w int) {
		if c := p.chunk; c > 0 {
			for {
				lo := int(p.next.Add(int64(c))) - c
				if lo >= p.items {
					return
				}
				p.run(p.job, &p.workers[w], lo, min(lo+c, p.items))
			}
		}
		lo, hi := p.shard(w, len(p.workers))
		p.run(p.job, &p.workers[w], lo, hi)
	})
	return p, nil
}

func (p *pool) shard(w, nw int) (lo, hi int) {
	return w * p.items / nw, (w + 1) * p.items / nw
}

// do runs job j over items [0, n) and waits for it.
func (p *pool) do(j job, n int) {
	nw := len(p.workers)
	if nw == 1 || n < 2*minShard {
		p.run(j, &p.workers[0], 0, n)
		return
	}
	p.job, p.items = j, n
	p.group.Do()
}

// claimChunks is the number of chunks per worker that claim cuts a job into: enough
// that the last chunk to finish leaves the other workers idle for little.
const claimChunks = 16

// claim runs job j over items [0, n) like do, but in chunks that each worker claims
// when it is free instead of one fixed shard per worker, so that a worker whose items
// cost more (the tentative rows at the end of the gating rows, the first pass's
// updates) does not hold the others up. Only for jobs whose items are independent and
// whose workers keep no per-shard state (no ran, lo or hi): the output does not depend
// on which worker ran which chunk.
func (p *pool) claim(j job, n int) {
	nw := len(p.workers)
	if nw == 1 || n < 2*minShard {
		p.do(j, n)
		return
	}
	p.job, p.items = j, n
	p.chunk = max(minShard, n/(nw*claimChunks))
	p.next.Store(0)
	p.group.Do()
	p.chunk = 0
}

// unmark marks every worker as not having run, before a job whose workers' results are
// read back (those that ran set ran).
func (p *pool) unmark() {
	for i := range p.workers {
		p.workers[i].ran = false
	}
}

// counts sums and clears the workers' counters, in worker order.
func (p *pool) counts() (diverged, rejected int) {
	for i := range p.workers {
		diverged += p.workers[i].diverged
		rejected += p.workers[i].rejected
		p.workers[i].diverged, p.workers[i].rejected = 0, 0
	}
	return
}

func (p *pool) close() { p.group.Close() }
