package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fieldbench/fieldbench/store/sqlitedb"
)

// sentRecords stores n finalized records and marks them sent, as a sync
// whose batch was accepted does.
func sentRecords(t *testing.T, db *DB, n int) []QueuedVersion {
	t.Helper()
	finalized(t, db, n)
	_, vs := queue(t, db, "b-sent", n)
	var outcomes []Outcome
	for _, v := range vs {
		outcomes = append(outcomes, Outcome{VersionID: v.VersionID, State: Sent, OnServer: true})
	}
	if err := db.ApplyReceipt(context.Background(), "b-sent", []byte(`{}`), outcomes); err != nil {
		t.Fatal(err)
	}
	return vs
}

func countEvents(t *testing.T, db *DB, ev Event) int {
	t.Helper()
	var n int
	if err := db.sql.QueryRow(`SELECT count(*) FROM audit WHERE event = ?`, string(ev)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A return marks its record returned with the reviewer's comment, once:
// the same returns fetched again change nothing and write no event. A
// return of a version the collector has since replaced, of a record this
// laptop does not have, or of a record in flight leaves it alone.
func TestApplyReturnsIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := tickingDB(t)
	vs := sentRecords(t, db, 4)
	edited, err := db.Edit(ctx, vs[1].RecordID, household("改过", 2))
	if err != nil {
		t.Fatal(err)
	}
	returns := []Return{
		{ReviewID: "rv-1", RecordID: vs[0].RecordID, VersionID: vs[0].VersionID, Comment: "户主电话号码有误，请核实", Reviewer: "李审核", ReviewedAt: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)},
		{ReviewID: "rv-2", RecordID: vs[1].RecordID, VersionID: vs[1].VersionID, Comment: "已改过的", Reviewer: "李审核"},
		{ReviewID: "rv-3", RecordID: "no-such-record", VersionID: "v", Comment: "别人的", Reviewer: "李审核"},
	}
	before := countEvents(t, db, EventReturned)
	applied, err := db.ApplyReturns(ctx, returns)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 1 || applied[0].ReviewID != "rv-1" {
		t.Fatalf("applied %+v, want rv-1 only", applied)
	}
	r := syncRowOf(t, db, vs[0].RecordID)
	if r.State != Returned || r.SyncNote != returns[0].Comment || r.Head != vs[0].VersionID || r.ServerHead != vs[0].VersionID {
		t.Fatalf("the returned record: %+v", r)
	}
	if r := syncRowOf(t, db, vs[1].RecordID); r.State != Finalized || r.Head != edited.ID {
		t.Errorf("an edited record was touched: %+v", r)
	}
	if n := countEvents(t, db, EventReturned); n != before+1 {
		t.Fatalf("%d returned events, want %d", n, before+1)
	}
	stamp := r.UpdatedAt

	again, err := db.ApplyReturns(ctx, returns)
	if err != nil || len(again) != 0 {
		t.Fatalf("the same returns again: %+v %v", again, err)
	}
	if n := countEvents(t, db, EventReturned); n != before+1 {
		t.Fatalf("fetching again wrote an event: %d", n)
	}
	if r := syncRowOf(t, db, vs[0].RecordID); r.UpdatedAt != stamp {
		t.Errorf("fetching again touched the record: %+v", r)
	}
	last, err := db.LastReturn(ctx, vs[0].RecordID)
	if err != nil || last == nil || last.Reviewer != "李审核" || last.Comment != returns[0].Comment || last.ReceivedAt.IsZero() || !last.ReviewedAt.Equal(returns[0].ReviewedAt) {
		t.Fatalf("LastReturn: %+v %v", last, err)
	}
	if none, err := db.LastReturn(ctx, vs[2].RecordID); none != nil || err != nil {
		t.Errorf("LastReturn of a record never returned: %+v %v", none, err)
	}

	// A second review of the same version (rejected again, other words)
	// is a new return.
	second := Return{ReviewID: "rv-4", RecordID: vs[0].RecordID, VersionID: vs[0].VersionID, Comment: "还有住址", Reviewer: "王审核"}
	if got, err := db.ApplyReturns(ctx, []Return{second}); err != nil || len(got) != 1 {
		t.Fatalf("a second return: %+v %v", got, err)
	}
	if r := syncRowOf(t, db, vs[0].RecordID); r.SyncNote != "还有住址" {
		t.Errorf("note after the second return: %q", r.SyncNote)
	}

	// The collector corrects it: a new version replacing the one the
	// catalogue holds, to be sent; the returned version's return no longer
	// applies.
	fixed, err := db.Edit(ctx, vs[0].RecordID, household("户主0改", 1))
	if err != nil {
		t.Fatal(err)
	}
	if fixed.Replaces != vs[0].VersionID {
		t.Fatalf("the correction replaces %s, want %s", fixed.Replaces, vs[0].VersionID)
	}
	if r := syncRowOf(t, db, vs[0].RecordID); r.State != Finalized {
		t.Fatalf("after the correction: %+v", r)
	}
	late := Return{ReviewID: "rv-5", RecordID: vs[0].RecordID, VersionID: vs[0].VersionID, Comment: "迟到的", Reviewer: "李审核"}
	if got, _ := db.ApplyReturns(ctx, []Return{late}); len(got) != 0 {
		t.Errorf("a return of the replaced version was applied: %+v", got)
	}
	_, queued := queue(t, db, "b-fix", 10)
	if len(queued) != 2 || queued[0].ServerHead == "" {
		t.Fatalf("the next batch: %+v", queued)
	}
	if err := verifyAuditChain(t, db); err != nil {
		t.Fatal(err)
	}
}

// verifyAuditChain walks the trail as audit verify does.
func verifyAuditChain(t *testing.T, db *DB) error {
	t.Helper()
	_, problem, err := db.VerifyAudit(context.Background())
	if err != nil {
		return err
	}
	if problem != nil {
		return fmt.Errorf("audit chain broken: %+v", problem)
	}
	return nil
}

// A database made before review (schema 3) takes step 4: the records it
// holds keep their states, 'returned' becomes a state every connection
// accepts, anything else is still refused, and the file checks clean.
func TestMigrationAddsReturned(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", sqlitedb.DSN(path, false))
	if err != nil {
		t.Fatal(err)
	}
	for i, step := range migrations[:3] {
		if _, err := raw.Exec(step); err != nil {
			t.Fatalf("step %d: %v", i+1, err)
		}
	}
	for _, q := range []string{
		`INSERT INTO meta (key, value) VALUES ('application', 'fieldbench'), ('device_id', 'dev-old'), ('created_at', '2026-01-01'), ('collector', '')`,
		`INSERT INTO forms VALUES ('household', '1', 'Household visit', 'household.md', 'x', x'00', '2026-01-01')`,
		`INSERT INTO records (id, form_id, form_version, state, collector, device_id, created_at, updated_at, draft)
			VALUES ('r-old', 'household', '1', 'rejected', '王芳', 'dev-old', '2026-01-01T08:00:00.000000000Z', '2026-01-01T08:00:00.000000000Z', '{}')`,
		`PRAGMA user_version = 3`,
		fmt.Sprintf(`PRAGMA application_id = %d`, applicationID),
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Several connections at once: each must see the widened constraint.
	conns := make([]*sql.Conn, 3)
	for i := range conns {
		if conns[i], err = db.sql.Conn(ctx); err != nil {
			t.Fatal(err)
		}
		defer conns[i].Close()
	}
	for i, c := range conns {
		state := []string{"returned", "rejected", "returned"}[i]
		if _, err := c.ExecContext(ctx, `UPDATE records SET state = ? WHERE id = 'r-old'`, state); err != nil {
			t.Fatalf("connection %d setting %s: %v", i, state, err)
		}
	}
	if _, err := db.sql.Exec(`UPDATE records SET state = 'bogus' WHERE id = 'r-old'`); err == nil || !strings.Contains(err.Error(), "CHECK") {
		t.Fatalf("a state outside the list was stored: %v", err)
	}
	if r, err := db.Record(ctx, "r-old"); err != nil || r.State != Returned {
		t.Fatalf("the old record: %+v %v", r, err)
	}
	if err := db.QuickCheck(ctx); err != nil {
		t.Fatal(err)
	}
	var check string
	if err := db.sql.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	var triggers int
	if err := db.sql.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'record_versions'`).Scan(&triggers); err != nil || triggers != 3 {
		t.Fatalf("the versions' triggers: %d %v", triggers, err)
	}
	var v int
	if err := db.sql.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("user_version %d %v", v, err)
	}
	db.Close()
	// And it opens again as it is.
	again, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
}
