package stages

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"degen/metrics/dsa"
	"degen/metrics/weights"
)

// Align is the align stage: one batch of pairwise comparisons within a
// condition, the pairs (i, j) of one network j with every network i before
// it in seed order (SPEC §5). Batching by the newer network means adding
// seeds adds batches and reuses every old one.
//
// Deps, for each seed s of AlignParams.Earlier and for AlignParams.Seed:
//
//	train:<s>   weights_final: the recurrent matrix (w_rec, or J under µP)
//	record:<s>  trajectories: probe-set hidden states (activity matching,
//	            Procrustes, CKA)
//	dsafit:<s>  operator: the network's fitted DSA operator A
//
// Output (docs/schema.md, "align"): pairs, one row per pair × metric, sorted
// by seed_a (the earlier network), then metric. A comparison that has no
// value (a network whose weights or states are not finite, or whose states
// have no variance) is NaN, never an error, so one bad network does not
// stall its condition.
type Align struct{}

func (Align) Name() string { return "align" }
func (Align) Version() int { return 4 } // 2: deterministic DSA and linear algebra (same under GOAMD64=v3); 3: trust-region DSA optimiser; 4: FMA-kernel d_PIF and Procrustes/CKA

// AlignParams are the align stage's parameters. Every metric setting is a
// field, so it is part of the key.
type AlignParams struct {
	Seed    int64          `json:"seed"`    // the newer network j
	Earlier []int64        `json:"earlier"` // the networks before j, in seed order
	DSA     dsa.Params     `json:"dsa"`
	PIF     weights.Params `json:"pif"`
}

// Stage names used in dependency names, and the align output.
const (
	OutPairs    = "pairs"
	OutOperator = "operator" // the dsafit output align reads (OperatorFromTable)
)

// DepName is the name under which an align or score action reads the
// action of stage for network seed: "train:7".
func DepName(stage string, seed int64) string { return stage + ":" + strconv.FormatInt(seed, 10) }

// Pair metrics, in the pairs table's (sorted) order.
const (
	MetricCKA            = "cka"
	MetricDSAAngular     = "dsa_angular"
	MetricDSAEuclidean   = "dsa_euclidean"
	MetricDSAWasserstein = "dsa_wasserstein"
	MetricPIF            = "pif"
	MetricPIFIdentity    = "pif_identity"
	MetricPIFNorm        = "pif_norm"
	MetricProcrustes     = "procrustes"
)

// PairMetrics lists the pair metrics in sorted order.
var PairMetrics = []string{MetricCKA, MetricDSAAngular, MetricDSAEuclidean, MetricDSAWasserstein,
	MetricPIF, MetricPIFIdentity, MetricPIFNorm, MetricProcrustes}

// AlignDeps lists the dependencies of every align batch of a condition, for
// each network's train, record and dsafit actions (indexed like seeds): the
// batch of seeds[j] reads the first 3(j+1) of them (AlignDepCount). Every
// batch shares this one list, so a condition's DAG stays linear in its seeds
// instead of quadratic (issue #10: 2,000 seeds took 3 GB to plan).
func AlignDeps(seeds []int64, train, record, fit []*Action) []Dep {
	deps := make([]Dep, 0, 3*len(seeds))
	for k, s := range seeds {
		deps = append(deps,
			Dep{DepName(Train{}.Name(), s), train[k]},
			Dep{DepName(Record{}.Name(), s), record[k]},
			Dep{DepName(DSAFit{}.Name(), s), fit[k]})
	}
	return deps
}

// AlignDepCount is how many of AlignDeps the batch of seeds[j] reads.
func AlignDepCount(j int) int { return 3 * (j + 1) }

// NewAlignAction builds the align action of network seeds[j] of a condition,
// given the condition's AlignDeps. Its parameters and dependencies share
// seeds' and deps' storage (capacity-limited, so nothing appends into them).
func NewAlignAction(seeds []int64, j int, deps []Dep, dp dsa.Params, pp weights.Params, label string, attrs []Attr) *Action {
	p := AlignParams{Seed: seeds[j], Earlier: seeds[:j:j], DSA: dp, PIF: pp}
	n := AlignDepCount(j)
	return &Action{Stage: Align{}, Params: p, Deps: deps[:n:n], Label: label, Attrs: attrs}
}

// Run compares network Seed with every earlier network and writes pairs.
func (Align) Run(ctx context.Context, a *Action, env Env) error {
	p, err := paramsOf[AlignParams](a)
	if err != nil {
		return err
	}
	if err := p.PIF.Validate(); err != nil {
		return fmt.Errorf("align: %w", err)
	}
	nets := make([]*alignNet, len(p.Earlier)+1)
	for k, s := range append(slices.Clone(p.Earlier), p.Seed) {
		if nets[k], err = readAlignNet(env, s); err != nil {
			return fmt.Errorf("align %s: %w", DepName("seed", s), err)
		}
	}
	newer := nets[len(nets)-1]
	vals := make([]pairValues, len(p.Earlier))
	errs := make([]error, len(p.Earlier))
	parallel(ctx, len(p.Earlier), func(i int) {
		if ctx.Err() == nil {
			vals[i], errs[i] = comparePair(nets[i], newer, p)
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("align seeds %d, %d: %w", p.Earlier[i], p.Seed, err)
		}
	}
	env.Logf("align seed %d: %d pairs", p.Seed, len(p.Earlier))
	return env.Write(OutPairs, pairsTable(p, vals))
}

// parallel runs f(0..n-1) on as many goroutines as the action's share of
// the worker budget allows (borrow). Each call writes only its own slot, so
// results do not depend on the worker count.
func parallel(ctx context.Context, n int, f func(i int)) {
	workers, giveBack := borrow(ctx, n)
	defer giveBack()
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
