package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// entityMarker is how a finalized record's stored JSON shows it carries
// entity changes: a member named forms.EntitiesKey. Records of forms
// without entities never hold it, so the import's hot path skips them
// with one byte search and decodes nothing.
var entityMarker = []byte(`"` + forms.EntitiesKey + `"`)

// entityWriter applies the entity changes of finalized versions inside
// the transaction that stores them: a record and the entities it creates
// or updates are stored together or not at all. It gathers a batch's
// changes and applies them at finish: the entities they touch are read
// with one query per list and chunk, changed in order in memory (one
// import may register a household and visit it), and written back with
// multi-row statements, as the records themselves are; a statement per
// change was a quarter of an import's time.
//
// The entities are stored sealed (entity_seal.go): each change is applied
// twice, as the clear data says and as the masked data says (the same
// changes, masked by the one masking rule that made the version), and
// what the two differ in is sealed under dk.
type entityWriter struct {
	dk      *seal.DataKey
	changes []forms.EntityChange
	masked  []forms.EntityChange // changes, as the masked data says
	at      []string             // when each change was made
}

// add gathers what a stored version's data says under
// forms.EntitiesKey, clear and masked, made at the stored time at.
func (w *entityWriter) add(data, masked []byte, at string) error {
	if !bytes.Contains(data, entityMarker) {
		return nil
	}
	changes, err := forms.RecordEntityChanges(data)
	if err != nil {
		return err
	}
	maskedChanges, err := forms.RecordEntityChanges(masked)
	if err != nil {
		return err
	}
	if len(maskedChanges) != len(changes) {
		return fmt.Errorf("a record's masked data holds %d entity changes, its data %d", len(maskedChanges), len(changes))
	}
	for i, ch := range changes {
		w.changes = append(w.changes, ch)
		w.masked = append(w.masked, maskedChanges[i])
		w.at = append(w.at, at)
	}
	return nil
}

// visitedAt is when a stored version's entity changes were made, as
// entities keep it (their last visit): the time the record itself says it
// was collected (forms.Instance.VisitTime), not when it was stored, which
// for an imported record may be weeks later; storedAt only for a record
// that does not say.
func visitedAt(visited time.Time, storedAt string) string {
	if visited.IsZero() {
		return storedAt
	}
	return when.Stored(visited)
}

// applyVersionEntities applies one stored version's entity changes (its
// clear data, and masked as stored), made at the stored time at.
func applyVersionEntities(ctx context.Context, tx *sql.Tx, dk *seal.DataKey, data, masked []byte, at string) error {
	w := entityWriter{dk: dk}
	if err := w.add(data, masked, at); err != nil {
		return err
	}
	return w.finish(ctx, tx)
}

type entityKey struct{ list, id string }

// entityChunk bounds the ids one query reads and the rows one statement
// writes (twelve parameters a row): well under SQLite's limit.
const entityChunk = 200

// finish applies the gathered changes: a new entity is version
// BaseVersion+1 (1 for a create), a known one goes one version past the
// laptop's, whatever version the form saw; the catalogue tells stale
// updates apart when the record reaches it. Each is marked as a local
// change not yet confirmed, visited when its record says (visitedAt).
func (w *entityWriter) finish(ctx context.Context, tx *sql.Tx) error {
	if len(w.changes) == 0 {
		return nil
	}
	state, maskedState, err := w.load(ctx, tx)
	if err != nil {
		return err
	}
	var order []entityKey
	visited := map[entityKey]string{}
	lists := map[string]bool{}
	for i, ch := range w.changes {
		k := entityKey{ch.List, ch.ID}
		if _, seen := visited[k]; !seen {
			order = append(order, k)
		}
		visited[k] = w.at[i]
		lists[ch.List] = true
		applyChange(state, k, ch)
		applyChange(maskedState, k, w.masked[i])
	}
	// One row a statement, prepared once: a statement writing many rows
	// needs a statement journal (it must undo its earlier rows if a later
	// one fails), and with entity ids spread over the whole table that
	// journal held a page per row; allocating and freeing it was most of
	// an import of registrations.
	st, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO entities (`+entityReadColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 1, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, k := range order {
		e := maskedState[k]
		props, err := encodeProperties(e.Properties)
		if err != nil {
			return err
		}
		blob, err := sealEntity(w.dk, state[k], e)
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, e.List, e.ID, e.Label, e.Version, e.Township, props, e.Conflict, e.AssignedTo, visited[k], e.Seq, blob); err != nil {
			return err
		}
	}
	return bumpLists(ctx, tx, lists)
}

// applyChange applies one entity change to the entity in state: a new
// entity is version BaseVersion+1.
func applyChange(state map[entityKey]*Entity, k entityKey, ch forms.EntityChange) {
	e := state[k]
	if e == nil {
		e = &Entity{List: ch.List, ID: ch.ID, Version: ch.BaseVersion, Properties: map[string]string{}}
		state[k] = e
	}
	e.Version++
	if ch.Label != "" {
		e.Label = ch.Label
	}
	for name, v := range ch.Properties {
		if v == "" {
			delete(e.Properties, name) // a blank answer clears the property
		} else {
			e.Properties[name] = v
		}
	}
}

// load reads the entities the changes touch that the laptop holds: as
// they are (clear, their sealed part opened) and as stored (masked).
func (w *entityWriter) load(ctx context.Context, tx *sql.Tx) (clear, masked map[entityKey]*Entity, err error) {
	byList := map[string][]any{}
	seen := map[entityKey]bool{}
	for _, ch := range w.changes {
		k := entityKey{ch.List, ch.ID}
		if !seen[k] {
			seen[k] = true
			byList[ch.List] = append(byList[ch.List], ch.ID)
		}
	}
	clear = make(map[entityKey]*Entity, len(seen))
	masked = make(map[entityKey]*Entity, len(seen))
	for list, ids := range byList {
		for len(ids) > 0 {
			chunk := ids[:min(entityChunk, len(ids))]
			ids = ids[len(chunk):]
			err := sqlitedb.Each(ctx, tx, `SELECT `+entityReadColumns+` FROM entities WHERE list = ? AND id IN (?`+
				strings.Repeat(",?", len(chunk)-1)+`)`, append([]any{list}, chunk...), func(row sqlitedb.Scanner) error {
				m, blob, err := scanEntity(row)
				if err != nil {
					return err
				}
				c := m
				c.Properties = maps.Clone(m.Properties)
				if err := openEntity(w.dk, &c, blob); err != nil {
					return err
				}
				k := entityKey{m.List, m.ID}
				clear[k], masked[k] = &c, &m
				return nil
			})
			if err != nil {
				return nil, nil, err
			}
		}
	}
	return clear, masked, nil
}

// sameAnswers reports whether a new version holds the answers of the old
// one: the same bytes, or the same but for the entity changes, whose
// base versions move as the list does (an edit that changes no answer
// would otherwise be a new version, and a new entity version, each time).
func sameAnswers(oldData, newData []byte) (bool, error) {
	if bytes.Equal(oldData, newData) {
		return true, nil
	}
	if !bytes.Contains(newData, entityMarker) || !bytes.Contains(oldData, entityMarker) {
		return false, nil
	}
	a, err := forms.WithEntityChanges(oldData, nil)
	if err != nil {
		return false, err
	}
	b, err := forms.WithEntityChanges(newData, nil)
	return bytes.Equal(a, b), err
}
