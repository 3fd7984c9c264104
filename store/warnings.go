package store

import (
	"context"
	"database/sql"
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

// ConfirmWarning writes a confirmation to the audit trail. For a draft,
// draft is its data with the warning now under forms.WarningsKey, stored
// in the same transaction as the event so the two never disagree; a
// finalized record being edited passes nil (its data waits for the new
// version), and only the event is written.
func (db *DB) ConfirmWarning(ctx context.Context, recordID string, draft []byte, name string, w WarningConfirmation) error {
	if draft != nil {
		if _, err := forms.DecodeRecord(draft); err != nil {
			return fmt.Errorf("record %s: the draft is not a JSON object: %w", recordID, err)
		}
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if draft != nil {
			if _, err := draftState(ctx, tx, recordID, "saved as a draft"); err != nil {
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
		if draft != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE records SET draft = ?, updated_at = ?,
				instance_name = CASE WHEN ? = '' THEN instance_name ELSE ? END WHERE id = ?`, draft, c.at, name, name, recordID); err != nil {
				return err
			}
		}
		return c.add(ctx, EventWarningConfirmed, recordID, w)
	})
}
