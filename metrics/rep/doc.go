// Package rep compares two networks' representations: their hidden states on
// the same probe inputs (SPEC §4, "Representations (secondary)").
//
// Vocabulary:
//
//   - probe states X: samples × units, one row per (trial, time step) of the
//     condition's fixed probe set, the same rows in the same order for every
//     network. Networks may differ in unit count.
//   - Probe: X with its columns centred (the mean over samples removed), plus
//     the per-network quantities every pairwise comparison reuses.
//   - cross-covariance: Xcᵀ Yc (units₁ × units₂), the one O(samples·n²)
//     product per pair; Procrustes, CKA and unit correlations all derive
//     from it, so a caller comparing many pairs computes it once (Cross).
//     It and the Gram matrix XcᵀXc run on dense.Gemm: each entry an FMA
//     chain over samples in order, the same bits on every kernel path.
//   - Procrustes angular distance (netrep LinearMetric, α = 1, centred):
//     θ = arccos(‖Xcᵀ Yc‖_* / (‖Xc‖_F ‖Yc‖_F)) ∈ [0, π/2], the angle after the
//     best rotation; a metric, invariant to rotation, isotropic scaling and
//     offset. Unequal unit counts behave as zero-padding the smaller one
//     (padding adds zero singular values only). Euclidean:
//     √(‖Xc‖² + ‖Yc‖² − 2‖Xcᵀ Yc‖_*), not scale-invariant.
//   - linear CKA (Kornblith et al. 2019): ‖Xcᵀ Yc‖²_F / (‖XcᵀXc‖_F ‖YcᵀYc‖_F)
//     ∈ [0, 1], a similarity (1 = same up to rotation and scale), computed
//     in the units×units Gram form, never samples×samples.
//
// A probe with no variance (every column constant) has no angle to anyone:
// comparisons with it return ErrDegenerate.
package rep
