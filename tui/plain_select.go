package tui

import (
	"cmp"
	"slices"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

// The plain prompts' reading of a select's answer.

// plainLabelOf is the label of the choice called name, or the name when
// the list (filtered by other answers) no longer has it.
func plainLabelOf(all []*forms.Choice, name, lang string) string {
	if i := slices.IndexFunc(all, func(c *forms.Choice) bool { return c.Name == name }); i >= 0 {
		name = cmp.Or(all[i].LabelIn(lang), name)
	}
	return clean(name)
}

// plainResolve reads input as choices: numbers of the shown list or exact
// names, several for select_multiple. ok is false when any part is neither.
func plainResolve(line string, shown, all []*forms.Choice, multi bool) (names []string, ok bool) {
	parts := []string{line}
	if multi {
		parts = strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(" ,;，、；\u3000", r) })
	}
	for _, part := range parts {
		if n, isNum := plainNumber(part); isNum && n >= 1 && n <= len(shown) {
			names = append(names, shown[n-1].Name)
		} else if slices.ContainsFunc(all, func(c *forms.Choice) bool { return c.Name == part }) {
			names = append(names, part)
		} else {
			return nil, false
		}
	}
	return names, len(names) > 0
}

// plainFilter keeps the choices text matches, as the full screen's list
// does (see forms.ChoiceFilter).
func plainFilter(all []*forms.Choice, text, lang string) []*forms.Choice {
	labels := make([]string, len(all))
	for i, ch := range all {
		labels[i] = ch.LabelIn(lang)
	}
	var out []*forms.Choice
	for _, i := range forms.NewChoiceFilter(all, labels).Match(text, nil) {
		out = append(out, all[i])
	}
	return out
}
