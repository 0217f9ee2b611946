// Package tasks generates the four training tasks of SPEC §2 — flipflop, dd
// (delayed discrimination), sine, pi (path integration) — as pure functions
// of their Params and a random source.
//
// Vocabulary:
//
//   - A trial is one input sequence and its target sequence, T steps long.
//   - A batch is B trials, stored time-major (see Batch).
//   - A channel group is one independent copy of the task. Params.Channels
//     groups sit side by side in the input and output vectors: group g owns
//     inputs [g·inPer, (g+1)·inPer) and outputs [g·outPer, (g+1)·outPer),
//     where inPer, outPer are the task's widths (flipflop, sine: 1→1;
//     dd: 1→1, or 1→2 with aux (sign, magnitude); pi: 5→2 in 2-D
//     (cos θ, sin θ, speed, x₋₁, y₋₁), 7→3 in 3-D).
//   - OOD ("temporal generalization") is the held-out variant: T doubled;
//     for dd the delay range doubled and T grown to fit.
//
// Reproducibility: a generator reads randomness only from the *rand.Rand it
// is given (made by internal/seed), in a documented draw order — trial by
// trial, group by group, then per task (see genFlipFlop, genDD, genSine,
// genPI). Float code rounds every product explicitly and uses this
// package's own sin, cos and log (detmath.go), so no FMA contraction and no
// platform libm can change a bit.
package tasks
