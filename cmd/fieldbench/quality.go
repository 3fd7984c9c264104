package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/store"
)

// qualityCommand prints the data quality of one form's records on this
// laptop: completeness, failed and warned answers per question,
// duplicated identifiers (masked), and records per collector per day.
func (a *App) qualityCommand() *Command {
	c := a.leaf("quality")
	c.Summary, c.Usage, c.Help, c.Args = "cmd.quality", "quality.usage", []string{"quality.help"}, exactly(0)
	sf := a.addStoreFlags(c.Flags)
	formID := c.Flags.String("form", "", a.t("flag.quality_form"))
	asJSON := c.Flags.Bool("json", false, a.t("flag.quality_json"))
	c.Run = func(ctx context.Context, _ []string) error {
		if *formID == "" {
			return errUsage
		}
		db, err := a.openLaptopStore(sf, store.CreateDir())
		if err != nil {
			return err
		}
		defer db.Close()
		if _, _, err := a.findRegisteredForm(ctx, db, *formID, ""); err != nil {
			return err
		}
		r, err := db.Quality(ctx, *formID, quality.Options{})
		if err != nil {
			return err
		}
		if *asJSON {
			enc := json.NewEncoder(a.Stdout)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			return enc.Encode(r)
		}
		a.writeQuality(a.Stdout, r)
		return nil
	}
	return c
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
	a.say(w, "quality.head", r.Title, r.FormID, a.nf("n_records", r.Records, r.Records), strings.Join(states, ", "))
	a.say(w, "quality.with_problems", r.WithErrors, r.WithWarnings)
	blankLine(w)

	var t table
	t.add(a.heads("h.field", "h.in", "h.complete", "", "h.answered", "h.failed", "h.warned")...)
	for _, f := range r.Fields {
		pct, b := "-", strings.Repeat(" ", barWidth)
		if f.Completeness != nil {
			pct = fmt.Sprintf("%.0f%%", *f.Completeness*100)
			b = bar(f.Answered, f.Relevant)
		}
		t.add(f.Key, f.Repeat, b, pct, fmt.Sprintf("%d/%d", f.Answered, f.Relevant),
			fmt.Sprint(f.Failed), fmt.Sprint(f.Warned))
	}
	t.write(w)

	blankLine(w)
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
			d.add(g.Kind, g.Value, fmt.Sprint(g.Records), strings.Join(g.Fields, ", "), strings.Join(ids, ", ")+more)
		}
		d.write(w)
	}

	blankLine(w)
	a.say(w, "quality.per_day")
	most := 0
	for _, d := range r.Days {
		most = max(most, d.Records)
	}
	var c table
	c.add(a.heads("h.day", "h.collector", "h.records", "")...)
	for _, d := range r.Days {
		who := d.Collector
		if who == "" {
			who = a.t("quality.not_set")
		}
		c.add(d.Day, who, fmt.Sprint(d.Records), strings.TrimRight(bar(d.Records, most), "."))
	}
	c.write(w)
}
