package pipeline

import (
	"degen/artifacts"
)

// An ActionStatus is where one action of a manifest stands.
type ActionStatus struct {
	Action  ManifestAction
	State   string // done | running | pending | failed
	Lease   *artifacts.LeaseInfo
	Failure *FailureRecord
}

// Status follows a submitted plan: each of m's actions is done (committed),
// failed (a worker recorded why), running (a live lease) or pending. It
// writes nothing.
func (m *Manifest) Status(s *Session, st *artifacts.Store) ([]ActionStatus, error) {
	items, err := s.Plan(st, nil)
	if err != nil {
		return nil, err
	}
	byRecipe := make(map[string]*PlanItem, len(items))
	for _, it := range items {
		byRecipe[it.Node.Recipe] = it
	}
	out := make([]ActionStatus, len(m.Actions))
	for i, a := range m.Actions {
		as := ActionStatus{Action: a, State: "pending"}
		it := byRecipe[a.Recipe]
		switch {
		case it == nil:
			return nil, errNoManifestAction
		case it.State == Cached:
			as.State = "done"
		default:
			if rec, ok := ReadFailure(st, m, a.Recipe); ok {
				as.State, as.Failure = "failed", rec
			} else if it.ID != nil {
				if info, live, err := st.ReadLease(*it.ID); err == nil && live {
					as.State, as.Lease = "running", &info
				}
			}
		}
		out[i] = as
	}
	return out, nil
}
