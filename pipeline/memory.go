package pipeline

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"

	"degen/stages"
	"degen/tasks"
)

// A config whose sizes validate can still ask for more memory than the
// machine has (model.n = 1e8 is a 10^16-float matrix): Go then panics in
// makeslice or the kernel kills the process, long after the config was
// accepted. So every condition's largest action is estimated from its sizes
// before anything runs, and a condition that cannot fit is a config error
// naming the key that makes it big.

// memEstimate is one condition's peak memory per stage, in bytes. The sums
// are in float64 so that absurd sizes cannot overflow; they are deliberately
// rough (the buffers that scale, not every slice header) and err high.
type memEstimate struct {
	stage string
	bytes float64
}

// estimateMemory returns the largest per-action estimate of condition c.
func estimateMemory(c *stages.Condition) memEstimate {
	t := c.Task
	inW, outW := t.Widths()
	in, out := float64(inW), float64(outW)
	w := in + out
	T, Tood := steps(t, false), steps(t, true)
	n := float64(c.Model.N)
	P := n*n + n*(in+out+1) + out // parameters (µP has fewer; SP bounds both)
	B := float64(c.Train.Batch)
	seeds := float64(len(c.Seeds))
	mup := c.Model.Param == "mup"

	// generate: every set as floats, then as a tidy table (~36 bytes a row).
	values := (32+256+64)*T*w + 256*Tood*w
	gen := values * (4 + 36)

	// train: θ, its gradient, Adam's two moments and the transposes (4 bytes
	// each), the B×T activations the backward pass keeps, the nuclear norm's
	// float64 SVD, and the two weights tables (24 bytes a row).
	acts := 2.0
	if mup {
		acts = 5
	}
	train := 4*(6*P+B*T*(2*in+5*out+acts*n)) + 8*4*n*n + 2*24*P

	// record: the three data sets and the forward pass over the largest
	// (256 OOD trials), the trajectories table, and the NTK Jacobian (rows ×
	// P float64) with its Gram matrix.
	ntkRows := float64(c.NTK.Trials) * float64(c.NTK.Steps) * out
	record := values*4 + 4*256*Tood*(acts*n+2*out) + 28*32*T*n + 8*(ntkRows*P+ntkRows*ntkRows) + 8*2*P

	// dsafit: the states as float64 and the stacked Hankel matrix with the
	// Gram matrix of its columns.
	cols := float64(c.DSA.NDelays) * n
	dsafit := 8*32*T*n + 8*2*32*T*cols + 8*2*cols*cols

	// align: every earlier network's states and weights at once, plus the
	// pairs compared in parallel (n×n float64 matrices for d_PIF and its
	// assignment problem).
	pairs := math.Min(seeds, float64(runtime.GOMAXPROCS(0)))
	align := seeds*(8*32*T*n+8*P+28*32*T*n) + pairs*8*(12*n*n+2*32*T*n)

	peak := memEstimate{"generate", gen}
	for _, e := range []memEstimate{{"train", train}, {"record", record}, {"dsafit", dsafit}, {"align", align}} {
		if e.bytes > peak.bytes {
			peak = e
		}
	}
	return peak
}

// steps is tasks.Params.Steps in float64 (an absurd t must not overflow).
func steps(t tasks.Params, ood bool) float64 {
	k := 1.0
	if ood {
		k = 2
	}
	if t.Name == tasks.DD {
		return float64(t.TF1) + 2*float64(t.PulseLen) + k*float64(t.DelayMax) + 10
	}
	return k * float64(t.T)
}

// sizeKeys are the keys an estimate scales with, as a study or the file
// spells them ("task.KEY" means the condition's task table).
var sizeKeys = []string{"model.n", "task.channels", "task.t", "task.delay_max", "train.batch", "record.ntk_trials", "record.ntk_steps", "metrics.dsa.n_delays", "task.dims", "task.aux"}

// blame picks the size key whose value most inflates the estimate: the one
// that, put back to its default, shrinks the estimate most.
func blame(c *stages.Condition) string {
	base := estimateMemory(c).bytes
	best, bestKey := base, "model.n"
	def := Defaults()
	for _, k := range sizeKeys {
		d := *c
		dt := *def.Task.get(c.Task.Name)
		switch k {
		case "model.n":
			d.Model.N = def.Model.N
		case "task.channels":
			d.Task.Channels = dt.Channels
		case "task.t":
			d.Task.T = dt.T
		case "task.delay_max":
			d.Task.DelayMax = dt.DelayMax
		case "task.dims":
			d.Task.Dims = dt.Dims
		case "task.aux":
			d.Task.Aux = dt.Aux
		case "train.batch":
			d.Train.Batch = def.Train.Batch
		case "record.ntk_trials":
			d.NTK.Trials = def.Record.Trials
		case "record.ntk_steps":
			d.NTK.Steps = def.Record.Steps
		case "metrics.dsa.n_delays":
			d.DSA.NDelays = def.Metrics.DSA.NDelays
		}
		if e := estimateMemory(&d).bytes; e < best {
			best, bestKey = e, k
		}
	}
	return bestKey
}

// checkMemory fails a condition whose largest action cannot fit in memory,
// naming the place of the key that makes it big (the study's line when the
// study sets or varies it).
func (c *Config) checkMemory(study string, s Study, cond *stages.Condition) error {
	if c.skipMemory {
		return nil
	}
	limit, from := memoryLimit()
	e := estimateMemory(cond)
	if e.bytes <= float64(limit) {
		return nil
	}
	key := blame(cond)
	full := key
	if rest, ok := strings.CutPrefix(key, "task."); ok {
		full = "task." + cond.Task.Name + "." + rest
	}
	where := c.origin.where(full)
	if s.Vary == key || hasStudyKey(s.Set, key) {
		where = c.origin.where("study." + study)
	}
	return &ConfigError{Where: where, Key: full, Msg: fmt.Sprintf(
		"study %s, %s: one %s action would need about %s of memory, more than the %s available (%s); make %s smaller",
		study, cond.Name, e.stage, humanBytes(e.bytes), humanBytes(float64(limit)), from, key)}
}

func hasStudyKey(set map[string]any, key string) bool {
	_, ok := set[key]
	return ok
}

// MemoryLimitEnv overrides the memory a configuration may plan for, in bytes
// or with a K, M, G or T suffix (binary units): for a machine whose limit
// degen cannot read, or to leave room for other work.
const MemoryLimitEnv = "DEGEN_MEM_LIMIT"

// defaultMemory is assumed where the machine's memory cannot be read (not
// Linux, no /proc).
const defaultMemory = 16 << 30

// memoryLimit is the memory one action may use: DEGEN_MEM_LIMIT, else the
// smaller of physical memory and the cgroup's limit, else 16 GiB. The second
// result says where it came from, for the error message.
func memoryLimit() (int64, string) {
	if v := os.Getenv(MemoryLimitEnv); v != "" {
		if n, err := parseBytes(v); err == nil {
			return n, MemoryLimitEnv + "=" + v
		}
	}
	limit, from := int64(0), ""
	if n, ok := memTotal(); ok {
		limit, from = n, "physical memory"
	}
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 && (limit == 0 || n < limit) {
			limit, from = n, "cgroup limit"
		}
	}
	if limit == 0 {
		return defaultMemory, "assumed; set " + MemoryLimitEnv
	}
	return limit, from
}

func memTotal() (int64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

// parseBytes reads "123", "512M", "8G", "1.5T".
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToUpper(strings.TrimSuffix(strings.TrimSuffix(s, "B"), "i")))
	mult := 1.0
	if i := strings.IndexAny(s, "KMGT"); i == len(s)-1 && i > 0 {
		mult = math.Pow(1024, float64(strings.IndexByte("KMGT", s[i])+1))
		s = s[:i]
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f > 0) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%s: want a byte count such as 8G", s)
	}
	return int64(f * mult), nil
}

func humanBytes(b float64) string {
	const unit = 1024.0
	for _, u := range []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"} {
		if b < unit {
			return strconv.FormatFloat(b, 'f', 1, 64) + " " + u
		}
		b /= unit
	}
	return strconv.FormatFloat(b, 'g', 3, 64) + " EiB"
}
