package expr

import (
	"math"
	"time"
)

// node is one vertex of the tree Parse builds. Evaluation is a plain
// recursive walk; Value is returned by value so that numbers, booleans and
// strings never touch the heap.
type node interface {
	eval(c Context) Value
}

type litNode struct{ v Value }

func (n *litNode) eval(Context) Value { return n.v }

// evalBool and evalNum short-cut the nodes that produce booleans and
// numbers, so the connectives and arithmetic of typical relevance and
// calculation formulas pass plain bools and floats instead of Values.
func evalBool(n node, c Context) bool {
	switch n := n.(type) {
	case *andNode:
		return evalBool(n.a, c) && evalBool(n.b, c)
	case *orNode:
		return evalBool(n.a, c) || evalBool(n.b, c)
	case *cmpNode:
		return n.test(c)
	}
	return n.eval(c).Bool()
}

func evalNum(n node, c Context) float64 {
	switch n := n.(type) {
	case *arithNode:
		return arith(n.op, evalNum(n.a, c), evalNum(n.b, c))
	case *negNode:
		return -evalNum(n.a, c)
	case *refNode:
		if vs := c.Ref(n.name); len(vs) > 0 {
			return stringToNumber(vs[0])
		}
		return math.NaN()
	case dotNode:
		return stringToNumber(c.Current())
	}
	return n.eval(c).Number()
}

type refNode struct{ name string }

func (n *refNode) eval(c Context) Value { return Nodes(c.Ref(n.name)) }

type dotNode struct{}

func (dotNode) eval(c Context) Value { return oneNode(c.Current()) }

type pathNode struct {
	abs   bool
	steps []string
	preds []node // on the last step
}

func (n *pathNode) eval(c Context) Value {
	v := Nodes(c.Path(n.abs, n.steps))
	if len(n.preds) > 0 {
		v = filter(c, v, n.preds)
	}
	return v
}

// filterNode is a primary expression with predicates, such as ${q}[. > 3].
type filterNode struct {
	base  node
	preds []node
}

func (n *filterNode) eval(c Context) Value {
	v := n.base.eval(c)
	if v.Kind != KindNodeset {
		// XPath only filters nodesets; treating a single value as a
		// one-node set keeps evaluation error-free.
		v = oneNode(v.String())
	}
	return filter(c, v, n.preds)
}

// predCtx rebinds "." and position() to the node being tested. In a filter
// of leaf values "." is simply that value; in a node path it is the node
// (see filterNodes), whose value is worked out only if "." is read, and
// relative paths start from it.
type predCtx struct {
	Context
	cur    string
	pos    int
	node   Node
	curSet bool // cur holds node's value
}

func (p *predCtx) Current() string {
	if p.node != nil && !p.curSet {
		p.cur, p.curSet = p.node.Value(), true
	}
	return p.cur
}

func (p *predCtx) Position(int) int { return p.pos } // the node being tested

func filter(c Context, v Value, preds []node) Value {
	for _, pred := range preds {
		n := v.nodeLen()
		if n == 0 {
			return v
		}
		out := make([]string, 0, n)
		pc := &predCtx{Context: c}
		for i := 0; i < n; i++ {
			pc.cur, pc.pos = v.nodeAt(i), i+1
			r := pred.eval(pc)
			keep := false
			if r.Kind == KindNumber {
				keep = r.N == float64(i+1)
			} else {
				keep = r.Bool()
			}
			if keep {
				out = append(out, pc.cur)
			}
		}
		v = Nodes(out)
	}
	return v
}

type orNode struct{ a, b node }

func (n *orNode) eval(c Context) Value {
	return Bool(evalBool(n.a, c) || evalBool(n.b, c))
}

type andNode struct{ a, b node }

func (n *andNode) eval(c Context) Value {
	return Bool(evalBool(n.a, c) && evalBool(n.b, c))
}

type cmpNode struct {
	op   tokKind
	a, b node
}

func (n *cmpNode) eval(c Context) Value { return Bool(n.test(c)) }

func (n *cmpNode) test(c Context) bool {
	// A number literal on the right (". >= 0", "${age} < 120") is the
	// common case; comparing against it needs no Value for that side.
	if lit, ok := n.b.(*litNode); ok && lit.v.Kind == KindNumber {
		a := n.a.eval(c)
		if a.Kind == KindNodeset {
			return compareNodes(n.op, a, lit.v)
		}
		if a.Kind != KindBool {
			return compareNumbers(n.op, a.Number(), lit.v.N)
		}
	}
	return compare(n.op, n.a.eval(c), n.b.eval(c))
}

type arithNode struct {
	op   tokKind
	a, b node
}

func (n *arithNode) eval(c Context) Value {
	return Num(arith(n.op, evalNum(n.a, c), evalNum(n.b, c)))
}

func arith(op tokKind, x, y float64) float64 {
	switch op {
	case tPlus:
		return x + y
	case tMinus:
		return x - y
	case tMul:
		return x * y
	case tDiv:
		return x / y
	case tMod:
		return math.Mod(x, y)
	}
	return math.NaN()
}

type negNode struct{ a node }

func (n *negNode) eval(c Context) Value { return Num(-evalNum(n.a, c)) }

type unionNode struct{ a, b node }

func (n *unionNode) eval(c Context) Value {
	a, b := n.a.eval(c), n.b.eval(c)
	out := make([]string, 0, nodeCount(a)+nodeCount(b))
	out = appendNodes(out, a)
	out = appendNodes(out, b)
	return Nodes(out)
}

func nodeCount(v Value) int {
	if v.Kind == KindNodeset {
		return v.nodeLen()
	}
	return 1
}

// appendNodes adds the nodes of v, or v's string when it is not a nodeset,
// so functions over "several values or a nodeset" need one code path.
func appendNodes(out []string, v Value) []string {
	if v.Kind != KindNodeset {
		return append(out, v.String())
	}
	if v.one {
		return append(out, v.S)
	}
	return append(out, v.Set...)
}

// compare implements XPath 1.0 §3.4. Nodesets compare existentially: the
// comparison holds if it holds for any one node.
func compare(op tokKind, a, b Value) bool {
	an, bn := a.Kind == KindNodeset, b.Kind == KindNodeset
	switch {
	case an && bn:
		for i := 0; i < a.nodeLen(); i++ {
			for j := 0; j < b.nodeLen(); j++ {
				if compareStrings(op, a.nodeAt(i), b.nodeAt(j)) {
					return true
				}
			}
		}
		return false
	case bn:
		return compareNodes(swapOp(op), b, a)
	case an:
		return compareNodes(op, a, b)
	}
	if op == tEq || op == tNeq {
		var eq bool
		switch {
		case a.Kind == KindBool || b.Kind == KindBool:
			eq = a.Bool() == b.Bool()
		case a.Kind == KindNumber || b.Kind == KindNumber:
			eq = a.Number() == b.Number()
		default:
			eq = a.S == b.S
		}
		return eq == (op == tEq)
	}
	return compareNumbers(op, a.Number(), b.Number())
}

// compareNodes compares the nodeset ns with the non-nodeset v.
func compareNodes(op tokKind, ns, v Value) bool {
	switch v.Kind {
	case KindBool:
		if op == tEq || op == tNeq {
			return (ns.Bool() == v.B) == (op == tEq)
		}
		return compareNumbers(op, Bool(ns.Bool()).Number(), v.Number())
	case KindNumber:
		for i := 0; i < ns.nodeLen(); i++ {
			if compareNumbers(op, stringToNumber(ns.nodeAt(i)), v.N) {
				return true
			}
		}
		return false
	}
	for i := 0; i < ns.nodeLen(); i++ {
		if compareStrings(op, ns.nodeAt(i), v.S) {
			return true
		}
	}
	return false
}

// compareStrings compares two node values: = and != as strings, the order
// operators as numbers (which includes the date extension).
func compareStrings(op tokKind, x, y string) bool {
	switch op {
	case tEq:
		return x == y
	case tNeq:
		return x != y
	}
	return compareNumbers(op, stringToNumber(x), stringToNumber(y))
}

func compareNumbers(op tokKind, x, y float64) bool {
	switch op {
	case tEq:
		return x == y
	case tNeq:
		return x != y
	case tLt:
		return x < y
	case tLe:
		return x <= y
	case tGt:
		return x > y
	case tGe:
		return x >= y
	}
	return false
}

func swapOp(op tokKind) tokKind {
	switch op {
	case tLt:
		return tGt
	case tLe:
		return tGe
	case tGt:
		return tLt
	case tGe:
		return tLe
	}
	return op
}

// emptyContext stands in for a nil Context: every field is blank.
type emptyContext struct{}

func (emptyContext) Ref(string) []string                    { return nil }
func (emptyContext) Current() string                        { return "" }
func (emptyContext) Path(bool, []string) []string           { return nil }
func (emptyContext) Position(int) int                       { return 0 }
func (emptyContext) ChoiceLabel(field, value string) string { return "" }
func (emptyContext) Now() time.Time                         { return time.Now() }
func (emptyContext) RefNodes(string) []Node                 { return nil }
func (emptyContext) Root() Node                             { return nil }
func (emptyContext) Self() Node                             { return nil }
func (emptyContext) LastSaved(string) []string              { return nil }
func (emptyContext) Instance(string) Instance               { return nil }
