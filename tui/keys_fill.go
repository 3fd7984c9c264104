package tui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
)

// fillKeys are the fill screen's, answering questions. The keys that edit
// the answer being typed belong to bubbles' text input (its DefaultKeyMap,
// which every input of the screen uses); they are taken from there, with
// help, so that the help screen says what the input does.
type fillKeys struct {
	Accept, Up, Down, TabPrev, TabNext, PageUp, PageDown, List, Finish, Back, Remove key.Binding
	// In a list of choices.
	ChoiceUp, ChoiceDown, Pick, Toggle, MultiAccept key.Binding
	// In a rank's order.
	RankHold key.Binding
	// On a repeat.
	AddEntry, GoOn key.Binding
	// In the answer being typed (matched by the text input).
	DeleteBefore, DeleteAfter, DeleteWord, Cursor, LineEnds key.Binding
	// BackRestore is Back as the help screen explains it in full.
	BackRestore key.Binding
	// Help is the root's, shown with the keys of the text being typed
	// since "?" there is text unless the input is empty.
	Help key.Binding
}

func newFillKeys(lang string) fillKeys {
	ti := textinput.DefaultKeyMap
	k := fillKeys{
		Accept:   bind(lang, "Enter", "do_accept", "enter"),
		Up:       bind(lang, "key_updown", "do_move_question", "up"),
		Down:     bind(lang, "key_updown", "do_move_question", "down"),
		TabPrev:  bind(lang, "Tab/Shift+Tab", "do_next_prev", "shift+tab"),
		TabNext:  bind(lang, "Tab/Shift+Tab", "do_next_prev", "tab"),
		PageUp:   bind(lang, "PgUp/PgDn", "do_page", "pgup"),
		PageDown: bind(lang, "PgUp/PgDn", "do_page", "pgdown"),
		List:     bind(lang, "key_ctrl_g", "do_list", "ctrl+g"),
		Finish:   bind(lang, "key_ctrl_f", "do_finish", "ctrl+f"),
		Back:     bind(lang, "Esc", "do_back", "esc"),
		Remove:   bind(lang, "Ctrl+D", "do_remove_entry", "ctrl+d"),

		ChoiceUp:    bind(lang, "key_updown", "do_move", "up"),
		ChoiceDown:  bind(lang, "key_updown", "do_move", "down"),
		Pick:        bind(lang, "Enter", "do_pick", "enter"),
		Toggle:      bind(lang, "key_space", "do_toggle", " "),
		MultiAccept: bind(lang, "Enter", "do_accept", "enter"),
		RankHold:    bind(lang, "key_space", "do_rank_hold", " "),

		AddEntry: bind(lang, "a", "do_add_entry", "a", "+"),
		GoOn:     bind(lang, "Enter", "do_go_on", "enter"),

		DeleteBefore: relabel(lang, ti.DeleteBeforeCursor, "Ctrl+U", "do_delete_before"),
		DeleteAfter:  relabel(lang, ti.DeleteAfterCursor, "Ctrl+K", "do_delete_after"),
		DeleteWord:   relabel(lang, ti.DeleteWordBackward, "Ctrl+W", "do_delete_word"),
		Cursor:       bind(lang, "key_leftright", "do_move_cursor", append(ti.CharacterBackward.Keys(), ti.CharacterForward.Keys()...)...),
		LineEnds:     bind(lang, "Home/End", "do_line_ends", append(ti.LineStart.Keys(), ti.LineEnd.Keys()...)...),
		Help:         newGlobalKeys(lang).Help,
	}
	k.BackRestore = relabel(lang, k.Back, "Esc", "do_back_restore")
	return k
}

func (k fillKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Accept, k.Up, k.Down, k.PageUp, k.PageDown, k.List, k.Finish, k.Back}
}

// FullHelp is the footer's keys one to a line, then the keys of a list of
// choices, of a repeat and of the text being typed, a line each.
func (k fillKeys) FullHelp() [][]key.Binding {
	return append(each(k.ShortHelp()...),
		k.single(), k.multi(), k.rank(), k.repeat(),
		[]key.Binding{k.DeleteBefore, k.DeleteAfter, k.DeleteWord},
		[]key.Binding{k.Cursor, k.LineEnds, k.TabPrev, k.TabNext},
		// A line each: together they are wider than 80 columns in English.
		[]key.Binding{k.BackRestore}, []key.Binding{k.Help},
		[]key.Binding{k.Remove})
}

// The keys of a list of one choice, of several, and of a repeat: the
// help screen lists them, and the question shows them under itself.
func (k fillKeys) single() []key.Binding { return []key.Binding{k.ChoiceUp, k.ChoiceDown, k.Pick} }
func (k fillKeys) multi() []key.Binding  { return []key.Binding{k.Toggle, k.MultiAccept} }
func (k fillKeys) repeat() []key.Binding { return []key.Binding{k.AddEntry, k.GoOn} }
func (k fillKeys) rank() []key.Binding {
	return []key.Binding{k.ChoiceUp, k.ChoiceDown, k.RankHold, k.MultiAccept}
}

// questionsKeys are those of the list of questions (Ctrl+G), which has
// no input: the arrows only move its cursor.
type questionsKeys struct {
	Up, Down, Jump, Close key.Binding
}

func newQuestionsKeys(lang string) questionsKeys {
	return questionsKeys{
		Up:    bind(lang, "key_updown", "do_choose", "up"),
		Down:  bind(lang, "key_updown", "do_choose", "down"),
		Jump:  bind(lang, "Enter", "do_jump", "enter"),
		Close: bind(lang, "Esc", "do_close", "esc"),
	}
}

func (k questionsKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Up, k.Down, k.Jump, k.Close} }
func (k questionsKeys) FullHelp() [][]key.Binding { return each(k.ShortHelp()...) }

// summaryKeys are those of the check before finalizing (Ctrl+F). Enter
// does one of three things, by what the check found: it goes to a
// question still to fix, confirms a warning, or finalizes; forCheck
// enables the keys of what was found.
type summaryKeys struct {
	Up, Down, GoFix, ConfirmWarning, ChangeAnswer, Finalize, Back key.Binding
}

func newSummaryKeys(lang string) summaryKeys {
	return summaryKeys{
		Up:             bind(lang, "key_updown", "do_choose", "up"),
		Down:           bind(lang, "key_updown", "do_choose", "down"),
		GoFix:          bind(lang, "Enter", "do_go_fix", "enter"),
		ConfirmWarning: bind(lang, "Enter", "do_warning_ok", "enter"),
		ChangeAnswer:   bind(lang, "e", "do_change_it", "e"),
		Finalize:       bind(lang, "Enter", "do_finalize", "enter"),
		Back:           bind(lang, "Esc", "do_back", "esc"),
	}
}

// forCheck enables the keys that act on what the check lists: answers
// still missing or wrong, or (warnings) the warnings to confirm, or
// nothing, when the record is ready to finalize.
func (k summaryKeys) forCheck(listed int, warnings bool) summaryKeys {
	k.Up.SetEnabled(listed > 0)
	k.Down.SetEnabled(listed > 0)
	k.GoFix.SetEnabled(listed > 0 && !warnings)
	k.ConfirmWarning.SetEnabled(listed > 0 && warnings)
	k.ChangeAnswer.SetEnabled(listed > 0 && warnings)
	k.Finalize.SetEnabled(listed == 0)
	return k
}

func (k summaryKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.GoFix, k.ConfirmWarning, k.ChangeAnswer, k.Finalize, k.Back}
}
func (k summaryKeys) FullHelp() [][]key.Binding { return each(k.ShortHelp()...) }
