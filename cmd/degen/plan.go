package main

import (
	"encoding/json"
	"fmt"
	"io"

	"degen/artifacts"
	"degen/pipeline"
)

func init() {
	register(&command{
		name:  "plan",
		usage: "[--json] [--preset P] [--set k=v]...",
		help:  "show what `run` would compute and why (which key input changed); writes nothing",
		run:   runPlan,
	})
}

// planJSON is one line of `plan --json`.
type planJSON struct {
	Action  string            `json:"action"` // ActionID, "" while an input is yet to be computed
	Recipe  string            `json:"recipe"` // stable node identity (dependencies by recipe)
	Stage   string            `json:"stage"`
	Label   string            `json:"label"`
	Labels  []string          `json:"labels"` // every study's label for this action, Label first
	State   string            `json:"state"`  // cached | pending
	Reason  string            `json:"reason"`
	Outputs map[string]string `json:"outputs,omitempty"` // output name → OutputID, when cached
}

func runPlan(args []string, stdout, stderr io.Writer) error {
	var cf configFlags
	fs := newFlags(commands["plan"], stderr)
	cf.register(fs)
	asJSON := fs.Bool("json", false, "one JSON object per line per action")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, st, items, err := planned(&cf)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	counts := map[pipeline.State]int{}
	for _, it := range items {
		counts[it.State]++
		id := ""
		if it.ID != nil {
			id = it.ID.String()
		}
		if *asJSON {
			pj := planJSON{Action: id, Recipe: it.Node.Recipe, Stage: it.Node.Action.Stage.Name(), Label: it.Node.Action.Label, Labels: it.Node.Labels, State: string(it.State), Reason: it.Reason}
			if it.Entry != nil {
				pj.Outputs = map[string]string{}
				for _, o := range it.Entry.Outputs {
					pj.Outputs[o.Name] = o.ID.String()
				}
			}
			if err := enc.Encode(pj); err != nil {
				return err
			}
			continue
		}
		if it.State == pipeline.Pending {
			fmt.Fprintf(stdout, "%-8s %-9s %s: %s\n", it.State, it.Node.Action.Stage.Name(), it.Node.Action.Label, it.Reason)
		}
	}
	if !*asJSON {
		fmt.Fprintf(stdout, "%d actions: %d cached, %d pending\n", len(items), counts[pipeline.Cached], counts[pipeline.Pending])
		printEstimate(stdout, s.Estimate(st, items))
	}
	return nil
}

func planItems(cf *configFlags) ([]*pipeline.PlanItem, error) {
	_, _, items, err := planned(cf)
	return items, err
}

// planned loads the session, opens its store if there is one (st may be
// nil) and plans it.
func planned(cf *configFlags) (*pipeline.Session, *artifacts.Store, []*pipeline.PlanItem, error) {
	s, err := cf.session()
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := s.ExistingStore()
	if err != nil {
		return nil, nil, nil, err
	}
	last, err := pipeline.ReadRunLog(st, pipeline.LatestRun)
	if err != nil {
		return nil, nil, nil, err
	}
	items, err := s.Plan(st, last)
	return s, st, items, err
}
