package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// The events of an edit in progress. Its answers are audited as a draft's
// are (answer_changed); an edit ends either as an edited event (Edit) or
// as edit_discarded.
const (
	EventEditStarted   Event = "edit_started"
	EventEditDiscarded Event = "edit_discarded"
)

// ErrNoEdit is returned for a record that has no edit in progress.
var ErrNoEdit = errors.New("no edit in progress")

// PendingEdit is an edit of a finalized record that was not saved yet: the
// answers so far, kept beside the record. The record itself (its state,
// its head version, its instance name) is as it was finalized: that is
// what sync sends and export writes until Edit makes the new version.
type PendingEdit struct {
	Record             // the record as finalized, without Data
	Base     string    // the version the edit started from
	EditName string    // the instance name of the edit's answers
	EditedAt time.Time // when the edit's last answer was saved
	Data     []byte    // the edit's answers, in the exchange shape
}

// SaveEdit stores the answers of an edit of a finalized record with their
// audit rows in one small transaction, as SaveDraftNamed does for a draft:
// a crash mid-edit loses at most the answer being typed. The first save
// starts the edit (an edit_started event naming the version it edits);
// the record and its versions are not touched.
func (db *DB) SaveEdit(ctx context.Context, recordID string, data []byte, name string, changes ...*AnswerChange) error {
	if _, err := forms.DecodeRecord(data); err != nil {
		return fmt.Errorf("record %s: the edit is not a JSON object: %w", recordID, err)
	}
	masked, blob, changes, err := db.sealAnswers(ctx, recordID, data, changes)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		if err := db.putEdit(ctx, tx, c, recordID, masked, blob, name); err != nil {
			return err
		}
		added, err := c.addChanges(ctx, recordID, changes)
		if err != nil || added {
			return err
		}
		return c.add(ctx, EventDraftSaved, recordID, map[string]any{"bytes": len(data), "pending_edit": true})
	})
}

// putEdit writes an edit's sealed answers (sealInProgress) inside a write
// transaction, starting the edit if there is none. A draft has no
// finalized version to edit.
func (db *DB) putEdit(ctx context.Context, tx *sql.Tx, c *chain, recordID string, masked, blob []byte, name string) error {
	var state State
	var head string
	var headBlob []byte
	err := tx.QueryRowContext(ctx, `SELECT r.state, coalesce(r.head, ''), s.blob FROM records r
		LEFT JOIN sealed_versions s ON s.version_id = r.head WHERE r.id = ?`, recordID).Scan(&state, &head, &headBlob)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("record %s: %w", recordID, ErrNotFound)
	}
	if err != nil {
		return err
	}
	if state == Draft || head == "" {
		return &ErrWrongState{ID: recordID, State: state, Action: "edited"}
	}
	if isMaskedOnly(headBlob) {
		// RecordToEdit refused it already, unless retention ran since.
		return &MaskedOnlyError{RecordID: recordID, VersionID: head}
	}
	name = forms.MaskEmbeddedIDs(name) // as records' names are stored
	res, err := tx.ExecContext(ctx, `UPDATE pending_edits SET data = ?, sealed = ?, instance_name = ?, updated_at = ? WHERE record_id = ?`,
		masked, blob, name, c.at, recordID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO pending_edits (record_id, base, data, sealed, instance_name, started_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, recordID, head, masked, blob, name, c.at, c.at); err != nil {
		return err
	}
	return c.add(ctx, EventEditStarted, recordID, map[string]string{"base": head})
}

const pendingEditColumns = `r.id, r.form_id, r.form_version, r.state, r.instance_name, r.collector, r.device_id,
	r.created_at, r.updated_at, coalesce(r.head, ''), p.base, p.instance_name, p.updated_at`

func scanPendingEdit(s sqlitedb.Scanner, e *PendingEdit, more ...any) error {
	fields := append(recordFields(&e.Record), &e.Base, &e.EditName, when.Column(&e.EditedAt))
	return s.Scan(append(fields, more...)...)
}

// PendingEdits lists the edits in progress, most recently touched first,
// for the offer to resume them at start-up. Data is left out.
func (db *DB) PendingEdits(ctx context.Context) ([]PendingEdit, error) {
	scan := func(row sqlitedb.Scanner) (PendingEdit, error) {
		var e PendingEdit
		err := scanPendingEdit(row, &e)
		return e, err
	}
	return sqlitedb.QueryAll(ctx, db.sql, scan, `SELECT `+pendingEditColumns+`
		FROM pending_edits p JOIN records r ON r.id = p.record_id ORDER BY p.updated_at DESC, p.record_id DESC`)
}

// ResumeEdit returns a record's edit in progress to carry on with it, and
// records that it was resumed; nil when the record has none.
func (db *DB) ResumeEdit(ctx context.Context, recordID string) (*PendingEdit, error) {
	var e *PendingEdit
	err := db.tx(ctx, func(tx *sql.Tx) error {
		e = &PendingEdit{}
		var blob []byte
		row := tx.QueryRowContext(ctx, `SELECT `+pendingEditColumns+`, p.data, p.sealed
			FROM pending_edits p JOIN records r ON r.id = p.record_id WHERE p.record_id = ?`, recordID)
		err := scanPendingEdit(row, e, &e.Data, &blob)
		if errors.Is(err, sql.ErrNoRows) {
			e = nil
			return nil
		}
		if err != nil {
			return err
		}
		if e.Data, err = db.openInProgress(recordID, e.Data, blob); err != nil {
			return err
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		return c.add(ctx, EventResumed, recordID, map[string]string{"pending_edit": e.Base})
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// DiscardEdit drops a record's edit in progress: the record stays as it
// was finalized. The audit trail keeps what the edit held.
func (db *DB) DiscardEdit(ctx context.Context, recordID string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var base string
		var data, blob []byte
		err := tx.QueryRowContext(ctx, `SELECT base, data, sealed FROM pending_edits WHERE record_id = ?`, recordID).Scan(&base, &data, &blob)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("record %s: %w", recordID, ErrNoEdit)
		}
		if err != nil {
			return err
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_edits WHERE record_id = ?`, recordID); err != nil {
			return err
		}
		return c.add(ctx, EventEditDiscarded, recordID, discardedDetail{Base: base, Data: string(data), Sealed: blob})
	})
}

// endEdit removes the edit in progress that Edit has just saved (or found
// to change nothing), inside Edit's transaction. c is nil when Edit wrote
// no version: then an edit that was in progress is closed in the trail as
// discarded, unchanged, so every edit_started has its end.
func (db *DB) endEdit(ctx context.Context, tx *sql.Tx, c *chain, recordID string) error {
	var base string
	err := tx.QueryRowContext(ctx, `DELETE FROM pending_edits WHERE record_id = ? RETURNING base`, recordID).Scan(&base)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && c != nil) {
		return nil
	}
	if err != nil {
		return err
	}
	if c, err = db.newChain(ctx, tx); err != nil {
		return err
	}
	return c.add(ctx, EventEditDiscarded, recordID, map[string]string{"base": base, "reason": "unchanged"})
}
