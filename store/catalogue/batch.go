package catalogue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/fieldbench/fieldbench/sync/wire"
)

// StoreBatch stores a device's batch in one write transaction and returns
// its receipt; see api.Catalogue. Each record gets its own result and
// never undoes the others; only a database error stores nothing at all.
//
// A device writes only its own records: a new record is stored in the
// device's township, whatever the batch says, and a version of a record
// (or under a version id) another device brought is rejected, with
// nothing of it stored: no conflict version, no flag on that record. The
// optimistic path of PostgreSQL (assumeNew) needs no check of its own:
// it only stores ids the catalogue has never seen, and any id it has
// seen fails on its primary key and sends the batch down the careful
// path, which checks.
//
// check runs inside the transaction, for the records that would otherwise
// be stored, on a copy of the record (what is stored is what was hashed).
// Its answers are remembered across a retried transaction, so the form
// engine runs at most once per record.
func (db *DB) StoreBatch(ctx context.Context, dev *wire.Device, b *wire.Batch, fingerprint string, check Check) (*wire.Receipt, error) {
	if dev == nil || dev.ID == "" || b == nil || b.BatchID == "" {
		return nil, errors.New("a batch needs a device and a batch id")
	}
	ing, err := db.prepare(ctx, b, check)
	if err != nil {
		return nil, err
	}
	visitForms, err := db.visitForms(ctx, ing.recs)
	if err != nil {
		return nil, err
	}
	var stored []byte
	attempts := 0
	err = db.tx(ctx, func(tx txn) error {
		attempts++
		// On SQLite, BEGIN IMMEDIATE holds the write lock from here, so no
		// other writer can store this batch between the look-up and the
		// insert; on PostgreSQL the primary keys refuse the second of two
		// servers storing it at once, whose retry then finds the first.
		var fp, receipt string
		err := tx.QueryRowContext(ctx, qBatchGet, dev.ID, b.BatchID).Scan(&fp, &receipt)
		switch {
		case err == nil && fp != fingerprint:
			return wire.ErrBatchMismatch
		case err == nil:
			stored = []byte(receipt)
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		bs := &batchTx{ctx: ctx, tx: tx, d: db.d, dev: dev, batchID: b.BatchID, ing: ing,
			published: map[[2]string]bool{}, visitForms: visitForms, assumeNew: db.d.optimistic && attempts == 1 && !hasEdits(b.Records)}
		ing.sl.in(tx)
		if err := tx.QueryRowContext(ctx, db.d.nextSeq).Scan(&bs.seq); err != nil {
			return err
		}
		now := db.now().UTC()
		bs.receivedAt = when.Stored(now)
		results, err := bs.storeAll(ing.recs)
		if err != nil {
			return err
		}
		rc := wire.Receipt{BatchID: b.BatchID, ServerSeq: bs.seq, ReceivedAt: now, Results: results}
		stored, err = json.Marshal(rc)
		if err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, qBatchInsert, dev.ID, b.BatchID, fingerprint, string(stored), bs.seq, bs.receivedAt); err != nil {
			return err
		}
		if db.d.verifyBatch {
			return bs.verifyReferences()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The first answer is decoded from the stored JSON as every replay
	// is, so the two are identical to the last bit.
	rc := &wire.Receipt{}
	if err := json.Unmarshal(stored, rc); err != nil {
		return nil, fmt.Errorf("batch %s: stored receipt: %w", b.BatchID, err)
	}
	return rc, nil
}

// batchTx is the state of one attempt at storing a batch.
type batchTx struct {
	ctx        context.Context
	tx         txn
	d          *dialect
	dev        *wire.Device
	batchID    string
	seq        int64
	receivedAt string
	// ing is the batch as it is stored, opened and checked before the
	// transaction (ingest.go), kept across attempts.
	ing       *ingest
	published map[[2]string]bool // (form_id, version) published to the device's township
	// assumeNew: decide as if the catalogue held none of the batch's
	// records and versions, without looking them up. The primary keys
	// refuse the inserts if it held any, and the batch is tried again
	// the careful way (see dialect.optimistic).
	assumeNew bool
	ent       *entityBatch // the entity changes of the batch's records (entities.go)
	// visitForms are the forms of the records carrying entity changes
	// (DB.visitForms), by form id and version.
	visitForms map[[2]string]*forms.Form
}

// hasEdits reports whether any record of a batch is an edit: an edit
// names a version the catalogue holds, so it is never new.
func hasEdits(recs []wire.Record) bool {
	for i := range recs {
		if recs[i].Replaces != "" {
			return true
		}
	}
	return false
}

// storedVersion and storedRecord are what the catalogue holds of a version
// id and a record id the batch names, as read at the start and then as
// the batch itself changes them.
// deviceID is the device that sent the version, or that brought the
// record first: the only device that may write either again.
type storedVersion struct{ recordID, sum, deviceID string }

type storedRecord struct {
	formID, formVersion, head string
	deviceID                  string
	conflict                  int
	isNew                     bool // first brought by this batch, at position pos
	pos                       int
	changed                   bool // an existing record this batch moved or flagged
}

// kept is a version the batch stores.
type kept struct {
	pos    int
	sum    string
	status string
}

// storeAll decides every record's fate and writes what it keeps, with a
// few statements for the whole batch rather than several per record: two
// look-ups of the version and record ids the batch names, then multi-row
// inserts. Decisions are made in the batch's order against what the
// catalogue held plus what the earlier records of the batch did, which is
// what storing them one by one would give. A returned error is a
// database error and aborts the batch.
func (s *batchTx) storeAll(recs []wire.Record) ([]wire.Result, error) {
	results := make([]wire.Result, len(recs))
	sums := make([]string, len(recs))
	var live []int
	var versionIDs, recordIDs []string
	for i := range recs {
		r := &recs[i]
		results[i].VersionID = r.VersionID
		sums[i] = hashHex(r.Data)
		reason, err := s.precheck(r, sums[i])
		if err != nil {
			return nil, err
		}
		if reason == "" {
			reason = s.ing.refused[i]
		}
		if reason == "" {
			reason = s.noteEntityChanges(i, r)
		}
		if reason != "" {
			results[i].Status, results[i].Reason = wire.StatusRejected, reason
			continue
		}
		live = append(live, i)
		versionIDs = append(versionIDs, r.VersionID)
		recordIDs = append(recordIDs, r.RecordID)
	}
	if s.assumeNew {
		versionIDs, recordIDs = nil, nil
	}
	versions, err := s.storedVersions(versionIDs)
	if err != nil {
		return nil, err
	}
	records, err := s.storedRecords(recordIDs)
	if err != nil {
		return nil, err
	}
	if err := s.loadEntities(); err != nil {
		return nil, err
	}

	var keep []kept
	for _, i := range live {
		r, res := &recs[i], &results[i]
		if v, ok := versions[r.VersionID]; ok {
			// Before anything else is said of it: the answers below name
			// the other record and its form.
			if v.deviceID != s.dev.ID {
				res.Status, res.Reason = wire.StatusRejected, fmt.Sprintf("version %s was sent by another device; a version id is never reused, and only the device that collected a record may change it", r.VersionID)
				continue
			}
			switch {
			case v.recordID != r.RecordID:
				res.Status, res.Reason = wire.StatusConflict, fmt.Sprintf("version %s is stored for record %s, not %s", r.VersionID, v.recordID, r.RecordID)
			case v.sum == sums[i]:
				res.Status = wire.StatusDuplicate
			default:
				res.Status, res.Reason = wire.StatusConflict, fmt.Sprintf("version %s was stored before with other contents", r.VersionID)
			}
			continue
		}
		rec, known := records[r.RecordID]
		if known && rec.deviceID != s.dev.ID {
			res.Status, res.Reason = wire.StatusRejected, fmt.Sprintf("record %s was collected by another device; only that device may change it", r.RecordID)
			continue
		}
		if known && rec.formID != r.FormID {
			res.Status, res.Reason = wire.StatusRejected, fmt.Sprintf("record %s belongs to form %s in the catalogue, not %s", r.RecordID, rec.formID, r.FormID)
			continue
		}
		if reason, err := s.runCheck(i); err != nil {
			return nil, err
		} else if reason != "" {
			res.Status, res.Reason = wire.StatusRejected, reason
			continue
		}
		if reason := s.authorizeEntities(i); reason != "" {
			res.Status, res.Reason = wire.StatusRejected, reason
			continue
		}

		res.Status = wire.StatusAccepted
		switch {
		case !known && r.Replaces != "":
			// An edit of a version that never arrived (lost with another
			// laptop, or sent to another catalogue): kept, for a person to
			// look at, and it heads the record since nothing else does.
			res.Status, res.Reason = wire.StatusConflict, fmt.Sprintf("edited from version %s, which the catalogue never received", r.Replaces)
		case known && r.Replaces == "":
			res.Status, res.Reason = wire.StatusConflict, fmt.Sprintf("record %s is already in the catalogue (latest version %s); this version is not an edit of it", r.RecordID, rec.head)
		case known && r.Replaces != rec.head:
			res.Status, res.Reason = wire.StatusConflict, fmt.Sprintf("edited from version %s, but the catalogue's latest is %s", r.Replaces, rec.head)
		}
		conflict := 0
		if res.Status == wire.StatusConflict {
			conflict = 1
		}
		switch {
		case !known:
			records[r.RecordID] = &storedRecord{formID: r.FormID, formVersion: r.FormVersion, head: r.VersionID,
				deviceID: s.dev.ID, conflict: conflict, isNew: true, pos: i}
		case conflict == 0:
			rec.head, rec.formVersion, rec.changed = r.VersionID, r.FormVersion, true
		default:
			rec.conflict, rec.changed = 1, true
		}
		versions[r.VersionID] = storedVersion{recordID: r.RecordID, sum: sums[i], deviceID: s.dev.ID}
		keep = append(keep, kept{pos: i, sum: sums[i], status: res.Status})
		s.applyEntities(i, r)
	}
	if err := s.countRecords(records); err != nil {
		return nil, err
	}
	if err := s.write(recs, records, keep); err != nil {
		return nil, err
	}
	return results, s.writeEntities()
}

// precheck is what can be said of a record without the database but for
// whether its form is published: a reason to reject it, or "". sum is
// the SHA-256 of its data, in hex.
func (s *batchTx) precheck(r *wire.Record, sum string) (string, error) {
	if r.RecordID == "" || r.VersionID == "" {
		return "the record has no record id or no version id", nil
	}
	if len(r.RecordID) > wire.MaxIDLen || len(r.VersionID) > wire.MaxIDLen || len(r.Replaces) > wire.MaxIDLen {
		return fmt.Sprintf("the record id, version id or replaced version id is longer than %d bytes", wire.MaxIDLen), nil
	}
	if len(r.FormID) > wire.MaxFormIDLen || len(r.FormVersion) > wire.MaxFormIDLen {
		return fmt.Sprintf("the form id or form version is longer than %d bytes", wire.MaxFormIDLen), nil
	}
	for _, f := range [...]string{r.RecordID, r.VersionID, r.Replaces, r.FormID, r.FormVersion, r.Collector, r.CreatedAt} {
		// A NUL cannot be stored in PostgreSQL's text; refused on both
		// backends so that they answer alike.
		if strings.IndexByte(f, 0) >= 0 {
			return "the record has a NUL character in one of its fields", nil
		}
	}
	ok, err := s.isPublished(r.FormID, r.FormVersion)
	if err != nil || !ok {
		if err == nil {
			return fmt.Sprintf("form %s version %s is not published to township %s", r.FormID, r.FormVersion, s.dev.Township), nil
		}
		return "", err
	}
	if !strings.EqualFold(r.SHA256, sum) {
		return "the data does not match its hash", nil
	}
	// Data is stored as text (jsonb later on PostgreSQL), which takes a
	// JSON object in valid UTF-8 only.
	if !wire.IsJSONObject(r.Data) {
		return "the data is not a JSON object in UTF-8", nil
	}
	return "", nil
}

// runCheck is the form check's answer on a record (run before the
// transaction, on the clear record): a reason to reject it, or "".
// ErrCheckUnavailable aborts the batch: it is not the record's fault, and
// the laptop retries later.
func (s *batchTx) runCheck(pos int) (string, error) {
	cerr := s.ing.checked[pos].err
	if errors.Is(cerr, wire.ErrCheckUnavailable) {
		return "", cerr
	}
	if cerr != nil {
		return cerr.Error(), nil
	}
	return "", nil
}

// storedVersions reads the versions among ids the catalogue holds.
func (s *batchTx) storedVersions(ids []string) (map[string]storedVersion, error) {
	out := make(map[string]storedVersion, len(ids))
	err := s.each(fmt.Sprintf(qVersionsIn, s.d.jsonRows), ids, func(row sqlitedb.Scanner) error {
		var id string
		var v storedVersion
		if err := row.Scan(&id, &v.recordID, &v.sum, &v.deviceID); err != nil {
			return err
		}
		out[id] = v
		return nil
	})
	return out, err
}

// storedRecords reads the records among ids the catalogue holds.
func (s *batchTx) storedRecords(ids []string) (map[string]*storedRecord, error) {
	out := make(map[string]*storedRecord, len(ids))
	err := s.each(fmt.Sprintf(qRecordsIn, s.d.jsonRows), ids, func(row sqlitedb.Scanner) error {
		var id string
		r := &storedRecord{}
		if err := row.Scan(&id, &r.formID, &r.formVersion, &r.head, &r.conflict, &r.deviceID); err != nil {
			return err
		}
		out[id] = r
		return nil
	})
	return out, err
}

// each runs q with ids as one JSON array argument and calls scan per row.
func (s *batchTx) each(q string, ids []string, scan func(sqlitedb.Scanner) error) error {
	if len(ids) == 0 {
		return nil
	}
	arg, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	return sqlitedb.Each(s.ctx, s.tx, q, []any{string(arg)}, scan)
}

// insertChunk is the number of rows one INSERT carries: 17 columns × 250
// stays far below both SQLite's (32,766) and PostgreSQL's (65,535) limits
// on parameters, and few distinct statement texts get prepared.
const insertChunk = 250

// write stores the batch's new records and kept versions and updates the
// existing records it changed.
func (s *batchTx) write(recs []wire.Record, records map[string]*storedRecord, keep []kept) error {
	var fresh []*storedRecord
	var freshIDs []string
	for _, k := range keep {
		r := &recs[k.pos]
		if rec := records[r.RecordID]; rec.isNew && rec.pos == k.pos {
			fresh = append(fresh, rec)
			freshIDs = append(freshIDs, r.RecordID)
		}
	}
	err := s.insertRows("records", recordColumns, qRecordsInsert, len(fresh), func(i int, args []any) []any {
		rec := fresh[i]
		return append(args, freshIDs[i], rec.formID, rec.formVersion, s.dev.Township, s.dev.ID, rec.head, rec.conflict, s.seq, rec.pos)
	})
	if err != nil {
		return err
	}
	err = s.insertRows("versions", versionColumns, qVersionsInsert, len(keep), func(i int, args []any) []any {
		k := keep[i]
		r := &recs[k.pos]
		args = append(args, r.VersionID, r.RecordID, r.Replaces, r.FormVersion, k.sum, s.text(r.Data),
			r.Collector, r.CreatedAt, s.receivedAt, s.seq, s.dev.ID, s.batchID, k.status)
		return s.sealedColumns(args, k.pos)
	})
	if err != nil {
		return err
	}
	if len(keep) > 0 {
		if err := s.writeKeys(); err != nil {
			return err
		}
	}
	// Edits of records already in the catalogue: few in any batch.
	for id, rec := range records {
		if !rec.changed {
			continue
		}
		if _, err := s.tx.ExecContext(s.ctx, qRecordUpdate, rec.head, rec.formVersion, rec.conflict, id); err != nil {
			return err
		}
	}
	return nil
}

// text is b as a value for a TEXT column: as it is for PostgreSQL's COPY,
// which sends bytes to a text column as text, saving a copy of every
// record's data; as a string for SQLite, which would store bytes as a
// BLOB.
func (s *batchTx) text(b []byte) any {
	if s.tx.conn != nil {
		return b
	}
	return string(b)
}

// Columns of the multi-row inserts, in the order of qRecordsInsert and
// qVersionsInsert, for COPY.
var (
	recordColumns  = []string{"record_id", "form_id", "form_version", "township", "device_id", "head_version", "conflict", "first_seq", "first_pos"}
	versionColumns = []string{"version_id", "record_id", "replaces", "form_version", "sha256", "data", "collector",
		"created_at", "received_at", "server_seq", "device_id", "batch_id", "status", "sealed", "sealed_key", "pseudonyms", "verdict"}
)

// insertRows stores n rows of table: by COPY on PostgreSQL, else with
// INSERT prefix VALUES (...), (...), insertChunk rows at a time; row
// appends row i's values.
func (s *batchTx) insertRows(table string, columns []string, prefix string, n int, row func(i int, args []any) []any) error {
	if n == 0 {
		return nil
	}
	if s.tx.conn != nil {
		return copyRows(s.ctx, s.tx.conn, table, columns, n, func(i int) []any { return row(i, nil) })
	}
	cols := len(columns)
	args := make([]any, 0, insertChunk*cols)
	for start := 0; start < n; start += insertChunk {
		end := min(n, start+insertChunk)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		if _, err := s.tx.ExecContext(s.ctx, prefix+placeholders(end-start, cols), args...); err != nil {
			return err
		}
	}
	return nil
}

// verifyReferences checks, before the batch commits, what foreign keys
// would on every row: each version the batch stored has its record and
// its batch, and each record it touched has its head version and its
// form. A miss is a bug in this file, never the device's fault, and
// aborts the batch: nothing of it is stored.
func (s *batchTx) verifyReferences() error {
	var broken int
	if err := s.tx.QueryRowContext(s.ctx, qBatchBroken, s.dev.ID, s.batchID).Scan(&broken); err != nil {
		return err
	}
	if broken > 0 {
		return fmt.Errorf("batch %s: %d of its versions would be stored with a broken reference (record, head version, form or batch); nothing was stored", s.batchID, broken)
	}
	return nil
}

// isPublished reports whether a form version reaches the device's
// township, asking the database once per form version and batch.
func (s *batchTx) isPublished(formID, version string) (bool, error) {
	k := [2]string{formID, version}
	if ok, seen := s.published[k]; seen {
		return ok, nil
	}
	sc := scopes(s.dev.Township)
	var n int
	if err := s.tx.QueryRowContext(s.ctx, qFormPublishedTo, formID, version, sc[0], sc[1], sc[2]).Scan(&n); err != nil {
		return false, err
	}
	s.published[k] = n > 0
	return n > 0, nil
}
