package expr

import (
	"slices"
	"strings"
)

// Instance is a secondary instance as lookups read it: the items of
// instance('name')/root/item, each a row of named values (the children of
// one item). The form engine supplies one per attached file (CSV, XML,
// GeoJSON) and per choice list of the form.
type Instance interface {
	// Names are the element names of the document element and of its
	// items: "root" and "item" for a CSV, GeoJSON or choice list.
	Names() (root, item string)
	Len() int
	// Width is the number of columns, numbered from 0.
	Width() int
	// Column is the index of the items' child called name, -1 if none.
	Column(name string) int
	Value(row, col int) string
	// Rows lists, in document order, the rows whose column col holds
	// exactly value. It is called on every evaluation of a lookup, so an
	// implementation answers it from an index, not by a scan.
	Rows(col int, value string) []int32
}

// InstanceUse is one secondary instance an expression reads: by
// instance('name') or, Pulldata set, as pulldata('name', ...), whose data
// is the attached file name.csv.
type InstanceUse struct {
	Name     string
	Pulldata bool
}

// Instances lists the secondary instances the expression reads, in
// first-seen order, so the engine can check each is there.
func (e *Expr) Instances() []InstanceUse { return slices.Clone(e.instances) }

func (p *parser) useInstance(name string, pulldata bool) {
	u := InstanceUse{Name: name, Pulldata: pulldata}
	if !slices.Contains(p.instances, u) {
		p.instances = append(p.instances, u)
	}
}

// instanceNode is instance('name')/root/item[pred]...[pred]/column: the
// column ("" for the items themselves) of the items every predicate keeps.
type instanceNode struct {
	name       string
	root, item string
	preds      []itemPred
	column     string
}

// itemPred is one predicate on the items. When it is, or has among its
// and-ed terms, column = value with a value that does not depend on the
// item, keyCol and key let the rows be found through Instance.Rows.
type itemPred struct {
	n      node
	keyCol string
	key    node
	whole  bool // the predicate is that equality alone: no check of the rows found
}

// parseInstance reads instance('name') and the path after it. Only the
// shape XLSForm lookups use is accepted: a path of the document element,
// the items with any predicates, and at most one column.
func (p *parser) parseInstance(fn token) (node, *SyntaxError) {
	shape := "a lookup is written instance('name')/root/item[condition]/column"
	p.next() // '('
	arg := p.next()
	if arg.kind != tString || p.peek().kind != tRParen {
		return nil, p.errAt(fn.pos, "instance() takes the name of a list or an attached file in quotes: "+shape)
	}
	p.next()
	n := &instanceNode{name: arg.val}
	p.useInstance(arg.val, false)
	p.constant = false
	var steps []string
	for len(steps) < 3 {
		if p.peek().kind != tSlash {
			break
		}
		p.next()
		t := p.next()
		if t.kind != tName && t.kind != tStar {
			return nil, p.errAt(t.pos, "expected a name after '/': "+shape)
		}
		steps = append(steps, t.val)
		if len(steps) == 2 && p.peek().kind == tLBracket {
			preds, err := p.parseItemPredicates()
			if err != nil {
				return nil, err
			}
			n.preds = preds
		}
	}
	if t := p.peek(); len(steps) < 2 || t.kind == tSlash || t.kind == tSlashSlash || t.kind == tLBracket {
		return nil, p.errAt(t.pos, shape)
	}
	n.root, n.item = steps[0], steps[1]
	if n.root == "*" {
		n.root = ""
	}
	if n.item == "*" {
		n.item = ""
	}
	if len(steps) == 3 {
		n.column = steps[2]
	}
	return n, nil
}

// parseItemPredicates reads the predicates on the items, where a bare name
// is a column of the item being tested.
func (p *parser) parseItemPredicates() ([]itemPred, *SyntaxError) {
	p.itemPreds = true
	preds, err := p.parsePredicates()
	if err != nil {
		return nil, err
	}
	out := make([]itemPred, len(preds))
	for i, pr := range preds {
		out[i] = keyed(pr)
	}
	return out, nil
}

// itemColumn is a bare name inside a predicate on the items.
type itemColumn struct{ name string }

func (n *itemColumn) eval(c Context) Value {
	if ic, ok := c.(*itemCtx); ok {
		if col := ic.inst.Column(n.name); col >= 0 {
			return oneNode(ic.inst.Value(int(ic.row), col))
		}
		return Nodes(nil)
	}
	return Nodes(nil)
}

// keyed finds an indexable equality among a predicate's and-ed terms.
func keyed(n node) itemPred {
	out := itemPred{n: n}
	if lit, ok := n.(*litNode); ok && lit.v.Kind == KindNumber || callsPosition(n) {
		return out // positions count among all items, not the indexed ones
	}
	var terms []node
	var split func(node)
	split = func(x node) {
		if a, ok := x.(*andNode); ok {
			split(a.a)
			split(a.b)
			return
		}
		terms = append(terms, x)
	}
	split(n)
	for _, t := range terms {
		cmp, ok := t.(*cmpNode)
		if !ok || cmp.op != tEq {
			continue
		}
		col, val := cmp.a, cmp.b
		if _, isCol := col.(*itemColumn); !isCol {
			col, val = val, col
		}
		if ic, isCol := col.(*itemColumn); isCol && !readsItem(val) {
			out.keyCol, out.key, out.whole = ic.name, val, len(terms) == 1
			return out
		}
	}
	return out
}

// readsItem reports whether evaluating n reads the item being tested: a
// column, ".", position(), or a function applied to "." by default. The
// predicates of a nested filter or lookup have items of their own.
func readsItem(n node) bool {
	return anyNode(n, func(x node) bool {
		switch x := x.(type) {
		case *itemColumn, dotNode:
			return true
		case *callNode:
			return x.def == funcs["position"] || x.def.flags&fUsesCurrent != 0 ||
				x.def.flags&fCurrentIfNoArgs != 0 && len(x.args) == 0
		}
		return false
	})
}

// callsPosition reports whether n calls position(), whose value differs
// between all items and the ones an index found.
func callsPosition(n node) bool {
	return anyNode(n, func(x node) bool {
		c, ok := x.(*callNode)
		return ok && c.def == funcs["position"]
	})
}

// anyNode reports whether f holds for n or a node under it, not looking
// inside predicates (they test nodes of their own).
func anyNode(n node, f func(node) bool) bool {
	if f(n) {
		return true
	}
	var kids []node
	switch n := n.(type) {
	case *andNode:
		kids = []node{n.a, n.b}
	case *orNode:
		kids = []node{n.a, n.b}
	case *cmpNode:
		kids = []node{n.a, n.b}
	case *arithNode:
		kids = []node{n.a, n.b}
	case *unionNode:
		kids = []node{n.a, n.b}
	case *negNode:
		kids = []node{n.a}
	case *filterNode:
		kids = []node{n.base}
	case *callNode:
		kids = n.args
	}
	for _, k := range kids {
		if anyNode(k, f) {
			return true
		}
	}
	return false
}

// itemCtx is the Context of a predicate on the items: "." is the item
// (its children's text run together), position() its place among the
// items tested, a bare name one of its columns; everything else is the
// enclosing expression's.
type itemCtx struct {
	Context
	inst Instance
	row  int32
	pos  int
}

func (c *itemCtx) Current() string  { return itemText(c.inst, int(c.row)) }
func (c *itemCtx) Position(int) int { return c.pos }

// itemText is an item's string value: its children's text run together.
func itemText(inst Instance, row int) string {
	var b strings.Builder
	for col := range inst.Width() {
		b.WriteString(inst.Value(row, col))
	}
	return b.String()
}

func (n *instanceNode) eval(c Context) Value {
	inst := c.Instance(n.name)
	if inst == nil {
		return Nodes(nil)
	}
	root, item := inst.Names()
	if n.root != "" && n.root != root || n.item != "" && n.item != item {
		return Nodes(nil)
	}
	rows, all := n.rows(c, inst)
	col := -1
	if n.column != "" {
		if col = inst.Column(n.column); col < 0 {
			return Nodes(nil)
		}
	}
	count := len(rows)
	if all {
		count = inst.Len()
	}
	if count == 1 {
		r := 0
		if !all {
			r = int(rows[0])
		}
		if col < 0 {
			return oneNode(itemText(inst, r))
		}
		return oneNode(inst.Value(r, col))
	}
	out := make([]string, count)
	for i := range out {
		r := i
		if !all {
			r = int(rows[i])
		}
		if col < 0 {
			out[i] = itemText(inst, r)
		} else {
			out[i] = inst.Value(r, col)
		}
	}
	return Nodes(out)
}

// rows applies the predicates. all is true (and rows nil) when there are
// none: every item, without listing them.
func (n *instanceNode) rows(c Context, inst Instance) (rows []int32, all bool) {
	all = true
	for _, pr := range n.preds {
		if all && pr.key != nil {
			if found, ok := lookup(c, inst, pr); ok {
				rows, all = found, false
				if pr.whole {
					continue
				}
			}
		}
		rows = n.scan(c, inst, pr.n, rows, all)
		all = false
		if len(rows) == 0 {
			return nil, false
		}
	}
	return rows, all
}

// lookup answers pr's equality from the index. ok is false for a key
// compared as a number or a boolean, which XPath does not compare as text.
func lookup(c Context, inst Instance, pr itemPred) (rows []int32, ok bool) {
	col := inst.Column(pr.keyCol)
	if col < 0 {
		return []int32{}, true
	}
	v := pr.key.eval(c)
	switch v.Kind {
	case KindString:
		return inst.Rows(col, v.S), true
	case KindNodeset:
		if v.nodeLen() == 1 {
			return inst.Rows(col, v.nodeAt(0)), true
		}
		var out []int32
		for i := 0; i < v.nodeLen(); i++ {
			out = append(out, inst.Rows(col, v.nodeAt(i))...)
		}
		slices.Sort(out)
		return slices.Compact(out), true
	}
	return nil, false
}

// scan keeps the rows (every row when all) that pred lets through.
func (n *instanceNode) scan(c Context, inst Instance, pred node, rows []int32, all bool) []int32 {
	count := len(rows)
	if all {
		count = inst.Len()
	}
	out := make([]int32, 0, min(count, 16))
	ic := &itemCtx{Context: c, inst: inst}
	for i := 0; i < count; i++ {
		ic.row, ic.pos = int32(i), i+1
		if !all {
			ic.row = rows[i]
		}
		r := pred.eval(ic)
		keep := false
		if r.Kind == KindNumber {
			keep = r.N == float64(i+1)
		} else {
			keep = r.Bool()
		}
		if keep {
			out = append(out, ic.row)
		}
	}
	return out
}

// prepPulldata requires the file's name as a literal: the engine must know
// at load which file a form needs.
func prepPulldata(p *parser, n *callNode, pos int) *SyntaxError {
	lit, ok := n.args[0].(*litNode)
	if !ok || lit.v.Kind != KindString || lit.v.S == "" {
		return p.errAt(pos, "pulldata() takes the name of the attached CSV file (without .csv) in quotes as its first argument")
	}
	n.instance = lit.v.S
	p.useInstance(lit.v.S, true)
	return nil
}

// fnPulldata is pulldata('file', 'column', 'key column', key): column of
// the first row of file.csv whose key column is key, "" when none is.
func fnPulldata(c Context, n *callNode) Value {
	inst := c.Instance(n.instance)
	if inst == nil {
		return Str("")
	}
	col, keyCol := inst.Column(n.str(c, 1)), inst.Column(n.str(c, 2))
	if col < 0 || keyCol < 0 {
		return Str("")
	}
	if rows := inst.Rows(keyCol, n.str(c, 3)); len(rows) > 0 {
		return Str(inst.Value(int(rows[0]), col))
	}
	return Str("")
}
