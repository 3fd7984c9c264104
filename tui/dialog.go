package tui

import (
	"reflect"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
)

// askMsg asks the root to put a yes/no question over the screen showing.
// The answer goes back to that screen as onYes or onNo, so the screen
// (the fill screen among them) keeps its own model and only learns the
// outcome.
type askMsg struct {
	question string
	yes, no  string  // the buttons
	onYes    tea.Msg // delivered to the screen on yes
	onNo     tea.Msg // on no or Esc; nil for nothing
	yesFirst bool    // the focus starts on yes; destructive questions start on no
}

// ask puts a question up within the current Update, so that a key typed
// right after the one that asked answers it.
func (c *common) ask(q askMsg) tea.Cmd { return c.navigate(q) }

// confirmDialog is a huh confirm embedded in the root model.
type confirmDialog struct {
	c     *common
	ask   askMsg
	value bool
	form  *huh.Form
}

func newConfirmDialog(c *common, q askMsg) *confirmDialog {
	d := &confirmDialog{c: c, ask: q, value: q.yesFirst}
	d.form = newHuhForm(c, c.width-2, c.height, huh.NewGroup(huh.NewConfirm().WithButtonAlignment(lipgloss.Left).Title(q.question).
		Affirmative(q.yes).Negative(q.no).Value(&d.value)))
	return d
}

// answerDialog gives the dialog a key or one of huh's own messages, and
// once it is answered closes it and hands the answer to the screen.
func (m model) answerDialog(msg tea.Msg) (tea.Model, tea.Cmd) {
	d := m.dialog
	if press, ok := msg.(tea.KeyMsg); ok && key.Matches(press, m.c.keys().confirm.Cancel) {
		d.value = false
	} else {
		if size, ok := msg.(tea.WindowSizeMsg); ok {
			sizeHuhForm(d.form, size.Width-2, size.Height)
			return m, nil
		}
		cmd := updateHuh(d.form, msg)
		if !huhDone(d.form) {
			return m, cmd
		}
	}
	m.dialog = nil
	answer := d.ask.onNo
	if d.value {
		answer = d.ask.onYes
	}
	if answer == nil {
		return m, nil
	}
	return m.Update(answer)
}

// isHuhMsg tells huh's internal messages (focus moves, submits) from the
// screens' own: while a dialog is up they are the dialog's.
func isHuhMsg(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	if t == nil {
		return false
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() == "github.com/charmbracelet/huh"
}

// over draws the dialog across the bottom of screen, which stays visible
// above it so the question is read beside what it is about.
func (d *confirmDialog) over(screen string) string {
	c, th := d.c, d.c.th
	lines := strings.Split(screen, "\n")
	box := []string{th.ruleLine(c.width), ""}
	for _, l := range strings.Split(strings.TrimRight(d.form.View(), "\n"), "\n") {
		box = append(box, fit(" "+l, c.width))
	}
	box = append(box, "", th.key.Render(fit(keyLine(c.keys().confirm.ShortHelp()), c.width)))
	if len(box) >= len(lines) {
		return strings.Join(box, "\n")
	}
	return strings.Join(append(lines[:len(lines)-len(box)], box...), "\n")
}
