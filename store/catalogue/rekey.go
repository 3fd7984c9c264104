package catalogue

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// Rekey seals every sealed part that is not under the current key again
// (versions', entities' and their history's): opened with the older key
// it was sealed under, sealed under a fresh data key wrapped to the
// current key, chunk parts at a time, each chunk in a transaction of its
// own. Stopped half-way, it leaves whole chunks done and starts again
// where it stopped. After it the older keys open nothing still needed and
// may be removed from the key file. progress is told after each chunk how
// many parts are done out of how many there were.
func (db *DB) Rekey(ctx context.Context, chunk int, progress func(done, total int)) (int, error) {
	cur := db.keyRing().Current()
	if cur == nil {
		return 0, errors.New("the catalogue has no key to seal to")
	}
	total := 0
	for _, t := range sealedTables {
		var n int
		if err := db.queryRow(ctx, fmt.Sprintf(qRekeyCount, t.table), cur.KeyID()).Scan(&n); err != nil {
			return 0, err
		}
		total += n
	}
	u := db.unsealer()
	done := 0
	for _, t := range sealedTables {
		for {
			n, err := db.rekeyChunk(ctx, u, t, cur, chunk)
			if err != nil || n == 0 {
				if err != nil {
					return done, err
				}
				break
			}
			done += n
			if progress != nil {
				progress(min(done, total), total)
			}
		}
	}
	return done, nil
}

// sealedPart is a sealed part as a rekey or a sealing step reads it: the
// part, its data key, the associated data binding it, and the values of
// the columns naming its row (sealedTable.key).
type sealedPart struct {
	sealed []byte
	keyID  string
	ad     []byte
	key    []any
}

// sealedTable is a table with sealed parts: key names a row, scan reads
// key's columns then sealed and sealed_key, and gives the part.
type sealedTable struct {
	table, key string
	scan       func(row sqlitedb.Scanner) (sealedPart, error)
}

var sealedTables = []sealedTable{
	{table: "versions", key: "version_id", scan: func(row sqlitedb.Scanner) (sealedPart, error) {
		var p sealedPart
		var versionID, recordID, sha string
		err := row.Scan(&versionID, &recordID, &sha, &p.sealed, &p.keyID)
		p.ad, p.key = seal.AD(recordID, versionID, sha), []any{versionID}
		return p, err
	}},
	{table: "entities", key: "list, entity_id", scan: scanEntityPart},
	{table: "entity_versions", key: "list, entity_id, version", scan: scanEntityPart},
}

// scanEntityPart reads list, entity_id and version; the key is the
// leading ones of them the table's key names.
func scanEntityPart(row sqlitedb.Scanner) (sealedPart, error) {
	var p sealedPart
	var list, id string
	var version int64
	err := row.Scan(&list, &id, &version, &p.sealed, &p.keyID)
	p.ad, p.key = entityAD(list, id, version), []any{list, id, version}
	return p, err
}

// columns are what scan reads.
func (t sealedTable) columns() string {
	if t.table == "versions" {
		return "x.version_id, x.record_id, x.sha256"
	}
	return "x.list, x.entity_id, x.version"
}

// rowCond is the condition naming one row by its key.
func (t sealedTable) rowCond() string {
	switch t.table {
	case "entities":
		return "list = ? AND entity_id = ?"
	case "entity_versions":
		return "list = ? AND entity_id = ? AND version = ?"
	}
	return "version_id = ?"
}

// keyColumns is how many columns name a row.
func (t sealedTable) keyColumns() int { return strings.Count(t.rowCond(), "?") }

// where is the condition naming one row by its key, with the key it was
// read under (two rekeys may run at once).
func (t sealedTable) where(p sealedPart) (string, []any) {
	key := p.key[:t.keyColumns():t.keyColumns()]
	return t.rowCond() + " AND sealed_key = ?", append(key, p.keyID)
}

// rekeyChunk seals up to chunk parts of t again under a fresh data key
// wrapped to cur, in one transaction; it says how many.
func (db *DB) rekeyChunk(ctx context.Context, u *unsealer, t sealedTable, cur *seal.Identity, chunk int) (int, error) {
	q := fmt.Sprintf(qRekeyChunk, t.columns(), t.table, t.key)
	parts, err := sqlitedb.QueryAll(ctx, db.reads(), t.scan, q, cur.KeyID(), chunk)
	if err != nil || len(parts) == 0 {
		return 0, err
	}
	dk := seal.NewDataKey()
	wrapped, err := seal.WrapBatchKey(dk, cur.Recipient())
	if err != nil {
		return 0, err
	}
	blobs := make([][]byte, len(parts))
	for i, p := range parts {
		old, err := u.dataKey(ctx, p.keyID)
		if err != nil {
			return 0, err
		}
		plain, err := seal.Open(p.sealed, p.ad, seal.Keys(old))
		if err != nil {
			return 0, fmt.Errorf("%s %v: %w", t.table, p.key, err)
		}
		blobs[i] = dk.Seal(plain, p.ad)
	}
	return len(parts), db.tx(ctx, func(tx txn) error {
		if _, err := tx.ExecContext(ctx, qSealedKeyInsert, dk.ID(), cur.KeyID(), wrapped); err != nil {
			return err
		}
		for i, p := range parts {
			cond, args := t.where(p)
			if _, err := tx.ExecContext(ctx, `UPDATE `+t.table+` SET sealed = ?, sealed_key = ? WHERE `+cond,
				append([]any{blobs[i], dk.ID()}, args...)...); err != nil {
				return err
			}
		}
		return nil
	})
}

// DropUnusedKeys deletes the data keys no sealed part is sealed with any
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
	// %s is the table.
	qRekeyCount = `SELECT count(*) FROM %s x JOIN sealed_keys k ON k.id = x.sealed_key WHERE k.catalogue_key <> ?`
	// %s are the columns the table's scan reads, the table and its key.
	qRekeyChunk = `SELECT %s, x.sealed, x.sealed_key
		FROM %s x JOIN sealed_keys k ON k.id = x.sealed_key WHERE k.catalogue_key <> ?
		ORDER BY %s LIMIT ?`
	qSealedKeysUnused = `DELETE FROM sealed_keys WHERE id NOT IN (SELECT sealed_key FROM versions WHERE sealed_key IS NOT NULL)
		AND id NOT IN (SELECT sealed_key FROM entities WHERE sealed_key IS NOT NULL)
		AND id NOT IN (SELECT sealed_key FROM entity_versions WHERE sealed_key IS NOT NULL)`
)
