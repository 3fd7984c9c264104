package catalogue

import (
	"context"
	"errors"

	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// Rekey seals every sealed part that is not under the current key again:
// opened with the older key it was sealed under, sealed under a fresh
// data key wrapped to the current key, chunk versions at a time, each
// chunk in a transaction of its own. Stopped half-way, it leaves whole
// chunks done and starts again where it stopped. After it the older keys
// open nothing still needed and may be removed from the key file.
// progress is told after each chunk how many parts are done out of how
// many there were.
func (db *DB) Rekey(ctx context.Context, chunk int, progress func(done, total int)) (int, error) {
	cur := db.keyRing().Current()
	if cur == nil {
		return 0, errors.New("the catalogue has no key to seal to")
	}
	var total int
	if err := db.queryRow(ctx, qRekeyCount, cur.KeyID()).Scan(&total); err != nil {
		return 0, err
	}
	u := db.unsealer()
	done := 0
	for {
		var rows []sealedVersion
		err := sqlitedb.Each(ctx, db.reads(), qRekeyChunk, []any{cur.KeyID(), chunk}, func(row sqlitedb.Scanner) error {
			var v sealedVersion
			if err := row.Scan(&v.versionID, &v.recordID, &v.sha, &v.sealed, &v.keyID); err != nil {
				return err
			}
			rows = append(rows, v)
			return nil
		})
		if err != nil || len(rows) == 0 {
			return done, err
		}
		dk := seal.NewDataKey()
		wrapped, err := seal.WrapBatchKey(dk, cur.Recipient())
		if err != nil {
			return done, err
		}
		blobs := make([][]byte, len(rows))
		for i, v := range rows {
			plain, err := u.plain(ctx, v)
			if err != nil {
				return done, err
			}
			blobs[i] = dk.Seal(plain, seal.AD(v.recordID, v.versionID, v.sha))
		}
		err = db.tx(ctx, func(tx txn) error {
			if _, err := tx.ExecContext(ctx, qSealedKeyInsert, dk.ID(), cur.KeyID(), wrapped); err != nil {
				return err
			}
			for i, v := range rows {
				// Guarded by the key it was read under: versions never
				// change, but two rekeys may run at once.
				if _, err := tx.ExecContext(ctx, qRekeyUpdate, blobs[i], dk.ID(), v.versionID, v.keyID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return done, err
		}
		done += len(rows)
		if progress != nil {
			progress(min(done, total), total)
		}
	}
}

// DropUnusedKeys deletes the data keys no version is sealed with any
// more (a rekey's leftovers), and says how many.
func (db *DB) DropUnusedKeys(ctx context.Context) (int64, error) {
	var n int64
	err := db.tx(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, qSealedKeysUnused)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n, err
}

const (
	qRekeyCount = `SELECT count(*) FROM versions v JOIN sealed_keys k ON k.id = v.sealed_key WHERE k.catalogue_key <> ?`
	qRekeyChunk = `SELECT v.version_id, v.record_id, v.sha256, v.sealed, v.sealed_key
		FROM versions v JOIN sealed_keys k ON k.id = v.sealed_key WHERE k.catalogue_key <> ?
		ORDER BY v.version_id LIMIT ?`
	qRekeyUpdate      = `UPDATE versions SET sealed = ?, sealed_key = ? WHERE version_id = ? AND sealed_key = ?`
	qSealedKeysUnused = `DELETE FROM sealed_keys WHERE id NOT IN (SELECT sealed_key FROM versions WHERE sealed_key IS NOT NULL)`
)
