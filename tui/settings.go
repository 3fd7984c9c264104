package tui

import (
	"context"
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/sync/laptop"
)

// settingsModel changes the interface language, the form language, the
// collector's name, the theme, the catalogue enrolment and the passphrase,
// in one huh form. Nothing is stored until the form is saved (Enter on its
// last question, or Ctrl+S); Esc over changes asks before dropping them.
// A passphrase to set or change is then typed twice, and removing one is
// confirmed, before anything is stored.
type settingsModel struct {
	c         *common
	form      *huh.Form
	leave     *huh.Form // "drop the changes?" after Esc
	pass      *huh.Form // the new passphrase twice, or "remove it?"
	pv        *passAnswers
	hasPass   bool // a passphrase protects the data key now
	v         *settingsAnswers
	was       settingsAnswers // as stored when the screen opened
	enrolling bool
	cancel    context.CancelFunc
	status    string
	err       error
}

// settingsAnswers are where the forms write, apart from the model, which
// is copied on every update.
type settingsAnswers struct {
	ui, form, name, theme, address, code string
	pass                                 string // "", passSet or passRemove
	drop, remove                         bool
}

// What Settings does with the passphrase ("" keeps it as it is).
const (
	passSet    = "set"
	passRemove = "remove"
)

var formLanguages = []string{"", "zh-Hans", "zh-Hant", "en"}
var themes = []string{"", "unicode", "ascii"}

func newSettings(c *common) settingsModel {
	s := settingsModel{c: c, pv: &passAnswers{}}
	s.hasPass, _ = c.db.PassphraseSet(c.ctx)
	s.was.ui, s.was.form, s.was.theme = c.lang, c.formLang, c.themeSet
	s.was.name, _ = c.db.Collector(c.ctx)
	s.was.address, _ = c.db.Setting(c.ctx, laptop.SettingURL)
	v := s.was
	s.v = &v
	s.build()
	return s
}

func (s *settingsModel) build() {
	c, v := s.c, s.v
	langName := map[string]string{"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English", "": c.t("auto")}
	themeName := map[string]string{"": c.t("auto") + " (" + c.autoTh + ")", "unicode": c.t("theme_unicode"), "ascii": c.t("theme_ascii")}
	options := func(values []string, names map[string]string) []huh.Option[string] {
		var out []huh.Option[string]
		for _, val := range values {
			out = append(out, huh.NewOption(names[val], val))
		}
		return out
	}
	sel := func(title string, values []string, names map[string]string, value *string) *huh.Select[string] {
		return huh.NewSelect[string]().Title(title).Inline(true).Options(options(values, names)...).Value(value)
	}
	was := s.was.address
	fields := []huh.Field{
		sel(c.t("set_ui"), forms.Languages, langName, &v.ui),
		sel(c.t("set_form"), formLanguages, langName, &v.form),
		huh.NewInput().Title(c.t("set_collector")).CharLimit(collectorMaxRunes).Value(&v.name).
			Validate(func(s string) error { return fieldErr(c, firstErr(CollectorName(s))) }),
		sel(c.t("set_theme"), themes, themeName, &v.theme),
		huh.NewInput().Title(c.t("setup_url")).Placeholder("https://").Value(&v.address).
			Validate(func(s string) error { return fieldErr(c, firstErr(catalogueURL(s))) }),
		huh.NewInput().Title(c.t("set_code")).Value(&v.code).
			Validate(func(s string) error { return fieldErr(c, settingsEnrolPair(was, v.address, s)) }),
		sel(c.t("set_pass"), s.passChoices(), s.passNames(), &v.pass),
	}
	// Six questions must fit 24 lines: no blank line between them, and
	// no filtering of short lists (its "No matches" is English).
	th := huhTheme(c.th, c.color)
	th.FieldSeparator = lipgloss.NewStyle().SetString("\n")
	km := huh.NewDefaultKeyMap()
	km.Select.Filter.SetEnabled(false)
	s.form = huh.NewForm(huh.NewGroup(fields...)).WithTheme(th).WithKeyMap(km).WithShowHelp(false)
	s.form.Init()
	sizeHuhForm(s.form, c.width-2, c.height-4)
}

// settingsEnrolPair checks the code field: the address and code as
// typed, against the address stored.
func settingsEnrolPair(stored, address, code string) error {
	address, _ = catalogueURL(address)
	return enrolPairKeeping(stored, address, enrolmentCode(code))
}

func (s settingsModel) changed() bool { return *s.v != s.was }

func (s settingsModel) update(msg tea.Msg) (settingsModel, tea.Cmd) {
	c := s.c
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		sizeHuhForm(s.form, c.width-2, c.height-4)
		return s, nil
	case enrolDoneMsg:
		s.enrolling = false
		if msg.err != nil {
			return s, c.navigate(goHomeMsg{status: c.th.err.Render(c.th.errMark + enrolFailure(c.lang, c.db.DeviceID(), msg.err))})
		}
		return s, c.navigate(goHomeMsg{status: c.tf("setup_enrolled", clean(msg.township))})
	case tea.KeyMsg:
		s.status, s.err = "", nil
		k := c.keys().settings
		switch {
		case s.pass != nil && key.Matches(msg, k.Back):
			s.pass = nil // back to the form, nothing stored
			s.build()
			return s, nil
		case s.enrolling:
			if key.Matches(msg, c.keys().wait.Stop) {
				s.cancel()
				return s, c.navigate(goHomeMsg{status: c.t("setup_enrol_later")})
			}
			return s, nil
		case s.leave == nil && key.Matches(msg, k.Back):
			if !s.changed() {
				return s, c.navigate(goHomeMsg{})
			}
			s.v.drop = false
			s.leave = newHuhForm(c, c.width-2, 6, huh.NewGroup(huh.NewConfirm().WithButtonAlignment(lipgloss.Left).Title(c.t("drop_ask")).
				Affirmative(c.t("drop_yes")).Negative(c.t("drop_no")).Value(&s.v.drop)))
			return s, nil
		case s.leave != nil && key.Matches(msg, k.Back):
			s.leave = nil
			return s, nil
		case s.leave == nil && s.pass == nil && key.Matches(msg, k.Save):
			// Submits from any question; NextGroup updates the form
			// there and then.
			if cmd := s.form.NextGroup(); !huhDone(s.form) {
				return s, cmd
			}
			return s.askPassphrase()
		}
	}
	if s.pass != nil {
		cmd := updateHuh(s.pass, msg)
		if !huhDone(s.pass) {
			return s, cmd
		}
		return s.save()
	}
	if s.leave != nil {
		cmd := updateHuh(s.leave, msg)
		if !huhDone(s.leave) {
			return s, cmd
		}
		s.leave = nil
		if s.v.drop {
			return s, c.navigate(goHomeMsg{})
		}
		return s, nil
	}
	cmd := updateHuh(s.form, msg)
	if !huhDone(s.form) {
		return s, cmd
	}
	return s.askPassphrase()
}

func (s settingsModel) passChoices() []string {
	if s.hasPass {
		return []string{"", passSet, passRemove}
	}
	return []string{"", passSet}
}

func (s settingsModel) passNames() map[string]string {
	c := s.c
	if s.hasPass {
		return map[string]string{"": c.t("pass_keep_set"), passSet: c.t("pass_change"), passRemove: c.t("pass_remove")}
	}
	return map[string]string{"": c.t("pass_keep_none"), passSet: c.t("pass_set")}
}

// askPassphrase is the step between the form and saving when the
// passphrase is to change: typed twice, or its removal confirmed.
func (s settingsModel) askPassphrase() (settingsModel, tea.Cmd) {
	c := s.c
	switch s.v.pass {
	case passSet:
		*s.pv = passAnswers{}
		s.pass = newHuhForm(c, c.width-2, c.height-9, passphraseGroup(c, s.pv, false))
	case passRemove:
		s.v.remove = false
		s.pass = newHuhForm(c, c.width-2, 6, huh.NewGroup(huh.NewConfirm().WithButtonAlignment(lipgloss.Left).Title(c.t("pass_remove_ask")).
			Affirmative(c.t("pass_remove_yes")).Negative(c.t("pass_remove_no")).Value(&s.v.remove)))
	default:
		return s.save()
	}
	return s, nil
}

// savePassphrase does what the passphrase step asked, through the store
// functions fieldbench passphrase uses; the status to show after.
func (s settingsModel) savePassphrase() (string, error) {
	c := s.c
	switch {
	case s.v.pass == passSet:
		pass, err := checkNewPassphrase(c, s.pv, false)
		if err != nil {
			return "", err
		}
		if err := c.db.SetPassphrase(c.ctx, pass); err != nil {
			return "", err
		}
		return c.t("pass_set_done"), nil
	case s.v.pass == passRemove && s.v.remove:
		if err := c.db.RemovePassphrase(c.ctx); err != nil {
			return "", err
		}
		return c.t("pass_removed"), nil
	}
	return "", nil
}

// save stores what changed, checked again by the same rules as each
// question (a burst of keys can pass huh's checks by).
func (s settingsModel) save() (settingsModel, tea.Cmd) {
	c, v := s.c, s.v
	e, err := checkEnrolment(v.name, v.address, v.code, s.was.address)
	if err != nil {
		s.status = c.th.err.Render(c.th.errMark + ruleText(c.lang, err))
		s.pass = nil
		s.build()
		return s, nil
	}
	// The passphrase first: a refusal (two entries that differ) stores
	// nothing, so the form is there again as it was.
	done, err := s.savePassphrase()
	s.pass = nil
	if err != nil {
		s.status = c.th.err.Render(c.th.errMark + clean(err.Error()))
		s.build()
		return s, nil
	}
	saved := c.t("saved")
	if done != "" {
		saved = done
	}
	for _, set := range []struct{ key, value, was string }{
		{"ui_language", v.ui, s.was.ui}, {"form_language", v.form, s.was.form}, {"theme", v.theme, s.was.theme},
	} {
		if set.value != set.was {
			err = errors.Join(err, c.db.SetSetting(c.ctx, set.key, set.value))
		}
	}
	if e.name != s.was.name {
		err = errors.Join(err, c.db.SetCollector(c.ctx, e.name))
	}
	if e.code == "" && e.address != s.was.address {
		err = errors.Join(err, c.db.SetSetting(c.ctx, laptop.SettingURL, e.address))
	}
	if err != nil {
		s.err = err
		s.build()
		return s, nil
	}
	c.lang, c.formLang, c.themeSet = v.ui, v.form, v.theme
	c.applyTheme()
	if e.code == "" {
		return s, c.navigate(goHomeMsg{status: saved})
	}
	s.enrolling = true
	var cmd tea.Cmd
	s.cancel, cmd = enrolCmd(c, e.address, e.code)
	return s, cmd
}

func (s settingsModel) view() string {
	c, th := s.c, s.c.th
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.t("settings_title"), c.width)) + "\n\n")
	keys := keyLine(c.keys().settings.ShortHelp())
	switch {
	case s.enrolling:
		b.WriteString("  " + c.t("setup_enrolling") + "\n")
		keys = keyLine(c.keys().wait.ShortHelp())
	case s.leave != nil:
		b.WriteString(indent(s.leave.View(), " ") + "\n")
		keys = keyLine(c.keys().confirm.ShortHelp())
	case s.pass != nil && s.v.pass == passSet:
		b.WriteString("  " + th.label.Render(c.t("set_pass")) + "\n")
		b.WriteString(passTradeoff(c, c.width))
		b.WriteString("\n" + indent(s.pass.View(), " ") + "\n")
		k := c.keys().settings
		keys = keyLine([]key.Binding{k.Next, k.Back})
	case s.pass != nil:
		b.WriteString(indent(s.pass.View(), " ") + "\n")
		keys = keyLine(c.keys().confirm.ShortHelp())
	default:
		b.WriteString(indent(s.form.View(), " ") + "\n")
	}
	return screenFrame(c, b.String(), s.status, s.err, keys)
}
