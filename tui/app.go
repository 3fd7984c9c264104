// Package tui is fieldbench's terminal interface: one root model that
// switches between concrete screen models (home, fill, records, sync,
// settings, quality), and a plain line-prompt path for TERM=dumb and ACCESSIBLE=1.
// Every Charm import of the program lives in this package.
package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
	"github.com/fieldbench/fieldbench/tui/termguard"
)

// By now bubbletea's init has run with TERM held at dumb; see termguard.
func init() { termguard.Restore() }

// Deps are what the interface needs from the program that starts it.
type Deps struct {
	DB     *store.DB
	In     io.Reader
	Out    io.Writer
	Getenv func(string) string
	// Lang is the interface language asked for on the command line or by
	// the locale; a language chosen in Settings wins over it.
	Lang string
	// NotTerminal is true when the input or output is not a terminal: a
	// full screen cannot be drawn there, so the plain prompts run.
	NotTerminal bool
	// Enrol enrols the laptop with a catalogue, for the first-run setup
	// and Settings; nil where no catalogue can be reached.
	Enrol EnrolFunc
	// ReadSecret asks for a passphrase on the terminal without echo, for
	// the line prompts (the full screen masks its own input); nil where
	// there is no terminal to ask on.
	ReadSecret func(prompt string) (string, error)
}

// Plain reports whether the plain-prompt path should run instead of the
// full screen: on a dumb terminal, or when ACCESSIBLE is set (screen
// readers read lines, not redrawn screens).
func Plain(getenv func(string) string) bool {
	return getenv("TERM") == "dumb" || getenv("ACCESSIBLE") != ""
}

// Run starts the interface and returns when the person quits.
func Run(ctx context.Context, d Deps) error {
	// The retention period the last sync announced runs out whether or
	// not the laptop is on a network again: applied as work starts.
	if _, err := d.DB.ApplyRetention(ctx); err != nil {
		return err
	}
	c, err := newCommon(ctx, d)
	if err != nil {
		return err
	}
	if d.NotTerminal || Plain(d.Getenv) {
		return RunPlain(ctx, d.DB, PlainOptions{In: d.In, Out: d.Out, Lang: c.lang, Enrol: d.Enrol, ReadSecret: d.ReadSecret})
	}
	// bubbletea takes SIGINT itself. Were the program also stopped by a
	// context that SIGINT cancels (the command's), the two would race: the
	// event loop ends on the context while bubbletea's signal goroutine
	// waits for it to take the interrupt, and the shutdown waits for that
	// goroutine for ever (a hung workbench, one Ctrl+C-as-signal in a few).
	p := tea.NewProgram(newModel(c), tea.WithInput(d.In), tea.WithOutput(d.Out), tea.WithAltScreen(),
		tea.WithContext(context.WithoutCancel(ctx)))
	c.send = p.Send
	stop := killOnSignals(p)
	defer stop()
	_, err = p.Run()
	// Ctrl+C that arrives as a signal (or any cancellation) is a way to
	// quit like q: every accepted answer is already in the draft. The
	// error from bubbletea wraps its cause, so it is matched with Is.
	if errors.Is(err, tea.ErrInterrupted) || (errors.Is(err, tea.ErrProgramKilled) && (ctx.Err() != nil || stop())) {
		return nil
	}
	return err
}

// killOnSignals ends the program on the signals bubbletea leaves to the
// default action (hang-up, quit), which would exit without restoring the
// terminal. bubbletea handles SIGINT and SIGTERM itself. The returned
// function stops listening and reports whether such a signal came.
func killOnSignals(p *tea.Program) func() bool {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGHUP, syscall.SIGQUIT)
	var got atomic.Bool
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			got.Store(true)
			p.Kill()
		case <-done:
		}
	}()
	var once sync.Once
	return func() bool {
		once.Do(func() { signal.Stop(sig); close(done) })
		return got.Load()
	}
}

// common is what every screen shares: the database, the languages, the
// theme and the window size.
type common struct {
	ctx      context.Context
	db       *store.DB
	lang     string // interface language
	formLang string // form language setting; "" follows the interface language
	themeSet string // "", "unicode" or "ascii"; "" is automatic
	autoTh   string
	color    bool
	th       theme
	width    int
	height   int
	now      func() time.Time // the one clock: entry sessions stamp records with it
	pending  tea.Msg          // a screen switch asked for by the screen showing
	// send delivers a message from a background task (sync progress);
	// nil outside a running program.
	send   func(tea.Msg)
	enrol  EnrolFunc
	keySet *keySet // see keys
	// entities is the laptop's copy of the entity lists, nil where there
	// is none.
	entities entityLists
}

func newCommon(ctx context.Context, d Deps) (*common, error) {
	c := &common{ctx: ctx, db: d.DB, now: time.Now, width: 80, height: 24, enrol: d.Enrol,
		entities: entityListsOf(d.DB)}
	get := func(k string) string { v, _ := d.DB.Setting(ctx, k); return v }
	c.lang = uiLang(d.Lang)
	if v := get("ui_language"); v != "" {
		c.lang = uiLang(v)
	}
	c.formLang = get("form_language")
	c.themeSet = get("theme")
	c.autoTh = chooseTheme(d.Getenv, runtime.GOOS)
	c.color = setColorProfile(d.Getenv)
	c.applyTheme()
	return c, nil
}

func (c *common) applyTheme() {
	name := c.themeSet
	if name == "" {
		name = c.autoTh
	}
	c.th = newTheme(name, c.color)
}

// formLanguage is the form language to show labels in.
func (c *common) formLanguage(f *forms.Form) string {
	if c.formLang != "" {
		return f.MatchLanguage(c.formLang)
	}
	return f.MatchLanguage(c.lang)
}

func (c *common) t(key string) string { return t(c.lang, key) }

func (c *common) tf(key string, args ...any) string { return fmt.Sprintf(t(c.lang, key), args...) }

// errLine is an error as a status line says it: the ones the workbench
// knows by name in its language, any other in its own words.
func errLine(c *common, err error) string {
	if errors.Is(err, store.ErrMaskedOnly) {
		return c.t("masked_only_edit")
	}
	return c.t("error") + ": " + clean(err.Error())
}

// clean strips escape and control sequences from text that came from a
// form or a record before it is drawn.
func clean(s string) string { return forms.Sanitize(s, false) }

// fit cuts s to w cells, with "..." when it had to cut.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	if w <= 3 {
		return ansi.Truncate(s, w, "")
	}
	return ansi.Truncate(s, w, "...")
}

// pad cuts or fills s to exactly w cells.
func pad(s string, w int) string {
	s = fit(s, w)
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// ansiWidth is the cells a string takes on screen.
func ansiWidth(s string) int { return ansi.StringWidth(s) }

// runeWidth is the cells a rune takes.
func runeWidth(r rune) int { return ansi.StringWidth(string(r)) }

// spread puts left and right on one line of w cells, cutting left.
func spread(left, right string, w int) string {
	rw := ansi.StringWidth(right)
	left = fit(left, w-rw-1)
	return left + strings.Repeat(" ", max(1, w-ansi.StringWidth(left)-rw)) + right
}

type screen int

const (
	screenHome screen = iota
	screenFill
	screenRecords
	screenSync
	screenSettings
	screenQuality
	screenSetup
	screenPick   // who a follow-up record visits
	screenUnlock // the passphrase, when the database opened locked
)

// model is the root: it owns the screens and routes messages to the one
// showing, in the manner of glow.
type model struct {
	c        *common
	screen   screen
	home     homeModel
	fill     fillModel
	records  recordsModel
	sync     syncModel
	settings settingsModel
	quality  qualityModel
	setup    setupModel
	pick     pickModel
	unlock   unlockModel
	dialog   *confirmDialog // a yes/no question over the screen showing
	help     bool
	fatal    error
}

func newModel(c *common) model {
	m := model{c: c, screen: screenHome}
	// Every screen after this one reads or writes personal data: the
	// passphrase comes first when the database opened without it.
	if needsPassphrase(c.db) {
		m.screen, m.unlock = screenUnlock, newUnlock(c)
		return m
	}
	return m.afterUnlock()
}

// afterUnlock is the screen the workbench starts on once the data key is
// at hand.
func (m model) afterUnlock() model {
	m.screen = screenHome
	m.home = newHome(m.c)
	// Records finalized without a name would carry an empty username
	// for ever: the first run asks for it before anything else.
	if m.home.collector == "" {
		m.screen, m.setup = screenSetup, newSetup(m.c)
	}
	return m
}

func (m model) Init() tea.Cmd {
	if m.screen != screenHome {
		return nil
	}
	return m.home.countsCmd()
}

// Messages between screens, named after what happened.
type (
	openFillMsg struct {
		s      *entry.Session
		status string
	}
	goHomeMsg     struct{ status string }
	openScreenMsg struct{ screen screen }
	// openQualityMsg opens the quality screen on one form's records.
	openQualityMsg struct{ formID, title string }
	fatalMsg       struct{ err error }
)

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.width, m.c.height = msg.Width, msg.Height
		m.quality.SetSize(msg.Width, msg.Height)
		m.pick.SetSize(msg.Width, msg.Height)
	case tea.KeyMsg:
		g := m.c.keys().global
		if key.Matches(msg, g.Quit) {
			return m, tea.Quit
		}
		if m.help {
			m.help = false
			return m, nil
		}
		if m.dialog != nil {
			return m.answerDialog(msg)
		}
		if key.Matches(msg, g.HelpWhileTyping) || (key.Matches(msg, g.Help) && m.wantsHelpKey()) {
			m.help = true
			return m, nil
		}
	case openFillMsg:
		m.fill = newFill(m.c, msg.s)
		m.fill.status = msg.status
		m.screen = screenFill
		return m, m.fill.visitCmd()
	case openPickMsg:
		m.pick = newPick(m.c, msg.s, msg.decl)
		m.screen = screenPick
		return m, m.pick.loadCmd()
	case goHomeMsg:
		m.pick = pickModel{} // a list of 100,000 is not kept behind Home
		m.home = newHome(m.c)
		m.home.status = msg.status
		m.screen = screenHome
		return m, m.home.countsCmd()
	case openScreenMsg:
		m.screen = msg.screen
		switch msg.screen {
		case screenRecords:
			m.records = newRecords(m.c)
		case screenSync:
			m.sync = newSync(m.c)
		case screenSettings:
			m.settings = newSettings(m.c)
		}
		return m, nil
	case openQualityMsg:
		m.quality = newQuality(m.c, msg.formID, msg.title)
		m.screen = screenQuality
		return m, m.quality.loadCmd()
	case unlockedMsg:
		m.unlock = unlockModel{}
		m = m.afterUnlock()
		return m, m.Init()
	case fatalMsg:
		m.fatal = msg.err
		return m, tea.Quit
	case askMsg:
		m.dialog = newConfirmDialog(m.c, msg)
		return m, nil
	}
	if m.dialog != nil && isHuhMsg(msg) {
		return m.answerDialog(msg)
	}
	var cmd tea.Cmd
	switch m.screen {
	case screenHome:
		m.home, cmd = m.home.update(msg)
	case screenFill:
		m.fill, cmd = m.fill.update(msg)
	case screenRecords:
		m.records, cmd = m.records.update(msg)
	case screenSync:
		m.sync, cmd = m.sync.update(msg)
	case screenSettings:
		m.settings, cmd = m.settings.update(msg)
	case screenQuality:
		m.quality, cmd = m.quality.update(msg)
	case screenSetup:
		m.setup, cmd = m.setup.update(msg)
	case screenPick:
		m.pick, cmd = m.pick.update(msg)
	case screenUnlock:
		m.unlock, cmd = m.unlock.update(msg)
	}
	if p := m.c.pending; p != nil {
		m.c.pending = nil
		next, cmd2 := m.Update(p)
		return next, tea.Batch(cmd, cmd2)
	}
	return m, cmd
}

// wantsHelpKey is false where "?" is text being typed.
func (m model) wantsHelpKey() bool {
	switch m.screen {
	case screenFill:
		return m.fill.helpKeyFree()
	case screenRecords:
		return !m.records.searching
	case screenSettings, screenSetup, screenUnlock:
		return false // their forms take text
	case screenPick:
		return m.pick.input.Value() == ""
	}
	return true
}

func (m model) View() string {
	if m.help {
		return m.helpView()
	}
	if m.dialog != nil {
		return m.dialog.over(m.screenView())
	}
	return m.screenView()
}

func (m model) screenView() string {
	switch m.screen {
	case screenSetup:
		return m.setup.view()
	case screenFill:
		return m.fill.view()
	case screenRecords:
		return m.records.view()
	case screenSync:
		return m.sync.view()
	case screenSettings:
		return m.settings.view()
	case screenQuality:
		return m.quality.view()
	case screenPick:
		return m.pick.view()
	case screenUnlock:
		return m.unlock.view()
	}
	return m.home.view()
}

// navigate asks the root to switch screens. The switch happens within the
// same Update call, not through a command: keys already queued behind the
// one that opened a screen must reach the new screen, not the old one.
func (c *common) navigate(msg tea.Msg) tea.Cmd {
	c.pending = msg
	return nil
}
