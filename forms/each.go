package forms

// EachAnswer calls fn for every field that holds a value (questions,
// calculations, metadata), once for each repeat entry it is in, in
// document order within each entry: with the value as the record holds it
// ("" when blank or not relevant; an answer of the wrong type as it was
// given) and whether the field is relevant there. The entries of a repeat
// that is not relevant are passed over, as the stored record leaves them
// out. Reports walk every record with it, so it builds no paths.
func (in *Instance) EachAnswer(fn func(fd *Field, value string, relevant bool)) {
	in.eachAnswer(in.root, fn)
}

func (in *Instance) eachAnswer(n *node, fn func(*Field, string, bool)) {
	for _, fd := range in.form.plan.members[in.levelIndex(n.level)] {
		s := in.slot(fd)
		if fd.Type == TypeRepeat {
			if n.rel[s] {
				for _, kid := range n.kids[s] {
					if !kid.junk {
						in.eachAnswer(kid, fn)
					}
				}
			}
			continue
		}
		if !fd.Type.HasAnswer() {
			continue
		}
		v := n.value[s]
		if n.bad != nil && n.bad[s] != "" && n.bad[s] != notScalar && n.rel[s] {
			v = n.bad[s]
		}
		fn(fd, v, n.rel[s])
	}
}
