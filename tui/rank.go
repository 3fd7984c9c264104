package tui

import (
	"fmt"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

// rankList is a rank question's choices in the order the person gives
// them. Up and Down move the cursor; Space picks up the choice under it,
// which then moves with Up and Down, and Space again puts it down, as a
// list is reordered with a keyboard alone (no mouse to drag with). Enter
// stores the whole order: ODK's rank always ranks every choice.
type rankList struct {
	items  []*forms.Choice
	labels []string
	cursor int
	held   bool // the choice under the cursor moves with it
	offset int  // first item shown
}

// newRankList starts from the stored order, the choices it lacks after
// it in list order (all of them in list order for a new answer).
func newRankList(choices []*forms.Choice, lang, answer string) *rankList {
	r := &rankList{}
	placed := map[*forms.Choice]bool{}
	for _, name := range strings.Fields(answer) {
		for _, ch := range choices {
			if ch.Name == name && !placed[ch] {
				r.items, placed[ch] = append(r.items, ch), true
				break
			}
		}
	}
	for _, ch := range choices {
		if !placed[ch] {
			r.items = append(r.items, ch)
		}
	}
	for _, ch := range r.items {
		r.labels = append(r.labels, cmpLabel(ch, lang))
	}
	return r
}

// cmpLabel is a choice's label as a list shows it: cleaned, its name when
// it has no label.
func cmpLabel(ch *forms.Choice, lang string) string {
	if l := clean(ch.LabelIn(lang)); l != "" {
		return l
	}
	return clean(ch.Name)
}

// move moves the cursor by d, carrying the held choice with it.
func (r *rankList) move(d int) {
	to := min(max(r.cursor+d, 0), len(r.items)-1)
	if to < 0 || to == r.cursor {
		return
	}
	if r.held {
		r.items[r.cursor], r.items[to] = r.items[to], r.items[r.cursor]
		r.labels[r.cursor], r.labels[to] = r.labels[to], r.labels[r.cursor]
	}
	r.cursor = to
}

// hold picks up the choice under the cursor, or puts it down.
func (r *rankList) hold() { r.held = !r.held && len(r.items) > 0 }

// value is the answer: every choice's name, first ranked first.
func (r *rankList) value() string {
	names := make([]string, len(r.items))
	for i, ch := range r.items {
		names[i] = ch.Name
	}
	return strings.Join(names, " ")
}

// view draws at most rows lines of the order around the cursor.
func (r *rankList) view(c *common, rows, width int, focused bool) []string {
	th := c.th
	if len(r.items) == 0 {
		return []string{"  " + th.dim.Render(c.t("rank_none"))}
	}
	rows = max(rows, 1)
	r.offset = scrolled(r.cursor, r.offset, rows)
	var out []string
	for i := r.offset; i < len(r.items) && i < r.offset+rows; i++ {
		text := fmt.Sprintf("%2d. %s", i+1, r.labels[i])
		if focused && i == r.cursor && r.held {
			text += "  " + c.t("rank_moving")
		}
		text = fit(text, width-2)
		if focused && i == r.cursor {
			out = append(out, th.pointer+" "+th.focus.Render(text))
		} else {
			out = append(out, "  "+text)
		}
	}
	if len(r.items) > rows {
		out = append(out, th.dim.Render(fmt.Sprintf("  %d/%d", r.cursor+1, len(r.items))))
	}
	return out
}
