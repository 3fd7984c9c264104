package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/forms/piitest"
	"github.com/fieldbench/fieldbench/forms/samples"
)

// retentionWorld is a laptop holding generated households with ID and
// mobile numbers, on a clock the test moves.
type retentionWorld struct {
	db      *DB
	ids     []string // record ids, in the order of records
	records [][]byte // the clear households
	secret  map[string]bool
	mu      sync.Mutex
	now     time.Time
	batches int
}

func newRetentionWorld(t *testing.T, n int) *retentionWorld {
	t.Helper()
	ctx := context.Background()
	w := &retentionWorld{now: time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC), secret: map[string]bool{}}
	db, err := Open(filepath.Join(t.TempDir(), "fb.db"), WithCollector("王芳"), WithClock(w.clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w.db = db
	def, err := samples.FS.ReadFile("household_visit.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	fv, err := db.AddForm(ctx, "household_visit.xlsx", def)
	if err != nil {
		t.Fatal(err)
	}
	records, ids, typed := piitest.HouseholdsWithNumbers(t, n)
	for _, s := range append(ids, typed...) {
		w.secret[s] = true
	}
	items := make([]ImportItem, len(records))
	for i, r := range records {
		items[i] = ImportItem{FormID: fv.FormID, Version: fv.Version, Data: r}
	}
	res, err := db.InsertFinalizedBatch(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		w.ids = append(w.ids, r.ID)
	}
	w.records = records
	return w
}

func (w *retentionWorld) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *retentionWorld) advance(days int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(time.Duration(days) * 24 * time.Hour)
}

// send queues every finalized record and applies a receipt that gives
// each the status status says (by record id; "accepted" when it says
// nothing), as the catalogue's answer does.
func (w *retentionWorld) send(t *testing.T, status map[string]string) {
	t.Helper()
	ctx := context.Background()
	w.batches++
	id := fmt.Sprintf("batch-%d", w.batches)
	var queued []QueuedVersion
	if _, err := w.db.QueueBatch(ctx, 1000, func(vs []QueuedVersion) (string, []byte, error) {
		queued = append(queued, vs...)
		return id, []byte("{}"), nil
	}); err != nil {
		t.Fatal(err)
	}
	type result struct {
		VersionID string `json:"version_id"`
		Status    string `json:"status"`
	}
	var results []result
	var outcomes []Outcome
	for _, q := range queued {
		st := status[q.RecordID]
		if st == "" {
			st = "accepted"
		}
		results = append(results, result{q.VersionID, st})
		o := Outcome{VersionID: q.VersionID, State: Sent, OnServer: true}
		if st == "conflict" {
			o = Outcome{VersionID: q.VersionID, State: Conflict, Note: "another version"}
		}
		outcomes = append(outcomes, o)
	}
	receipt, err := json.Marshal(map[string]any{"results": results})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.db.ApplyReceipt(ctx, id, receipt, outcomes); err != nil {
		t.Fatal(err)
	}
}

func (w *retentionWorld) record(t *testing.T, id string) *Record {
	t.Helper()
	r, err := w.db.Record(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// auditCount is how many rows of event the trail holds.
func auditCount(t *testing.T, db *DB, ev Event) (n int, details []string) {
	t.Helper()
	rows, err := db.Audit(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Event == ev {
			n++
			details = append(details, r.Detail)
		}
	}
	return n, details
}

// A version the catalogue acknowledged more than the retention period ago
// keeps only its masked data, and says so: Record and Versions flag it
// rather than pass its masked data off as the answers; the mark is in
// the database, an audit row counts the versions. Within the period, and
// for a version not acknowledged, nothing changes.
func TestRetentionMarksMaskedOnly(t *testing.T) {
	ctx := context.Background()
	w := newRetentionWorld(t, 5)
	if n, err := w.db.ApplyRetention(ctx); err != nil || n != 0 {
		t.Fatalf("retention before any sync announced a period: %d %v", n, err)
	}
	w.send(t, nil)
	w.advance(9)
	if n, err := w.db.DropExpiredSealed(ctx, 10); err != nil || n != 0 {
		t.Fatalf("retention within the period: %d %v", n, err)
	}
	w.advance(2)
	if n, err := w.db.DropExpiredSealed(ctx, 10); err != nil || n != 5 {
		t.Fatalf("retention after the period: %d %v", n, err)
	}
	if n, details := auditCount(t, w.db, EventSealedExpired); n != 1 || !strings.Contains(details[0], `"versions":5`) {
		t.Fatalf("audit rows: %d %q", n, details)
	}
	for i, id := range w.ids {
		r := w.record(t, id)
		if !r.MaskedOnly || len(piitest.NumbersIn(r.Data, w.secret)) > 0 || !bytes.Contains(r.Data, []byte("*")) {
			t.Fatalf("record %d after retention: masked only %v, %.200s", i, r.MaskedOnly, r.Data)
		}
		vs, err := w.db.Versions(ctx, id)
		if err != nil || len(vs) != 1 || !vs[0].MaskedOnly {
			t.Fatalf("versions after retention: %+v %v", vs, err)
		}
	}
	var marked int
	if err := w.db.sql.QueryRow(`SELECT count(*) FROM sealed_versions WHERE blob = ?`, maskedOnlyMark).Scan(&marked); err != nil || marked != 5 {
		t.Fatalf("%d parts marked, %v", marked, err)
	}
	if n, err := w.db.ApplyRetention(ctx); err != nil || n != 0 {
		t.Fatalf("retention with nothing left: %d %v", n, err)
	}
	if n, _ := auditCount(t, w.db, EventSealedExpired); n != 1 {
		t.Fatalf("a retention that marked nothing was audited: %d rows", n)
	}
	verified(t, w.db)
}

// Retention never takes the clear answers of a record that may be edited
// from them: one a reviewer returned, one the catalogue found in
// conflict, one with an edit in progress, and the versions not acknowledged yet of
// one edited since.
func TestRetentionKeepsRecordsToBeCorrected(t *testing.T) {
	ctx := context.Background()
	w := newRetentionWorld(t, 5)
	returned, conflict, editing, edited, expires := w.ids[0], w.ids[1], w.ids[2], w.ids[3], w.ids[4]
	if _, err := w.db.Edit(ctx, edited, w.records[0]); err != nil { // a new version, never sent
		t.Fatal(err)
	}
	head := w.record(t, returned).Head
	w.send(t, map[string]string{conflict: "conflict", edited: "accepted"})
	if got, err := w.db.ApplyReturns(ctx, []Return{{ReviewID: "rv1", RecordID: returned, VersionID: head, Comment: "电话有误"}}); err != nil || len(got) != 1 {
		t.Fatalf("return: %v %v", got, err)
	}
	if err := w.db.SaveEdit(ctx, editing, w.records[3], "edit"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Edit(ctx, edited, w.records[1]); err != nil { // and another, after the receipt
		t.Fatal(err)
	}
	w.advance(40)
	if n, err := w.db.DropExpiredSealed(ctx, 30); err != nil || n != 2 {
		// expires, and edited's version the catalogue took; not its head
		t.Fatalf("retention: %d %v", n, err)
	}
	for _, id := range []string{returned, conflict, editing, edited} {
		if r := w.record(t, id); r.MaskedOnly || len(piitest.NumbersIn(r.Data, w.secret)) == 0 {
			t.Errorf("record %s (%s) lost its clear answers: %.200s", id, r.State, r.Data)
		}
	}
	if r := w.record(t, expires); !r.MaskedOnly {
		t.Errorf("the sent record kept its clear answers")
	}
	vs, err := w.db.Versions(ctx, edited)
	if err != nil || len(vs) != 3 || vs[0].MaskedOnly || !vs[1].MaskedOnly || vs[2].MaskedOnly {
		t.Fatalf("versions of the record edited after its receipt: %+v %v", vs, err)
	}
}

// An edit of a record kept masked only is refused, by the one check every
// way of editing goes through, and changes nothing: no version, no edit
// in progress, no audit row.
func TestEditOfMaskedOnlyRefused(t *testing.T) {
	ctx := context.Background()
	w := newRetentionWorld(t, 2)
	w.send(t, nil)
	w.advance(31)
	if n, err := w.db.DropExpiredSealed(ctx, 30); err != nil || n != 2 {
		t.Fatalf("retention: %d %v", n, err)
	}
	id := w.ids[0]
	before, err := w.db.Audit(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.db.RecordToEdit(ctx, id)
	var mo *MaskedOnlyError
	if !errors.As(err, &mo) || mo.RecordID != id || !errors.Is(err, ErrMaskedOnly) {
		t.Fatalf("RecordToEdit: %v", err)
	}
	masked := w.record(t, id).Data
	if _, err := w.db.Edit(ctx, id, masked); !errors.Is(err, ErrMaskedOnly) {
		t.Fatalf("Edit of the masked data: %v", err)
	}
	if _, err := w.db.Edit(ctx, id, w.records[1]); !errors.Is(err, ErrMaskedOnly) {
		t.Fatalf("Edit with other answers: %v", err)
	}
	if err := w.db.SaveEdit(ctx, id, masked, "edit"); !errors.Is(err, ErrMaskedOnly) {
		t.Fatalf("SaveEdit: %v", err)
	}
	after, err := w.db.Audit(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	vs, _ := w.db.Versions(ctx, id)
	edits, _ := w.db.PendingEdits(ctx)
	if len(after) != len(before) || len(vs) != 1 || len(edits) != 0 {
		t.Fatalf("a refused edit changed the database: %d audit rows (were %d), %d versions, %d edits", len(after), len(before), len(vs), len(edits))
	}
	// Nor are masked values carried into a new record as last-saved.
	if last, err := w.db.LastSaved(ctx, "household_visit", ""); err != nil || last != nil {
		t.Fatalf("LastSaved gives %v, %v", last, err)
	}
}

// The period the last sync announced is kept: the store applies it when
// opened again with no catalogue at hand.
func TestRetentionAppliesKeptPeriod(t *testing.T) {
	ctx := context.Background()
	w := newRetentionWorld(t, 3)
	w.send(t, nil)
	if n, err := w.db.DropExpiredSealed(ctx, 7); err != nil || n != 0 {
		t.Fatalf("sync: %d %v", n, err)
	}
	w.advance(8)
	if n, err := w.db.ApplyRetention(ctx); err != nil || n != 3 {
		t.Fatalf("retention at start, after the kept period: %d %v", n, err)
	}
}

// A key reset marks the versions it leaves masked, as retention does, so
// that an edit of one is refused too.
func TestResetKeyMarksVersionsMaskedOnly(t *testing.T) {
	ctx := context.Background()
	w := newRetentionWorld(t, 2)
	if _, err := w.db.ResetKey(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if r := w.record(t, w.ids[0]); !r.MaskedOnly {
		t.Fatalf("after a reset the record is not flagged masked only: %.200s", r.Data)
	}
	if _, err := w.db.Edit(ctx, w.ids[0], w.records[0]); !errors.Is(err, ErrMaskedOnly) {
		t.Fatalf("Edit after a reset: %v", err)
	}
}
