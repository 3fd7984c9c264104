package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fieldbench/fieldbench/forms/samples"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// threeWarningsMD has three soft checks and nothing required, so the
// check before finalizing can list three warnings, or nothing at all.
const threeWarningsMD = `| survey |
| | type | name | label | warning | warning_message |
| | integer | a | A | . <= 10 | Over ten: check |
| | integer | b | B | . <= 10 | Over ten: check |
| | integer | c | C | . <= 10 | Over ten: check |
| settings |
| | form_id | version | form_title |
| | three | 1 | Three checks |
`

// keyMsg is the key press that key.Matches sees as name ("enter",
// "ctrl+g", "e", "alt+b").
func keyMsg(t *testing.T, name string) tea.KeyMsg {
	t.Helper()
	base, alt := strings.CutPrefix(name, "alt+")
	press := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(base), Alt: alt}
	for kt := tea.KeyType(-200); kt < 200; kt++ {
		if kt != tea.KeyRunes && (tea.KeyMsg{Type: kt}).String() == base {
			press = tea.KeyMsg{Type: kt, Alt: alt}
			break
		}
	}
	if press.String() != name {
		t.Fatalf("no key press is called %q", name)
	}
	return press
}

// candidateKeys are every key any screen binds, and the letters, digits
// and space: the keys a mode could be handling.
func candidateKeys(t *testing.T) []string {
	seen := map[string]bool{" ": true}
	for _, r := range "abcdefghijklmnopqrstuvwxyz0123456789" {
		seen[string(r)] = true
	}
	for _, km := range allKeys("en") {
		for _, b := range bindings(t, km) {
			for _, k := range b.Keys() {
				seen[k] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	return out
}

// fillState is all a key can change on the fill screen: what it shows,
// where its cursors are, and whether it asked for something (a command,
// another screen). It takes the request for another screen, so that the
// next key starts without one.
func fillState(f fillModel, cmd tea.Cmd) string {
	pending := f.c.pending
	f.c.pending = nil
	return fmt.Sprintf("mode %d cursor %d focus %d cmd %t pending %#v\n%s", f.mode, f.cursor, f.focus, cmd != nil, pending, f.view())
}

// In the list of questions and in the check before finalizing (with
// answers to fix, with warnings to confirm, and ready), the footer is
// drawn from the mode's keys, every key it names does something, and
// every other key does nothing.
func TestFillListAndSummaryHandleWhatTheirFooterSays(t *testing.T) {
	ctx := context.Background()
	m, db := testApp(t, "en")
	if _, err := db.AddForm(ctx, "three.md", []byte(threeWarningsMD)); err != nil {
		t.Fatal(err)
	}
	// open starts a record, answers it, and types script; the cursor of
	// a list goes on its second row, so that Up and Down both move it.
	open := func(form, version string, answers map[string]string, script ...string) func() fillModel {
		return func() fillModel {
			s, err := entry.New(ctx, db, form, version, "en", fixedClock)
			if err != nil {
				t.Fatal(err)
			}
			for path, v := range answers {
				if problems, err := s.Answer(ctx, path, v); err != nil || len(problems) > 0 {
					t.Fatalf("answer %s=%s: %v %v", path, v, problems, err)
				}
			}
			f := send(t, m, append([]tea.Msg{openFillMsg{s: s}}, keys(script...)...)...).fill
			f.cursor, f.status = 1, ""
			return f
		}
	}
	warned := map[string]string{"a": "11", "b": "12", "c": "13"}
	cases := []struct {
		name, shows string
		open        func() fillModel
	}{
		{"the list of questions", "Questions", open("household_visit", samples.HouseholdVisitVersion, nil, "ctrl+g")},
		{"the check with answers to fix", "things to fix", open("household_visit", samples.HouseholdVisitVersion, nil, "ctrl+f")},
		{"the check with warnings", "Confirm 3 warnings", open("three", "1", warned, "ctrl+f")},
		{"the check when ready", "Everything is answered", open("three", "1", map[string]string{"a": "1"}, "ctrl+f")},
	}
	candidates := candidateKeys(t)
	for _, tc := range cases {
		f := tc.open()
		screen := ansi.Strip(f.view())
		if !strings.Contains(screen, tc.shows) {
			t.Fatalf("%s: not on screen:\n%s", tc.name, screen)
		}
		var footer []key.Binding
		for _, b := range f.keys().ShortHelp() {
			if b.Enabled() {
				footer = append(footer, b)
			}
		}
		if len(footer) == 0 {
			t.Fatalf("%s: no keys", tc.name)
		}
		lines := strings.Split(screen, "\n")
		if got, want := strings.TrimSpace(lines[len(lines)-1]), keyLine(footer); got != want {
			t.Errorf("%s: the footer says %q, its keys %q", tc.name, got, want)
		}
		for _, name := range candidates {
			press := keyMsg(t, name)
			before := fillState(f, nil)
			after, cmd := f.update(press)
			handled := fillState(after, cmd) != before
			switch named := key.Matches(press, footer...); {
			case named && !handled:
				t.Errorf("%s: the footer names %q, which does nothing", tc.name, name)
			case handled && !named:
				t.Errorf("%s: %q does something the footer does not name", tc.name, name)
			}
			if handled {
				f = tc.open()
			}
		}
	}
}
