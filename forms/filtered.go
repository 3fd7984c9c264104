package forms

import "strings"

// Cleared is an answer ClearFiltered took away: where, which question,
// and the names it held.
type Cleared struct {
	Path  string
	Field *Field
	Old   string
	New   string // what is left of a select_multiple; "" for a select_one
}

// ClearFiltered clears the select answers that their choice_filter no
// longer lets through, as ODK does when a parent answer changes: a new
// county takes the old township away rather than leaving it stored out of
// sight. A select_multiple keeps the names that still pass. Clearing one
// answer can fail the next filter (province, city, county, township), so
// it goes on until nothing changes.
func (in *Instance) ClearFiltered() []Cleared {
	var out []Cleared
	for {
		n := len(out)
		out = in.clearFiltered(in.root, out)
		if len(out) == n {
			return out
		}
	}
}

func (in *Instance) clearFiltered(n *node, out []Cleared) []Cleared {
	for _, fd := range in.form.plan.members[in.levelIndex(n.level)] {
		s := in.slot(fd)
		if fd.Type == TypeRepeat {
			for _, kid := range n.kids[s] {
				if !kid.junk {
					in.enter(fd.Key, kid.index)
					out = in.clearFiltered(kid, out)
					in.leave()
				}
			}
			continue
		}
		filter := exprOf(fd.ChoiceFilter)
		old := n.answer[s]
		src := in.form.plan.answerSource[fd.idx]
		if old == "" || fd.Calculation != nil || src == nil && (filter == nil || in.form.plan.lists[fd.idx] == nil) {
			continue
		}
		var keep []string
		if src != nil && fd.Type == TypeSelectOne {
			// An earlier answer, changed or gone, takes the choice of it
			// away as a new county takes the old township.
			if in.offeredAnswer(n, fd, src, old) {
				keep = append(keep, old)
			}
		}
		for rest := old; src == nil || fd.Type.ManyChoices(); {
			var name string
			if name, rest = nextField(rest); name == "" {
				break
			}
			if src != nil {
				if in.offeredAnswer(n, fd, src, name) {
					keep = append(keep, name)
				}
				continue
			}
			options := in.form.plan.lists[fd.idx].lookupAll(name, nil)
			if len(options) == 0 || in.anyPasses(n, fd, filter, options) {
				keep = append(keep, name) // not a choice at all is the type check's to report
			}
		}
		now := strings.Join(keep, " ")
		if fd.Type == TypeSelectOne && len(keep) == 1 {
			now = old // a name with a space in it
		}
		if now == old {
			continue
		}
		in.store(n, fd, now)
		in.answerChanged(n, fd)
		out = append(out, Cleared{Path: in.path(fd.Key), Field: fd, Old: old, New: now})
	}
	return out
}

// ChoiceLabels is a select answer as its choices' labels in lang (a form
// language), joined with "、"; a name that is no choice shows as itself.
// Messages name choices this way, never by their codes.
func (in *Instance) ChoiceLabels(fd *Field, names, lang string) string {
	list := in.form.plan.lists[fd.idx]
	if fd.Type == TypeSelectOne && list != nil {
		if ch := list.Lookup(strings.TrimSpace(names)); ch != nil && ch.LabelIn(lang) != "" {
			return ch.LabelIn(lang)
		}
	}
	var labels []string
	for rest := names; ; {
		var name string
		if name, rest = nextField(rest); name == "" {
			break
		}
		label := name
		if list != nil {
			if ch := list.Lookup(name); ch != nil {
				if l := ch.LabelIn(lang); l != "" {
					label = l
				}
			}
		}
		labels = append(labels, label)
	}
	return strings.Join(labels, "、")
}
