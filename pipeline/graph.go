package pipeline

import (
	"encoding/hex"
	"fmt"

	"degen/stages"
)

// A Node is an action in the DAG with its identity resolved. Nodes are unique
// by recipe: two conditions that need the same computation share one node.
type Node struct {
	Action *stages.Action
	Params string  // canonical JSON
	Recipe string  // hex; stable before anything runs
	Deps   []*Node // parallel to Action.Deps
	Users  []*Node
	Index  int // position in topological order
	// Places lists every place in the sweep this node serves (the Attrs of
	// each action that resolved to it, in order, without repeats): studies
	// that share a condition share its node, and export shows it in each.
	Places [][]stages.Attr
}

func (n *Node) addPlace(as []stages.Attr) {
	key := attrString(as)
	for _, p := range n.Places {
		if attrString(p) == key {
			return
		}
	}
	n.Places = append(n.Places, as)
}

// Graph is the DAG of one configuration, nodes in a topological order.
type Graph struct {
	Nodes    []*Node
	byRecipe map[string]*Node
	byAction map[*stages.Action]*Node
}

// NewGraph resolves actions (each listed after its dependencies) into a DAG.
func NewGraph(actions []*stages.Action) (*Graph, error) {
	g := &Graph{byRecipe: map[string]*Node{}, byAction: map[*stages.Action]*Node{}}
	for _, a := range actions {
		if _, err := g.add(a); err != nil {
			return nil, err
		}
	}
	return g, nil
}

func (g *Graph) add(a *stages.Action) (*Node, error) {
	if n, ok := g.byAction[a]; ok {
		return n, nil
	}
	params, err := canonicalParams(a.Params)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", a.Stage.Name(), a.Label, err)
	}
	deps := make([]*Node, len(a.Deps))
	for i, d := range a.Deps {
		dn, err := g.add(d.Action)
		if err != nil {
			return nil, err
		}
		deps[i] = dn
	}
	sum := recipeOf(a, params, deps)
	recipe := hex.EncodeToString(sum[:])
	if n, ok := g.byRecipe[recipe]; ok {
		g.byAction[a] = n
		n.addPlace(a.Attrs)
		return n, nil
	}
	n := &Node{Action: a, Params: params, Recipe: recipe, Deps: deps, Index: len(g.Nodes)}
	n.addPlace(a.Attrs)
	for _, d := range deps {
		d.Users = append(d.Users, n)
	}
	g.Nodes = append(g.Nodes, n)
	g.byRecipe[recipe] = n
	g.byAction[a] = n
	return n, nil
}

// Name is how the CLI shows a node: stage and label.
func (n *Node) Name() string { return n.Action.Stage.Name() + " " + n.Action.Label }

// Closure is the subgraph of targets and everything they depend on, in the
// same relative order; its nodes are copies (Index, Users renumbered).
func (g *Graph) Closure(targets ...*Node) *Graph {
	keep := make([]bool, len(g.Nodes))
	var mark func(n *Node)
	mark = func(n *Node) {
		if keep[n.Index] {
			return
		}
		keep[n.Index] = true
		for _, d := range n.Deps {
			mark(d)
		}
	}
	for _, t := range targets {
		mark(t)
	}
	sub := &Graph{byRecipe: map[string]*Node{}, byAction: map[*stages.Action]*Node{}}
	copies := make([]*Node, len(g.Nodes))
	for i, n := range g.Nodes {
		if !keep[i] {
			continue
		}
		c := &Node{Action: n.Action, Params: n.Params, Recipe: n.Recipe, Index: len(sub.Nodes), Places: n.Places}
		for _, d := range n.Deps {
			dc := copies[d.Index]
			c.Deps = append(c.Deps, dc)
			dc.Users = append(dc.Users, c)
		}
		copies[i] = c
		sub.Nodes = append(sub.Nodes, c)
		sub.byRecipe[c.Recipe] = c
		sub.byAction[c.Action] = c
	}
	return sub
}
