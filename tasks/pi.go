package tasks

import (
	"math"
	"math/rand/v2"
)

// Path-integration constants (SPEC §2).
const (
	piWall     = 5.0 // the arena is [−piWall, piWall]^dims
	piSigma    = 0.3 // heading random-walk step SD, rad/step
	piMaxSpeed = 0.2 // speed ~ U[0, piMaxSpeed]
)

// genPI: path integration (SPEC §2). Per channel group an agent starts at
// p₋₁ ~ U[−5, 5]^dims, given on the group's last dims inputs at t = 0 only.
// At each step it turns, picks a speed v ~ U[0, 0.2], and moves:
// p_t = p_{t−1} + v·u_t, where u_t is the unit heading fed as input along
// with v. The target is p_t, so the first output already includes one move.
//
// dims = 2: heading angle θ, inputs (cos θ, sin θ, v, x₋₁, y₋₁).
// dims = 3 (ours): azimuth θ and elevation φ each take an independent
// random walk with σ = 0.3; u = (cos φ cos θ, cos φ sin θ, sin φ), inputs
// (u_x, u_y, u_z, v, x₋₁, y₋₁, z₋₁). φ is not clamped: walking over a pole
// is continuous in u.
//
// Walls (ours): before a step that would leave the arena, each offending
// component of u is mirrored (θ → π−θ for x, θ → −θ for y, φ → −φ for z),
// and the mirrored u is what the input shows. So the target is always the
// exact integral of the inputs, and |p| ≤ 5 holds because |v·u| ≤ 0.2.
//
// Draw order, per trial, per channel group:
//
//	dims × rng.Float64()           start p₋₁ = 10u − 5, component by component
//	rng.Float64() (×2 if dims = 3)  θ₀ (then φ₀) = 2πu − π
//	per step t = 0..T−1: u1, u2, u3 := 3 × rng.Float64()
//	   (z1, z2) = Box–Muller(u1, u2); θ += 0.3·z1; dims 3: φ += 0.3·z2
//	   v = 0.2·u3
func genPI(p Params, b *Batch, rng *rand.Rand) {
	inPer, outPer := p.perGroup()
	for trial := range b.B {
		for g := range p.Channels {
			w := piWalker{dims: p.Dims}
			w.start(rng)
			x0, y0 := g*inPer, g*outPer
			for d := range w.dims {
				b.X[b.xAt(0, trial, x0+w.dims+1+d)] = float32(w.pos[d])
			}
			for t := range b.T {
				v := w.step(rng)
				for d := range w.dims {
					b.X[b.xAt(t, trial, x0+d)] = float32(w.dir[d])
					b.Y[b.yAt(t, trial, y0+d)] = float32(w.pos[d])
				}
				b.X[b.xAt(t, trial, x0+w.dims)] = float32(v)
			}
		}
	}
}

// piWalker is one agent's state; it lives on the stack, so a batch
// allocates nothing.
type piWalker struct {
	dims       int
	theta, phi float64    // azimuth, elevation (phi stays 0 in 2-D)
	pos, dir   [3]float64 // position, unit heading of the last step
}

func (w *piWalker) start(rng *rand.Rand) {
	for d := range w.dims {
		w.pos[d] = float64(2*piWall*rng.Float64()) - piWall
	}
	w.theta = float64(2*math.Pi*rng.Float64()) - math.Pi
	if w.dims == 3 {
		w.phi = float64(2*math.Pi*rng.Float64()) - math.Pi
	}
}

// step turns, draws a speed, bounces off walls, moves, and returns the speed.
func (w *piWalker) step(rng *rand.Rand) float64 {
	u1, u2, u3 := rng.Float64(), rng.Float64(), rng.Float64()
	z1, z2 := normalPair(u1, u2)
	v := piMaxSpeed * u3
	w.theta = mulAdd(piSigma, z1, w.theta)
	if w.dims == 3 {
		w.phi = mulAdd(piSigma, z2, w.phi)
	}
	w.heading()
	for d := range w.dims {
		if next := mulAdd(v, w.dir[d], w.pos[d]); next > piWall || next < -piWall {
			w.mirror(d)
		}
		w.pos[d] = mulAdd(v, w.dir[d], w.pos[d])
	}
	return v
}

func (w *piWalker) heading() {
	st, ct := sincos(w.theta)
	if w.dims == 2 {
		w.dir = [3]float64{ct, st, 0}
		return
	}
	sp, cp := sincos(w.phi)
	w.dir = [3]float64{cp * ct, cp * st, sp}
}

// mirror reflects heading component d exactly, and the angle with it so the
// walk continues from the reflected heading.
func (w *piWalker) mirror(d int) {
	w.dir[d] = -w.dir[d]
	switch d {
	case 0:
		w.theta = math.Pi - w.theta
	case 1:
		w.theta = -w.theta
	case 2:
		w.phi = -w.phi
	}
}
