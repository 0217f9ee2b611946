package dsa

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Trials are K trajectories of the same N units. Data[k] holds trial k
// row-major, T_k×N; trials may differ in length.
type Trials struct {
	N    int
	Data [][]float64
}

// steps returns trial k's length T_k.
func (tr Trials) steps(k int) int { return len(tr.Data[k]) / tr.N }

func (tr Trials) check() error {
	if tr.N < 1 || len(tr.Data) == 0 {
		return fmt.Errorf("dsa: %d trials of %d units: need at least one trial and one unit", len(tr.Data), tr.N)
	}
	for k, d := range tr.Data {
		if len(d)%tr.N != 0 {
			return fmt.Errorf("dsa: trial %d has %d values, not a multiple of %d units", k, len(d), tr.N)
		}
	}
	return nil
}

// checkFinite is check plus a scan for NaN and ±Inf, which a fit cannot use.
func (tr Trials) checkFinite() error {
	if err := tr.check(); err != nil {
		return err
	}
	for k, x := range tr.Data {
		for _, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("dsa: trial %d has a NaN or infinite value", k)
			}
		}
	}
	return nil
}

// Embed returns the stacked delay embedding H of the trials and the number
// of rows each trial contributes. Row i of trial k is
// [x(i+(m−1)τ), x(i+(m−2)τ), …, x(i)] with m = nDelays, τ = interval: the
// newest block first, so row i stands for time i+(m−1)τ. It is an error for
// any trial to be too short to give one row.
func Embed(tr Trials, nDelays, interval int) (*mat.Dense, []int, error) {
	rows, err := embedRows(tr, nDelays, interval)
	if err != nil {
		return nil, nil, err
	}
	total := 0
	for _, r := range rows {
		total += r
	}
	n := tr.N
	h := mat.NewDense(total, n*nDelays, nil)
	raw := h.RawMatrix()
	r := 0
	for k, x := range tr.Data {
		for i := 0; i < rows[k]; i++ {
			dst := raw.Data[r*raw.Stride : r*raw.Stride+n*nDelays]
			for d := 0; d < nDelays; d++ {
				t := i + (nDelays-1-d)*interval
				copy(dst[d*n:(d+1)*n], x[t*n:(t+1)*n])
			}
			r++
		}
	}
	return h, rows, nil
}

// embedRows returns the rows each trial contributes to the delay embedding,
// or an error if a trial is too short for one.
func embedRows(tr Trials, nDelays, interval int) ([]int, error) {
	if err := tr.check(); err != nil {
		return nil, err
	}
	if nDelays < 1 || interval < 1 {
		return nil, fmt.Errorf("dsa: n_delays = %d, delay_interval = %d: want both ≥ 1", nDelays, interval)
	}
	span := (nDelays - 1) * interval
	rows := make([]int, len(tr.Data))
	for k := range tr.Data {
		rows[k] = tr.steps(k) - span
		if rows[k] < 1 {
			return nil, fmt.Errorf("dsa: trial %d has %d steps; n_delays = %d, delay_interval = %d need at least %d",
				k, tr.steps(k), nDelays, interval, span+1)
		}
	}
	return rows, nil
}
