package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
	"github.com/fieldbench/fieldbench/sync"
)

// catalogueDescribe lists the catalogue entries (no form id), shows one,
// or sets elements of one (--set key=value, all checked before any is
// stored).
func (a *App) catalogueDescribe(ctx context.Context, db *catalogue.DB, formID string, assignments []string) int {
	if formID == "" {
		entries, err := db.Entries(ctx)
		if err != nil {
			fmt.Fprintf(a.Stderr, "fieldbench: %v\n", err)
			return exitUnusable
		}
		t := &table{}
		t.add("FORM", "VERSION", "TITLE", "SHARED AS", "CATALOGUE")
		for _, e := range entries {
			t.add(e.FormID, e.Metadata.Version, e.Metadata.Title, e.Metadata.EffectiveSharing(), entryStatus(e.Metadata))
		}
		t.write(a.Stdout)
		return exitOK
	}
	var entry *catalogue.Entry
	var err error
	if len(assignments) == 0 {
		entry, err = db.Entry(ctx, formID)
	} else {
		sets := make([][2]string, 0, len(assignments))
		for _, s := range assignments {
			k, v, perr := resource.ParseAssignment(s)
			if perr != nil {
				fmt.Fprintf(a.Stderr, "fieldbench: --set %q: %v\n", s, perr)
				return exitUnusable
			}
			sets = append(sets, [2]string{k, v})
		}
		entry, err = db.Describe(ctx, formID, sets, "describe")
	}
	switch {
	case errors.Is(err, sync.ErrNotFound):
		fmt.Fprintf(a.Stderr, "fieldbench: no form %q is published in this catalogue\n", forms.Sanitize(formID, false))
		return exitUnusable
	case err != nil:
		fmt.Fprintf(a.Stderr, "fieldbench: %s; nothing was changed\n", forms.Sanitize(err.Error(), false))
		return exitUnusable
	}
	writeEntry(a.Stdout, entry)
	return exitOK
}

// writeEntry shows every element of an entry, set or not, with where its
// value came from, then what is still missing.
func writeEntry(w io.Writer, e *catalogue.Entry) {
	from := map[string]catalogue.Element{}
	for _, el := range e.Elements {
		from[el.Key] = el
	}
	fmt.Fprintf(w, "%s version %s\n", e.FormID, e.Metadata.Version)
	t := &table{}
	t.add("KEY", "ELEMENT", "VALUE", "SET BY")
	for _, key := range resource.Keys() {
		v, src := e.Metadata.Get(key), ""
		if el, ok := from[key]; ok {
			src = el.Source + " " + when.Date(el.SetAt)
		}
		t.add(key, resource.ElementName(key), forms.Sanitize(oneLine(v), false), src)
	}
	t.write(w)
	fmt.Fprintf(w, "shared as %s; %s\n", e.Metadata.EffectiveSharing(), entryStatus(e.Metadata))
}

// entryStatus says whether an entry is complete, naming what is missing.
func entryStatus(m resource.Metadata) string {
	missing := m.Missing()
	if len(missing) == 0 {
		return "catalogued"
	}
	names := make([]string, len(missing))
	for i, k := range missing {
		names[i] = resource.ElementName(k)
	}
	return "not yet catalogued, missing " + strings.Join(names, "、")
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

// reportEntryAfterPublish tells the publisher what the form's settings
// said of its catalogue entry that could not be taken, and what is still
// missing.
func (a *App) reportEntryAfterPublish(ctx context.Context, db *catalogue.DB, f *forms.Form) {
	_, problems := resource.FromSettings(f.Settings)
	for _, p := range problems {
		fmt.Fprintf(a.Stderr, "fieldbench: settings sheet: %s\n", forms.Sanitize(p.Error(), false))
	}
	e, err := db.Entry(ctx, f.ID)
	if err != nil {
		return
	}
	if !e.Metadata.Catalogued() {
		fmt.Fprintf(a.Stdout, "catalogue entry: %s; shared as %s until described (fieldbench catalogue describe %s --set key=value)\n",
			entryStatus(e.Metadata), resource.SharingNone, f.ID)
	}
}
