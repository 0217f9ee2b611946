// Package dsa implements Dynamical Similarity Analysis (Ostrow et al. 2023):
// fit a linear operator to delay-embedded trajectories once per network, then
// compare operators pairwise up to an orthogonal change of basis.
//
// Vocabulary:
//
//   - trial: one T×N trajectory (T time steps of N units), row-major.
//     Trials are never joined: no delay window or regression pair crosses a
//     trial boundary.
//   - delay embedding (Hankel matrix): with m = NDelays and τ = DelayInterval,
//     row i of a trial's embedding is [x(i+(m−1)τ), x(i+(m−2)τ), …, x(i)]:
//     the newest block first. A trial gives T' = T − (m−1)τ rows of width N·m;
//     the trials' rows are stacked into H.
//   - V, S: H = V S Uᵀ is the thin SVD of the stacked Hankel matrix; V's rows
//     are the whitened delay coordinates. Only the first Rank columns are kept.
//   - operator A (A_v): the r×r matrix with v(t+1) ≈ A v(t) on the kept
//     columns of V, fitted by ridge least squares within trials,
//     A = ((XᵀX+λI)⁻¹XᵀY)ᵀ.
//   - Model: one network's fit (A, its eigenvalues, the kept singular values).
//     It is computed once and compared many times.
//   - distance: d(A,B) = min over orthogonal C of ‖Â − C B̂ Cᵀ‖_F with
//     Â = A/‖A‖_F, B̂ = B/‖B‖_F. The minimiser maximises
//     g(C) = tr(Âᵀ C B̂ Cᵀ); scores are angular = arccos g, euclidean =
//     ‖Â − C B̂ Cᵀ‖_F = 2 sin(angular/2), and wasserstein (the squared
//     2-Wasserstein distance between the eigenvalue sets, no optimisation).
//
// Everything here is float64 and deterministic: no clock, no global random
// source (random starts come from internal/seed under a fixed key), and fixed
// reduction orders. Go may fuse x*y+z into one FMA where the target has it
// (GOAMD64=v3, arm64), even across statements, so every product that meets
// a sum is either an explicit FMA (the kernels of metrics/internal/dense,
// math.FMA) or rounded by a conversion, float64(x*y) + z. No gonum or math
// routine that multiplies and adds is used on a result's path (gonum's
// LAPACK and math.Asin change bits at GOAMD64=v3); the tridiagonal
// reduction, QR, Cholesky, eigenvalue iterations and asin/acos are the
// package's own. TestGoldenBits pins the bits; it must pass at every GOAMD64
// level and with DEGEN_KERNELS=portable.
package dsa
