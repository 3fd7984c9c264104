package tui

import (
	"fmt"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

// choiceList is a select question's options, filtered as the person types
// with the filter the plain prompts use too (forms.ChoiceFilter).
type choiceList struct {
	all      []*forms.Choice
	labels   []string // cleaned, in the form language
	keys     *forms.ChoiceFilter
	matches  []int // indexes into all, in list order
	cursor   int   // index into matches
	offset   int   // first match shown
	multi    bool
	selected map[string]bool // chosen names (select_multiple; select_one shows its answer)
}

func newChoiceList(choices []*forms.Choice, lang string, multi bool, answer string) *choiceList {
	l := &choiceList{all: choices, multi: multi, selected: map[string]bool{},
		labels: make([]string, len(choices))}
	for i, ch := range choices {
		l.labels[i] = clean(ch.LabelIn(lang))
		if l.labels[i] == "" {
			l.labels[i] = clean(ch.Name)
		}
	}
	l.keys = forms.NewChoiceFilter(choices, l.labels)
	for _, name := range strings.Fields(answer) {
		l.selected[name] = true
	}
	l.filter("")
	// Start on the current answer, so Enter keeps it.
	for i, idx := range l.matches {
		if l.selected[choices[idx].Name] {
			l.cursor = i
			break
		}
	}
	return l
}

// filter keeps the choices text matches (see forms.ChoiceFilter).
func (l *choiceList) filter(text string) {
	l.matches = l.keys.Match(text, l.matches[:0])
	l.cursor, l.offset = 0, 0
}

func (l *choiceList) move(d int) {
	if len(l.matches) == 0 {
		return
	}
	l.cursor = min(max(l.cursor+d, 0), len(l.matches)-1)
}

// current is the choice under the cursor, nil when nothing matches.
func (l *choiceList) current() *forms.Choice {
	if len(l.matches) == 0 {
		return nil
	}
	return l.all[l.matches[l.cursor]]
}

func (l *choiceList) toggle() {
	if ch := l.current(); ch != nil {
		l.selected[ch.Name] = !l.selected[ch.Name]
	}
}

// value is a select_multiple's answer: the chosen names in list order.
func (l *choiceList) value() string {
	var names []string
	for _, ch := range l.all {
		if l.selected[ch.Name] {
			names = append(names, ch.Name)
		}
	}
	return strings.Join(names, " ")
}

// view draws at most rows lines of matches around the cursor.
func (l *choiceList) view(c *common, rows, width int, focused bool) []string {
	th := c.th
	if len(l.matches) == 0 {
		return []string{"  " + th.dim.Render(c.t("no_matches"))}
	}
	rows = max(rows, 1)
	l.offset = scrolled(l.cursor, l.offset, rows)
	var out []string
	for i := l.offset; i < len(l.matches) && i < l.offset+rows; i++ {
		ch := l.all[l.matches[i]]
		mark := th.radioOff
		if l.multi {
			mark = th.empty
		}
		if l.selected[ch.Name] {
			mark = th.radioOn
			if l.multi {
				mark = th.checked
			}
		}
		text := fit(mark+" "+l.labels[l.matches[i]], width-2)
		if focused && i == l.cursor {
			out = append(out, th.pointer+" "+th.focus.Render(text))
		} else {
			out = append(out, "  "+text)
		}
	}
	if len(l.matches) > rows {
		out = append(out, th.dim.Render(fmt.Sprintf("  %d/%d %s", l.cursor+1, len(l.matches), c.t("matches"))))
	}
	return out
}

// scrolled is the first line a list of rows lines shows so that the
// cursor stays in view, moving the window no more than it must.
func scrolled(cursor, offset, rows int) int {
	if cursor < offset {
		return cursor
	}
	if cursor >= offset+rows {
		return cursor - rows + 1
	}
	return offset
}

// choiceLabels shows a select's answer (names separated by spaces) by the
// choices' labels in lang, a name the list lacks as itself.
func choiceLabels(list *forms.ChoiceList, answer, lang string) string {
	var labels []string
	for _, name := range strings.Fields(answer) {
		if ch := list.Lookup(name); ch != nil {
			labels = append(labels, ch.LabelIn(lang))
		} else {
			labels = append(labels, name)
		}
	}
	return strings.Join(labels, ", ")
}
