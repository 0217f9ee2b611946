// Package lap solves the linear sum assignment problem exactly.
//
// Vocabulary:
//
//   - cost: a rows×cols matrix, row-major, finite (NaN or ±Inf is an error).
//   - assignment: assign[i] is the column given to row i, or -1 when
//     rows > cols and row i gets none. Each column is used at most once.
//   - total: Σ_i cost[i][assign[i]], summed in row order.
//
// The solver is the shortest augmenting path method of the Jonker–Volgenant
// family, in the rectangular form described by Crouse (2016, "On implementing
// 2D rectangular assignment algorithms"): one Dijkstra-like search per row
// over reduced costs cost[i][j] − u[i] − v[j], with dual potentials kept
// feasible between rows. O(rows²·cols) time, O(rows+cols) extra memory.
//
// Tie rule: columns are scanned in reverse index order and, among equal
// reduced costs, an unassigned column is preferred; the last such column in
// the scan wins. A constant matrix therefore yields the identity (row i gets
// column i), matching scipy.optimize.linear_sum_assignment, and the result is
// a deterministic function of the input bits.
package lap
