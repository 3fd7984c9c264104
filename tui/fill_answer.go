package tui

import (
	"fmt"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms"
)

// updateAnswer is a key while answering: it moves between questions and
// pages, opens the list of questions or the check before finalizing, and
// otherwise goes to the focused question's input.
func (f fillModel) updateAnswer(press tea.KeyMsg) (fillModel, tea.Cmd) {
	f.status, f.err = "", nil
	w := f.current()
	k := f.c.keys().fill
	switch {
	case key.Matches(press, k.Back):
		if f.restoreAccepted() {
			return f, nil
		}
		if f.accept(false) {
			status := f.c.t("saved_draft")
			switch {
			case f.s.Editing && f.s.EditKept:
				status = f.c.t("edit_kept")
			case f.s.Editing || f.s.RecordID == "":
				status = "" // nothing was answered, so nothing was kept
			}
			return f, f.c.navigate(goHomeMsg{status: status})
		}
		return f, nil
	case key.Matches(press, k.List):
		if f.accept(false) {
			f.mode, f.cursor = modeQuestions, f.focus
		}
		return f, nil
	case key.Matches(press, k.Finish):
		if f.accept(false) {
			f.mode, f.cursor = modeSummary, 0
		}
		return f, nil
	case key.Matches(press, k.PageDown):
		if f.accept(false) {
			_, end := f.pageRange()
			f.next(end - 1)
		}
		return f, nil
	case key.Matches(press, k.PageUp):
		if f.accept(false) && f.page > 0 {
			f.goTo(f.pages[f.page-1][0])
		}
		return f, nil
	case key.Matches(press, k.Up, k.TabPrev):
		if w != nil && w.choices != nil && key.Matches(press, k.ChoiceUp) {
			w.choices.move(-1)
			return f, nil
		}
		if w != nil && w.rank != nil && key.Matches(press, k.ChoiceUp) {
			w.rank.move(-1)
			return f, nil
		}
		if f.accept(false) && f.focus > 0 {
			f.goTo(f.focus - 1)
		}
		return f, nil
	case key.Matches(press, k.Down, k.TabNext):
		if w != nil && w.choices != nil && key.Matches(press, k.ChoiceDown) {
			w.choices.move(1)
			return f, nil
		}
		if w != nil && w.rank != nil && key.Matches(press, k.ChoiceDown) {
			w.rank.move(1)
			return f, nil
		}
		if f.accept(true) {
			f.next(f.focus)
		}
		return f, nil
	case key.Matches(press, k.Accept):
		if f.accept(true) {
			f.next(f.focus)
		}
		return f, nil
	case key.Matches(press, k.Remove):
		if inst := instanceOf(w); inst != "" {
			if rep := f.s.Form.Field(lastRepeatName(inst)); rep != nil && rep.RepeatCount != nil {
				// The count question decides: removing here would be
				// undone by the next answer.
				f.status = f.c.t("repeat_fixed_rm")
				return f, nil
			}
			// The root asks; the fill screen only hears the yes.
			return f, f.c.ask(askMsg{question: f.c.tf("remove_ask", instanceNumber(inst)),
				yes: f.c.t("remove_yes"), no: f.c.t("keep"), onYes: removeEntryMsg{inst}})
		}
		return f, nil
	}
	if w == nil {
		return f, nil
	}
	if w.step.Kind == forms.StepRepeat {
		if key.Matches(press, k.AddEntry) && !w.step.Fixed {
			n, err := f.s.AddRepeat(f.c.ctx, w.step.Path)
			if err != nil {
				f.err = err
				return f, nil
			}
			f.refresh(firstPathIn(f.s.Inst.Steps(), w.step.Path+"["+strconv.Itoa(n)+"]/"))
		}
		return f, nil
	}
	if w.rank != nil {
		if key.Matches(press, k.RankHold) {
			w.rank.hold()
		}
		return f, nil
	}
	if w.choices != nil {
		if w.choices.multi && key.Matches(press, k.Toggle) {
			w.choices.toggle()
			return f, nil
		}
		before := w.input.Value()
		var cmd tea.Cmd
		w.input, cmd = w.input.Update(press)
		if w.input.Value() != before {
			w.choices.filter(w.input.Value())
		}
		return f, cmd
	}
	switch w.step.Field.Type {
	case forms.TypeNote, forms.TypeAcknowledge:
		return f, nil
	}
	var cmd tea.Cmd
	w.input, cmd = w.input.Update(press)
	return f, cmd
}

// restoreAccepted undoes, on Esc, typing that would lose an accepted
// answer: text that is refused, or an input emptied (Ctrl+U) over an
// answer. Esc means "back", never "erase", and it must not leave the
// person stuck under an error either, so the accepted answer comes back
// into the input, the screen says so, and the next Esc leaves. It
// reports whether it did that.
func (f *fillModel) restoreAccepted() bool {
	w := f.current()
	if w == nil || w.step.Kind == forms.StepRepeat || w.choices != nil || w.rank != nil {
		return false
	}
	switch w.step.Field.Type {
	case forms.TypeNote, forms.TypeAcknowledge:
		return false
	}
	path := w.step.Path
	stored, typed := f.s.Inst.Answer(path), w.input.Value()
	if stored == "" || typed == stored {
		return false
	}
	if typed != "" && f.accept(false) {
		return false
	}
	delete(f.errs, path)
	f.status, f.err = "", nil
	w.input.SetValue(stored)
	w.input.CursorEnd()
	f.status = f.c.tf("restored", clean(stored))
	return true
}

// accept offers the focused answer to the session when it differs from
// what is stored (or always, with force). It reports whether the person
// may move on: false leaves the problems under the question.
func (f *fillModel) accept(force bool) bool {
	w := f.current()
	if w == nil || w.step.Kind == forms.StepRepeat {
		return true
	}
	path, fd := w.step.Path, w.step.Field
	stored := f.s.Inst.Answer(path)
	var value string
	switch {
	case fd.Type == forms.TypeNote:
		return f.passNote(path, force)
	case fd.Type == forms.TypeAcknowledge:
		if !force {
			return true
		}
		value = "OK"
	case w.rank != nil:
		if !force {
			return true // moving through a rank does not rank
		}
		value = w.rank.value()
	case w.choices != nil && w.choices.multi:
		value = w.choices.value()
	case w.choices != nil:
		if !force {
			return true // moving through a select does not choose
		}
		if ch := w.choices.current(); ch != nil {
			value = ch.Name
		} else if w.input.Value() == "" {
			value = stored
		} else {
			f.errs[path] = []string{f.c.t("no_matches")}
			return false
		}
	default:
		value = w.input.Value()
		if value == "" && stored == "" && force {
			value = w.offer
		}
	}
	if value == stored && !force {
		return true
	}
	problems, pending, err := f.s.AnswerWarned(f.c.ctx, path, value)
	if err != nil {
		f.err = err
		return false
	}
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = clean(p.Message)
		}
		f.errs[path] = msgs
		return false
	}
	delete(f.errs, path)
	f.status = f.c.t("saved_draft")
	if f.s.Editing {
		f.status = f.c.t("edit_answer_kept")
	}
	if cleared := clearedText(f.s, f.lang, f.c.t("cleared")); cleared != "" {
		f.status = cleared
		for _, c := range f.s.Cleared { // what was said about the old answer is moot
			delete(f.errs, c.Path)
			delete(f.warns, c.Path)
			delete(f.warnedAt, c.Path)
		}
	}
	if now := f.s.Inst.Answer(path); now != value && fd.Type == forms.TypeDate {
		// The collector typed 1978.3.12: say what the record holds.
		f.status = fmt.Sprintf(f.c.t("stored_as"), now)
	}
	if ok, done := f.checkWarnings(path, pending, force); done {
		return ok
	}
	f.refresh(path)
	return true
}

// passNote says whether the person may go on past a note. A required note
// that shows cannot be answered: it stops the record (ODK's stop-check),
// so Enter stays on it with the reason under it, as ODK will not swipe
// past it; keys that only move may leave, to change the answers that
// make it show.
func (f *fillModel) passNote(path string, force bool) bool {
	errs, _ := f.s.Inst.ProblemsAt(path, f.s.Lang)
	if len(errs) == 0 {
		delete(f.errs, path)
		return true
	}
	msgs := make([]string, len(errs))
	for i, p := range errs {
		msgs[i] = clean(p.Message)
	}
	f.errs[path] = msgs
	return !force
}

// checkWarnings deals with the warnings an accepted answer trips. The
// first Enter shows them under the question and stays there; Enter again
// on the same answer confirms them (into the record and the audit trail)
// and moves on. Keys that only move (Up, PgUp, Esc...) move on and leave
// them unconfirmed, for the check before finalizing to list. done false
// means there was nothing to confirm.
func (f *fillModel) checkWarnings(path string, pending []forms.Problem, force bool) (ok, done bool) {
	answer := f.s.Inst.Answer(path)
	if len(pending) == 0 {
		delete(f.warns, path)
		delete(f.warnedAt, path)
		return false, false
	}
	if force {
		if at, shown := f.warnedAt[path]; shown && at == answer {
			for _, p := range pending {
				if err := f.s.Confirm(f.c.ctx, p); err != nil {
					f.err = err
					return false, true
				}
			}
			delete(f.warns, path)
			delete(f.warnedAt, path)
			f.status = f.c.t("warn_confirmed")
			f.refresh(path)
			return true, true
		}
	}
	f.warns[path], f.warnedAt[path] = pending, answer
	f.refresh(path)
	return !force, true
}

// next moves past step i: the next step on the page, the next page, or,
// after the last step, the summary.
func (f *fillModel) next(i int) {
	if i+1 < len(f.steps) {
		f.goTo(i + 1)
		return
	}
	f.mode, f.cursor = modeSummary, 0
}
