package store

import (
	"context"
	"testing"
	"time"
)

// Times come out of the store as time.Time, parsed once; the zero time
// means not set (a laptop that never synced, a return without the
// reviewer's time), where the stores used to hand out "".
func TestStoreTimesAreTimesAndZeroIsNotSet(t *testing.T) {
	ctx := context.Background()
	db := tickingDB(t)
	if last, err := db.LastSync(ctx); err != nil || !last.IsZero() {
		t.Fatalf("last sync of a laptop that never synced: %v %v, want zero", last, err)
	}
	id, err := db.NewDraft(ctx, "household", "1")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDraft(ctx, id, household("王", 1), nil); err != nil {
		t.Fatal(err)
	}
	r, err := db.Record(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// tickingDB's clock starts at 08:00:00 UTC and moves a second a reading.
	day := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	if r.CreatedAt.Before(day) || !r.UpdatedAt.After(r.CreatedAt) || r.CreatedAt.Location() != time.UTC {
		t.Errorf("draft times: created %v, updated %v", r.CreatedAt, r.UpdatedAt)
	}
	forms, err := db.Forms(ctx)
	if err != nil || len(forms) != 1 || forms[0].AddedAt.Before(day) {
		t.Errorf("forms: %+v %v", forms, err)
	}
	vs := sentRecords(t, db, 1)
	if _, err := db.ApplyReturns(ctx, []Return{{ReviewID: "rv", RecordID: vs[0].RecordID, VersionID: vs[0].VersionID, Comment: "再核实", Reviewer: "李审核"}}); err != nil {
		t.Fatal(err)
	}
	ret, err := db.LastReturn(ctx, vs[0].RecordID)
	if err != nil || ret == nil || !ret.ReviewedAt.IsZero() || ret.ReceivedAt.Before(day) {
		t.Errorf("a return without the reviewer's time: %+v %v, want ReviewedAt zero", ret, err)
	}
	if last, err := db.LastSync(ctx); err != nil || last.Before(day) {
		t.Errorf("last sync after one: %v %v", last, err)
	}
	rows, err := db.Audit(ctx, 0)
	if err != nil || len(rows) == 0 || rows[len(rows)-1].At.Before(day) {
		t.Errorf("audit times: %v", err)
	}
}
