package expr

import "slices"

// Which columns of a secondary instance an expression reads, so that a
// server sending an entity list to a laptop can leave out the properties
// none of the laptop's forms read. Whatever cannot be told at load (a
// wildcard step, the items' whole value, a column named by a computed
// string) counts as every column: a list is never cut short of what a
// form reads.

// AllColumns is the Column of an InstanceColumn that stands for every
// column of the instance.
const AllColumns = "*"

// InstanceColumn is a column of the items of instance('Instance') (or of
// pulldata('Instance', ...)) that an expression reads.
type InstanceColumn struct {
	Instance string
	Column   string // a child of the items, or AllColumns
}

// InstanceColumns lists the columns the expression reads, in first-seen
// order: the step after instance('x')/root/item, the columns its
// predicates compare, and pulldata()'s value and key columns.
func (e *Expr) InstanceColumns() []InstanceColumn { return slices.Clone(e.columns) }

func (p *parser) useColumn(instance, column string) {
	u := InstanceColumn{instance, column}
	if column == "" || column == "." || column == ".." {
		u.Column = AllColumns
	}
	if !slices.Contains(p.columns, u) {
		p.columns = append(p.columns, u)
	}
}

// noteItemColumns notes what a path from instance(name) reads: steps are
// root, item[predicates], then the column.
func (p *parser) noteItemColumns(call *callNode, steps []nodeStep) {
	p.walked = append(p.walked, call)
	name := call.instance
	if len(steps) != 3 || steps[0].deep || steps[1].deep || steps[2].deep || len(steps[2].preds) > 0 {
		p.useColumn(name, AllColumns)
		return
	}
	p.useColumn(name, steps[2].name)
	for _, pred := range steps[1].preds {
		anyNode(pred, func(x node) bool {
			switch x := x.(type) {
			case dotNode:
				p.useColumn(name, AllColumns)
			case *nodePath:
				if x.from == fromContext {
					p.useColumn(name, columnOf(x))
				}
			case *pathNode:
				if !x.abs {
					p.useColumn(name, AllColumns)
				}
			case *callNode:
				if x.def.flags&fCurrentIfNoArgs != 0 && len(x.args) == 0 {
					p.useColumn(name, AllColumns)
				}
			}
			return false
		})
	}
}

// notePulldataColumns notes pulldata(name, column, key column, key)'s
// columns: literal names, or every column for a computed one.
func (p *parser) notePulldataColumns(n *callNode) {
	for _, arg := range n.args[1:3] {
		if lit, ok := arg.(*litNode); ok && lit.v.Kind == KindString {
			p.useColumn(n.instance, lit.v.S)
		} else {
			p.useColumn(n.instance, AllColumns)
		}
	}
}

// noteWholeInstances counts every column of an instance('name') whose
// value is read as a whole (no path to a column from it).
func (p *parser) noteWholeInstances() {
	for _, call := range p.instanceCalls {
		if !slices.Contains(p.walked, call) {
			p.useColumn(call.instance, AllColumns)
		}
	}
}
