package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/forms/canonjson"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// Event names what an audit row records.
type Event string

// The events written so far; sync adds its own as it arrives.
const (
	EventFormAdded     Event = "form_added"
	EventFormOpened    Event = "form_opened"
	EventDraftCreated  Event = "draft_created"
	EventAnswerChanged Event = "answer_changed"
	EventDraftSaved    Event = "draft_saved"
	EventResumed       Event = "resumed"
	EventDiscarded     Event = "draft_discarded"
	EventFinalized     Event = "finalized"
	EventEdited        Event = "edited"
	EventImported      Event = "imported"
	EventExported      Event = "exported"
	EventSynced        Event = "synced"
	// EventWarningConfirmed: the collector looked at a warning about an
	// answer (a soft check) and confirmed the answer is right.
	EventWarningConfirmed Event = "warning_confirmed"
)

// genesis is the prev_hash of the first row.
var genesis = strings.Repeat("0", 64)

// chain appends audit rows within one write transaction. It reads the last
// row once, then keeps seq and hash in memory, so a batch of thousands of
// imports does not query the tail per row. Safe because the transaction
// holds the write lock: nobody else can append meanwhile.
type chain struct {
	tx        *sql.Tx
	stmt      *sql.Stmt
	seq       int64
	hash      string
	collector string
	device    string
	now       time.Time // in UTC, as at holds it
	at        string
	// offset is that of the laptop's zone at now, in seconds east of UTC:
	// the day a version made now falls on for the collector, kept because
	// the zone may have changed by the time it is sent.
	offset int
}

func (db *DB) newChain(ctx context.Context, tx *sql.Tx) (*chain, error) {
	now := db.now()
	_, offset := now.Zone()
	c := &chain{tx: tx, hash: genesis, device: db.deviceID, now: now.UTC(), at: when.Stored(now), offset: offset}
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&c.seq, &c.hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if c.collector, err = db.collectorTx(ctx, tx); err != nil {
		return nil, err
	}
	return c, nil
}

// add appends one event; detail is marshalled to JSON (nil becomes {}).
// addChanges records one answer_changed event for each change given (nil
// ones are skipped); added says whether any was, so a save without a
// change is recorded as draft_saved instead.
func (c *chain) addChanges(ctx context.Context, recordID string, changes []*AnswerChange) (added bool, err error) {
	for _, change := range changes {
		if change == nil {
			continue
		}
		if err := c.add(ctx, EventAnswerChanged, recordID, answerDetail{New: change.New, Old: change.Old, Path: change.Path, Sealed: change.sealed}); err != nil {
			return added, err
		}
		added = true
	}
	return added, nil
}

// answerDetail is an answer_changed row's detail: the answers masked,
// and sealed (base64) the clear ones when masking changed them. Members
// in name order, as the map written before it had them, so a row with
// nothing sealed is written as it always was.
type answerDetail struct {
	New    string `json:"new"`
	Old    string `json:"old"`
	Path   string `json:"path"`
	Sealed []byte `json:"sealed,omitempty"`
}

// discardedDetail is a draft_discarded or edit_discarded row's detail:
// the answers as they were stored (masked) and their sealed part, which
// opens as the draft's or the edit's did (inProgressAD).
type discardedDetail struct {
	Base   string `json:"base,omitempty"`
	Data   string `json:"data,omitempty"`
	Draft  string `json:"draft,omitempty"`
	Sealed []byte `json:"sealed,omitempty"`
}

func (c *chain) add(ctx context.Context, ev Event, recordID string, detail any) error {
	d := []byte("{}")
	if detail != nil {
		var err error
		if d, err = json.Marshal(detail); err != nil {
			return err
		}
	}
	return c.addJSON(ctx, ev, recordID, string(d))
}

// addJSON appends one event whose detail is already JSON, as add would
// have marshalled it.
func (c *chain) addJSON(ctx context.Context, ev Event, recordID, detail string) error {
	if c.stmt == nil {
		var err error
		c.stmt, err = c.tx.PrepareContext(ctx, `INSERT INTO audit
			(seq, at, collector, device_id, event, record_id, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
	}
	r := c.row(ev, recordID, detail)
	if _, err := c.stmt.ExecContext(ctx, r.Seq, r.stamp, r.Collector, r.DeviceID, string(r.Event),
		r.RecordID, r.Detail, r.PrevHash, r.Hash); err != nil {
		return err
	}
	// The head of the chain, kept beside it: rows deleted from the end
	// leave no gap in the chain itself, but they leave the head pointing
	// past the last row.
	if _, err := c.tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('audit_head', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, auditHead(r.Seq, r.Hash)); err != nil {
		return err
	}
	c.seq, c.hash = r.Seq, r.Hash
	return nil
}

// row is the next row of the chain, not yet written or taken.
func (c *chain) row(ev Event, recordID, detail string) AuditRow {
	r := AuditRow{Seq: c.seq + 1, At: c.now, stamp: c.at, Collector: c.collector, DeviceID: c.device,
		Event: ev, RecordID: recordID, Detail: detail, PrevHash: c.hash}
	r.Hash = r.computeHash()
	return r
}

// AuditRow is one event of the trail.
type AuditRow struct {
	Seq       int64
	At        time.Time
	Collector string
	DeviceID  string
	Event     Event
	RecordID  string
	Detail    string // JSON
	PrevHash  string
	Hash      string
	// stamp is At as stored, which the hash covers: a time edited into
	// no time at all must still fail its hash, not the reading.
	stamp string
}

// computeHash hashes a JSON array of the row's fields: JSON escapes every
// separator, so no two different rows share an encoding. encoding/json
// would turn invalid UTF-8 into U+FFFD, making two different rows hash
// alike, so a field that is not valid UTF-8 is written as {"b64": ...} of
// its exact bytes instead: still injective, and unchanged for valid text.
// The bytes are json.Marshal's of that array (strings with <, > and &
// escaped), which every stored hash is of.
func (r *AuditRow) computeHash() string {
	var buf [512]byte
	b := append(buf[:0], '[')
	b = strconv.AppendInt(b, r.Seq, 10)
	for _, s := range [...]string{r.stamp, r.Collector, r.DeviceID, string(r.Event), r.RecordID, r.Detail, r.PrevHash} {
		b = append(b, ',')
		if utf8.ValidString(s) {
			b = canonjson.AppendStringHTML(b, s)
			continue
		}
		b = append(b, `{"b64":"`...)
		b = base64.StdEncoding.AppendEncode(b, []byte(s))
		b = append(b, `"}`...)
	}
	sum := sha256.Sum256(append(b, ']'))
	return hex.EncodeToString(sum[:])
}

// importDetail is the detail of an imported event: every record it
// stored, as {"records":[{"id","key","sha256","version_id"}...]} (keys
// sorted, as json.Marshal writes maps), built directly: a batch has
// thousands. Ids and hashes are hex and UUIDs, and the key is written in
// hex since it may be binary, so nothing needs escaping.
func importDetail(rows []importRow) string {
	b := make([]byte, 0, 16+len(rows)*200)
	b = append(b, `{"records":[`...)
	for i, r := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":"`...)
		b = append(b, r.id...)
		b = append(b, `","key":"`...)
		b = hex.AppendEncode(b, []byte(r.item.Key))
		b = append(b, `","sha256":"`...)
		b = append(b, r.sealed.sha...)
		b = append(b, `","version_id":"`...)
		b = append(b, r.vid...)
		b = append(b, `"}`...)
	}
	return string(append(b, "]}"...))
}

// Log writes one event in its own transaction, for the steps that live
// outside this package (export, sync, opening a form).
func (db *DB) Log(ctx context.Context, ev Event, recordID string, detail any) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		return c.add(ctx, ev, recordID, detail)
	})
}

// Audit lists the trail in order, from seq onwards (0 for all).
func (db *DB) Audit(ctx context.Context, from int64) ([]AuditRow, error) {
	return sqlitedb.QueryAll(ctx, db.sql, func(row sqlitedb.Scanner) (AuditRow, error) {
		var r AuditRow
		if err := row.Scan(&r.Seq, &r.stamp, &r.Collector, &r.DeviceID, &r.Event, &r.RecordID, &r.Detail, &r.PrevHash, &r.Hash); err != nil {
			return r, err
		}
		r.At, _ = when.Parse(r.stamp) // zero when edited into no time; verify names the row
		return r, nil
	}, `SELECT seq, at, collector, device_id, event, record_id, detail, prev_hash, hash
		FROM audit WHERE seq >= ? ORDER BY seq`, from)
}

// AuditProblem names the first row where the chain breaks.
type AuditProblem struct {
	Seq  int64  // the row found wrong, or the first one after a gap
	Kind string // "edited" (fails its own hash) or "missing" (a gap or a broken link)
	Msg  string
}

func (p *AuditProblem) Error() string {
	if p.Seq == 0 {
		return p.Msg
	}
	return fmt.Sprintf("audit row %d: %s", p.Seq, p.Msg)
}

func auditHead(seq int64, hash string) string { return fmt.Sprintf("%d %s", seq, hash) }

// VerifyAudit walks the whole trail and reports how many rows are sound
// before the first problem. An edited row fails its own hash; a deleted
// row leaves a gap in seq or a prev_hash naming a row that is gone; rows
// deleted from the end leave the recorded head (meta audit_head) naming a
// row that is gone, and deleting the head with them leaves a trail with
// no head, which only a database never migrated could have. Rows cannot
// be deleted or changed without dropping the guard triggers first, and a
// missing trigger is reported too. Someone who drops them, rewrites the
// head to match and recreates them defeats these checks, though not the
// check of record data against the hashes the trail holds (VerifyData):
// the sync receipts, which hold the hash of the last row sent, are the
// evidence kept off this laptop.
func (db *DB) VerifyAudit(ctx context.Context) (int, *AuditProblem, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT seq, at, collector, device_id, event, record_id, detail, prev_hash, hash
		FROM audit ORDER BY seq`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	n := 0
	prevSeq, prevHash := int64(0), genesis
	for rows.Next() {
		var r AuditRow
		if err := rows.Scan(&r.Seq, &r.stamp, &r.Collector, &r.DeviceID, &r.Event, &r.RecordID, &r.Detail, &r.PrevHash, &r.Hash); err != nil {
			return n, nil, err
		}
		switch {
		case r.Seq != prevSeq+1:
			return n, &AuditProblem{Seq: r.Seq, Kind: "missing",
				Msg: fmt.Sprintf("rows %d to %d are missing (deleted)", prevSeq+1, r.Seq-1)}, nil
		case r.Hash != r.computeHash():
			return n, &AuditProblem{Seq: r.Seq, Kind: "edited",
				Msg: "its content does not match its hash (edited after it was written)"}, nil
		case r.PrevHash != prevHash:
			return n, &AuditProblem{Seq: r.Seq, Kind: "missing",
				Msg: fmt.Sprintf("it does not follow row %d (a row was replaced or removed before it)", prevSeq)}, nil
		}
		n++
		prevSeq, prevHash = r.Seq, r.Hash
	}
	if err := rows.Err(); err != nil {
		return n, nil, err
	}
	var head string
	err = db.sql.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'audit_head'`).Scan(&head)
	switch {
	case errors.Is(err, sql.ErrNoRows) && n == 0:
		p, err := db.checkGuards(ctx)
		return n, p, err
	case errors.Is(err, sql.ErrNoRows):
		// Schema step 5 recorded a head for every trail that had rows.
		return n, &AuditProblem{Seq: prevSeq + 1, Kind: "missing",
			Msg: fmt.Sprintf("the record of the trail's last row is gone: rows after %d may have been deleted together with it", prevSeq)}, nil
	case err != nil:
		return n, nil, err
	}
	var headSeq int64
	fmt.Sscan(head, &headSeq)
	switch {
	case headSeq > prevSeq:
		return n, &AuditProblem{Seq: prevSeq + 1, Kind: "missing",
			Msg: fmt.Sprintf("rows %d to %d are missing (deleted from the end of the trail)", prevSeq+1, headSeq)}, nil
	case head != auditHead(prevSeq, prevHash):
		return n, &AuditProblem{Seq: prevSeq, Kind: "edited",
			Msg: "it is not the last row fieldbench wrote (the end of the trail was replaced)"}, nil
	}
	p, err := db.checkGuards(ctx)
	return n, p, err
}

// checkGuards reports the first guard trigger that is gone.
func (db *DB) checkGuards(ctx context.Context) (*AuditProblem, error) {
	have, err := sqlitedb.QueryAll(ctx, db.sql, sqlitedb.Value[string], `SELECT name FROM sqlite_schema WHERE type = 'trigger'`)
	if err != nil {
		return nil, err
	}
	for _, g := range guards {
		if !slices.Contains(have, g) {
			return &AuditProblem{Kind: "unguarded",
				Msg: fmt.Sprintf("the trigger %s, which keeps the evidence from being changed, was removed (someone opened the file with another tool)", g)}, nil
		}
	}
	return nil, nil
}
