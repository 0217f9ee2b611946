package pipeline

import (
	"encoding/hex"
	"fmt"
	"slices"

	"degen/stages"
)

// A Node is an action in the DAG with its identity resolved. Nodes are unique
// by recipe: two conditions that need the same computation share one node.
type Node struct {
	Action *stages.Action
	Params string  // canonical JSON
	Recipe string  // hex; stable before anything runs
	Deps   []*Node // parallel to Action.Deps; see Graph.users for the reverse
	Index  int     // position in topological order
	// Places lists every place in the sweep this node serves (the Attrs of
	// each action that resolved to it, in order, without repeats): studies
	// that share a condition share its node, and export shows it in each.
	Places [][]stages.Attr
	// Labels lists the label of every action that resolved to this node,
	// first the one Name shows: a node shared by several studies is found
	// by each study's label (explain, plan --json).
	Labels []string
}

func (n *Node) addLabel(l string) {
	if !slices.Contains(n.Labels, l) {
		n.Labels = append(n.Labels, l)
	}
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
	depLists map[*stages.Dep][]*Node // resolveDeps
}

// NewGraph resolves actions (each listed after its dependencies) into a DAG.
func NewGraph(actions []*stages.Action) (*Graph, error) {
	g := &Graph{byRecipe: map[string]*Node{}, byAction: map[*stages.Action]*Node{}, depLists: map[*stages.Dep][]*Node{}}
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
	deps, err := g.resolveDeps(a)
	if err != nil {
		return nil, err
	}
	sum := recipeOf(a, params, deps)
	recipe := hex.EncodeToString(sum[:])
	if n, ok := g.byRecipe[recipe]; ok {
		g.byAction[a] = n
		n.addPlace(a.Attrs)
		n.addLabel(a.Label)
		return n, nil
	}
	n := &Node{Action: a, Params: params, Recipe: recipe, Deps: deps, Index: len(g.Nodes)}
	n.addPlace(a.Attrs)
	n.addLabel(a.Label)
	g.Nodes = append(g.Nodes, n)
	g.byRecipe[recipe] = n
	g.byAction[a] = n
	return n, nil
}

// resolveDeps returns the nodes of a's dependencies. Actions whose Deps
// share storage (the align batches of a condition, each a prefix of one
// list: stages.AlignDeps) share one node list too, capacity-limited so that
// nothing appends into another's: the DAG stays linear in the number of
// actions although a condition has O(seeds²) dependency edges.
func (g *Graph) resolveDeps(a *stages.Action) ([]*Node, error) {
	if len(a.Deps) == 0 {
		return nil, nil
	}
	key := &a.Deps[0]
	have := g.depLists[key]
	for len(have) < len(a.Deps) {
		dn, err := g.add(a.Deps[len(have)].Action)
		if err != nil {
			return nil, err
		}
		have = append(have, dn)
	}
	g.depLists[key] = have
	return have[:len(a.Deps):len(a.Deps)], nil
}

// Name is how the CLI shows a node: stage and label.
func (n *Node) Name() string { return n.Action.Stage.Name() + " " + n.Action.Label }

// Closure is the subgraph of targets and everything they depend on, in the
// same relative order; its nodes are copies (Index renumbered).
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
		c := &Node{Action: n.Action, Params: n.Params, Recipe: n.Recipe, Index: len(sub.Nodes), Places: n.Places, Labels: n.Labels}
		for _, d := range n.Deps {
			dc := copies[d.Index]
			c.Deps = append(c.Deps, dc)
		}
		copies[i] = c
		sub.Nodes = append(sub.Nodes, c)
		sub.byRecipe[c.Recipe] = c
		sub.byAction[c.Action] = c
	}
	return sub
}

// users lists, per node index, the indexes of the nodes that depend on it,
// once per dependency edge. Only the runner needs it, so the graph does not
// keep it: it has an entry per edge, O(seeds²) per condition.
func (g *Graph) users() [][]int32 {
	users := make([][]int32, len(g.Nodes))
	for _, n := range g.Nodes {
		for _, d := range n.Deps {
			users[d.Index] = append(users[d.Index], int32(n.Index))
		}
	}
	return users
}
