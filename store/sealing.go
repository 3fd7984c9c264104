package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// Sealing at rest. Every path that stores a record's answers stores them
// split (store/seal): the masked data in the row lists, checks and masked
// exports read, and the clear value of what masking changed, sealed under
// the laptop's data key, beside it. This file is the one place that does
// it, and the one place that puts a record back together for a caller
// holding the key: Record, Versions and LastSaved give clear data, so the
// workbench and the commands change little.

// sealedData is a record's answers as stored: masked, with its hash, and
// the sealed blob (nil when masking changed nothing).
type sealedData struct {
	masked []byte
	sha    string
	blob   []byte
}

// splitter is the form version's splitter, made once per parsed form.
func (db *DB) splitter(ctx context.Context, formID, version string) (*seal.Splitter, error) {
	f, err := db.Form(ctx, formID, version)
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.splitters == nil {
		db.splitters = map[*forms.Form]*seal.Splitter{}
	}
	s := db.splitters[f]
	if s == nil {
		s = seal.NewSplitter(f)
		db.splitters[f] = s
	}
	return s, nil
}

// sealVersion splits a version's clear data and seals its personal part
// to the version (AD: version id and the masked data's hash), so a blob
// copied to another version does not open. Without the data key nothing
// is stored: clear data never goes in unsealed.
func (db *DB) sealVersion(ctx context.Context, formID, version, versionID string, clear []byte) (*sealedData, error) {
	masked, part, err := db.split(ctx, formID, version, clear)
	if err != nil {
		return nil, err
	}
	return db.sealPart(versionID, masked, part)
}

// sealingOff stores records unsplit, as before sealing: the control of
// the raw-bytes tests, which must find every number then. Tests only.
var sealingOff bool

// split is the record's masked data and the clear part to seal.
func (db *DB) split(ctx context.Context, formID, version string, clear []byte) (masked, part []byte, err error) {
	if sealingOff {
		return clear, nil, nil
	}
	s, err := db.splitter(ctx, formID, version)
	if err != nil {
		return nil, nil, err
	}
	return s.Split(clear)
}

// sealPart seals a split record's part (SplitInstance's, an import's).
func (db *DB) sealPart(versionID string, masked, part []byte) (*sealedData, error) {
	dk, err := db.dataKey()
	if err != nil {
		return nil, err
	}
	sd := &sealedData{masked: masked, sha: hashHex(masked)}
	if part != nil {
		sd.blob = dk.Seal(part, seal.AD(versionID, sd.sha))
	}
	return sd, nil
}

// openVersion is a stored version's clear data.
func (db *DB) openVersion(versionID, sha string, masked, blob []byte) ([]byte, error) {
	part, err := db.openPart(versionID, sha, blob)
	if err != nil || part == nil {
		return masked, err
	}
	return seal.Merge(masked, part)
}

// openPart is a stored version's sealed part opened: the clear values its
// masked data lacks; nil when it has none.
func (db *DB) openPart(versionID, sha string, blob []byte) ([]byte, error) {
	if blob == nil {
		return nil, nil
	}
	dk, err := db.dataKey()
	if err != nil {
		return nil, err
	}
	part, err := seal.Open(blob, seal.AD(versionID, sha), seal.Keys(dk))
	if err != nil {
		return nil, fmt.Errorf("version %s: %w", versionID, err)
	}
	return part, nil
}

// insertSealed stores a version's sealed blob.
func insertSealed(ctx context.Context, tx *sql.Tx, versionID string, blob []byte) error {
	if blob == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sealed_versions (version_id, blob) VALUES (?, ?)`, versionID, blob)
	return err
}

// EventSealed: the migration sealed what a database from before sealing
// held in clear. It names every version it rewrote with its new hash, as
// an import does, so audit verify vouches for them.
const EventSealed Event = "sealed_at_rest"

// metaSealPending marks a database whose clear data the sealing step has
// still to seal (migration step 10 sets it).
const metaSealPending = "seal_pending"

// sealExisting seals the record versions a database from before sealing
// holds in clear, in one transaction, then VACUUMs so the pages that held
// them keep no clear bytes (secure_delete zeroes what is freed from now
// on; VACUUM rewrites the file without the free pages of before).
func (db *DB) sealExisting(ctx context.Context) error {
	var pending string
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaSealPending).Scan(&pending)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if db.key == nil {
		return nil // sealed once the key is at hand
	}
	type old struct {
		vid, rid, formID, version string
		data                      []byte
	}
	versions, err := sqlitedb.QueryAll(ctx, db.sql, func(row sqlitedb.Scanner) (old, error) {
		var o old
		err := row.Scan(&o.vid, &o.rid, &o.formID, &o.version, &o.data)
		return o, err
	}, `SELECT v.version_id, v.record_id, r.form_id, r.form_version, v.data
		FROM record_versions v JOIN records r ON r.id = v.record_id
		WHERE v.version_id NOT IN (SELECT version_id FROM sealed_versions) ORDER BY v.rowid`)
	if err != nil {
		return err
	}
	sealed := make([]*sealedData, len(versions))
	for i, o := range versions {
		if sealed[i], err = db.sealVersion(ctx, o.formID, o.version, o.vid, o.data); err != nil {
			return fmt.Errorf("sealing version %s: %w", o.vid, err)
		}
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		// Record versions are immutable by trigger, which is what makes
		// them evidence; this step alone must rewrite them, once, to
		// replace their clear data with the masked data (whose hash the
		// audit row below records for each). The triggers are dropped and
		// made again inside this transaction: no other writer can see
		// the table unguarded, and a crash rolls both back.
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER record_versions_no_update`); err != nil {
			return err
		}
		type rec struct {
			ID        string `json:"id"`
			VersionID string `json:"version_id"`
			SHA256    string `json:"sha256"`
		}
		detail := struct {
			Records []rec `json:"records"`
		}{}
		for i, o := range versions {
			sd := sealed[i]
			if sd.blob == nil {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE record_versions SET data = ?, sha256 = ? WHERE version_id = ?`, sd.masked, sd.sha, o.vid); err != nil {
				return err
			}
			if err := insertSealed(ctx, tx, o.vid, sd.blob); err != nil {
				return err
			}
			detail.Records = append(detail.Records, rec{o.rid, o.vid, sd.sha})
		}
		if _, err := tx.ExecContext(ctx, `CREATE TRIGGER record_versions_no_update BEFORE UPDATE ON record_versions
			BEGIN SELECT RAISE(ABORT, 'record versions are immutable'); END`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaSealPending); err != nil {
			return err
		}
		if len(detail.Records) == 0 {
			return nil
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		return c.add(ctx, EventSealed, "", detail)
	})
	if err != nil {
		return err
	}
	_, err = db.sql.ExecContext(ctx, `VACUUM`)
	return err
}
