package forms

import (
	"fmt"
	"sort"
	"strings"
)

// readChoices reads a choices or external_choices sheet into lists.
func (b *builder) readChoices(sh *sheet) map[string]*ChoiceList {
	lists := map[string]*ChoiceList{}
	t := b.parseTable(sh, classifyChoicesHeader)
	if t == nil {
		return lists
	}
	ln, nm := t.col("list_name"), t.col("name")
	if ln == nil || nm == nil {
		if nextFilledRow(sh, t.header+1) >= 0 {
			missing := "list_name"
			if ln != nil {
				missing = "name"
			}
			b.errorAt(b.loc(sh, t.header, ""), ldChoicesNoColumn,
				sh.Name, missing, t.header+1)
		}
		return lists
	}
	var extras []column
	for _, c := range t.cols {
		switch {
		case c.kind == colUsed && c.key == "label":
			b.choiceLangs = append(b.choiceLangs, langCand{c.lang, c.tagged})
		case c.kind == colExtra:
			extras = append(extras, c)
		}
	}
	extraNames := make([]string, len(extras))
	for i, c := range extras {
		extraNames[i] = c.key
	}
	b.warnIgnored(t)

	firstRow := map[*ChoiceList]map[string]int{}
	for i := t.header + 1; i < len(sh.Rows); i++ {
		row := sh.Rows[i]
		if blankRow(row) {
			continue
		}
		b.refuseCells(t, row, i)
		list := strings.TrimSpace(cell(row, ln.index))
		name := strings.TrimSpace(cell(row, nm.index))
		if list == "" {
			if name == "" {
				b.warnAt(b.loc(sh, i, ln.header), ldChoiceRowEmpty)
			} else {
				b.errorAt(b.loc(sh, i, ln.header), ldChoiceNoList, quote(name))
			}
			continue
		}
		if name == "" {
			b.errorAt(b.loc(sh, i, nm.header), ldChoiceNoName, quote(list))
			continue
		}
		l := lists[list]
		if l == nil {
			l = &ChoiceList{Name: list, Columns: extraNames, Loc: b.loc(sh, i, "")}
			lists[list] = l
			firstRow[l] = map[string]int{}
		}
		if prev, dup := firstRow[l][name]; dup && !b.allowDupChoices {
			b.errorAt(b.loc(sh, i, nm.header), ldChoiceDup,
				quote(list), quote(name), prev+1)
			continue
		} else if !dup {
			firstRow[l][name] = i
		}
		if sh == b.wb.Sheets["choices"] {
			// external_choices only feeds lookups: pyxform does not
			// check it either.
			for _, col := range t.cols {
				if col.kind == colIgnored || (col.kind == colUsed && col.key == "label") {
					b.noteRefText(b.loc(sh, i, col.header), cell(row, col.index))
				}
			}
		}
		c := &Choice{Name: name, Label: t.text(row, "label"), Loc: b.loc(sh, i, ""), list: l}
		if _, ok := c.Label[""]; ok {
			b.untagged = true
		}
		if len(extras) > 0 {
			c.extra = make([]string, len(extras))
			for j, e := range extras {
				c.extra[j] = strings.TrimSpace(cell(row, e.index))
			}
		}
		l.Choices = append(l.Choices, c)
	}
	return lists
}

// selectList finds the list of a select question, checks what the select
// needs of it, and applies or_other.
func (r *surveyReader) selectList(fd *Field, q qtype, idx int, typeHdr string) {
	b := r.b
	loc := b.loc(r.t.sh, idx, typeHdr)
	fd.ListName, fd.OrOther = q.list, q.orOther
	if q.fromFile {
		if l := r.fileSelect(fd, q, loc); l != nil {
			fd.ListName = l.Name
		}
		return
	}
	l := b.findList(q, loc)
	if l == nil {
		return
	}
	if !q.external {
		b.checkChoiceLabels(l)
	}
	if fd.Type.ManyChoices() && !b.spaceChecked[l] && !b.usedBuiltins[l.Name] {
		b.spaceChecked[l] = true
		for _, c := range l.Choices {
			if strings.ContainsAny(c.Name, " \t\n") {
				cl := c.Loc
				cl.Column = b.nameHeader(cl.Sheet)
				b.errorAt(cl, ldChoiceSpace,
					quote(c.Name), quote(l.Name), quote(fd.Name), idx+1, strings.Join(strings.Fields(c.Name), "_"))
			}
		}
	}
	if q.orOther && fd.Name != "" {
		r.orOther(fd, l, idx, loc)
	}
}

// findList resolves a select's list name, with a message saying where the
// list should be when it is not found.
func (b *builder) findList(q qtype, loc Location) *ChoiceList {
	name := q.list
	if q.external {
		b.externalUsed[name] = true
		l := b.externalLists[name]
		// The type names the sheet: a list on both sheets (as pyxform's
		// case_insensitivity form has) is no ambiguity.
		switch {
		case l != nil:
			return l
		case b.choiceLists[name] != nil:
			b.errorAt(loc, ldListNotExternal, quote(name), name)
		case b.wb.Sheets["external_choices"] == nil:
			b.errorAt(loc, ldNoExternalSheet, quote(name))
		default:
			b.errorAt(loc, ldListNotOnExternal, quote(name), didYouMean(name, b.externalLists))
		}
		return nil
	}
	if l := b.choiceLists[name]; l != nil {
		return l
	}
	if l := b.f.Lists[name]; l != nil && b.usedBuiltins[name] {
		return l
	}
	if l := builtinList(name); l != nil {
		b.f.Lists[name] = l
		b.usedBuiltins[name] = true
		return l
	}
	switch {
	case b.externalLists[name] != nil:
		b.errorAt(loc, ldListIsExternal, quote(name), name)
	case b.wb.Sheets["choices"] == nil:
		var meant loadText
		for _, k := range b.wb.Order {
			if g := closest(k, []string{"choices"}); g != "" {
				meant = loadMsg(ldMeantChoices, quote(b.wb.Sheets[k].Name))
				break
			}
		}
		b.errorAt(loc, ldNoChoicesSheet, quote(name), meant)
	default:
		b.errorAt(loc, ldListNotFound, quote(name), didYouMean(name, b.choiceLists), name)
	}
	return nil
}

func didYouMean(name string, lists map[string]*ChoiceList) loadText {
	if len(lists) > 5000 {
		return loadText{} // a hint is not worth a slow load
	}
	names := make([]string, 0, len(lists))
	for n := range lists {
		names = append(names, n)
	}
	sort.Strings(names)
	return didYouMeanText(closest(name, names))
}

// orOther does what pyxform does for "select_one L or_other": the list gets
// an "other" choice, and a text question NAME_other follows the select,
// shown when other is chosen.
func (r *surveyReader) orOther(fd *Field, l *ChoiceList, idx int, loc Location) {
	b := r.b
	if b.usedBuiltins[l.Name] {
		b.errorAt(loc, ldOrOtherBuiltin, l.Name)
		return
	}
	if len(l.Choices) == 0 {
		b.errorAt(loc, ldOrOtherEmpty, quote(l.Name))
		return
	}
	if l.Lookup("other") == nil {
		label := Text{}
		for _, c := range l.Choices {
			for lang := range c.Label {
				label[lang] = "Other"
			}
		}
		if len(label) == 0 {
			label[""] = "Other"
		}
		l.Choices = append(l.Choices, &Choice{Name: "other", Label: label, Loc: loc, list: l})
		l.index = nil // Lookup's cache predates the new choice
	}
	name := fd.Name + "_other"
	other := &Field{
		Name:     name,
		Type:     TypeText,
		Label:    Text{"": "Specify other."},
		Relevant: &Expression{Src: fmt.Sprintf("selected(${%s}, 'other')", fd.Name), Loc: loc},
		Loc:      fd.Loc,
	}
	if prev, dup := b.names[scopedName{fd.Parent, name}]; dup {
		b.errorAt(loc, ldOrOtherTaken, quote(name), prev)
		return
	}
	r.claimName(fd.Parent, name, idx, loc)
	r.attach(other, fd.Parent)
}

// nameHeader is the header of the name column on a choices sheet, for
// locating errors found after the sheet was read.
func (b *builder) nameHeader(sheetName string) string {
	sh := b.wb.Sheets[strings.ToLower(strings.TrimSpace(sheetName))]
	if sh == nil {
		return "name"
	}
	hdr := nextFilledRow(sh, 0)
	if hdr < 0 {
		return "name"
	}
	for _, h := range sh.Rows[hdr] {
		h = strings.TrimSpace(h)
		if c := classifyChoicesHeader(h); c.kind == colUsed && c.key == "name" {
			return h
		}
	}
	return "name"
}
