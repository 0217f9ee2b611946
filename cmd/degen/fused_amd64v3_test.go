//go:build amd64.v3

package main

// fusedBuild: at GOAMD64=v3 the compiler fuses x*y+z into FMA, inside the
// PNG rasteriser too (the test binary and the degen binary it builds share
// the environment's GOAMD64).
const fusedBuild = true
