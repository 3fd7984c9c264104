package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/fieldbench/fieldbench/forms/quality"
)

// runQuality prints the data quality of one form's records on this laptop:
// completeness, failed and warned answers per question, duplicated
// identifiers (masked), and records per collector per day.
func (a *App) runQuality(args []string) int {
	fs := a.newFlagSet("quality")
	sf := a.addStoreFlags(fs)
	formID := fs.String("form", "", a.t("flag.quality_form"))
	asJSON := fs.Bool("json", false, a.t("flag.quality_json"))
	a.addLangFlag(fs)
	fs.Usage = func() {
		a.saySyntax(a.Stderr, "quality.usage")
		a.sayWrapped(a.Stderr, "quality.help")
		a.printFlags(a.Stderr, fs)
	}
	if err := a.parseFlags(fs, reorderFlags(fs, args)); err != nil {
		return exitUnusable
	}
	if *formID == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitUnusable
	}
	db, ok := a.openStore(sf)
	if !ok {
		return exitUnusable
	}
	defer db.Close()
	ctx := context.Background()
	if _, _, ok := a.registeredForm(ctx, db, *formID, ""); !ok {
		return exitUnusable
	}
	r, err := db.Quality(ctx, *formID, quality.Options{})
	if err != nil {
		a.fail("plain", clean(err.Error()))
		return exitUnusable
	}
	if *asJSON {
		enc := json.NewEncoder(a.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			a.fail("plain", clean(err.Error()))
			return exitUnusable
		}
		return exitOK
	}
	a.writeQuality(a.Stdout, r)
	return exitOK
}

// barWidth is the cells of a completeness bar in the table.
const barWidth = 10

// bar draws part/whole as barWidth cells of # on dots: ASCII, so it reads
// the same in a pipe, a log and any console.
func bar(part, whole int) string {
	n := 0
	if whole > 0 {
		n = (part*barWidth + whole/2) / whole
	}
	return strings.Repeat("#", n) + strings.Repeat(".", barWidth-n)
}

func (a *App) writeQuality(w io.Writer, r *quality.Report) {
	var states []string
	for _, s := range r.States {
		states = append(states, fmt.Sprintf("%s %d", s.State, s.Records))
	}
	if len(states) == 0 {
		states = append(states, a.t("quality.none_yet"))
	}
	a.say(w, "quality.head", clean(r.Title), clean(r.FormID), a.nf("n_records", r.Records, r.Records), strings.Join(states, ", "))
	a.say(w, "quality.with_problems", r.WithErrors, r.WithWarnings)
	fmt.Fprintln(w)

	var t table
	t.add(a.heads("h.field", "h.in", "h.complete", "", "h.answered", "h.failed", "h.warned")...)
	for _, f := range r.Fields {
		pct, b := "-", strings.Repeat(" ", barWidth)
		if f.Completeness != nil {
			pct = fmt.Sprintf("%.0f%%", *f.Completeness*100)
			b = bar(f.Answered, f.Relevant)
		}
		t.add(clean(f.Key), clean(f.Repeat), b, pct, fmt.Sprintf("%d/%d", f.Answered, f.Relevant),
			fmt.Sprint(f.Failed), fmt.Sprint(f.Warned))
	}
	t.write(w)

	fmt.Fprintln(w)
	a.say(w, "quality.duplicates", len(r.Duplicates))
	if len(r.Duplicates) > 0 {
		var d table
		d.add(a.heads("h.kind", "h.value", "h.records", "h.fields", "h.record_ids")...)
		for _, g := range r.Duplicates {
			ids := g.IDs
			more := ""
			if len(ids) > 3 {
				ids, more = ids[:3], fmt.Sprintf(" (+%d)", g.Records-3)
			}
			for i := range ids {
				ids[i] = clean(ids[i])
			}
			d.add(g.Kind, clean(g.Value), fmt.Sprint(g.Records), clean(strings.Join(g.Fields, ", ")), strings.Join(ids, ", ")+more)
		}
		d.write(w)
	}

	fmt.Fprintln(w)
	a.say(w, "quality.per_day")
	most := 0
	for _, d := range r.Days {
		most = max(most, d.Records)
	}
	var c table
	c.add(a.heads("h.day", "h.collector", "h.records", "")...)
	for _, d := range r.Days {
		who := clean(d.Collector)
		if who == "" {
			who = a.t("quality.not_set")
		}
		c.add(clean(d.Day), who, fmt.Sprint(d.Records), strings.TrimRight(bar(d.Records, most), "."))
	}
	c.write(w)
}
