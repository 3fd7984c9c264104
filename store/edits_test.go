package store

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// finalizedRecord makes one record the way a collector does: a draft,
// then finalize.
func finalizedRecord(t *testing.T, db *DB, data []byte) (string, *Version) {
	t.Helper()
	ctx := context.Background()
	id, err := db.NewDraft(ctx, "household", "1")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDraft(ctx, id, data, nil); err != nil {
		t.Fatal(err)
	}
	v, err := db.Finalize(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return id, v
}

// verified fails the test unless the audit chain and the data against it
// check clean, as fieldbench audit verify does.
func verified(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	if _, p, err := db.VerifyAudit(ctx); err != nil || p != nil {
		t.Fatalf("VerifyAudit: %v %v", p, err)
	}
	rep, err := db.VerifyData(ctx)
	if err != nil || rep.Count != 0 {
		t.Fatalf("VerifyData: %+v %v", rep, err)
	}
}

// An edit of a finalized record is stored with every answer and survives
// the process (the database is closed and opened again, as after a
// crash); the finalized version is untouched until the edit is saved,
// which makes the new version and ends the edit.
func TestPendingEditSavedPerAnswerAndResumed(t *testing.T) {
	ctx := context.Background()
	db, path := newDB(t)
	orig := household("王建国", 2)
	id, v1 := finalizedRecord(t, db, orig)

	edited := household("王建军", 2)
	if err := db.SaveEdit(ctx, id, edited, "王建军", &AnswerChange{Path: "head_name", Old: "王建国", New: "王建军"}); err != nil {
		t.Fatal(err)
	}
	r, err := db.Record(ctx, id)
	if err != nil || r.State != Finalized || r.Head != v1.ID || !bytes.Equal(r.Data, v1.Data) {
		t.Fatalf("the finalized record changed under the edit: %+v %v", r, err)
	}
	if vs, _ := db.Versions(ctx, id); len(vs) != 1 {
		t.Fatalf("%d versions while the edit is in progress", len(vs))
	}
	if d, _ := db.Drafts(ctx); len(d) != 0 {
		t.Fatalf("the edit shows as a draft: %+v", d)
	}
	verified(t, db)

	db.Close()
	db, err = Open(path, WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, err := db.PendingEdits(ctx)
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].Base != v1.ID || list[0].EditName != "王建军" ||
		list[0].InstanceName != r.InstanceName || list[0].State != Finalized {
		t.Fatalf("PendingEdits after reopening: %+v %v", list, err)
	}
	e, err := db.ResumeEdit(ctx, id)
	if err != nil || e == nil || !bytes.Equal(e.Data, edited) {
		t.Fatalf("ResumeEdit: %+v %v", e, err)
	}
	v2, err := db.Edit(ctx, id, e.Data)
	if err != nil || v2.Replaces != v1.ID {
		t.Fatalf("Edit: %+v %v", v2, err)
	}
	if list, _ := db.PendingEdits(ctx); len(list) != 0 {
		t.Fatalf("the saved edit is still pending: %+v", list)
	}
	if e, err := db.ResumeEdit(ctx, id); e != nil || err != nil {
		t.Fatalf("ResumeEdit after save: %+v %v", e, err)
	}
	if r, _ := db.Record(ctx, id); r.Head != v2.ID || !bytes.Equal(r.Data, v2.Data) {
		t.Fatalf("after save: %+v", r)
	}
	for ev, want := range map[Event]int{EventEditStarted: 1, EventAnswerChanged: 1, EventResumed: 1, EventEdited: 1, EventEditDiscarded: 0} {
		if n := countEvents(t, db, ev); n != want {
			t.Errorf("%d %s events, want %d", n, ev, want)
		}
	}
	verified(t, db)
}

// Discarding an edit leaves the record exactly as finalized; the trail
// keeps what the edit held. A draft has no edit to start.
func TestDiscardPendingEdit(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	id, v1 := finalizedRecord(t, db, household("李四", 1))
	before, _ := db.Record(ctx, id)
	if err := db.SaveEdit(ctx, id, household("李五", 1), "李五", &AnswerChange{Path: "head_name", Old: "李四", New: "李五"}); err != nil {
		t.Fatal(err)
	}
	if err := db.DiscardEdit(ctx, id); err != nil {
		t.Fatal(err)
	}
	after, _ := db.Record(ctx, id)
	if after.Head != v1.ID || !bytes.Equal(after.Data, v1.Data) || after.UpdatedAt != before.UpdatedAt || after.InstanceName != before.InstanceName {
		t.Fatalf("discard changed the record: %+v, was %+v", after, before)
	}
	if list, _ := db.PendingEdits(ctx); len(list) != 0 {
		t.Fatalf("still pending: %+v", list)
	}
	if err := db.DiscardEdit(ctx, id); !errors.Is(err, ErrNoEdit) {
		t.Fatalf("a second discard: %v", err)
	}
	if n := countEvents(t, db, EventEditDiscarded); n != 1 {
		t.Fatalf("%d edit_discarded events", n)
	}
	verified(t, db)

	draft, err := db.NewDraft(ctx, "household", "1")
	if err != nil {
		t.Fatal(err)
	}
	var ws *ErrWrongState
	if err := db.SaveEdit(ctx, draft, household("草稿", 1), ""); !errors.As(err, &ws) {
		t.Fatalf("SaveEdit on a draft: %v", err)
	}
}

// Saving an edit that changed nothing back to the finalized data writes
// no version and still ends the edit, closing it in the trail.
func TestUnchangedEditEndsPendingEdit(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	id, v1 := finalizedRecord(t, db, household("赵六", 1))
	if err := db.SaveEdit(ctx, id, v1.Data, "赵六"); err != nil {
		t.Fatal(err)
	}
	v, err := db.Edit(ctx, id, v1.Data)
	if err != nil || v.ID != v1.ID {
		t.Fatalf("Edit unchanged: %+v %v", v, err)
	}
	if list, _ := db.PendingEdits(ctx); len(list) != 0 {
		t.Fatalf("still pending: %+v", list)
	}
	if n := countEvents(t, db, EventEditDiscarded); n != 1 {
		t.Fatalf("%d edit_discarded events, want the edit closed", n)
	}
	verified(t, db)
}

// Sync never sends an edit half done: the batch carries the last
// finalized version, the edit stays pending through the exchange, and
// once saved the new version is what the next batch carries.
func TestSyncSendsFinalizedVersionNotPendingEdit(t *testing.T) {
	ctx := context.Background()
	db, _ := newDB(t)
	id, v1 := finalizedRecord(t, db, household("孙七", 1))
	half := household("孙八", 1)
	if err := db.SaveEdit(ctx, id, half, "孙八"); err != nil {
		t.Fatal(err)
	}
	_, got := queue(t, db, "b-1", 10)
	if len(got) != 1 || got[0].VersionID != v1.ID || !bytes.Equal(got[0].Data, v1.Data) {
		t.Fatalf("queued %+v, want the finalized version %s", got, v1.ID)
	}
	if err := db.ApplyReceipt(ctx, "b-1", []byte(`{}`), []Outcome{{VersionID: v1.ID, State: Sent, OnServer: true}}); err != nil {
		t.Fatal(err)
	}
	if list, _ := db.PendingEdits(ctx); len(list) != 1 || list[0].State != Sent {
		t.Fatalf("the edit after the exchange: %+v", list)
	}
	// A sent record's edit is confirmed per warning too (ConfirmWarning
	// writes into the edit, not the record).
	if err := db.ConfirmWarning(ctx, id, half, "孙八", WarningConfirmation{Field: "hh_size", Path: "hh_size"}); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.Record(ctx, id); !bytes.Equal(r.Data, v1.Data) {
		t.Fatalf("ConfirmWarning changed the finalized record: %s", r.Data)
	}
	v2, err := db.Edit(ctx, id, half)
	if err != nil {
		t.Fatal(err)
	}
	_, got = queue(t, db, "b-2", 10)
	if len(got) != 1 || got[0].VersionID != v2.ID || got[0].ServerHead != v1.ID {
		t.Fatalf("after saving, queued %+v, want %s replacing %s", got, v2.ID, v1.ID)
	}
	verified(t, db)
}

// A database made before edits were kept (schema 5) takes step 6: its
// records are as they were, and an edit of one is kept from then on.
func TestMigrationAddsPendingEdits(t *testing.T) {
	ctx := context.Background()
	db, path := newDB(t)
	id, v1 := finalizedRecord(t, db, household("周九", 1))
	db.Close()
	raw := rawDB(t, path)
	// Steps 1 to 5 as they stand are the schema of such a database.
	if _, err := raw.Exec(`ALTER TABLE records DROP COLUMN draft_sealed; DROP TABLE sealed_versions; DROP TABLE form_entity_lists; DROP TABLE entity_lists; DROP TABLE entities;
		DROP TABLE blind_index; DROP TABLE kept_verdicts; DROP TABLE form_attachments; DROP TABLE pending_edits; PRAGMA user_version = 6`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	db, err := Open(path, WithCollector("王芳"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.sql.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("user_version %d %v", v, err)
	}
	if r, err := db.Record(ctx, id); err != nil || r.Head != v1.ID || r.State != Finalized {
		t.Fatalf("the old record: %+v %v", r, err)
	}
	if err := db.SaveEdit(ctx, id, household("周十", 1), "周十"); err != nil {
		t.Fatal(err)
	}
	if list, _ := db.PendingEdits(ctx); len(list) != 1 {
		t.Fatalf("PendingEdits: %+v", list)
	}
	verified(t, db)
	if err := db.QuickCheck(ctx); err != nil {
		t.Fatal(err)
	}
}
