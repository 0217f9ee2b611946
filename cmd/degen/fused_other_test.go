//go:build !amd64.v3

package main

// fusedBuild: this build does not fuse multiply-adds on amd64 (arm64 is
// crossArch's concern).
const fusedBuild = false
