package catalogue

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// What a catalogue stored before it sealed (before steps 13 and 14, or
// while it ran without a key) is sealed by SealExisting, the second half
// of step 14, which needs the key a schema step does not have: versions
// held clear are split and sealed as a record arriving clear is at ingest
// (their data becomes the masked data, its hash their hash, with their
// pseudonyms and verdict beside), entities and their history as a batch
// now stores them, and reviewers' comments masked as new ones are. In
// chunks, each in a transaction of its own, with progress; stopped, it
// starts again where it stopped (every row it changes leaves the rows it
// reads). Once all is done it says so in meta and is not run again. The
// rows' old contents are then removed from the files: SQLite rewrites
// itself (VACUUM, with secure_delete on), PostgreSQL rewrites the tables
// it touched (VACUUM FULL), so no old row version keeps clear values.

// sealedExistingName is the meta key saying SealExisting is done.
const sealedExistingName = "sealed_existing"

// SealExisting seals what the catalogue holds in clear; see above. It
// returns how many rows it sealed or masked; progress (may be nil) is told
// after each chunk how many rows it has looked at out of how many.
func (db *DB) SealExisting(ctx context.Context, chunk int, progress func(done, total int)) (int, error) {
	if db.keyRing() == nil {
		return 0, fmt.Errorf("the catalogue has no key to seal to")
	}
	var state string
	err := db.queryRow(ctx, qMetaGet, sealedExistingName).Scan(&state)
	if err == nil {
		return 0, nil
	}
	if !isNoRows(err) {
		return 0, err
	}
	total := 0
	for _, q := range []string{qClearVersionsCount, qClearEntitiesCount, qClearEntityVersionsCount, qCommentsCount} {
		var n int
		if err := db.queryRow(ctx, q).Scan(&n); err != nil {
			return 0, err
		}
		total += n
	}
	seen, changed := 0, 0
	tell := func(n, c int) {
		seen, changed = seen+n, changed+c
		if progress != nil && n > 0 {
			progress(min(seen, total), total)
		}
	}
	for _, step := range []func(context.Context, int, func(n, c int)) error{db.sealClearVersions, db.sealClearEntities, db.maskOldComments} {
		if err := step(ctx, chunk, tell); err != nil {
			return changed, err
		}
	}
	if changed > 0 {
		if err := db.compact(ctx); err != nil {
			return changed, err
		}
	}
	return changed, db.tx(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, qMetaInsertNew, sealedExistingName, db.stamp())
		return err
	})
}

// sealClearVersions seals the versions held clear, chunk at a time in
// version order, as ingest seals a record that arrives clear.
func (db *DB) sealClearVersions(ctx context.Context, chunk int, tell func(n, c int)) error {
	after := ""
	for {
		recs, err := sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (wire.Record, error) {
			var r wire.Record
			var data string
			err := row.Scan(&r.VersionID, &r.RecordID, &r.FormID, &r.FormVersion, &r.SHA256, &data, &r.CreatedAt)
			r.Data = []byte(data)
			return r, err
		}, qClearVersions, after, chunk)
		if err != nil || len(recs) == 0 {
			return err
		}
		after = recs[len(recs)-1].VersionID
		in, err := db.prepare(ctx, &wire.Batch{Records: recs}, nil)
		if err != nil {
			return err
		}
		s := &batchTx{ctx: ctx, ing: in}
		err = db.updateEach(ctx, len(recs), tell, func(tx txn) error {
			s.tx = tx
			return s.writeKeys()
		}, func(tx txn, i int) (bool, error) {
			r := &in.recs[i]
			if len(r.Sealed) == 0 {
				return false, nil // nothing personal, or it did not split: left as it is
			}
			args := s.sealedColumns([]any{string(r.Data), r.SHA256}, i)
			_, err := tx.ExecContext(ctx, qVersionSeal, append(args, r.VersionID)...)
			return err == nil, err
		})
		if err != nil {
			return err
		}
	}
}

// sealClearEntities seals the entities and entity versions held clear.
func (db *DB) sealClearEntities(ctx context.Context, chunk int, tell func(n, c int)) error {
	for _, t := range sealedTables[1:] {
		after := []any{"", "", int64(-1)}
		for {
			q := fmt.Sprintf(qClearEntityRows, t.table)
			type clearRow struct {
				entityVersionRow
				label, props string
			}
			rows, err := sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (clearRow, error) {
				var r clearRow
				err := row.Scan(&r.list, &r.id, &r.version, &r.label, &r.props)
				return r, err
			}, q, after[0], after[0], after[1], after[0], after[1], after[2], chunk)
			if err != nil || len(rows) == 0 {
				if err != nil {
					return err
				}
				break
			}
			last := rows[len(rows)-1]
			after = []any{last.list, last.id, last.version}
			sl, err := db.newEntitySealer(ctx)
			if err != nil {
				return err
			}
			for _, r := range rows {
				if err := sl.prepareList(ctx, r.list, nil, nil); err != nil {
					return err
				}
			}
			err = db.updateEach(ctx, len(rows), tell, func(tx txn) error { sl.in(tx); return nil }, func(tx txn, i int) (bool, error) {
				r := rows[i]
				var props map[string]string
				if err := json.Unmarshal([]byte(r.props), &props); err != nil {
					return false, fmt.Errorf("entity %s of list %s: stored properties: %w", r.id, r.list, err)
				}
				row, err := sl.seal(ctx, tx, r.entityKey, r.version, r.label, props)
				if err != nil || (row.sealed == nil && row.pseudonyms == nil) {
					return false, err
				}
				cond, args := t.rowCond(), []any{r.list, r.id, r.version}[:t.keyColumns()]
				set := "label = ?, properties = ?, sealed = ?, sealed_key = ?"
				vals := []any{row.label, row.props, row.sealed, row.keyID}
				if t.table == "entities" {
					set, vals = set+", pseudonyms = ?", append(vals, row.pseudonyms)
				}
				_, err = tx.ExecContext(ctx, `UPDATE `+t.table+` SET `+set+` WHERE `+cond+` AND sealed IS NULL`, append(vals, args...)...)
				return err == nil, err
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// maskOldComments masks the ID and mobile numbers in reviewers' comments
// stored before comments were masked as they are written, and in the
// resolutions of entity conflicts stored before step 14 (their clear
// values are in the entity version each made).
func (db *DB) maskOldComments(ctx context.Context, _ int, tell func(n, c int)) error {
	for _, t := range freeTextColumns {
		type text struct{ id, text string }
		rows, err := sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (text, error) {
			var c text
			err := row.Scan(&c.id, &c.text)
			return c, err
		}, `SELECT `+t[1]+`, `+t[2]+` FROM `+t[0]+` WHERE `+t[2]+` <> ''`)
		if err != nil {
			return err
		}
		err = db.updateEach(ctx, len(rows), tell, nil, func(tx txn, i int) (bool, error) {
			c := rows[i]
			masked := forms.MaskEmbeddedIDs(c.text)
			if masked == c.text {
				return false, nil
			}
			_, err := tx.ExecContext(ctx, `UPDATE `+t[0]+` SET `+t[2]+` = ? WHERE `+t[1]+` = ? AND `+t[2]+` = ?`, masked, c.id, c.text)
			return err == nil, err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// updateEach changes n rows in one transaction (begin first, when not
// nil; change says whether it changed row i), then tells how many it
// looked at and how many it changed.
func (db *DB) updateEach(ctx context.Context, n int, tell func(n, c int), begin func(tx txn) error, change func(tx txn, i int) (bool, error)) error {
	changed := 0
	err := db.tx(ctx, func(tx txn) error {
		changed = 0
		if begin != nil {
			if err := begin(tx); err != nil {
				return err
			}
		}
		for i := range n {
			ok, err := change(tx, i)
			if err != nil {
				return err
			}
			if ok {
				changed++
			}
		}
		return nil
	})
	if err == nil {
		tell(n, changed)
	}
	return err
}

// freeTextColumns are the columns of free text maskOldComments masks:
// table, key column, text column.
var freeTextColumns = [][3]string{
	{"reviews", "review_id", "comment"},
	{"review_history", "review_id", "comment"},
	{"entity_conflicts", "id", "resolution"},
}

// compact removes the old contents of the rows SealExisting changed from
// the database's files.
func (db *DB) compact(ctx context.Context) error {
	if db.d.name == "PostgreSQL" {
		// VACUUM FULL rewrites each table without its dead row versions
		// (a plain VACUUM only marks their space free). It locks the
		// table meanwhile: a catalogue being upgraded waits.
		for _, t := range []string{"versions", "entities", "entity_versions", "reviews", "review_history", "entity_conflicts"} {
			if _, err := db.sql.ExecContext(ctx, `VACUUM FULL `+t); err != nil {
				return fmt.Errorf("VACUUM FULL %s: %w", t, err)
			}
		}
		return nil
	}
	// secure_delete zeroes what the VACUUM frees; the checkpoint then
	// empties the WAL, whose older frames still hold the clear pages. One
	// connection: the pragma is a connection's.
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, q := range []string{`PRAGMA secure_delete = ON`, `VACUUM`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	// The checkpoint is busy (and truncates nothing) while the
	// checkpointer or a reader holds the WAL: tried again until it is not.
	for try := 0; ; try++ {
		var busy, frames, done int
		if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
			return fmt.Errorf("PRAGMA wal_checkpoint(TRUNCATE): %w", err)
		}
		if busy == 0 {
			return nil
		}
		if try == 100 {
			return fmt.Errorf("the WAL could not be emptied after the VACUUM (other connections kept it busy): it may still hold clear values until the next checkpoint")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

const (
	qClearVersionsCount = `SELECT count(*) FROM versions WHERE sealed IS NULL`
	qClearVersions      = `SELECT v.version_id, v.record_id, r.form_id, v.form_version, v.sha256, v.data, v.created_at
		FROM versions v JOIN records r ON r.record_id = v.record_id
		WHERE v.sealed IS NULL AND v.version_id > ? ORDER BY v.version_id LIMIT ?`
	qVersionSeal = `UPDATE versions SET data = ?, sha256 = ?, sealed = ?, sealed_key = ?, pseudonyms = ?, verdict = ?
		WHERE version_id = ? AND sealed IS NULL`

	qClearEntitiesCount       = `SELECT count(*) FROM entities WHERE sealed IS NULL`
	qClearEntityVersionsCount = `SELECT count(*) FROM entity_versions WHERE sealed IS NULL`
	// %s is entities or entity_versions; rows after the last of the chunk before.
	qClearEntityRows = `SELECT list, entity_id, version, label, properties FROM %s
		WHERE sealed IS NULL AND (list > ? OR (list = ? AND entity_id > ?) OR (list = ? AND entity_id = ? AND version > ?))
		ORDER BY list, entity_id, version LIMIT ?`

	qCommentsCount = `SELECT (SELECT count(*) FROM reviews WHERE comment <> '') + (SELECT count(*) FROM review_history WHERE comment <> '')
		+ (SELECT count(*) FROM entity_conflicts WHERE resolution <> '')`
)
