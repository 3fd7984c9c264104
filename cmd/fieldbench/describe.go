package main

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/catalogue"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// catalogueDescribe lists the catalogue entries (no form id), shows one,
// or sets elements of one (--set key=value, all checked before any is
// stored).
func (a *App) catalogueDescribe(ctx context.Context, db *catalogue.DB, formID string, assignments []string) error {
	if formID == "" {
		entries, err := db.Entries(ctx)
		if err != nil {
			return err
		}
		t := &table{}
		t.add(a.heads("h.form", "h.version", "h.title", "h.shared_as", "h.catalogue")...)
		for _, e := range entries {
			t.add(e.FormID, e.Metadata.Version, e.Metadata.Title, e.Metadata.EffectiveSharing(), a.entryStatus(e.Metadata))
		}
		t.write(a.Stdout)
		return nil
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
				return a.failed("describe.bad_set", s, perr.Error())
			}
			sets = append(sets, [2]string{k, v})
		}
		entry, err = db.Describe(ctx, formID, sets, "describe")
	}
	switch {
	case errors.Is(err, wire.ErrNotFound):
		return a.failed("describe.not_published", formID)
	case err != nil:
		return a.failed("describe.unchanged", err.Error())
	}
	a.writeEntry(a.Stdout, entry)
	return nil
}

// writeEntry shows every element of an entry, set or not, with where its
// value came from, then what is still missing.
func (a *App) writeEntry(w io.Writer, e *catalogue.Entry) {
	from := map[string]catalogue.Element{}
	for _, el := range e.Elements {
		from[el.Key] = el
	}
	a.say(w, "describe.head", e.FormID, e.Metadata.Version)
	t := &table{}
	t.add(a.heads("h.key", "h.element", "h.value", "h.set_by")...)
	for _, key := range resource.Keys() {
		v, src := e.Metadata.Get(key), ""
		if el, ok := from[key]; ok {
			src = el.Source + " " + when.Date(el.SetAt)
		}
		t.add(key, resource.ElementName(key), oneLine(v), src)
	}
	t.write(w)
	a.say(w, "describe.shared_as", e.Metadata.EffectiveSharing(), a.entryStatus(e.Metadata))
}

// entryStatus says whether an entry is complete, naming what is missing.
func (a *App) entryStatus(m resource.Metadata) string {
	missing := m.Missing()
	if len(missing) == 0 {
		return a.t("describe.catalogued")
	}
	names := make([]string, len(missing))
	for i, k := range missing {
		names[i] = resource.ElementName(k)
	}
	return a.f("describe.missing", strings.Join(names, "、"))
}

func oneLine(s string) string {
	return cutCell(strings.Join(strings.Fields(s), " "), 40)
}

// reportEntryAfterPublish tells the publisher what the form's settings
// said of its catalogue entry that could not be taken, and what is still
// missing.
func (a *App) reportEntryAfterPublish(ctx context.Context, db *catalogue.DB, f *forms.Form) {
	_, problems := resource.FromSettings(f.Settings)
	for _, p := range problems {
		a.fail("describe.settings_problem", p.Error())
	}
	e, err := db.Entry(ctx, f.ID)
	if err != nil {
		return
	}
	if !e.Metadata.Catalogued() {
		a.say(a.Stdout, "describe.after_publish", a.entryStatus(e.Metadata), resource.SharingNone, f.ID)
	}
}
