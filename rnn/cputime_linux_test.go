package rnn

import (
	"runtime"
	"syscall"
	"time"
)

// threadCPU is the calling thread's CPU time (RUSAGE_THREAD). The benchmark
// machine is shared, so wall time per step swings 5× with other jobs; the
// thread's own CPU time does not (cache contention aside).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func lockThread() func() { runtime.LockOSThread(); return runtime.UnlockOSThread }
