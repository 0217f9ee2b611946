// Package weights measures how far apart two recurrent weight matrices are
// once the arbitrary order of hidden units is factored out.
//
// Vocabulary:
//
//   - d_PIF (permutation-invariant Frobenius distance, SPEC §4):
//     min over permutations P of ‖W₁ − Pᵀ W₂ P‖_F. Here a permutation is a
//     []int perm with perm[i] the unit of network 2 matched to unit i of
//     network 1, so the distance of perm is ‖W₁ − W₂[perm][:,perm]‖_F.
//   - identity bound: ‖W₁ − W₂‖_F, the distance of the identity permutation.
//     d_PIF never exceeds it (the identity is always a candidate).
//   - normalized d_PIF: d_PIF / n², the paper's size normalization.
//   - objective: f(perm) = Σ_ij W₁[i,j]·W₂[perm i, perm j] = tr(W₁ᵀ P W₂ Pᵀ).
//     ‖W₁ − W₂[perm][:,perm]‖² = ‖W₁‖² + ‖W₂‖² − 2f, so minimizing the
//     distance is maximizing f: a quadratic assignment problem (NP-hard).
//   - start: where the FAQ relaxation begins: the barycenter J = 11ᵀ/n, or a
//     given permutation (the activity-matched one, see ActivityMatch).
//
// The solver is deterministic: FAQ (Vogelstein et al. 2015, the Frank–Wolfe
// method on doubly stochastic matrices with an exact line search) from the
// barycenter, from the given start and from Params.Restarts seeded random
// starts, each result refined by 2-opt (pairwise swaps, each evaluated in
// O(n)) until no swap gains; the closest of those, the start itself and the
// identity wins (a winning start or identity is 2-opt refined too). FAQ is a
// heuristic: on small unrelated random pairs it finds the exact optimum in
// about two cases of three (see TestPIFBruteForce); on relabelled copies it
// is exact. Every sum runs in a fixed order, each product either rounded
// explicitly or fused in a stated FMA chain (the gradient products run on
// dense.Gemm), so the same inputs give the same bits on any machine, kernel
// path and GOAMD64 level.
package weights
