package pipeline

import (
	"sort"

	"degen/artifacts"
	"degen/stages"
)

// An Estimate predicts the CPU time of a plan's pending actions from
// per-stage rates: seconds per unit of stages.Work. A stage's rate is
// measured on the plan's own cached actions (their provenance records hold
// how long each took) when at least minMeasured of them are cached, and is
// the reference rate otherwise (measured on the quick study, docs/perf.md).
type Estimate struct {
	Stages []StageEstimate
	// Seconds is the expected CPU time; Bound assumes every pending network
	// trains to max_epochs.
	Seconds, Bound float64
	// EpochFraction is the share of max_epochs a network is expected to
	// train, and EpochSource says where it came from.
	EpochFraction float64
	EpochSource   string
}

// A StageEstimate is one stage's share of an Estimate.
type StageEstimate struct {
	Stage          string
	Pending        int
	Seconds, Bound float64
	Rate           Rate
	Measured       int // cached actions the rate was measured on; 0: the reference rate
}

// A Rate is a stage's seconds per unit of stages.Work (and per unit of
// Work.Cubic, for align).
type Rate struct{ PerUnit, PerCubic float64 }

// seconds is what work w costs at rate r: expected, with a training running
// epochFraction of its epoch cap, and bound, running all of it.
func (r Rate) seconds(w stages.Work, epochFraction float64) (expected, bound float64) {
	t := r.PerUnit*w.Units + r.PerCubic*w.Cubic
	if w.MaxEpochs == 0 {
		return t, t
	}
	bound = t * float64(w.MaxEpochs)
	return bound * epochFraction, bound
}

// referenceSeconds is an action's expected cost at the reference rates,
// before anything of its plan has run (the Slurm workers' scan order).
func referenceSeconds(n *Node) float64 {
	t, _ := referenceRates[n.Action.Stage.Name()].seconds(stages.WorkOf(n.Action), referenceEpochFraction)
	return t
}

// referenceRates were measured on the quick study (1,765 actions, `just
// reproduce` from an empty store, -j 2 on the otherwise idle 2-core build
// machine; docs/results.md): `degen plan` on a finished plan prints the rates
// measured on its cached actions. Train is per unit·epoch; stages WorkOf
// does not size count one unit per action.
var referenceRates = map[string]Rate{
	"train":    {PerUnit: 8.2e-11},
	"record":   {PerUnit: 6.7e-7},
	"dsafit":   {PerUnit: 3.4e-6},
	"align":    {PerUnit: 7.0e-3, PerCubic: 1.56e-8},
	"generate": {PerUnit: 0.058},
	"score":    {PerUnit: 0.0073},
	"dsanull":  {PerUnit: 0.031},
	"figures":  {PerUnit: 0.10},
	"report":   {PerUnit: 0.05},
}

// referenceEpochFraction is the median share of max_epochs the quick
// study's networks trained.
const referenceEpochFraction = 0.062

// minMeasured is how many cached actions of a stage it takes to trust a rate
// measured on them over the reference.
const minMeasured = 3

// Estimate predicts the cost of items' pending actions. st may be nil.
func (s *Session) Estimate(st *artifacts.Store, items []*PlanItem) *Estimate {
	samples := measure(st, items)
	est := &Estimate{EpochFraction: referenceEpochFraction, EpochSource: "reference (quick study)"}
	if f, n := medianEpochFraction(samples["train"]); n >= minMeasured {
		est.EpochFraction, est.EpochSource = f, "median of the plan's cached networks"
	}
	byStage := map[string]*StageEstimate{}
	var order []string
	for _, it := range items {
		name := it.Node.Action.Stage.Name()
		se, ok := byStage[name]
		if !ok {
			se = &StageEstimate{Stage: name}
			se.Rate, se.Measured = rateFor(name, samples[name])
			byStage[name] = se
			order = append(order, name)
		}
		if it.State != Pending {
			continue
		}
		se.Pending++
		t, bound := se.Rate.seconds(stages.WorkOf(it.Node.Action), est.EpochFraction)
		se.Seconds += t
		se.Bound += bound
	}
	for _, name := range order {
		se := byStage[name]
		est.Stages = append(est.Stages, *se)
		est.Seconds += se.Seconds
		est.Bound += se.Bound
	}
	return est
}

// A sample is one cached action's measured cost.
type sample struct {
	work    stages.Work
	epochs  int
	seconds float64
}

// maxSamples bounds the cached actions measure reads per stage: a finished
// paper-scale plan has thousands, and `degen plan` must stay quick.
var maxSamples = 100 // Overridden by tests.

// measure reads the provenance record (and, for train, the epochs run) of
// cached items, at most maxSamples per stage spread evenly over the plan
// (every k-th cached action of the stage). Records that cannot be read are
// skipped: an estimate never fails a plan over a damaged provenance object.
func measure(st *artifacts.Store, items []*PlanItem) map[string][]sample {
	out := map[string][]sample{}
	if st == nil {
		return out
	}
	cached := map[string]int{}
	for _, it := range items {
		if it.State == Cached && it.Entry != nil && it.Entry.Prov != nil {
			cached[it.Node.Action.Stage.Name()]++
		}
	}
	seen := map[string]int{}
	for _, it := range items {
		if it.State != Cached || it.Entry == nil || it.Entry.Prov == nil {
			continue
		}
		name := it.Node.Action.Stage.Name()
		stride := (cached[name] + maxSamples - 1) / maxSamples
		if seen[name]++; (seen[name]-1)%stride != 0 {
			continue
		}
		p, err := readProvenance(st, *it.Entry.Prov)
		if err != nil || p.Seconds <= 0 {
			continue
		}
		smp := sample{work: stages.WorkOf(it.Node.Action), seconds: p.Seconds}
		if smp.work.MaxEpochs > 0 {
			o, ok := it.Entry.Output(stages.OutSummary)
			if !ok {
				continue
			}
			tab, _, err := st.ReadTable(o)
			if err != nil {
				continue
			}
			if smp.epochs, err = stages.TrainEpochs(tab); err != nil {
				continue
			}
		}
		out[name] = append(out[name], smp)
	}
	return out
}

// rateFor fits a stage's rate to its samples, falling back to the reference
// rate when there are too few.
func rateFor(stage string, ss []sample) (Rate, int) {
	if len(ss) < minMeasured {
		return referenceRates[stage], 0
	}
	// Normal equations of seconds ≈ a·u + b·c, with u the (epoch-scaled)
	// units and c the cubic term; with one term, the ratio of sums (total
	// seconds over total units), which big actions do not dominate as much.
	var su, ssec, suu, suc, scc, sus, scs float64
	for _, s := range ss {
		u := s.work.Units
		if s.work.MaxEpochs > 0 {
			u *= float64(s.epochs)
		}
		c := s.work.Cubic
		su += u
		ssec += s.seconds
		suu += u * u
		suc += u * c
		scc += c * c
		sus += u * s.seconds
		scs += c * s.seconds
	}
	if det := suu*scc - suc*suc; scc > 0 && det > 0 {
		a, b := (sus*scc-scs*suc)/det, (scs*suu-sus*suc)/det
		if a >= 0 && b >= 0 {
			return Rate{PerUnit: a, PerCubic: b}, len(ss)
		}
	}
	if su == 0 {
		return referenceRates[stage], 0
	}
	return Rate{PerUnit: ssec / su}, len(ss)
}

func medianEpochFraction(ss []sample) (float64, int) {
	var fs []float64
	for _, s := range ss {
		if s.work.MaxEpochs > 0 {
			fs = append(fs, float64(s.epochs)/float64(s.work.MaxEpochs))
		}
	}
	if len(fs) == 0 {
		return 0, 0
	}
	sort.Float64s(fs)
	return fs[len(fs)/2], len(fs)
}
