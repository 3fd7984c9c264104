package store

import (
	"context"
	"database/sql"
	"fmt"
)

// OutboxBatch is a batch in the outbox: the exact bytes to send.
type OutboxBatch struct {
	ID   string
	Body []byte
	N    int // record versions it carries
}

// QueuedVersion is a finalized record version on its way into a batch.
type QueuedVersion struct {
	RecordID, VersionID string
	ServerHead          string // what the catalogue holds as this record's latest; "" if none
	FormID, FormVersion string
	SHA256              string
	Data                []byte
	Collector           string
	CreatedAt           string
}

// PendingBatches lists the batches written but not yet answered, oldest
// first: they are sent again, byte for byte, before anything new.
func (db *DB) PendingBatches(ctx context.Context) ([]OutboxBatch, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT o.batch_id, o.body, (SELECT count(*) FROM outbox_items i WHERE i.batch_id = o.batch_id)
		FROM outbox o WHERE o.sent_at IS NULL ORDER BY o.created_at, o.batch_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxBatch
	for rows.Next() {
		var b OutboxBatch
		if err := rows.Scan(&b.ID, &b.Body, &b.N); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// QueueBatch takes up to max finalized records into a new batch: build
// turns their versions into the batch's id and bytes, and in the same
// transaction the batch is written to the outbox and the records become
// queued. It returns nil when nothing waits to be sent.
func (db *DB) QueueBatch(ctx context.Context, max int, build func([]QueuedVersion) (id string, body []byte, err error)) (*OutboxBatch, error) {
	var out *OutboxBatch
	err := db.tx(ctx, func(tx *sql.Tx) error {
		out = nil
		rows, err := tx.QueryContext(ctx, `SELECT r.id, v.version_id, r.server_head, r.form_id, r.form_version, v.sha256, v.data, v.collector, v.created_at
			FROM records r JOIN record_versions v ON v.version_id = r.head
			WHERE r.state = 'finalized' ORDER BY r.updated_at, r.rowid LIMIT ?`, max)
		if err != nil {
			return err
		}
		var vs []QueuedVersion
		for rows.Next() {
			var q QueuedVersion
			if err := rows.Scan(&q.RecordID, &q.VersionID, &q.ServerHead, &q.FormID, &q.FormVersion, &q.SHA256, &q.Data, &q.Collector, &q.CreatedAt); err != nil {
				rows.Close()
				return err
			}
			vs = append(vs, q)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(vs) == 0 {
			return err
		}
		id, body, err := build(vs)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (batch_id, created_at, body) VALUES (?, ?, ?)`, id, db.stamp(), body); err != nil {
			return err
		}
		item, err := tx.PrepareContext(ctx, `INSERT INTO outbox_items (batch_id, version_id, record_id) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer item.Close()
		for _, q := range vs {
			if _, err := item.ExecContext(ctx, id, q.VersionID, q.RecordID); err != nil {
				return err
			}
		}
		// One statement marks the batch's records queued.
		if _, err := tx.ExecContext(ctx, `UPDATE records SET state = 'queued'
			WHERE id IN (SELECT record_id FROM outbox_items WHERE batch_id = ?)`, id); err != nil {
			return err
		}
		out = &OutboxBatch{ID: id, Body: body, N: len(vs)}
		return nil
	})
	return out, err
}

// Outcome is what the catalogue said of one record version.
type Outcome struct {
	State     State  // Sent, Conflict or Rejected
	Note      string // the catalogue's reason, for conflicts and rejections
	OnServer  bool   // the catalogue now holds this version as the record's latest
	VersionID string
}

// ApplyReceipt records the catalogue's answer to a batch in one
// transaction: the receipt is kept, the batch leaves the outbox, each
// record takes its outcome, and the trail gets a synced event. Every
// version of the batch must have an outcome.
func (db *DB) ApplyReceipt(ctx context.Context, batchID string, receipt []byte, outcomes []Outcome) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var sent sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT sent_at FROM outbox WHERE batch_id = ?`, batchID).Scan(&sent); err != nil {
			return fmt.Errorf("batch %s: %w", batchID, err)
		}
		if sent.Valid {
			return nil // applied before (a receipt fetched twice)
		}
		byVersion := map[string]Outcome{}
		for _, o := range outcomes {
			byVersion[o.VersionID] = o
		}
		rows, err := tx.QueryContext(ctx, `SELECT version_id, record_id FROM outbox_items WHERE batch_id = ?`, batchID)
		if err != nil {
			return err
		}
		type item struct{ version, record string }
		var items []item
		for rows.Next() {
			var it item
			if err := rows.Scan(&it.version, &it.record); err != nil {
				rows.Close()
				return err
			}
			items = append(items, it)
		}
		rows.Close()
		counts := map[State]int{}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		// One statement for every item: prepared once, not per record.
		update, err := tx.PrepareContext(ctx, `UPDATE records SET
			state = CASE WHEN head = ? THEN ? ELSE state END,
			sync_note = CASE WHEN head = ? THEN ? ELSE sync_note END,
			server_head = CASE WHEN ? != '' THEN ? ELSE server_head END,
			updated_at = ?
			WHERE id = ?`)
		if err != nil {
			return err
		}
		defer update.Close()
		for _, it := range items {
			o, ok := byVersion[it.version]
			if !ok {
				return fmt.Errorf("the receipt of batch %s says nothing of version %s", batchID, it.version)
			}
			counts[o.State]++
			head := ""
			if o.OnServer {
				head = it.version
			}
			// Only a record whose head is still this version changes state:
			// an edit made meanwhile is a new version still to be sent.
			if _, err := update.ExecContext(ctx, it.version, string(o.State), it.version, o.Note, head, head, c.at, it.record); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = ?, receipt = ? WHERE batch_id = ?`, c.at, string(receipt), batchID); err != nil {
			return err
		}
		return c.add(ctx, EventSynced, "", map[string]any{"batch_id": batchID, "sent": counts[Sent], "conflicts": counts[Conflict], "rejected": counts[Rejected]})
	})
}

// LastSync is when the catalogue last answered a batch; "" if never.
func (db *DB) LastSync(ctx context.Context) (string, error) {
	var at sql.NullString
	err := db.sql.QueryRowContext(ctx, `SELECT max(sent_at) FROM outbox`).Scan(&at)
	return at.String, err
}

// SyncNote is the catalogue's reason for a record's conflict or rejection.
func (db *DB) SyncNote(ctx context.Context, recordID string) (string, error) {
	var note string
	err := db.sql.QueryRowContext(ctx, `SELECT sync_note FROM records WHERE id = ?`, recordID).Scan(&note)
	return note, err
}
