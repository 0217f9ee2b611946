// Package stats summarizes metric values over the networks of a condition.
//
// Vocabulary:
//
//   - SE: the standard error of a mean, sample SD (divisor n−1) / √n. It is
//     NaN for fewer than 2 values. For pairwise metrics the n is the number
//     of pairs, which are not independent: the bootstrap CI over networks is
//     the honest interval, the SE a conventional summary.
//   - population SD: divisor n. SPEC §4's behavioral degeneracy σ_OOD is the
//     population SD of the OOD loss over converged networks.
//   - bootstrap CI over networks: resample the condition's networks with
//     replacement B times (DefaultB = 1000, the pipeline default), recompute the statistic on
//     each resample, and take the 2.5% and 97.5% percentiles (linear
//     interpolation between order statistics, numpy's default). For a
//     pairwise metric a resample's statistic is the mean over pairs of
//     distinct draws whose networks differ (a network is never paired with
//     its own copy, whose distance is 0 by definition). Resamples with no
//     valid value are dropped. The draws come from degen/internal/seed with
//     a caller-given key, so the interval is a pure function of the inputs.
//   - classical MDS (Torgerson): embed a distance matrix D in k dimensions
//     from the top eigenpairs of B = −½ J D⁽²⁾ J, J the centring matrix.
//     Each eigenvector's sign is fixed so its largest-magnitude entry
//     (first such on ties) is positive; output is deterministic.
package stats
