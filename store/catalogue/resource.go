package catalogue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/catalogue/resource"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// Element is one stored element of a form's catalogue entry and where its
// value came from: "form VERSION" (the settings sheet of that published
// version) or what `catalogue describe` was told ("describe").
type Element struct {
	Key, Value, Source string
	SetAt              time.Time
}

// Entry is a form's entry in the resource catalogue.
type Entry struct {
	FormID   string
	Metadata resource.Metadata
	Elements []Element
}

// Describe checks and stores elements of a form's catalogue entry, all or
// none: one value that does not pass its check changes nothing. An empty
// value clears the element. source says who set them.
func (db *DB) Describe(ctx context.Context, formID string, sets [][2]string, source string) (*Entry, error) {
	var probe resource.Metadata
	for _, kv := range sets {
		if err := probe.Set(kv[0], kv[1]); err != nil && !isWarning(err) {
			return nil, err
		}
	}
	err := db.tx(ctx, func(tx txn) error {
		var version, title string
		err := tx.QueryRowContext(ctx, qFormLatest, formID).Scan(&version, &title)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("form %q: %w", formID, wire.ErrNotFound)
		}
		if err != nil {
			return err
		}
		return db.setElements(ctx, tx, formID, normalised(sets), source)
	})
	if err != nil {
		return nil, err
	}
	return db.Entry(ctx, formID)
}

// normalised turns each key=value into the element's key and its checked,
// normalised value, as Set stores it; a clearing stays "".
func normalised(sets [][2]string) [][2]string {
	out := make([][2]string, 0, len(sets))
	for _, kv := range sets {
		var m resource.Metadata
		m.Set(kv[0], kv[1])
		key := resource.CanonicalKey(kv[0])
		out = append(out, [2]string{key, m.Get(key)})
	}
	return out
}

func isWarning(err error) bool {
	var p *resource.Problem
	return errors.As(err, &p) && p.Warning
}

// describeFromSettings stores the elements a published version's settings
// sheet states (the form author's latest word on each); what it does not
// state keeps its earlier value. Values that fail their check are left
// out: the publisher is told by the caller, and the form is published.
func (db *DB) describeFromSettings(ctx context.Context, tx txn, f *forms.Form) error {
	md, _ := resource.FromSettings(f.Settings)
	var sets [][2]string
	for _, key := range resource.Keys() {
		if v := md.Get(key); v != "" {
			sets = append(sets, [2]string{key, v})
		}
	}
	return db.setElements(ctx, tx, f.ID, sets, "form "+f.Version)
}

// setElements writes the changed elements and appends each change to the
// history.
func (db *DB) setElements(ctx context.Context, tx txn, formID string, sets [][2]string, source string) error {
	at := db.stamp()
	for _, kv := range sets {
		var have string
		err := tx.QueryRowContext(ctx, qElementGet, formID, kv[0]).Scan(&have)
		switch {
		case errors.Is(err, sql.ErrNoRows) && kv[1] == "":
			continue
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case have == kv[1]:
			continue
		}
		q, args := qElementSet, []any{formID, kv[0], kv[1], source, at}
		if kv[1] == "" {
			q, args = qElementClear, []any{formID, kv[0]}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, qElementHistory, formID, kv[0], kv[1], source, at); err != nil {
			return err
		}
	}
	return nil
}

// Entry returns a form's catalogue entry: its stored elements, the title
// of its latest version when no name was given, and that version.
// wire.ErrNotFound for a form never published.
func (db *DB) Entry(ctx context.Context, formID string) (*Entry, error) {
	e := &Entry{FormID: formID}
	var version, title string
	err := db.queryRow(ctx, qFormLatest, formID).Scan(&version, &title)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("form %q: %w", formID, wire.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	err = sqlitedb.Each(ctx, db.reads(), qElements, []any{formID}, func(row sqlitedb.Scanner) error {
		var el Element
		if err := row.Scan(&el.Key, &el.Value, &el.Source, when.Column(&el.SetAt)); err != nil {
			return err
		}
		// Stored values passed their check when set; one a later release
		// checks more strictly stays listed but out of the metadata.
		if err := e.Metadata.Set(el.Key, el.Value); err == nil || isWarning(err) {
			e.Elements = append(e.Elements, el)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if e.Metadata.Title == "" {
		e.Metadata.Title = title
	}
	e.Metadata.Version = version
	return e, nil
}

// Entries returns the catalogue entry of every published form.
func (db *DB) Entries(ctx context.Context) ([]*Entry, error) {
	ids, err := sqlitedb.QueryAll(ctx, db.reads(), sqlitedb.Value[string], qFormIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*Entry, 0, len(ids))
	for _, id := range ids {
		e, err := db.Entry(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
