package forms

import "strings"

// Rules about what a form shows, which pyxform and ODK's engine enforce:
// every question a person answers has something to read, every group
// shows at least one question. Each holds in ODK (its engine refuses such
// a form, or it would show a blank page), so each is a located load error.

// shown reports whether fd is put in front of the collector (a control in
// the XForm body, in pyxform's terms): not a calculation, not metadata,
// and not a question with a calculation or a trigger and nothing to read,
// which pyxform keeps out of the body too.
func shown(fd *Field) bool {
	switch {
	case fd.Type.IsContainer():
		return true
	case fd.Type == TypeCalculate || fd.Type.IsMeta():
		return false
	}
	return fd.Calculation == nil && len(fd.Trigger) == 0 || len(fd.Label) > 0 || len(fd.Hint) > 0
}

// checkLabel refuses a shown question with no label, no hint and no
// picture or sound: it would be a blank page. A guidance_hint alone does
// not count (ODK hides it by default), and a big-image needs the image it
// enlarges.
func (r *surveyReader) checkLabel(fd *Field, row []string, idx int) {
	media := map[string]bool{}
	for _, c := range r.t.cols {
		if c.kind == colIgnored && (mediaColumns[c.key] || c.key == "media") && strings.TrimSpace(cell(row, c.index)) != "" {
			media[c.key] = true
		}
	}
	at := r.b.loc(r.t.sh, idx, r.t.col("type").header)
	if media["big-image"] && !media["image"] {
		r.b.errorAt(at, ldBigImageAlone)
	}
	if fd.Type.IsContainer() || !shown(fd) || len(fd.Label) > 0 || len(fd.Hint) > 0 || len(media) > 0 {
		return
	}
	r.b.errorAt(at, ldNoLabel, quote(fd.Name))
}

// checkEmptyGroups refuses a group with nothing shown in it: ODK's engine
// refuses the form ("Group has no children!"). A group that only holds an
// empty group is not empty itself; the inner one is. An empty repeat is
// fine in ODK (its entries hold calculations, or nothing).
func (r *surveyReader) checkEmptyGroups() {
	for _, fd := range r.b.f.Fields {
		if fd.Type != TypeGroup {
			continue
		}
		empty := true
		for _, k := range fd.Children {
			if shown(k) {
				empty = false
				break
			}
		}
		if empty {
			loc := fd.Loc
			loc.Column = r.t.col("type").header
			r.b.errorAt(loc, ldEmptyGroup, quote(fd.Name))
		}
	}
}

// checkChoiceLabels warns, as pyxform does, about each choice without a
// label in a list a select shows: it would be shown blank. It is no error:
// ODK Validate (JavaRosa) refuses a list whose first choice has no label,
// but ODK Web Forms runs it, and so does a corpus form (xlsform_spec_test).
// Each list is checked once.
func (b *builder) checkChoiceLabels(l *ChoiceList) {
	if b.labelsChecked == nil {
		b.labelsChecked = map[*ChoiceList]bool{}
	}
	if b.labelsChecked[l] || b.usedBuiltins[l.Name] {
		return
	}
	b.labelsChecked[l] = true
	for _, c := range l.Choices {
		if len(c.Label) == 0 {
			loc := c.Loc
			loc.Column = b.nameHeader(loc.Sheet)
			b.warnAt(loc, ldChoiceNoLabel, quote(c.Name), quote(l.Name))
		}
	}
}
