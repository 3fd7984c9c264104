package tui

import (
	"strings"

	"github.com/fieldbench/fieldbench/forms"
)

func (f fillModel) view() string {
	c, th := f.c, f.c.th
	w := c.width
	name := clean(f.s.Inst.Name())
	if strings.TrimSpace(name) == "" {
		name = c.t("unnamed")
	}
	if f.s.Editing {
		// A correction of a finalized record, not a new one.
		name = c.tf("edit_of", name)
	}
	progress := c.tf("page", f.page+1, max(len(f.pages), 1))
	title := " " + clean(f.s.Form.Title) + "  " + name
	head := th.bar.Render(spread(title, progress+" ", w))
	var body []string
	switch f.mode {
	case modeQuestions:
		body = f.questionsView()
	case modeSummary:
		body = f.summaryView()
	default:
		body = f.pageView()
	}
	return screenFrame(c, head+"\n"+strings.Join(body, "\n"), f.status, f.err, keyLine(f.keys().ShortHelp()))
}

// pageView draws the questions of the current page: the focused one whole
// (label, hint, input, choices, problems), the others one line each.
func (f fillModel) pageView() []string {
	c, th := f.c, f.c.th
	start, end := f.pageRange()
	if start == end {
		return []string{"", c.t("summary_ok")}
	}
	var out []string
	// A returned record is corrected against the reviewer's comment: it
	// stays in view, whole, above every page.
	for _, line := range wrap(f.s.ReturnNote, c.width-2) {
		out = append(out, " "+th.err.Render(line))
	}
	if crumbs := f.crumbs(f.steps[start]); crumbs != "" {
		out = append(out, th.crumbs.Render(fit(crumbs, c.width)))
	}
	out = append(out, "")
	// Room for the focused question's choices: the window minus the
	// frame, the other questions and the focused one's own lines.
	room := c.height - 4 - len(out) - (end - start) - 4
	for i := start; i < end; i++ {
		wd := f.widgets[f.steps[i].Path]
		if wd == nil {
			continue
		}
		if i == f.focus {
			out = append(out, f.questionView(wd, room)...)
		} else {
			out = append(out, f.summaryLine(wd))
		}
	}
	return out
}

// crumbs names where a step sits: its groups and repeat instances.
func (f fillModel) crumbs(st forms.Step) string {
	var parts []string
	path := st.Path
	for p := st.Field.Parent; p != nil && p != f.s.Form.Root; p = p.Parent {
		label := clean(f.s.Inst.Text(path, p.Label, f.lang))
		if label == "" {
			label = p.Name
		}
		if p.Type == forms.TypeRepeat {
			if n := instanceNumber(instanceAt(path, p.Key)); n != "" {
				label += " " + n
			}
		}
		parts = append([]string{label}, parts...)
	}
	if st.Kind == forms.StepRepeat {
		parts = append(parts, f.label(st))
	}
	return strings.Join(parts, f.c.th.crumb)
}

func (f fillModel) label(st forms.Step) string {
	l := clean(f.s.Inst.Text(st.Path, st.Field.Label, f.lang))
	if l == "" {
		l = st.Field.Name
	}
	return l
}

// summaryLine is an unfocused question: its label and its answer.
func (f fillModel) summaryLine(wd *widget) string {
	c, th := f.c, f.c.th
	st := wd.step
	if st.Kind == forms.StepRepeat {
		return "  " + th.dim.Render(fit(f.label(st)+": "+c.tf("repeat_count", st.Count), c.width-2))
	}
	ans := f.displayAnswer(wd.step)
	line := "  " + fit(f.label(st), c.width/2-2) + "  " + fit(ans, c.width-c.width/2-2)
	if ws := f.warns[st.Path]; len(ws) > 0 {
		line = th.warn.Render(th.warnMark) + fit(f.label(st), c.width/2-2) + "  " + th.warn.Render(fit(clean(ws[0].Message), c.width-c.width/2-2))
	}
	if len(f.errs[st.Path]) > 0 {
		line = th.err.Render(th.errMark) + fit(f.label(st), c.width/2-2) + "  " + th.err.Render(fit(f.errs[st.Path][0], c.width-c.width/2-2))
	}
	return line
}

// displayAnswer is the answer at a step as a person reads it: choice
// labels for selects, "acknowledged" for an acknowledge.
func (f fillModel) displayAnswer(st forms.Step) string {
	ans := f.s.Inst.Answer(st.Path)
	if ans == "" || st.Kind != forms.StepQuestion {
		return ""
	}
	fd := st.Field
	if list := f.s.Form.Lists[fd.ListName]; list != nil {
		return clean(choiceLabels(list, ans, f.lang))
	}
	if fd.Type == forms.TypeAcknowledge {
		return f.c.t("ack_done")
	}
	return clean(ans)
}

// questionView is the focused question in full.
func (f fillModel) questionView(wd *widget, room int) []string {
	c, th := f.c, f.c.th
	st, fd := wd.step, wd.step.Field
	w := c.width
	var out []string
	if st.Kind == forms.StepRepeat {
		out = append(out, th.pointer+" "+th.label.Render(fit(f.label(st), w-2)))
		out = append(out, "  "+c.tf("repeat_count", st.Count))
		keys := keyLine(c.keys().fill.repeat())
		if st.Fixed {
			keys = c.t("repeat_fixed")
		}
		return append(out, "  "+th.hint.Render(fit(keys, w-2)))
	}
	label := f.label(st)
	// A required note is no question to answer: it blocks the record
	// while it shows (see passNote), which its keys say instead.
	value, _, _ := f.s.Inst.Value(st.Path)
	blocks := f.s.Inst.RequiredNow(st.Path) && fd.Type == forms.TypeNote && value == ""
	if f.s.Inst.RequiredNow(st.Path) && !blocks {
		label += c.t("required_mark")
	}
	out = append(out, th.pointer+" "+th.label.Render(fit(label, w-2)))
	if hint := clean(f.s.Inst.Text(st.Path, fd.Hint, f.lang)); hint != "" {
		out = append(out, "  "+th.hint.Render(fit(hint, w-2)))
	}
	if h := f.typeHint(fd.Type); h != "" {
		out = append(out, "  "+th.hint.Render(fit(h, w-2)))
	}
	if prev, ok := previousText(c.lang, f.s, fd, f.lang); ok {
		out = append(out, "  "+th.label.Render(fit(prev, w-2)))
	}
	switch {
	case blocks:
		out = append(out, "  "+th.hint.Render(fit(c.t("note_blocks"), w-2)))
	case fd.Type == forms.TypeNote:
		out = append(out, "  "+th.hint.Render(c.t("note_keys")))
	case fd.Type == forms.TypeAcknowledge:
		state := c.t("ack_keys")
		if f.s.Inst.Answer(st.Path) != "" {
			state = th.ok.Render(th.okMark+c.t("ack_done")) + "  " + th.hint.Render(c.t("note_keys"))
		}
		out = append(out, "  "+state)
	case wd.rank != nil:
		out = append(out, wd.rank.view(c, max(room-len(out)-1, 3), w, true)...)
		out = append(out, "  "+th.hint.Render(fit(keyLine(c.keys().fill.rank()), w-2)))
	case wd.choices != nil:
		out = append(out, "  "+wd.input.View())
		out = append(out, wd.choices.view(c, max(room-len(out), 3), w, true)...)
		keys := keyLine(c.keys().fill.single())
		if wd.choices.multi {
			keys = keyLine(c.keys().fill.multi())
		}
		out = append(out, "  "+th.hint.Render(fit(keys, w-2)))
	default:
		out = append(out, "  "+wd.input.View())
	}
	for _, msg := range f.errs[st.Path] {
		out = append(out, th.err.Render(fit(th.errMark+msg, w)))
	}
	if ws := f.warns[st.Path]; len(ws) > 0 && len(f.errs[st.Path]) == 0 {
		for _, p := range ws {
			out = append(out, th.warn.Render(fit(th.warnMark+c.t("warn_prefix")+clean(p.Message), w)))
		}
		out = append(out, "  "+th.hint.Render(fit(c.t("warn_keys"), w-2)))
	}
	return out
}

func (f fillModel) typeHint(t forms.Type) string {
	switch t {
	case forms.TypeDate:
		return f.c.t("date_format")
	case forms.TypeTime:
		return f.c.t("time_format")
	case forms.TypeDateTime:
		return f.c.t("datetime_fmt")
	case forms.TypeInteger:
		return f.c.t("integer_hint")
	case forms.TypeDecimal:
		return f.c.t("decimal_hint")
	}
	return ""
}
