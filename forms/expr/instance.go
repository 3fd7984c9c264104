package expr

import (
	"slices"
	"strings"
)

// Secondary instances (attached CSV, XML and GeoJSON files, and the form's
// own choice lists) are read through instance('name') and pulldata(). A
// path from instance('name') is an ordinary node path (nodes.go): its
// steps and predicates work as they do over the record. The Nodes it walks
// are views of an Instance, a table of items; a step to the items whose
// first predicate holds column = value is answered from the table's index
// of that column rather than by testing every item, so a lookup in a
// 50,000-row file costs what a lookup in ten rows does.

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
	// ColumnName is the element name of column col.
	ColumnName(col int) string
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

// literalName is the text of a call's first argument when it is a
// non-empty string literal: the engine must know at load which instance a
// form reads.
func literalName(n *callNode) (string, bool) {
	lit, ok := n.args[0].(*litNode)
	if !ok || lit.v.Kind != KindString || lit.v.S == "" {
		return "", false
	}
	return lit.v.S, true
}

func prepInstance(p *parser, n *callNode, pos int) *SyntaxError {
	return prepInstanceName(p, n, pos, false, msgInstanceName)
}

func prepPulldata(p *parser, n *callNode, pos int) *SyntaxError {
	return prepInstanceName(p, n, pos, true, msgPulldataName)
}

// prepInstanceName keeps the instance a call reads, named by its first
// argument (msg when that is not a literal name).
func prepInstanceName(p *parser, n *callNode, pos int, pulldata bool, msg msgKey) *SyntaxError {
	name, ok := literalName(n)
	if !ok {
		return p.errAt(pos, msg)
	}
	n.instance = name
	p.useInstance(name, pulldata)
	if pulldata {
		p.notePulldataColumns(n)
	} else {
		p.instanceCalls = append(p.instanceCalls, n)
	}
	return nil
}

// fnInstance is instance('name') read as a value: the text of the whole
// document. Lookups go on from it as a path (nodesInstance).
func fnInstance(c Context, n *callNode) Value { return valuesOf(nodesInstance(c, n)) }

func nodesInstance(c Context, n *callNode) []Node {
	inst := c.Instance(n.instance)
	if inst == nil {
		return nil
	}
	return []Node{&tableDoc{inst: inst}}
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

// The Nodes of an Instance: the document (what instance('name') returns),
// its document element, the items and their values.
type (
	tableDoc  struct{ inst Instance }
	tableRoot struct{ doc *tableDoc }
	tableItem struct {
		root *tableRoot
		row  int32
	}
	tableCell struct {
		item *tableItem
		col  int
	}
)

func (d *tableDoc) Name() string  { return "" }
func (d *tableDoc) Value() string { return (&tableRoot{doc: d}).Value() }
func (d *tableDoc) Parent() Node  { return nil }
func (d *tableDoc) Children(name string) []Node {
	if root, _ := d.inst.Names(); name == "*" || name == root {
		return []Node{&tableRoot{doc: d}}
	}
	return nil
}

func (r *tableRoot) Name() string { root, _ := r.doc.inst.Names(); return root }
func (r *tableRoot) Parent() Node { return r.doc }
func (r *tableRoot) Value() string {
	var b strings.Builder
	for row := range r.doc.inst.Len() {
		b.WriteString(itemText(r.doc.inst, row))
	}
	return b.String()
}
func (r *tableRoot) Children(name string) []Node {
	if !r.isItem(name) {
		return nil
	}
	return r.items(nil, r.doc.inst.Len())
}

func (r *tableRoot) isItem(name string) bool {
	_, item := r.doc.inst.Names()
	return name == "*" || name == item
}

// items makes the Nodes of rows (the first n rows when rows is nil) with
// two allocations, however many there are.
func (r *tableRoot) items(rows []int32, n int) []Node {
	if rows != nil {
		n = len(rows)
	}
	backing := make([]tableItem, n)
	out := make([]Node, n)
	for i := range backing {
		row := int32(i)
		if rows != nil {
			row = rows[i]
		}
		backing[i] = tableItem{root: r, row: row}
		out[i] = &backing[i]
	}
	return out
}

func (it *tableItem) Name() string  { _, item := it.root.doc.inst.Names(); return item }
func (it *tableItem) Parent() Node  { return it.root }
func (it *tableItem) Value() string { return itemText(it.root.doc.inst, int(it.row)) }
func (it *tableItem) Children(name string) []Node {
	inst := it.root.doc.inst
	var out []Node
	for col := range inst.Width() {
		if name == "*" || inst.ColumnName(col) == name {
			out = append(out, &tableCell{item: it, col: col})
		}
	}
	return out
}

func (c *tableCell) Name() string           { return c.item.root.doc.inst.ColumnName(c.col) }
func (c *tableCell) Parent() Node           { return c.item }
func (c *tableCell) Value() string          { return c.item.root.doc.inst.Value(int(c.item.row), c.col) }
func (c *tableCell) Children(string) []Node { return nil }

// itemText is an item's string value: its children's text run together.
func itemText(inst Instance, row int) string {
	var b strings.Builder
	for col := range inst.Width() {
		b.WriteString(inst.Value(row, col))
	}
	return b.String()
}

// selectItems is the step from a table's document element to its items:
// the first predicate's column = value, when it has one (stepKey), is
// looked up in the table's index; the rest of the predicates test only
// the items found. Items are tested through one reused Node, and only
// those kept are made.
func (r *tableRoot) selectItems(c Context, st *nodeStep) []Node {
	if !r.isItem(st.name) {
		return nil
	}
	inst := r.doc.inst
	preds := st.preds
	var rows []int32 // nil: every row
	if st.key != nil {
		if found, ok := st.key.lookup(c, inst); ok {
			rows = found
			if st.key.whole {
				preds = preds[1:]
			}
		}
	}
	for _, pred := range preds {
		if rows != nil && len(rows) == 0 {
			return nil
		}
		rows = r.testRows(c, pred, rows)
	}
	if rows != nil && len(rows) == 0 {
		return nil
	}
	return r.items(rows, inst.Len())
}

// testRows keeps the rows (every row when rows is nil) that pred lets
// through, in order; position() counts among the rows tested.
func (r *tableRoot) testRows(c Context, pred node, rows []int32) []int32 {
	n := len(rows)
	if rows == nil {
		n = r.doc.inst.Len()
	}
	out := make([]int32, 0, min(n, 16))
	probe := &tableItem{root: r}
	pc := &predCtx{Context: c, node: probe}
	for i := range n {
		probe.row = int32(i)
		if rows != nil {
			probe.row = rows[i]
		}
		pc.pos, pc.curSet = i+1, false
		v := pred.eval(pc)
		if v.Kind == KindNumber && v.N == float64(i+1) || v.Kind != KindNumber && v.Bool() {
			out = append(out, probe.row)
		}
	}
	return out
}

// stepKey is an equality between a column of the item being tested and a
// value that does not depend on that item, found among the and-ed terms
// of a step's first predicate: [name = ${q}], [kind = 'tree' and price >
// 2]. whole says the predicate is that equality alone, so the rows the
// index gives need no further test.
type stepKey struct {
	column string
	key    node
	whole  bool
}

// keyOf finds the stepKey of a predicate, or nil. A number, or a
// predicate that reads position(), is left alone: positions count among
// all items, not the ones an index finds.
func keyOf(pred node) *stepKey {
	if lit, ok := pred.(*litNode); ok && lit.v.Kind == KindNumber || callsPosition(pred) {
		return nil
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
	split(pred)
	for _, t := range terms {
		cmp, ok := t.(*cmpNode)
		if !ok || cmp.op != tEq {
			continue
		}
		col, val := columnOf(cmp.a), cmp.b
		if col == "" {
			col, val = columnOf(cmp.b), cmp.a
		}
		if col != "" && !readsItem(val) {
			return &stepKey{column: col, key: val, whole: len(terms) == 1}
		}
	}
	return nil
}

// columnOf is the name of a relative one-step path (a child of the node
// being tested), "" for anything else.
func columnOf(n node) string {
	np, ok := n.(*nodePath)
	if !ok || np.from != fromContext || len(np.preds) > 0 || len(np.steps) != 1 {
		return ""
	}
	st := np.steps[0]
	if st.deep || len(st.preds) > 0 || st.name == "." || st.name == ".." || st.name == "*" {
		return ""
	}
	return st.name
}

// lookup answers the equality from the index. ok is false for a value
// compared as a number or a boolean, which XPath does not compare as text.
func (k *stepKey) lookup(c Context, inst Instance) (rows []int32, ok bool) {
	col := inst.Column(k.column)
	if col < 0 {
		return []int32{}, true
	}
	v := k.key.eval(c)
	switch v.Kind {
	case KindString:
		return nonNil(inst.Rows(col, v.S)), true
	case KindNodeset:
		if v.nodeLen() == 1 {
			return nonNil(inst.Rows(col, v.nodeAt(0))), true
		}
		out := []int32{}
		for i := 0; i < v.nodeLen(); i++ {
			out = append(out, inst.Rows(col, v.nodeAt(i))...)
		}
		slices.Sort(out)
		return slices.Compact(out), true
	}
	return nil, false
}

// nonNil keeps "no rows" apart from "every row" (nil) in selectItems.
func nonNil(rows []int32) []int32 {
	if rows == nil {
		return []int32{}
	}
	return rows
}

// readsItem reports whether evaluating n reads the node a predicate
// tests: ".", a relative path, position(), or a function applied to "."
// by default. current() is the expression's own field, not that node.
func readsItem(n node) bool {
	return anyNode(n, func(x node) bool {
		switch x := x.(type) {
		case dotNode:
			return true
		case *nodePath:
			return x.from == fromContext
		case *pathNode:
			return !x.abs
		case *callNode:
			if x.def == funcs["current"] {
				return false
			}
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
	case *nodePath:
		if n.call != nil {
			kids = n.call.args
		}
	}
	for _, k := range kids {
		if anyNode(k, f) {
			return true
		}
	}
	return false
}
