package tasks

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

func mustDefaults(t testing.TB, name string) Params {
	t.Helper()
	p, err := Defaults(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultsAreValid(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			p := mustDefaults(t, name)
			if err := p.Validate(); err != nil {
				t.Fatalf("Defaults(%q).Validate() = %v", name, err)
			}
		})
	}
}

func TestUnknownTask(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"", `name = "": must be one of flipflop, dd, sine, pi`},
		{"lorenz", `name = "lorenz": must be one of flipflop, dd, sine, pi`},
		{"delayed_discrimination", `name = "delayed_discrimination": must be one of flipflop, dd, sine, pi (this task is spelled "dd")`},
		{"path_integration", `name = "path_integration": must be one of flipflop, dd, sine, pi (this task is spelled "pi")`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Defaults(c.name)
			if err == nil || err.Error() != c.want {
				t.Fatalf("Defaults(%q) error = %v, want %s", c.name, err, c.want)
			}
			if err := (Params{Name: c.name, Channels: 1, T: 10}).Validate(); err == nil || err.Error() != c.want {
				t.Fatalf("Validate() = %v, want %s", err, c.want)
			}
			if _, err := json.Marshal(Params{Name: c.name}); err == nil {
				t.Fatalf("json.Marshal of task %q succeeded, want an error", c.name)
			}
		})
	}
}

func TestValidateErrors(t *testing.T) {
	cases := []struct {
		task string
		edit func(*Params)
		want string
	}{
		{"flipflop", func(p *Params) { p.Channels = 0 }, "channels = 0: must be ≥ 1"},
		{"sine", func(p *Params) { p.Channels = -2 }, "channels = -2: must be ≥ 1"},
		{"flipflop", func(p *Params) { p.T = 0 }, "t = 0: must be ≥ 1"},
		{"pi", func(p *Params) { p.T = -1 }, "t = -1: must be ≥ 1"},
		{"flipflop", func(p *Params) { p.PPulse = 1.5 }, "p_pulse = 1.5: must be in (0, 1]"},
		{"flipflop", func(p *Params) { p.PPulse = 0 }, "p_pulse = 0: must be in (0, 1]"},
		{"flipflop", func(p *Params) { p.PPulse = math.NaN() }, "p_pulse = NaN: must be in (0, 1]"},
		{"dd", func(p *Params) { p.T = 100 }, "t = 100: dd derives T = t_f1 + 2·pulse_len + delay_max + 10; leave t unset"},
		{"dd", func(p *Params) { p.TF1 = -1 }, "t_f1 = -1: must be ≥ 0"},
		{"dd", func(p *Params) { p.PulseLen = 0 }, "pulse_len = 0: must be ≥ 1"},
		{"dd", func(p *Params) { p.DelayMin = -3 }, "delay_min = -3: must be ≥ 0"},
		{"dd", func(p *Params) { p.DelayMax = 4 }, "delay_max = 4: must be ≥ delay_min (5)"},
		{"sine", func(p *Params) { p.NFreq = 0 }, "n_freq = 0: must be ≥ 1"},
		{"sine", func(p *Params) { p.Dt = 0 }, "dt = 0: must be a finite number > 0"},
		{"sine", func(p *Params) { p.Dt = math.Inf(1) }, "dt = +Inf: must be a finite number > 0"},
		{"pi", func(p *Params) { p.Dims = 4 }, "dims = 4: must be 2 or 3"},
		{"pi", func(p *Params) { p.Dims = 0 }, "dims = 0: must be 2 or 3"},
		{"dd", func(p *Params) { p.Channels, p.PulseLen = 0, 0 }, "channels = 0: must be ≥ 1\npulse_len = 0: must be ≥ 1"},
	}
	for _, c := range cases {
		t.Run(c.task+"/"+strings.SplitN(c.want, " ", 2)[0], func(t *testing.T) {
			p := mustDefaults(t, c.task)
			c.edit(&p)
			err := p.Validate()
			if err == nil || err.Error() != c.want {
				t.Fatalf("Validate() = %v, want %q", err, c.want)
			}
			var pe *ParamError
			if !errors.As(err, &pe) || !strings.HasPrefix(c.want, pe.Key+" = ") {
				t.Errorf("errors.As(ParamError) = %v (key %q), want the key of %q", pe != nil, pe.Key, c.want)
			}
		})
	}
}

func TestValidateIgnoresOtherTasksKeys(t *testing.T) {
	p := mustDefaults(t, "dd")
	p.PPulse, p.NFreq, p.Dims, p.Dt = 7, -1, 9, -1
	if err := p.Validate(); err != nil {
		t.Fatalf("dd with foreign knobs set: Validate() = %v, want nil", err)
	}
}

func TestMarshalJSONKeys(t *testing.T) {
	want := map[string]string{
		"flipflop": `{"task":"flipflop","channels":3,"t":100,"p_pulse":0.3}`,
		"dd":       `{"task":"dd","channels":1,"t_f1":5,"pulse_len":1,"delay_min":5,"delay_max":20,"aux":false}`,
		"sine":     `{"task":"sine","channels":1,"t":100,"n_freq":8,"dt":0.01}`,
		"pi":       `{"task":"pi","channels":1,"t":100,"dims":2}`,
	}
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			p := mustDefaults(t, name)
			got, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != want[name] {
				t.Fatalf("json = %s\nwant   %s", got, want[name])
			}
			// Knobs of every other task leave the encoding alone.
			q := p
			switch name {
			case FlipFlop, PI:
				q.TF1, q.Aux, q.NFreq, q.Dt = 99, true, 99, 9
			case DD:
				q.T, q.PPulse, q.Dims = 99, 0.9, 3
			case Sine:
				q.PPulse, q.DelayMax, q.Dims = 0.9, 99, 3
			}
			if name != PI {
				q.Dims = 3
			}
			if name != FlipFlop {
				q.PPulse = 0.9
			}
			again, _ := json.Marshal(q)
			if string(again) != string(got) {
				t.Errorf("foreign knobs changed the key:\n%s\n%s", again, got)
			}
			// The encoding decodes back to the task's own fields.
			var back Params
			if err := json.Unmarshal(got, &back); err != nil || back != p {
				t.Errorf("round trip = %+v, %v; want %+v", back, err, p)
			}
		})
	}
}

func TestWidthsAndSteps(t *testing.T) {
	cases := []struct {
		name             string
		edit             func(*Params)
		in, out, T, tOOD int
	}{
		{"flipflop", nil, 3, 3, 100, 200},
		{"flipflop", func(p *Params) { p.Channels = 5; p.T = 30 }, 5, 5, 30, 60},
		{"dd", nil, 1, 1, 37, 57},
		{"dd", func(p *Params) { p.Aux = true; p.Channels = 2 }, 2, 4, 37, 57},
		{"dd", func(p *Params) { p.DelayMax = 60; p.PulseLen = 3 }, 1, 1, 81, 141},
		{"sine", func(p *Params) { p.Channels = 4 }, 4, 4, 100, 200},
		{"pi", nil, 5, 2, 100, 200},
		{"pi", func(p *Params) { p.Dims = 3; p.Channels = 2 }, 14, 6, 100, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustDefaults(t, c.name)
			if c.edit != nil {
				c.edit(&p)
			}
			in, out := p.Widths()
			if in != c.in || out != c.out {
				t.Errorf("Widths() = %d, %d, want %d, %d", in, out, c.in, c.out)
			}
			if got := p.Steps(false); got != c.T {
				t.Errorf("Steps(false) = %d, want %d", got, c.T)
			}
			if got := p.Steps(true); got != c.tOOD {
				t.Errorf("Steps(true) = %d, want %d", got, c.tOOD)
			}
			b := NewBatch(p, 3, true)
			if b.B != 3 || b.T != c.tOOD || b.In != c.in || b.Out != c.out || len(b.X) != 3*c.tOOD*c.in || len(b.Y) != 3*c.tOOD*c.out {
				t.Errorf("NewBatch(ood) = %d×%d×(%d→%d) len %d,%d", b.B, b.T, b.In, b.Out, len(b.X), len(b.Y))
			}
		})
	}
}
