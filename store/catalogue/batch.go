package catalogue

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/fieldbench/fieldbench/sync"
)

// StoreBatch stores a device's batch in one write transaction and returns
// its receipt; see sync.Catalogue. Each record gets its own result and
// never undoes the others; only a database error stores nothing at all.
//
// check runs inside the transaction, for the records that would otherwise
// be stored, on a copy of the record (what is stored is what was hashed).
// Its answers are remembered across a retried transaction, so the form
// engine runs at most once per record.
func (db *DB) StoreBatch(ctx context.Context, dev *sync.Device, b *sync.Batch, fingerprint string, check func(*sync.Record) error) (*sync.Receipt, error) {
	if dev == nil || dev.ID == "" || b == nil || b.BatchID == "" {
		return nil, errors.New("a batch needs a device and a batch id")
	}
	checked := map[int]error{}
	var stored []byte
	err := db.tx(ctx, func(tx *sql.Tx) error {
		// BEGIN IMMEDIATE holds the write lock from here, so no other
		// writer can store this batch between the look-up and the insert;
		// on PostgreSQL the primary key refuses the second, whose retry
		// then finds the first.
		var fp, receipt string
		err := tx.QueryRowContext(ctx, qBatchGet, dev.ID, b.BatchID).Scan(&fp, &receipt)
		switch {
		case err == nil && fp != fingerprint:
			return sync.ErrBatchMismatch
		case err == nil:
			stored = []byte(receipt)
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		bs := &batchTx{ctx: ctx, tx: tx, dev: dev, batchID: b.BatchID, check: check, checked: checked,
			published: map[[2]string]bool{}}
		if err := tx.QueryRowContext(ctx, qNextSeq).Scan(&bs.seq); err != nil {
			return err
		}
		now := db.now().UTC()
		bs.receivedAt = now.Format(timeFormat)
		rc := sync.Receipt{BatchID: b.BatchID, ServerSeq: bs.seq, ReceivedAt: now, Results: make([]sync.Result, 0, len(b.Records))}
		for i := range b.Records {
			res, err := bs.store(i, &b.Records[i])
			if err != nil {
				return err
			}
			rc.Results = append(rc.Results, res)
		}
		stored, err = json.Marshal(rc)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, qBatchInsert, dev.ID, b.BatchID, fingerprint, string(stored), bs.seq, bs.receivedAt)
		return err
	})
	if err != nil {
		return nil, err
	}
	// The first answer is decoded from the stored JSON as every replay
	// is, so the two are identical to the last bit.
	rc := &sync.Receipt{}
	if err := json.Unmarshal(stored, rc); err != nil {
		return nil, fmt.Errorf("batch %s: stored receipt: %w", b.BatchID, err)
	}
	return rc, nil
}

// batchTx is the state of one attempt at storing a batch.
type batchTx struct {
	ctx        context.Context
	tx         *sql.Tx
	dev        *sync.Device
	batchID    string
	seq        int64
	receivedAt string
	check      func(*sync.Record) error
	checked    map[int]error        // check's answers by record position, kept across attempts
	published  map[[2]string]bool   // (form_id, version) published to the device's township
	stmts      map[string]*sql.Stmt // prepared once per attempt: a batch runs each statement per record
}

// stmt is the statement q prepared in this transaction.
func (s *batchTx) stmt(q string) (*sql.Stmt, error) {
	if st := s.stmts[q]; st != nil {
		return st, nil
	}
	st, err := s.tx.PrepareContext(s.ctx, q)
	if err != nil {
		return nil, err
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[q] = st
	return st, nil
}

func (s *batchTx) exec(q string, args ...any) error {
	st, err := s.stmt(q)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(s.ctx, args...)
	return err
}

func (s *batchTx) queryRow(q string, args ...any) *sql.Row {
	st, err := s.stmt(q)
	if err != nil {
		return s.tx.QueryRowContext(s.ctx, q, args...) // reports the same error
	}
	return st.QueryRowContext(s.ctx, args...)
}

// store decides one record's fate and writes what it keeps. A returned
// error is a database error and aborts the batch.
func (s *batchTx) store(pos int, r *sync.Record) (sync.Result, error) {
	res := sync.Result{VersionID: r.VersionID}
	reject := func(format string, args ...any) (sync.Result, error) {
		res.Status, res.Reason = sync.StatusRejected, fmt.Sprintf(format, args...)
		return res, nil
	}
	if r.RecordID == "" || r.VersionID == "" {
		return reject("the record has no record id or no version id")
	}
	ok, err := s.isPublished(r.FormID, r.FormVersion)
	if err != nil {
		return res, err
	}
	if !ok {
		return reject("form %s version %s is not published to township %s", r.FormID, r.FormVersion, s.dev.Township)
	}
	sum := hashHex(r.Data)
	if !strings.EqualFold(r.SHA256, sum) {
		return reject("the data does not match its hash")
	}
	// Data is stored as text (jsonb later on PostgreSQL), which takes a
	// JSON object in valid UTF-8 only.
	if d := bytes.TrimLeft(r.Data, " \t\r\n"); len(d) == 0 || d[0] != '{' || !utf8.Valid(r.Data) || !json.Valid(r.Data) {
		return reject("the data is not a JSON object in UTF-8")
	}

	var haveRecord, haveSum string
	err = s.queryRow(qVersionGet, r.VersionID).Scan(&haveRecord, &haveSum)
	switch {
	case err == nil && haveSum == sum && haveRecord == r.RecordID:
		res.Status = sync.StatusDuplicate
		return res, nil
	case err == nil && haveRecord != r.RecordID:
		res.Status, res.Reason = sync.StatusConflict, fmt.Sprintf("version %s is stored for record %s, not %s", r.VersionID, haveRecord, r.RecordID)
		return res, nil
	case err == nil:
		res.Status, res.Reason = sync.StatusConflict, fmt.Sprintf("version %s was stored before with other contents", r.VersionID)
		return res, nil
	case !errors.Is(err, sql.ErrNoRows):
		return res, err
	}

	var formID, head string
	err = s.queryRow(qRecordGet, r.RecordID).Scan(&formID, &head)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return res, err
	}
	if known && formID != r.FormID {
		return reject("record %s belongs to form %s in the catalogue, not %s", r.RecordID, formID, r.FormID)
	}

	if s.check != nil {
		cerr, done := s.checked[pos]
		if !done {
			cp := *r
			cerr = s.check(&cp)
			if errors.Is(cerr, sync.ErrCheckUnavailable) {
				return res, cerr // not the record's fault: store nothing, the laptop retries
			}
			s.checked[pos] = cerr
		}
		if cerr != nil {
			return reject("%s", cerr.Error())
		}
	}

	res.Status = sync.StatusAccepted
	switch {
	case !known && r.Replaces != "":
		// An edit of a version that never arrived (lost with another
		// laptop, or sent to another catalogue): kept, for a person to
		// look at, and it heads the record since nothing else does.
		res.Status, res.Reason = sync.StatusConflict, fmt.Sprintf("edited from version %s, which the catalogue never received", r.Replaces)
	case known && r.Replaces == "":
		res.Status, res.Reason = sync.StatusConflict, fmt.Sprintf("record %s is already in the catalogue (latest version %s); this version is not an edit of it", r.RecordID, head)
	case known && r.Replaces != head:
		res.Status, res.Reason = sync.StatusConflict, fmt.Sprintf("edited from version %s, but the catalogue's latest is %s", r.Replaces, head)
	}
	conflict := 0
	if res.Status == sync.StatusConflict {
		conflict = 1
	}
	if !known {
		if err := s.exec(qRecordInsert, r.RecordID, r.FormID, r.FormVersion, s.dev.Township, s.dev.ID,
			r.VersionID, conflict, s.seq, pos); err != nil {
			return res, err
		}
	}
	if err := s.exec(qVersionInsert, r.VersionID, r.RecordID, r.Replaces, r.FormVersion, sum, string(r.Data),
		r.Collector, r.CreatedAt, s.receivedAt, s.seq, s.dev.ID, s.batchID, res.Status); err != nil {
		return res, err
	}
	switch {
	case known && res.Status == sync.StatusAccepted:
		err := s.exec(qRecordMoveHead, r.VersionID, r.FormVersion, r.RecordID)
		return res, err
	case known:
		err := s.exec(qRecordMarkConflict, r.RecordID)
		return res, err
	}
	return res, nil
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
	if err := s.queryRow(qFormPublishedTo, formID, version, sc[0], sc[1], sc[2]).Scan(&n); err != nil {
		return false, err
	}
	s.published[k] = n > 0
	return n > 0, nil
}
