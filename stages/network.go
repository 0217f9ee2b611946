package stages

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"

	"degen/artifacts"
)

// NetworkID names one trained network: the first 16 hex digits of SHA-256
// over "degen-network v1\n" and the canonical JSON of its train parameters
// (task, model, training, seed) — exactly what its weights depend on. Two
// studies that share a condition share its networks and so their ids, which
// is how an analyst removes the duplicate rows an export shows under each
// study. 64 bits: a collision among even a million networks has odds ~1e-8.
func NetworkID(p TrainParams) (string, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("network id: %w", err)
	}
	h := sha256.New()
	h.Write([]byte("degen-network v1\n"))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// networkColumnNames are the summary columns that say which network a row
// describes, in order; train writes them and record copies them.
var networkColumnNames = []string{"network", "param", "n", "gamma", "lr", "threshold", "l1", "nuclear"}

// networkColumns are the network's id and its condition's model and
// training parameters, one row, so a summary row stands on its own without
// the partition path. γ is NaN under SP, which has no γ.
func networkColumns(p TrainParams) ([]artifacts.Column, error) {
	id, err := NetworkID(p)
	if err != nil {
		return nil, err
	}
	gamma := p.Model.Gamma
	if p.Model.Param != "mup" {
		gamma = math.NaN()
	}
	return []artifacts.Column{
		artifacts.StringCol("network", []string{id}),
		artifacts.DictCol("param", []string{p.Model.Param}),
		artifacts.Int64Col("n", []int64{int64(p.Model.N)}),
		artifacts.Float64Col("gamma", []float64{gamma}),
		artifacts.Float64Col("lr", []float64{p.Train.LR}),
		artifacts.Float64Col("threshold", []float64{p.Train.Threshold}),
		artifacts.Float64Col("l1", []float64{p.Train.L1}),
		artifacts.Float64Col("nuclear", []float64{p.Train.Nuclear}),
	}, nil
}

// copyNetworkColumns takes the network columns out of a train summary.
func copyNetworkColumns(train *artifacts.Table) ([]artifacts.Column, error) {
	out := make([]artifacts.Column, 0, len(networkColumnNames))
	for _, name := range networkColumnNames {
		c := train.Col(name)
		if c == nil || c.Len() != 1 {
			return nil, fmt.Errorf("train summary: no %s column (written by train version ≥ 3)", name)
		}
		out = append(out, *c)
	}
	return out, nil
}

// NetworkOf is the training of the one network a per-network action (train,
// record, dsafit) describes; ok is false for the other stages, which compare
// or summarise several networks, or none.
func NetworkOf(a *Action) (TrainParams, bool) {
	switch a.Stage.(type) {
	case Train:
		return paramsAs[TrainParams](a)
	case Record:
		return trainOf(a)
	case DSAFit:
		if len(a.Deps) > 0 {
			return trainOf(a.Deps[0].Action)
		}
	}
	return TrainParams{}, false
}
