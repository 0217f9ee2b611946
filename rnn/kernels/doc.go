// Package kernels holds the dense float32 kernels that RNN training spends
// its time in — matrix products, tanh and its derivative, the Adam update —
// under a bit-exact contract: every output element is produced by a fixed,
// documented sequence of IEEE-754 float32 operations, so results are the same
// bits on every machine and on every code path.
//
// Vocabulary:
//
//   - FMA chain: the contract for products. Element C[i,j] of a product with
//     inner dimension k is acc₀ = (C[i,j] if accumulating, else +0),
//     acc_{p+1} = fma(A[i,p], B[p,j], acc_p) for p = 0, 1, …, k−1, each fma
//     rounded once to float32 (Fma32). Any blocking, vectorisation or
//     register tiling keeps each element's chain whole and in this order.
//   - path: the implementation in use, reported by Path(): "avx512", "avx2"
//     or "portable". Paths differ in speed only; tests assert equal bits. The
//     fastest path the CPU supports is chosen at start-up.
//     DEGEN_KERNELS=portable (read once, at init) or the build tag purego
//     forces the portable Go code; DEGEN_KERNELS=avx2 caps the choice at AVX2.
//   - tanh32: our float32 tanh (Eigen's clamped odd/even rational function),
//     evaluated with FMAs in a fixed order and one division; not math.Tanh.
//
// The amd64 assembly (kernels_amd64.s) is written by gen_asm.go (go
// generate): register-tiled micro-kernels that keep a tile of C in vector
// registers and broadcast A[i,p] against a row of B, one kernel per tile
// shape, with opmask (AVX-512) or VMASKMOVPS (AVX2) tails for ragged n;
// products with at most 8 columns use a kernel that transposes 16 rows of A
// in registers instead, and thin Aᵀ·B products are computed as (Bᵀ·A)ᵀ.
// All of them preserve each element's chain, which the tests check bit for
// bit against the portable code on ragged shapes and special values.
//
// NaN inputs give NaN outputs on every path, but the NaN payload bits are not
// part of the contract.
package kernels
