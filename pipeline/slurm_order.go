package pipeline

import "sort"

// scanOrder is the order in which worker index of workers scans nodes (a
// manifest's actions). Nodes are ranked by their estimated longest path to
// the end of the plan (critical-path list scheduling: the 512-unit
// trainings of a width sweep before the 32-unit ones, trainings before the
// records that follow them), then dealt round-robin into one hand per
// worker; a worker scans its own hand first, then the next workers' hands.
// So the first wave takes the most critical actions, one per worker, without
// two workers reaching for the same one. Results never depend on the order.
func scanOrder(nodes []*Node, index, workers int) []*Node {
	rank := make([]*Node, len(nodes))
	copy(rank, nodes)
	level := bottomLevels(nodes)
	sort.SliceStable(rank, func(i, j int) bool { return level[rank[i]] > level[rank[j]] })
	if workers < 1 {
		workers = 1
	}
	out := make([]*Node, 0, len(nodes))
	for h := range workers {
		for r := (index + h) % workers; r < len(rank); r += workers {
			out = append(out, rank[r])
		}
	}
	return out
}

// bottomLevels is, per node, its estimated cost plus the most expensive
// chain of users after it (users among nodes only: what the workers will
// compute).
func bottomLevels(nodes []*Node) map[*Node]float64 {
	users := map[*Node][]*Node{}
	for _, n := range nodes {
		for _, d := range n.Deps {
			users[d] = append(users[d], n)
		}
	}
	level := map[*Node]float64{}
	var visit func(n *Node) float64
	visit = func(n *Node) float64 {
		if l, ok := level[n]; ok {
			return l
		}
		most := 0.0
		for _, u := range users[n] {
			most = max(most, visit(u))
		}
		level[n] = estimatedCost(n) + most
		return level[n]
	}
	for _, n := range nodes {
		visit(n)
	}
	return level
}

// estimatedCost ranks actions, nothing more: the plan estimate's cost at the
// reference rates (referenceSeconds: align's n³ term included), plus a
// millisecond so that depth breaks ties between actions it cannot tell
// apart.
func estimatedCost(n *Node) float64 { return 1e-3 + referenceSeconds(n) }
