package catalogue

import (
	"context"
	"database/sql"
	"errors"
)

// The writes shared by batches, resolutions and imports of entities.

// entityLastVisitDDL is step 12 on both backends: when each entity was
// last visited, the visit time of the record whose create or update last
// applied to it (what the record says, see recordVisit; never when the
// catalogue stored it); empty for a preloaded entity no record visited.
// Entities held before the step take the time their latest create or
// update's version was stored on its laptop (versions.created_at, the
// device's clock, as the laptop sent it): a record's own end time would
// need its form read, which a schema step cannot do. Any RFC 3339 text,
// read leniently (scanEntity): the laptops' clocks wrote it.
const entityLastVisitDDL = `
ALTER TABLE entities ADD COLUMN last_visit TEXT NOT NULL DEFAULT '';
UPDATE entities SET last_visit = coalesce((
	SELECT v.created_at FROM entity_versions h JOIN versions v ON v.version_id = h.record_version
	WHERE h.list = entities.list AND h.entity_id = entities.entity_id AND h.kind IN ('create', 'update')
	ORDER BY h.version DESC LIMIT 1), '');
`

// takeEntitySeqs hands out n entity change numbers and returns the first.
func takeEntitySeqs(ctx context.Context, tx txn, n int) (int64, error) {
	var last int64
	if err := tx.QueryRowContext(ctx, qEntitySeqTake, n).Scan(&last); err != nil {
		return 0, err
	}
	return last - int64(n) + 1, nil
}

// entityColumns are the columns of qEntitiesUpsert, in order.
const entityColumns = 15

// upsertEntities stores each entity as it now stands, numbering them from
// first in order, sealed by sl (entity_seal.go). An entity already held
// keeps its assignee: an update does not change who is to visit it; and
// its last visit unless a record visited it (a resolution or an import is
// no visit).
func upsertEntities(ctx context.Context, tx txn, sl *entitySealer, list []*entityState, first int64, at string) error {
	return execChunks(ctx, tx, qEntitiesUpsert, qEntitiesUpsertTail, entityColumns, len(list), func(i int, args []any) ([]any, error) {
		e := list[i]
		row, err := sl.seal(ctx, tx, e.entityKey, e.version, e.label, e.props)
		return append(args, e.list, e.id, row.label, e.version, e.township, row.props, e.conflict, e.assignedTo,
			e.lastVisit, first+int64(i), at, at, row.sealed, row.keyID, row.pseudonyms), err
	})
}

// entityVersionColumns are the columns of qEntityVersionsInsert.
const entityVersionColumns = 14

// insertEntityVersions appends rows to the entities' history, sealed by
// sl.
func insertEntityVersions(ctx context.Context, tx txn, sl *entitySealer, rows []entityVersionRow, at string) error {
	return execChunks(ctx, tx, qEntityVersionsInsert, "", entityVersionColumns, len(rows), func(i int, args []any) ([]any, error) {
		v := rows[i]
		row, err := sl.seal(ctx, tx, v.entityKey, v.version, v.label, v.props)
		return append(args, v.list, v.id, v.version, v.base, v.kind, row.label, row.props, v.recordVersion,
			v.deviceID, v.userID, v.conflict, at, row.sealed, row.keyID), err
	})
}

// execChunks runs prefix VALUES (...), (...) suffix for n rows of cols
// columns, insertChunk rows a statement (one where the dialect writes
// rowAtATime); row appends row i's values. On both backends alike: an
// upsert cannot go by COPY.
func execChunks(ctx context.Context, tx txn, prefix, suffix string, cols, n int, row func(i int, args []any) ([]any, error)) error {
	if n == 0 {
		return nil
	}
	if tx.d.rowAtATime {
		st, err := tx.PrepareContext(ctx, tx.d.bind(prefix+placeholders(1, cols)+suffix))
		if err != nil {
			return err
		}
		defer st.Close()
		args := make([]any, 0, cols)
		for i := range n {
			if args, err = row(i, args[:0]); err != nil {
				return err
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
		}
		return nil
	}
	args := make([]any, 0, min(n, insertChunk)*cols)
	for start := 0; start < n; start += insertChunk {
		end := min(n, start+insertChunk)
		args = args[:0]
		for i := start; i < end; i++ {
			var err error
			if args, err = row(i, args); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, prefix+placeholders(end-start, cols)+suffix, args...); err != nil {
			return err
		}
	}
	return nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// The statements of entities.
const (
	qEntitySeqTake = `UPDATE entity_counter SET value = value + ? WHERE id = 1 RETURNING value`

	// %s is the dialect's JSON array function.
	qEntitiesIn = `SELECT list, entity_id, label, township, version, properties, conflict, ` + entitySealCols + ` FROM entities
		WHERE entity_id IN (SELECT value FROM %s)`

	// Followed by rows of placeholders and qEntitiesUpsertTail.
	qEntitiesUpsert = `INSERT INTO entities (list, entity_id, label, version, township, properties, conflict, assigned_to,
			last_visit, seq, created_at, updated_at, sealed, sealed_key, pseudonyms) VALUES `
	qEntitiesUpsertTail = ` ON CONFLICT (list, entity_id) DO UPDATE SET label = excluded.label, version = excluded.version,
			properties = excluded.properties, conflict = excluded.conflict, seq = excluded.seq, updated_at = excluded.updated_at,
			last_visit = CASE WHEN excluded.last_visit <> '' THEN excluded.last_visit ELSE entities.last_visit END,
			sealed = excluded.sealed, sealed_key = excluded.sealed_key, pseudonyms = excluded.pseudonyms`

	qEntityVersionsInsert = `INSERT INTO entity_versions (list, entity_id, version, base_version, kind, label, properties,
			record_version, device_id, user_id, conflict, at, sealed, sealed_key) VALUES `

	qEntityConflictInsert = `INSERT INTO entity_conflicts (id, list, entity_id, township, version, base_version,
			previous_version, record_version, device_id, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	qEntityErrorInsert = `INSERT INTO entity_errors (record_version, device_id, list, entity_id, reason, at) VALUES (?, ?, ?, ?, ?, ?)`

	qEntityListGet = `SELECT form_id, form_version, properties FROM entity_lists WHERE name = ?`

	qEntityListUpsert = `INSERT INTO entity_lists (name, form_id, form_version, properties, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET form_id = excluded.form_id, form_version = excluded.form_version,
			properties = excluded.properties, updated_at = excluded.updated_at`
)
