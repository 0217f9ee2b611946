// Package metrics holds the measurements of solution degeneracy (SPEC §4).
// It is documentation only; the code lives in one subpackage per concept.
// Everything here is float64, uses gonum for linear algebra, and knows
// nothing of the store, Parquet or stages: inputs are matrices, outputs are
// numbers and permutations.
//
// Vocabulary shared by the subpackages:
//
//   - condition: one task × model × training configuration; all comparisons
//     are between networks of the same condition.
//   - network: one trained replicate (a seed) of a condition; converged or
//     not. Degeneracy is measured over converged networks by default.
//   - pair: two networks (i, j), i before j in seed order; a pairwise
//     distance is symmetric and is computed once per pair.
//   - level: what a distance looks at — behavior (OOD loss), dynamics (DSA),
//     weights (d_PIF), representation (Procrustes, CKA).
//   - degeneracy at a level: the mean of its distances over pairs (for
//     behavior, the population SD of OOD loss over networks), with SE and a
//     bootstrap CI over networks.
//   - probe set: the condition's fixed inputs (same for every network) whose
//     hidden states feed DSA, the representational metrics and activity
//     matching.
//
// Subpackages:
//
//   - dsa: Dynamical Similarity Analysis — per-network operator fit
//     (delay embedding, SVD, ridge regression) and the orthogonal
//     similarity distance between operators (angular, euclidean,
//     wasserstein).
//   - weights: d_PIF, the permutation-invariant Frobenius distance between
//     recurrent weight matrices (FAQ + 2-opt), and activity matching of
//     hidden units.
//   - lap: exact linear assignment (shortest augmenting path), used by
//     weights, dsa's wasserstein score and activity matching.
//   - rep: Procrustes angular distance and linear CKA on probe states.
//   - stats: mean ± SE, population SD, σ_OOD, seeded bootstrap CIs over
//     networks, classical MDS for plots.
package metrics
