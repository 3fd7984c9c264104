package forms

import (
	"fmt"
	"strconv"
	"strings"
)

// Paths name an answer inside a record: "hh_size" at the top level,
// "members[2]/m_age" inside the second instance of repeat members (1-based,
// as reports print them).

// resolve finds the node and field a path names.
func (in *Instance) resolve(path string) (*node, *Field, error) {
	n := in.root
	segs := strings.Split(path, "/")
	for len(segs) > 0 {
		fd, used := in.form.keyAt(n.level, segs)
		if fd == nil {
			return nil, nil, fmt.Errorf("path %q: no question %q here", path, segs[0])
		}
		_, idx, err := splitIndex(segs[used-1])
		if err != nil {
			return nil, nil, fmt.Errorf("path %q: %v", path, err)
		}
		segs = segs[used:]
		if len(segs) == 0 && idx == 0 {
			return n, fd, nil
		}
		if fd.Type != TypeRepeat || idx == 0 {
			return nil, nil, fmt.Errorf("path %q: %q is not a repeat instance", path, fd.Key)
		}
		kids := n.kids[in.slot(fd)]
		if idx > len(kids) {
			return nil, nil, fmt.Errorf("path %q: %s has %d entries", path, fd.Key, len(kids))
		}
		if len(segs) == 0 {
			return kids[idx-1], fd, nil
		}
		n = kids[idx-1]
	}
	return nil, nil, fmt.Errorf("empty path")
}

func splitIndex(seg string) (string, int, error) {
	open := strings.IndexByte(seg, '[')
	if open < 0 {
		return seg, 0, nil
	}
	if !strings.HasSuffix(seg, "]") {
		return "", 0, fmt.Errorf("bad segment %q", seg)
	}
	i, err := strconv.Atoi(seg[open+1 : len(seg)-1])
	if err != nil || i < 1 {
		return "", 0, fmt.Errorf("bad index in %q", seg)
	}
	return seg[:open], i, nil
}

// Set records a typed answer and brings relevance and calculations up to
// date. The value is normalised as a stored answer would be, after the
// wider reading of typed answers (see typedAnswer); validity is not
// checked here (see Check).
func (in *Instance) Set(path, value string) error {
	n, fd, err := in.resolve(path)
	if err != nil {
		return err
	}
	if !fd.Type.HasAnswer() || fd.Type == TypeRepeat {
		return fmt.Errorf("path %q: %s takes no answer", path, fd.Type)
	}
	if fd.Calculation != nil {
		return fmt.Errorf("path %q: %s is calculated by the form", path, fd.Name)
	}
	s := in.slot(fd)
	before := n.answer[s]
	in.store(n, fd, normalize(fd, typedAnswer(fd, value)))
	if n.answer[s] != before {
		in.dropConfirmedAt(path)
		in.answerChanged(n, fd)
		for _, t := range in.form.plan.triggered[fd.idx] {
			in.fire(n, t)
		}
	}
	return nil
}

// fire sets what a changed answer in node n triggers: question t, in the
// same repeat instance (or the instances below it), to its TriggerValue
// worked out now, or blank, as ODK's setvalue on xforms-value-changed
// does. What it sets triggers nothing further: only a person's answer does.
func (in *Instance) fire(n *node, t *Field) {
	for _, m := range in.visible(n, in.form.level(t)) {
		in.setTriggered(m, t)
	}
}

// setTriggered sets t in node m to its TriggerValue worked out now.
func (in *Instance) setTriggered(m *node, t *Field) {
	s := in.slot(t)
	val := ""
	if x := exprOf(t.TriggerValue); x != nil {
		val = x.EvalStored(in.at(m, t))
	}
	before := m.answer[s]
	in.store(m, t, normalize(t, val))
	if m.answer[s] != before && in.recompute(m, t) {
		in.propagate(t)
	}
}

// fireRecordTriggers completes a record read whole (Fill): a triggered
// question nobody answers (a calculate, or one with nothing to read) that
// the record leaves blank was set by ODK when its trigger question was
// answered, so it is set now where one of its trigger questions has an
// answer. A question the collector answers keeps the record's answer, a
// record being final answers.
func (in *Instance) fireRecordTriggers() {
	for _, t := range in.form.Fields {
		if len(t.Trigger) == 0 || shown(t) {
			continue
		}
		s := in.slot(t)
		for _, m := range in.nodesAt(in.form.level(t)) {
			if m.answer[s] == "" && in.triggerAnswered(m, t) {
				in.setTriggered(m, t)
			}
		}
	}
}

// triggerAnswered reports whether a trigger question of t has an answer
// as seen from node m.
func (in *Instance) triggerAnswered(m *node, t *Field) bool {
	for _, name := range t.Trigger {
		for _, v := range in.at(m, t).Ref(name) {
			if v != "" {
				return true
			}
		}
	}
	return false
}

// Value returns the answer or calculated value at path as expressions see
// it ("" where not relevant), and whether the question is relevant.
func (in *Instance) Value(path string) (value string, relevant bool, err error) {
	n, fd, err := in.resolve(path)
	if err != nil {
		return "", false, err
	}
	if n.level == fd {
		return "", false, fmt.Errorf("path %q names a repeat instance, not a question", path)
	}
	s := in.slot(fd)
	return n.value[s], n.rel[s], nil
}

// Count is the number of instances of the repeat at path ("members",
// "members[1]/children").
func (in *Instance) Count(path string) (int, error) {
	n, fd, err := in.resolve(path)
	if err != nil {
		return 0, err
	}
	if fd.Type != TypeRepeat || n.level == fd {
		return 0, fmt.Errorf("path %q is not a repeat", path)
	}
	return len(n.kids[in.slot(fd)]), nil
}

// AddRepeat appends an instance to the repeat at path and returns its
// 1-based index.
func (in *Instance) AddRepeat(path string) (int, error) {
	n, fd, err := in.resolve(path)
	if err != nil {
		return 0, err
	}
	if fd.Type != TypeRepeat || n.level == fd {
		return 0, fmt.Errorf("path %q is not a repeat", path)
	}
	s := in.slot(fd)
	kid := in.newNode(fd, n, len(n.kids[s])+1)
	n.kids[s] = append(n.kids[s], kid)
	if in.defaults {
		in.applyDefaults(kid)
	}
	in.evaluate()
	return kid.index, nil
}

// RemoveRepeat deletes the repeat instance at path ("members[2]"); later
// instances move up.
func (in *Instance) RemoveRepeat(path string) error {
	kid, fd, err := in.resolve(path)
	if err != nil {
		return err
	}
	if kid.level != fd {
		return fmt.Errorf("path %q is not a repeat instance", path)
	}
	s := in.slot(fd)
	kids := kid.parent.kids[s]
	kids = append(kids[:kid.index-1], kids[kid.index:]...)
	for i, k := range kids {
		k.index = i + 1
	}
	kid.parent.kids[s] = kids
	in.renumberConfirmed(path)
	in.evaluate()
	return nil
}

// Choices lists the choices the select at path offers now: its whole list,
// or the ones its choice_filter lets through given the other answers.
func (in *Instance) Choices(path string) ([]*Choice, error) {
	n, fd, err := in.resolve(path)
	if err != nil {
		return nil, err
	}
	if in.form.plan.answerSource[fd.idx] == nil && in.form.Lists[fd.ListName] == nil {
		return nil, fmt.Errorf("path %q is not a select", path)
	}
	return in.choicesAt(n, fd), nil
}

// choicesAt is Choices for the select fd in node n.
func (in *Instance) choicesAt(n *node, fd *Field) []*Choice {
	if src := in.form.plan.answerSource[fd.idx]; src != nil {
		return in.answerChoices(n, fd, src)
	}
	list := in.form.Lists[fd.ListName]
	if list == nil {
		return nil
	}
	filter := exprOf(fd.ChoiceFilter)
	if filter == nil {
		return list.Choices
	}
	if eqs := in.form.plan.filters[fd.idx]; eqs != nil {
		if out, ok := in.filterByIndex(n, list, eqs); ok {
			return out
		}
	}
	var out []*Choice
	ctx := in.at(n, fd)
	for _, ch := range list.Choices {
		ctx.choice = ch
		if filter.EvalBool(ctx) {
			out = append(out, ch)
		}
	}
	return out
}

// Name is the record's instance name from the settings sheet's
// instance_name expression (e.g. concat(${head_name}, ' ', ${village})),
// or "" when the form has none.
func (in *Instance) Name() string {
	x := exprOf(in.form.InstanceName)
	if x == nil {
		return ""
	}
	return x.EvalString(in.at(in.root, nil))
}

// step is one repeat instance on the way from the root to the node being
// filled or checked (Instance.trail). Paths are written out from the trail
// only when a problem names them: most records have none, and building
// every answer's path up front was a third of a validation's allocations.
type step struct {
	key   string // the repeat's key
	index int    // 1-based
}

// appendTrail writes the path of the instance at the end of the trail,
// "members[2]" (nothing at the root).
func (in *Instance) appendTrail(b []byte) []byte {
	for i, st := range in.trail {
		if i > 0 {
			b = append(b, '/')
		}
		b = append(b, st.key...)
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(st.index), 10)
		b = append(b, ']')
	}
	return b
}

// path is the path of answer key in the instance at the end of the trail:
// "members[2]/m_age", or key itself at the root.
func (in *Instance) path(key string) string {
	if len(in.trail) == 0 {
		return key
	}
	b := append(in.appendTrail(make([]byte, 0, 32)), '/')
	return string(append(b, key...))
}

// enter and leave move along the trail.
func (in *Instance) enter(key string, index int) { in.trail = append(in.trail, step{key, index}) }
func (in *Instance) leave()                      { in.trail = in.trail[:len(in.trail)-1] }
