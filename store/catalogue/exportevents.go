package catalogue

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// ExportEvent is one export as the audit keeps it.
type ExportEvent struct {
	ID         string
	StartedAt  time.Time
	FinishedAt time.Time // zero while running, or when the process died mid-way
	UserID     string    // the token holder; "" for the administrator
	Command    string    // the administrator's command line; "" for HTTP
	FormID     string
	Format     string // csv, xlsx or jsonl; entities-FORMAT for an entity list, entities for a clear listing
	File       string // csv over HTTP: the one file sent; the entity list
	Sharing    string // the sharing type applied
	Masked     bool
	Records    int    // -1 until finished
	Remote     string // the HTTP client's address
	Failure    string // why it stopped; "" when complete
}

// startExport writes the event's row before the first record goes out.
func (db *DB) startExport(ctx context.Context, x *Export) (string, error) {
	return db.startAudit(ctx, x.req.User, x.req.Command, x.req.FormID, x.req.Format, x.only, x.sharing, x.opts.Masked, x.req.Remote)
}

// startAudit writes an export's row in export_events before anything goes
// out: user is nil for the administrator, whose command is kept instead.
func (db *DB) startAudit(ctx context.Context, user *wire.User, command, formID, format, file, sharing string, masked bool, remote string) (string, error) {
	raw := make([]byte, 8)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	id := "export-" + hex.EncodeToString(raw)
	userID := ""
	if user != nil {
		userID = user.ID
	}
	err := db.tx(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, qExportStart, id, db.stamp(), userID, forms.Sanitize(command, false),
			formID, format, file, sharing, boolInt(masked), remote)
		return err
	})
	return id, err
}

// finishExport completes the event with the count and, when the export
// failed, why.
func (db *DB) finishExport(ctx context.Context, id string, n int, failure error) error {
	why := ""
	if failure != nil {
		why = forms.Sanitize(failure.Error(), false)
	}
	return db.tx(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, qExportFinish, db.stamp(), n, why, id)
		return err
	})
}

// ExportEvents lists the exports of a form (formID "": of every form),
// oldest first.
func (db *DB) ExportEvents(ctx context.Context, formID string) ([]ExportEvent, error) {
	q, args := qExportEventsAll, []any{}
	if formID != "" {
		q, args = qExportEventsForm, []any{formID}
	}
	return sqlitedb.QueryAll(ctx, db.reads(), func(row sqlitedb.Scanner) (ExportEvent, error) {
		var e ExportEvent
		var masked int
		var records sql.NullInt64
		if err := row.Scan(&e.ID, when.Column(&e.StartedAt), when.Column(&e.FinishedAt), &e.UserID, &e.Command, &e.FormID, &e.Format, &e.File,
			&e.Sharing, &masked, &records, &e.Remote, &e.Failure); err != nil {
			return e, err
		}
		e.Masked = masked != 0
		e.Records = -1
		if records.Valid {
			e.Records = int(records.Int64)
		}
		return e, nil
	}, q, args...)
}

// The statements of exports and their audit.
const (
	qMetaGet = `SELECT value FROM meta WHERE key = ?`

	// Two servers making the key at once: one insert wins, the other
	// does nothing and reads the winner's.
	qMetaInsertNew = `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`

	// The county is a prefix of digits (checked), so LIKE sees no
	// wildcard but its own.
	qRecordHeadsWithin = `SELECT r.record_id, v.data, ` + sealedCols + ` FROM records r JOIN versions v ON v.version_id = r.head_version
		WHERE r.form_id = ? AND r.township LIKE ?
		ORDER BY r.first_seq, r.first_pos`

	qExportStart = `INSERT INTO export_events (id, started_at, user_id, command, form_id, format, file, sharing, masked, remote)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	qExportFinish = `UPDATE export_events SET finished_at = ?, records = ?, failure = ? WHERE id = ?`

	qExportEventsForm = `SELECT id, started_at, coalesce(finished_at, ''), user_id, command, form_id, format, file,
			sharing, masked, records, remote, failure
		FROM export_events WHERE form_id = ? ORDER BY started_at, id`

	qExportEventsAll = `SELECT id, started_at, coalesce(finished_at, ''), user_id, command, form_id, format, file,
			sharing, masked, records, remote, failure
		FROM export_events ORDER BY started_at, id`
)
