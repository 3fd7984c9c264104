package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/fieldbench/fieldbench/forms/when"
)

// EventReturned is written when a reviewer's return marks a record
// returned.
const EventReturned Event = "returned"

// Return is a record the catalogue's reviewer sent back: the version they
// rejected and what to correct.
type Return struct {
	ReviewID   string // the catalogue's id of the review: a return is applied once
	RecordID   string
	VersionID  string
	Comment    string
	Reviewer   string
	ReviewedAt time.Time // the catalogue's clock; zero if it sent none
	ReceivedAt time.Time // when this laptop got it (LastReturn only)
}

// ApplyReturns marks records returned, in one transaction, and returns
// the ones it marked. A return applies when its version is still the
// record's latest here and the record is sent (or in conflict, or
// returned before for another review): a record the collector has edited
// since is left to its new version. Each return is kept, the record takes
// the reviewer's comment as its sync note, and the trail gets a returned
// event; a return seen before (by its review id) changes nothing, so
// fetching the same returns twice is harmless.
func (db *DB) ApplyReturns(ctx context.Context, returns []Return) ([]Return, error) {
	var applied []Return
	err := db.tx(ctx, func(tx *sql.Tx) error {
		applied = applied[:0]
		var c *chain
		for _, r := range returns {
			var seen int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM returns WHERE review_id = ?`, r.ReviewID).Scan(&seen); err != nil {
				return err
			}
			if seen > 0 {
				continue
			}
			var state State
			var head string
			err := tx.QueryRowContext(ctx, `SELECT state, coalesce(head, '') FROM records WHERE id = ?`, r.RecordID).Scan(&state, &head)
			if errors.Is(err, sql.ErrNoRows) {
				continue // not a record of this laptop's
			}
			if err != nil {
				return err
			}
			if head != r.VersionID || !state.Returnable() {
				continue
			}
			if c == nil {
				if c, err = db.newChain(ctx, tx); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO returns (review_id, record_id, version_id, comment, reviewer, reviewed_at, received_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ReviewID, r.RecordID, r.VersionID, r.Comment, r.Reviewer, when.Stored(r.ReviewedAt), c.at); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE records SET state = 'returned', sync_note = ?, updated_at = ? WHERE id = ?`,
				r.Comment, c.at, r.RecordID); err != nil {
				return err
			}
			if err := c.add(ctx, EventReturned, r.RecordID, map[string]string{"version_id": r.VersionID, "review_id": r.ReviewID,
				"reviewer": r.Reviewer, "reviewed_at": when.Stored(r.ReviewedAt), "comment": r.Comment}); err != nil {
				return err
			}
			applied = append(applied, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return applied, nil
}

// LastReturn is the latest return received for a record; nil if none.
func (db *DB) LastReturn(ctx context.Context, recordID string) (*Return, error) {
	r := &Return{RecordID: recordID}
	err := db.sql.QueryRowContext(ctx, `SELECT review_id, version_id, comment, reviewer, reviewed_at, received_at
		FROM returns WHERE record_id = ? ORDER BY received_at DESC, reviewed_at DESC LIMIT 1`, recordID).
		Scan(&r.ReviewID, &r.VersionID, &r.Comment, &r.Reviewer, when.Column(&r.ReviewedAt), when.Column(&r.ReceivedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}
