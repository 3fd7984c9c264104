package tui

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"

	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/store/seal"
)

// The passphrase that protects the laptop's personal data (store/keys.go).
// The workbench asks for it at start when the database opened locked
// (no FIELDBENCH_PASSPHRASE), offers to set one at the first run, and
// sets, changes or removes it in Settings, through the store functions
// `fieldbench passphrase` uses, so the rules are the store's.

// needsPassphrase reports whether the database opened locked for want of
// its passphrase: the unlock screen comes before anything else then.
func needsPassphrase(db *store.DB) bool {
	return errors.Is(db.Locked(), seal.ErrPassphraseNeeded)
}

// unlockModel asks for the passphrase, masked, as long as it takes; the
// help for a lost one stays on the screen.
type unlockModel struct {
	c       *common
	form    *huh.Form
	v       *passAnswers
	working bool // the key is being derived (argon2id: about half a second)
	status  string
}

// unlockDoneMsg ends a try: err is nil when the key opened.
type unlockDoneMsg struct{ err error }

func newUnlock(c *common) unlockModel {
	u := unlockModel{c: c, v: &passAnswers{}}
	u.build()
	return u
}

func (u *unlockModel) build() {
	c := u.c
	u.v.pass = ""
	u.form = newHuhForm(c, c.width-2, 4, huh.NewGroup(passInput(c, "unlock_label", &u.v.pass).
		Validate(func(s string) error { return requiredPass(c, s) })))
}

func (u unlockModel) update(msg tea.Msg) (unlockModel, tea.Cmd) {
	c := u.c
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		sizeHuhForm(u.form, c.width-2, 4)
		return u, nil
	case unlockDoneMsg:
		u.working = false
		if msg.err != nil {
			u.status = c.th.err.Render(c.th.errMark + c.t("unlock_wrong"))
			if !errors.Is(msg.err, seal.ErrWrongPassphrase) {
				u.status = c.th.err.Render(c.th.errMark + c.t("error") + ": " + clean(msg.err.Error()))
			}
			u.build()
			return u, nil
		}
		return u, c.navigate(unlockedMsg{})
	case tea.KeyMsg:
		if u.working {
			return u, nil
		}
		u.status = ""
		if key.Matches(msg, c.keys().unlock.Esc) {
			u.status = c.t("unlock_esc")
			return u, nil
		}
	}
	if u.working {
		return u, nil
	}
	cmd := updateHuh(u.form, msg)
	if !huhDone(u.form) {
		return u, cmd
	}
	u.working = true
	db, ctx, pass := c.db, c.ctx, u.v.pass
	return u, func() tea.Msg { return unlockDoneMsg{err: db.Unlock(ctx, pass)} }
}

func (u unlockModel) view() string {
	c, th := u.c, u.c.th
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.t("app")+th.crumb+c.t("unlock_title"), c.width)) + "\n\n")
	for _, line := range wrap(c.t("unlock_intro"), c.width-4) {
		b.WriteString("  " + line + "\n")
	}
	b.WriteString("\n")
	if u.working {
		b.WriteString("  " + c.t("unlock_working") + "\n\n")
	} else {
		b.WriteString(indent(u.form.View(), " ") + "\n\n")
	}
	for _, line := range wrap(c.t("unlock_lost"), c.width-4) {
		b.WriteString("  " + th.hint.Render(line) + "\n")
	}
	b.WriteString("\n    " + resetCommand + "\n")
	return screenFrame(c, b.String(), u.status, nil, keyLine(c.keys().unlock.ShortHelp()))
}

// resetCommand replaces a key no one can unlock (store.DB.ResetKey).
const resetCommand = "fieldbench passphrase reset --confirm"

// unlockedMsg: the data key is at hand; the first-run setup or Home next.
type unlockedMsg struct{}

// passAnswers are where the passphrase fields write.
type passAnswers struct{ pass, again string }

// passInput is a masked input for a passphrase.
func passInput(c *common, title string, value *string) *huh.Input {
	return huh.NewInput().Title(c.t(title)).EchoMode(huh.EchoModePassword).Value(value)
}

func requiredPass(c *common, s string) error {
	if s == "" {
		return errors.New(c.t("pass_empty"))
	}
	return nil
}

// passphraseGroup asks for a new passphrase twice. Optional (the first
// run): both left empty is no passphrase.
func passphraseGroup(c *common, v *passAnswers, optional bool) *huh.Group {
	first := passInput(c, "pass_new", &v.pass)
	if optional {
		first = first.Description(c.t("pass_skip_hint"))
	} else {
		first = first.Validate(func(s string) error { return requiredPass(c, s) })
	}
	again := passInput(c, "pass_again", &v.again).Validate(func(s string) error {
		if s != v.pass {
			return errors.New(c.t("pass_mismatch"))
		}
		return nil
	})
	return huh.NewGroup(first, again)
}

// checkNewPassphrase checks the two entries again at submit (a burst of
// keys can pass huh's per-field checks by): "" and no error is none set.
func checkNewPassphrase(c *common, v *passAnswers, optional bool) (string, error) {
	switch {
	case v.pass != v.again:
		return "", errors.New(c.t("pass_mismatch"))
	case v.pass == "" && !optional:
		return "", errors.New(c.t("pass_empty"))
	}
	return v.pass, nil
}

// passTradeoff is what a passphrase gains and costs, for the first run
// and Settings: two lines.
func passTradeoff(c *common, width int) string {
	var b strings.Builder
	for _, k := range []string{"pass_gain", "pass_cost"} {
		for _, line := range wrap(c.t(k), width-4) {
			b.WriteString("  " + line + "\n")
		}
	}
	return b.String()
}

// unlockKeys are the unlock screen's; the input is huh's.
type unlockKeys struct {
	Unlock, Quit key.Binding
	// Esc means back elsewhere; nothing is behind this screen.
	Esc key.Binding
}

func newUnlockKeys(lang string) unlockKeys {
	return unlockKeys{
		Unlock: bind(lang, "Enter", "do_unlock", "enter"),
		Quit:   bind(lang, "Ctrl+C", "do_quit", "ctrl+c"),
		Esc:    bind(lang, "Esc", "do_how_to_quit", "esc"),
	}
}

func (k unlockKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Unlock, k.Quit} }
func (k unlockKeys) FullHelp() [][]key.Binding { return each(append(k.ShortHelp(), k.Esc)...) }
