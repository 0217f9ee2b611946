package lap

import "math"

// solver holds the state of one rectangular problem with rows ≤ cols.
type solver struct {
	cost       []float64 // rows×cols, row-major, finite
	rows, cols int
	u, v       []float64 // dual potentials of rows and columns
	col4row    []int
	row4col    []int
	path       []int     // path[j]: the row from which column j was reached
	dist       []float64 // shortest reduced path cost to each column
	remaining  []int     // columns not yet scanned in this search
	seenRow    []bool
	seenCol    []bool
}

// augmentAll assigns every row in turn, each by one shortest augmenting path.
func augmentAll(cost []float64, rows, cols int) []int {
	s := &solver{
		cost: cost, rows: rows, cols: cols,
		u: make([]float64, rows), v: make([]float64, cols),
		col4row: fill(rows, -1), row4col: fill(cols, -1), path: fill(cols, -1),
		dist: make([]float64, cols), remaining: make([]int, cols),
		seenRow: make([]bool, rows), seenCol: make([]bool, cols),
	}
	for cur := 0; cur < rows; cur++ {
		sink, minVal := s.search(cur)
		s.updateDuals(cur, minVal)
		s.augment(cur, sink)
	}
	return s.col4row
}

// search runs Dijkstra over reduced costs from row cur until it reaches an
// unassigned column (the sink). It returns the sink and its path length.
// Finite costs and cols ≥ rows guarantee a sink exists.
func (s *solver) search(cur int) (sink int, minVal float64) {
	n := s.cols
	for it := 0; it < n; it++ {
		// Reverse order: together with the tie rule below, this makes the
		// lowest-index free column win ties (identity on constant input).
		s.remaining[it] = n - it - 1
		s.dist[it] = math.Inf(1)
		s.seenCol[it] = false
	}
	for i := range s.seenRow {
		s.seenRow[i] = false
	}
	left := n
	i := cur
	sink = -1
	for sink == -1 {
		s.seenRow[i] = true
		index, lowest := s.relax(i, minVal, left)
		minVal = lowest
		j := s.remaining[index]
		if s.row4col[j] == -1 {
			sink = j
		} else {
			i = s.row4col[j]
		}
		s.seenCol[j] = true
		left--
		s.remaining[index] = s.remaining[left]
	}
	return sink, minVal
}

// relax updates path lengths through row i and returns the position in
// remaining of the closest column and its length.
func (s *solver) relax(i int, minVal float64, left int) (index int, lowest float64) {
	index, lowest = -1, math.Inf(1)
	n := s.cols
	row := s.cost[i*n : (i+1)*n]
	v, dist, path, row4col := s.v[:n], s.dist[:n], s.path[:n], s.row4col[:n]
	base := minVal - s.u[i]
	for it, j := range s.remaining[:left] {
		r := base + row[j] - v[j]
		d := dist[j]
		if r < d {
			path[j] = i
			dist[j] = r
			d = r
		}
		if d < lowest || (d == lowest && row4col[j] == -1) {
			lowest = d
			index = it
		}
	}
	return index, lowest
}

// updateDuals keeps reduced costs non-negative and zero along the tree.
func (s *solver) updateDuals(cur int, minVal float64) {
	s.u[cur] += minVal
	for i := 0; i < s.rows; i++ {
		if s.seenRow[i] && i != cur {
			s.u[i] += minVal - s.dist[s.col4row[i]]
		}
	}
	for j := 0; j < s.cols; j++ {
		if s.seenCol[j] {
			s.v[j] -= minVal - s.dist[j]
		}
	}
}

// augment flips the alternating path ending at sink.
func (s *solver) augment(cur, sink int) {
	j := sink
	for {
		i := s.path[j]
		s.row4col[j] = i
		s.col4row[i], j = j, s.col4row[i]
		if i == cur {
			return
		}
	}
}

func fill(n, x int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = x
	}
	return s
}
