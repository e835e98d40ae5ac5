package forkjoin

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Spin is how long a waiting worker, or a caller waiting for its workers, keeps
// checking before it blocks.
const Spin = 200 * time.Microsecond

// Group runs a function on a fixed set of goroutines. The zero value is not usable;
// build one with New. A Group is not safe for concurrent use: one goroutine calls Do
// and Close.
type Group struct {
	fn      func(k int)
	n       int
	gen     atomic.Uint64 // the number of calls started
	pending atomic.Int32  // workers (other than the caller) still running the current call
	closed  atomic.Bool
	wake    []chan struct{} // per worker, one token: the call to check for
	parked  []atomic.Bool   // per worker: blocked, or about to block, on wake
	done    chan struct{}   // one token: the caller may stop waiting
	waiting atomic.Bool     // the caller is blocked, or about to block, on done
	exited  sync.WaitGroup
}

// New returns a Group of n ≥ 1 workers running fn and starts n−1 goroutines.
func New(n int, fn func(k int)) *Group {
	n = max(n, 1)
	g := &Group{fn: fn, n: n, wake: make([]chan struct{}, n), parked: make([]atomic.Bool, n), done: make(chan struct{}, 1)}
	for k := 1; k < n; k++ {
		g.wake[k] = make(chan struct{}, 1)
		g.exited.Add(1)
		go g.loop(k)
	}
	return g
}

// Workers returns the number of workers, the caller's included.
func (g *Group) Workers() int { return g.n }

// Do runs fn(k) on every worker k, fn(0) on the caller's goroutine, and returns when
// all have returned.
func (g *Group) Do() {
	if g.n == 1 {
		g.fn(0)
		return
	}
	g.pending.Store(int32(g.n - 1))
	g.gen.Add(1)
	for k := 1; k < g.n; k++ {
		if g.parked[k].Load() {
			select {
			case g.wake[k] <- struct{}{}:
			default: // a token is already there
			}
		}
	}
	g.fn(0)
	wait(func() bool { return g.pending.Load() == 0 }, &g.waiting, g.done)
}

// Close stops the goroutines and waits for them to exit. Do must not be called after.
// Close is idempotent.
func (g *Group) Close() {
	if g.closed.Swap(true) {
		return
	}
	g.gen.Add(1)
	for k := 1; k < g.n; k++ {
		select {
		case g.wake[k] <- struct{}{}:
		default:
		}
	}
	g.exited.Wait()
}

func (g *Group) loop(k int) {
	defer g.exited.Done()
	var seen uint64
	for {
		wait(func() bool { return g.gen.Load() != seen }, &g.parked[k], g.wake[k])
		if g.closed.Load() {
			return
		}
		seen = g.gen.Load()
		g.fn(k)
		if g.pending.Add(-1) == 0 && g.waiting.Load() {
			select {
			case g.done <- struct{}{}:
			default:
			}
		}
	}
}

// wait returns once ready() holds: it checks for up to Spin, yielding the processor
// between checks, then announces itself in parked and blocks on tokens from wake,
// checking again after each (a token may be stale: left by a waker that found ready
// already true).
func wait(ready func() bool, parked *atomic.Bool, wake chan struct{}) {
	if ready() {
		return
	}
	var deadline time.Time
	for i := 1; ; i++ {
		if ready() {
			return
		}
		if i%64 == 0 {
			now := time.Now()
			if deadline.IsZero() {
				deadline = now.Add(Spin)
			} else if now.After(deadline) {
				break
			}
			runtime.Gosched()
		}
	}
	for {
		parked.Store(true)
		if ready() {
			parked.Store(false)
			return
		}
		<-wake
		parked.Store(false)
		if ready() {
			return
		}
	}
}
