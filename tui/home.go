package tui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store"
	"github.com/fieldbench/fieldbench/tui/entry"
)

// homeModel is the first screen: the forms installed with their counts,
// who is collecting, what waits to be sent, and the drafts and the edits
// of finalized records to resume.
type homeModel struct {
	c         *common
	forms     []store.FormVersion // the newest version of each form
	drafts    []store.Record
	edits     []store.PendingEdit
	collector string
	waiting   int
	cursor    int  // over forms, then drafts, then edits
	nameW     int  // width of the name column
	counted   bool // the record counts have arrived
	lastSync  time.Time
	toVisit   []store.EntityListSummary // lists with preloaded entities not visited yet
	status    string
	err       error
}

func newHome(c *common) homeModel {
	h := homeModel{c: c}
	h.load()
	return h
}

// load reads what the first frame needs, all of it from indexes that do
// not grow with the number of records; the counts follow (countsCmd).
func (h *homeModel) load() {
	all, err := h.c.db.FormVersions(h.c.ctx)
	if err != nil {
		h.err = err
		return
	}
	newest := map[string]int{}
	var list []store.FormVersion
	for _, fv := range all { // oldest first: the last of a form is its newest
		if i, ok := newest[fv.FormID]; ok {
			list[i] = fv
			continue
		}
		newest[fv.FormID] = len(list)
		list = append(list, fv)
	}
	// A follow-up comes after the forms that register what it follows
	// up, so the workday's order reads top down.
	follows, err := h.c.db.FormsReadingLists(h.c.ctx)
	if err != nil {
		h.err = err
		return
	}
	sort.SliceStable(list, func(i, j int) bool {
		if fi, fj := follows[list[i].FormID], follows[list[j].FormID]; fi != fj {
			return fj
		}
		return list[i].Title < list[j].Title
	})
	h.forms = list
	if h.drafts, err = h.c.db.Drafts(h.c.ctx); err != nil {
		h.err = err
	}
	if h.edits, err = h.c.db.PendingEdits(h.c.ctx); err != nil {
		h.err = err
	}
	h.collector, _ = h.c.db.Collector(h.c.ctx)
	h.lastSync, _ = h.c.db.LastSync(h.c.ctx)
	if h.cursor >= h.rows() {
		h.cursor = 0
	}
}

// countsLoadedMsg brings the record counts, read after the first frame.
type countsLoadedMsg struct {
	counts  map[[2]string]map[store.State]int
	toVisit []store.EntityListSummary
	err     error
}

// countsCmd reads the record counts off the UI goroutine: with 100,000
// records that takes tens of milliseconds, which the first frame should
// not wait for.
func (h homeModel) countsCmd() tea.Cmd {
	db, ctx, entities := h.c.db, h.c.ctx, h.c.entities
	return func() tea.Msg {
		counts, err := db.Counts(ctx)
		if err != nil || entities == nil {
			return countsLoadedMsg{counts: counts, err: err}
		}
		lists, err := entities.EntityLists(ctx)
		var toVisit []store.EntityListSummary
		for _, l := range lists {
			if l.ToVisit > 0 {
				toVisit = append(toVisit, l)
			}
		}
		return countsLoadedMsg{counts: counts, toVisit: toVisit, err: err}
	}
}

func (h *homeModel) applyCounts(msg countsLoadedMsg) {
	if msg.err != nil {
		h.err = msg.err
		return
	}
	h.waiting, h.toVisit = 0, msg.toVisit
	for i := range h.forms {
		total := map[store.State]int{}
		// Counts are per version; the home screen shows a form's total.
		for k, byState := range msg.counts {
			if k[0] == h.forms[i].FormID {
				for s, n := range byState {
					total[s] += n
				}
			}
		}
		h.forms[i].Counts = total
		for _, s := range store.StatesThat(store.State.AwaitsSync) {
			h.waiting += total[s]
		}
	}
	h.counted = true
}

func (h homeModel) update(msg tea.Msg) (homeModel, tea.Cmd) {
	if counts, ok := msg.(countsLoadedMsg); ok {
		h.applyCounts(counts)
		return h, nil
	}
	press, ok := msg.(tea.KeyMsg)
	if !ok {
		return h, nil
	}
	n := h.rows()
	k := h.c.keys().home
	switch {
	case key.Matches(press, k.Up):
		if h.cursor > 0 {
			h.cursor--
		}
	case key.Matches(press, k.Down):
		if h.cursor < n-1 {
			h.cursor++
		}
	case key.Matches(press, k.Open):
		return h, h.open()
	case key.Matches(press, k.Records):
		return h, h.c.navigate(openScreenMsg{screenRecords})
	case key.Matches(press, k.Sync):
		return h, h.c.navigate(openScreenMsg{screenSync})
	case key.Matches(press, k.Settings):
		return h, h.c.navigate(openScreenMsg{screenSettings})
	case key.Matches(press, k.Quality):
		return h, h.openQuality()
	case key.Matches(press, k.Quit):
		return h, tea.Quit
	case key.Matches(press, k.Esc):
		// Esc means back everywhere else; pressed here out of habit it
		// must not end the program, only say how to.
		h.status = h.c.t("home_esc")
	}
	return h, nil
}

// rows is the number of rows the cursor moves over.
func (h homeModel) rows() int { return len(h.forms) + len(h.drafts) + len(h.edits) }

// open starts a record of the chosen form, or resumes the chosen draft or
// edit.
func (h *homeModel) open() tea.Cmd {
	var s *entry.Session
	var err error
	switch {
	case h.cursor < len(h.forms):
		fv := h.forms[h.cursor]
		s, err = entry.New(h.c.ctx, h.c.db, fv.FormID, fv.Version, h.c.lang, h.c.now)
		// A follow-up starts with whom it visits.
		if err == nil && h.c.entities != nil {
			if decl := entry.FollowUp(s.Form); decl != nil {
				return h.c.navigate(openPickMsg{s: s, decl: *decl})
			}
		}
	case h.cursor < len(h.forms)+len(h.drafts):
		s, err = entry.Resume(h.c.ctx, h.c.db, h.drafts[h.cursor-len(h.forms)], h.c.lang, h.c.now)
	case h.cursor < h.rows():
		rec := h.edits[h.cursor-len(h.forms)-len(h.drafts)].Record
		if s, err = entry.Edit(h.c.ctx, h.c.db, rec, h.c.lang, h.c.now); err == nil {
			s.ReturnNote = returnNote(h.c, &rec)
		}
	default:
		return nil
	}
	if err != nil {
		h.status = errLine(h.c, err)
		return nil
	}
	return h.c.navigate(openFillMsg{s: s})
}

// openQuality opens the quality screen on the form under the cursor, or
// the form of the draft under it.
func (h *homeModel) openQuality() tea.Cmd {
	id := ""
	switch {
	case h.cursor < len(h.forms):
		id = h.forms[h.cursor].FormID
	case h.cursor < len(h.forms)+len(h.drafts):
		id = h.drafts[h.cursor-len(h.forms)].FormID
	case h.cursor < h.rows():
		id = h.edits[h.cursor-len(h.forms)-len(h.drafts)].FormID
	default:
		return nil
	}
	return h.c.navigate(openQualityMsg{formID: id, title: h.formTitle(id)})
}

func (h homeModel) view() string {
	h.nameW = 0
	c, th := h.c, h.c.th
	w := c.width
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.t("app")+"  "+c.t("collector")+": "+h.collectorText(), w)))
	b.WriteString("\n\n")
	b.WriteString(th.title.Render(c.t("forms")) + "\n")
	row := 0
	h.nameW = 0
	for _, fv := range h.forms {
		h.nameW = max(h.nameW, ansiWidth(clean(fv.Title)))
	}
	for _, e := range h.edits {
		h.nameW = max(h.nameW, ansiWidth(editName(c, e.Record)))
	}
	h.nameW = min(h.nameW, w/2)
	for _, fv := range h.forms {
		n := func(states ...store.State) string {
			if !h.counted {
				return "-"
			}
			total := 0
			for _, s := range states {
				total += fv.Counts[s]
			}
			return fmt.Sprint(total)
		}
		// Four counts, each state in one (a store test holds the states
		// to that): what is waiting is counted as finalized, what needs
		// attention under "returned".
		counts := fmt.Sprintf("%s %s  %s %s  %s %s  %s %s", c.t("drafts"), n(store.Draft), c.t("finalized"),
			n(store.StatesThat(store.State.AwaitsSync)...), c.t("sent"), n(store.Sent), c.t("returned"),
			n(store.StatesThat(store.State.NeedsAttention)...))
		b.WriteString(h.line(row, clean(fv.Title), counts) + "\n")
		row++
	}
	b.WriteString("\n" + th.title.Render(c.t("resume")) + "\n")
	if len(h.drafts) == 0 {
		b.WriteString("  " + th.dim.Render(c.t("no_drafts")) + "\n")
	}
	// The drafts get what room is left, shared with the edits when there
	// are any; the rest are in Records.
	room := c.height - 10 - len(h.forms)
	if len(h.toVisit) > 0 {
		room--
	}
	editRoom := 0
	if len(h.edits) > 0 {
		room -= 2 // the edits' blank line and title
		editRoom = max(1, min(len(h.edits), room/2))
		room -= editRoom
	}
	for i, d := range h.drafts {
		if i >= max(1, room) {
			b.WriteString("  " + th.dim.Render(fmt.Sprintf("... +%d", len(h.drafts)-i)) + "\n")
			break
		}
		name := clean(d.InstanceName)
		if strings.TrimSpace(name) == "" {
			name = c.t("unnamed")
		}
		b.WriteString(h.line(row, name, clean(h.formTitle(d.FormID))+"  "+when.Minute(d.UpdatedAt)) + "\n")
		row++
	}
	if len(h.edits) > 0 {
		// Apart from the drafts and named by the record they change: the
		// finalized record stands as it is until the edit is saved.
		b.WriteString("\n" + th.title.Render(c.t("edits_title")) + "\n")
		row = len(h.forms) + len(h.drafts)
		for i, e := range h.edits {
			if i >= editRoom {
				b.WriteString("  " + th.dim.Render(fmt.Sprintf("... +%d", len(h.edits)-i)) + "\n")
				break
			}
			b.WriteString(h.line(row, editName(c, e.Record), stateName(c, e.State)+"  "+when.Minute(e.EditedAt)+"  "+clean(h.formTitle(e.FormID))) + "\n")
			row++
		}
	}
	waiting := "-"
	if h.counted {
		waiting = fmt.Sprint(h.waiting)
	}
	last := c.t("never")
	if !h.lastSync.IsZero() {
		last = when.Minute(h.lastSync)
	}
	b.WriteString("\n")
	if len(h.toVisit) > 0 {
		// Preloaded visits: 待走访：households 12  persons 3.
		parts := make([]string, len(h.toVisit))
		for i, l := range h.toVisit {
			parts[i] = fmt.Sprintf("%s %d", clean(l.List), l.ToVisit)
		}
		b.WriteString(th.title.Render(c.t("home_to_visit")+": ") + strings.Join(parts, "  ") + "\n")
	}
	b.WriteString(c.t("last_sync") + ": " + last + "   " + c.t("waiting") + ": " + waiting + "\n")
	return screenFrame(c, b.String(), h.status, h.err, keyLine(c.keys().home.ShortHelp()))
}

func (h homeModel) collectorText() string {
	if h.collector == "" {
		return h.c.t("no_collector")
	}
	return clean(h.collector)
}

func (h homeModel) formTitle(id string) string {
	for _, fv := range h.forms {
		if fv.FormID == id {
			return fv.Title
		}
	}
	return id
}

// line draws one row of the home list, the cursor's row highlighted.
func (h homeModel) line(row int, name, detail string) string {
	th := h.c.th
	w := h.c.width
	nw := max(h.nameW, 12)
	name = pad(name, nw)
	detail = th.dim.Render(fit(detail, w-nw-4))
	if row == h.cursor {
		return th.pointer + " " + th.focus.Render(name) + "  " + detail
	}
	return "  " + name + "  " + detail
}

// screenFrame lays out a screen: the body, padded to the window's height,
// then a status line and the keys line.
func screenFrame(c *common, body, status string, err error, keys string) string {
	th := c.th
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	room := c.height - 2
	if len(lines) > room {
		lines = lines[:max(0, room)]
	}
	for len(lines) < room {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fit(l, c.width)
	}
	st := status
	if err != nil {
		st = th.err.Render(th.errMark + errLine(c, err))
	}
	lines = append(lines, fit(st, c.width), th.key.Render(fit(keys, c.width)))
	return strings.Join(lines, "\n")
}

// editName names an edit in progress by the record it changes, as the
// record was finalized: 修改「张建国」.
func editName(c *common, rec store.Record) string {
	name := clean(rec.InstanceName)
	if strings.TrimSpace(name) == "" {
		name = c.t("unnamed")
	}
	return c.tf("edit_of", name)
}
