package tasks

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Params are a task's parameters, as pipeline.toml's [task] table gives them
// after defaults are applied. Only the fields of the named task are part of a
// cache key (see MarshalJSON): changing p_pulse never touches a dd condition.
type Params struct {
	Name     string  `toml:"name" json:"task"` // flipflop | dd | sine | pi
	Channels int     `toml:"channels" json:"channels"`
	T        int     `toml:"t" json:"t"`             // flipflop, sine, pi (dd derives T; leave it 0)
	PPulse   float64 `toml:"p_pulse" json:"p_pulse"` // flipflop
	TF1      int     `toml:"t_f1" json:"t_f1"`       // dd
	PulseLen int     `toml:"pulse_len" json:"pulse_len"`
	DelayMin int     `toml:"delay_min" json:"delay_min"`
	DelayMax int     `toml:"delay_max" json:"delay_max"`
	Aux      bool    `toml:"aux" json:"aux"`
	NFreq    int     `toml:"n_freq" json:"n_freq"` // sine
	Dt       float64 `toml:"dt" json:"dt"`
	Dims     int     `toml:"dims" json:"dims"` // pi
}

// Task names, in the order error messages list them.
const (
	FlipFlop = "flipflop"
	DD       = "dd"
	Sine     = "sine"
	PI       = "pi"
)

// Names lists the valid task names.
func Names() []string { return []string{FlipFlop, DD, Sine, PI} }

// longNames are the SPEC's long spellings, named in the unknown-task error so
// a user who writes one learns the key's spelling.
var longNames = map[string]string{
	"delayed_discrimination": DD,
	"path_integration":       PI,
	"3bff":                   FlipFlop,
}

// Defaults returns the SPEC §2 defaults for the named task. Channels defaults
// to 3 for flipflop (the paper's 3-bit flip-flop) and 1 elsewhere (ours).
func Defaults(name string) (Params, error) {
	switch name {
	case FlipFlop:
		return Params{Name: name, Channels: 3, T: 100, PPulse: 0.3}, nil
	case DD:
		return Params{Name: name, Channels: 1, TF1: 5, PulseLen: 1, DelayMin: 5, DelayMax: 20}, nil
	case Sine:
		return Params{Name: name, Channels: 1, T: 100, NFreq: 8, Dt: 0.01}, nil
	case PI:
		return Params{Name: name, Channels: 1, T: 100, Dims: 2}, nil
	}
	return Params{}, unknownTask(name)
}

// A ParamError names the offending key (as pipeline.toml spells it), its
// value, and what would be valid, so the config layer can point at the line.
type ParamError struct {
	Key   string
	Value any
	Want  string
}

func (e *ParamError) Error() string {
	if s, ok := e.Value.(string); ok {
		return fmt.Sprintf("%s = %q: %s", e.Key, s, e.Want)
	}
	return fmt.Sprintf("%s = %v: %s", e.Key, e.Value, e.Want)
}

func unknownTask(name string) error {
	want := "must be one of " + strings.Join(Names(), ", ")
	if short, ok := longNames[strings.ToLower(name)]; ok {
		want += fmt.Sprintf(" (this task is spelled %q)", short)
	}
	return &ParamError{Key: "name", Value: name, Want: want}
}

// Validate reports every invalid key of p's task, joined, in key order.
// Keys of other tasks are ignored: they are not part of p's identity.
func (p Params) Validate() error {
	var errs []error
	bad := func(key string, v any, want string) {
		errs = append(errs, &ParamError{Key: key, Value: v, Want: want})
	}
	switch p.Name {
	case FlipFlop, DD, Sine, PI:
	default:
		return unknownTask(p.Name)
	}
	if p.Channels < 1 {
		bad("channels", p.Channels, "must be ≥ 1")
	}
	if p.Name == DD {
		p.validateDD(bad)
	} else if p.T < 1 {
		bad("t", p.T, "must be ≥ 1")
	}
	switch p.Name {
	case FlipFlop:
		if !(p.PPulse > 0 && p.PPulse <= 1) {
			bad("p_pulse", p.PPulse, "must be in (0, 1]")
		}
	case Sine:
		if p.NFreq < 1 {
			bad("n_freq", p.NFreq, "must be ≥ 1")
		}
		if !(p.Dt > 0) || math.IsInf(p.Dt, 0) {
			bad("dt", p.Dt, "must be a finite number > 0")
		}
	case PI:
		if p.Dims != 2 && p.Dims != 3 {
			bad("dims", p.Dims, "must be 2 or 3")
		}
	}
	return errors.Join(errs...)
}

func (p Params) validateDD(bad func(string, any, string)) {
	if p.T != 0 {
		bad("t", p.T, "dd derives T = t_f1 + 2·pulse_len + delay_max + 10; leave t unset")
	}
	if p.TF1 < 0 {
		bad("t_f1", p.TF1, "must be ≥ 0")
	}
	if p.PulseLen < 1 {
		bad("pulse_len", p.PulseLen, "must be ≥ 1")
	}
	if p.DelayMin < 0 {
		bad("delay_min", p.DelayMin, "must be ≥ 0")
	}
	if p.DelayMax < p.DelayMin {
		bad("delay_max", p.DelayMax, fmt.Sprintf("must be ≥ delay_min (%d)", p.DelayMin))
	}
}

// Widths is the width of the network's input and output vectors: channel
// groups side by side, group g at [g·per, (g+1)·per) (see doc.go).
func (p Params) Widths() (in, out int) {
	inPer, outPer := p.perGroup()
	return p.Channels * inPer, p.Channels * outPer
}

// perGroup is the input and output width of one channel group.
func (p Params) perGroup() (in, out int) {
	switch p.Name {
	case FlipFlop, Sine:
		return 1, 1
	case DD:
		if p.Aux {
			return 1, 2
		}
		return 1, 1
	case PI:
		if p.Dims == 3 {
			return 3 + 1 + 3, 3 // direction, speed, start
		}
		return 2 + 1 + 2, 2 // cos θ, sin θ, speed, start
	}
	return 0, 0
}

// Steps is the trial length T. OOD ("temporal generalization") doubles it;
// for dd it is t_f1 + 2·pulse_len + delay_max + 10 with delay_max doubled
// for OOD, so the response window stays 10 steps after the longest delay.
func (p Params) Steps(ood bool) int {
	k := 1
	if ood {
		k = 2
	}
	if p.Name == DD {
		return p.TF1 + 2*p.PulseLen + k*p.DelayMax + 10
	}
	return k * p.T
}

// MarshalJSON emits only the keys of p's task, in a fixed order: this is the
// canonical encoding hashed into cache keys and seeds, so a knob of another
// task can never change a key.
func (p Params) MarshalJSON() ([]byte, error) {
	switch p.Name {
	case FlipFlop:
		return json.Marshal(struct {
			Task     string  `json:"task"`
			Channels int     `json:"channels"`
			T        int     `json:"t"`
			PPulse   float64 `json:"p_pulse"`
		}{p.Name, p.Channels, p.T, p.PPulse})
	case DD:
		return json.Marshal(struct {
			Task     string `json:"task"`
			Channels int    `json:"channels"`
			TF1      int    `json:"t_f1"`
			PulseLen int    `json:"pulse_len"`
			DelayMin int    `json:"delay_min"`
			DelayMax int    `json:"delay_max"`
			Aux      bool   `json:"aux"`
		}{p.Name, p.Channels, p.TF1, p.PulseLen, p.DelayMin, p.DelayMax, p.Aux})
	case Sine:
		return json.Marshal(struct {
			Task     string  `json:"task"`
			Channels int     `json:"channels"`
			T        int     `json:"t"`
			NFreq    int     `json:"n_freq"`
			Dt       float64 `json:"dt"`
		}{p.Name, p.Channels, p.T, p.NFreq, p.Dt})
	case PI:
		return json.Marshal(struct {
			Task     string `json:"task"`
			Channels int    `json:"channels"`
			T        int    `json:"t"`
			Dims     int    `json:"dims"`
		}{p.Name, p.Channels, p.T, p.Dims})
	}
	return nil, unknownTask(p.Name)
}
