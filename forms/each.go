package forms

import "strconv"

// EachAnswer calls fn for every field that holds a value (questions,
// calculations, metadata), once for each repeat entry it is in, in
// document order within each entry: with the value as the record holds it
// ("" when blank or not relevant; an answer of the wrong type as it was
// given) and whether the field is relevant there. The entries of a repeat
// that is not relevant are passed over, as the stored record leaves them
// out. Reports walk every record with it, so it builds no paths.
func (in *Instance) EachAnswer(fn func(fd *Field, value string, relevant bool)) {
	in.eachAnswer(in.root, func(fd *Field, _ *node, v string, rel bool) { fn(fd, v, rel) })
}

// AnswerAt is where EachAnswerAt found an answer. Its pointer is built
// only when asked, so a walk that needs the place of a few answers (the
// identifiers) does not pay for all of them.
type AnswerAt struct {
	n  *node
	fd *Field
}

// Pointer is the answer's place in the record's JSON object as RFC 6901
// writes it: "/head_id", "/members/0/m_id" (a repeat's entries counted
// from 0, as the array holds them).
func (a AnswerAt) Pointer() string {
	return string(appendPointer(appendNodePointer(nil, a.n), a.fd.Key))
}

func appendNodePointer(b []byte, n *node) []byte {
	if n == nil || n.parent == nil {
		return b
	}
	b = appendNodePointer(b, n.parent)
	b = appendPointer(b, n.level.Key)
	b = append(b, '/')
	return strconv.AppendInt(b, int64(n.index-1), 10)
}

// appendPointer appends one reference token, escaped ('~' as ~0, '/' as
// ~1: a question sharing its name with another has its group path as key).
func appendPointer(b []byte, key string) []byte {
	b = append(b, '/')
	for i := 0; i < len(key); i++ {
		switch key[i] {
		case '~':
			b = append(b, '~', '0')
		case '/':
			b = append(b, '~', '1')
		default:
			b = append(b, key[i])
		}
	}
	return b
}

// EachAnswerAt is EachAnswer that also says where each answer is.
func (in *Instance) EachAnswerAt(fn func(fd *Field, at AnswerAt, value string, relevant bool)) {
	in.eachAnswer(in.root, func(fd *Field, n *node, v string, rel bool) { fn(fd, AnswerAt{n, fd}, v, rel) })
}

func (in *Instance) eachAnswer(n *node, fn func(*Field, *node, string, bool)) {
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
		fn(fd, n, v, n.rel[s])
	}
}
