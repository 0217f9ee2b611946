package stages

import (
	"slices"
	"strconv"
)

// planNull adds the dsanull actions of the condition's first Null.Networks
// networks.
func planNull(c *Condition, attrs []Attr, nets []network) []*Action {
	var out []*Action
	for k := 0; k < min(c.Null.Networks, len(nets)); k++ {
		n := &nets[k]
		na := append(append([]Attr(nil), attrs...), Attr{"seed", strconv.Itoa(n.seed)})
		n.null = NewDSANullAction(c, int64(n.seed), n.train, c.Name+" seed="+strconv.Itoa(n.seed)+" null", na)
		out = append(out, n.null)
	}
	return out
}

// figureInput gathers what the study's figures action reads of c.
func figureInput(c *Condition, nets []network, score *Action) FigureInput {
	in := FigureInput{Cond: FigureCondition{Task: c.Task.Name, Level: c.Level}, Score: score}
	for _, n := range nets {
		in.Cond.Seeds = append(in.Cond.Seeds, int64(n.seed))
		in.Train, in.Record, in.Align = append(in.Train, n.train), append(in.Record, n.record), append(in.Align, n.align)
		if n.null != nil {
			in.Cond.Null, in.Null = append(in.Cond.Null, int64(n.seed)), append(in.Null, n.null)
		}
	}
	return in
}

// planFigures adds two figures actions per study (conditions arrive
// grouped by study), data and SVG, and PNG, and the two report actions over
// the first kind.
func planFigures(conds []Condition, fins []FigureInput) []*Action {
	var figs, pngs []*Action
	var rp ReportParams
	for i := 0; i < len(conds); {
		j := i
		for j < len(conds) && conds[j].Study == conds[i].Study {
			j++
		}
		c := &conds[i]
		attrs := []Attr{{"study", c.Study}}
		figs = append(figs, NewFiguresAction(c.Study, c.Factor, fins[i:j], c.Score, false, attrs))
		pngs = append(pngs, NewFiguresAction(c.Study, c.Factor, fins[i:j], c.Score, true, attrs))
		rp.Studies = append(rp.Studies, reportStudy(conds[i:j]))
		i = j
	}
	if len(figs) == 0 {
		return nil
	}
	rpng := rp
	rpng.Raster = true
	return append(append(figs, pngs...), NewReportAction(rp, figs), NewReportAction(rpng, figs))
}

func reportStudy(conds []Condition) ReportStudy {
	s := ReportStudy{Name: conds[0].Study, Factor: conds[0].Factor, Conditions: len(conds)}
	for _, c := range conds {
		if !slices.Contains(s.Tasks, c.Task.Name) {
			s.Tasks = append(s.Tasks, c.Task.Name)
		}
		if c.Level != "" && !slices.Contains(s.Levels, c.Level) {
			s.Levels = append(s.Levels, c.Level)
		}
		s.Seeds = max(s.Seeds, len(c.Seeds))
	}
	return s
}
