//go:build linux

package t2t

import (
	"syscall"
	"time"
)

// threadCPU returns the CPU time (user and system) consumed by the calling OS thread;
// the benchmark locks its goroutine to the thread.
func threadCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_THREAD, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
