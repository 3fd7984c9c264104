package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fieldbench/fieldbench/forms"
	"github.com/fieldbench/fieldbench/forms/when"
	"github.com/fieldbench/fieldbench/store/sqlitedb"
	"github.com/google/uuid"
)

// Record is one record's row. Data is filled by Record only: the draft for
// a draft, else the head version's canonical JSON.
type Record struct {
	ID           string
	FormID       string
	FormVersion  string
	State        State
	InstanceName string
	Collector    string
	DeviceID     string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Head         string // version id; "" until finalized
	Data         []byte
	// MaskedOnly (filled by Record only) says that Data is the head
	// version's masked data: this laptop no longer holds the clear
	// personal answers (retention.go), the catalogue does.
	MaskedOnly bool
}

// Version is one immutable finalized version of a record.
type Version struct {
	ID        string
	RecordID  string
	Replaces  string // the version this one edits; "" for the first
	Data      []byte // canonical JSON, as forms.Instance.MarshalJSON writes it
	SHA256    string // of Data
	CreatedAt time.Time
	Collector string
	// MaskedOnly: Data is the version's masked data, its sealed part
	// removed (retention.go). SHA256 is of that masked data, as ever.
	MaskedOnly bool
}

// AnswerChange is the answer that made a draft save, for the audit trail.
type AnswerChange struct {
	Path     string `json:"path"`
	Old, New string
	// sealed is the clear Old and New sealed, when Old and New are masked
	// (sealChanges); the audit row carries it.
	sealed []byte
}

// Filter narrows Records; empty fields match everything.
type Filter struct {
	FormID string
	State  State
}

// ErrNotFound is returned for a record id that does not exist.
var ErrNotFound = errors.New("no such record")

// ErrWrongState is returned when a record is not in a state the action
// allows, such as finalizing a record twice or editing a draft.
type ErrWrongState struct {
	ID     string
	State  State
	Action string
}

func (e *ErrWrongState) Error() string {
	return fmt.Sprintf("record %s is %s and cannot be %s", e.ID, e.State, e.Action)
}

// ValidationError carries the form engine's verdict on a record it refused.
type ValidationError struct {
	RecordID string
	Result   *forms.Result
}

func (e *ValidationError) Error() string {
	msgs := make([]string, 0, len(e.Result.Errors))
	for _, p := range e.Result.Errors {
		msgs = append(msgs, p.Path+": "+p.Message)
	}
	return fmt.Sprintf("record %s has %d error(s): %s", e.RecordID, len(e.Result.Errors), strings.Join(msgs, "; "))
}

// TooLargeError refuses a record whose data is over forms.MaxRecordBytes:
// the collector shortens an answer and finalizes again.
type TooLargeError struct {
	RecordID string
	Size     int // bytes of its canonical data
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("record %s: its data is %s, over the limit of %s; shorten its longest answers",
		e.RecordID, forms.Kilobytes(e.Size), forms.Kilobytes(forms.MaxRecordBytes))
}

func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

// NewRecordID makes a record id as the store does, for a caller that
// needs it before the record is stored (see ImportItem.ID).
func NewRecordID() (string, error) { return newID() }

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// NewDraft starts an empty record of a registered form version.
func (db *DB) NewDraft(ctx context.Context, formID, version string) (string, error) {
	id, err := newID()
	if err != nil {
		return "", err
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM forms WHERE form_id = ? AND version = ?`, formID, version).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &ErrUnknownForm{FormID: formID, Version: version}
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO records
			(id, form_id, form_version, state, collector, device_id, created_at, updated_at, draft)
			VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, '{}')`, id, formID, version, c.collector, db.deviceID, c.at, c.at); err != nil {
			return err
		}
		return c.add(ctx, EventDraftCreated, id, map[string]string{"form_id": formID, "version": version})
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// SaveDraft stores the draft's answers (a JSON object in the exchange
// shape) with its audit row in one small transaction, so a power cut loses
// at most the answer being typed. change is the answer that prompted the
// save; nil writes a plain draft_saved event.
func (db *DB) SaveDraft(ctx context.Context, recordID string, data []byte, change *AnswerChange) error {
	return db.SaveDraftNamed(ctx, recordID, data, "", change)
}

// SaveDraftNamed is SaveDraft that also stores the draft's instance name
// (forms.Instance.Name), so lists can show which household a draft is;
// "" leaves the stored name as it was. More than one change is one answer
// and the answers it cleared (a township its new county no longer offers),
// audited in the same transaction as the draft that holds them all.
func (db *DB) SaveDraftNamed(ctx context.Context, recordID string, data []byte, name string, changes ...*AnswerChange) error {
	if _, err := forms.DecodeRecord(data); err != nil {
		return fmt.Errorf("record %s: the draft is not a JSON object: %w", recordID, err)
	}
	name = forms.MaskEmbeddedIDs(name)
	masked, blob, changes, err := db.sealAnswers(ctx, recordID, data, changes)
	if err != nil {
		return err
	}
	kept, err := db.draftChecks(ctx, recordID, data, blob)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := draftState(ctx, tx, recordID, "saved as a draft"); err != nil {
			return err
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		if err := putDraft(ctx, tx, c, recordID, masked, blob, name, kept); err != nil {
			return err
		}
		added, err := c.addChanges(ctx, recordID, changes)
		if err != nil || added {
			return err
		}
		return c.add(ctx, EventDraftSaved, recordID, map[string]int{"bytes": len(data)})
	})
}

// putDraft stores a draft's sealed answers (sealInProgress) and what is
// kept of them (draftChecks) inside a write transaction; name "" keeps
// the stored instance name.
func putDraft(ctx context.Context, tx *sql.Tx, c *chain, recordID string, masked, blob []byte, name string, kept *keptChecks) error {
	_, err := tx.ExecContext(ctx, `UPDATE records SET draft = ?, draft_sealed = ?, updated_at = ?,
		instance_name = CASE WHEN ? = '' THEN instance_name ELSE ? END WHERE id = ?`, masked, blob, c.at, name, name, recordID)
	if err != nil {
		return err
	}
	return putKept(ctx, tx, recordID, kept)
}

// storedDraft is a draft as stored: masked answers and their sealed part.
type storedDraft struct {
	masked, blob []byte
}

// draftState checks that the record exists and is a draft, returning the
// draft as stored.
func draftState(ctx context.Context, tx *sql.Tx, id, action string) (storedDraft, error) {
	var state State
	var d storedDraft
	err := tx.QueryRowContext(ctx, `SELECT state, draft, draft_sealed FROM records WHERE id = ?`, id).Scan(&state, &d.masked, &d.blob)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("record %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, err
	}
	if state != Draft {
		return d, &ErrWrongState{ID: id, State: state, Action: action}
	}
	return d, nil
}

// DiscardDraft deletes a draft the collector gave up on. Only drafts: a
// finalized record is evidence and is never deleted. The audit trail keeps
// what the draft held.
func (db *DB) DiscardDraft(ctx context.Context, recordID string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		draft, err := draftState(ctx, tx, recordID, "discarded")
		if err != nil {
			return err
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE id = ?`, recordID); err != nil {
			return err
		}
		if err := dropKept(ctx, tx, recordID); err != nil {
			return err
		}
		// The trail keeps what the draft held as it was stored: masked,
		// and its sealed part, which opens as the draft's did.
		return c.add(ctx, EventDiscarded, recordID, discardedDetail{Draft: string(draft.masked), Sealed: draft.blob})
	})
}

// Resume returns a draft's answers to carry on with it, and records that
// it was resumed.
func (db *DB) Resume(ctx context.Context, recordID string) ([]byte, error) {
	var data []byte
	err := db.tx(ctx, func(tx *sql.Tx) error {
		d, err := draftState(ctx, tx, recordID, "resumed")
		if err != nil {
			return err
		}
		if data, err = db.openInProgress(recordID, d.masked, d.blob); err != nil {
			return err
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		return c.add(ctx, EventResumed, recordID, nil)
	})
	return data, err
}

// Drafts lists the unfinished drafts, most recently touched first, for the
// offer to resume them at start-up.
func (db *DB) Drafts(ctx context.Context) ([]Record, error) {
	return db.Records(ctx, Filter{State: Draft})
}

const recordColumns = `id, form_id, form_version, state, instance_name, collector, device_id, created_at, updated_at, coalesce(head, '')`

// recordFields are where the columns of recordColumns are scanned to.
func recordFields(r *Record) []any {
	return []any{&r.ID, &r.FormID, &r.FormVersion, &r.State, &r.InstanceName, &r.Collector, &r.DeviceID,
		when.Column(&r.CreatedAt), when.Column(&r.UpdatedAt), &r.Head}
}

func scanRecord(row sqlitedb.Scanner) (Record, error) {
	var r Record
	err := row.Scan(recordFields(&r)...)
	return r, err
}

// Records lists records without their data, most recently touched first.
func (db *DB) Records(ctx context.Context, f Filter) ([]Record, error) {
	q := `SELECT ` + recordColumns + ` FROM records`
	var where []string
	var args []any
	if f.FormID != "" {
		where = append(where, `form_id = ?`)
		args = append(args, f.FormID)
	}
	if f.State != "" {
		where = append(where, `state = ?`)
		args = append(args, string(f.State))
	}
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY updated_at DESC, id DESC`
	return sqlitedb.QueryAll(ctx, db.sql, scanRecord, q, args...)
}

// Record returns one record with its current data.
func (db *DB) Record(ctx context.Context, id string) (*Record, error) {
	return db.record(ctx, id, true)
}

// MaskedRecord is Record with the answers as stored, masked: it needs no
// key, so a masked export works on a locked database.
func (db *DB) MaskedRecord(ctx context.Context, id string) (*Record, error) {
	return db.record(ctx, id, false)
}

func (db *DB) record(ctx context.Context, id string, open bool) (*Record, error) {
	var r Record
	var sha string
	var blob []byte
	row := db.sql.QueryRowContext(ctx, `SELECT `+recordColumns+`,
		CASE WHEN head IS NULL THEN draft ELSE (SELECT data FROM record_versions WHERE version_id = head) END,
		coalesce((SELECT sha256 FROM record_versions WHERE version_id = head), ''),
		CASE WHEN head IS NULL THEN draft_sealed ELSE (SELECT blob FROM sealed_versions WHERE version_id = head) END
		FROM records WHERE id = ?`, id)
	err := row.Scan(&r.ID, &r.FormID, &r.FormVersion, &r.State, &r.InstanceName, &r.Collector, &r.DeviceID,
		when.Column(&r.CreatedAt), when.Column(&r.UpdatedAt), &r.Head, &r.Data, &sha, &blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("record %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if !open {
		return &r, nil
	}
	r.Data, err = db.openStored(r.ID, r.Head, sha, r.Data, blob)
	if errors.Is(err, ErrMaskedOnly) {
		r.MaskedOnly, err = true, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// RecordToEdit is Record for a record about to be edited: a
// *MaskedOnlyError when only its masked data is left here, since saving
// an edit of that would send masked values as the collector's answers.
// Every way of editing a record (the workbench's screens and its line
// prompts, through tui/entry.Edit, and Edit itself) goes through it.
func (db *DB) RecordToEdit(ctx context.Context, id string) (*Record, error) {
	r, err := db.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.MaskedOnly {
		return nil, &MaskedOnlyError{RecordID: r.ID, VersionID: r.Head}
	}
	return r, nil
}

// Versions lists a record's finalized versions, oldest first.
func (db *DB) Versions(ctx context.Context, recordID string) ([]Version, error) {
	return sqlitedb.QueryAll(ctx, db.sql, func(row sqlitedb.Scanner) (Version, error) {
		var v Version
		var blob []byte
		err := row.Scan(&v.ID, &v.RecordID, &v.Replaces, &v.Data, &v.SHA256, when.Column(&v.CreatedAt), &v.Collector, &blob)
		if err == nil {
			v.Data, err = db.openVersion(v.ID, v.SHA256, v.Data, blob)
		}
		if errors.Is(err, ErrMaskedOnly) {
			v.MaskedOnly, err = true, nil
		}
		return v, err
	}, `SELECT v.version_id, v.record_id, coalesce(v.replaces, ''), v.data, v.sha256, v.created_at, v.collector, s.blob
		FROM record_versions v LEFT JOIN sealed_versions s ON s.version_id = v.version_id
		WHERE v.record_id = ? ORDER BY v.version_id`, recordID)
}

// validated is a record that passed the form engine: its canonical bytes
// and the instance name lists show it by.
type validated struct {
	data []byte
	name string
	// visited is when the record says it was collected
	// (forms.Instance.VisitTime); zero when it does not say.
	visited time.Time
	// sealed is how the version is stored (sealing.go), and kept what
	// quality and search keep of it (blindindex.go); newVersion fills them.
	sealed *sealedData
	checks *Checks
	kept   *keptChecks
}

// validate runs the form engine over a record as finalize does.
func (db *DB) validate(ctx context.Context, recordID, formID, version string, data []byte) (*validated, error) {
	f, err := db.Form(ctx, formID, version)
	if err != nil {
		return nil, err
	}
	obj, err := forms.DecodeRecord(data)
	if err != nil {
		return nil, fmt.Errorf("record %s is not a JSON object: %w", recordID, err)
	}
	// What the screens showed is what is stored: the record's own id and
	// the same last saved record (this one left out) as the session had.
	opts := forms.Options{InstanceID: forms.InstanceIDOf(recordID)}
	if f.UsesLastSaved() {
		if opts.LastSaved, err = db.LastSaved(ctx, formID, recordID); err != nil {
			return nil, err
		}
	}
	in, res := f.ValidateRecord(obj, opts)
	if !res.OK() {
		return nil, &ValidationError{RecordID: recordID, Result: res}
	}
	// The entity changes stored are the ones the answers make, worked
	// out here whatever the record carried under __entities.
	changes, err := in.EntityChanges(recordID)
	if err != nil {
		return nil, err
	}
	in.SetEntityChanges(changes)
	canon, err := in.MarshalJSON()
	if err != nil {
		return nil, err
	}
	if len(canon) > forms.MaxRecordBytes {
		return nil, &TooLargeError{RecordID: recordID, Size: len(canon)}
	}
	// The name lists show is stored masked: it is often made of answers
	// (a head's name and village), and a number typed there is as
	// personal as anywhere.
	return &validated{data: canon, name: forms.MaskEmbeddedIDs(in.Name()), visited: in.VisitTime(), checks: ChecksOf(in, res)}, nil
}

// newVersion validates data and prepares the version it would become,
// with a fresh id, ready to insert.
func (db *DB) newVersion(ctx context.Context, recordID, formID, version string, data []byte) (*Version, *validated, error) {
	canon, err := db.validate(ctx, recordID, formID, version, data)
	if err != nil {
		return nil, nil, err
	}
	v := &Version{RecordID: recordID, Data: canon.data}
	if v.ID, err = newID(); err != nil {
		return nil, nil, err
	}
	if canon.sealed, err = db.sealVersion(ctx, formID, version, v.ID, canon.data); err != nil {
		return nil, nil, err
	}
	if canon.kept, err = db.keepSealed(canon.sealed.blob, canon.checks); err != nil {
		return nil, nil, err
	}
	v.SHA256 = canon.sealed.sha
	return v, canon, nil
}

// Finalize validates the whole draft again with the form engine, whatever
// the screen checked, and stores it as the record's first immutable
// version. A record with errors is refused with a *ValidationError.
func (db *DB) Finalize(ctx context.Context, recordID string) (*Version, error) {
	r, err := db.Record(ctx, recordID)
	if err != nil {
		return nil, err
	}
	if r.State != Draft {
		return nil, &ErrWrongState{ID: recordID, State: r.State, Action: "finalized"}
	}
	// Validation runs outside the write lock so another process is not
	// kept waiting on the form engine.
	v, canon, err := db.newVersion(ctx, recordID, r.FormID, r.FormVersion, r.Data)
	if err != nil {
		return nil, err
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		draft, err := draftState(ctx, tx, recordID, "finalized")
		if err != nil {
			return err
		}
		cur, err := db.openInProgress(recordID, draft.masked, draft.blob)
		if err != nil {
			return err
		}
		if !bytes.Equal(cur, r.Data) {
			return fmt.Errorf("record %s changed while it was being finalized; finalize it again", recordID)
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		v.CreatedAt, v.Collector = c.now, c.collector
		if _, err := tx.ExecContext(ctx, `INSERT INTO record_versions (version_id, record_id, data, sha256, created_at, collector, utc_offset)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, v.ID, recordID, canon.sealed.masked, v.SHA256, c.at, v.Collector, c.offset); err != nil {
			return err
		}
		if err := insertSealed(ctx, tx, v.ID, canon.sealed.blob); err != nil {
			return err
		}
		if err := putKept(ctx, tx, v.ID, canon.kept); err != nil {
			return err
		}
		if err := applyVersionEntities(ctx, tx, db.key, v.Data, canon.sealed.masked, visitedAt(canon.visited, c.at)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE records SET state = 'finalized', head = ?, draft = NULL, updated_at = ?, instance_name = ? WHERE id = ?`,
			v.ID, c.at, canon.name, recordID); err != nil {
			return err
		}
		if err := dropKept(ctx, tx, recordID); err != nil {
			return err
		}
		return c.add(ctx, EventFinalized, recordID, map[string]string{"version_id": v.ID, "sha256": v.SHA256})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Edit replaces a finalized record's data with a new version that names
// the one it replaces; the old version stays as it was. The record goes
// back to finalized so it is sent again. Data identical to the head (after
// canonicalisation) writes nothing and returns the head. Either way the
// record's edit in progress (SaveEdit), if any, ends here.
func (db *DB) Edit(ctx context.Context, recordID string, data []byte) (*Version, error) {
	r, err := db.RecordToEdit(ctx, recordID)
	if err != nil {
		return nil, err
	}
	if !r.State.Editable() {
		return nil, &ErrWrongState{ID: recordID, State: r.State, Action: "edited"}
	}
	v, canon, err := db.newVersion(ctx, recordID, r.FormID, r.FormVersion, data)
	if err != nil {
		return nil, err
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		var state State
		var oldHash string
		var oldMasked, oldBlob []byte
		if err := tx.QueryRowContext(ctx, `SELECT r.state, r.head, v.sha256, v.data, s.blob FROM records r
			JOIN record_versions v ON v.version_id = r.head LEFT JOIN sealed_versions s ON s.version_id = r.head
			WHERE r.id = ?`, recordID).Scan(&state, &v.Replaces, &oldHash, &oldMasked, &oldBlob); err != nil {
			return err
		}
		if !state.Editable() {
			return &ErrWrongState{ID: recordID, State: state, Action: "edited"}
		}
		oldData, err := db.openStored(recordID, v.Replaces, oldHash, oldMasked, oldBlob)
		if err != nil {
			return err
		}
		// Compared clear: two answers masked alike (a digit in the middle
		// of an ID) are still different answers.
		same, err := sameAnswers(oldData, v.Data)
		if err != nil {
			return err
		}
		if same {
			v.ID = ""
			return db.endEdit(ctx, tx, nil, recordID)
		}
		c, err := db.newChain(ctx, tx)
		if err != nil {
			return err
		}
		v.CreatedAt, v.Collector = c.now, c.collector
		if _, err := tx.ExecContext(ctx, `INSERT INTO record_versions (version_id, record_id, replaces, data, sha256, created_at, collector, utc_offset)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, recordID, v.Replaces, canon.sealed.masked, v.SHA256, c.at, v.Collector, c.offset); err != nil {
			return err
		}
		if err := insertSealed(ctx, tx, v.ID, canon.sealed.blob); err != nil {
			return err
		}
		if err := putKept(ctx, tx, v.ID, canon.kept); err != nil {
			return err
		}
		if err := applyVersionEntities(ctx, tx, db.key, v.Data, canon.sealed.masked, visitedAt(canon.visited, c.at)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE records SET state = 'finalized', head = ?, updated_at = ?, instance_name = ? WHERE id = ?`,
			v.ID, c.at, canon.name, recordID); err != nil {
			return err
		}
		if err := c.add(ctx, EventEdited, recordID, map[string]string{
			"version_id": v.ID, "replaces": v.Replaces, "old_sha256": oldHash, "new_sha256": v.SHA256}); err != nil {
			return err
		}
		return db.endEdit(ctx, tx, c, recordID)
	})
	if err != nil {
		return nil, err
	}
	if v.ID == "" { // unchanged: the head stands
		vs, err := db.Versions(ctx, recordID)
		if err != nil {
			return nil, err
		}
		for i := range vs {
			if vs[i].ID == v.Replaces {
				return &vs[i], nil
			}
		}
	}
	return v, nil
}

// LastSaved is the record of form formID (any version) saved last on this
// laptop, other than record except, decoded: a draft as it stands, any
// other record as its last version. It is what ${last-saved#name} reads
// (forms.Options.LastSaved); nil when there is none. Records are ordered
// by when their data was saved, not by updated_at, which sync moves too.
func (db *DB) LastSaved(ctx context.Context, formID, except string) (map[string]any, error) {
	var data, blob []byte
	var head, sha string
	var id string
	err := db.sql.QueryRowContext(ctx, `SELECT r.id,
		CASE WHEN r.head IS NULL THEN r.draft ELSE v.data END,
		CASE WHEN r.head IS NULL THEN r.updated_at ELSE v.created_at END AS saved_at,
		coalesce(r.head, ''), coalesce(v.sha256, ''), CASE WHEN r.head IS NULL THEN r.draft_sealed ELSE s.blob END
		FROM records r LEFT JOIN record_versions v ON v.version_id = r.head
		LEFT JOIN sealed_versions s ON s.version_id = r.head
		WHERE r.form_id = ? AND r.id <> ?
		ORDER BY saved_at DESC, r.rowid DESC LIMIT 1`, formID, except).Scan(&id, &data, new(string), &head, &sha, &blob)
	if errors.Is(err, sql.ErrNoRows) || err == nil && data == nil {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	data, err = db.openStored(id, head, sha, data, blob)
	if errors.Is(err, ErrMaskedOnly) {
		// Masked values are not answers to carry into a new record.
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return forms.DecodeRecord(data)
}
