package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/quality"
	"github.com/fieldbench/fieldbench/store/seal"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// A sealed record's masked answers fail their own checks (a masked ID
// has no valid check digit) and look alike, so the quality report and
// the workbench's search cannot work on them alone. What they need is
// kept beside each sealed version and draft (schema step 12): the
// verdict validating the clear record gave, and the blind index of each
// personal answer (seal.DataKey.Index, keyed by the data key, so a copied
// database cannot try names or ID numbers against it). Quality then runs
// on a locked database, duplicates found by equal tags, and an exact
// name or ID typed into a search is found without opening anything.

// Checks is what is kept of a validated record whose answers are sealed:
// its verdict and its personal answers, indexed when stored.
type Checks struct {
	verdict *quality.Verdict
	answers []seal.PersonalAnswer
}

// ChecksOf is the Checks of a record the form engine validated: an
// importer that validates records itself hands them over in ImportItem,
// so the store does not validate them again.
func ChecksOf(in *forms.Instance, res *forms.Result) *Checks {
	return &Checks{verdict: quality.VerdictOf(in, res), answers: seal.PersonalAnswers(in)}
}

// keptChecks are Checks as stored: the verdict's JSON and the tags by
// answer pointer.
type keptChecks struct {
	verdict string
	tags    [][2]string // pointer, tag
	tagJSON string      // the tags as one JSON object, as kept_verdicts.tags holds them
}

func (c *Checks) keep(dk *seal.DataKey) *keptChecks {
	v, _ := json.Marshal(c.verdict) // strings only: cannot fail
	k := &keptChecks{verdict: string(v), tags: make([][2]string, 0, len(c.answers))}
	for _, a := range c.answers {
		if tag := dk.Index(a.Kind, a.Value); tag != "" {
			k.tags = append(k.tags, [2]string{a.Pointer, tag})
		}
	}
	byPointer := make(map[string]string, len(k.tags))
	for _, t := range k.tags {
		byPointer[t[0]] = t[1]
	}
	b, _ := json.Marshal(byPointer) // strings only: cannot fail
	k.tagJSON = string(b)
	return k
}

// putKept replaces what is kept for owner (a version id, or a draft's
// record id) with k; nil only drops it.
func putKept(ctx context.Context, tx *sql.Tx, owner string, k *keptChecks) error {
	if err := dropKept(ctx, tx, owner); err != nil || k == nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO kept_verdicts (version_id, verdict, tags) VALUES (?, ?, ?)`, owner, k.verdict, k.tagJSON); err != nil {
		return err
	}
	for _, t := range k.tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO blind_index (version_id, path, tag) VALUES (?, ?, ?)`, owner, t[0], t[1]); err != nil {
			return err
		}
	}
	return nil
}

func dropKept(ctx context.Context, tx *sql.Tx, owner string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM kept_verdicts WHERE version_id = ?`, owner); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM blind_index WHERE version_id = ?`, owner)
	return err
}

// keepSealed is what to keep of a record stored with a sealed part (blob
// not nil); nil for one without, whose masked data is its clear data.
func (db *DB) keepSealed(blob []byte, c *Checks) (*keptChecks, error) {
	if blob == nil || c == nil {
		return nil, nil
	}
	dk, err := db.dataKey()
	if err != nil {
		return nil, err
	}
	return c.keep(dk), nil
}

// checksOfData validates a record's clear data to work out its Checks,
// for a caller that holds no validated instance: a draft saved, a record
// stored before step 12, an import that gave none.
func (db *DB) checksOfData(ctx context.Context, formID, version string, clear []byte) (*Checks, error) {
	f, err := db.Form(ctx, formID, version)
	if err != nil {
		return nil, err
	}
	obj, err := forms.DecodeRecord(clear)
	if err != nil {
		return nil, err
	}
	in, res := f.ValidateRecord(obj, forms.Options{Language: forms.LangEn, Now: db.now})
	return ChecksOf(in, res), nil
}

// draftChecks is what to keep of a draft being saved with a sealed part.
func (db *DB) draftChecks(ctx context.Context, recordID string, clear, blob []byte) (*keptChecks, error) {
	if blob == nil {
		return nil, nil
	}
	formID, version, err := db.recordForm(ctx, recordID)
	if err != nil {
		return nil, err
	}
	c, err := db.checksOfData(ctx, formID, version, clear)
	if err != nil {
		return nil, err
	}
	return db.keepSealed(blob, c)
}

// metaIndexPending marks a database whose records step 12 has still to
// index (buildIndex).
const metaIndexPending = "index_pending"

// indexChunk is how many records buildIndex indexes a transaction.
const indexChunk = 500

// buildIndex keeps the checks of the sealed versions and drafts a
// database from before step 12 holds, indexChunk records a transaction,
// so an interrupted build resumes where it stopped. It needs the data
// key: a database opened locked is indexed at the first Open that
// unlocks it (the passphrase given, the key file back in place); until
// then Quality says so.
func (db *DB) buildIndex(ctx context.Context) error {
	var pending string
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, metaIndexPending).Scan(&pending)
	if errors.Is(err, sql.ErrNoRows) || err == nil && db.key == nil {
		return nil
	}
	if err != nil {
		return err
	}
	type unindexed struct {
		owner, recordID, formID, version, sha string
		masked, blob                          []byte
	}
	scan := func(row sqlitedb.Scanner) (unindexed, error) {
		var u unindexed
		err := row.Scan(&u.owner, &u.recordID, &u.formID, &u.version, &u.sha, &u.masked, &u.blob)
		return u, err
	}
	for {
		list, err := sqlitedb.QueryAll(ctx, db.sql, scan, `
			SELECT v.version_id, r.id, r.form_id, r.form_version, v.sha256, v.data, s.blob
				FROM sealed_versions s JOIN record_versions v ON v.version_id = s.version_id JOIN records r ON r.id = v.record_id
				WHERE s.version_id NOT IN (SELECT version_id FROM kept_verdicts)
			UNION ALL
			SELECT id, id, form_id, form_version, '', draft, draft_sealed FROM records
				WHERE head IS NULL AND draft_sealed IS NOT NULL AND id NOT IN (SELECT version_id FROM kept_verdicts)
			LIMIT ?`, indexChunk)
		if err != nil {
			return err
		}
		kept := make([]*keptChecks, len(list))
		for i, u := range list {
			head := "" // a draft's row has no hash
			if u.sha != "" {
				head = u.owner
			}
			clear, err := db.openStored(u.recordID, head, u.sha, u.masked, u.blob)
			if err != nil {
				return fmt.Errorf("indexing: %w", err)
			}
			c, err := db.checksOfData(ctx, u.formID, u.version, clear)
			if err != nil {
				return fmt.Errorf("indexing record %s: %w", u.recordID, err)
			}
			kept[i] = c.keep(db.key)
		}
		err = db.tx(ctx, func(tx *sql.Tx) error {
			for i, u := range list {
				if err := putKept(ctx, tx, u.owner, kept[i]); err != nil {
					return err
				}
			}
			if len(list) < indexChunk {
				_, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, metaIndexPending)
				return err
			}
			return nil
		})
		if err != nil || len(list) < indexChunk {
			return err
		}
	}
}

// IndexMatches are the versions and drafts (by record id) holding a
// personal answer RecordsByIndex looked for.
type IndexMatches map[string]bool

// Holds reports whether rec's current answers (its head version, or its
// draft) are among the matches.
func (m IndexMatches) Holds(rec *Record) bool { return m[rec.IndexOwner()] }

// IndexOwner is the id rec's current answers are kept and indexed under:
// its head version's, or a draft's own record id.
func (r *Record) IndexOwner() string {
	if r.Head != "" {
		return r.Head
	}
	return r.ID
}

// RecordsByIndex finds the records holding a personal answer equal to
// value, compared by blind index with value normalised as at write time
// (white space dropped, full width folded, upper case: an ID typed with
// spaces or a small x is found). It is the exact half of the workbench's
// search: a whole name, ID or phone number. It reads the tag index alone
// (no join), so a caller holding the list of records (Records) matches
// them with Holds. nil when the database is locked, since the index of
// what was typed needs the data key.
func (db *DB) RecordsByIndex(ctx context.Context, value string) (IndexMatches, error) {
	if db.key == nil {
		return nil, nil
	}
	tags := make([]any, 0, len(seal.IndexKinds))
	for _, kind := range seal.IndexKinds {
		if tag := db.key.Index(kind, value); tag != "" {
			tags = append(tags, tag)
		}
	}
	if len(tags) == 0 {
		return nil, nil
	}
	m := IndexMatches{}
	err := sqlitedb.Each(ctx, db.sql, `SELECT version_id FROM blind_index WHERE tag IN (?`+strings.Repeat(`,?`, len(tags)-1)+`)`,
		tags, func(row sqlitedb.Scanner) error {
			var owner string
			if err := row.Scan(&owner); err != nil {
				return err
			}
			m[owner] = true
			return nil
		})
	return m, err
}
