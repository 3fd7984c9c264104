package store

import (
	"context"
	"database/sql"
)

// ImportItem is one already-validated record to store as finalized. Key is
// stable for the input it came from (e.g. the sha256 of the line), so
// importing the same input twice stores it once.
type ImportItem struct {
	FormID       string
	Version      string
	Key          string
	Data         []byte // canonical JSON, as forms.Instance.MarshalJSON writes it
	InstanceName string // forms.Instance.Name: how lists show the record
}

// ImportResult says what became of one ImportItem.
type ImportResult struct {
	ID       string // the new record, or the one stored earlier with the same key
	Inserted bool   // false when the key was already present
}

// InsertFinalized stores one validated record as finalized; see
// InsertFinalizedBatch.
func (db *DB) InsertFinalized(ctx context.Context, formID, version, key string, data []byte) (string, bool, error) {
	res, err := db.InsertFinalizedBatch(ctx, []ImportItem{{FormID: formID, Version: version, Key: key, Data: data}})
	if err != nil {
		return "", false, err
	}
	return res[0].ID, res[0].Inserted, nil
}

// InsertFinalizedBatch stores many validated records in one transaction:
// each as a record, its first version and an imported audit row. Either
// the whole batch is stored or none of it, so an importer may report a
// batch accepted only once this returns. Validation is the caller's: this
// only stores. Keys already present (from an earlier run or earlier in the
// same batch) are skipped and return the existing id.
func (db *DB) InsertFinalizedBatch(ctx context.Context, items []ImportItem) ([]ImportResult, error) {
	out := make([]ImportResult, len(items))
	err := db.tx(ctx, func(tx *sql.Tx) error {
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		find, err := tx.PrepareContext(ctx, `SELECT id FROM records WHERE import_key = ?`)
		if err != nil {
			return err
		}
		defer find.Close()
		formOK, err := tx.PrepareContext(ctx, `SELECT count(*) FROM forms WHERE form_id = ? AND version = ?`)
		if err != nil {
			return err
		}
		defer formOK.Close()
		rec, err := tx.PrepareContext(ctx, `INSERT INTO records
			(id, form_id, form_version, state, collector, device_id, created_at, updated_at, head, import_key, instance_name)
			VALUES (?, ?, ?, 'finalized', ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (import_key) DO NOTHING`)
		if err != nil {
			return err
		}
		defer rec.Close()
		ver, err := tx.PrepareContext(ctx, `INSERT INTO record_versions (version_id, record_id, data, sha256, created_at, collector)
			VALUES (?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ver.Close()
		known := map[[2]string]bool{}
		for i, it := range items {
			fk := [2]string{it.FormID, it.Version}
			if !known[fk] {
				var n int
				if err := formOK.QueryRowContext(ctx, it.FormID, it.Version).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return &ErrUnknownForm{FormID: it.FormID, Version: it.Version}
				}
				known[fk] = true
			}
			id, err := newID()
			if err != nil {
				return err
			}
			vid, err := newID()
			if err != nil {
				return err
			}
			var key any // NULL, not "", so keyless records never collide
			if it.Key != "" {
				key = it.Key
			}
			sum := hashHex(it.Data)
			// Insert first and look up only on a clash: the common case of
			// an import is new lines, and this saves a query per record.
			res, err := rec.ExecContext(ctx, id, it.FormID, it.Version, c.collector, db.deviceID, c.at, c.at, vid, key, it.InstanceName)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				if err := find.QueryRowContext(ctx, it.Key).Scan(&id); err != nil {
					return err
				}
				out[i] = ImportResult{ID: id}
				continue
			}
			if _, err := ver.ExecContext(ctx, vid, id, it.Data, sum, c.at, c.collector); err != nil {
				return err
			}
			if err := c.add(ctx, EventImported, id, map[string]string{"key": it.Key, "version_id": vid, "sha256": sum}); err != nil {
				return err
			}
			out[i] = ImportResult{ID: id, Inserted: true}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
