package stages

import "strconv"

// planMetrics adds a condition's comparison actions: a DSA fit per network,
// one align batch per network (its pairs with every earlier seed), and the
// score. Seeds are in ascending order, so adding larger seeds reuses every
// existing fit and batch.
func planMetrics(c *Condition, attrs []Attr, nets []network) []*Action {
	var out []*Action
	seeds := make([]int64, len(nets))
	train := make([]*Action, len(nets))
	record := make([]*Action, len(nets))
	fit := make([]*Action, len(nets))
	for k := range nets {
		n := &nets[k]
		na := append(append([]Attr(nil), attrs...), Attr{"seed", strconv.Itoa(n.seed)})
		label := c.Name + " seed=" + strconv.Itoa(n.seed)
		n.fit = NewDSAFitAction(n.record, c.DSA, label, na)
		seeds[k], train[k], record[k], fit[k] = int64(n.seed), n.train, n.record, n.fit
		out = append(out, n.fit)
	}
	align := make([]*Action, len(nets))
	deps := AlignDeps(seeds, train, record, fit)
	for j := 1; j < len(nets); j++ {
		na := append(append([]Attr(nil), attrs...), Attr{"seed", strconv.Itoa(nets[j].seed)})
		label := c.Name + " seed=" + strconv.Itoa(nets[j].seed) + " vs earlier"
		align[j] = NewAlignAction(seeds, j, deps, c.DSA, c.PIF, label, na)
		nets[j].align = align[j]
		out = append(out, align[j])
	}
	return append(out, NewScoreAction(seeds, record, align, c.Score, c.Name, attrs))
}
