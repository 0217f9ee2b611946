package tasks

// Params are a task's parameters, as pipeline.toml's [task] table gives them
// after defaults are applied. Only the fields of the named task are part of a
// cache key (see MarshalJSON): changing p_pulse never touches a dd condition.
type Params struct {
	Name     string  `toml:"name" json:"task"` // flipflop | dd | sine | pi
	Channels int     `toml:"channels" json:"channels"`
	T        int     `toml:"t" json:"t"`             // flipflop, sine, pi (dd derives T)
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
