package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms"
)

// The list of questions (Ctrl+G while answering): every step of the
// record with its answer, to jump to any of them.

func (f fillModel) updateQuestions(press tea.KeyMsg) (fillModel, tea.Cmd) {
	k := f.c.keys().questions
	switch {
	case key.Matches(press, k.Close):
		f.mode = modeAnswer
	case key.Matches(press, k.Up):
		f.cursor = max(f.cursor-1, 0)
	case key.Matches(press, k.Down):
		f.cursor = min(f.cursor+1, len(f.steps)-1)
	case key.Matches(press, k.Jump):
		f.mode = modeAnswer
		f.goTo(f.cursor)
	}
	return f, nil
}

// questionsView lists every step with its answer, the cursor's row marked.
func (f fillModel) questionsView() []string {
	c, th := f.c, f.c.th
	out := []string{th.title.Render(c.t("jump_title")), ""}
	rows := c.height - 6
	first := max(0, min(f.cursor-rows/2, len(f.steps)-rows))
	for i := first; i < len(f.steps) && i < first+rows; i++ {
		st := f.steps[i]
		text := f.label(st)
		if st.Kind == forms.StepRepeat {
			text += ": " + c.tf("repeat_count", st.Count)
		} else if a := f.displayAnswer(st); a != "" {
			text += ": " + a
		}
		if crumbs := instanceNumber(instanceOf(&widget{step: st})); crumbs != "" {
			text = "[" + crumbs + "] " + text
		}
		if i == f.cursor {
			out = append(out, th.pointer+" "+th.focus.Render(fit(text, c.width-2)))
		} else {
			out = append(out, "  "+fit(text, c.width-2))
		}
	}
	return out
}
