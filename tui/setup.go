package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/fieldbench/fieldbench/sync/laptop"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// EnrolFunc enrols this laptop with the catalogue at address using a
// one-time code, as fieldbench enrol URL CODE does, and returns the
// township the catalogue gave it. The program passes it in, so that the
// interface needs no HTTP client of its own and tests can give a real
// catalogue.
type EnrolFunc func(ctx context.Context, address, code string) (township string, err error)

// enrolTimeout bounds one enrolment from the setup: the network must
// never hold the record work hostage.
const enrolTimeout = 30 * time.Second

// setupModel is the first-run setup: the collector's name, which every
// record carries, and optionally the catalogue's address and enrolment
// code, then, optionally, a passphrase. It shows before Home whenever no
// name is stored.
type setupModel struct {
	c         *common
	form      *huh.Form
	pass      *huh.Form // the optional passphrase, after the first form
	pv        *passAnswers
	retry     *huh.Form // after a failed enrolment: try again or go on
	v         *setupAnswers
	enrolling bool
	cancel    context.CancelFunc
	failed    string // why the enrolment failed, in the interface language
	status    string
	err       error
}

// setupAnswers are where the forms write, apart from the model: the
// model is copied on every update, the forms keep pointers.
type setupAnswers struct {
	name, address, code string
	again               bool
}

// enrolDoneMsg ends an enrolment started by the setup or Settings.
type enrolDoneMsg struct {
	township string
	err      error
}

func newSetup(c *common) setupModel {
	s := setupModel{c: c, v: &setupAnswers{}, pv: &passAnswers{}}
	s.build()
	return s
}

// setupFields are the questions of the setup, shared with Settings so
// that both check the same way.
func setupFields(c *common, name, address, code *string) []huh.Field {
	return []huh.Field{
		huh.NewInput().Title(c.t("set_collector")).Description(c.t("setup_name_hint")).
			CharLimit(collectorMaxRunes).Value(name).
			Validate(func(s string) error { return fieldErr(c, firstErr(CollectorName(s))) }),
		huh.NewInput().Title(c.t("setup_url")).Description(c.t("setup_url_hint")).
			Placeholder("https://").Value(address).
			Validate(func(s string) error { return fieldErr(c, firstErr(catalogueURL(s))) }),
		huh.NewInput().Title(c.t("setup_code")).Description(c.t("setup_code_hint")).Value(code).
			Validate(func(s string) error {
				a, _ := catalogueURL(*address)
				return fieldErr(c, enrolPair(a, enrolmentCode(s)))
			}),
	}
}

func firstErr[T any](_ T, err error) error { return err }

// fieldErr is a rule's refusal as huh shows it: in the interface language.
func fieldErr(c *common, err error) error {
	if err == nil {
		return nil
	}
	return errors.New(ruleText(c.lang, err))
}

func (s *setupModel) build() {
	s.form = newHuhForm(s.c, s.c.width-2, s.formHeight(), huh.NewGroup(setupFields(s.c, &s.v.name, &s.v.address, &s.v.code)...))
}

func (s setupModel) formHeight() int { return s.c.height - 6 }

func (s setupModel) update(msg tea.Msg) (setupModel, tea.Cmd) {
	c := s.c
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		sizeHuhForm(s.form, c.width-2, s.formHeight())
		return s, nil
	case enrolDoneMsg:
		s.enrolling = false
		if s.cancel != nil {
			s.cancel()
		}
		if msg.err == nil {
			return s, c.navigate(goHomeMsg{status: c.tf("setup_enrolled", clean(msg.township))})
		}
		s.failed = enrolFailure(c.lang, c.db.DeviceID(), msg.err)
		s.v.again = true
		s.retry = newHuhForm(c, c.width-2, 6, huh.NewGroup(huh.NewConfirm().WithButtonAlignment(lipgloss.Left).Title(c.t("setup_retry")).
			Affirmative(c.t("setup_retry_yes")).Negative(c.t("setup_retry_no")).Value(&s.v.again)))
		return s, nil
	case tea.KeyMsg:
		s.status = ""
		switch {
		case s.enrolling:
			if key.Matches(msg, c.keys().wait.Stop) {
				s.cancel()
				return s, c.navigate(goHomeMsg{status: c.t("setup_enrol_later")})
			}
			return s, nil
		case s.retry != nil && key.Matches(msg, c.keys().confirm.Cancel):
			return s, c.navigate(goHomeMsg{status: c.t("setup_enrol_later")})
		case s.pass != nil && key.Matches(msg, c.keys().setup.Esc):
			// Back to the name and the catalogue, as typed.
			s.pass = nil
			s.build()
			return s, nil
		case s.retry == nil && key.Matches(msg, c.keys().setup.Esc):
			// The name is the one thing the setup needs; there is no
			// screen behind this one to go back to.
			s.status = c.t("setup_esc")
			return s, nil
		}
	}
	if s.retry != nil {
		cmd := updateHuh(s.retry, msg)
		if !huhDone(s.retry) {
			return s, cmd
		}
		s.retry, s.failed = nil, ""
		if !s.v.again {
			return s, c.navigate(goHomeMsg{status: c.t("setup_enrol_later")})
		}
		s.build()
		return s, nil
	}
	if s.pass != nil {
		cmd := updateHuh(s.pass, msg)
		if !huhDone(s.pass) {
			return s, cmd
		}
		return s.submit()
	}
	cmd := updateHuh(s.form, msg)
	if !huhDone(s.form) {
		return s, cmd
	}
	*s.pv = passAnswers{}
	s.pass = newHuhForm(c, c.width-2, s.formHeight()-3, passphraseGroup(c, s.pv, true))
	return s, nil
}

// submit stores what the form gathered, checked again by the same rules:
// huh's per-field checks guide the person, but a burst of keys can pass
// them by.
func (s setupModel) submit() (setupModel, tea.Cmd) {
	c := s.c
	e, err := checkEnrolment(s.v.name, s.v.address, s.v.code, "")
	if err != nil {
		s.status = c.th.err.Render(c.th.errMark + ruleText(c.lang, err))
		s.pass = nil
		s.build()
		return s, nil
	}
	pass, err := checkNewPassphrase(c, s.pv, true)
	if err != nil {
		s.status = c.th.err.Render(c.th.errMark + err.Error())
		*s.pv = passAnswers{}
		s.pass = newHuhForm(c, c.width-2, s.formHeight()-3, passphraseGroup(c, s.pv, true))
		return s, nil
	}
	if s.err = c.db.SetCollector(c.ctx, e.name); s.err != nil {
		s.pass = nil
		s.build()
		return s, nil
	}
	// The same store function as fieldbench passphrase set: its rules.
	if pass != "" {
		if s.err = c.db.SetPassphrase(c.ctx, pass); s.err != nil {
			s.pass = nil
			s.build()
			return s, nil
		}
	}
	s.pass = nil
	if e.address == "" {
		return s, c.navigate(goHomeMsg{status: c.tf("setup_done", e.name)})
	}
	s.enrolling = true
	var cmd tea.Cmd
	s.cancel, cmd = enrolCmd(c, e.address, e.code)
	return s, cmd
}

// enrolCmd runs the injected enrolment off the UI goroutine; the
// returned cancel stops it when the person goes on without waiting.
func enrolCmd(c *common, address, code string) (context.CancelFunc, tea.Cmd) {
	ctx, cancel := context.WithTimeout(c.ctx, enrolTimeout)
	enrol := c.enrol
	return cancel, func() tea.Msg {
		if enrol == nil {
			return enrolDoneMsg{err: errors.New("enrolment is not available here")}
		}
		township, err := enrol(ctx, address, code)
		return enrolDoneMsg{township, err}
	}
}

// enrolFailure says in the interface language why an enrolment failed,
// and that the record work goes on without it.
// The full screen and the plain prompts share it.
func enrolFailure(lang, deviceID string, err error) string {
	var reason string
	var se *laptop.StatusError
	switch {
	case errors.Is(err, wire.ErrDeviceExists):
		reason = fmt.Sprintf(t(lang, "enrol_exists"), deviceID)
	case errors.Is(err, laptop.ErrUnreachable), errors.Is(err, context.DeadlineExceeded):
		reason = t(lang, "sync_unreachable")
	case errors.Is(err, laptop.ErrNotCatalogue):
		reason = t(lang, "sync_not_catalogue")
	case errors.As(err, &se) && se.Status == 403, errors.Is(err, laptop.ErrRevoked):
		reason = t(lang, "enrol_bad_code")
	default:
		reason = t(lang, "error") + ": " + clean(err.Error()) + " "
	}
	return reason + t(lang, "enrol_go_on")
}

func (s setupModel) view() string {
	c, th := s.c, s.c.th
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.t("app")+th.crumb+c.t("setup_title"), c.width)) + "\n\n")
	keys := keyLine(c.keys().setup.ShortHelp())
	switch {
	case s.enrolling:
		b.WriteString("  " + c.t("setup_enrolling") + "\n")
		keys = keyLine(c.keys().wait.ShortHelp())
	case s.retry != nil:
		for _, line := range wrap(s.failed, c.width-4) {
			b.WriteString("  " + th.err.Render(line) + "\n")
		}
		b.WriteString("\n" + indent(s.retry.View(), " ") + "\n")
		keys = keyLine(c.keys().confirm.ShortHelp())
	case s.pass != nil:
		b.WriteString("  " + th.label.Render(c.t("pass_title")) + "\n")
		b.WriteString(passTradeoff(c, c.width))
		b.WriteString("\n" + indent(s.pass.View(), " ") + "\n")
		k := c.keys().setup
		keys = keyLine([]key.Binding{k.Next, k.Prev, k.Back, k.Quit})
	default:
		for _, line := range wrap(c.t("setup_intro"), c.width-4) {
			b.WriteString("  " + line + "\n")
		}
		b.WriteString("\n" + indent(s.form.View(), " ") + "\n")
	}
	return screenFrame(c, b.String(), s.status, s.err, keys)
}

// indent puts prefix before every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}
