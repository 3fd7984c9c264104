package forms

import (
	"strings"

	"github.com/fieldbench/fieldbench/forms/expr"
)

// The record as XML elements, for the expressions that need its structure
// (${t}[1]/s, /data/rep[age > 18]/name, current()/../x, indexed-repeat()):
// the document element, groups, repeat instances and questions, each
// knowing its children and its parent as in the record ODK writes.

// element is one element of the record: field fd as it stands in node n.
// For a repeat, n is the instance; for anything else, the node of the
// level fd belongs to. The document element is the form's Root in the
// record's root node.
type element struct {
	in *Instance
	n  *node
	fd *Field
}

var _ expr.Node = element{}

func (e element) Name() string { return e.fd.Name }

// Value is the answer as expressions see it, or for a group, a repeat
// instance or the document every answer below run together (XPath's
// string-value).
func (e element) Value() string {
	if !e.fd.Type.IsContainer() && e.fd != e.in.form.Root {
		return e.n.value[e.in.slot(e.fd)]
	}
	var b strings.Builder
	e.appendValue(&b)
	return b.String()
}

func (e element) appendValue(b *strings.Builder) {
	for _, k := range e.Children("*") {
		if ke := k.(element); ke.fd.Type.IsContainer() {
			ke.appendValue(b)
		} else {
			b.WriteString(ke.n.value[e.in.slot(ke.fd)])
		}
	}
}

func (e element) Children(name string) []expr.Node {
	if !e.fd.Type.IsContainer() && e.fd != e.in.form.Root {
		return nil
	}
	var out []expr.Node
	for _, k := range e.fd.Children {
		if name != "*" && k.Name != name {
			continue
		}
		if k.Type == TypeRepeat {
			for _, inst := range e.n.kids[e.in.slot(k)] {
				out = append(out, element{e.in, inst, k})
			}
			continue
		}
		out = append(out, element{e.in, e.n, k})
	}
	return out
}

func (e element) Parent() expr.Node {
	switch {
	case e.fd == e.in.form.Root:
		return nil
	case e.fd.Type == TypeRepeat && e.n.level == e.fd:
		// An instance: its parent is in the node its instances are
		// listed in.
		return element{e.in, e.n.parent, e.fd.Parent}
	}
	return element{e.in, e.n, e.fd.Parent}
}

func (c *evalCtx) Root() expr.Node { return element{c.in, c.in.root, c.in.form.Root} }

func (c *evalCtx) Self() expr.Node {
	fd := c.fd
	if fd == nil {
		return nil
	}
	if fd.Type == TypeRepeat && c.n.level != fd {
		// A repeat's own relevance or count is worked out in the node
		// that lists its instances: no one instance is "self" there.
		fd = fd.Parent
	}
	return element{c.in, c.n, fd}
}

// RefNodes is ${name} as elements: a repeat's instances, read as ODK reads
// the repeat's path, every one in the instance of the levels around it that
// encloses the expression; for anything else, the elements whose values
// Ref gives.
func (c *evalCtx) RefNodes(name string) []expr.Node {
	in := c.in
	t := in.form.byName[name]
	if t == nil {
		return nil
	}
	lv := in.form.level(t)
	var holders []*node
	for a := c.n; a != nil; a = a.parent {
		if a.level == lv {
			holders = []*node{a}
			break
		}
	}
	if holders == nil {
		holders = in.visible(c.n, lv)
	}
	var out []expr.Node
	for _, h := range holders {
		if t.Type != TypeRepeat {
			out = append(out, element{in, h, t})
			continue
		}
		for _, inst := range h.kids[in.slot(t)] {
			out = append(out, element{in, inst, t})
		}
	}
	return out
}

// LastSaved is ${last-saved#name}: that question's answers in the last
// record of the form saved on this device (Options.LastSaved), as that
// record holds them (a calculation as it was saved, not worked out again),
// one per instance for a question in a repeat. With no saved record ODK
// reads a blank record, in which a question outside repeats is there and
// blank (comparing it with the empty string holds) and a repeat has no
// instances.
func (c *evalCtx) LastSaved(name string) []string {
	in := c.in
	fd := in.form.byName[name]
	if fd == nil {
		return nil
	}
	objs := []map[string]any{in.lastSaved}
	chain := in.form.plan.repeatPath[fd.idx]
	if fd.Type == TypeRepeat {
		chain = append(chain[:len(chain):len(chain)], fd)
	}
	for _, r := range chain {
		var next []map[string]any
		for _, o := range objs {
			items, _ := o[r.Key].([]any)
			for _, it := range items {
				if m, ok := it.(map[string]any); ok {
					next = append(next, m)
				}
			}
		}
		objs = next
	}
	out := make([]string, len(objs))
	if fd.Type == TypeRepeat {
		return out // one blank per instance, as Ref gives
	}
	for i, o := range objs {
		out[i], _ = scalar(o[fd.Key])
	}
	return out
}

// metaInstanceID is the one metadata pyxform lets expressions name without
// a question of that name: the record's id, ODK's meta/instanceID.
const metaInstanceID = "instanceID"

// InstanceIDOf is a record's ${instanceID}: ODK writes "uuid:" and the id.
func InstanceIDOf(recordID string) string {
	if recordID == "" {
		return ""
	}
	return "uuid:" + recordID
}

// SetInstanceID gives the record the id ${instanceID} reads (see
// InstanceIDOf), once the store has made one: a new record is given its id
// with its first stored answer.
func (in *Instance) SetInstanceID(id string) {
	if in.instanceID[0] == id {
		return
	}
	in.instanceID[0] = id
	if in.form.usesInstanceID {
		in.evaluate()
	}
}
