package tui

import (
	"errors"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// The check before finalizing (Ctrl+F while answering, or Enter after the
// last question): the errors to fix first (Enter jumps to each), then the
// warnings to confirm (Enter confirms the one under the cursor, e goes to
// its question to change the answer), then Enter finalizes.

// summaryCheck is what the check lists: the answers still missing or
// wrong, else the warnings to confirm (warnings true); nothing when the
// record is ready.
func (f fillModel) summaryCheck() (list []forms.Problem, warnings bool) {
	if list = f.s.Missing(); len(list) > 0 {
		return list, false
	}
	return f.s.Unconfirmed(), true
}

// summaryKeys are the check's keys for what it lists now.
func (f fillModel) summaryKeys() summaryKeys {
	list, warnings := f.summaryCheck()
	return f.c.keys().summary.forCheck(len(list), warnings)
}

func (f fillModel) updateSummary(press tea.KeyMsg) (fillModel, tea.Cmd) {
	f.status, f.err = "", nil
	list, warnings := f.summaryCheck()
	k := f.c.keys().summary.forCheck(len(list), warnings)
	switch {
	case key.Matches(press, k.Back):
		f.mode = modeAnswer
	case key.Matches(press, k.Up):
		f.cursor = max(f.cursor-1, 0)
	case key.Matches(press, k.Down):
		f.cursor = min(f.cursor+1, len(list)-1)
	case key.Matches(press, k.GoFix, k.ChangeAnswer):
		f.mode = modeAnswer
		f.jumpTo(list[min(f.cursor, len(list)-1)].Path)
	case key.Matches(press, k.ConfirmWarning):
		p := list[min(f.cursor, len(list)-1)]
		if err := f.s.Confirm(f.c.ctx, p); err != nil {
			f.err = err
			return f, nil
		}
		delete(f.warns, p.Path)
		delete(f.warnedAt, p.Path)
		f.status = f.c.t("warn_confirmed")
		f.cursor = min(f.cursor, max(len(list)-2, 0))
	case key.Matches(press, k.Finalize):
		return f.finalize()
	}
	return f, nil
}

// finalize finishes the record and goes home, or says why it cannot.
func (f fillModel) finalize() (fillModel, tea.Cmd) {
	name := clean(f.s.Inst.Name())
	editing := f.s.Editing
	if err := f.s.Finish(f.c.ctx); err != nil {
		var big *store.TooLargeError
		switch {
		case errors.Is(err, entry.ErrNotReady) || errors.Is(err, entry.ErrUnconfirmed):
			f.status = f.c.t("not_ready")
		case errors.As(err, &big):
			// Nothing was finalized: the answers stay as they are,
			// for the collector to shorten one.
			f.status = f.c.th.err.Render(f.c.tf("too_large", forms.Kilobytes(big.Size), forms.Kilobytes(forms.MaxRecordBytes)))
		default:
			f.err = err
		}
		return f, nil
	}
	msg := f.c.tf("finalized_msg", name)
	if editing {
		msg = f.c.tf("edited_msg", name)
	}
	return f, f.c.navigate(goHomeMsg{status: msg})
}

// summaryView lists what is missing, else the warnings still to confirm,
// else says the record can be finalized.
func (f fillModel) summaryView() []string {
	c, th := f.c, f.c.th
	out := []string{th.title.Render(c.t("summary_title")), ""}
	missing := f.s.Missing()
	unconfirmed := f.s.Unconfirmed()
	if len(missing) == 0 && len(unconfirmed) == 0 {
		return append(out, th.ok.Render(th.okMark+c.t("summary_ok")))
	}
	if len(missing) > 0 {
		out = append(out, c.tf("summary_miss", len(missing)))
		if len(unconfirmed) > 0 {
			out[len(out)-1] += "  " + th.dim.Render(c.tf("summary_warn_after", len(unconfirmed)))
		}
	} else {
		missing = unconfirmed
		out = append(out, th.warn.Render(c.tf("summary_warn", len(unconfirmed))))
	}
	for i, p := range missing {
		if len(out) >= c.height-4 {
			out = append(out, th.dim.Render(fmt.Sprintf("  ... +%d", len(missing)-i)))
			break
		}
		text := fit(f.problemPlace(p)+": "+clean(p.Message), c.width-2)
		if i == f.cursor {
			out = append(out, th.pointer+" "+th.focus.Render(text))
		} else {
			out = append(out, "  "+text)
		}
	}
	return out
}

// problemPlace names a problem's question by its label.
func (f fillModel) problemPlace(p forms.Problem) string {
	for _, st := range f.steps {
		if st.Path == p.Path {
			label := f.label(st)
			if n := instanceNumber(instanceOf(&widget{step: st})); n != "" {
				label = "[" + n + "] " + label
			}
			return label
		}
	}
	return clean(p.Path)
}
