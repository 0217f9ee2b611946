// Package rnn is the model and its trainer: the SP and µP recurrent networks
// of SPEC §3, their forward pass over a batch, backpropagation through time,
// Adam, gradient clipping, the plateau scheduler, the L1 and nuclear-norm
// regularizers on the recurrent matrix, and the training loop with its
// stopping rule. It knows nothing of the store or of Parquet.
//
// Vocabulary:
//
//   - SP: the standard parameterization, hₜ = tanh(W_rec hₜ₋₁ + W_in xₜ + b),
//     yₜ = W_out hₜ + b_out. Parameters w_rec, w_in, b, w_out, b_out.
//   - µP: the feature-learning parameterization, rₜ = tanh(hₜ),
//     hₜ = hₜ₋₁ + τ(−hₜ₋₁ + J rₜ₋₁/n + U xₜ), yₜ = W rₜ/(γn). Parameters J, U, W.
//   - state: hₜ in both models (after tanh in SP, before it in µP); this is
//     what Net.Run returns and what the record stage writes as trajectories.
//   - batch: B trials of T steps, time-major: X[(t·B+b)·In+i],
//     Y[(t·B+b)·Out+o]. Internally every B×n block of states is row-major, so
//     one step's recurrent product is one B×n · n×n matrix product.
//   - step: one optimizer update on one freshly generated batch; an epoch is
//     StepsPerEpoch steps.
//   - workspace: every buffer one network needs for a step, allocated once, so
//     a training step allocates nothing.
//
// Precision: training runs in float32. The same formulas are instantiated in
// float64 (Go generics over the element type, with the matrix kernels and tanh
// passed in as a small table of functions); the float64 instance serves the
// gradient check and the NTK Jacobian.
//
// Bits: every sum has a fixed order and every product that feeds an addition
// is rounded explicitly (F(a*b) + c), so the compiler cannot fuse it into an
// FMA on one GOARCH and not another. Matrix products are kernels.MatMul and
// kernels.MatMulTN, whose operation order is their contract.
package rnn
