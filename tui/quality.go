package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/store"
)

// qualityModel shows the data quality of one form's records on this
// laptop, as fieldbench quality prints it: completeness per question with
// bars, failed and warned answers, duplicated IDs (masked) and records per
// collector per day, one tab each.
type qualityModel struct {
	c       *common
	formID  string
	title   string
	report  *quality.Report
	loading bool
	tab     int // qualityFields, qualityDuplicates or qualityDays
	top     int // first row shown of the tab's list
	rows    int // list rows that fit, from SetSize
	err     error
}

const (
	qualityFields = iota
	qualityDuplicates
	qualityDays
	qualityTabs
)

// qualityHead is the lines above a tab's list: title bar, blank, summary,
// tabs, blank, column header; qualityFoot the status and keys lines.
const qualityHead, qualityFoot = 6, 2

// qualityLoadedMsg brings the report, worked out off the UI goroutine:
// with 100,000 records that takes seconds.
type qualityLoadedMsg struct {
	formID string
	report *quality.Report
	err    error
}

func newQuality(c *common, formID, title string) qualityModel {
	q := qualityModel{c: c, formID: formID, title: title, loading: true}
	q.SetSize(c.width, c.height)
	return q
}

// SetSize lays the screen out for a window of w×h cells: how many rows of
// the list fit, keeping the scroll position inside the list.
func (q *qualityModel) SetSize(w, h int) {
	q.rows = max(1, h-qualityHead-qualityFoot)
	q.top = max(0, min(q.top, q.listLen()-q.rows))
}

func (q qualityModel) loadCmd() tea.Cmd {
	db, ctx, id := q.c.db, q.c.ctx, q.formID
	return func() tea.Msg {
		r, err := db.Quality(ctx, id, quality.Options{})
		return qualityLoadedMsg{id, r, err}
	}
}

func (q qualityModel) update(msg tea.Msg) (qualityModel, tea.Cmd) {
	switch msg := msg.(type) {
	case qualityLoadedMsg:
		if msg.formID != q.formID {
			return q, nil
		}
		q.loading, q.report, q.err = false, msg.report, msg.err
		q.SetSize(q.c.width, q.c.height)
		return q, nil
	case tea.KeyMsg:
		k := q.c.keys().quality
		switch {
		case key.Matches(msg, k.Back):
			return q, q.c.navigate(goHomeMsg{})
		case key.Matches(msg, k.PrevTab):
			q.tab, q.top = (q.tab+qualityTabs-1)%qualityTabs, 0
		case key.Matches(msg, k.NextTab):
			q.tab, q.top = (q.tab+1)%qualityTabs, 0
		case key.Matches(msg, k.Up):
			q.top = max(q.top-1, 0)
		case key.Matches(msg, k.Down):
			q.top = max(0, min(q.top+1, q.listLen()-q.rows))
		case key.Matches(msg, k.PageUp):
			q.top = max(q.top-q.rows, 0)
		case key.Matches(msg, k.PageDown):
			q.top = max(0, min(q.top+q.rows, q.listLen()-q.rows))
		}
	}
	return q, nil
}

func (q qualityModel) listLen() int {
	if q.report == nil {
		return 0
	}
	switch q.tab {
	case qualityDuplicates:
		return len(q.report.Duplicates)
	case qualityDays:
		return len(q.report.Days)
	}
	return len(q.report.Fields)
}

func (q qualityModel) view() string {
	c, th := q.c, q.c.th
	var b strings.Builder
	b.WriteString(th.bar.Render(pad(" "+c.tf("q_title", clean(q.title)), c.width)) + "\n\n")
	r := q.report
	switch {
	case q.loading:
		b.WriteString("  " + c.t("q_loading") + "\n")
	case r == nil:
	case r.Records == 0:
		b.WriteString("  " + c.t("q_no_records") + "\n")
	default:
		var states []string
		for _, s := range r.States {
			states = append(states, stateName(c, store.State(s.State))+" "+fmt.Sprint(s.Records))
		}
		b.WriteString(fit(" "+c.tf("q_summary", r.Records, strings.Join(states, c.t("q_sep")), r.WithErrors, r.WithWarnings), c.width) + "\n")
		b.WriteString(q.tabsLine() + "\n\n")
		var lines []string
		switch q.tab {
		case qualityFields:
			lines = q.fieldLines()
		case qualityDuplicates:
			lines = q.duplicateLines()
		default:
			lines = q.dayLines()
		}
		b.WriteString(th.title.Render(fit(lines[0], c.width)) + "\n")
		body := lines[1:]
		for i := q.top; i < len(body) && i < q.top+q.rows; i++ {
			b.WriteString(body[i] + "\n")
		}
	}
	status := ""
	if n := q.listLen(); n > q.rows {
		status = th.dim.Render(c.tf("q_scroll", q.top+1, min(q.top+q.rows, n), n))
	}
	return screenFrame(c, b.String(), status, q.err, keyLine(c.keys().quality.ShortHelp()))
}

func (q qualityModel) tabsLine() string {
	c, th := q.c, q.c.th
	names := []string{c.t("q_tab_fields"), c.tf("q_tab_dups", len(q.report.Duplicates)), c.t("q_tab_days")}
	var parts []string
	for i, n := range names {
		if i == q.tab {
			parts = append(parts, th.focus.Render(" "+n+" "))
		} else {
			parts = append(parts, " "+n+" ")
		}
	}
	return " " + strings.Join(parts, " ")
}

// bar draws part/whole as w cells of the theme's bar characters.
func (q qualityModel) bar(part, whole, w int) string {
	th := q.c.th
	n := 0
	if whole > 0 {
		n = (part*w + whole/2) / whole
	}
	return th.ok.Render(strings.Repeat(th.barOn, n)) + th.dim.Render(strings.Repeat(th.barOff, w-n))
}

// label is a question's label in the form language, else its key; inside
// a repeat, the repeat's label goes first.
func (q qualityModel) label(f quality.Field) string {
	fd, lang := f.Field, q.c.formLanguage(q.report.Form)
	text := clean(fd.Label.In(lang))
	if text == "" {
		text = clean(f.Key)
	}
	if fd.Repeat != nil {
		if rl := clean(fd.Repeat.Label.In(lang)); rl != "" {
			text = rl + q.c.th.crumb + text
		}
	}
	return text
}

func (q qualityModel) fieldLines() []string {
	c, th := q.c, q.c.th
	const barW = 16
	nameW := max(12, c.width-50)
	head := " " + pad(c.t("q_h_field"), nameW) + " " + pad(c.t("q_h_complete"), barW+5) + "  " +
		padLeft(c.t("q_h_answered"), 9) + " " + padLeft(c.t("q_h_failed"), 6) + " " + padLeft(c.t("q_h_warned"), 6)
	out := []string{head}
	for _, f := range q.report.Fields {
		pct, bar := "   -", strings.Repeat(" ", barW)
		if f.Completeness != nil {
			pct = fmt.Sprintf("%3.0f%%", *f.Completeness*100)
			bar = q.bar(f.Answered, f.Relevant, barW)
		}
		failed, warned := padLeft(fmt.Sprint(f.Failed), 6), padLeft(fmt.Sprint(f.Warned), 6)
		if f.Failed > 0 {
			failed = th.err.Render(failed)
		}
		if f.Warned > 0 {
			warned = th.warn.Render(warned)
		}
		out = append(out, " "+pad(q.label(f), nameW)+" "+bar+" "+pct+"  "+
			padLeft(fmt.Sprintf("%d/%d", f.Answered, f.Relevant), 9)+" "+failed+" "+warned)
	}
	return out
}

// padLeft right-aligns s in w cells.
func padLeft(s string, w int) string {
	s = fit(s, w)
	return strings.Repeat(" ", max(0, w-ansiWidth(s))) + s
}

func (q qualityModel) duplicateLines() []string {
	c := q.c
	out := []string{" " + pad(c.t("q_h_kind"), 10) + pad(c.t("q_h_value"), 20) + padLeft(c.t("q_h_records"), 7) + "  " + c.t("q_h_where")}
	if len(q.report.Duplicates) == 0 {
		return append(out, "  "+c.t("q_no_dups"))
	}
	for _, d := range q.report.Duplicates {
		kind := c.t("q_kind_id")
		if d.Kind == quality.KindCreditCode {
			kind = c.t("q_kind_uscc")
		}
		var where []string
		for _, key := range d.Fields {
			where = append(where, q.labelOfKey(key))
		}
		out = append(out, " "+pad(kind, 10)+pad(clean(d.Value), 20)+padLeft(fmt.Sprint(d.Records), 7)+"  "+
			fit(strings.Join(where, c.t("q_sep")), c.width-40))
	}
	return out
}

// labelOfKey is the label of the question a duplicate was found in.
func (q qualityModel) labelOfKey(key string) string {
	for _, f := range q.report.Fields {
		if f.Key == key {
			return q.label(f)
		}
	}
	return clean(key)
}

func (q qualityModel) dayLines() []string {
	c := q.c
	out := []string{" " + pad(c.t("q_h_day"), 12) + pad(c.t("q_h_collector"), 18) + padLeft(c.t("q_h_records"), 6)}
	most := 0
	for _, d := range q.report.Days {
		most = max(most, d.Records)
	}
	for _, d := range q.report.Days {
		who := clean(d.Collector)
		if who == "" {
			who = c.t("q_no_collector")
		}
		out = append(out, " "+pad(clean(d.Day), 12)+pad(who, 18)+fmt.Sprintf("%6d ", d.Records)+q.bar(d.Records, most, max(4, c.width-40)))
	}
	return out
}
