package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// madeIn is a version's time in the zone it was made in, from the offset
// kept with it; a version made before offsets were kept (schema step 6)
// takes the laptop's zone of now, the rule that was used for all.
func madeIn(t time.Time, offset sql.NullInt32) time.Time {
	if !offset.Valid {
		return t.In(time.Local)
	}
	return t.In(time.FixedZone("", int(offset.Int32)))
}

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
	SHA256              string // of Data
	Data                []byte // the masked data, as stored
	// Part is the clear value of each answer masking changed in Data
	// (store/seal.Split's sealed part), opened with the laptop's key; nil
	// when masking changed nothing. It goes on the wire sealed again,
	// under the batch's key; seal.Merge(Data, Part) is the clear record.
	Part      []byte
	Collector string
	// CreatedAt is when the version was made, in the zone the laptop was
	// in then: its offset is the collector's day, which the catalogue
	// counts by. A version made before the offset was kept is in the
	// laptop's zone of now.
	CreatedAt time.Time
}

// PendingBatches lists the batches written but not yet answered, oldest
// first: they are sent again, byte for byte, before anything new.
func (db *DB) PendingBatches(ctx context.Context) ([]OutboxBatch, error) {
	return sqlitedb.QueryAll(ctx, db.sql, func(row sqlitedb.Scanner) (OutboxBatch, error) {
		var b OutboxBatch
		err := row.Scan(&b.ID, &b.Body, &b.N)
		return b, err
	}, `SELECT o.batch_id, o.body, (SELECT count(*) FROM outbox_items i WHERE i.batch_id = o.batch_id)
		FROM outbox o WHERE o.sent_at IS NULL ORDER BY o.created_at, o.batch_id`)
}

// QueueBatch takes up to max finalized records into a new batch: build
// turns their versions into the batch's id and bytes, and in the same
// transaction the batch is written to the outbox and the records become
// queued. It returns nil when nothing waits to be sent.
func (db *DB) QueueBatch(ctx context.Context, max int, build func([]QueuedVersion) (id string, body []byte, err error)) (*OutboxBatch, error) {
	q, err := db.QueuePlanned(ctx, max, func(vs []QueuedVersion) (BatchPlan, error) {
		id, body, err := build(vs)
		use := make([]int, len(vs))
		for i := range use {
			use[i] = i
		}
		return BatchPlan{ID: id, Body: body, Use: use}, err
	})
	if q == nil {
		return nil, err
	}
	return q.Batch, err
}

// BatchPlan is what a planner makes of the versions QueuePlanned offers
// it: a batch of some of them, and those that can never be sent.
type BatchPlan struct {
	ID   string
	Body []byte
	// Use lists the offered versions the batch holds, by index, ascending.
	// No batch is written when it is empty.
	Use []int
	// SetAside are versions that can never be sent as they are (too large
	// for any batch the catalogue takes): they leave the queue as
	// rejected, with the reason as their sync note, for a person.
	SetAside []SetAside
	// The offered versions in neither list stay finalized for a later
	// batch.
}

// SetAside is a record version kept from sending, and why.
type SetAside struct {
	Index               int // in the offered versions; QueuePlanned does not fill it in
	RecordID, VersionID string
	Note                string
}

// QueueResult is what one QueuePlanned did.
type QueueResult struct {
	Batch    *OutboxBatch // nil when no version went into a batch
	SetAside []SetAside
}

// EventSetAside: a finalized record was kept from sending for a person
// (too large for the catalogue's batches); its sync note says why.
const EventSetAside Event = "set_aside"

// QueuePlanned offers up to max finalized records, oldest first, to plan,
// and in one transaction writes the planned batch to the outbox, marks
// its records queued and sets aside the records plan refuses. It returns
// nil when nothing waits to be sent, and a QueueResult without a Batch when
// every record offered was set aside: there may be more to send.
//
// The versions are read, their sealed parts opened, and plan run (which
// seals and compresses the batch: most of a sync's work on the laptop)
// outside the write transaction, so that the collector's saves are not
// kept waiting on it. The transaction then checks that every record the
// plan used or set aside is still finalized at the head it was read with;
// if another save or sync moved one meanwhile, nothing is written and the
// batch is planned again from what is there now. What is written is
// written whole or not at all, as before.
func (db *DB) QueuePlanned(ctx context.Context, max int, plan func([]QueuedVersion) (BatchPlan, error)) (*QueueResult, error) {
	for attempt := 1; ; attempt++ {
		vs, rowids, err := db.queueCandidates(ctx, max)
		if err != nil || len(vs) == 0 {
			return nil, err
		}
		p, err := plan(vs)
		if err != nil {
			return nil, err
		}
		out, err := db.writePlan(ctx, vs, rowids, p)
		if errors.Is(err, errQueueMoved) && attempt < maxQueueAttempts {
			continue
		}
		return out, err
	}
}

// maxQueueAttempts bounds how often QueuePlanned plans again because
// records moved while it planned: each time another writer got there
// first, which a collector's typing does a few times a minute at most.
const maxQueueAttempts = 10

// errQueueMoved: a record offered to the plan was changed before the
// plan could be written.
var errQueueMoved = errors.New("records changed while their batch was being built; sync again")

// queueCandidates reads up to max finalized records' head versions,
// oldest first, with their sealed parts opened, and the records' rowids.
func (db *DB) queueCandidates(ctx context.Context, max int) ([]QueuedVersion, []int64, error) {
	var vs []QueuedVersion
	var rowids []int64
	err := sqlitedb.Each(ctx, db.sql, queueSelect, []any{max}, func(row sqlitedb.Scanner) error {
		var q QueuedVersion
		var rowid int64
		var offset sql.NullInt32
		var blob []byte
		if err := row.Scan(&rowid, &q.RecordID, &q.VersionID, &q.ServerHead, &q.FormID, &q.FormVersion, &q.SHA256, &q.Data, &q.Collector, when.Column(&q.CreatedAt), &offset, &blob); err != nil {
			return err
		}
		var err error
		if q.Part, err = db.versionPart(q.VersionID, q.SHA256, blob); err != nil {
			return err
		}
		q.CreatedAt = madeIn(q.CreatedAt, offset)
		vs = append(vs, q)
		rowids = append(rowids, rowid)
		return nil
	})
	return vs, rowids, err
}

// writePlan writes what plan made of vs in one transaction:
// errQueueMoved, writing nothing, when a record it touches is no longer
// finalized at the version it was planned with.
func (db *DB) writePlan(ctx context.Context, vs []QueuedVersion, rowids []int64, p BatchPlan) (*QueueResult, error) {
	out := &QueueResult{}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		*out = QueueResult{}
		if err := stillQueueable(ctx, tx, vs, rowids, p); err != nil {
			return err
		}
		var err error
		if len(p.SetAside) > 0 {
			if out.SetAside, err = db.setAside(ctx, tx, vs, p.SetAside); err != nil {
				return err
			}
		}
		if len(p.Use) == 0 {
			if len(out.SetAside) == 0 {
				return fmt.Errorf("the batch planner took none of %d records and set none aside", len(vs))
			}
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (batch_id, created_at, body) VALUES (?, ?, ?)`, p.ID, db.stamp(), p.Body); err != nil {
			return err
		}
		// The items and the state change are one statement each, over the
		// records' rowids as read: a statement per record cost more in
		// the driver than in SQLite. stillQueueable found those rows at
		// the heads the batch carries, under the write lock this holds.
		used := make([]int64, len(p.Use))
		for i, k := range p.Use {
			used[i] = rowids[k]
		}
		list, err := json.Marshal(used)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, queueItems, p.ID, string(list)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, queueMark, string(list)); err != nil {
			return err
		}
		out.Batch = &OutboxBatch{ID: p.ID, Body: p.Body, N: len(p.Use)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// stillQueueable is errQueueMoved unless every record the plan uses or
// sets aside is still finalized with the head version it was read with.
func stillQueueable(ctx context.Context, tx *sql.Tx, vs []QueuedVersion, rowids []int64, p BatchPlan) error {
	var pairs [][2]any
	for _, k := range p.Use {
		pairs = append(pairs, [2]any{rowids[k], vs[k].VersionID})
	}
	for _, r := range p.SetAside {
		pairs = append(pairs, [2]any{rowids[r.Index], vs[r.Index].VersionID})
	}
	if len(pairs) == 0 {
		return nil
	}
	list, err := json.Marshal(pairs)
	if err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, queueCheck, string(list)).Scan(&n); err != nil {
		return err
	}
	if n != len(pairs) {
		return errQueueMoved
	}
	return nil
}

// setAside marks the refused versions rejected with their notes, each
// with an audit row, and names them.
func (db *DB) setAside(ctx context.Context, tx *sql.Tx, vs []QueuedVersion, refused []SetAside) ([]SetAside, error) {
	c, err := db.newChain(ctx, tx)
	if err != nil {
		return nil, err
	}
	out := make([]SetAside, len(refused))
	for i, r := range refused {
		v := vs[r.Index]
		if _, err := tx.ExecContext(ctx, `UPDATE records SET state = 'rejected', sync_note = ?, updated_at = ? WHERE id = ? AND head = ?`,
			r.Note, c.at, v.RecordID, v.VersionID); err != nil {
			return nil, err
		}
		if err := c.add(ctx, EventSetAside, v.RecordID, map[string]any{"version_id": v.VersionID, "bytes": len(v.Data), "note": r.Note}); err != nil {
			return nil, err
		}
		out[i] = SetAside{Index: r.Index, RecordID: v.RecordID, VersionID: v.VersionID, Note: r.Note}
	}
	return out, nil
}

// Unqueue takes back a batch the catalogue refused whole without storing
// any of it (413: larger than it takes): the batch leaves the outbox and
// its records, still as queued, are finalized again, to go in batches cut
// to the catalogue's limits. Resending them is safe however the refusal
// came about, since the catalogue answers a version it holds already as a
// duplicate. A batch already answered is left alone.
func (db *DB) Unqueue(ctx context.Context, batchID string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var sent sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT sent_at FROM outbox WHERE batch_id = ?`, batchID).Scan(&sent); err != nil {
			return fmt.Errorf("batch %s: %w", batchID, err)
		}
		if sent.Valid {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE records SET state = 'finalized'
			WHERE state = 'queued' AND id IN (SELECT record_id FROM outbox_items WHERE batch_id = ?1)
			AND head IN (SELECT version_id FROM outbox_items WHERE batch_id = ?1)`, batchID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox_items WHERE batch_id = ?`, batchID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE batch_id = ?`, batchID)
		return err
	})
}

// QueueBatch's statements. queueSelect follows records_state, so the
// order needs no sort. It reads the head version only: a record with an
// edit in progress (pending_edits) is sent as it was last finalized, and
// the edit's answers never leave the laptop half done; they go with the
// sync after the edit is saved as a new version.
const (
	queueSelect = `SELECT r.rowid, r.id, v.version_id, r.server_head, r.form_id, r.form_version, v.sha256, v.data, v.collector, v.created_at, v.utc_offset, s.blob
		FROM records r JOIN record_versions v ON v.version_id = r.head LEFT JOIN sealed_versions s ON s.version_id = r.head
		WHERE r.state = 'finalized' ORDER BY r.updated_at, r.rowid LIMIT ?`
	queueItems = `INSERT INTO outbox_items (batch_id, version_id, record_id)
		SELECT ?1, head, id FROM records WHERE rowid IN (SELECT value FROM json_each(?2))`
	queueMark = `UPDATE records SET state = 'queued' WHERE rowid IN (SELECT value FROM json_each(?1))`
	// queueCheck counts the [rowid, head] pairs of ?1 that are records
	// still finalized at that head. CROSS JOIN keeps the pairs the outer
	// loop, each record found by its rowid: by the state index instead,
	// the pairs would be scanned once per finalized record.
	queueCheck = `SELECT count(*) FROM json_each(?1) CROSS JOIN records r ON r.rowid = json_extract(json_each.value, '$[0]')
		WHERE r.state = 'finalized' AND r.head = json_extract(json_each.value, '$[1]')`
)

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
	byVersion := make(map[string]*Outcome, len(outcomes))
	for i := range outcomes {
		byVersion[outcomes[i].VersionID] = &outcomes[i]
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		var sent sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT sent_at FROM outbox WHERE batch_id = ?`, batchID).Scan(&sent); err != nil {
			return fmt.Errorf("batch %s: %w", batchID, err)
		}
		if sent.Valid {
			return nil // applied before (a receipt fetched twice)
		}
		type item struct{ version, record string }
		items, err := sqlitedb.QueryAll(ctx, tx, func(row sqlitedb.Scanner) (item, error) {
			var it item
			err := row.Scan(&it.version, &it.record)
			return it, err
		}, `SELECT version_id, record_id FROM outbox_items WHERE batch_id = ?`, batchID)
		if err != nil {
			return err
		}
		// The items fall into a few kinds of outcome (nearly always one:
		// all accepted), and each kind is one UPDATE over the batch's
		// items rather than one UPDATE per record.
		counts := map[State]int{}
		var kinds []outcomeKind
		versions := map[outcomeKind][]string{}
		records := make(map[string]bool, len(items))
		once := true // no record has two versions in the batch
		for _, it := range items {
			o, ok := byVersion[it.version]
			if !ok {
				return fmt.Errorf("the receipt of batch %s says nothing of version %s", batchID, it.version)
			}
			counts[o.State]++
			k := outcomeKind{o.State, o.Note, o.OnServer}
			if _, ok := versions[k]; !ok {
				kinds = append(kinds, k)
			}
			versions[k] = append(versions[k], it.version)
			once = once && !records[it.record]
			records[it.record] = true
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		switch {
		case !once:
			// UPDATE ... FROM would apply only one of a record's versions:
			// one statement per item, in item order, as QueueBatch never
			// makes such a batch.
			update, err := tx.PrepareContext(ctx, applyOne)
			if err != nil {
				return err
			}
			defer update.Close()
			for _, it := range items {
				o := byVersion[it.version]
				if _, err := update.ExecContext(ctx, string(o.State), o.Note, o.OnServer, c.at, batchID, it.version); err != nil {
					return err
				}
			}
		default:
			for _, k := range kinds {
				list, err := json.Marshal(versions[k])
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, applyKind, string(k.state), k.note, k.onServer, c.at, batchID, string(list)); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sent_at = ?, receipt = ? WHERE batch_id = ?`, c.at, string(receipt), batchID); err != nil {
			return err
		}
		return c.add(ctx, EventSynced, "", map[string]any{"batch_id": batchID, "sent": counts[Sent], "conflicts": counts[Conflict], "rejected": counts[Rejected]})
	})
}

// ApplyReceipt's statements: one kind of outcome (state ?1, note ?2,
// whether the catalogue now holds the version ?3) for the items of batch
// ?5 listed in the JSON array ?6 (applyKind), or the one item ?6
// (applyOne). Only a record whose head is still the
// item's version changes state: an edit made meanwhile is a new version
// still to be sent.
const (
	applyBase = `UPDATE records SET
		state = CASE WHEN records.head = i.version_id THEN ?1 ELSE records.state END,
		sync_note = CASE WHEN records.head = i.version_id THEN ?2 ELSE records.sync_note END,
		server_head = CASE WHEN ?3 THEN i.version_id ELSE records.server_head END,
		updated_at = ?4
		FROM outbox_items i WHERE i.batch_id = ?5 AND records.id = i.record_id`
	applyKind = applyBase + ` AND i.version_id IN (SELECT value FROM json_each(?6))`
	applyOne  = applyBase + ` AND i.version_id = ?6`
)

// outcomeKind is what ApplyReceipt does to the records of one kind of
// outcome.
type outcomeKind struct {
	state    State
	note     string
	onServer bool
}

// LastSync is when the catalogue last answered a batch or a whole sync
// ended well; the zero time if never.
func (db *DB) LastSync(ctx context.Context) (time.Time, error) {
	var at time.Time
	err := db.sql.QueryRowContext(ctx, `SELECT max(at) FROM (
		SELECT max(sent_at) AS at FROM outbox
		UNION ALL SELECT value FROM meta WHERE key = 'last_sync')`).Scan(when.Column(&at))
	return at, err
}

// MarkSynced records that a sync with the catalogue ended well now. A
// sync with nothing to send still brought returns and forms, and the
// collector reads "last sync" to know how fresh those are.
func (db *DB) MarkSynced(ctx context.Context) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('last_sync', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, db.stamp())
		return err
	})
}

// SyncNote is the catalogue's reason for a record's conflict or rejection.
func (db *DB) SyncNote(ctx context.Context, recordID string) (string, error) {
	var note string
	err := db.sql.QueryRowContext(ctx, `SELECT sync_note FROM records WHERE id = ?`, recordID).Scan(&note)
	return note, err
}
