package stats

import "math"

// MeanSE returns the mean of x and its standard error, sample SD / √n.
// The mean is NaN for no values, the SE for fewer than two.
func MeanSE(x []float64) (mean, se float64) {
	n := float64(len(x))
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	mean = Mean(x)
	if len(x) < 2 {
		return mean, math.NaN()
	}
	return mean, math.Sqrt(sumSq(x, mean)/(n-1)) / math.Sqrt(n)
}

// Mean is the arithmetic mean, summed in index order; NaN for no values.
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// PopSD is the population standard deviation (divisor n); NaN for no values.
func PopSD(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return math.Sqrt(sumSq(x, Mean(x)) / float64(len(x)))
}

func sumSq(x []float64, mean float64) float64 {
	var s float64
	for _, v := range x {
		d := v - mean
		s += float64(d * d)
	}
	return s
}

// Behavior is SPEC §4's behavioral degeneracy: the population SD and the
// mean of the OOD losses of converged networks, and how many there were.
func Behavior(ood []float64, converged []bool) (sigma, mean float64, n int) {
	kept := Converged(ood, converged)
	return PopSD(kept), Mean(kept), len(kept)
}

// Converged returns the values whose network converged, in order. A
// missing flag (converged shorter than x) counts as not converged.
func Converged(x []float64, converged []bool) []float64 {
	var kept []float64
	for i, v := range x {
		if i < len(converged) && converged[i] {
			kept = append(kept, v)
		}
	}
	return kept
}
