package pipeline

import (
	"math"
	"testing"

	"degen/artifacts"
	"degen/stages"
)

func TestRateForRecoversKnownRates(t *testing.T) {
	// Samples generated from seconds = 0.01·pairs + 2e-9·pairs·n³ exactly.
	var ss []sample
	for _, n := range []float64{32, 64, 128, 256} {
		for _, pairs := range []float64{1, 3, 7} {
			w := stages.Work{Units: pairs, Cubic: pairs * n * n * n}
			ss = append(ss, sample{work: w, seconds: 0.01*w.Units + 2e-9*w.Cubic})
		}
	}
	r, n := rateFor("align", ss)
	if n != len(ss) || math.Abs(r.PerUnit-0.01) > 1e-12 || math.Abs(r.PerCubic-2e-9)/2e-9 > 1e-9 {
		t.Errorf("align rate = %+v from %d samples, want {0.01 2e-09} from %d", r, n, len(ss))
	}
	// One term: total seconds over total units, train units scaled by epochs.
	train := []sample{
		{work: stages.Work{Units: 100, MaxEpochs: 50}, epochs: 10, seconds: 2},
		{work: stages.Work{Units: 300, MaxEpochs: 50}, epochs: 20, seconds: 10},
		{work: stages.Work{Units: 200, MaxEpochs: 50}, epochs: 5, seconds: 1},
	}
	r, _ = rateFor("train", train)
	if want := 13.0 / (1000 + 6000 + 1000); math.Abs(r.PerUnit-want) > 1e-15 || r.PerCubic != 0 {
		t.Errorf("train rate = %+v, want %g s/unit", r, want)
	}
	if f, n := medianEpochFraction(train); n != 3 || f != 10.0/50 {
		t.Errorf("median epoch fraction = %g of %d, want 0.2 of 3", f, n)
	}
	// Too few samples: the reference.
	if r, n := rateFor("train", train[:2]); n != 0 || r != referenceRates["train"] {
		t.Errorf("2 samples gave %+v (measured %d), want the reference", r, n)
	}
}

func TestEstimateScalesWithThePlan(t *testing.T) {
	est := func(sets ...string) *Estimate {
		t.Helper()
		s, err := NewSession(SessionOptions{LoadOptions: LoadOptions{Preset: "smoke", Sets: sets}, Store: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		items, err := s.Plan(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		return s.Estimate(nil, items)
	}
	base := est()
	if base.Seconds <= 0 || base.Bound <= base.Seconds {
		t.Fatalf("estimate %g s, bound %g s: want 0 < estimate < bound", base.Seconds, base.Bound)
	}
	// Twice the steps per epoch: exactly twice the train estimate.
	twice := est("train.steps_per_epoch=32")
	if got, want := stageSeconds(twice, "train"), 2*stageSeconds(base, "train"); math.Abs(got-want) > 1e-9*want {
		t.Errorf("train estimate at twice the steps = %g s, want %g s", got, want)
	}
	// Twice the width: at least 3.5× the train estimate (n² dominates).
	wide := est("model.n=64")
	if got, lo := stageSeconds(wide, "train"), 3.5*stageSeconds(base, "train"); got < lo {
		t.Errorf("train estimate at twice the width = %g s, want ≥ %g s", got, lo)
	}
}

func stageSeconds(e *Estimate, stage string) float64 {
	for _, s := range e.Stages {
		if s.Stage == stage {
			return s.Seconds
		}
	}
	return 0
}

// TestMeasureSamplesEvenly: measure reads the provenance of at most
// maxSamples cached actions per stage, every k-th of them, with their
// recorded durations.
func TestMeasureSamplesEvenly(t *testing.T) {
	defer func(n int) { maxSamples = n }(maxSamples)
	st, err := artifacts.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var items []*PlanItem
	for _, r := range runGraph(t, st, tinyGraph(t, 10)) {
		items = append(items, &PlanItem{Node: r.Node, State: Cached, Entry: r.Entry})
	}
	for _, tc := range []struct{ max, want int }{{100, 10}, {4, 4}, {3, 3}, {1, 1}} {
		maxSamples = tc.max
		ss := measure(st, items)["tiny"]
		if len(ss) != tc.want {
			t.Errorf("maxSamples %d: %d samples of 10 cached actions, want %d", tc.max, len(ss), tc.want)
		}
		for _, s := range ss {
			if s.seconds <= 0 || s.work.Units != 1 {
				t.Errorf("sample %+v: want a positive duration and one unit of work", s)
			}
		}
	}
}
