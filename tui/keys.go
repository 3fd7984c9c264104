package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/huh"
)

// Each screen declares its keys once, as bubbles key.Bindings: the screen
// matches them in update, and its footer and the help screen are drawn
// from them, so what a key does and what the screen says it does cannot
// drift apart. The help of a binding comes from uiText: its keys as shown
// (a "key_" entry where the name differs by language, such as 上下键 for
// Up/Down, otherwise the literal: Enter, Esc, r) and what it does (a "do_"
// entry). Arrows are words, not ↑↓, whose width is ambiguous in a Chinese
// terminal (see TestChromeHasNoAmbiguousWidths).

// keyMap is what a screen shows of its keys, in the shape of bubbles'
// help.KeyMap: ShortHelp for the footer, FullHelp for the help screen,
// one line per group.
type keyMap interface {
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// bind declares a binding of keys whose help is label (a uiText "key_"
// entry, or the keys as they are written) and desc (a uiText "do_" entry).
func bind(lang, label, desc string, keys ...string) key.Binding {
	if strings.HasPrefix(label, "key_") {
		label = t(lang, label)
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, t(lang, desc)))
}

// relabel is a binding declared by a Charm component (huh, the text
// input), which matches it itself, with help as bind gives it.
func relabel(lang string, b key.Binding, label, desc string) key.Binding {
	return bind(lang, label, desc, b.Keys()...)
}

// helpText is a binding's help as drawn: "Enter 打开", or only the keys
// where they say it all ("Up/Down").
func helpText(b key.Binding) string {
	h := b.Help()
	if h.Desc == "" {
		return h.Key
	}
	return h.Key + " " + h.Desc
}

// keyLine joins the help of enabled bindings with two spaces. A binding
// with the same help as the one before it is the other half of a pair
// (Up and Down, each matched by its own binding, are shown as one
// "上下键 选择") and is not repeated.
func keyLine(bs []key.Binding) string {
	var parts []string
	last := ""
	for _, b := range bs {
		if !b.Enabled() {
			continue
		}
		if s := helpText(b); s != last {
			parts = append(parts, s)
			last = s
		}
	}
	return strings.Join(parts, "  ")
}

// each puts every binding on a line of its own, for FullHelp.
func each(bs ...key.Binding) [][]key.Binding {
	var out [][]key.Binding
	for i, b := range bs {
		if i > 0 && helpText(b) == helpText(bs[i-1]) {
			out[len(out)-1] = append(out[len(out)-1], b)
			continue
		}
		out = append(out, []key.Binding{b})
	}
	return out
}

// keySet is every screen's keys in one interface language.
type keySet struct {
	lang      string
	global    globalKeys
	home      homeKeys
	fill      fillKeys
	questions questionsKeys
	summary   summaryKeys
	records   recordsKeys
	record    recordKeys
	sync      syncKeys
	quality   qualityKeys
	settings  settingsKeys
	setup     setupKeys
	confirm   confirmKeys
	wait      waitKeys
	pick      pickKeys
	unlock    unlockKeys
}

// keys are the bindings in the interface language, made again when
// Settings changes it.
func (c *common) keys() *keySet {
	if c.keySet == nil || c.keySet.lang != c.lang {
		l := c.lang
		c.keySet = &keySet{lang: l, global: newGlobalKeys(l), home: newHomeKeys(l), fill: newFillKeys(l),
			questions: newQuestionsKeys(l), summary: newSummaryKeys(l),
			records: newRecordsKeys(l), record: newRecordKeys(l), sync: newSyncKeys(l), quality: newQualityKeys(l),
			settings: newSettingsKeys(l), setup: newSetupKeys(l), confirm: newConfirmKeys(l), wait: newWaitKeys(l), pick: newPickKeys(l),
			unlock: newUnlockKeys(l)}
	}
	return c.keySet
}

// globalKeys work on every screen; the root matches them. "?" is text
// where something is being typed, so there only HelpWhileTyping (F1)
// opens the help.
type globalKeys struct {
	Help, HelpWhileTyping, Quit key.Binding
}

func newGlobalKeys(lang string) globalKeys {
	return globalKeys{
		Help:            bind(lang, "key_f1", "do_this_help", "f1", "?"),
		HelpWhileTyping: bind(lang, "F1", "do_this_help", "f1"),
		Quit:            bind(lang, "Ctrl+C", "do_quit_any_time", "ctrl+c"),
	}
}

// homeKeys are the home screen's.
type homeKeys struct {
	Up, Down, Open, Records, Quality, Sync, Settings, Help, Quit, Esc key.Binding
}

func newHomeKeys(lang string) homeKeys {
	return homeKeys{
		Up:       bind(lang, "key_updown", "do_choose_row", "up", "k"),
		Down:     bind(lang, "key_updown", "do_choose_row", "down", "j", "tab"),
		Open:     bind(lang, "Enter", "do_open", "enter"),
		Records:  bind(lang, "r", "do_records", "r"),
		Quality:  bind(lang, "d", "do_quality", "d"),
		Sync:     bind(lang, "y", "do_sync", "y"),
		Settings: bind(lang, "s", "do_settings", "s"),
		// The root opens the help; this binding only shows it here.
		Help: bind(lang, "?", "do_help", "?"),
		Quit: bind(lang, "q", "do_quit", "q"),
		// Esc means back everywhere else; here it only says how to quit.
		Esc: bind(lang, "Esc", "do_how_to_quit", "esc"),
	}
}

func (k homeKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Open, k.Records, k.Quality, k.Sync, k.Settings, k.Help, k.Quit}
}

func (k homeKeys) FullHelp() [][]key.Binding { return each(append(k.ShortHelp(), k.Esc)...) }

// recordsKeys are the records list's.
type recordsKeys struct {
	PrevState, NextState, Up, Down, Search, Open, Edit, Discard, Back key.Binding
	// EndSearch leaves the search text, keeping it as the filter.
	EndSearch key.Binding
}

func newRecordsKeys(lang string) recordsKeys {
	return recordsKeys{
		PrevState: bind(lang, "key_leftright", "do_state", "left", "h"),
		NextState: bind(lang, "key_leftright", "do_state", "right", "l"),
		Up:        bind(lang, "key_updown", "do_choose", "up", "k"),
		Down:      bind(lang, "key_updown", "do_choose", "down", "j"),
		Search:    bind(lang, "/", "do_search", "/"),
		Open:      bind(lang, "Enter", "do_view", "enter"),
		Edit:      bind(lang, "e", "do_edit", "e"),
		Discard:   bind(lang, "d", "do_discard", "d"),
		Back:      bind(lang, "Esc", "do_back", "esc", "q"),
		EndSearch: bind(lang, "Enter/Esc", "do_end_search", "enter", "esc"),
	}
}

func (k recordsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.PrevState, k.NextState, k.Search, k.Open, k.Edit, k.Discard, k.Back}
}

func (k recordsKeys) FullHelp() [][]key.Binding {
	return each(k.PrevState, k.NextState, k.Up, k.Down, k.Search, k.EndSearch, k.Open, k.Edit, k.Discard, k.Back)
}

// recordKeys are those of one record shown whole.
type recordKeys struct {
	Up, Down, Edit, Back key.Binding
}

func newRecordKeys(lang string) recordKeys {
	return recordKeys{
		Up:   bind(lang, "key_updown", "do_scroll", "up", "k"),
		Down: bind(lang, "key_updown", "do_scroll", "down", "j"),
		Edit: bind(lang, "e", "do_edit", "e"),
		Back: bind(lang, "Esc", "do_back", "esc", "q"),
	}
}

func (k recordKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Up, k.Down, k.Edit, k.Back} }
func (k recordKeys) FullHelp() [][]key.Binding { return each(k.ShortHelp()...) }

// syncKeys are the sync screen's; run is disabled while no catalogue is
// set up.
type syncKeys struct {
	Run, Back key.Binding
}

func newSyncKeys(lang string) syncKeys {
	return syncKeys{
		Run:  bind(lang, "Enter", "do_sync_now", "enter"),
		Back: bind(lang, "Esc", "do_back", "esc", "q"),
	}
}

func (k syncKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Run, k.Back} }
func (k syncKeys) FullHelp() [][]key.Binding { return each(k.ShortHelp()...) }

// qualityKeys are the data quality screen's.
type qualityKeys struct {
	PrevTab, NextTab, Up, Down, PageUp, PageDown, Back key.Binding
}

func newQualityKeys(lang string) qualityKeys {
	return qualityKeys{
		PrevTab:  bind(lang, "key_leftright", "do_tab", "left", "h", "shift+tab"),
		NextTab:  bind(lang, "key_leftright", "do_tab", "right", "l", "tab"),
		Up:       bind(lang, "key_updown", "do_scroll", "up", "k"),
		Down:     bind(lang, "key_updown", "do_scroll", "down", "j"),
		PageUp:   bind(lang, "PgUp/PgDn", "do_page", "pgup"),
		PageDown: bind(lang, "PgUp/PgDn", "do_page", "pgdown"),
		Back:     bind(lang, "Esc", "do_back", "esc", "q"),
	}
}

func (k qualityKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.PrevTab, k.NextTab, k.Up, k.Down, k.Back}
}

func (k qualityKeys) FullHelp() [][]key.Binding {
	return each(k.PrevTab, k.NextTab, k.Up, k.Down, k.PageUp, k.PageDown, k.Back)
}

// settingsKeys are the settings screen's. huh moves between the fields
// and changes a choice; the screen matches save and back itself.
type settingsKeys struct {
	Next, Change, Save, Back key.Binding
}

func newSettingsKeys(lang string) settingsKeys {
	return settingsKeys{
		Next:   bind(lang, "Enter", "do_next", "enter"),
		Change: bind(lang, "key_leftright", "do_change", "left", "right"),
		Save:   bind(lang, "Ctrl+S", "do_save", "ctrl+s"),
		Back:   bind(lang, "Esc", "do_back", "esc"),
	}
}

func (k settingsKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Change, k.Save, k.Back}
}
func (k settingsKeys) FullHelp() [][]key.Binding { return each(k.ShortHelp()...) }

// setupKeys are the first-run screen's; huh moves between its fields.
type setupKeys struct {
	Next, Prev, Quit key.Binding
	// Esc means back elsewhere, but no screen is behind this one: it
	// says how to quit. On the passphrase step it goes back (Back).
	Esc, Back key.Binding
}

func newSetupKeys(lang string) setupKeys {
	return setupKeys{
		Next: bind(lang, "Enter", "do_next", "enter"),
		Prev: bind(lang, "Shift+Tab", "do_prev", "shift+tab"),
		Quit: bind(lang, "Ctrl+C", "do_quit", "ctrl+c"),
		Esc:  bind(lang, "Esc", "do_how_to_quit", "esc"),
		Back: bind(lang, "Esc", "do_back", "esc"),
	}
}

func (k setupKeys) ShortHelp() []key.Binding { return []key.Binding{k.Next, k.Prev, k.Quit} }
func (k setupKeys) FullHelp() [][]key.Binding {
	return each(append(k.ShortHelp(), k.Esc, k.Back)...)
}

// confirmKeys are a yes/no question's: the dialog over a screen, and the
// questions Settings and the first run ask in place. huh's confirm field
// matches all but Cancel (which the screens match as no), by its own
// default key map, taken from there.
type confirmKeys struct {
	Choose, Confirm, Yes, No, Cancel key.Binding
}

func newConfirmKeys(lang string) confirmKeys {
	km := huh.NewDefaultKeyMap().Confirm
	return confirmKeys{
		Choose:  relabel(lang, km.Toggle, "key_leftright", "do_choose"),
		Confirm: relabel(lang, km.Submit, "Enter", "do_confirm"),
		Yes:     relabel(lang, km.Accept, "y", "yes"),
		No:      relabel(lang, km.Reject, "n", "no"),
		Cancel:  bind(lang, "Esc", "do_cancel", "esc"),
	}
}

func (k confirmKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Choose, k.Confirm, k.Yes, k.No, k.Cancel}
}
func (k confirmKeys) FullHelp() [][]key.Binding { return each(k.ShortHelp()...) }

// waitKeys are those while the laptop enrols with the catalogue.
type waitKeys struct {
	Stop key.Binding
}

func newWaitKeys(lang string) waitKeys {
	return waitKeys{Stop: bind(lang, "Esc", "do_stop_waiting", "esc")}
}

func (k waitKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Stop} }
func (k waitKeys) FullHelp() [][]key.Binding { return each(k.ShortHelp()...) }
