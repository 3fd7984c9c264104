package forms

import (
	"regexp"
	"strings"
)

// Legacy loops: `begin loop over LIST` ... `end loop` asks the same
// questions once per choice of LIST. pyxform expands it into one group per
// choice, named after the choice, with %(label)s (or any %(column)s) in the
// texts replaced by that choice's value; fieldbench does the same. The
// copies share names, so compile keys them by group path, e.g.
// loop_toilet_types/pit_latrine_with_slab/number, which is also ODK's path.

var placeholderRE = regexp.MustCompile(`%\(([^)]+)\)s`)

// expandLoop replaces the loop's body rows (read as a template) with one
// group per choice holding a copy of them.
func (r *surveyReader) expandLoop(g *openGroup, loc Location) {
	b := r.b
	loop := g.field
	template := loop.Children
	loop.Children = nil
	b.f.Fields = b.f.Fields[:g.first]
	list := b.choiceLists[g.list]
	if list == nil {
		b.errorAt(loc, ldLoopNoList, quote(loop.Name), quote(g.list))
		return
	}
	for _, ch := range list.Choices {
		grp := &Field{Name: ch.Name, Type: TypeGroup, Loc: loop.Loc, Label: fillText(loop.Label, ch)}
		r.attach(grp, loop)
		for _, t := range template {
			r.cloneInto(t, grp, ch)
		}
	}
}

// cloneInto copies a template field (and its children) under parent, with
// the choice's values in its texts. Expressions are copied so that each
// copy is compiled on its own.
func (r *surveyReader) cloneInto(t, parent *Field, ch *Choice) {
	c := *t
	c.Children = nil
	c.Label = fillText(t.Label, ch)
	c.Hint = fillText(t.Hint, ch)
	c.ConstraintMsg = fillText(t.ConstraintMsg, ch)
	c.RequiredMsg = fillText(t.RequiredMsg, ch)
	c.WarningMsg = fillText(t.WarningMsg, ch)
	for _, e := range []**Expression{&c.Required, &c.Relevant, &c.Constraint, &c.Warning, &c.Calculation,
		&c.Default, &c.ChoiceFilter, &c.ReadOnly, &c.RepeatCount} {
		if *e != nil {
			cp := **e
			cp.compiled = nil
			*e = &cp
		}
	}
	r.attach(&c, parent)
	for _, k := range t.Children {
		r.cloneInto(k, &c, ch)
	}
}

// fillText replaces %(column)s in every language with the choice's value
// for that column in that language (its label for %(label)s).
func fillText(t Text, ch *Choice) Text {
	if len(t) == 0 {
		return t
	}
	out := make(Text, len(t))
	for lang, s := range t {
		out[lang] = placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
			col := strings.TrimSpace(placeholderRE.FindStringSubmatch(m)[1])
			return ch.column(col, lang)
		})
	}
	return out
}
