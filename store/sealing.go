package store

import (
	"context"
	"database/sql"
	"encoding/json"
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

// openVersion is a stored version's clear data; its masked data with a
// *MaskedOnlyError when retention or a key reset removed its sealed part.
func (db *DB) openVersion(versionID, sha string, masked, blob []byte) ([]byte, error) {
	if isMaskedOnly(blob) {
		return masked, &MaskedOnlyError{VersionID: versionID}
	}
	return db.openPart("version "+versionID, seal.AD(versionID, sha), masked, blob)
}

// versionPart is a stored version's sealed part opened: the clear values
// its masked data lacks; nil when it has none, a *MaskedOnlyError when
// it has none any more.
func (db *DB) versionPart(versionID, sha string, blob []byte) ([]byte, error) {
	if isMaskedOnly(blob) {
		return nil, &MaskedOnlyError{VersionID: versionID}
	}
	return db.openSealed("version "+versionID, seal.AD(versionID, sha), blob)
}

// openPart merges masked data with its sealed part opened under ad; what
// names the place for the error.
func (db *DB) openPart(what string, ad, masked, blob []byte) ([]byte, error) {
	part, err := db.openSealed(what, ad, blob)
	if err != nil || part == nil {
		return masked, err
	}
	return seal.Merge(masked, part)
}

// openSealed is a sealed part opened under ad; nil when there is none.
func (db *DB) openSealed(what string, ad, blob []byte) ([]byte, error) {
	if blob == nil {
		return nil, nil
	}
	dk, err := db.dataKey()
	if err != nil {
		return nil, err
	}
	part, err := seal.Open(blob, ad, seal.Keys(dk))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return part, nil
}

// Answers in progress, a draft's (records.draft) and an edit's
// (pending_edits.data), are stored as versions are: masked, with the
// clear part sealed beside them (records.draft_sealed,
// pending_edits.sealed). They have no version id yet, so the blob is
// bound to the record id and the masked data's hash instead: copied to
// another record it does not open.
func inProgressAD(recordID string, masked []byte) []byte {
	return seal.AD("in progress", recordID, hashHex(masked))
}

// sealInProgress splits and seals a record's answers in progress. It
// reads the record's form outside any transaction (the form engine is
// not run under the write lock); a record that is not there is
// ErrNotFound.
func (db *DB) sealInProgress(ctx context.Context, recordID string, clear []byte) (masked, blob []byte, err error) {
	formID, version, err := db.recordForm(ctx, recordID)
	if err != nil {
		return nil, nil, err
	}
	return db.sealInProgressOf(ctx, formID, version, recordID, clear)
}

// recordForm is the form version of a record; ErrNotFound for none.
func (db *DB) recordForm(ctx context.Context, recordID string) (formID, version string, err error) {
	err = db.sql.QueryRowContext(ctx, `SELECT form_id, form_version FROM records WHERE id = ?`, recordID).Scan(&formID, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("record %s: %w", recordID, ErrNotFound)
	}
	return formID, version, err
}

// sealAnswers is sealInProgress for a save that also audits the answers
// it changed: the changes come back masked by their questions
// (forms.MaskAnswer), their clear values sealed (sealChanges).
func (db *DB) sealAnswers(ctx context.Context, recordID string, clear []byte, changes []*AnswerChange) (masked, blob []byte, sealed []*AnswerChange, err error) {
	formID, version, err := db.recordForm(ctx, recordID)
	if err != nil {
		return nil, nil, nil, err
	}
	if masked, blob, err = db.sealInProgressOf(ctx, formID, version, recordID, clear); err != nil {
		return nil, nil, nil, err
	}
	sealed, err = db.sealChanges(ctx, formID, version, recordID, changes)
	return masked, blob, sealed, err
}

// sealInProgressOf is sealInProgress for a record whose form is known.
func (db *DB) sealInProgressOf(ctx context.Context, formID, version, recordID string, clear []byte) (masked, blob []byte, err error) {
	masked, part, err := db.split(ctx, formID, version, clear)
	if err != nil || part == nil {
		return masked, nil, err
	}
	dk, err := db.dataKey()
	if err != nil {
		return nil, nil, err
	}
	return masked, dk.Seal(part, inProgressAD(recordID, masked)), nil
}

// openStored is a record's current answers, clear: its draft when it
// has no head version, else that version (see openVersion).
func (db *DB) openStored(recordID, head, sha string, masked, blob []byte) ([]byte, error) {
	if head == "" {
		return db.openInProgress(recordID, masked, blob)
	}
	data, err := db.openVersion(head, sha, masked, blob)
	if mo := (*MaskedOnlyError)(nil); errors.As(err, &mo) {
		mo.RecordID = recordID
	}
	return data, err
}

// openInProgress is a record's answers in progress, clear.
func (db *DB) openInProgress(recordID string, masked, blob []byte) ([]byte, error) {
	return db.openPart("record "+recordID+" (answers in progress)", inProgressAD(recordID, masked), masked, blob)
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
	inProgress, err := db.sealExistingInProgress(ctx)
	if err != nil {
		return err
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		if err := sealExistingEntities(ctx, tx, db.key); err != nil {
			return err
		}
		for _, p := range inProgress {
			if err := p.store(ctx, tx); err != nil {
				return err
			}
		}
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

// clearInProgress is a draft or an edit in progress stored clear before
// sealing, and how it is stored now.
type clearInProgress struct {
	recordID, formID, version string
	edit                      bool
	clear, masked, blob       []byte
}

// sealExistingInProgress seals the drafts and edits in progress a
// database from before step 11 holds in clear (outside any transaction:
// the form engine is not run under the write lock).
func (db *DB) sealExistingInProgress(ctx context.Context) ([]*clearInProgress, error) {
	scan := func(row sqlitedb.Scanner) (*clearInProgress, error) {
		p := &clearInProgress{}
		err := row.Scan(&p.recordID, &p.formID, &p.version, &p.edit, &p.clear)
		return p, err
	}
	list, err := sqlitedb.QueryAll(ctx, db.sql, scan, `
		SELECT id, form_id, form_version, 0, draft FROM records
			WHERE head IS NULL AND draft IS NOT NULL AND draft_sealed IS NULL
		UNION ALL
		SELECT p.record_id, r.form_id, r.form_version, 1, p.data FROM pending_edits p JOIN records r ON r.id = p.record_id
			WHERE p.sealed IS NULL`)
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		if p.masked, p.blob, err = db.sealInProgressOf(ctx, p.formID, p.version, p.recordID, p.clear); err != nil {
			return nil, fmt.Errorf("sealing the answers in progress of record %s: %w", p.recordID, err)
		}
	}
	return list, nil
}

// store replaces the clear answers with the sealed ones, unless they were
// saved again since they were read (then they are sealed already).
func (p *clearInProgress) store(ctx context.Context, tx *sql.Tx) error {
	if p.blob == nil {
		return nil
	}
	q := `UPDATE records SET draft = ?, draft_sealed = ? WHERE id = ? AND draft = ? AND draft_sealed IS NULL`
	if p.edit {
		q = `UPDATE pending_edits SET data = ?, sealed = ? WHERE record_id = ? AND data = ? AND sealed IS NULL`
	}
	_, err := tx.ExecContext(ctx, q, p.masked, p.blob, p.recordID, p.clear)
	return err
}

// answerSecret is the sealed field of an answer_changed audit row: the
// clear old and new answers, where masking changed either.
type answerSecret struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// answerAD binds an answer change's sealed field to its record and
// question path.
func answerAD(recordID, path string) []byte { return seal.AD("answer", recordID, path) }

// sealChanges masks the answers of changes by their questions and seals
// the clear ones that masking changed, for the audit trail: its rows are
// kept for good and hashed into the chain as written, so what they hold
// is masked from the start.
func (db *DB) sealChanges(ctx context.Context, formID, version, recordID string, changes []*AnswerChange) ([]*AnswerChange, error) {
	if sealingOff || len(changes) == 0 {
		return changes, nil
	}
	f, err := db.Form(ctx, formID, version)
	if err != nil {
		return nil, err
	}
	dk, err := db.dataKey()
	if err != nil {
		return nil, err
	}
	out := make([]*AnswerChange, len(changes))
	for i, ch := range changes {
		if ch == nil {
			continue
		}
		fd := f.FieldAt(ch.Path)
		m := &AnswerChange{Path: ch.Path, Old: forms.MaskAnswer(fd, ch.Old), New: forms.MaskAnswer(fd, ch.New)}
		if m.Old != ch.Old || m.New != ch.New {
			plain, err := json.Marshal(answerSecret{ch.Old, ch.New})
			if err != nil {
				return nil, err
			}
			m.sealed = dk.Seal(plain, answerAD(recordID, ch.Path))
		}
		out[i] = m
	}
	return out, nil
}
