package expr

// Most paths in forms name one question (../x, /data/grp/x) and reach the
// engine through Context.Path as leaf values. The paths here need the
// record's structure instead: ${t}[1]/s (a question in the first instance of
// repeat t), /data/t[age > 18]/name (a predicate that reads each instance's
// own answers), current()/../x in a choice filter, indexed-repeat(). They
// walk Nodes the Context hands out: elements that know their children and
// their parent, as the XML of an ODK record does.

// Node is an element of the record (or of another document a Context
// offers): the document element, a group, a repeat instance, a question.
type Node interface {
	// Name is the element's name: the question's, group's or repeat's.
	Name() string
	// Value is the XPath string-value: a question's answer as expressions
	// see it, every answer below a group or repeat instance run together.
	Value() string
	// Children lists the child elements named name ("*": all of them) in
	// document order; each instance of a repeat is one child.
	Children(name string) []Node
	// Parent is the enclosing element, nil for the document element.
	Parent() Node
}

// pathStart says where a node path begins.
type pathStart uint8

const (
	fromContext pathStart = iota // relative: the node a predicate tests, else the expression's own field
	fromRoot                     // absolute: the document element
	fromRef                      // ${name}
	fromCall                     // a function that yields nodes, such as current()
)

// nodeStep is one step of a node path with its predicates.
type nodeStep struct {
	name  string // a name, "*", "." or ".."
	deep  bool   // after "//": every descendant of that name, not only children
	preds []node
	key   *stepKey // the first predicate's column = value, for a table's index
}

// nodePath is a location path evaluated over Nodes.
type nodePath struct {
	from  pathStart
	ref   string    // fromRef: the name
	call  *callNode // fromCall: the call that yields the first nodes
	preds []node    // on the start: ${t}[1]
	steps []nodeStep
}

func (n *nodePath) eval(c Context) Value { return valuesOf(n.nodes(c)) }

// valuesOf is the node-set of the elements' values.
func valuesOf(set []Node) Value {
	if len(set) == 1 {
		return oneNode(set[0].Value())
	}
	vals := make([]string, len(set))
	for i, x := range set {
		vals[i] = x.Value()
	}
	return Nodes(vals)
}

// nodes walks the path from its start.
func (n *nodePath) nodes(c Context) []Node {
	var set []Node
	steps := n.steps
	switch n.from {
	case fromContext:
		if pc, ok := c.(*predCtx); ok && pc.node != nil {
			set = []Node{pc.node}
		} else if self := c.Self(); self != nil {
			set = []Node{self}
		}
	case fromRoot:
		root := c.Root()
		if root == nil || len(steps) == 0 {
			return nil
		}
		// The first step names the document element. Forms call it by
		// the form's name, by "data" or by anything else: any name will
		// do, as Context.Path has always read absolute paths.
		first := steps[0]
		steps = steps[1:]
		if first.deep {
			set = descendants(root, first.name, []Node{root}[:0:0])
			if first.name == "*" || root.Name() == first.name {
				set = append([]Node{root}, set...)
			}
		} else {
			set = []Node{root}
		}
		set = filterNodes(c, set, first.preds)
	case fromRef:
		set = c.RefNodes(n.ref)
	case fromCall:
		set = n.call.def.nodes(c, n.call)
	}
	set = filterNodes(c, set, n.preds)
	for i := range steps {
		set = steps[i].apply(c, set)
	}
	return set
}

func (st *nodeStep) apply(c Context, set []Node) []Node {
	var out []Node
	for _, x := range set {
		var next []Node
		switch {
		case st.name == ".":
			next = []Node{x}
		case st.name == "..":
			if p := x.Parent(); p != nil {
				next = []Node{p}
			}
		case st.deep:
			next = descendants(x, st.name, nil)
		default:
			if r, ok := x.(*tableRoot); ok {
				// A lookup in an attached file: predicates applied there.
				out = append(out, r.selectItems(c, st)...)
				continue
			}
			next = x.Children(st.name)
		}
		out = append(out, filterNodes(c, next, st.preds)...)
	}
	return out
}

// nodeSteps turns a pathNode's steps ("//" before a step that descends)
// into nodeSteps without predicates.
func nodeSteps(names []string) []nodeStep {
	var out []nodeStep
	deep := false
	for _, s := range names {
		if s == "//" {
			deep = true
			continue
		}
		out = append(out, nodeStep{name: s, deep: deep})
		deep = false
	}
	return out
}

// descendants appends the elements below x named name ("*": all), in
// document order.
func descendants(x Node, name string, out []Node) []Node {
	for _, k := range x.Children("*") {
		if name == "*" || k.Name() == name {
			out = append(out, k)
		}
		out = descendants(k, name, out)
	}
	return out
}

// filterNodes keeps the nodes every predicate accepts: a number keeps the
// node at that position, anything else is read as a boolean, with "."
// and relative paths meaning the node being tested.
func filterNodes(c Context, set []Node, preds []node) []Node {
	for _, pred := range preds {
		if len(set) == 0 {
			return set
		}
		out := make([]Node, 0, len(set))
		pc := &predCtx{Context: c}
		for i, x := range set {
			pc.node, pc.pos, pc.curSet = x, i+1, false
			r := pred.eval(pc)
			if r.Kind == KindNumber && r.N == float64(i+1) || r.Kind != KindNumber && r.Bool() {
				out = append(out, x)
			}
		}
		set = out
	}
	return set
}

// fnCurrent is current(): the field the expression belongs to, even inside
// a predicate, where "." is the node being tested. In a choice filter that
// is the select question, so current()/../x is an answer beside it.
func fnCurrent(c Context, n *callNode) Value {
	if self := c.Self(); self != nil {
		return oneNode(self.Value())
	}
	return Nodes(nil)
}

func nodesCurrent(c Context, n *callNode) []Node {
	if self := c.Self(); self != nil {
		return []Node{self}
	}
	return nil
}

// refName is the name a ${name} or a path argument stands for, "" for
// any other expression.
func refName(n node) string {
	switch n := n.(type) {
	case *refNode:
		return n.name
	case *pathNode:
		if len(n.preds) == 0 && len(n.steps) > 0 {
			if last := n.steps[len(n.steps)-1]; last != "." && last != ".." && last != "*" && last != "//" {
				return last
			}
		}
	}
	return ""
}

// prepIndexedRepeat checks indexed-repeat(${q}, ${rep}, i [, ${rep2}, j]...):
// a question, then pairs of a repeat and a 1-based index. The question and
// the repeats are kept by name.
func prepIndexedRepeat(p *parser, n *callNode, pos int) *SyntaxError {
	if len(n.args)%2 == 0 {
		return p.errAt(pos, msgIndexedRepeatPairs, len(n.args))
	}
	n.names = make([]string, 0, 1+len(n.args)/2)
	for k := 0; k <= len(n.args)/2; k++ {
		i := max(2*k-1, 0) // the question, then the repeats: 0, 1, 3, 5...
		name := refName(n.args[i])
		if name == "" {
			return p.errAt(pos, msgIndexedRepeatRef, i+1)
		}
		n.names = append(n.names, name)
	}
	return nil
}

// fnIndexedRepeat is indexed-repeat(): the answer to names[0] in instance i
// of repeat names[1] (and instance j of names[2] inside it...). The repeat
// is read as ODK reads its path: every instance in the enclosing instance
// of the levels around it, so indexed-repeat(${x}, ${rep}, position(..) - 1)
// inside rep is x of the instance before.
func fnIndexedRepeat(c Context, n *callNode) Value {
	var at Node
	for k := 1; k < len(n.names); k++ {
		var set []Node
		if k == 1 {
			set = c.RefNodes(n.names[1])
		} else {
			set = descendants(at, n.names[k], nil)
		}
		i := n.num(c, 2*k)
		if i != i || i < 1 || int(i) > len(set) {
			return Nodes(nil)
		}
		at = set[int(i)-1]
	}
	return valuesOf(descendants(at, n.names[0], nil))
}

// lastSavedNode is ${last-saved#name}: that question's answer in the last
// record of the form saved on this device (see Context.LastSaved).
type lastSavedNode struct{ name string }

func (n *lastSavedNode) eval(c Context) Value { return Nodes(c.LastSaved(n.name)) }
