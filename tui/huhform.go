package tui

import (
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
	t.Blurred.NextIndicator = lipgloss.NewStyle()
	t.Blurred.PrevIndicator = lipgloss.NewStyle()
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
