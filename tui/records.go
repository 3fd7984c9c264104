package tui

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// recordStates are the tabs of the records screen: "" (all of them),
// then every state.
var recordStates = append([]store.State{""}, store.States...)

// recordsModel browses the records by state, searches them, shows one,
// and opens one for editing or discards a draft.
//
// The search matches two ways, since the personal answers are sealed:
// part of the name a list shows (stored without the key's help: numbers
// in it masked, a masked name keeps its surname), and an exact whole
// value of a personal answer (a full name, ID or phone number) by its
// blind index (store.RecordsByIndex). Only whole values are indexed: an
// index of every prefix would let whoever copies the database try
// surnames and birth dates one character at a time.
type recordsModel struct {
	c         *common
	state     int // index into recordStates
	all       []store.Record
	lower     []string       // all's instance names in lower case, for the search
	current   map[string]int // all's index by head version id (a draft's: record id)
	matched   []bool         // the records the blind index matched, by index in all
	shown     []store.Record
	cursor    int
	search    textinput.Model
	searching bool
	viewing   *store.Record // the record shown in full
	viewLines []string
	scroll    int
	editing   map[string]bool // records with an edit in progress
	status    string
	err       error
}

func newRecords(c *common) recordsModel {
	r := recordsModel{c: c, search: textinput.New()}
	r.search.Prompt = "/ "
	r.search.Placeholder = c.t("search")
	r.load()
	return r
}

func (r *recordsModel) load() {
	recs, err := r.c.db.Records(r.c.ctx, store.Filter{State: recordStates[r.state]})
	r.all, r.err = recs, err
	edits, err := r.c.db.PendingEdits(r.c.ctx)
	if err != nil {
		r.err = err
	}
	r.editing = map[string]bool{}
	for _, e := range edits {
		r.editing[e.ID] = true
	}
	r.lower, r.matched = make([]string, len(r.all)), make([]bool, len(r.all))
	r.current = make(map[string]int, len(r.all))
	for i, rec := range r.all {
		r.lower[i] = strings.ToLower(rec.InstanceName)
		r.current[rec.IndexOwner()] = i
	}
	r.applySearch()
}

// applySearch filters the list by the search text, once per keystroke:
// a substring of the names held in memory, and one indexed look-up of
// the text's blind index for a text long enough to be a whole value.
func (r *recordsModel) applySearch() {
	typed := strings.TrimSpace(r.search.Value())
	q := strings.ToLower(typed)
	clear(r.matched)
	if utf8.RuneCountInString(typed) >= minExactSearch {
		exact, err := r.c.db.RecordsByIndex(r.c.ctx, typed)
		if err != nil {
			r.err = err
		}
		// From the few matches to the list, not a look-up per record.
		for owner := range exact {
			if i, ok := r.current[owner]; ok {
				r.matched[i] = true
			}
		}
	}
	r.shown = r.shown[:0]
	for i, rec := range r.all {
		if q == "" || r.matched[i] || strings.Contains(r.lower[i], q) {
			r.shown = append(r.shown, rec)
		}
	}
	r.cursor = min(r.cursor, max(len(r.shown)-1, 0))
}

// minExactSearch is the shortest text looked up by blind index: a
// Chinese name has two characters at least.
const minExactSearch = 2

// discardDraftMsg is the yes to the question whether to discard a draft,
// or (edit) a finalized record's edit in progress.
type discardDraftMsg struct {
	id   string
	edit bool
}

func (r recordsModel) update(msg tea.Msg) (recordsModel, tea.Cmd) {
	if d, ok := msg.(discardDraftMsg); ok {
		r.status, r.err = "", nil
		discard, done := r.c.db.DiscardDraft, "discarded"
		if d.edit {
			discard, done = r.c.db.DiscardEdit, "edit_discarded"
		}
		if err := discard(r.c.ctx, d.id); err != nil {
			r.err = err
		} else {
			r.status = r.c.t(done)
			r.load()
		}
		return r, nil
	}
	press, ok := msg.(tea.KeyMsg)
	if !ok {
		return r, nil
	}
	r.status, r.err = "", nil
	if r.searching {
		if key.Matches(press, r.c.keys().records.EndSearch) {
			r.searching = false
			r.search.Blur()
			return r, nil
		}
		var cmd tea.Cmd
		r.search, cmd = r.search.Update(press)
		r.applySearch()
		return r, cmd
	}
	if r.viewing != nil {
		k := r.c.keys().record
		switch {
		case key.Matches(press, k.Back):
			r.viewing = nil
		case key.Matches(press, k.Up):
			r.scroll = max(r.scroll-1, 0)
		case key.Matches(press, k.Down):
			r.scroll = min(r.scroll+1, max(len(r.viewLines)-1, 0))
		case key.Matches(press, k.Edit):
			return r, r.edit(*r.viewing)
		}
		return r, nil
	}
	k := r.c.keys().records
	switch {
	case key.Matches(press, k.Back):
		return r, r.c.navigate(goHomeMsg{})
	case key.Matches(press, k.PrevState):
		r.state = (r.state + len(recordStates) - 1) % len(recordStates)
		r.load()
	case key.Matches(press, k.NextState):
		r.state = (r.state + 1) % len(recordStates)
		r.load()
	case key.Matches(press, k.Up):
		r.cursor = max(r.cursor-1, 0)
	case key.Matches(press, k.Down):
		r.cursor = min(r.cursor+1, max(len(r.shown)-1, 0))
	case key.Matches(press, k.Search):
		r.searching = true
		return r, r.search.Focus()
	case key.Matches(press, k.Open):
		if len(r.shown) > 0 {
			r.open(r.shown[r.cursor])
		}
	case key.Matches(press, k.Edit):
		if len(r.shown) > 0 {
			return r, r.edit(r.shown[r.cursor])
		}
	case key.Matches(press, k.Discard):
		// A draft is deleted; a finalized record never is, only its
		// edit in progress is dropped.
		if len(r.shown) > 0 && (r.shown[r.cursor].State == store.Draft || r.editing[r.shown[r.cursor].ID]) {
			rec := r.shown[r.cursor]
			name := cmp.Or(strings.TrimSpace(clean(rec.InstanceName)), r.c.t("unnamed"))
			if rec.State == store.Draft {
				return r, r.c.ask(askMsg{question: r.c.tf("discard_ask", name),
					yes: r.c.t("discard_yes"), no: r.c.t("keep"), onYes: discardDraftMsg{id: rec.ID}})
			}
			return r, r.c.ask(askMsg{question: r.c.tf("discard_edit_ask", name),
				yes: r.c.t("discard_edit_yes"), no: r.c.t("keep"), onYes: discardDraftMsg{id: rec.ID, edit: true}})
		}
	}
	return r, nil
}

// edit resumes a draft, or opens a finalized record to make a new version.
func (r *recordsModel) edit(rec store.Record) tea.Cmd {
	var s *entry.Session
	var err error
	if rec.State == store.Draft {
		s, err = entry.Resume(r.c.ctx, r.c.db, rec, r.c.lang, r.c.now)
	} else {
		s, err = entry.Edit(r.c.ctx, r.c.db, rec, r.c.lang, r.c.now)
	}
	if errors.Is(err, store.ErrMaskedOnly) {
		// The record's view says why, at length, and what to do.
		r.open(rec)
		r.status = r.c.t("masked_only_edit")
		return nil
	}
	if err != nil {
		r.err = err
		return nil
	}
	s.ReturnNote = returnNote(r.c, &rec)
	return r.c.navigate(openFillMsg{s: s})
}

// open shows a record's answers, labelled, in form order.
func (r *recordsModel) open(rec store.Record) {
	full, err := r.c.db.Record(r.c.ctx, rec.ID)
	if err != nil {
		r.err = err
		return
	}
	r.viewing, r.scroll = full, 0
	r.viewLines = []string{clean(full.InstanceName), fmt.Sprintf("%s  %s  %s", stateName(r.c, full.State), clean(full.Collector), when.Minute(full.UpdatedAt))}
	r.viewLines = append(r.viewLines, r.why(full)...)
	if full.MaskedOnly {
		r.viewLines = append(r.viewLines, r.c.t("masked_only"))
	}
	if r.editing[full.ID] {
		r.viewLines = append(r.viewLines, r.c.t("edit_view_hint"))
	}
	r.viewLines = append(r.viewLines, "")
	form, err := r.c.db.Form(r.c.ctx, full.FormID, full.FormVersion)
	obj, derr := forms.DecodeRecord(full.Data)
	if err != nil || derr != nil {
		r.viewLines = append(r.viewLines, clean(string(full.Data)))
		return
	}
	r.viewLines = append(r.viewLines, answerLines(form, r.c.formLanguage(form), form.Root.Children, obj, "")...)
}

// returnNote is the reviewer's comment shown above the fill screen while
// a returned record is corrected; "" for any other record.
func returnNote(c *common, rec *store.Record) string {
	if rec.State != store.Returned {
		return ""
	}
	return recordWhy(c, rec)[0]
}

// why is what came back with a record that needs the collector: the
// reviewer's comment of a returned record, the catalogue's reason for a
// conflict or a rejection.
func (r *recordsModel) why(rec *store.Record) []string { return recordWhy(r.c, rec) }

func recordWhy(c *common, rec *store.Record) []string {
	switch rec.State {
	case store.Returned:
		ret, err := c.db.LastReturn(c.ctx, rec.ID)
		if err != nil || ret == nil {
			note, _ := c.db.SyncNote(c.ctx, rec.ID)
			return []string{c.t("review_comment") + ": " + clean(note)}
		}
		return []string{c.tf("returned_by", clean(ret.Reviewer), when.Minute(ret.ReviewedAt)) + ": " + clean(ret.Comment), c.t("returned_hint")}
	case store.Conflict, store.Rejected:
		note, _ := c.db.SyncNote(c.ctx, rec.ID)
		return []string{c.t("sync_reason") + ": " + clean(note)}
	}
	return nil
}

// answerLines lists a record's answers as "label: answer", repeats
// numbered and indented.
func answerLines(f *forms.Form, lang string, fields []*forms.Field, obj map[string]any, indent string) []string {
	var out []string
	for _, fd := range fields {
		label := clean(fd.Label.In(lang))
		if label == "" {
			label = fd.Name
		}
		switch {
		case fd.Type == forms.TypeGroup:
			out = append(out, answerLines(f, lang, fd.Children, obj, indent)...)
		case fd.Type == forms.TypeRepeat:
			items, _ := obj[fd.Key].([]any)
			for i, it := range items {
				sub, _ := it.(map[string]any)
				out = append(out, fmt.Sprintf("%s%s %d", indent, label, i+1))
				out = append(out, answerLines(f, lang, fd.Children, sub, indent+"  ")...)
			}
		case fd.Type.IsMeta() || fd.Calculation != nil:
			// Worked out, not answered: the header says who and when.
		case fd.Type.HasAnswer():
			v, ok := obj[fd.Key]
			if !ok {
				continue
			}
			var s string
			switch x := v.(type) {
			case string:
				s = x
			case json.Number:
				s = x.String()
			default:
				b, _ := json.Marshal(x)
				s = string(b)
			}
			if list := f.Lists[fd.ListName]; list != nil {
				s = choiceLabels(list, s, lang)
			}
			out = append(out, indent+label+": "+clean(s))
		}
	}
	return out
}

func (r recordsModel) view() string {
	c, th := r.c, r.c.th
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.t("records_title"), c.width)) + "\n")
	if r.viewing != nil {
		var lines []string
		for _, l := range r.viewLines[min(r.scroll, len(r.viewLines)):] {
			lines = append(lines, wrap(l, c.width)...)
		}
		for i, l := range lines {
			if i >= c.height-4 {
				break
			}
			b.WriteString(l + "\n")
		}
		return screenFrame(c, b.String(), r.status, r.err, keyLine(c.keys().record.ShortHelp()))
	}
	var tabs []string
	for i, s := range recordStates {
		name := c.t("all")
		if s != "" {
			name = stateName(c, s)
		}
		if i == r.state {
			name = th.focus.Render(name)
		}
		tabs = append(tabs, name)
	}
	b.WriteString(strings.Join(tabs, "  ") + "\n")
	if r.searching || r.search.Value() != "" {
		b.WriteString(r.search.View() + "\n")
	} else {
		b.WriteString("\n")
	}
	if len(r.shown) == 0 {
		b.WriteString("  " + th.dim.Render(c.t("no_records")) + "\n")
	}
	rows := c.height - 6
	first := max(0, min(r.cursor-rows/2, len(r.shown)-rows))
	for i := first; i < len(r.shown) && i < first+rows; i++ {
		rec := r.shown[i]
		name := clean(rec.InstanceName)
		if strings.TrimSpace(name) == "" {
			name = c.t("unnamed")
		}
		detail := stateName(c, rec.State) + "  " + clean(rec.FormID) + "  " + when.Minute(rec.UpdatedAt)
		if r.editing[rec.ID] {
			detail = stateName(c, rec.State) + "  " + c.t("edit_unsaved") + "  " + clean(rec.FormID) + "  " + when.Minute(rec.UpdatedAt)
		}
		if i == r.cursor {
			b.WriteString(th.pointer + " " + th.focus.Render(fit(name, c.width/2-4)) + "  " + th.dim.Render(fit(detail, c.width-c.width/2-2)) + "\n")
		} else {
			b.WriteString("  " + fit(name, c.width/2-4) + "  " + th.dim.Render(fit(detail, c.width-c.width/2-2)) + "\n")
		}
	}
	return screenFrame(c, b.String(), r.status, r.err, keyLine(c.keys().records.ShortHelp()))
}

// stateName is a record state in the interface language.
func stateName(c *common, s store.State) string { return c.t(stateKey(s)) }

// stateKey is a state's word in uiText: its own name, but for drafts,
// whose word is plural because it is also Home's heading for them.
func stateKey(s store.State) string {
	if s == store.Draft {
		return "drafts"
	}
	return string(s)
}
