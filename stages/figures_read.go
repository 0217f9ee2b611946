package stages

import (
	"fmt"
	"math"
)

// figCond is what the figures read of one condition.
type figCond struct {
	c      FigureCondition
	deg    map[string]degValue // score metric → its degeneracy row
	nets   []netSummary
	keep   []int     // networks that count (converged unless IncludeUnconverged)
	change []float64 // ‖W_T − W_0‖_F per network
	kalign []float64 // kernel alignment per network
	dist   map[string][][]float64
	curves []curve   // per network
	null   []float64 // dsa_angular between resampled probe sets of one network
}

// degValue is one row of a score degeneracy table.
type degValue struct{ value, se, lo, hi float64 }

type curve struct {
	epoch []int64
	loss  []float64
}

func readFigCond(env Env, p FiguresParams, i int) (*figCond, error) {
	c := p.Conditions[i]
	fc := &figCond{c: c}
	var err error
	if fc.deg, err = readDegeneracy(env); err != nil {
		return nil, err
	}
	if fc.nets, err = readNetworkSummaries(env, c.Seeds); err != nil {
		return nil, err
	}
	fc.keep, _ = keptNetworks(fc.nets, p.Stats.IncludeUnconverged)
	if fc.dist, err = readPairs(env, c.Seeds); err != nil {
		return nil, err
	}
	for _, s := range c.Seeds {
		if err := fc.readNetwork(env, s); err != nil {
			return nil, err
		}
	}
	for _, s := range c.Null {
		if err := fc.readNull(env, s); err != nil {
			return nil, err
		}
	}
	return fc, nil
}

func readDegeneracy(env Env) (map[string]degValue, error) {
	tab, err := env.Input(Score{}.Name(), OutDegeneracy)
	if err != nil {
		return nil, err
	}
	m, v, se, lo, hi := tab.Col("metric"), tab.Col("value"), tab.Col("se"), tab.Col("ci_lo"), tab.Col("ci_hi")
	n := tab.Rows()
	if m == nil || v == nil || se == nil || lo == nil || hi == nil || len(m.Strs) != n || len(v.F64) != n ||
		len(se.F64) != n || len(lo.F64) != n || len(hi.F64) != n {
		return nil, fmt.Errorf("score degeneracy: want columns metric, value, se, ci_lo, ci_hi")
	}
	out := make(map[string]degValue, n)
	for r := range n {
		out[m.Strs[r]] = degValue{v.F64[r], se.F64[r], lo.F64[r], hi.F64[r]}
	}
	return out, nil
}

// readNetwork reads one network's feature-learning measures and curve.
func (fc *figCond) readNetwork(env Env, s int64) error {
	dep := DepName(Record{}.Name(), s)
	tab, err := env.Input(dep, OutSummary)
	if err != nil {
		return err
	}
	wc, ka := tab.Col("weight_change"), tab.Col("kernel_alignment")
	if tab.Rows() != 1 || wc == nil || ka == nil || len(wc.F64) != 1 || len(ka.F64) != 1 {
		return fmt.Errorf("%s summary: want one row with weight_change, kernel_alignment (float64)", dep)
	}
	fc.change, fc.kalign = append(fc.change, wc.F64[0]), append(fc.kalign, ka.F64[0])
	dep = DepName(Train{}.Name(), s)
	if tab, err = env.Input(dep, OutCurve); err != nil {
		return err
	}
	ep, loss := tab.Col("epoch"), tab.Col("loss")
	if ep == nil || loss == nil || len(ep.Ints) != tab.Rows() || len(loss.F64) != tab.Rows() {
		return fmt.Errorf("%s curve: want columns epoch (int64), loss (float64)", dep)
	}
	fc.curves = append(fc.curves, curve{ep.Ints, loss.F64})
	return nil
}

func (fc *figCond) readNull(env Env, s int64) error {
	dep := DepName(DSANull{}.Name(), s)
	tab, err := env.Input(dep, OutPairs)
	if err != nil {
		return err
	}
	m, v := tab.Col("metric"), tab.Col("value")
	if m == nil || v == nil || len(m.Strs) != tab.Rows() || len(v.F64) != tab.Rows() {
		return fmt.Errorf("%s pairs: want columns metric, value (float64)", dep)
	}
	for r := range tab.Rows() {
		if m.Strs[r] == MetricDSAAngular && !math.IsNaN(v.F64[r]) {
			fc.null = append(fc.null, v.F64[r])
		}
	}
	return nil
}
