package tui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// fillModel is the data-entry screen: our own model on bubbles/textinput
// rather than huh, because focus moves synchronously inside update, so a
// burst of keys (a paste, an ID-card or barcode reader, a fast typist on a
// slow laptop) always lands in the question that was focused when each key
// arrived.
type fillModel struct {
	c       *common
	s       *entry.Session
	lang    string // form language
	steps   []forms.Step
	pages   [][2]int // [start, end) into steps: one question, or a field-list group
	page    int
	focus   int // index into steps, within the current page
	widgets map[string]*widget
	errs    map[string][]string // inline problems by path
	// warns are the warnings shown under an accepted answer, by path,
	// and warnedAt the answer they were shown for: Enter on that same
	// answer confirms them, any other answer is checked afresh.
	warns    map[string][]forms.Problem
	warnedAt map[string]string
	mode     fillMode
	list     int // cursor in the question list or the summary
	status   string
	err      error
}

type fillMode int

const (
	modeAnswer  fillMode = iota
	modeJump             // the list of questions
	modeSummary          // what is missing before finalize
)

// widget is the input of one step on the current page.
type widget struct {
	step    forms.Step
	input   textinput.Model // the answer, or a select's filter text
	choices *choiceList     // selects only
	offer   string          // what Enter on a blank answer stores (see forms.Instance.Offer)
}

func newFill(c *common, s *entry.Session) fillModel {
	f := fillModel{c: c, s: s, lang: c.formLanguage(s.Form), errs: map[string][]string{},
		warns: map[string][]forms.Problem{}, warnedAt: map[string]string{}}
	f.refresh("")
	if s.Resumed {
		// A resumed draft carries on where it stopped: at the first
		// question still without an answer.
		for i, st := range f.steps {
			if st.Kind == forms.StepQuestion && st.Field.Type != forms.TypeNote && s.Inst.Answer(st.Path) == "" {
				f.goTo(i)
				break
			}
		}
	}
	return f
}

// refresh recomputes the steps after anything changed and puts the focus
// on the step at path (or, when it is gone, the first step of the page
// that was showing).
func (f *fillModel) refresh(path string) {
	f.steps = f.s.Inst.Steps()
	f.pages = f.pages[:0]
	for i := 0; i < len(f.steps); {
		j := i + 1
		if p := f.steps[i].Page; p != nil {
			for j < len(f.steps) && f.steps[j].Page == p {
				j++
			}
		}
		f.pages = append(f.pages, [2]int{i, j})
		i = j
	}
	target := -1
	for i, st := range f.steps {
		if st.Path == path {
			target = i
			break
		}
	}
	if target < 0 {
		target = min(f.focus, len(f.steps)-1)
	}
	f.goTo(max(target, 0))
}

// goTo shows the page holding step i with the focus on it.
func (f *fillModel) goTo(i int) {
	f.focus = i
	for p, r := range f.pages {
		if i >= r[0] && i < r[1] {
			f.page = p
		}
	}
	f.buildWidgets()
}

func (f *fillModel) pageRange() (int, int) {
	if len(f.pages) == 0 {
		return 0, 0
	}
	r := f.pages[f.page]
	return r[0], r[1]
}

// buildWidgets makes an input for every step of the current page, filled
// with its stored answer.
func (f *fillModel) buildWidgets() {
	f.widgets = map[string]*widget{}
	start, end := f.pageRange()
	for i := start; i < end; i++ {
		st := f.steps[i]
		w := &widget{step: st, input: textinput.New()}
		w.input.Prompt = ""
		w.input.CharLimit = 2000
		fd := st.Field
		answer := f.s.Inst.Answer(st.Path)
		switch fd.Type {
		case forms.TypeSelectOne, forms.TypeSelectMultiple:
			w.input.Placeholder = f.c.t("filter")
			choices, _ := f.s.Inst.Choices(st.Path)
			w.choices = newChoiceList(choices, f.lang, fd.Type == forms.TypeSelectMultiple, answer)
		default:
			w.input.SetValue(answer)
			w.input.Placeholder = f.placeholder(fd.Type)
			if answer == "" {
				if w.offer = f.s.Inst.Offer(st.Path); w.offer != "" {
					w.input.Placeholder = fmt.Sprintf(f.c.t("offer"), w.offer)
				}
			}
		}
		if i == f.focus {
			w.input.Focus()
		}
		f.widgets[st.Path] = w
	}
}

func (f *fillModel) placeholder(t forms.Type) string {
	switch t {
	case forms.TypeDate:
		return "YYYY-MM-DD"
	case forms.TypeTime:
		return "HH:MM"
	case forms.TypeDateTime:
		return "YYYY-MM-DDTHH:MM"
	}
	return ""
}

func (f *fillModel) current() *widget {
	if f.focus < 0 || f.focus >= len(f.steps) {
		return nil
	}
	return f.widgets[f.steps[f.focus].Path]
}

// helpKeyFree is true when "?" would not be typed into an answer.
func (f fillModel) helpKeyFree() bool {
	if f.mode != modeAnswer {
		return true
	}
	w := f.current()
	if w == nil || w.step.Kind == forms.StepRepeat {
		return true
	}
	switch w.step.Field.Type {
	case forms.TypeNote, forms.TypeAcknowledge:
		return true
	}
	return w.input.Value() == ""
}

// removeEntryMsg is the yes to the question whether to remove a repeat
// instance ("members[2]") with its answers.
type removeEntryMsg struct{ path string }

func (f fillModel) update(msg tea.Msg) (fillModel, tea.Cmd) {
	if rm, ok := msg.(removeEntryMsg); ok {
		f.status, f.err = "", nil
		if err := f.s.RemoveRepeat(f.c.ctx, rm.path); err != nil {
			f.err = err
		} else {
			f.status = f.c.t("removed")
		}
		f.refresh(repeatOf(rm.path))
		return f, nil
	}
	press, ok := msg.(tea.KeyMsg)
	if !ok {
		return f, nil
	}
	switch f.mode {
	case modeJump:
		return f.updateJump(press)
	case modeSummary:
		return f.updateSummary(press)
	}
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
			f.mode, f.list = modeJump, f.focus
		}
		return f, nil
	case key.Matches(press, k.Finish):
		if f.accept(false) {
			f.mode, f.list = modeSummary, 0
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
		if f.accept(false) && f.focus > 0 {
			f.goTo(f.focus - 1)
		}
		return f, nil
	case key.Matches(press, k.Down, k.TabNext):
		if w != nil && w.choices != nil && key.Matches(press, k.ChoiceDown) {
			w.choices.move(1)
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
	if w == nil || w.step.Kind == forms.StepRepeat || w.choices != nil {
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
		return true
	case fd.Type == forms.TypeAcknowledge:
		if !force {
			return true
		}
		value = "OK"
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
	f.mode, f.list = modeSummary, 0
}

func (f fillModel) updateJump(press tea.KeyMsg) (fillModel, tea.Cmd) {
	switch press.Type {
	case tea.KeyEsc:
		f.mode = modeAnswer
	case tea.KeyUp:
		f.list = max(f.list-1, 0)
	case tea.KeyDown:
		f.list = min(f.list+1, len(f.steps)-1)
	case tea.KeyEnter:
		f.mode = modeAnswer
		f.goTo(f.list)
	}
	return f, nil
}

// updateSummary is the check before finalizing: the errors to fix first
// (Enter jumps to each), then the warnings to confirm (Enter confirms the
// one under the cursor, e goes to its question to change the answer),
// then Enter finalizes.
func (f fillModel) updateSummary(press tea.KeyMsg) (fillModel, tea.Cmd) {
	f.status, f.err = "", nil
	list := f.s.Missing()
	warnings := len(list) == 0
	if warnings {
		list = f.s.Unconfirmed()
	}
	switch {
	case press.Type == tea.KeyEsc:
		f.mode = modeAnswer
	case press.Type == tea.KeyUp:
		f.list = max(f.list-1, 0)
	case press.Type == tea.KeyDown:
		f.list = min(f.list+1, max(len(list)-1, 0))
	case press.String() == "e" && warnings && len(list) > 0:
		f.mode = modeAnswer
		f.jumpTo(list[min(f.list, len(list)-1)].Path)
	case press.Type == tea.KeyEnter && warnings && len(list) > 0:
		p := list[min(f.list, len(list)-1)]
		if err := f.s.Confirm(f.c.ctx, p); err != nil {
			f.err = err
			return f, nil
		}
		delete(f.warns, p.Path)
		delete(f.warnedAt, p.Path)
		f.status = f.c.t("warn_confirmed")
		f.list = min(f.list, max(len(list)-2, 0))
	case press.Type == tea.KeyEnter:
		if len(list) > 0 {
			f.mode = modeAnswer
			f.jumpTo(list[min(f.list, len(list)-1)].Path)
			return f, nil
		}
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
	return f, nil
}

// jumpTo focuses the step of a problem's path: the question itself, or
// for a repeat's count the step after its instances.
func (f *fillModel) jumpTo(path string) {
	for i, st := range f.steps {
		if st.Path == path {
			f.goTo(i)
			return
		}
	}
	f.goTo(0)
}

// instanceOf is the repeat instance ("members[2]") a widget's question is
// in, "" outside repeats.
func instanceOf(w *widget) string {
	if w == nil || w.step.Kind != forms.StepQuestion {
		return ""
	}
	if i := strings.LastIndex(w.step.Path, "]/"); i >= 0 {
		return w.step.Path[:i+1]
	}
	return ""
}

// lastRepeatName is the name of the innermost repeat of an instance path
// ("a[1]/members[2]" -> "members").
func lastRepeatName(instance string) string {
	r := repeatOf(instance)
	if i := strings.LastIndexByte(r, '/'); i >= 0 {
		r = r[i+1:]
	}
	return r
}

// repeatOf is the repeat path of an instance path ("members[2]" -> "members").
func repeatOf(instance string) string {
	if i := strings.LastIndexByte(instance, '['); i >= 0 {
		return instance[:i]
	}
	return instance
}

// firstPathIn is the first step path starting with prefix.
func firstPathIn(steps []forms.Step, prefix string) string {
	for _, st := range steps {
		if strings.HasPrefix(st.Path, prefix) {
			return st.Path
		}
	}
	return ""
}
