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
	rows, err := countyView(ctx, db, u, view, "conflicts", scanConflict, qEntityConflictsOpen)
	if err != nil {
		return nil, err
	}
	out := make([]wire.EntityConflict, len(rows))
	us := db.unsealer()
	ms := &maskers{db: db, byID: map[string]*entityMasker{}}
	for i := range rows {
		c := &rows[i]
		if view.Clear {
			if err := c.open(ctx, us); err != nil {
				return nil, err
			}
			out[i] = c.EntityConflict
			continue
		}
		m, err := ms.of(ctx, c.List)
		if err != nil {
			return nil, err
		}
		// Stored masked; masked again for a row stored before step 14.
		c.Label = forms.MaskEmbeddedIDs(c.Label)
		for _, props := range []map[string]string{c.Current, c.Before} {
			for k, v := range props {
				props[k] = forms.MaskAnswer(m.fields[k], v)
			}
		}
		c.Masked = true
		out[i] = c.EntityConflict
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

// conflictRow is a conflict as stored: the entity's label and current
// properties, and its properties before the stale update, masked with
// their sealed parts.
type conflictRow struct {
	wire.EntityConflict
	current         int64 // the entity's version now
	cur, beforeSeal entitySeal
}

// open puts the clear label and properties back.
func (c *conflictRow) open(ctx context.Context, u *unsealer) error {
	k := entityKey{c.List, c.EntityID}
	if c.Current == nil {
		c.Current = map[string]string{}
	}
	if c.Before == nil {
		c.Before = map[string]string{}
	}
	if err := u.openEntity(ctx, k, c.current, c.cur.sealed, c.cur.keyID, &c.Label, c.Current); err != nil {
		return err
	}
	var beforeLabel string
	return u.openEntity(ctx, k, c.Previous, c.beforeSeal.sealed, c.beforeSeal.keyID, &beforeLabel, c.Before)
}

func scanConflict(row sqlitedb.Scanner) (conflictRow, error) {
	var c conflictRow
	var current, before string
	if err := row.Scan(&c.ID, &c.List, &c.EntityID, &c.Label, &c.Township, &c.Version, &c.BaseVersion, &c.Previous,
		&current, &before, &c.DeviceID, &c.OpenedAt, &c.current, &c.cur.sealed, &c.cur.keyID, &c.beforeSeal.sealed, &c.beforeSeal.keyID); err != nil {
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
	var list string
	if err := db.queryRow(ctx, qEntityConflictList, conflictID).Scan(&list); err != nil {
		if isNoRows(err) {
			return nil, noConflict(conflictID)
		}
		return nil, err
	}
	sl, err := db.newEntitySealer(ctx)
	if err == nil {
		err = sl.prepareList(ctx, list, nil, nil)
	}
	if err != nil {
		return nil, err
	}
	var out wire.Entity
	err = db.tx(ctx, func(tx txn) error {
		sl.in(tx)
		c, err := scanConflict(tx.QueryRowContext(ctx, qEntityConflictOpen, conflictID))
		if isNoRows(err) || (err == nil && !u.Covers(c.Township)) {
			return noConflict(conflictID)
		}
		if err != nil {
			return err
		}
		if sl != nil {
			if err := c.open(ctx, sl.u); err != nil {
				return err
			}
		} else if len(c.cur.sealed)+len(c.beforeSeal.sealed) > 0 {
			return fmt.Errorf("entity %s of list %s is sealed, and this catalogue has no key to open it", c.EntityID, c.List)
		}
		e := &entityState{entityKey: entityKey{c.List, c.EntityID}, label: c.Label, township: c.Township,
			version: c.current, props: c.Current}
		if err := tx.QueryRowContext(ctx, qEntityCurrent, c.List, c.EntityID).Scan(&e.conflict); err != nil {
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
		how, err := json.Marshal(sl.maskedResolution(list, res))
		if err != nil {
			return err
		}
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
		if err := upsertEntities(ctx, tx, sl, []*entityState{e}, seq, at); err != nil {
			return err
		}
		out = wire.Entity{List: e.list, ID: e.id, Label: e.label, Version: e.version, Township: e.township,
			Properties: e.props, Conflict: e.conflict != 0, Seq: seq}
		return insertEntityVersions(ctx, tx, sl, []entityVersionRow{{entityKey: e.entityKey, version: e.version, base: base,
			kind: "resolve", label: e.label, props: e.props, userID: u.ID}}, at)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

const (
	conflictSelect = `SELECT c.id, c.list, c.entity_id, e.label, c.township, c.version, c.base_version, c.previous_version,
			e.properties, v.properties, c.device_id, c.opened_at,
			e.version, e.sealed, coalesce(e.sealed_key, ''), v.sealed, coalesce(v.sealed_key, '')
		FROM entity_conflicts c
		JOIN entities e ON e.list = c.list AND e.entity_id = c.entity_id
		JOIN entity_versions v ON v.list = c.list AND v.entity_id = c.entity_id AND v.version = c.previous_version `

	// The county is a prefix of digits (checked when the user is added).
	qEntityConflictsOpen = conflictSelect + `WHERE c.resolved_at IS NULL AND c.township LIKE ? ORDER BY c.opened_at, c.id`

	qEntityConflictOpen = conflictSelect + `WHERE c.resolved_at IS NULL AND c.id = ?`

	qEntityCurrent = `SELECT conflict FROM entities WHERE list = ? AND entity_id = ?`

	qEntityConflictList = `SELECT list FROM entity_conflicts WHERE id = ?`

	qEntityConflictClose = `UPDATE entity_conflicts SET resolved_at = ?, resolved_by = ?, resolution = ?, resolved_version = ?
		WHERE id = ?`

	qEntityConflictsOpenOf = `SELECT count(*) FROM entity_conflicts WHERE list = ? AND entity_id = ? AND resolved_at IS NULL`
)
