package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/fieldbench/fieldbench/forms"
)

// WarningConfirmation is a warning about an answer that the collector
// looked at and confirmed, as the audit trail keeps it: which answer, what
// it was, and the message the collector saw.
type WarningConfirmation struct {
	Field   string `json:"field"`
	Path    string `json:"path"`
	Rule    string `json:"rule"`
	Value   string `json:"value"`
	Message string `json:"message"`
}

// ConfirmWarning writes a confirmation to the audit trail. draft is the
// record's answers with the warning now under forms.WarningsKey: a
// draft's, or for a finalized record those of its edit in progress (see
// SaveEdit), stored in the same transaction as the event so the two never
// disagree. nil writes only the event.
func (db *DB) ConfirmWarning(ctx context.Context, recordID string, draft []byte, name string, w WarningConfirmation) error {
	if draft != nil {
		if _, err := forms.DecodeRecord(draft); err != nil {
			return fmt.Errorf("record %s: the draft is not a JSON object: %w", recordID, err)
		}
	}
	name = forms.MaskEmbeddedIDs(name) // as records' names are stored
	var masked, blob []byte
	var kept *keptChecks
	if draft != nil {
		var err error
		if masked, blob, err = db.sealInProgress(ctx, recordID, draft); err != nil {
			return err
		}
		// Worked out before the write lock, whether the answers are a
		// draft's or an edit's: only a draft's are kept (an edit in
		// progress is not measured).
		if kept, err = db.draftChecks(ctx, recordID, draft, blob); err != nil {
			return err
		}
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		var state State
		if draft != nil {
			if err := tx.QueryRowContext(ctx, `SELECT state FROM records WHERE id = ?`, recordID).Scan(&state); err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("record %s: %w", recordID, ErrNotFound)
				}
				return err
			}
		} else {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM records WHERE id = ?`, recordID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("record %s: %w", recordID, ErrNotFound)
			}
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		if draft != nil && state != Draft {
			if err := db.putEdit(ctx, tx, c, recordID, masked, blob, name); err != nil {
				return err
			}
		} else if draft != nil {
			if err := putDraft(ctx, tx, c, recordID, masked, blob, name, kept); err != nil {
				return err
			}
		}
		return c.add(ctx, EventWarningConfirmed, recordID, w)
	})
}
