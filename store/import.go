package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// ImportItem is one already-validated record to store as finalized. Key is
// stable for the input it came from (e.g. the sha256 of the line), so
// importing the same input twice stores it once. It is opaque bytes, kept
// as a BLOB: content hashes land at random places in the unique index, so
// every batch rewrites index pages all over it, and a short binary key
// keeps that index (and those writes) small.
type ImportItem struct {
	// ID is the record's id when the caller made it (NewRecordID) to
	// validate the record with its ${instanceID}; "" makes one here.
	ID      string
	FormID  string
	Version string
	Key     string
	Data    []byte // canonical JSON, as forms.Instance.MarshalJSON writes it
	// Masked and Sealed are Data split (seal.Splitter.SplitInstance) by
	// a caller that holds the instance; nil Masked: split here.
	Masked, Sealed []byte
	// Checks is ChecksOf the caller's validation (kept with a record
	// that has a sealed part: blindindex.go); nil: validated again here.
	Checks       *Checks
	InstanceName string // forms.Instance.Name: how lists show the record
	// Visited is forms.Instance.VisitTime: the last visit of the entities
	// the record creates or updates; zero for a record that does not say
	// when it was collected, whose entities are visited at the import.
	Visited time.Time
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
//
// The keys already stored are found with one query per chunk of keys, and
// the new rows are written with multi-row INSERTs, importChunk rows a
// statement: the transaction holds the write lock, so what the query found
// cannot change before the inserts.
func (db *DB) InsertFinalizedBatch(ctx context.Context, items []ImportItem) ([]ImportResult, error) {
	return db.insertFinalizedBatch(ctx, db.sql, items)
}

func (db *DB) insertFinalizedBatch(ctx context.Context, on sqlitedb.Beginner, items []ImportItem) ([]ImportResult, error) {
	out := make([]ImportResult, len(items))
	// Split, sealed and hashed before the write lock is taken, and once,
	// however often a busy database makes the transaction run; each
	// version's id is made here, since its sealed part is bound to it.
	sealed := make([]*sealedData, len(items))
	kept := make([]*keptChecks, len(items))
	vids := make([]string, len(items))
	for i, it := range items {
		var err error
		if vids[i], err = newID(); err != nil {
			return nil, err
		}
		masked, part := it.Masked, it.Sealed
		if masked == nil || sealingOff {
			if masked, part, err = db.split(ctx, it.FormID, it.Version, it.Data); err != nil {
				return nil, err
			}
		}
		if sealed[i], err = db.sealPart(vids[i], masked, part); err != nil {
			return nil, err
		}
		if part == nil {
			continue
		}
		checks := it.Checks
		if checks == nil {
			if checks, err = db.checksOfData(ctx, it.FormID, it.Version, it.Data); err != nil {
				return nil, err
			}
		}
		if kept[i], err = db.keepSealed(sealed[i].blob, checks); err != nil {
			return nil, err
		}
	}
	err := sqlitedb.InTx(ctx, on, func(tx *sql.Tx) error {
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		formOK, err := tx.PrepareContext(ctx, `SELECT count(*) FROM forms WHERE form_id = ? AND version = ?`)
		if err != nil {
			return err
		}
		defer formOK.Close()
		known := map[[2]string]bool{}
		for _, it := range items {
			fk := [2]string{it.FormID, it.Version}
			if known[fk] {
				continue
			}
			var n int
			if err := formOK.QueryRowContext(ctx, it.FormID, it.Version).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return &ErrUnknownForm{FormID: it.FormID, Version: it.Version}
			}
			known[fk] = true
		}
		ids, err := existingKeys(ctx, tx, items)
		if err != nil {
			return err
		}
		var rows []importRow
		for i, it := range items {
			if it.Key != "" {
				if id, ok := ids[it.Key]; ok {
					out[i] = ImportResult{ID: id}
					continue
				}
			}
			id := it.ID
			if id == "" {
				if id, err = newID(); err != nil {
					return err
				}
			}
			if it.Key != "" {
				ids[it.Key] = id // a repeat later in this batch is already present
			}
			rows = append(rows, importRow{item: &items[i], id: id, vid: vids[i], sealed: sealed[i], kept: kept[i]})
			out[i] = ImportResult{ID: id, Inserted: true}
		}
		return c.insertImported(ctx, tx, db.deviceID, db.key, rows)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// importChunk is how many rows one INSERT writes (records have ten
// parameters a row, audit rows nine: well under SQLite's limit).
const importChunk = 100

// importRow is one new record of a batch.
type importRow struct {
	item    *ImportItem
	id, vid string
	sealed  *sealedData
	kept    *keptChecks
}

// existingKeys maps the items' keys already stored to their records.
func existingKeys(ctx context.Context, tx *sql.Tx, items []ImportItem) (map[string]string, error) {
	ids := make(map[string]string, len(items))
	var keys []any
	query := func() error {
		err := sqlitedb.Each(ctx, tx, `SELECT import_key, id FROM records WHERE import_key IN (?`+
			strings.Repeat(",?", len(keys)-1)+`)`, keys, func(row sqlitedb.Scanner) error {
			var k []byte
			var id string
			if err := row.Scan(&k, &id); err != nil {
				return err
			}
			ids[string(k)] = id
			return nil
		})
		keys = keys[:0]
		return err
	}
	for _, it := range items {
		if it.Key == "" {
			continue
		}
		keys = append(keys, []byte(it.Key))
		if len(keys) == 500 {
			if err := query(); err != nil {
				return nil, err
			}
		}
	}
	if len(keys) > 0 {
		if err := query(); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// insertImported writes the rows' records and first versions, importChunk
// rows a statement, then one audit row for them all. One event per batch,
// not per record: the import is one act, and a row per record was a sixth
// of an import's storing time and a fifth of its bytes. The event still
// names every record, its version and the hash of its data, so the chain
// vouches for each.
func (c *chain) insertImported(ctx context.Context, tx *sql.Tx, deviceID string, dk *seal.DataKey, rows []importRow) error {
	stmts := map[string]*sql.Stmt{} // by SQL text: the full chunk and the last, shorter one
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	exec := func(head, row string, n int, args []any) error {
		q := head + row + strings.Repeat(","+row, n-1)
		st := stmts[q]
		if st == nil {
			var err error
			if st, err = tx.PrepareContext(ctx, q); err != nil {
				return err
			}
			stmts[q] = st
		}
		_, err := st.ExecContext(ctx, args...)
		return err
	}
	args := make([]any, 0, 10*importChunk)
	all := rows
	for len(rows) > 0 {
		chunk := rows[:min(importChunk, len(rows))]
		rows = rows[len(chunk):]
		args = args[:0]
		for _, r := range chunk {
			var key any // NULL, not "", so keyless records never collide
			if r.item.Key != "" {
				key = []byte(r.item.Key)
			}
			args = append(args, r.id, r.item.FormID, r.item.Version, c.collector, deviceID, c.at, c.at, r.vid, key, forms.MaskEmbeddedIDs(r.item.InstanceName))
		}
		if err := exec(`INSERT INTO records
			(id, form_id, form_version, state, collector, device_id, created_at, updated_at, head, import_key, instance_name)
			VALUES `, `(?, ?, ?, 'finalized', ?, ?, ?, ?, ?, ?, ?)`, len(chunk), args); err != nil {
			return err
		}
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r.vid, r.id, r.sealed.masked, r.sealed.sha, c.at, c.collector, c.offset)
		}
		if err := exec(`INSERT INTO record_versions (version_id, record_id, data, sha256, created_at, collector, utc_offset)
			VALUES `, `(?, ?, ?, ?, ?, ?, ?)`, len(chunk), args); err != nil {
			return err
		}
		args = args[:0]
		n := 0
		for _, r := range chunk {
			if r.sealed.blob != nil {
				args = append(args, r.vid, r.sealed.blob)
				n++
			}
		}
		if n > 0 {
			if err := exec(`INSERT INTO sealed_versions (version_id, blob) VALUES `, `(?, ?)`, n, args); err != nil {
				return err
			}
		}
		if err := insertKept(exec, args[:0], chunk); err != nil {
			return err
		}
	}
	if len(all) == 0 {
		return nil
	}
	ew := entityWriter{dk: dk}
	for _, r := range all {
		if err := ew.add(r.item.Data, r.sealed.masked, visitedAt(r.item.Visited, c.at)); err != nil {
			return err
		}
	}
	if err := ew.finish(ctx, tx); err != nil {
		return err
	}
	recordID := ""
	if len(all) == 1 {
		recordID = all[0].id
	}
	return c.addJSON(ctx, EventImported, recordID, importDetail(all))
}

// insertKept writes what is kept of a chunk's sealed records
// (blindindex.go) with multi-row INSERTs, as the rest of the chunk is.
func insertKept(exec func(head, row string, n int, args []any) error, args []any, chunk []importRow) error {
	n := 0
	for _, r := range chunk {
		if r.kept != nil {
			args = append(args, r.vid, r.kept.verdict, r.kept.tagJSON)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if err := exec(`INSERT INTO kept_verdicts (version_id, verdict, tags) VALUES `, `(?, ?, ?)`, n, args); err != nil {
		return err
	}
	// A household has a handful of personal answers: a statement per
	// importChunk of them keeps under SQLite's limit of parameters.
	args, n = args[:0], 0
	for _, r := range chunk {
		if r.kept == nil {
			continue
		}
		for _, t := range r.kept.tags {
			args = append(args, r.vid, t[0], t[1])
			if n++; n == importChunk {
				if err := exec(`INSERT INTO blind_index (version_id, path, tag) VALUES `, `(?, ?, ?)`, n, args); err != nil {
					return err
				}
				args, n = args[:0], 0
			}
		}
	}
	if n == 0 {
		return nil
	}
	return exec(`INSERT INTO blind_index (version_id, path, tag) VALUES `, `(?, ?, ?)`, n, args)
}
