package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"

	"github.com/fieldbench/fieldbench/forms"
)

// entityMarker is how a finalized record's stored JSON shows it carries
// entity changes: a member named forms.EntitiesKey. Records of forms
// without entities never hold it, so the import's hot path skips them
// with one byte search and decodes nothing.
var entityMarker = []byte(`"` + forms.EntitiesKey + `"`)

// entityWriter applies the entity changes of finalized versions inside
// the transaction that stores them: a record and the entities it creates
// or updates are stored together or not at all.
type entityWriter struct {
	tx       *sql.Tx
	get, put *sql.Stmt
	lists    map[string]bool
}

// applyRecordEntities applies what a stored version's data says under
// forms.EntitiesKey, made at the stored time at; w is made on first use.
func applyRecordEntities(ctx context.Context, tx *sql.Tx, w **entityWriter, data []byte, at string) error {
	if !bytes.Contains(data, entityMarker) {
		return nil
	}
	changes, err := forms.RecordEntityChanges(data)
	if err != nil || len(changes) == 0 {
		return err
	}
	if *w == nil {
		if *w, err = newEntityWriter(ctx, tx); err != nil {
			return err
		}
	}
	return (*w).apply(ctx, changes, at)
}

// applyVersionEntities applies one stored version's entity changes.
func applyVersionEntities(ctx context.Context, tx *sql.Tx, data []byte, at string) error {
	var w *entityWriter
	if err := applyRecordEntities(ctx, tx, &w, data, at); err != nil {
		return err
	}
	return w.finish(ctx)
}

func newEntityWriter(ctx context.Context, tx *sql.Tx) (*entityWriter, error) {
	w := &entityWriter{tx: tx, lists: map[string]bool{}}
	var err error
	if w.get, err = tx.PrepareContext(ctx, `SELECT version, label, properties, township, conflict, assigned_to, seq
		FROM entities WHERE list = ? AND id = ?`); err != nil {
		return nil, err
	}
	if w.put, err = tx.PrepareContext(ctx, `INSERT OR REPLACE INTO entities (`+entityColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 1)`); err != nil {
		w.get.Close()
		return nil, err
	}
	return w, nil
}

// apply makes each change on the laptop's copy: a new entity is version
// BaseVersion+1 (1 for a create), a known one goes one version past the
// laptop's, whatever version the form saw; the catalogue tells stale
// updates apart when the record reaches it. Each is marked as a local
// change not yet confirmed, visited at at.
func (w *entityWriter) apply(ctx context.Context, changes []forms.EntityChange, at string) error {
	for _, ch := range changes {
		var e Entity
		var props string
		err := w.get.QueryRowContext(ctx, ch.List, ch.ID).Scan(&e.Version, &e.Label, &props, &e.Township, &e.Conflict, &e.AssignedTo, &e.Seq)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			e.Version = ch.BaseVersion
			e.Properties = map[string]string{}
		case err != nil:
			return err
		default:
			if e.Properties, err = decodeProperties(props); err != nil {
				return err
			}
		}
		e.Version++
		if ch.Label != "" {
			e.Label = ch.Label
		}
		for k, v := range ch.Properties {
			if v == "" {
				delete(e.Properties, k) // a blank answer clears the property
			} else {
				e.Properties[k] = v
			}
		}
		if props, err = encodeProperties(e.Properties); err != nil {
			return err
		}
		if _, err := w.put.ExecContext(ctx, ch.List, ch.ID, e.Label, e.Version, e.Township, props, e.Conflict,
			e.AssignedTo, at, e.Seq); err != nil {
			return err
		}
		w.lists[ch.List] = true
	}
	return nil
}

// finish counts the lists' changes and releases the statements; safe on
// a nil writer (no record had changes).
func (w *entityWriter) finish(ctx context.Context) error {
	if w == nil {
		return nil
	}
	w.get.Close()
	w.put.Close()
	return bumpLists(ctx, w.tx, w.lists)
}

// sameAnswers reports whether a new version holds the answers of the old
// one: the same bytes, or the same but for the entity changes, whose
// base versions move as the list does (an edit that changes no answer
// would otherwise be a new version, and a new entity version, each time).
func sameAnswers(oldHash string, oldData []byte, v *Version) (bool, error) {
	if oldHash == v.SHA256 {
		return true, nil
	}
	if !bytes.Contains(v.Data, entityMarker) || !bytes.Contains(oldData, entityMarker) {
		return false, nil
	}
	a, err := forms.WithEntityChanges(oldData, nil)
	if err != nil {
		return false, err
	}
	b, err := forms.WithEntityChanges(v.Data, nil)
	return bytes.Equal(a, b), err
}
