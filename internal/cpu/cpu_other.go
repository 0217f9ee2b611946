//go:build !amd64 || purego

// Package cpu reports the vector extensions the fast kernels need.
package cpu

// Features reports no vector extensions: only the portable kernels exist here.
func Features() (hasAVX2, hasAVX512 bool) { return false, false }
