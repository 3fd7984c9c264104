package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms"
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
	cursor   int // in the list of questions or the summary
	status   string
	err      error
}

// fillMode is what the screen shows: the questions being answered
// (fill_answer.go, drawn by fill_view.go), the list of questions
// (fill_questions.go) or the check before finalizing (fill_summary.go).
// Each mode has its own keys (fillModel.keys).
type fillMode int

const (
	modeAnswer    fillMode = iota
	modeQuestions          // the list of questions
	modeSummary            // what is missing before finalize
)

// widget is the input of one step on the current page.
type widget struct {
	step    forms.Step
	input   textinput.Model // the answer, or a select's filter text
	choices *choiceList     // selects only
	rank    *rankList       // rank only
	offer   string          // what Enter on a blank answer stores (see forms.Instance.Offer)
}

func newFill(c *common, s *entry.Session) fillModel {
	f := fillModel{c: c, s: s, lang: c.formLanguage(s.Form), errs: map[string][]string{},
		warns: map[string][]forms.Problem{}, warnedAt: map[string]string{}}
	f.refresh("")
	if s.Resumed || s.Visit != nil {
		// A resumed draft carries on where it stopped, a follow-up after
		// its pick: at the first question still without an answer.
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
		case forms.TypeRank:
			choices, _ := f.s.Inst.Choices(st.Path)
			w.rank = newRankList(choices, f.lang, answer)
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
	case forms.TypeNote, forms.TypeAcknowledge, forms.TypeRank:
		return true
	}
	return w.input.Value() == ""
}

// removeEntryMsg is the yes to the question whether to remove a repeat
// instance ("members[2]") with its answers.
type removeEntryMsg struct{ path string }

// visitLoadedMsg brings the entity a resumed follow-up draft visits.
type visitLoadedMsg struct {
	s     *entry.Session
	visit *entry.Visit
	err   error
}

// visitCmd reads, off the UI goroutine, the entity a resumed follow-up
// draft visits; nil when there is nothing to read.
func (f fillModel) visitCmd() tea.Cmd {
	c := f.c
	decl, id, ok := resumedPick(c.entities, f.s)
	if !ok {
		return nil
	}
	s := f.s
	return func() tea.Msg {
		v, err := resumedVisit(c.ctx, c.entities, decl, id)
		return visitLoadedMsg{s, v, err}
	}
}

func (f fillModel) update(msg tea.Msg) (fillModel, tea.Cmd) {
	if v, ok := msg.(visitLoadedMsg); ok {
		if v.s == f.s && v.visit != nil && f.s.Visit == nil {
			f.s.Visit = v.visit
		}
		if v.s == f.s && v.err != nil {
			f.err = v.err
		}
		return f, nil
	}
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
	case modeQuestions:
		return f.updateQuestions(press)
	case modeSummary:
		return f.updateSummary(press)
	}
	return f.updateAnswer(press)
}

// keys are the keys of the mode showing, as its footer and the help
// screen show them.
func (f fillModel) keys() keyMap {
	switch f.mode {
	case modeQuestions:
		return f.c.keys().questions
	case modeSummary:
		return f.summaryKeys()
	}
	return f.c.keys().fill
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
