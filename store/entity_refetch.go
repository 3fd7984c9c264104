package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// A list downloaded again: the catalogue sends only the properties of a
// list that the forms of the laptop's township read, and says which by a
// fingerprint per list (wire.EntityPage.PropertySets). When a form
// published later reads more of them, the fingerprint changes, and the
// entities downloaded before lack the new properties: the laptop then
// downloads that list again from 0, page by page, storing each page by
// ApplyDownloaded's rules (a change of this laptop's not yet confirmed
// is never overwritten) with where the refetch stands, so a cut link
// resumes it. Each is a meta row: the list's fingerprint under
// entitySetKey, and a refetch under way under entityRefetchKey as
// "FINGERPRINT CURSOR".
const (
	entitySetPrefix     = "entities.set."
	entityRefetchPrefix = "entities.refetch."
)

func entitySetKey(list string) string     { return entitySetPrefix + list }
func entityRefetchKey(list string) string { return entityRefetchPrefix + list }

// EntityPropertySets are the fingerprints of the property sets the laptop
// holds its lists' entities by, by list.
func (db *DB) EntityPropertySets(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	// '/' is the character after '.': the keys under the prefix, whatever
	// a list's name holds.
	err := sqlitedb.Each(ctx, db.sql, `SELECT key, value FROM meta WHERE key >= ? AND key < ?`,
		[]any{entitySetPrefix, strings.TrimSuffix(entitySetPrefix, ".") + "/"}, func(row sqlitedb.Scanner) error {
			var key, value string
			if err := row.Scan(&key, &value); err != nil {
				return err
			}
			out[strings.TrimPrefix(key, entitySetPrefix)] = value
			return nil
		})
	return out, err
}

// SetEntityPropertySet notes the fingerprint of the property set the
// laptop holds list by.
func (db *DB) SetEntityPropertySet(ctx context.Context, list, fingerprint string) error {
	return db.tx(ctx, func(tx *sql.Tx) error { return setMeta(ctx, tx, entitySetKey(list), fingerprint) })
}

// HoldsDownloaded reports whether the laptop holds an entity of list as
// the catalogue sent it: one a refetch would bring again with more.
func (db *DB) HoldsDownloaded(ctx context.Context, list string) (bool, error) {
	var held bool
	err := db.sql.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM entities WHERE list = ? AND seq > 0)`, list).Scan(&held)
	return held, err
}

// EntityRefetch is where a refetch of list for the property set
// fingerprint stands: the cursor to ask from, 0 when none is under way
// for that set.
func (db *DB) EntityRefetch(ctx context.Context, list, fingerprint string) (int64, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, entityRefetchKey(list)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	fp, cursor, _ := strings.Cut(v, " ")
	since, err := strconv.ParseInt(cursor, 10, 64)
	if fp != fingerprint || err != nil {
		return 0, nil // a refetch for another set: start again
	}
	return since, nil
}

// ApplyRefetched stores one page of list downloaded again for the
// property set fingerprint, by ApplyDownloaded's rules, and moves the
// refetch to next, in one transaction. The last page (done) ends the
// refetch: the list is then held by that set. The download's own cursor
// does not move.
func (db *DB) ApplyRefetched(ctx context.Context, ents []Entity, list, fingerprint string, next int64, done bool) error {
	dk, err := db.dataKey()
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := applyDownloaded(ctx, tx, dk, ents); err != nil {
			return err
		}
		if !done {
			return setMeta(ctx, tx, entityRefetchKey(list), fingerprint+" "+strconv.FormatInt(next, 10))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, entityRefetchKey(list)); err != nil {
			return err
		}
		return setMeta(ctx, tx, entitySetKey(list), fingerprint)
	})
}
