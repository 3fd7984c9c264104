package forms

// Choices taken from earlier answers: `select_one ${name}` offers the
// answers to name, one choice per instance of name's repeat with a
// non-blank answer, named and labelled by that answer (pyxform's itemset
// over the repeat, `[./name != '']`). A choice_filter tests each instance:
// ${x} of a question in that repeat is the instance's own answer, as
// pyxform writes it (./x); anything else is read from the select question,
// as current()/.. would; position() is the instance's number.

// resolveChoicesFrom checks every `select_one ${name}` and records its
// source question in the plan.
func resolveChoicesFrom(f *Form, p *plan) LoadErrors {
	var errs LoadErrors
	p.answerSource = make([]*Field, len(f.Fields))
	for _, fd := range f.Fields {
		if fd.ChoicesFrom == "" {
			continue
		}
		loc := fd.Loc
		loc.Column = "type"
		if e := f.checkRef(loc, fd.ChoicesFrom, fd.ChoicesFrom); len(e) > 0 {
			errs = append(errs, e...)
			continue
		}
		src := f.byName[fd.ChoicesFrom]
		if !src.Type.HasAnswer() || src.Type == TypeRepeat {
			errs = append(errs, newLoadError(loc, ldChoicesFromNoAnswer, fd.ChoicesFrom, src.Type))
			continue
		}
		p.answerSource[fd.idx] = src
	}
	return errs
}

// answerChoices lists what the select fd at node n offers now.
func (in *Instance) answerChoices(n *node, fd, src *Field) []*Choice {
	filter := exprOf(fd.ChoiceFilter)
	s := in.slot(src)
	var out []*Choice
	seen := map[string]bool{}
	for _, item := range in.answerItems(n, src) {
		v := item.value[s]
		if v == "" || seen[v] {
			// Two instances with one answer are one choice: the record
			// could not tell them apart.
			continue
		}
		if filter != nil {
			ctx := in.at(n, fd)
			ctx.item = item
			if !filter.EvalBool(ctx) {
				continue
			}
		}
		seen[v] = true
		out = append(out, &Choice{Name: v, Label: Text{"": v}})
	}
	return out
}

// answerItems are the nodes holding src's answers that a select at n
// chooses from: every instance of src's repeat in the instance of the
// levels around it that encloses n (the select may sit in that repeat
// itself), or the record for a question outside repeats.
func (in *Instance) answerItems(n *node, src *Field) []*node {
	rep := src.Repeat
	if rep == nil {
		return []*node{in.root}
	}
	var out []*node
	for _, e := range in.at(n, nil).RefNodes(rep.Name) {
		out = append(out, e.(element).n)
	}
	return out
}

// offeredAnswer reports whether name is one of the choices fd offers at n.
func (in *Instance) offeredAnswer(n *node, fd, src *Field, name string) bool {
	for _, ch := range in.answerChoices(n, fd, src) {
		if ch.Name == name {
			return true
		}
	}
	return false
}
