//go:build !linux

package rnn

import "time"

func threadCPU() time.Duration { return 0 }

func lockThread() func() { return func() {} }
