package tui

import (
	"reflect"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// huh draws the first-run setup, Settings and the yes/no dialogs. Its
// forms run embedded in the root program, never with their own Run: an
// embedded form does not turn accessible by itself, so the plain path is
// chosen once, in Run, and these forms are only ever drawn full screen.

// huhTheme is huh's look made from the screens' theme: the same colours
// and marks, and no East-Asian ambiguous-width character (huh's own
// themes use ┃, •, → and ←, which CJK consoles draw two cells wide).
func huhTheme(th theme, color bool) *huh.Theme {
	t := huh.ThemeBase()
	bar := "▐"
	if th.name == "ascii" {
		bar = "|"
	}
	focusBorder := lipgloss.Border{Left: bar}
	blurBorder := lipgloss.Border{Left: " "}
	base := lipgloss.NewStyle().PaddingLeft(1).BorderLeft(true)
	button := lipgloss.NewStyle().Padding(0, 1).MarginRight(1).BorderLeft(true).BorderRight(true)

	f := &t.Focused
	f.Base = base.BorderStyle(focusBorder)
	f.Card = f.Base
	f.Title = th.label
	f.NoteTitle = th.label
	f.Description = th.hint
	f.ErrorIndicator = th.err.SetString(" *")
	f.ErrorMessage = th.err.SetString(strings.TrimSpace(th.errMark))
	f.SelectSelector = lipgloss.NewStyle().SetString(th.pointer + " ")
	f.MultiSelectSelector = f.SelectSelector
	f.NextIndicator = lipgloss.NewStyle().MarginLeft(1).SetString(">")
	f.PrevIndicator = lipgloss.NewStyle().MarginRight(1).SetString("<")
	f.Option = lipgloss.NewStyle()
	f.SelectedOption = th.ok
	f.SelectedPrefix = lipgloss.NewStyle().SetString(th.checked + " ")
	f.UnselectedOption = lipgloss.NewStyle()
	f.UnselectedPrefix = lipgloss.NewStyle().SetString(th.empty + " ")
	// The chosen button has brackets as well as reverse video, so it can
	// be told from the other without colour or attributes (a screen
	// reader's review, a captured pane).
	f.FocusedButton = button.BorderStyle(lipgloss.Border{Left: "[", Right: "]"}).Reverse(true)
	f.BlurredButton = button.BorderStyle(lipgloss.Border{Left: " ", Right: " "})
	f.TextInput.Prompt = lipgloss.NewStyle()
	f.TextInput.Text = lipgloss.NewStyle()
	f.TextInput.Placeholder = th.dim
	f.TextInput.Cursor = lipgloss.NewStyle()
	if color {
		f.Base = f.Base.BorderForeground(lipgloss.Color("12"))
		f.Card = f.Base
		f.FocusedButton = f.FocusedButton.Reverse(false).Background(lipgloss.Color("4")).Foreground(lipgloss.Color("15"))
	}

	t.Blurred = t.Focused
	t.Blurred.Base = base.BorderStyle(blurBorder)
	t.Blurred.Card = t.Blurred.Base
	t.Blurred.Title = lipgloss.NewStyle()
	t.Blurred.SelectSelector = lipgloss.NewStyle().SetString("  ")
	t.Blurred.MultiSelectSelector = t.Blurred.SelectSelector
	// A blurred list still shows that it is one.
	t.Blurred.NextIndicator = th.dim.MarginLeft(1).SetString(">")
	t.Blurred.PrevIndicator = th.dim.MarginRight(1).SetString("<")
	t.Blurred.TextInput.Prompt = th.dim

	t.Group.Title = th.title
	t.Group.Description = th.hint
	return t
}

// newHuhForm is a form with the theme, no help line of huh's own (its
// key names are English; each screen shows its keys in the interface
// language) and the size of the area it is drawn in.
func newHuhForm(c *common, w, h int, groups ...*huh.Group) *huh.Form {
	f := huh.NewForm(groups...).WithTheme(huhTheme(c.th, c.color)).WithShowHelp(false)
	f.Init()
	sizeHuhForm(f, w, h)
	return f
}

// sizeHuhForm lays the form out in w×h cells. It goes through the
// form's own window-size handling, which fits each group to its content
// rather than padding it to h.
func sizeHuhForm(f *huh.Form, w, h int) {
	f.Update(tea.WindowSizeMsg{Width: max(w, 10), Height: max(h, 3)})
}

// huhDone reports whether the form was completed (submitted).
func huhDone(f *huh.Form) bool { return f.State == huh.StateCompleted }

// huh moves focus through commands: a key's Update returns NextField,
// whose message comes back later. Keys already queued behind it (a paste,
// a card reader, tmux send-keys) would land in the field being left, and
// a burst "name Enter Enter x" could store "namex". updateHuh runs those
// pure focus commands at once, inside the key's own Update, as the fill
// screen moves its focus; every other command (the cursor's blink timer)
// stays asynchronous.
func updateHuh(f *huh.Form, msg tea.Msg) tea.Cmd {
	_, cmd := f.Update(msg)
	return settleHuh(f, cmd, 0)
}

func settleHuh(f *huh.Form, cmd tea.Cmd, depth int) tea.Cmd {
	if cmd == nil || depth > 20 {
		return cmd
	}
	pc := reflect.ValueOf(cmd).Pointer()
	switch {
	case pc == huhCmds.batch:
		var kept []tea.Cmd
		if batch, ok := cmd().(tea.BatchMsg); ok {
			for _, c := range batch {
				kept = append(kept, settleHuh(f, c, depth+1))
			}
		}
		return tea.Batch(kept...)
	case huhCmds.focus[pc]:
		_, next := f.Update(cmd())
		return settleHuh(f, next, depth+1)
	}
	return cmd
}

// huhCmds are the code addresses of the commands settleHuh may run at
// once: tea.Batch's closure, and huh's field and group moves. The group
// moves are unexported, so they are found once by moving a probe form.
var huhCmds = func() (h struct {
	batch uintptr
	focus map[uintptr]bool
}) {
	nop := func() tea.Msg { return nil }
	h.batch = reflect.ValueOf(tea.Batch(nop, nop)).Pointer()
	h.focus = map[uintptr]bool{reflect.ValueOf(tea.Cmd(huh.NextField)).Pointer(): true,
		reflect.ValueOf(tea.Cmd(huh.PrevField)).Pointer(): true}
	var find func(cmd tea.Cmd)
	find = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		pc := reflect.ValueOf(cmd).Pointer()
		if pc == h.batch {
			if batch, ok := cmd().(tea.BatchMsg); ok {
				for _, c := range batch {
					find(c)
				}
			}
			return
		}
		// The probe's input has no blink (it was never focused), so each
		// of its commands answers at once.
		if t := reflect.TypeOf(cmd()); t != nil && t.PkgPath() == "github.com/charmbracelet/huh" &&
			(t.Name() == "nextGroupMsg" || t.Name() == "prevGroupMsg") {
			h.focus[pc] = true
		}
	}
	probe := func() *huh.Form {
		f := huh.NewForm(huh.NewGroup(huh.NewNote().Title("probe")))
		f.Update(tea.WindowSizeMsg{Width: 20, Height: 5})
		return f
	}
	_, next := probe().Update(huh.NextField())
	find(next)
	_, prev := probe().Update(huh.PrevField())
	find(prev)
	return h
}()
