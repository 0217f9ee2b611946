package stages

import "strconv"

// Plan turns conditions into the DAG's actions, each listed after its
// dependencies. Per network: train, record, dsafit; per condition: generate,
// one align batch per network (its pairs with every earlier seed), score.
// The granularity is what makes caching useful: adding seeds trains only the
// new networks and compares only the new pairs; changing a metric parameter
// reruns only dsafit, align and score. After every condition: one figures
// action per study and one report action over them (plan_figures.go).
func Plan(conds []Condition) []*Action {
	var out []*Action
	fins := make([]FigureInput, len(conds))
	for i := range conds {
		var acts []*Action
		acts, fins[i] = planCondition(&conds[i])
		out = append(out, acts...)
	}
	return append(out, planFigures(conds, fins)...)
}

func planCondition(c *Condition) ([]*Action, FigureInput) {
	attrs := conditionAttrs(c)
	gen := &Action{Stage: Generate{}, Params: DefaultGenerateParams(c.Task), Label: c.Name, Attrs: attrs}
	out := []*Action{gen}
	nets := make([]network, len(c.Seeds))
	for k, s := range c.Seeds {
		na := append(append([]Attr(nil), attrs...), Attr{"seed", strconv.Itoa(s)})
		label := c.Name + " seed=" + strconv.Itoa(s)
		train := &Action{Stage: Train{}, Label: label, Attrs: na,
			Params: TrainParams{Task: c.Task, Model: c.Model, Train: c.Train, Seed: int64(s)}}
		record := &Action{Stage: Record{}, Label: label, Attrs: na,
			Params: RecordParams{Model: c.Model, NTK: c.NTK},
			Deps:   []Dep{{DepTrain, train}, {DepData, gen}}}
		nets[k] = network{seed: s, train: train, record: record}
		out = append(out, train, record)
	}
	out = append(out, planMetrics(c, attrs, nets)...)
	return append(out, planNull(c, attrs, nets)...), figureInput(c, nets, out[len(out)-1])
}

// network is one replicate's per-network actions.
type network struct {
	seed          int
	train, record *Action
	fit, align    *Action
	null          *Action // nil unless among the condition's first Null.Networks
}

func conditionAttrs(c *Condition) []Attr {
	factor, level := c.Factor, c.Level
	if factor == "" {
		factor, level = "none", "none"
	}
	return []Attr{{"study", c.Study}, {"task", c.Task.Name}, {"factor", factor}, {"factor_level", level}}
}
