package forms

import "math/bits"

// recompute works out fd's relevance and value in node n and reports whether
// either changed. A field is relevant when its parent is and its own
// relevant expression holds; a non-relevant field's value is blank to every
// expression, as XForms drops it from the record.
func (in *Instance) recompute(n *node, fd *Field) bool {
	s := in.slot(fd)
	rel := in.parentRelevant(n, fd)
	if rel {
		if x := exprOf(fd.Relevant); x != nil {
			rel = x.EvalBool(in.at(n, fd))
		}
	}
	val := ""
	if rel {
		if x := exprOf(fd.Calculation); x != nil {
			val = x.EvalStored(in.at(n, fd))
		} else {
			val = n.answer[s]
		}
	}
	changed := rel != n.rel[s] || val != n.value[s]
	n.rel[s], n.value[s] = rel, val
	return changed
}

// parentRelevant is the relevance fd inherits from its group or repeat.
func (in *Instance) parentRelevant(n *node, fd *Field) bool {
	p := fd.Parent
	switch {
	case p == nil || p == in.form.Root:
		return true
	case p.Type == TypeRepeat:
		// n is an instance of p; p's own relevance lives in the node that
		// lists the instances.
		return n.parent.rel[in.slot(p)]
	default:
		return n.rel[in.slot(p)]
	}
}

// answerChanged brings relevance and calculations up to date after fd's
// answer in n changed. A group reading that answer (readsAnswer) must be
// recomputed even when fd's own value did not change, as when the group
// does not apply.
func (in *Instance) answerChanged(n *node, fd *Field) {
	if in.recompute(n, fd) || len(in.form.plan.answerReaders[fd.idx]) > 0 {
		in.propagate(fd)
	}
}

// recomputeAll works out fd in every node of its level, in document order.
func (in *Instance) recomputeAll(fd *Field) bool {
	return in.recomputeBelow(in.root, in.form.plan.repeatPath[fd.idx], fd)
}

// recomputeBelow works out fd in the nodes reached from n down the chain of
// repeats. Walking the tree, rather than listing the nodes first as
// nodesAt does, keeps a full evaluation free of allocations.
func (in *Instance) recomputeBelow(n *node, chain []*Field, fd *Field) bool {
	if len(chain) == 0 {
		return in.recompute(n, fd)
	}
	changed := false
	for _, kid := range n.kids[in.slot(chain[0])] {
		if in.recomputeBelow(kid, chain[1:], fd) {
			changed = true
		}
	}
	return changed
}

// evaluate works out every relevance and calculation from scratch.
func (in *Instance) evaluate() {
	for _, fd := range in.form.plan.order {
		in.recomputeAll(fd)
	}
}

// propagate recomputes what depends on a changed field, in evaluation
// order, stopping wherever a recomputed field comes out unchanged. This is
// what keeps the cost of one answer independent of the size of the form.
func (in *Instance) propagate(changed *Field) {
	p := in.form.plan
	markAll := func(fds []*Field) {
		for _, d := range fds {
			r := p.rank[d.idx]
			in.dirty[r/64] |= 1 << (r % 64)
		}
	}
	mark := func(fd *Field) { markAll(p.dependents[fd.idx]) }
	mark(changed)
	// The groups that read changed's answer rank before it; the scan
	// starts from the first word, so they are reached.
	markAll(p.answerReaders[changed.idx])
	for w := 0; w < len(in.dirty); w++ {
		for in.dirty[w] != 0 {
			b := bits.TrailingZeros64(in.dirty[w])
			in.dirty[w] &^= 1 << b
			fd := p.order[w*64+b]
			if in.recomputeAll(fd) {
				// Dependents always rank later, so they land in this word
				// or a later one: the scan never has to go back.
				mark(fd)
			}
		}
	}
}
