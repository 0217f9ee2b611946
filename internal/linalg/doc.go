// Package linalg is degen's small deterministic float64 linear algebra:
// the few factorisations whose results reach an artifact, written so that
// their bits are the same on every machine and build.
//
// Why not gonum: Go may fuse x*y+z into one FMA instruction (always on
// arm64, on amd64 when built with GOAMD64=v3), and gonum's pure-Go LAPACK
// is compiled that way, so its factorisations change in the last bits
// between builds. Here every product that meets a sum is rounded first,
// float64(a*b) + c, which the Go spec forbids fusing; math.FMA is used
// nowhere (in the default amd64 build it costs a CPU-feature branch per
// call, and mixing the two styles would make the rule harder to audit).
// Loops run in a fixed order, with no goroutines and no map iteration, and a
// reduction that is blocked for speed applies each element's terms in the
// same order as the unblocked loop, so blocking never changes bits.
//
// Vocabulary:
//
//   - matrix: a row-major []float64 with its dimensions passed beside it;
//     entry (i, j) of an m×n matrix is a[i*n+j].
//   - workspace: a zero-value-ready struct (SymEigen, SVD, Polar) that owns
//     its buffers; after the first call at a given size, later calls at that
//     size allocate nothing. Slices it returns alias the workspace and stay
//     valid until its next call.
//   - eigen-decomposition A = V Λ Vᵀ of a symmetric A (SymEigen): cyclic
//     Jacobi. Eigenvalues are in descending order; each eigenvector (a column
//     of V) has its largest-magnitude entry (the first such on ties) positive.
//   - singular values σ₁ ≥ … ≥ σ_k, k = min(m, n) (SVD): Householder
//     bidiagonalisation, then implicit QL on the Golub–Kahan tridiagonal
//     (eigenvalues ±σᵢ); normwise accuracy, about ε·σ₁ per value, as
//     LAPACK's. A diagonal A keeps its exact values.
//   - polar factor P of a square W (Polar): W = P H with P orthogonal and H
//     symmetric positive semidefinite; P = U Vᵀ for any SVD W = U Σ Vᵀ, the
//     gradient of the nuclear norm ‖W‖_* = Σσᵢ = tr(Pᵀ W). Computed by the
//     scaled Newton iteration X ← (ζX + (ζX)⁻ᵀ)/2 with an LU inverse. A
//     numerically singular W (κ_F(W) = ‖W‖_F‖W⁻¹‖_F > 1/(n·ε), a zero pivot,
//     or no convergence) falls back to
//     one-sided Jacobi and P = Σ_{σᵢ > tol} uᵢ vᵢᵀ over the numerical rank,
//     tol = n·ε·σ₁: the minimum-norm subgradient of ‖W‖_* (the thin SVD's
//     U Vᵀ with the null-space columns, which are arbitrary, left out).
package linalg
