package lap

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// ErrNotFinite reports a cost entry that is NaN or ±Inf.
var ErrNotFinite = errors.New("lap: cost matrix has a NaN or infinite entry")

// Solve returns the assignment of rows to columns that minimises (or, with
// maximize, maximises) the total cost. cost is row-major rows×cols and is not
// modified. When rows > cols the problem is solved on the transpose and the
// rows left without a column get -1.
func Solve(cost []float64, rows, cols int, maximize bool) (assign []int, total float64, err error) {
	if rows < 0 || cols < 0 || len(cost) != rows*cols {
		return nil, 0, fmt.Errorf("lap: cost has %d entries, want %d×%d", len(cost), rows, cols)
	}
	for _, c := range cost {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return nil, 0, ErrNotFinite
		}
	}
	transposed := rows > cols
	r, c := rows, cols
	work := prepare(cost, rows, cols, transposed, maximize)
	if transposed {
		r, c = cols, rows
	}
	col4row := augmentAll(work, r, c)
	assign = make([]int, rows)
	if transposed {
		for i := range assign {
			assign[i] = -1
		}
		for j, i := range col4row {
			assign[i] = j
		}
	} else {
		copy(assign, col4row)
	}
	for i, j := range assign {
		if j >= 0 {
			total += cost[i*cols+j]
		}
	}
	return assign, total, nil
}

// SolveDense is Solve for a gonum matrix.
func SolveDense(cost mat.Matrix, maximize bool) (assign []int, total float64, err error) {
	r, c := cost.Dims()
	flat := make([]float64, 0, r*c)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			flat = append(flat, cost.At(i, j))
		}
	}
	return Solve(flat, r, c, maximize)
}

// prepare returns the working copy the search runs on: transposed when there
// are more rows than columns, negated for maximisation, and shifted so its
// minimum is 0. The shift leaves the optimum unchanged (every assignment uses
// the same number of entries) and keeps the potentials small.
func prepare(cost []float64, rows, cols int, transposed, maximize bool) []float64 {
	w := make([]float64, len(cost))
	sign := 1.0
	if maximize {
		sign = -1
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			k := i*cols + j
			if transposed {
				k = j*rows + i
			}
			w[k] = sign * cost[i*cols+j]
		}
	}
	lo := math.Inf(1)
	for _, x := range w {
		if x < lo {
			lo = x
		}
	}
	for k := range w {
		w[k] -= lo
	}
	return w
}
