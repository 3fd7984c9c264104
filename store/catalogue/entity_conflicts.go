package catalogue

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// Reviewers resolve the conflicts stale updates open: in their county
// only (a conflict elsewhere is answered as one that does not exist), the
// properties masked unless a reviewer with clearance asks for them in
// clear, which is recorded as any clear view is.

// noConflict is the answer for a conflict the user cannot see.
func noConflict(id string) error { return fmt.Errorf("entity conflict %s: %w", id, wire.ErrNotFound) }

// EntityConflicts lists the open conflicts of the reviewer's county, oldest
// first; see wire.EntityConflict.
func (db *DB) EntityConflicts(ctx context.Context, u *wire.User, view wire.ReviewView) ([]wire.EntityConflict, error) {
	out, err := countyView(ctx, db, u, view, "conflicts", scanConflict, qEntityConflictsOpen)
	if err != nil || view.Clear {
		return out, err
	}
	ms := &maskers{db: db, byID: map[string]*entityMasker{}}
	for i := range out {
		c := &out[i]
		m, err := ms.of(ctx, c.List)
		if err != nil {
			return nil, err
		}
		c.Label = forms.MaskEmbeddedIDs(c.Label)
		for _, props := range []map[string]string{c.Current, c.Before} {
			for k, v := range props {
				props[k] = forms.MaskAnswer(m.fields[k], v)
			}
		}
		c.Masked = true
	}
	return out, nil
}

// countyView is a list of the reviewer's county, read by query q (whose
// one argument is the county's LIKE pattern) and scan. In clear only for
// a reviewer with clearance, and a clear view that shows anything is
// recorded (the list's what as the file) before it is given.
func countyView[T any](ctx context.Context, db *DB, u *wire.User, view wire.ReviewView, what string,
	scan func(sqlitedb.Scanner) (T, error), q string) ([]T, error) {
	if err := mayReview(u); err != nil {
		return nil, err
	}
	if err := mayViewClear(u, view); err != nil {
		return nil, err
	}
	out, err := listed(sqlitedb.QueryAll(ctx, db.reads(), scan, q, u.County+"%"))
	if err != nil || !view.Clear || len(out) == 0 {
		return out, err
	}
	if err := db.recordEntitiesView(ctx, what, "", u.ID, "", view.Remote); err != nil {
		return nil, fmt.Errorf("the view could not be recorded, so the %s are not shown in clear: %w", what, err)
	}
	return out, nil
}

func scanConflict(row sqlitedb.Scanner) (wire.EntityConflict, error) {
	var c wire.EntityConflict
	var current, before string
	if err := row.Scan(&c.ID, &c.List, &c.EntityID, &c.Label, &c.Township, &c.Version, &c.BaseVersion, &c.Previous,
		&current, &before, &c.DeviceID, &c.OpenedAt); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(current), &c.Current); err != nil {
		return c, err
	}
	return c, json.Unmarshal([]byte(before), &c.Before)
}

// ResolveEntityConflict resolves an open conflict of the reviewer's county
// as res says, making a new version of the entity that laptops download;
// the entity stays flagged while it has other open conflicts. Errors wrap
// ErrForbidden, ErrNotFound (no such open conflict in the county) or
// ErrInvalid (a resolution that is none); nothing is stored then.
func (db *DB) ResolveEntityConflict(ctx context.Context, u *wire.User, conflictID string, res wire.EntityResolution) (*wire.Entity, error) {
	if err := mayReview(u); err != nil {
		return nil, err
	}
	switch res.Keep {
	case wire.KeepCurrent, wire.KeepPrevious:
		if len(res.Properties) > 0 {
			return nil, fmt.Errorf("%w: properties are given only with keep %q", wire.ErrInvalid, wire.KeepSet)
		}
	case wire.KeepSet:
		if len(res.Properties) == 0 {
			return nil, fmt.Errorf("%w: keep %q needs the properties to set", wire.ErrInvalid, wire.KeepSet)
		}
		if reason := checkEntityChange(forms.EntityChange{List: "list", ID: "id", Properties: res.Properties}); reason != "" {
			return nil, fmt.Errorf("%w: %s", wire.ErrInvalid, reason)
		}
	default:
		return nil, fmt.Errorf("%w: keep %q: one of %s, %s, %s", wire.ErrInvalid, res.Keep, wire.KeepCurrent, wire.KeepPrevious, wire.KeepSet)
	}
	var out wire.Entity
	err := db.tx(ctx, func(tx txn) error {
		row := tx.QueryRowContext(ctx, qEntityConflictOpen, conflictID)
		c, err := scanConflict(row)
		if isNoRows(err) || (err == nil && !u.Covers(c.Township)) {
			return noConflict(conflictID)
		}
		if err != nil {
			return err
		}
		e := &entityState{entityKey: entityKey{c.List, c.EntityID}, label: c.Label, township: c.Township}
		var props string
		if err := tx.QueryRowContext(ctx, qEntityCurrent, c.List, c.EntityID).Scan(&e.version, &props, &e.conflict); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(props), &e.props); err != nil {
			return err
		}
		switch res.Keep {
		case wire.KeepPrevious:
			e.props = c.Before
		case wire.KeepSet:
			maps.Copy(e.props, res.Properties)
		}
		base := e.version
		e.version++
		at := db.stamp()
		how, _ := json.Marshal(res)
		if _, err := tx.ExecContext(ctx, qEntityConflictClose, at, u.ID, string(how), e.version, conflictID); err != nil {
			return err
		}
		var open int
		if err := tx.QueryRowContext(ctx, qEntityConflictsOpenOf, c.List, c.EntityID).Scan(&open); err != nil {
			return err
		}
		e.conflict = min(open, 1)
		seq, err := takeEntitySeqs(ctx, tx, 1)
		if err != nil {
			return err
		}
		if err := upsertEntities(ctx, tx, []*entityState{e}, seq, at); err != nil {
			return err
		}
		out = wire.Entity{List: e.list, ID: e.id, Label: e.label, Version: e.version, Township: e.township,
			Properties: e.props, Conflict: e.conflict != 0, Seq: seq}
		return insertEntityVersions(ctx, tx, []entityVersionRow{{entityKey: e.entityKey, version: e.version, base: base,
			kind: "resolve", label: e.label, props: e.props, userID: u.ID}}, at)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

const (
	conflictSelect = `SELECT c.id, c.list, c.entity_id, e.label, c.township, c.version, c.base_version, c.previous_version,
			e.properties, v.properties, c.device_id, c.opened_at
		FROM entity_conflicts c
		JOIN entities e ON e.list = c.list AND e.entity_id = c.entity_id
		JOIN entity_versions v ON v.list = c.list AND v.entity_id = c.entity_id AND v.version = c.previous_version `

	// The county is a prefix of digits (checked when the user is added).
	qEntityConflictsOpen = conflictSelect + `WHERE c.resolved_at IS NULL AND c.township LIKE ? ORDER BY c.opened_at, c.id`

	qEntityConflictOpen = conflictSelect + `WHERE c.resolved_at IS NULL AND c.id = ?`

	qEntityCurrent = `SELECT version, properties, conflict FROM entities WHERE list = ? AND entity_id = ?`

	qEntityConflictClose = `UPDATE entity_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ?, resolved_version = ?
		WHERE id = ?`

	qEntityConflictsOpenOf = `SELECT count(*) FROM entity_conflicts WHERE list = ? AND entity_id = ? AND resolved_at IS NULL`
)
